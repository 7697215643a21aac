import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { selectorLabels } from "../shared/kubernetes";
import { listenerPorts, proxyContainerPort } from "./gateway";
import { llmProviderPort } from "../../stacks/facts/llmProviders";
import { privateIpv4Ranges } from "../../stacks/facts/network";
import { acmeSolverPort, anywhere, dnsEgress, namespacePeer, podsOf, tcp, type Rule } from "./networkPolicies";
import { llmCallers } from "./llmGateway";
import { envoyRateLimit, rateLimitRedis } from "./rateLimitRedis";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, type LabelSettingKeys } from "./labels";

export interface GatewayNetworkPoliciesArgs {
    /** Governance labels, the API's port (`app`), the tenants' ports and LLM listeners (`tenants`, `llmGateway`). Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys | "app" | "tenants" | "llmGateway">;
    /** The foundation: its cluster provider and ready resources, which every object waits for; the control plane's ranges. */
    foundation: Foundation;
    /** The gateway namespace (created by the add-ons). */
    dependsOn: pulumi.Resource[];
}

type Selector = k8s.types.input.meta.v1.LabelSelector;

/** Public addresses: everything but the private ranges (RFC 1918), where the cluster and its data stores live. */
export const publicInternet = { ipBlock: { cidr: "0.0.0.0/0", except: [...privateIpv4Ranges] } };

/**
 * Ports of Envoy Gateway v1.9 (internal/xds/bootstrap, charts/gateway-helm): the controller serves xDS
 * to the proxies on 18000, its topology-injector webhook on 9443 and metrics on 19001; the proxies
 * serve Prometheus stats on 19001.
 */
export const envoyGatewayPorts = { xds: 18000, webhook: 9443, controllerMetrics: 19001 } as const;

/**
 * Default deny for the namespace of Envoy Gateway's controller and proxies, then only what they need:
 * - DNS for every pod;
 * - the proxies: the listener ports (as Envoy binds them, 10080/10443) from anywhere, since the load
 *   balancer passes clients' own addresses through (`externalTrafficPolicy: Local`; the load balancer's
 *   health checks go to kube-proxy's health-check node port, not to the pods); their metrics port from
 *   the monitoring namespace; egress to the controller's xDS port, the API pods' port and cert-manager's
 *   HTTP-01 solver pods in the app namespace;
 * - the LLM gateway's proxies: each caller's listener from that caller's pods only, the providers on 443,
 *   the rate limit service; the rate limit service: from those proxies, to the controller's rate-limit
 *   xDS and to its Redis, which admits nothing else;
 * - the controller: xDS from the proxies, its webhook from the control plane (the foundation's
 *   `controlPlaneCidrs`, since the API server is not a pod) and metrics from monitoring,
 *   and HTTPS egress to the Kubernetes API (whose address the cluster does not expose to NetworkPolicy
 *   portably, so 443 anywhere). The certgen Job, which writes the xDS certificates, needs the same egress.
 */
export class GatewayNetworkPolicies extends pulumi.ComponentResource {
    public readonly policies: k8s.networking.v1.NetworkPolicy[] = [];

    constructor(name: string, args: GatewayNetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:GatewayNetworkPolicies", name, {}, opts);
        const { settings, foundation } = args;
        const names = kubernetesNames.gateway;
        const llm = kubernetesNames.llmGateway;
        const proxies: Selector = { matchLabels: { ...names.proxyPodLabels } };
        const controller: Selector = { matchLabels: { ...names.controllerPodLabels } };
        const inApp = (podSelector: Selector) => ({ ...namespacePeer(kubernetesNames.appNamespace), podSelector });
        const monitoring = namespacePeer(kubernetesNames.monitoringNamespace);
        const kubernetesApi: Rule = { to: [anywhere], ports: [tcp(443)] };
        const controlPlane = foundation.network.controlPlaneCidrs.map((cidr) => ({ ipBlock: { cidr } }));

        const policy = (policyName: string, podSelector: Selector, spec: { ingress?: Rule[]; egress?: Rule[] }, policyTypes?: string[]) => {
            this.policies.push(
                new k8s.networking.v1.NetworkPolicy(
                    `${name}-${policyName}`,
                    {
                        metadata: { name: policyName, namespace: names.namespace, labels: objectLabels(settings) },
                        spec: { podSelector, policyTypes: policyTypes ?? [...(spec.ingress ? ["Ingress"] : []), ...(spec.egress ? ["Egress"] : [])], ...spec },
                    },
                    kubernetesOptions(this, foundation, args.dependsOn),
                ),
            );
        };

        policy("default-deny-all", {}, {}, ["Ingress", "Egress"]);
        policy("allow-dns", {}, { egress: [dnsEgress] });
        policy("allow-proxy", proxies, {
            ingress: [
                { from: [anywhere], ports: [tcp(proxyContainerPort(listenerPorts.http)), tcp(proxyContainerPort(listenerPorts.https))] },
                { from: [monitoring], ports: [tcp(names.proxyMetricsPort)] },
            ],
            egress: [
                { to: [{ podSelector: controller }], ports: [tcp(envoyGatewayPorts.xds)] },
                { to: [inApp({ matchLabels: selectorLabels(kubernetesNames.components.api) })], ports: [tcp(settings.app.port)] },
                { to: [inApp({ matchLabels: { "acme.cert-manager.io/http01-solver": "true" } })], ports: [tcp(acmeSolverPort)] },
                // The tenants' services behind their HTTPRoutes, on the ports the tenants declare.
                ...(settings.tenants.length > 0
                    ? [
                          {
                              to: [{ namespaceSelector: { matchExpressions: [{ key: kubernetesNames.tenantLabel, operator: "Exists" }] } }],
                              ports: [...new Set(settings.tenants.flatMap((t) => t.ports))].sort((a, b) => a - b).map(tcp),
                          },
                      ]
                    : []),
            ],
        });
        // The LLM gateway's proxies: each caller's listener from that caller's pods alone (the service's API
        // and worker, a tenant's pods labelled as LLM clients), since the listener decides whose budget a
        // request is charged to; a tenant may add egress policies in its own namespace, not ingress ones here.
        const llmProxies: Selector = { matchLabels: { ...llm.proxyPodLabels } };
        const rateLimit: Selector = { matchLabels: { ...envoyRateLimit.podLabels } };
        const { api, worker } = kubernetesNames.components;
        policy("allow-llm-gateway-callers", llmProxies, {
            ingress: llmCallers(settings).map((c) => ({
                from: [
                    c.namespace === kubernetesNames.appNamespace
                        ? inApp(podsOf(api, worker))
                        : { ...namespacePeer(c.namespace), podSelector: { matchLabels: { [kubernetesNames.llmClientLabel]: "true" } } },
                ],
                ports: [tcp(c.proxyPort)],
            })),
            // Their configuration from the controller, and every request's budget check at the rate limit service.
            egress: [
                { to: [{ podSelector: controller }], ports: [tcp(envoyGatewayPorts.xds)] },
                { to: [{ podSelector: rateLimit }], ports: [tcp(envoyRateLimit.grpcPort)] },
            ],
        });
        // The providers on 443, public addresses only, and nothing else of the internet.
        policy("allow-llm-gateway-to-providers", llmProxies, { egress: [{ to: [publicInternet], ports: [tcp(llmProviderPort)] }] });
        // The rate limit service: asked by the LLM gateway's proxies, configured by the controller, counting in its Redis.
        policy("allow-ratelimit", rateLimit, {
            ingress: [{ from: [{ podSelector: llmProxies }], ports: [tcp(envoyRateLimit.grpcPort)] }],
            egress: [
                { to: [{ podSelector: controller }], ports: [tcp(envoyRateLimit.controllerXdsPort)] },
                { to: [{ podSelector: { matchLabels: { ...rateLimitRedis.podLabels } } }], ports: [tcp(rateLimitRedis.port)] },
            ],
        });
        policy("allow-ratelimit-redis", { matchLabels: { ...rateLimitRedis.podLabels } }, { ingress: [{ from: [{ podSelector: rateLimit }], ports: [tcp(rateLimitRedis.port)] }] });
        // Prometheus scrapes the gen_ai_* metrics of the AI gateway's external processor beside each proxy.
        policy("allow-llm-gateway-metrics", { matchLabels: { ...llm.proxyPodLabels } }, { ingress: [{ from: [monitoring], ports: [tcp(llm.metricsPort)] }] });
        policy("allow-controller", controller, {
            ingress: [
                { from: [{ podSelector: proxies }, { podSelector: llmProxies }], ports: [tcp(envoyGatewayPorts.xds)] },
                { from: [{ podSelector: rateLimit }], ports: [tcp(envoyRateLimit.controllerXdsPort)] },
                { from: controlPlane, ports: [tcp(envoyGatewayPorts.webhook)] },
                { from: [monitoring], ports: [tcp(envoyGatewayPorts.controllerMetrics)] },
            ],
            // The extension manager calls the AI gateway controller after every translation.
            egress: [kubernetesApi, { to: [{ ...namespacePeer(llm.controllerNamespace), podSelector: { matchLabels: { ...llm.controllerPodLabels } } }], ports: [tcp(llm.controllerGrpcPort)] }],
        });
        policy("allow-certgen", { matchLabels: { ...names.certgenPodLabels } }, { egress: [kubernetesApi] });
        this.registerOutputs({});
    }
}
