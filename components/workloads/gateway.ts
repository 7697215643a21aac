import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, type LabelSettingKeys } from "./labels";

export interface ApiGatewayArgs {
    /** Governance labels and the public edge (`ingress`: domain, issuer, class, limits, proxies). Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys | "ingress">;
    /** The foundation: its cluster provider and ready resources, which every object waits for; the load balancer annotations its cloud needs. */
    foundation: Foundation;

    /** The app namespace: the Gateway, its routes and the certificate live next to the API. */
    namespace: pulumi.Input<string>;
    /** The API's ClusterIP Service. */
    serviceName: pulumi.Input<string>;
    /** Its HTTP port number (Gateway API backends name ports by number). */
    servicePort: number;
    /** The release that installs the Gateway API and Envoy Gateway CRDs, the controller, and the ClusterIssuer. */
    dependsOn: pulumi.Resource[];
}

/** Gateway API group and the Envoy Gateway controller that serves the class. */
export const gatewayApiGroup = "gateway.networking.k8s.io";
export const gatewayApiVersion = `${gatewayApiGroup}/v1`;
export const envoyGatewayApiVersion = "gateway.envoyproxy.io/v1alpha1";
export const envoyGatewayControllerName = "gateway.envoyproxy.io/gatewayclass-controller";

/** Fixed names operators type (`kubectl get httproute agent-api`). */
export const gatewayObjectNames = {
    envoyProxy: "agent-edge-proxy",
    apiRoute: kubernetesNames.serviceAccounts.api,
    redirectRoute: `${kubernetesNames.serviceAccounts.api}-https-redirect`,
    trafficPolicy: kubernetesNames.serviceAccounts.api,
    clientPolicy: kubernetesNames.gateway.gatewayName,
    /** The Secret cert-manager writes the listener's certificate into. */
    tlsSecret: `${kubernetesNames.serviceAccounts.api}-tls`,
} as const;

/** The ports the Gateway listens on; Envoy binds them shifted to 10080/10443 inside the pod (no NET_BIND_SERVICE). */
export const listenerPorts = { http: 80, https: 443 } as const;
export const proxyContainerPort = (port: number) => (port < 1024 ? port + 10000 : port);

/**
 * Seconds as a Gateway API Duration, which allows at most five digits per unit
 * (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`): 300 → "300s", 100000 → "27h46m40s".
 */
export function gatewayDuration(seconds: number): string {
    if (seconds <= 99999) return `${seconds}s`;
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    return `${h}h${m ? `${m}m` : ""}${s ? `${s}s` : ""}`;
}

/** The address to point DNS at: the Gateway's first status address (the NLB's hostname on AWS, an IP on GCP). Empty until one is assigned. */
export function gatewayAddress(status: { addresses?: { type?: string; value?: string }[] } | undefined): string {
    return status?.addresses?.[0]?.value ?? "";
}

/**
 * The API's public edge on the Gateway API (standard channel v1), served by Envoy Gateway:
 * - an EnvoyProxy (data plane): replicas, zone spread and a PodDisruptionBudget from settings, a
 *   LoadBalancer Service with the foundation's annotations and `externalTrafficPolicy: Local`, so the
 *   proxies see the client's own address;
 * - the GatewayClass pointing at it, and a Gateway on `ingress.domain` with an HTTPS listener whose
 *   certificate cert-manager issues (the `cert-manager.io/cluster-issuer` annotation), and an HTTP
 *   listener that only redirects to HTTPS (and carries cert-manager's HTTP-01 solver route);
 * - the API's HTTPRoute with `timeouts.request`, a BackendTrafficPolicy with a per-client local rate
 *   limit (one bucket per source address, per proxy replica) and a request body limit, and a
 *   ClientTrafficPolicy that trusts no client-sent X-Forwarded-For.
 *
 * Every object depends on the CRD release, so the first `pulumi up` creates them only once their
 * kinds exist. The Gateway waits until Envoy Gateway reports it Programmed (its load balancer has an
 * address), so `ingressHostname` is known when `up` ends.
 */
export class ApiGateway extends pulumi.ComponentResource {
    public readonly gateway: k8s.apiextensions.CustomResource;
    public readonly apiRoute: k8s.apiextensions.CustomResource;
    /** `https://<domain>`, known once the API's route exists. */
    public readonly url: pulumi.Output<string>;
    /** The load balancer's hostname or IP: the target of the DNS record for `ingress.domain`. */
    public readonly hostname: pulumi.Output<string>;

    constructor(name: string, args: ApiGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:ApiGateway", name, {}, opts);
        const { settings, foundation } = args;
        const { ingress } = settings;
        const names = kubernetesNames.gateway;
        const labels = objectLabels(settings);
        const options = (...more: pulumi.Resource[]) => kubernetesOptions(this, foundation, [...args.dependsOn, ...more]);
        const object = (
            resourceName: string,
            apiVersion: string,
            kind: string,
            metadata: Record<string, unknown>,
            spec: Record<string, unknown>,
            resourceOptions: pulumi.CustomResourceOptions,
            outputs: string[] = [],
        ) =>
            // A CustomResource has output properties only for the keys it is given; `outputs` names the ones read back (status).
            new k8s.apiextensions.CustomResource(
                resourceName,
                { apiVersion, kind, metadata: { labels, ...metadata }, spec, ...Object.fromEntries(outputs.map((k) => [k, undefined])) },
                resourceOptions,
            );

        const proxyLabels = { ...names.proxyPodLabels };
        const envoyProxy = object(
            `${name}-envoy-proxy`,
            envoyGatewayApiVersion,
            "EnvoyProxy",
            { name: gatewayObjectNames.envoyProxy, namespace: names.namespace },
            {
                provider: {
                    type: "Kubernetes",
                    kubernetes: {
                        envoyDeployment: {
                            replicas: ingress.proxyReplicas,
                            pod: {
                                topologySpreadConstraints: [
                                    {
                                        maxSkew: 1,
                                        topologyKey: "topology.kubernetes.io/zone",
                                        whenUnsatisfiable: "DoNotSchedule",
                                        labelSelector: { matchLabels: proxyLabels },
                                        matchLabelKeys: ["pod-template-hash"],
                                    },
                                    {
                                        maxSkew: 1,
                                        topologyKey: "kubernetes.io/hostname",
                                        whenUnsatisfiable: "ScheduleAnyway",
                                        labelSelector: { matchLabels: proxyLabels },
                                        matchLabelKeys: ["pod-template-hash"],
                                    },
                                ],
                            },
                            container: { resources: ingress.proxyResources },
                        },
                        // A budget with one replica would block every node drain, so only with more.
                        ...(ingress.proxyReplicas > 1 ? { envoyPDB: { minAvailable: 1 } } : {}),
                        envoyService: {
                            type: "LoadBalancer",
                            // Only nodes running a proxy take traffic, and the proxy sees the client's address.
                            externalTrafficPolicy: "Local",
                            annotations: foundation.addons.ingressServiceAnnotations,
                        },
                    },
                },
            },
            options(),
        );

        const gatewayClass = object(
            `${name}-gateway-class`,
            gatewayApiVersion,
            "GatewayClass",
            { name: ingress.gatewayClassName },
            {
                controllerName: envoyGatewayControllerName,
                parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: gatewayObjectNames.envoyProxy, namespace: names.namespace },
            },
            options(envoyProxy),
        );

        // Plain HTTP only redirects: routes of this namespace alone. HTTPS admits HTTPRoutes of the
        // namespaces labelled for the edge: this one and the tenants' (docs/tenants.md).
        const kinds = [{ group: gatewayApiGroup, kind: "HTTPRoute" }];
        const httpAllowedRoutes = { namespaces: { from: "Same" }, kinds };
        const httpsAllowedRoutes = { namespaces: { from: "Selector", selector: { matchLabels: { [kubernetesNames.edgeRoutesLabel]: "true" } } }, kinds };
        this.gateway = object(
            `${name}-gateway`,
            gatewayApiVersion,
            "Gateway",
            {
                name: names.gatewayName,
                namespace: args.namespace,
                annotations: {
                    "cert-manager.io/cluster-issuer": ingress.clusterIssuer,
                    // Wait until Envoy Gateway has deployed the proxies and the load balancer has an address.
                    "pulumi.com/waitFor": "condition=Programmed",
                },
            },
            {
                gatewayClassName: ingress.gatewayClassName,
                listeners: [
                    { name: names.httpListener, protocol: "HTTP", port: listenerPorts.http, hostname: ingress.domain, allowedRoutes: httpAllowedRoutes },
                    {
                        name: names.httpsListener,
                        protocol: "HTTPS",
                        port: listenerPorts.https,
                        hostname: ingress.domain,
                        tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: gatewayObjectNames.tlsSecret }] },
                        allowedRoutes: httpsAllowedRoutes,
                    },
                ],
            },
            // A new cloud load balancer takes minutes to get an address.
            { ...options(gatewayClass), customTimeouts: { create: "20m", update: "20m" } },
            ["status"],
        );

        const parentRef = (sectionName: string) => ({ group: gatewayApiGroup, kind: "Gateway", name: names.gatewayName, sectionName });
        object(
            `${name}-https-redirect`,
            gatewayApiVersion,
            "HTTPRoute",
            { name: gatewayObjectNames.redirectRoute, namespace: args.namespace },
            {
                parentRefs: [parentRef(names.httpListener)],
                hostnames: [ingress.domain],
                rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
            },
            options(this.gateway),
        );

        this.apiRoute = object(
            `${name}-api-route`,
            gatewayApiVersion,
            "HTTPRoute",
            { name: gatewayObjectNames.apiRoute, namespace: args.namespace },
            {
                parentRefs: [parentRef(names.httpsListener)],
                hostnames: [ingress.domain],
                rules: [
                    {
                        matches: [{ path: { type: "PathPrefix", value: "/" } }],
                        backendRefs: [{ group: "", kind: "Service", name: args.serviceName, port: args.servicePort }],
                        timeouts: { request: gatewayDuration(ingress.requestTimeoutSeconds) },
                    },
                ],
            },
            options(this.gateway),
        );

        object(
            `${name}-api-traffic-policy`,
            envoyGatewayApiVersion,
            "BackendTrafficPolicy",
            { name: gatewayObjectNames.trafficPolicy, namespace: args.namespace },
            {
                targetRefs: [{ group: gatewayApiGroup, kind: "HTTPRoute", name: gatewayObjectNames.apiRoute }],
                rateLimit: {
                    // Local: one token bucket per client address in each proxy (no shared Redis on the request path).
                    local: { rules: [{ clientSelectors: [{ sourceCIDR: { type: "Distinct", value: "0.0.0.0/0" } }], limit: { requests: ingress.rateLimitRps, unit: "Second" } }] },
                },
                // Larger bodies are answered 413 before they reach the API.
                requestBuffer: { limit: ingress.maxRequestBodySize },
            },
            options(this.apiRoute),
        );

        object(
            `${name}-client-traffic-policy`,
            envoyGatewayApiVersion,
            "ClientTrafficPolicy",
            { name: gatewayObjectNames.clientPolicy, namespace: args.namespace },
            {
                targetRefs: [{ group: gatewayApiGroup, kind: "Gateway", name: names.gatewayName }],
                // The L4 load balancer passes the client's address through; an X-Forwarded-For a client sends is not trusted.
                clientIPDetection: { xForwardedFor: { numTrustedHops: 0 } },
            },
            options(this.gateway),
        );

        this.url = this.apiRoute.metadata.apply(() => `https://${ingress.domain}`);
        const status = (this.gateway as unknown as { status: pulumi.Output<Parameters<typeof gatewayAddress>[0]> }).status;
        this.hostname = status.apply(gatewayAddress);
        this.registerOutputs({ url: this.url, hostname: this.hostname });
    }
}
