import * as k8s from "@pulumi/kubernetes";
import type { EvaluatedResource } from "../../../policy/evaluate";
import { evaluatePolicies } from "../../../policy/evaluate";
import { withTenants } from "../../tenants/fixtures";
import { combinations, runWorkloads } from "../../workloads/run";
import { k8sBaseline, k8sLabels } from "../fixtures";
import { describeViolations, evaluate, mutate, provider, res, summary, unknownInput, type ViolationCase } from "../helpers";

const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const tenantLabels = { ...k8sLabels, "ai-platform/tenant": "team-a" };
const psa = { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted" };
const sharedHttps = { group: "gateway.networking.k8s.io", kind: "Gateway", name: "agent-edge", namespace: "ai-agents", sectionName: "https" };

/** The platform's baseline plus one tenant as the Tenant component declares it, and a route a team declares into it. */
function withTenant(): EvaluatedResource[] {
    return [
        ...k8sBaseline(),
        res(k8s.core.v1.Namespace, "tenant-ns", { metadata: { name: "team-a", labels: { ...tenantLabels, ...psa } } }),
        res(k8s.core.v1.ResourceQuota, "tenant-quota", {
            metadata: { name: "tenant-quota", namespace: "team-a", labels: tenantLabels },
            spec: { hard: { "requests.cpu": "4", "limits.cpu": "4", "requests.memory": "8Gi", "limits.memory": "8Gi", pods: "20" } },
        }),
        res(k8s.networking.v1.NetworkPolicy, "tenant-deny", {
            metadata: { name: "default-deny-all", namespace: "team-a", labels: tenantLabels },
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        }),
        res(k8s.networking.v1.NetworkPolicy, "tenant-dns", {
            metadata: { name: "allow-dns", namespace: "team-a", labels: tenantLabels },
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }], ports: [{ protocol: "UDP", port: 53 }] }],
            },
        }),
        tenantRoute({ parentRefs: [sharedHttps] }),
    ];
}
function tenantRoute(spec: Record<string, unknown>, namespace: string | undefined = "team-a", options: { provider?: EvaluatedResource } = {}): EvaluatedResource {
    return res(
        k8s.apiextensions.CustomResource,
        "team-route",
        {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: { name: "team-service", ...(namespace ? { namespace } : {}), labels: tenantLabels },
            spec: { rules: [{ matches: [{ path: { type: "PathPrefix", value: "/team-a" } }], backendRefs: [{ name: "team-service", port: 80 }], timeouts: { request: "30s" } }], ...spec },
        } as any,
        { type: ROUTE, ...options },
    );
}
const route = (change: (spec: any) => void) => mutate(withTenant(), "team-route", (i) => change(i.spec), ROUTE);
const drop = (name: string) => withTenant().filter((r) => r.name !== name);

const cases: ViolationCase[] = [
    { policy: "k8s-tenant-namespace-isolation", what: "a tenant namespace without a quota", resources: () => drop("tenant-quota") },
    { policy: "k8s-tenant-namespace-isolation", what: "a quota that does not cap pods", resources: () => mutate(withTenant(), "tenant-quota", (i) => delete i.spec.hard.pods) },
    { policy: "k8s-tenant-namespace-isolation", what: "a quota in another namespace", resources: () => mutate(withTenant(), "tenant-quota", (i) => (i.metadata.namespace = "team-b")) },
    { policy: "k8s-tenant-namespace-isolation", what: "a tenant namespace without default deny", resources: () => drop("tenant-deny") },
    { policy: "k8s-tenant-namespace-isolation", what: "a 'default deny' that only covers ingress", resources: () => mutate(withTenant(), "tenant-deny", (i) => (i.spec.policyTypes = ["Ingress"])) },
    {
        policy: "k8s-tenant-namespace-isolation",
        what: "a 'default deny' that admits traffic",
        resources: () => mutate(withTenant(), "tenant-deny", (i) => (i.spec.ingress = [{}])),
        also: ["k8s-network-policy-scope"],
    },
    {
        policy: "k8s-tenant-namespace-isolation",
        what: "a 'default deny' for some pods only",
        resources: () => mutate(withTenant(), "tenant-deny", (i) => (i.spec.podSelector = { matchLabels: { app: "x" } })),
    },
    {
        policy: "k8s-tenant-routes-shared-gateway",
        what: "a tenant route on the HTTP listener",
        resources: () => route((s) => (s.parentRefs[0].sectionName = "http")),
        also: ["k8s-gateway-routes-https"],
    },
    {
        policy: "k8s-tenant-routes-shared-gateway",
        what: "a tenant route on every listener (no sectionName)",
        resources: () => route((s) => delete s.parentRefs[0].sectionName),
        also: ["k8s-gateway-routes-https"],
    },
    { policy: "k8s-tenant-routes-shared-gateway", what: "a tenant route on a Gateway of its own", resources: () => route((s) => (s.parentRefs = [{ name: "team-gateway" }])) },
    { policy: "k8s-tenant-routes-shared-gateway", what: "a tenant route on another namespace's Gateway of the same name", resources: () => route((s) => (s.parentRefs[0].namespace = "team-b")) },
    { policy: "k8s-tenant-routes-shared-gateway", what: "a tenant route attached to a Service (mesh)", resources: () => route((s) => (s.parentRefs = [{ group: "", kind: "Service", name: "x" }])) },
    { policy: "k8s-tenant-routes-shared-gateway", what: "a tenant route by another port", resources: () => route((s) => (s.parentRefs[0].port = 80)) },
    { policy: "k8s-tenant-routes-shared-gateway", what: "a tenant route with no parent", resources: () => route((s) => (s.parentRefs = [])) },
    {
        policy: "k8s-tenant-routes-shared-gateway",
        what: "a tenant route whose namespace comes from its provider",
        resources: () => [
            ...drop("team-route"),
            provider("kubernetes", "team", { namespace: "team-a" }),
            tenantRoute({ parentRefs: [{ ...sharedHttps, sectionName: "http" }] }, undefined, { provider: provider("kubernetes", "team", { namespace: "team-a" }) }),
        ],
        also: ["k8s-gateway-routes-https"],
    },
    { policy: "k8s-tenant-routes-shared-gateway", what: "a tenant route on the API's paths", resources: () => route((s) => (s.rules[0].matches[0].path.value = "/v1")) },
    { policy: "k8s-tenant-routes-shared-gateway", what: "a tenant route on a look-alike prefix", resources: () => route((s) => (s.rules[0].matches[0].path.value = "/team-ab")) },
    {
        policy: "k8s-tenant-routes-shared-gateway",
        what: "a tenant route with a regular expression",
        resources: () => route((s) => (s.rules[0].matches[0].path = { type: "RegularExpression", value: "/team-a/.*" })),
    },
    { policy: "k8s-tenant-routes-shared-gateway", what: "a tenant rule without matches (the whole host)", resources: () => route((s) => delete s.rules[0].matches) },
];

describeViolations("tenant policies flag what they must", cases);

describe("tenant policies accept the compliant variants", () => {
    it("a fenced tenant with a route on the shared HTTPS listener, in both environments", async () => {
        expect(summary(await evaluate(withTenant()))).toEqual([]);
        expect(summary(await evaluate(withTenant(), "staging"))).toEqual([]);
    });
    it("a route with the defaults spelled out (port 443) or left out (group, kind); the platform's own routes are not tenants'", async () => {
        expect(summary(await evaluate(route((s) => (s.parentRefs = [{ name: "agent-edge", namespace: "ai-agents", sectionName: "https", port: 443 }]))))).toEqual([]);
    });
    it("deeper and exact paths under /<namespace>", async () => {
        expect(summary(await evaluate(route((s) => (s.rules[0].matches = [{ path: { type: "Exact", value: "/team-a" } }, { path: { type: "PathPrefix", value: "/team-a/v2" } }]))))).toEqual([]);
    });
    it("a namespace without the tenant label is not judged", async () => {
        expect(summary(await evaluate(mutate(drop("tenant-quota"), "tenant-ns", (i) => delete i.metadata.labels["ai-platform/tenant"])))).toEqual([]);
    });
    it("unknown values during preview raise nothing", async () => {
        expect(summary(await evaluate(route((s) => (s.parentRefs = unknownInput))))).toEqual([]);
        expect(summary(await evaluate(mutate(withTenant(), "tenant-quota", (i) => (i.spec.hard = unknownInput))))).toEqual([]);
    });
});

test.each(combinations)("the real program with two tenants passes the pack (%s / %s)", async (stack, cloud) => {
    const run = await runWorkloads(stack, cloud, withTenants(cloud));
    const violations = await evaluatePolicies(run.resources, { environment: stack });
    expect(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy}: ${v.message}`)).toEqual([]);
});
