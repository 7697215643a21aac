import type { PolicyResource } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "../../lib/define";
import { label } from "../../lib/stack";
import { at, knownItems, show, UNKNOWN } from "../../lib/values";

/**
 * Tenants (docs/tenants.md): other teams' namespaces on the platform's cluster. A tenant namespace
 * (labelled `ai-platform/tenant`) is fenced by a quota and a default-deny NetworkPolicy, and a route
 * outside the platform's own namespace may only use the shared Gateway's HTTPS listener.
 */

const tenantLabel = "ai-platform/tenant";
const namespaceType = "kubernetes:core/v1:Namespace";
const quotaType = "kubernetes:core/v1:ResourceQuota";
const networkPolicyType = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const httpRouteType = /^kubernetes:gateway\.networking\.k8s\.io\/v1(beta1)?:HTTPRoute$/;

/** The object's namespace, else its provider's default, else "default" (as the provider applies them). */
function namespaceOf(r: { props: unknown; provider?: { props: unknown } }): string | typeof UNKNOWN {
    const own = at(r.props, "metadata", "namespace");
    if (own === UNKNOWN) return UNKNOWN;
    if (typeof own === "string" && own !== "") return own;
    const fromProvider = r.provider ? at(r.provider.props, "namespace") : undefined;
    if (fromProvider === UNKNOWN) return UNKNOWN;
    return typeof fromProvider === "string" && fromProvider !== "" ? fromProvider : "default";
}

/** A quota bounds the namespace when it caps CPU, memory and the number of pods. */
function boundsNamespace(quota: PolicyResource): boolean | typeof UNKNOWN {
    const hard = at(quota.props, "spec", "hard");
    if (hard === UNKNOWN) return UNKNOWN;
    if (typeof hard !== "object" || hard === null) return false;
    const limits = hard as Record<string, unknown>;
    const has = (...keys: string[]) => keys.some((k) => limits[k] !== undefined && limits[k] !== null);
    return has("requests.cpu", "cpu", "limits.cpu") && has("requests.memory", "memory", "limits.memory") && has("pods", "count/pods");
}

/** A default deny: every pod, both directions, no rule that admits anything. */
function deniesByDefault(policy: PolicyResource): boolean | typeof UNKNOWN {
    const spec = at(policy.props, "spec") as { policyTypes?: string[]; ingress?: unknown[]; egress?: unknown[] } | typeof UNKNOWN | undefined;
    if (spec === UNKNOWN) return UNKNOWN;
    const selector = at(spec, "podSelector");
    if (selector === UNKNOWN) return UNKNOWN;
    const everyPod =
        selector !== undefined &&
        selector !== null &&
        Object.values(selector).every((v) => v === undefined || (Array.isArray(v) ? v.length === 0 : typeof v === "object" && v !== null && Object.keys(v).length === 0));
    const types = knownItems<string>(() => spec?.policyTypes);
    const ingress = knownItems(() => spec?.ingress);
    const egress = knownItems(() => spec?.egress);
    if (types.unknown || ingress.unknown || egress.unknown) return UNKNOWN;
    return everyPod && types.items.includes("Ingress") && types.items.includes("Egress") && ingress.items.length === 0 && egress.items.length === 0;
}

export const tenantNamespaceIsolation = stackPolicy({
    name: "k8s-tenant-namespace-isolation",
    description: "Every tenant namespace has a ResourceQuota and a default-deny NetworkPolicy.",
    severity: "high",
    category: "security",
    resources: "Namespace labelled `ai-platform/tenant` + ResourceQuota + NetworkPolicy",
    checks: "For each Namespace with the `ai-platform/tenant` label, a ResourceQuota in it caps CPU, memory and pods, and a NetworkPolicy in it selects every pod (`podSelector: {}`) for Ingress and Egress with no rules.",
    seed: "000 Security › least privilege, network isolation; 001 Kubernetes › resource limits, NetworkPolicies",
    remediation:
        "Declare tenants through the `ai-platform:tenants` setting (the Tenant component creates the quota and the default-deny policy), or add a ResourceQuota with cpu, memory and pods and a NetworkPolicy `{ podSelector: {}, policyTypes: [Ingress, Egress] }` to the namespace.",
    validateStack: (args, report) => {
        for (const ns of args.resources.filter((r) => r.type === namespaceType)) {
            const labels = at(ns.props, "metadata", "labels");
            const name = at(ns.props, "metadata", "name");
            if (labels === UNKNOWN || typeof labels !== "object" || labels === null || !(tenantLabel in labels) || typeof name !== "string") continue;
            const inside = (type: string) => args.resources.filter((r) => r.type === type && namespaceOf(r) === name);
            const quotas = inside(quotaType).map(boundsNamespace);
            if (!quotas.includes(UNKNOWN) && !quotas.includes(true)) report(`${label(ns)} (tenant ${show(labels[tenantLabel])}) has no ResourceQuota capping CPU, memory and pods.`, ns.urn);
            const policies = inside(networkPolicyType).map(deniesByDefault);
            if (!policies.includes(UNKNOWN) && !policies.includes(true))
                report(`${label(ns)} (tenant ${show(labels[tenantLabel])}) has no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules).`, ns.urn);
        }
    },
});

type ParentRef = { group?: string; kind?: string; name?: string; namespace?: string; sectionName?: string; port?: number };
interface SharedGateway {
    appNamespace: string;
    gatewayName: string;
    gatewayNamespace: string;
    listener: string;
    listenerPort: number;
}

export const tenantRoutes = resourcePolicy({
    name: "k8s-tenant-routes-shared-gateway",
    description: "HTTPRoutes outside the platform's own namespace (the tenants') attach only to the shared Gateway's HTTPS listener, under /<namespace>.",
    severity: "high",
    category: "security",
    resources: "HTTPRoute (gateway.networking.k8s.io/v1)",
    checks: "An HTTPRoute in any namespace but `appNamespace` has parentRefs, and each names the Gateway `gatewayName` in `gatewayNamespace` with `sectionName` `listener` (no other kind, Gateway, listener or port); every rule matches only Exact or PathPrefix paths under `/<namespace>`.",
    seed: "000 Security › SSL certificates installed; least privilege at the edge",
    remediation:
        "Attach the route with the consumer module's gatewayParentRef(platform): { group: gateway.networking.k8s.io, kind: Gateway, name: <gateway.name>, namespace: <gateway.namespace>, sectionName: <gateway.httpsListener> } from the platform's `gateway` output.",
    configSchema: {
        properties: {
            appNamespace: { type: "string", default: "ai-agents" },
            gatewayName: { type: "string", default: "agent-edge" },
            gatewayNamespace: { type: "string", default: "ai-agents" },
            listener: { type: "string", default: "https" },
            listenerPort: { type: "number", default: 443 },
        },
    },
    validateResource: (args, report) => {
        if (!httpRouteType.test(args.type)) return;
        const shared = args.getConfig<SharedGateway>();
        const namespace = namespaceOf(args);
        if (namespace === UNKNOWN || namespace === shared.appNamespace) return;
        const parents = knownItems<ParentRef>(() => (at(args.props, "spec") as { parentRefs?: ParentRef[] } | undefined)?.parentRefs);
        if (parents.unknown) return;
        const what = `HTTPRoute "${args.name}" in tenant namespace ${show(namespace)}`;
        if (parents.items.length === 0) report(`${what} names no parent; it must attach to Gateway ${shared.gatewayNamespace}/${shared.gatewayName}, listener ${shared.listener}.`);
        for (const parent of parents.items) {
            const fields = ["group", "kind", "name", "namespace", "sectionName", "port"].map((k) => at(parent, k));
            if (fields.includes(UNKNOWN)) continue;
            const [group, kind, name, parentNamespace, sectionName, port] = fields;
            const ok =
                (group ?? "gateway.networking.k8s.io") === "gateway.networking.k8s.io" &&
                (kind ?? "Gateway") === "Gateway" &&
                name === shared.gatewayName &&
                (parentNamespace ?? namespace) === shared.gatewayNamespace &&
                sectionName === shared.listener &&
                (port === undefined || port === shared.listenerPort);
            if (!ok) {
                report(
                    `${what} attaches to ${show(kind ?? "Gateway")} ${show(`${parentNamespace ?? namespace}/${name}`)} listener ${show(sectionName ?? "(all)")}${port !== undefined ? ` port ${show(port)}` : ""}; tenants may only use Gateway ${shared.gatewayNamespace}/${shared.gatewayName}, listener ${shared.listener}.`,
                );
            }
        }
        // The tenants share the API's hostname: a path outside /<namespace> could take the API's traffic
        // (admission refuses it too; this says so at preview).
        const rules = knownItems<{ matches?: { path?: { type?: string; value?: string } }[] }>(
            () => (at(args.props, "spec") as { rules?: { matches?: { path?: { type?: string; value?: string } }[] }[] } | undefined)?.rules,
        );
        if (rules.unknown) return;
        const prefix = `/${namespace}`;
        rules.items.forEach((rule, i) => {
            const matches = knownItems<{ path?: { type?: string; value?: string } }>(() => rule.matches);
            if (matches.unknown) return;
            if (matches.items.length === 0) report(`${what} rule ${i} has no matches, so it matches the whole host; match paths under ${prefix}/.`);
            for (const m of matches.items) {
                const [type, value] = [at(m, "path", "type"), at(m, "path", "value")];
                if (type === UNKNOWN || value === UNKNOWN) continue;
                const under = typeof value === "string" && (value === prefix || value.startsWith(`${prefix}/`));
                if (type === "RegularExpression" || !under)
                    report(`${what} rule ${i} matches ${show(type ?? "PathPrefix")} ${show(value ?? "/")}; tenants match only Exact or PathPrefix paths under ${prefix}/.`);
            }
        });
    },
});
