import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { helmRelease } from "../shared/helmRelease";
import { llmCallerHeader, llmCallerMetricLabel } from "../shared/llmCaller";
import { kubernetesNames, type Foundation, type HelmAddon } from "../contract";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, podSecurityLabels, type LabelSettingKeys, type PodSecurityLevel } from "./labels";
import { envoyRateLimit, RateLimitRedis, rateLimitRedis, rateLimitRedisUrl } from "./rateLimitRedis";

export interface ClusterAddonsArgs {
    /**
     * Governance labels; chart versions, the releases' timeout and the add-ons' controller replicas
     * (`addons`); the Kubernetes version the Pod Security labels pin (`cluster`); the edge's controller
     * replicas and ACME issuer (`ingress`); the LLM gateway's controller and proxy replicas and the rate
     * limiter's Redis (`llmGateway`). Per-environment defaults in stacks/defaults.ts.
     */
    settings: Pick<Settings, LabelSettingKeys | "addons" | "cluster" | "ingress" | "llmGateway">;
    /** The foundation: its cluster provider and ready resources (every object waits for them); whether the cloud runs metrics-server and which releases only it needs (`addons`). */
    foundation: Foundation;
}

/** Chart repositories of the add-ons the workloads install themselves. */
export const chartRepositories = {
    /** Envoy Gateway publishes its charts as OCI artifacts on Docker Hub (gateway.envoyproxy.io, install with Helm). */
    envoyGateway: "oci://docker.io/envoyproxy",
    certManager: "https://charts.jetstack.io",
    metricsServer: "https://kubernetes-sigs.github.io/metrics-server/",
} as const;

/** Helm release names (and so the prefix of what the charts create). */
export const releaseNames = {
    gatewayCrds: "envoy-gateway-crds",
    envoyGateway: "envoy-gateway",
    aiGatewayCrds: "ai-gateway-crds",
    aiGateway: "ai-gateway",
    certManager: "cert-manager",
    metricsServer: "metrics-server",
} as const;

/** Envoy Gateway's two charts: the CRDs (Gateway API standard channel and Envoy Gateway's own) and the controller. */
export const envoyGatewayCharts = { crds: "gateway-crds-helm", controller: "gateway-helm" } as const;

/** Envoy AI Gateway's two charts, on the same registry as Envoy Gateway's. */
export const aiGatewayCharts = { crds: "ai-gateway-crds-helm", controller: "ai-gateway-helm" } as const;

/**
 * What Envoy AI Gateway needs of Envoy Gateway (manifests/envoy-gateway-values.yaml at ai-gateway tag
 * v1.1.0): the Backend API (AIServiceBackends point at FQDN Backends) and the extension manager, through
 * which Envoy Gateway hands every listener, route, cluster and secret to the AI gateway controller
 * after translation. Without them the AIGatewayRoutes are accepted and never served.
 */
export function envoyGatewayConfigForAiGateway(): Record<string, unknown> {
    const llm = kubernetesNames.llmGateway;
    const all = { includeAll: true };
    return {
        extensionApis: { enableEnvoyPatchPolicy: true, enableBackend: true },
        extensionManager: {
            hooks: { xdsTranslator: { translation: { listener: all, route: all, cluster: all, secret: all }, post: ["Translation", "Cluster", "Route"] } },
            service: { fqdn: { hostname: `${llm.controllerService}.${llm.controllerNamespace}.svc.cluster.local`, port: llm.controllerGrpcPort } },
        },
    };
}

/**
 * Envoy Gateway's global rate limit, which enforces the LLM budgets: its counters in the program's own
 * Redis (`RateLimitRedis`), whose password the rate limit service reads as REDIS_AUTH (envoyproxy/ratelimit;
 * Envoy Gateway's Redis settings take a URL and TLS but no password, and merge `container.env` into the
 * Deployment it runs). Fail open (`failClosed: false`): with the limiter down, requests pass unbudgeted
 * rather than every LLM call failing. As many replicas as the LLM gateway's proxies, spread across zones.
 */
export function envoyGatewayRateLimit(replicas: number): Record<string, unknown> {
    return {
        rateLimit: { backend: { type: "Redis", redis: { url: rateLimitRedisUrl } }, failClosed: false },
        provider: {
            type: "Kubernetes",
            kubernetes: {
                rateLimitDeployment: {
                    replicas,
                    pod: { topologySpreadConstraints: [zoneSpread(envoyRateLimit.podLabels)] },
                    container: { env: [{ name: "REDIS_AUTH", valueFrom: { secretKeyRef: { name: rateLimitRedis.passwordSecret, key: rateLimitRedis.passwordKey } } }] },
                },
                ...(replicas > 1 ? { rateLimitPDB: { minAvailable: 1 } } : {}),
            },
        },
    };
}

export const certManagerNamespace = "cert-manager";

/** Let's Encrypt's ACME directories; an issuer whose name mentions staging uses the staging one (untrusted certificates, generous rate limits). */
export const acmeServers = {
    production: "https://acme-v02.api.letsencrypt.org/directory",
    staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
} as const;

export function acmeServerFor(clusterIssuer: string): string {
    return /staging/.test(clusterIssuer) ? acmeServers.staging : acmeServers.production;
}

/**
 * The cluster add-ons every cloud needs, as pinned Helm releases: Envoy Gateway (the Gateway API CRDs
 * in their own release, so chart upgrades upgrade them too, then the controller that runs the Envoy
 * proxies and the rate limit service, with the Redis that backs the LLM budgets' counters), cert-manager with its Gateway API support and a Let's Encrypt ClusterIssuer that solves
 * HTTP-01 through the public Gateway, metrics-server where the cloud does not
 * run one, and whatever releases the foundation says its cloud needs (`addons.extraReleases`). Every
 * release is atomic (a failed install or upgrade rolls back) and time-boxed.
 *
 * Namespaces: cert-manager and Envoy Gateway run under the restricted Pod Security profile (Envoy
 * Gateway's controller, certgen job and proxies run as non-root with all capabilities dropped and the
 * RuntimeDefault seccomp profile; the proxies listen on 10080/10443, so need no NET_BIND_SERVICE).
 * metrics-server goes to kube-system. The foundation's releases get their namespace created by Helm
 * without Pod Security labels (privileged), because the contract does not say what they need and log
 * collectors mount host paths.
 */
export class ClusterAddons extends pulumi.ComponentResource {
    /** Installs the Gateway API and Envoy Gateway CRDs: every Gateway API object must depend on it. */
    public readonly gatewayCrds: k8s.helm.v3.Release;
    /** The Envoy Gateway controller, which programs the proxies for the GatewayClass. */
    public readonly gatewayController: k8s.helm.v3.Release;
    /** The Redis behind Envoy Gateway's global rate limit (the LLM budgets). */
    public readonly rateLimitRedis: RateLimitRedis;
    /** Envoy AI Gateway's CRDs (aigateway.envoyproxy.io): every AI gateway object must depend on it. */
    public readonly aiGatewayCrds: k8s.helm.v3.Release;
    /** The Envoy AI Gateway controller: turns AIGatewayRoutes into HTTPRoutes and injects the external processor into the proxies. */
    public readonly aiGatewayController: k8s.helm.v3.Release;
    public readonly certManager: k8s.helm.v3.Release;
    public readonly clusterIssuer: k8s.apiextensions.CustomResource;
    public readonly metricsServer?: k8s.helm.v3.Release;
    public readonly extraReleases: k8s.helm.v3.Release[];

    constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:ClusterAddons", name, {}, opts);
        const { settings, foundation } = args;
        // Only one cert-manager controller and one metrics-server serve at a time (leader election, one
        // APIService); more replicas shorten a failover and get a disruption budget.
        const replicas = settings.addons.controllerReplicas;
        const highlyAvailable = replicas > 1;

        const namespace = (resourceName: string, namespaceName: string, enforce: PodSecurityLevel, auditAndWarn: PodSecurityLevel) =>
            new k8s.core.v1.Namespace(
                resourceName,
                { metadata: { name: namespaceName, labels: { ...objectLabels(settings), name: namespaceName, ...podSecurityLabels(enforce, settings.cluster.kubernetesVersion, auditAndWarn) } } },
                kubernetesOptions(this, foundation),
            );

        const release = (resourceName: string, addon: HelmAddon, createNamespace: boolean, dependsOn: pulumi.Resource[] = []) =>
            helmRelease(resourceName, addon, { settings, createNamespace }, kubernetesOptions(this, foundation, dependsOn));

        const { ingress } = settings;
        const gatewayNs = namespace(`${name}-envoy-gateway`, kubernetesNames.gateway.namespace, "restricted", "restricted");
        // CRDs as templates of their own chart (not the controller chart's crds/ directory, which Helm
        // never upgrades): a version bump upgrades them, and only the standard channel is installed.
        this.gatewayCrds = release(
            `${name}-envoy-gateway-crds`,
            {
                name: releaseNames.gatewayCrds,
                namespace: kubernetesNames.gateway.namespace,
                chart: envoyGatewayCharts.crds,
                repository: chartRepositories.envoyGateway,
                version: settings.addons.envoyGateway,
                values: { crds: { gatewayAPI: { enabled: true, channel: "standard" }, envoyGateway: { enabled: true } } },
            },
            false,
            [gatewayNs],
        );
        this.rateLimitRedis = new RateLimitRedis(`${name}-ratelimit-redis`, { settings, foundation, dependsOn: [gatewayNs] }, { parent: this });
        this.gatewayController = release(
            `${name}-envoy-gateway`,
            {
                name: releaseNames.envoyGateway,
                namespace: kubernetesNames.gateway.namespace,
                chart: envoyGatewayCharts.controller,
                repository: chartRepositories.envoyGateway,
                version: settings.addons.envoyGateway,
                values: {
                    crds: { enabled: false },
                    // The chart's own config keys stay (a Helm values merge), these are added.
                    config: { envoyGateway: { ...envoyGatewayConfigForAiGateway(), ...envoyGatewayRateLimit(settings.llmGateway.proxyReplicas) } },
                    deployment: {
                        replicas: ingress.controllerReplicas,
                        pod: { topologySpreadConstraints: [zoneSpread(kubernetesNames.gateway.controllerPodLabels)] },
                    },
                    podDisruptionBudget: { minAvailable: ingress.controllerReplicas > 1 ? 1 : 0 },
                },
            },
            false,
            [gatewayNs, this.gatewayCrds],
        );

        // Envoy AI Gateway: its CRDs (their own chart, so upgrades upgrade them), then the controller that
        // Envoy Gateway's extension manager calls, after Envoy Gateway, whose Backend API and extension
        // hooks it builds on. Its chart's pods already run restricted (non-root 65532, no
        // capabilities, RuntimeDefault seccomp).
        const { llmGateway } = settings;
        const llm = kubernetesNames.llmGateway;
        const aiGatewayNs = namespace(`${name}-ai-gateway`, llm.controllerNamespace, "restricted", "restricted");
        this.aiGatewayCrds = release(
            `${name}-ai-gateway-crds`,
            {
                name: releaseNames.aiGatewayCrds,
                namespace: llm.controllerNamespace,
                chart: aiGatewayCharts.crds,
                repository: chartRepositories.envoyGateway,
                version: settings.addons.aiGateway,
                values: {},
            },
            false,
            // CRDs only: nothing they declare needs Envoy Gateway to run, so they install beside it.
            [aiGatewayNs],
        );
        this.aiGatewayController = release(
            `${name}-ai-gateway`,
            {
                name: releaseNames.aiGateway,
                namespace: llm.controllerNamespace,
                chart: aiGatewayCharts.controller,
                repository: chartRepositories.envoyGateway,
                version: settings.addons.aiGateway,
                values: {
                    controller: {
                        fullnameOverride: llm.controllerService,
                        replicaCount: llmGateway.controllerReplicas,
                        podDisruptionBudget: { enabled: llmGateway.controllerReplicas > 1, minAvailable: 1 },
                        topologySpreadConstraints: [zoneSpread(llm.controllerPodLabels)],
                        // The gen_ai_* metrics carry who called (the header the gateway itself sets per
                        // listener), so spend and tokens can be charted and alerted per caller and budget.
                        metricsRequestHeaderAttributes: `${llmCallerHeader}:${llmCallerMetricLabel}`,
                    },
                    envoyGateway: { namespace: kubernetesNames.gateway.namespace },
                },
            },
            false,
            // After Envoy Gateway: its webhook injects the external processor into the proxies Envoy Gateway creates.
            [aiGatewayNs, this.aiGatewayCrds, this.gatewayController],
        );

        const certManagerNs = namespace(`${name}-cert-manager`, certManagerNamespace, "restricted", "restricted");
        this.certManager = release(
            `${name}-cert-manager`,
            {
                name: releaseNames.certManager,
                namespace: certManagerNamespace,
                chart: "cert-manager",
                repository: chartRepositories.certManager,
                version: settings.addons.certManager,
                values: {
                    // CRDs come with the chart and stay when it is uninstalled (crds.keep), so certificates survive a reinstall.
                    crds: { enabled: true, keep: true },
                    replicaCount: replicas,
                    podDisruptionBudget: { enabled: highlyAvailable },
                    webhook: { replicaCount: replicas, podDisruptionBudget: { enabled: highlyAvailable } },
                    // The gateway-shim issues a certificate for every HTTPS listener of an annotated Gateway.
                    config: { apiVersion: "controller.config.cert-manager.io/v1alpha1", kind: "ControllerConfiguration", enableGatewayAPI: true },
                },
            },
            false,
            // The release installs into its namespace by name, which no input carries; cert-manager looks
            // for the Gateway API CRDs when it starts, so they must exist by then.
            [certManagerNs, this.gatewayCrds],
        );

        this.clusterIssuer = new k8s.apiextensions.CustomResource(
            `${name}-cluster-issuer`,
            {
                apiVersion: "cert-manager.io/v1",
                kind: "ClusterIssuer",
                metadata: { name: settings.ingress.clusterIssuer, labels: objectLabels(settings) },
                spec: {
                    acme: {
                        server: acmeServerFor(settings.ingress.clusterIssuer),
                        email: settings.ingress.acmeEmail,
                        privateKeySecretRef: { name: `${settings.ingress.clusterIssuer}-account-key` },
                        // The solver's HTTPRoute attaches to the Gateway's plain-HTTP listener, next to the redirect.
                        solvers: [
                            {
                                http01: {
                                    gatewayHTTPRoute: {
                                        parentRefs: [
                                            {
                                                group: "gateway.networking.k8s.io",
                                                kind: "Gateway",
                                                name: kubernetesNames.gateway.gatewayName,
                                                namespace: kubernetesNames.appNamespace,
                                                sectionName: kubernetesNames.gateway.httpListener,
                                            },
                                        ],
                                    },
                                },
                            },
                        ],
                    },
                },
            },
            // The ClusterIssuer CRD and the webhook that admits it come with the release, which no input names.
            kubernetesOptions(this, foundation, [this.certManager]),
        );

        if (!foundation.addons.providesMetricsServer) {
            this.metricsServer = release(
                `${name}-metrics-server`,
                {
                    name: releaseNames.metricsServer,
                    namespace: "kube-system",
                    chart: "metrics-server",
                    repository: chartRepositories.metricsServer,
                    version: settings.addons.metricsServer,
                    values: { replicas, podDisruptionBudget: { enabled: highlyAvailable, maxUnavailable: 1 } },
                },
                false,
            );
        }

        this.extraReleases = foundation.addons.extraReleases.map((addon) => release(`${name}-foundation-${addon.name}`, addon, true));

        this.registerOutputs({});
    }
}

/** Spreads pods with these labels across zones; a best effort, so a zone outage does not block scheduling. */
export function zoneSpread(matchLabels: Record<string, string>) {
    return { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels } };
}
