import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { ClusterAddons } from "./addons";
import { ApiDeployment } from "./api";
import { Autoscaling } from "./autoscaling";
import { AppConfig } from "./config";
import { DisruptionBudget } from "./disruptionBudget";
import { Ingress } from "./ingress";
import { MigrationJob } from "./migration";
import { AppNamespace } from "./namespace";
import { NetworkPolicies } from "./networkPolicies";
import { ServiceAccounts } from "./serviceAccounts";
import { Worker } from "./worker";

export interface AgentPlatformArgs {
    settings: Settings;
    foundation: Foundation;
}

/**
 * The AI-agent service and its cluster add-ons, on whichever foundation it is given. It consumes only
 * the `Foundation` contract: every Kubernetes object goes to `foundation.cluster.provider` and depends on
 * `foundation.cluster.readyResources`, so `pulumi destroy` removes it before the nodes and the network.
 *
 * Order of a rollout: add-ons and namespace, then config, service accounts and network policies, then
 * the migration Job, and only when it has succeeded the API and worker Deployments; the Ingress waits
 * for the ingress controller and the ClusterIssuer.
 */
export class AgentPlatform extends pulumi.ComponentResource {
    /** The namespace the service runs in. */
    public readonly namespace: pulumi.Output<string>;
    /** `https://<ingress.domain>`. */
    public readonly apiUrl: pulumi.Output<string>;
    /** The ingress load balancer's hostname (or IP): the target of the DNS record for `ingress.domain`. */
    public readonly ingressHostname: pulumi.Output<string>;

    constructor(name: string, args: AgentPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:AgentPlatform", name, {}, { ...opts, providers: withProvider(opts?.providers, args.foundation.cluster.provider) });
        const { settings, foundation } = args;
        const base = { settings, foundation };
        const child = { parent: this };

        const addons = new ClusterAddons(`${name}-addons`, base, child);
        const namespace = new AppNamespace(`${name}-namespace`, base, child).name;
        const inNamespace = { ...base, namespace };

        const config = new AppConfig(`${name}-config`, inNamespace, child);
        const accounts = new ServiceAccounts(`${name}-service-accounts`, inNamespace, child);
        const policies = new NetworkPolicies(`${name}-network-policies`, inNamespace, child);

        // The pods read the ConfigMap and Secret by their well-known names and start under the namespace's
        // default-deny policy, which only the allow policies open: the engine sees neither need in the
        // inputs (it does see the ServiceAccount, by its name). The Deployments wait for the migration
        // Job itself: the new schema must be in place before the new code serves.
        const podsNeed = [config.configMap, config.secret, ...policies.policies];
        const migration = new MigrationJob(`${name}-migrate`, { ...inNamespace, serviceAccountName: accounts.api, dependsOn: podsNeed }, child);
        const rollout = { configChecksum: config.checksum, dependsOn: [migration.job, ...podsNeed] };
        const api = new ApiDeployment(`${name}-api`, { ...inNamespace, ...rollout, serviceAccountName: accounts.api }, child);
        const worker = new Worker(`${name}-worker`, { ...inNamespace, ...rollout, serviceAccountName: accounts.worker }, child);

        const { api: apiComponent, worker: workerComponent } = kubernetesNames.components;
        new Autoscaling(`${name}-api-autoscaling`, { ...inNamespace, component: apiComponent, deploymentName: api.deploymentName, scaling: settings.api }, child);
        new Autoscaling(`${name}-worker-autoscaling`, { ...inNamespace, component: workerComponent, deploymentName: worker.deploymentName, scaling: settings.worker }, child);
        new DisruptionBudget(`${name}-api-disruption-budget`, { ...inNamespace, component: apiComponent, budgetName: api.deploymentName }, child);
        new DisruptionBudget(`${name}-worker-disruption-budget`, { ...inNamespace, component: workerComponent, budgetName: worker.deploymentName }, child);

        const ingress = new Ingress(
            `${name}-ingress`,
            { ...inNamespace, serviceName: api.serviceName, servicePort: "http", dependsOn: [addons.ingressController, addons.clusterIssuer] },
            child,
        );

        this.namespace = namespace;
        this.apiUrl = ingress.url;
        this.ingressHostname = addons.ingressHostname;
        this.registerOutputs({ namespace: this.namespace, apiUrl: this.apiUrl, ingressHostname: this.ingressHostname });
    }
}

/** The caller's providers plus the foundation's Kubernetes provider, which every child inherits (listed last, it wins over another one). */
function withProvider(providers: pulumi.ComponentResourceOptions["providers"], kubernetes: pulumi.ProviderResource): pulumi.ComponentResourceOptions["providers"] {
    if (Array.isArray(providers)) return [...providers, kubernetes];
    return { ...(providers ?? {}), kubernetes };
}
