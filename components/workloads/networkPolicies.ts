import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, type LabelSettingKeys } from "./labels";
import { selectorLabels, type Component } from "../shared/kubernetes";

export interface NetworkPoliciesArgs {
    /** Governance labels and the API's and metrics ports (`app`). Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys | "app">;
    /** The foundation: its cluster provider and ready resources, which every object waits for; the data stores' ranges and ports, the workload-identity endpoints. */
    foundation: Foundation;
    /** The app namespace. */
    namespace: pulumi.Input<string>;
}

export type Rule = k8s.types.input.networking.v1.NetworkPolicyIngressRule & k8s.types.input.networking.v1.NetworkPolicyEgressRule;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Selector = k8s.types.input.meta.v1.LabelSelector;

/** Port of the pod cert-manager starts next to the Gateway to answer an ACME HTTP-01 challenge. */
export const acmeSolverPort = 8089;

export const tcp = (port: pulumi.Input<number>) => ({ protocol: "TCP", port });
export const namespacePeer = (namespace: string): Peer => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } } });
export const anywhere: Peer = { ipBlock: { cidr: "0.0.0.0/0" } };
/** The Envoy proxy pods of the public Gateway, and nothing else in their namespace (not the controller). */
export const gatewayProxyPeer: Peer = { ...namespacePeer(kubernetesNames.gateway.namespace), podSelector: { matchLabels: { ...kubernetesNames.gateway.proxyPodLabels } } };
/** The LLM gateway's Envoy proxies (selected by their owning Gateway), the only way to an LLM provider. */
export const llmGatewayProxyPeer: Peer = { ...namespacePeer(kubernetesNames.gateway.namespace), podSelector: { matchLabels: { ...kubernetesNames.llmGateway.proxyPodLabels } } };
/** The port the LLM gateway's proxies bind for its listener (Envoy Gateway shifts ports below 1024 by 10000). */
export const llmGatewayProxyPort = kubernetesNames.llmGateway.listenerPort < 1024 ? kubernetesNames.llmGateway.listenerPort + 10000 : kubernetesNames.llmGateway.listenerPort;
/** LLM calls of the service's pods: to the LLM gateway's proxies only, never to a provider. */
export const llmGatewayEgress: Rule = { to: [llmGatewayProxyPeer], ports: [tcp(llmGatewayProxyPort)] };
/** DNS to kube-dns, which every pod needs. */
export const dnsEgress: Rule = {
    to: [{ ...namespacePeer("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
    ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
    ],
};

/** Selects the pods of some components of the service. */
export function podsOf(...components: Component[]): Selector {
    return {
        matchLabels: { "app.kubernetes.io/name": kubernetesNames.appName },
        matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: components }],
    };
}

/**
 * Default deny for the namespace, then only what each pod needs:
 * - DNS to kube-dns for every pod;
 * - the API's port from the Gateway's Envoy proxy pods only (not from the rest of their namespace), and
 *   cert-manager's HTTP-01 solver pods (which cert-manager starts in this namespace while a certificate
 *   is issued) from the same proxies;
 * - the metrics port of the API and worker from the monitoring namespace (Prometheus);
 * - Postgres and Redis for the API and worker, Postgres for the migration and backup jobs, to the
 *   private ranges the managed data stores live on (outside the cluster, so by CIDR);
 * - the LLM gateway's proxies for the API and worker (no HTTPS to the internet: the gateway alone
 *   reaches the providers), HTTPS anywhere for the backup job (object storage), and the node-local
 *   workload-identity endpoints for the pods that carry a cloud identity.
 */
export class NetworkPolicies extends pulumi.ComponentResource {
    public readonly policies: k8s.networking.v1.NetworkPolicy[] = [];

    constructor(name: string, args: NetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:NetworkPolicies", name, {}, opts);
        const { settings, foundation } = args;
        const { api, worker, migrate, backup } = kubernetesNames.components;

        // The foundation says where its managed Postgres and Redis get their addresses, and which
        // node-local endpoints (if any) hand pods their cloud identity's tokens.
        const dataStores: Peer[] = foundation.network.dataStoreCidrs.map((cidr) => ({ ipBlock: { cidr } }));
        const database: Rule = { to: dataStores, ports: [tcp(foundation.database.port)] };
        const cache: Rule = { to: dataStores, ports: [tcp(foundation.cache.port)] };
        const https: Rule = { to: [anywhere], ports: [tcp(443)] };
        const workloadIdentity: Rule[] = foundation.network.workloadIdentityEgress.map(({ cidr, ports }) => ({ to: [{ ipBlock: { cidr } }], ports: ports.map(tcp) }));

        const policy = (policyName: string, podSelector: Selector, spec: { ingress?: Rule[]; egress?: Rule[] }, policyTypes?: string[]) => {
            this.policies.push(
                new k8s.networking.v1.NetworkPolicy(
                    `${name}-${policyName}`,
                    {
                        metadata: { name: policyName, namespace: args.namespace, labels: objectLabels(settings) },
                        spec: { podSelector, policyTypes: policyTypes ?? [...(spec.ingress ? ["Ingress"] : []), ...(spec.egress ? ["Egress"] : [])], ...spec },
                    },
                    kubernetesOptions(this, foundation),
                ),
            );
        };

        policy("default-deny-all", {}, {}, ["Ingress", "Egress"]);
        policy("allow-dns", {}, { egress: [dnsEgress] });
        policy(
            "allow-api-from-gateway",
            { matchLabels: selectorLabels(api) },
            {
                ingress: [{ from: [gatewayProxyPeer], ports: [tcp(settings.app.port)] }],
            },
        );
        policy(
            "allow-acme-solver-from-gateway",
            { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } },
            {
                ingress: [{ from: [gatewayProxyPeer], ports: [tcp(acmeSolverPort)] }],
            },
        );
        policy("allow-metrics-from-monitoring", podsOf(api, worker), {
            ingress: [{ from: [namespacePeer(kubernetesNames.monitoringNamespace)], ports: [tcp(settings.app.metricsPort)] }],
        });
        // No HTTPS to the internet: LLM calls go through the LLM gateway, which alone holds the keys.
        policy("allow-app-egress", podsOf(api, worker), { egress: [database, cache, llmGatewayEgress, ...workloadIdentity] });
        policy("allow-migrate-egress", podsOf(migrate), { egress: [database] });
        policy("allow-backup-egress", podsOf(backup), { egress: [database, https, ...workloadIdentity] });
        this.registerOutputs({});
    }
}
