import * as k8s from "@pulumi/kubernetes";
import { evaluatePolicies, type EvaluatedResource } from "../../../policy/evaluate";
import { reachesInternet } from "../../../policy/lib/network";
import { isProviderKeyName, looksLikeProviderKey } from "../../../policy/rules/kubernetes/llmGateway";
import { withTenants } from "../../tenants/fixtures";
import { combinations, runWorkloads } from "../../workloads/run";
import { k8sBaseline, k8sLabels } from "../fixtures";
import { describeViolations, evaluate, mutate, res, summary } from "../helpers";

const POLICY = "k8s-provider-keys-in-gateway";
const providers = ["OPENAI", "ANTHROPIC", "GEMINI", "GOOGLEAI", "COHERE", "MISTRAL"];

function secret(name: string, namespace: string, stringData: Record<string, string>): EvaluatedResource {
    return res(k8s.core.v1.Secret, name, { metadata: { name, namespace, labels: k8sLabels }, type: "Opaque", stringData });
}
/** The API Deployment with one more env entry. */
function apiWithEnv(env: Record<string, unknown>): EvaluatedResource[] {
    return mutate(k8sBaseline(), "api", (inputs) => inputs.spec.template.spec.containers[0].env.push(env), "kubernetes:apps/v1:Deployment");
}

describe("provider key names and values", () => {
    test.each([
        ["OPENAI_API_KEY", true],
        ["anthropicApiKey", true],
        ["GEMINI_KEY", true],
        ["GOOGLEAI_API_TOKEN", true],
        ["mistral-api-key", true],
        ["OPENAI_BASE_URL", false],
        ["DATABASE_URL", false],
        ["SLACK_TOKEN", false],
        ["apiKey", false],
    ])("%s is a provider key name: %s", (name, expected) => {
        expect(isProviderKeyName(name, providers)).toBe(expected);
    });
    test("keys are recognised by shape", () => {
        expect(looksLikeProviderKey("sk-ant-" + "a".repeat(40))).toBe(true);
        expect(looksLikeProviderKey("sk-proj-" + "b".repeat(40))).toBe(true);
        expect(looksLikeProviderKey("AIza" + "c".repeat(35))).toBe(true);
        expect(looksLikeProviderKey("postgres://x")).toBe(false);
    });
});

describeViolations("provider keys outside the LLM gateway", [
    { policy: "k8s-provider-keys-in-gateway", what: "a Secret in the app namespace with OPENAI_API_KEY", resources: () => [...k8sBaseline(), secret("leak", "ai-agents", { OPENAI_API_KEY: "x" })] },
    { policy: POLICY, what: "a Secret in a team's namespace with a camelCase name", resources: () => [...k8sBaseline(), secret("leak", "team-a", { anthropicApiKey: "x" })] },
    { policy: POLICY, what: "a Secret whose value is shaped like a key, under any name", resources: () => [...k8sBaseline(), secret("leak", "ai-agents", { LLM: "sk-ant-" + "a".repeat(40) })] },
    {
        policy: POLICY,
        what: "a pod reading a provider key from a Secret",
        resources: () => apiWithEnv({ name: "ANTHROPIC_API_KEY", valueFrom: { secretKeyRef: { name: "agent-secrets", key: "anthropicApiKey" } } }),
    },
    {
        policy: POLICY,
        what: "a pod taking a Secret's provider key under another name",
        resources: () => apiWithEnv({ name: "LLM_CREDENTIAL_REF", valueFrom: { secretKeyRef: { name: "keys", key: "GEMINI_API_KEY" } } }),
    },
]);

function backend(spec: Record<string, unknown>): EvaluatedResource[] {
    return [
        ...k8sBaseline(),
        res(
            k8s.apiextensions.CustomResource,
            "openai-backend",
            {
                apiVersion: "gateway.envoyproxy.io/v1alpha1",
                kind: "Backend",
                metadata: { name: "openai", namespace: "llm-gateway", labels: k8sLabels },
                spec: { endpoints: [{ fqdn: { hostname: "api.openai.com", port: 443 } }], ...spec },
            } as never,
            { type: "kubernetes:gateway.envoyproxy.io/v1alpha1:Backend" },
        ),
    ];
}

describeViolations("workloads reaching the internet around the LLM gateway", [
    {
        policy: "k8s-internet-egress-through-llm-gateway",
        what: "the worker with HTTPS to a provider's public range",
        resources: () => [
            ...k8sBaseline(),
            res(k8s.networking.v1.NetworkPolicy, "worker-out", {
                metadata: { name: "worker-out", namespace: "ai-agents", labels: k8sLabels },
                spec: {
                    podSelector: { matchLabels: { "app.kubernetes.io/component": "worker" } },
                    policyTypes: ["Egress"],
                    egress: [{ to: [{ ipBlock: { cidr: "162.159.140.0/24" } }], ports: [{ protocol: "TCP", port: 443 }] }],
                },
            }),
        ],
    },
]);

describeViolations("LLM provider backends", [
    { policy: "k8s-external-backend-tls", what: "no TLS to a provider", resources: () => backend({}) },
    { policy: "k8s-external-backend-tls", what: "TLS without verification", resources: () => backend({ tls: { sni: "api.openai.com", insecureSkipVerify: true } }) },
    { policy: "k8s-external-backend-tls", what: "TLS with no CA", resources: () => backend({ tls: { sni: "api.openai.com" } }) },
]);

describe("the LLM gateway's own keys", () => {
    test("a provider key Secret in the gateway's namespace is allowed, and the policy is mandatory on both stacks", async () => {
        const resources = [...k8sBaseline(), secret("openai-api-key", "llm-gateway", { apiKey: "sk-" + "a".repeat(40), OPENAI_API_KEY: "x" })];
        expect(summary(await evaluate(resources, "prod"))).toEqual([]);
        expect(summary(await evaluate(backend({ tls: { sni: "api.openai.com", wellKnownCACertificates: "System" } }), "prod"))).toEqual([]);
        const leaking = [...k8sBaseline(), secret("leak", "ai-agents", { OPENAI_API_KEY: "x" })];
        expect((await evaluate(leaking, "prod")).filter((v) => v.policy === POLICY).map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
        expect((await evaluate(leaking, "staging")).filter((v) => v.policy === POLICY).map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
    });
});

test.each(combinations)("the real program (%s / %s, with tenants) gives no provider key to anything outside the gateway", async (stack, cloud) => {
    const run = await runWorkloads(stack, cloud, withTenants(cloud));
    const violations = await evaluatePolicies(run.resources, { environment: stack });
    expect(violations.filter((v) => v.policy === POLICY)).toEqual([]);
});

describe("k8s-llm-caller-header: the budget key is the gateway's, never the client's", () => {
    let base: EvaluatedResource[];
    beforeAll(async () => {
        base = (await runWorkloads("prod", "aws", withTenants("aws"))).resources as EvaluatedResource[];
    });
    const ctp = (r: EvaluatedResource) => r.type === "kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy" && (r.inputs as any).metadata.namespace === "llm-gateway";
    const btp = (r: EvaluatedResource) => r.type === "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy" && (r.inputs as any).metadata.name === "llm-models";
    const redis = (r: EvaluatedResource) => r.type === "kubernetes:apps/v1:Deployment" && (r.inputs as any).metadata.name === "envoy-ratelimit-redis";
    /** The program's resources with one object rewritten (a deep copy; stack policies read the recorded state, so both are edited). */
    const edited = (pick: (r: EvaluatedResource) => boolean, edit: (inputs: any) => void) =>
        base.map((r) => {
            if (!pick(r)) return r;
            const copy = structuredClone(r) as EvaluatedResource & { state?: any };
            edit(copy.inputs);
            if (copy.state && Object.keys(copy.state).length > 0) edit(copy.state);
            return copy;
        });
    const violationsOf = async (policy: string, resources: EvaluatedResource[], environment: "staging" | "prod" = "prod") =>
        (await evaluatePolicies(resources, { environment })).filter((v) => v.policy === policy);
    const withoutTeamA = () => base.filter((r) => !(ctp(r) && (r.inputs as any).metadata.name === "caller-team-a"));

    test("the program's gateway passes, with tenants; the rule is mandatory on both stacks", async () => {
        expect(base.filter(ctp)).toHaveLength(3);
        expect(await violationsOf("k8s-llm-caller-header", base)).toEqual([]);
        for (const environment of ["staging", "prod"] as const) {
            expect((await violationsOf("k8s-llm-caller-header", withoutTeamA(), environment)).map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
        }
        // The rate limiter's one Redis is a singleton k8s-min-replicas knows by name.
        expect(await violationsOf("k8s-min-replicas", base)).toEqual([]);
    });

    const cases: { policy: string; what: string; resources: () => EvaluatedResource[]; message: RegExp }[] = [
        { policy: "k8s-llm-caller-header", what: "a tenant's listener without its ClientTrafficPolicy", resources: withoutTeamA, message: /listener "tenant-team-a" has no ClientTrafficPolicy/ },
        {
            policy: "k8s-llm-caller-header",
            what: "a policy that adds the header beside the client's",
            resources: () =>
                edited(
                    (r) => ctp(r) && (r.inputs as any).metadata.name === "caller-team-b",
                    (i) => (i.spec.headers.earlyRequestHeaders = { add: i.spec.headers.earlyRequestHeaders.set }),
                ),
            message: /adds x-ai-platform-caller[\s\S]*listener "tenant-team-b" has no ClientTrafficPolicy/,
        },
        {
            policy: "k8s-llm-caller-header",
            what: "a budget keyed on a header the client sends",
            resources: () => edited(btp, (i) => (i.spec.rateLimit.global.rules[0].clientSelectors = [{ headers: [{ name: "x-tenant-id", type: "Distinct" }] }])),
            message: /rule 0 selects clients by something other than x-ai-platform-caller/,
        },
        {
            policy: "k8s-llm-caller-header",
            what: "a budget that also keys on the client's address",
            resources: () => edited(btp, (i) => (i.spec.rateLimit.global.rules[1].clientSelectors[0].sourceCIDR = { type: "Distinct", value: "0.0.0.0/0" })),
            message: /rule 1 selects clients/,
        },
        {
            policy: "k8s-llm-caller-header",
            what: "a rule with no client selector at all",
            resources: () => edited(btp, (i) => delete i.spec.rateLimit.global.rules[2].clientSelectors),
            message: /rule 2 selects clients/,
        },
        { policy: "k8s-min-replicas", what: "two rate-limit Redis pods (each would count half)", resources: () => edited(redis, (i) => (i.spec.replicas = 2)), message: /must run exactly 1/ },
        { policy: "k8s-min-replicas", what: "a single-pod Deployment under another name", resources: () => edited(redis, (i) => (i.metadata.name = "some-cache")), message: /at least 2 are required/ },
    ];
    test.each(cases.map((c) => [`${c.policy}: ${c.what}`, c] as const))("%s is refused", async (_what, c) => {
        const found = await violationsOf(c.policy, c.resources());
        expect(found.length).toBeGreaterThan(0);
        expect(found.map((v) => v.message).join("\n")).toMatch(c.message);
    });
});

describe("k8s-internet-egress-through-llm-gateway: only the gateway and the platform's add-ons reach the internet", () => {
    const EGRESS = "k8s-internet-egress-through-llm-gateway";
    function egressPolicy(namespace: string, podSelector: Record<string, unknown>, cidr: string, except?: string[]): EvaluatedResource {
        return res(k8s.networking.v1.NetworkPolicy, `egress-${namespace}`, {
            metadata: { name: "allow-https-out", namespace, labels: k8sLabels },
            spec: { podSelector, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr, except } }], ports: [{ protocol: "TCP", port: 443 }] }] },
        });
    }
    const api = { matchLabels: { "app.kubernetes.io/component": "api" } };

    test.each([
        ["0.0.0.0/0", true],
        ["::/0", true],
        ["8.8.8.0/24", true],
        ["0.0.0.0/1", true],
        ["10.0.0.0/16", false],
        ["172.16.0.0/12", false],
        ["100.64.0.0/10", false],
        ["169.254.169.254/32", false],
        ["fd00::/8", false],
        ["not a cidr", false],
    ])("%s reaches the internet: %s", (cidr, expected) => {
        expect(reachesInternet(cidr)).toBe(expected);
    });

    test("the API or a tenant's pods with HTTPS to the internet are refused, on both stacks; private ranges, the backup job and the platform's namespaces are not", async () => {
        for (const environment of ["prod", "staging"] as const) {
            const refused = [egressPolicy("ai-agents", api, "0.0.0.0/0", ["10.0.0.0/8"]), egressPolicy("team-a", { matchLabels: { app: "web" } }, "52.94.0.0/16")];
            const violations = (await evaluate([...k8sBaseline(), ...refused], environment)).filter((v) => v.policy === EGRESS);
            expect(violations.map((v) => [v.message.includes("ai-agents") || v.message.includes("team-a"), v.enforcementLevel])).toEqual([
                [true, "mandatory"],
                [true, "mandatory"],
            ]);
        }
        const allowed = [
            egressPolicy("ai-agents", api, "10.0.0.0/16"),
            egressPolicy("ai-agents", { matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["backup"] }] }, "0.0.0.0/0"),
            egressPolicy("envoy-gateway-system", { matchLabels: { "gateway.envoyproxy.io/owning-gateway-name": "llm-gateway" } }, "0.0.0.0/0"),
        ];
        expect((await evaluate([...k8sBaseline(), ...allowed], "prod")).filter((v) => v.policy === EGRESS)).toEqual([]);
        // Pinning the backup job together with another component does not exempt the other one.
        const mixed = egressPolicy("ai-agents", { matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["backup", "worker"] }] }, "0.0.0.0/0");
        expect((await evaluate([...k8sBaseline(), mixed], "prod")).filter((v) => v.policy === EGRESS)).toHaveLength(1);
    });

    test.each(combinations)("the real program (%s / %s, with tenants) gives no workload outside the platform internet egress", async (stack, cloud) => {
        const run = await runWorkloads(stack, cloud, withTenants(cloud));
        const violations = await evaluatePolicies(run.resources, { environment: stack });
        expect(violations.filter((v) => v.policy === EGRESS)).toEqual([]);
    });
});
