import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { tenantContainerDefaults, type TenantSettings } from "../../stacks/tenants";
import { kubernetesNames, type Foundation } from "../contract";
import { dnsEgress, gatewayProxyPeer, llmGatewayProxyPeer, tcp, type Rule } from "./networkPolicies";
import { llmCallers, llmGatewayBaseUrl } from "./llmGateway";
import { gatewayApiGroup } from "./gateway";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, podSecurityLabels, type LabelSettingKeys } from "./labels";

export interface TenantArgs {
    /** Governance labels, the Kubernetes version the Pod Security labels pin (`cluster`), the tenants' LLM listeners and budgets (`llmGateway`, `tenants`). Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys | "cluster" | "llmGateway" | "tenants">;
    /** The foundation: its cluster provider and ready resources, which every object waits for; the workload-identity endpoints. */
    foundation: Foundation;
    /** The tenant: its name, principal, quota, ports and LLM budget. */
    tenant: TenantSettings;
}

/** Fixed object names inside every tenant namespace, which the policy pack and the team's docs name. */
export const tenantObjectNames = {
    quota: "tenant-quota",
    limits: "tenant-defaults",
    defaultDeny: "default-deny-all",
    dns: "allow-dns",
    fromEdge: "allow-from-gateway",
    workloadIdentity: "allow-workload-identity",
    llmGateway: "allow-llm-gateway",
    /** ConfigMap with the team's LLM_BASE_URL: its own listener of the LLM gateway. */
    llmConfig: "llm-gateway",
    edit: "tenant-edit",
    routesRole: "edge-routes",
} as const;

type Selector = k8s.types.input.meta.v1.LabelSelector;

/**
 * One team's place on the cluster:
 * - a Namespace enforcing the restricted Pod Security profile, labelled with the tenant's name and as
 *   a namespace whose HTTPRoutes the shared Gateway's HTTPS listener admits;
 * - a ResourceQuota (CPU, memory, pods from settings; no LoadBalancer or NodePort Services, so the
 *   shared Gateway is the only way in from outside) and a LimitRange giving containers that set no
 *   resources the defaults the quota needs;
 * - default-deny NetworkPolicies, DNS for every pod, ingress from the Gateway's Envoy proxies only,
 *   the LLM gateway's proxies on the tenant's own listener for pods labelled as LLM clients (with a
 *   ConfigMap `llm-gateway` holding that listener's LLM_BASE_URL), and the node-local
 *   workload-identity endpoints where the cloud has them;
 * - the `edit` ClusterRole for the tenant's principal in this namespace alone (through the subjects
 *   the foundation maps the principal to), plus a Role for HTTPRoutes, which `edit` does not cover;
 * - ValidatingAdmissionPolicies (and bindings): the tenant's principal may not update or delete the
 *   NetworkPolicies the platform declared here (`edit` would allow it), and an HTTPRoute here attaches
 *   only to the shared Gateway's HTTPS listener and matches only paths under `/<tenant>`.
 */
export class Tenant extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;

    constructor(name: string, args: TenantArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:Tenant", name, {}, opts);
        const { settings, foundation, tenant } = args;
        const labels = { ...objectLabels(settings), [kubernetesNames.tenantLabel]: tenant.name };

        const namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: tenant.name,
                    labels: { ...labels, name: tenant.name, [kubernetesNames.edgeRoutesLabel]: "true", ...podSecurityLabels("restricted", settings.cluster.kubernetesVersion) },
                },
            },
            kubernetesOptions(this, foundation),
        );
        const inNamespace = (dependsOn: pulumi.Resource[] = []) => kubernetesOptions(this, foundation, [namespace, ...dependsOn]);
        const metadata = (objectName: string) => ({ name: objectName, namespace: namespace.metadata.name, labels });

        const { cpu, memory, pods } = tenant.quota;
        new k8s.core.v1.ResourceQuota(
            `${name}-quota`,
            {
                metadata: metadata(tenantObjectNames.quota),
                spec: {
                    hard: {
                        "requests.cpu": cpu,
                        "limits.cpu": cpu,
                        "requests.memory": memory,
                        "limits.memory": memory,
                        pods: String(pods),
                        // The shared Gateway is the only public entry; a Service of its own would bypass the edge's TLS and limits.
                        "services.loadbalancers": "0",
                        "services.nodeports": "0",
                    },
                },
            },
            inNamespace(),
        );
        new k8s.core.v1.LimitRange(
            `${name}-limits`,
            {
                metadata: metadata(tenantObjectNames.limits),
                spec: { limits: [{ type: "Container", defaultRequest: { ...tenantContainerDefaults.requests }, default: { ...tenantContainerDefaults.limits } }] },
            },
            inNamespace(),
        );

        const policy = (policyName: string, podSelector: Selector, spec: { ingress?: Rule[]; egress?: Rule[] }, policyTypes: string[]) =>
            new k8s.networking.v1.NetworkPolicy(`${name}-${policyName}`, { metadata: metadata(policyName), spec: { podSelector, policyTypes, ...spec } }, inNamespace());
        policy(tenantObjectNames.defaultDeny, {}, {}, ["Ingress", "Egress"]);
        policy(tenantObjectNames.dns, {}, { egress: [dnsEgress] }, ["Egress"]);
        // Only the pods a team marks as LLM clients, to the platform's LLM gateway (which holds the provider
        // keys); no HTTPS to the internet.
        // keys) on the tenant's own listener, which names the tenant as the caller its budget is charged to.
        const llm = llmCallers(settings).find((c) => c.caller === tenant.name)!;
        policy(tenantObjectNames.llmGateway, { matchLabels: { [kubernetesNames.llmClientLabel]: "true" } }, { egress: [{ to: [llmGatewayProxyPeer], ports: [tcp(llm.proxyPort)] }] }, ["Egress"]);
        new k8s.core.v1.ConfigMap(`${name}-llm-config`, { metadata: metadata(tenantObjectNames.llmConfig), data: { LLM_BASE_URL: llmGatewayBaseUrl(llm.port) } }, inNamespace());
        // Only the pods a team marks as edge backends, on the ports it declared.
        policy(tenantObjectNames.fromEdge, { matchLabels: { [kubernetesNames.edgeBackendLabel]: "true" } }, { ingress: [{ from: [gatewayProxyPeer], ports: tenant.ports.map(tcp) }] }, ["Ingress"]);
        const workloadIdentity: Rule[] = foundation.network.workloadIdentityEgress.map(({ cidr, ports }) => ({ to: [{ ipBlock: { cidr } }], ports: ports.map(tcp) }));
        // Only the pods a team marks as using their cloud identity.
        if (workloadIdentity.length > 0) policy(tenantObjectNames.workloadIdentity, { matchLabels: { [kubernetesNames.cloudIdentityLabel]: "true" } }, { egress: workloadIdentity }, ["Egress"]);

        const subjects = foundation.tenantAccess.subjects(tenant);
        const access = inNamespace(foundation.tenantAccess.dependsOn);
        new k8s.rbac.v1.RoleBinding(
            `${name}-edit`,
            { metadata: metadata(tenantObjectNames.edit), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" }, subjects },
            access,
        );
        const routesRole = new k8s.rbac.v1.Role(
            `${name}-routes-role`,
            {
                metadata: metadata(tenantObjectNames.routesRole),
                rules: [{ apiGroups: [gatewayApiGroup], resources: ["httproutes"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] }],
            },
            inNamespace(),
        );
        new k8s.rbac.v1.RoleBinding(
            `${name}-routes`,
            { metadata: metadata(tenantObjectNames.routesRole), roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: tenantObjectNames.routesRole }, subjects },
            kubernetesOptions(this, foundation, [namespace, routesRole, ...foundation.tenantAccess.dependsOn]),
        );

        // `edit` lets the tenant delete or rewrite NetworkPolicies, including the fence above: an admission
        // policy refuses the tenant's own principal any change to the objects the platform labelled as its.
        const byTenant = subjects.map((s) => (s.kind === "Group" ? `${JSON.stringify(s.name)} in request.userInfo.groups` : `request.userInfo.username == ${JSON.stringify(s.name)}`)).join(" || ");
        const admission = (role: string, objectName: string, spec: k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicySpec) => {
            const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
                `${name}-${role}-policy`,
                { metadata: { name: objectName, labels }, spec: { failurePolicy: "Fail", ...spec } },
                kubernetesOptions(this, foundation),
            );
            new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
                `${name}-${role}-binding`,
                { metadata: { name: objectName, labels }, spec: { policyName: objectName, validationActions: ["Deny"] } },
                kubernetesOptions(this, foundation, [policy]),
            );
        };
        const inThisNamespace = { matchLabels: { [kubernetesNames.tenantLabel]: tenant.name } };
        admission("fence", `tenant-fence-${tenant.name}`, {
            matchConstraints: {
                namespaceSelector: inThisNamespace,
                resourceRules: [{ apiGroups: ["networking.k8s.io"], apiVersions: ["v1"], operations: ["UPDATE", "DELETE"], resources: ["networkpolicies"] }],
            },
            matchConditions: [{ name: "requested-by-the-tenant", expression: byTenant }],
            validations: [
                {
                    expression: `!has(oldObject.metadata.labels) || !(${JSON.stringify(kubernetesNames.tenantLabel)} in oldObject.metadata.labels)`,
                    message: `NetworkPolicies labelled ${kubernetesNames.tenantLabel} are the platform's fence around this namespace; add your own policies instead`,
                    reason: "Forbidden",
                },
            ],
        });

        // The tenants share the API's hostname: a route of theirs may only attach to the shared HTTPS
        // listener and only match paths under /<tenant>, so it can never take over the API's paths
        // (a longer path prefix wins across routes on one listener).
        const gateway = kubernetesNames.gateway;
        const prefix = `/${tenant.name}`;
        admission("routes", `tenant-routes-${tenant.name}`, {
            matchConstraints: {
                namespaceSelector: inThisNamespace,
                resourceRules: [{ apiGroups: [gatewayApiGroup], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ["httproutes"] }],
            },
            validations: [
                {
                    expression:
                        `has(object.spec.parentRefs) && object.spec.parentRefs.size() > 0 && object.spec.parentRefs.all(p, p.name == ${JSON.stringify(gateway.gatewayName)} && ` +
                        `has(p.namespace) && p.namespace == ${JSON.stringify(kubernetesNames.appNamespace)} && has(p.sectionName) && p.sectionName == ${JSON.stringify(gateway.httpsListener)} && ` +
                        `(!has(p.kind) || p.kind == "Gateway") && (!has(p.group) || p.group == ${JSON.stringify(gatewayApiGroup)}) && !has(p.port))`,
                    message: `attach HTTPRoutes to Gateway ${kubernetesNames.appNamespace}/${gateway.gatewayName}, sectionName ${gateway.httpsListener}, and nothing else`,
                    reason: "Forbidden",
                },
                {
                    expression:
                        `has(object.spec.rules) && object.spec.rules.all(r, has(r.matches) && r.matches.size() > 0 && r.matches.all(m, has(m.path) && has(m.path.value) && ` +
                        `(!has(m.path.type) || m.path.type != "RegularExpression") && (m.path.value == ${JSON.stringify(prefix)} || m.path.value.startsWith(${JSON.stringify(`${prefix}/`)}))))`,
                    message: `match only Exact or PathPrefix paths under ${prefix}/ (the rest of the host is the API's)`,
                    reason: "Forbidden",
                },
            ],
        });

        this.namespace = namespace.metadata.name;
        this.registerOutputs({ namespace: this.namespace });
    }
}
