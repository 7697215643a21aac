import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { ClusterAddons } from "./addons";
import { ApiDeployment, apiServicePort } from "./api";
import { apiScaling, Autoscaling, workerScaling } from "./autoscaling";
import { AppConfig } from "./config";
import { DisruptionBudget } from "./disruptionBudget";
import { ApiGateway } from "./gateway";
import { GatewayNetworkPolicies } from "./gatewayNetworkPolicies";
import { Keda } from "./keda";
import { LlmGateway } from "./llmGateway";
import { MigrationJob } from "./migration";
import { AppNamespace } from "./namespace";
import { NetworkPolicies } from "./networkPolicies";
import { QueueAuthentication } from "./queueAuthentication";
import { ServiceAccounts } from "./serviceAccounts";
import { Tenant } from "./tenant";
import { Worker } from "./worker";

/**
 * What the platform hands the operations layer for the pods it runs in the service's namespace (the
 * backup job, the restore pod, the runbook): names that carry their objects as dependencies, and the
 * NetworkPolicies that admit those pods' egress. Operations depends on these, not on the whole platform,
 * so a hanging rollout of the service never holds back backups.
 */
export interface ServiceHandle {
    namespace: pulumi.Output<string>;
    /** The Secret with `DATABASE_URL`. */
    appSecret: pulumi.Output<string>;
    /** The ServiceAccount bound to the foundation's backup identity. */
    backupServiceAccount: pulumi.Output<string>;
    networkPolicies: pulumi.Resource[];
}

export interface AgentPlatformArgs {
    /** All settings: the platform hands each child the part it reads, and only the LLM gateway the provider API keys. Per-environment defaults in stacks/defaults.ts. */
    settings: Settings;
    /** The foundation the service runs on, as the contract describes it (components/contract.ts). */
    foundation: Foundation;
}

/**
 * The AI-agent service and its cluster add-ons, on whichever foundation it is given. It consumes only
 * the `Foundation` contract: every Kubernetes object goes to `foundation.cluster.provider` and depends on
 * `foundation.cluster.readyResources`, so `pulumi destroy` removes it before the nodes and the network.
 *
 * Order of a rollout: add-ons and namespace, then config, service accounts and network policies, then
 * the migration Job, and only when it has succeeded the API and worker Deployments; the Gateway API
 * objects wait for the Envoy Gateway CRDs and controller and for the ClusterIssuer, the ScaledObjects
 * for KEDA and their Deployments.
 */
export class AgentPlatform extends pulumi.ComponentResource {
    /** The namespace the service runs in. */
    public readonly namespace: pulumi.Output<string>;
    /** `https://<ingress.domain>`. */
    public readonly apiUrl: pulumi.Output<string>;
    /** The public Gateway's load balancer hostname (or IP): the target of the DNS record for `ingress.domain`. */
    public readonly ingressHostname: pulumi.Output<string>;
    /** The namespace, Secret, ServiceAccount and NetworkPolicies the operations layer runs its pods with. */
    public readonly service: ServiceHandle;
    /** The shared Gateway tenants attach their HTTPRoutes to, known once the Gateway exists. */
    public readonly gateway: pulumi.Output<{ name: string; namespace: string; httpsListener: string }>;
    /** Tenant name → its namespace. */
    public readonly tenantNamespaces: pulumi.Output<Record<string, string>>;

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
        new GatewayNetworkPolicies(`${name}-gateway-network-policies`, { settings, foundation, dependsOn: [addons.gatewayController] }, child);

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
        // KEDA's CRDs and admission webhook come with its release, so its objects wait for it.
        const keda = new Keda(`${name}-keda`, base, child);
        const queueAuth = new QueueAuthentication(`${name}-queue-auth`, { ...inNamespace, dependsOn: [keda.release] }, child);
        new Autoscaling(
            `${name}-api-autoscaling`,
            { ...inNamespace, component: apiComponent, deploymentName: api.deploymentName, scaling: settings.api, ...apiScaling(settings), dependsOn: [keda.release, api] },
            child,
        );
        new Autoscaling(
            `${name}-worker-autoscaling`,
            {
                ...inNamespace,
                component: workerComponent,
                deploymentName: worker.deploymentName,
                scaling: settings.worker,
                ...workerScaling(settings, foundation, queueAuth.name),
                dependsOn: [keda.release, queueAuth, worker],
            },
            child,
        );
        new DisruptionBudget(`${name}-api-disruption-budget`, { ...inNamespace, component: apiComponent, budgetName: api.deploymentName }, child);
        new DisruptionBudget(`${name}-worker-disruption-budget`, { ...inNamespace, component: workerComponent, budgetName: worker.deploymentName }, child);

        const gateway = new ApiGateway(
            `${name}-gateway`,
            // The kinds and their admission come with the CRD release and the controller. Not the ClusterIssuer:
            // cert-manager issues the certificate through the Gateway itself (HTTP-01), picks up a Gateway
            // created before it starts, and a Certificate waits for its issuer, so no order is needed there.
            { ...inNamespace, serviceName: api.serviceName, servicePort: apiServicePort, dependsOn: [addons.gatewayCrds, addons.gatewayController] },
            child,
        );

        // The AI gateway's objects need both CRD releases and both controllers (Envoy Gateway's extension manager calls the AI one).
        // The budgets' rate limit (whose first Global rule makes Envoy Gateway start the rate limit service) waits for its Redis and password.
        new LlmGateway(
            `${name}-llm-gateway`,
            {
                ...base,
                dependsOn: [addons.gatewayCrds, addons.gatewayController, addons.aiGatewayCrds, addons.aiGatewayController],
                rateLimitStore: [addons.rateLimitRedis.secret, addons.rateLimitRedis.service],
            },
            child,
        );

        this.service = { namespace, appSecret: config.secret.metadata.name, backupServiceAccount: accounts.backup, networkPolicies: policies.policies };
        // Tenants' routes attach to the Gateway's HTTPS listener, so their namespaces come with the Gateway.
        const tenants = settings.tenants.map((tenant) => new Tenant(`${name}-tenant-${tenant.name}`, { ...base, tenant }, child));

        this.namespace = namespace;
        this.apiUrl = gateway.url;
        this.ingressHostname = gateway.hostname;
        const names = kubernetesNames.gateway;
        this.gateway = pulumi
            .all([gateway.gateway.metadata, namespace])
            .apply(([, gatewayNamespace]) => ({ name: names.gatewayName, namespace: gatewayNamespace, httpsListener: names.httpsListener }));
        this.tenantNamespaces = pulumi.all(tenants.map((t) => t.namespace)).apply((namespaces) => Object.fromEntries(settings.tenants.map((t, i) => [t.name, namespaces[i]])));
        this.registerOutputs({ namespace: this.namespace, apiUrl: this.apiUrl, ingressHostname: this.ingressHostname, gateway: this.gateway, tenantNamespaces: this.tenantNamespaces });
    }
}

/** The caller's providers plus the foundation's Kubernetes provider, which every child inherits (listed last, it wins over another one). */
function withProvider(providers: pulumi.ComponentResourceOptions["providers"], kubernetes: pulumi.ProviderResource): pulumi.ComponentResourceOptions["providers"] {
    if (Array.isArray(providers)) return [...providers, kubernetes];
    return { ...(providers ?? {}), kubernetes };
}
