import { execFileSync } from "child_process";
import * as path from "path";
import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import { runProgram } from "../../tools/engine/harness";
import { environmentDefaults } from "../../stacks";
import { llmTenantPort } from "../../stacks/tenants";
import { byName, combinations, runWorkloads, workloadsConfig, type Cloud } from "./run";
import { twoTenants } from "../tenants/fixtures";

/**
 * The LLM budgets (issue 20, spend limits) as the real program declares them on both clouds and both
 * stacks, with two tenants (team-a on the default tenant budget, team-b with its own): one listener
 * per caller, a ClientTrafficPolicy per listener that sets the caller header, NetworkPolicies that admit
 * each namespace to its own listener only, the hourly budgets as a global rate limit, and the Redis
 * behind it. Names, ports and values are written out here, not read from the program.
 */

const EG = "kubernetes:gateway.envoyproxy.io/v1alpha1";
const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const header = "x-ai-platform-caller";
const teamBBudget = { tokensPerHour: 750_000, usdPerHour: 3.5 };
/** The ports team-a and team-b get (FNV-1a of the name into 20000–32767), as Envoy binds them too (above 1024, unshifted). */
const ports = { "team-a": 27702, "team-b": 27235 } as const;

const tenantsConfig = (cloud: Cloud) => ({ "ai-platform:tenants": [twoTenants[cloud][0], { ...twoTenants[cloud][1], llmBudget: teamBBudget }] });
const manifest = (r: RecordedResource) => JSON.parse(JSON.stringify({ apiVersion: r.inputs.apiVersion, kind: r.inputs.kind, metadata: r.inputs.metadata, spec: r.inputs.spec }));
function validateWithPackages(objects: unknown[]): { kind: string; name: string; error: string | null }[] {
    const out = execFileSync(process.execPath, [path.join(__dirname, "validateGatewayObjects.mjs")], { input: JSON.stringify(objects), cwd: path.join(__dirname, "../.."), encoding: "utf8" });
    return JSON.parse(out);
}
const policy = (run: ProgramRun, namespace: string, name: string) => run.ofType(POLICY).find((p) => p.inputs.metadata.namespace === namespace && p.inputs.metadata.name === name)!.inputs.spec;
const nsPeer = (ns: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });
const llmProxies = { "gateway.envoyproxy.io/owning-gateway-name": "llm-gateway", "gateway.envoyproxy.io/owning-gateway-namespace": "llm-gateway" };
const rateLimitPods = { "app.kubernetes.io/name": "envoy-ratelimit", "app.kubernetes.io/component": "ratelimit", "app.kubernetes.io/managed-by": "envoy-gateway" };
const redisPods = { "app.kubernetes.io/name": "envoy-ratelimit-redis", "app.kubernetes.io/component": "ratelimit-store" };

describe.each(combinations)("LLM budgets on %s / %s", (stack, cloud) => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runWorkloads(stack, cloud, tenantsConfig(cloud));
    });
    const defaults = environmentDefaults[stack].llmGateway;

    test("one listener per caller: the service on 80, each tenant on the port its name gives", () => {
        const gateway = byName(run, "kubernetes:gateway.networking.k8s.io/v1:Gateway", "llm-gateway").inputs.spec;
        expect(gateway.listeners.map((l: { name: string; port: number; protocol: string }) => [l.name, l.port, l.protocol])).toEqual([
            ["http", 80, "HTTP"],
            ["tenant-team-a", ports["team-a"], "HTTP"],
            ["tenant-team-b", ports["team-b"], "HTTP"],
        ]);
        // The route attaches to the Gateway, so to every listener.
        expect(byName(run, "kubernetes:aigateway.envoyproxy.io/v1beta1:AIGatewayRoute", "llm-models").inputs.spec.parentRefs).toEqual([
            { group: "gateway.networking.k8s.io", kind: "Gateway", name: "llm-gateway" },
        ]);
    });

    test("each listener sets the caller header itself, overwriting the client's (set, not add)", () => {
        const policies = run.ofType(`${EG}:ClientTrafficPolicy`).filter((p) => p.inputs.metadata.namespace === "llm-gateway");
        const bySection = Object.fromEntries(policies.map((p) => [p.inputs.spec.targetRefs[0].sectionName, p.inputs]));
        expect(Object.keys(bySection).sort()).toEqual(["http", "tenant-team-a", "tenant-team-b"]);
        for (const [section, caller] of [
            ["http", "ai-agents"],
            ["tenant-team-a", "team-a"],
            ["tenant-team-b", "team-b"],
        ]) {
            const p = bySection[section];
            expect(p.metadata.name).toBe(`caller-${caller}`);
            expect(p.spec.targetRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "llm-gateway", sectionName: section }]);
            expect(p.spec.headers).toEqual({ earlyRequestHeaders: { set: [{ name: header, value: caller }] } });
        }
    });

    test(`budgets per caller from settings (${stack}: service ${defaults.budget.tokensPerHour} tokens and $${defaults.budget.usdPerHour}/h), charged on the response from the AI gateway's metadata`, () => {
        const spec = byName(run, `${EG}:BackendTrafficPolicy`, "llm-models").inputs.spec;
        // One BackendTrafficPolicy per route (a second would be Conflicted): the retries stay beside the budgets.
        expect(spec.targetRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "llm-models" }]);
        expect(spec.retry.numRetries).toBe(defaults.retries);
        expect(spec.rateLimit.type).toBe("Global");
        const charged = (key: string) => ({ request: { from: "Number", number: 0 }, response: { from: "Metadata", metadata: { namespace: "io.envoy.ai_gateway", key } } });
        const rules = (caller: string, tokens: number, microUsd: number) => [
            { clientSelectors: [{ headers: [{ name: header, type: "Exact", value: caller }] }], limit: { requests: tokens, unit: "Hour" }, cost: charged("llm_total_token") },
            { clientSelectors: [{ headers: [{ name: header, type: "Exact", value: caller }] }], limit: { requests: microUsd, unit: "Hour" }, cost: charged("llm_cost_micro_usd") },
        ];
        const expected =
            stack === "prod"
                ? [...rules("ai-agents", 20_000_000, 100_000_000), ...rules("team-a", 2_000_000, 10_000_000), ...rules("team-b", 750_000, 3_500_000)]
                : [...rules("ai-agents", 2_000_000, 10_000_000), ...rules("team-a", 500_000, 2_000_000), ...rules("team-b", 750_000, 3_500_000)];
        expect(spec.rateLimit.global.rules.slice(0, -1)).toEqual(expected);
        // Anything without a known caller's name is refused outright.
        expect(spec.rateLimit.global.rules.at(-1)).toEqual({
            clientSelectors: [{ headers: [{ name: header, type: "RegularExpression", value: "^(ai-agents|team-a|team-b)$", invert: true }] }],
            limit: { requests: 0, unit: "Hour" },
        });
    });

    test("each namespace reaches only its own listener: the LLM gateway's proxies admit the service's pods on 10080 and each tenant's LLM clients on its port", () => {
        const callers = policy(run, "envoy-gateway-system", "allow-llm-gateway-callers");
        expect(callers.podSelector).toEqual({ matchLabels: llmProxies });
        expect(callers.ingress).toEqual([
            {
                from: [
                    {
                        ...nsPeer("ai-agents"),
                        podSelector: { matchLabels: { "app.kubernetes.io/name": "ai-agent" }, matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["api", "worker"] }] },
                    },
                ],
                ports: [{ protocol: "TCP", port: 10080 }],
            },
            { from: [{ ...nsPeer("team-a"), podSelector: { matchLabels: { "ai-platform/llm-client": "true" } } }], ports: [{ protocol: "TCP", port: ports["team-a"] }] },
            { from: [{ ...nsPeer("team-b"), podSelector: { matchLabels: { "ai-platform/llm-client": "true" } } }], ports: [{ protocol: "TCP", port: ports["team-b"] }] },
        ]);
        expect(callers.egress).toEqual([
            { to: [{ podSelector: { matchLabels: { "control-plane": "envoy-gateway" } } }], ports: [{ protocol: "TCP", port: 18000 }] },
            { to: [{ podSelector: { matchLabels: rateLimitPods } }], ports: [{ protocol: "TCP", port: 8081 }] },
        ]);
        for (const team of ["team-a", "team-b"] as const) {
            const egress = policy(run, team, "allow-llm-gateway").egress;
            expect(egress).toEqual([{ to: [{ ...nsPeer("envoy-gateway-system"), podSelector: { matchLabels: llmProxies } }], ports: [{ protocol: "TCP", port: ports[team] }] }]);
            const config = run.ofType("kubernetes:core/v1:ConfigMap").find((c) => c.inputs.metadata.namespace === team && c.inputs.metadata.name === "llm-gateway")!;
            expect(config.inputs.data).toEqual({ LLM_BASE_URL: `http://llm-gateway.envoy-gateway-system.svc.cluster.local:${ports[team]}/v1` });
        }
        // The service keeps the port-80 listener.
        expect(policy(run, "ai-agents", "allow-app-egress").egress).toContainEqual({
            to: [{ ...nsPeer("envoy-gateway-system"), podSelector: { matchLabels: llmProxies } }],
            ports: [{ protocol: "TCP", port: 10080 }],
        });
    });

    test("the rate limiter counts in a Redis of its own with AUTH, restricted, reachable from the rate limit service alone", () => {
        const values = run.ofType("kubernetes:helm.sh/v3:Release").find((r) => String(r.inputs.chart).endsWith("/gateway-helm"))!.inputs.values.config.envoyGateway;
        expect(values.rateLimit).toEqual({ backend: { type: "Redis", redis: { url: "envoy-ratelimit-redis.envoy-gateway-system.svc.cluster.local:6379" } }, failClosed: false });
        const rl = values.provider.kubernetes;
        expect(values.provider.type).toBe("Kubernetes");
        expect(rl.rateLimitDeployment.container.env).toEqual([{ name: "REDIS_AUTH", valueFrom: { secretKeyRef: { name: "envoy-ratelimit-redis", key: "password" } } }]);
        expect(rl.rateLimitDeployment.replicas).toBe(defaults.proxyReplicas);
        expect(rl.rateLimitPDB).toEqual(stack === "prod" ? { minAvailable: 1 } : undefined);

        const deployment = byName(run, "kubernetes:apps/v1:Deployment", "envoy-ratelimit-redis").inputs;
        expect(deployment.metadata.namespace).toBe("envoy-gateway-system");
        const pod = deployment.spec.template.spec;
        const [redis] = pod.containers;
        expect(redis.image).toBe("docker.io/library/redis:8.10.2-alpine");
        expect(redis.args.slice(0, 3)).toEqual(["redis-server", "--requirepass", "$(REDIS_PASSWORD)"]);
        expect(redis.env).toEqual([{ name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: "envoy-ratelimit-redis", key: "password" } } }]);
        expect(redis.resources).toEqual(defaults.rateLimitRedisResources);
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: "RuntimeDefault" } });
        expect(redis.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
        expect(deployment.spec.replicas).toBe(1);
        const secret = byName(run, "kubernetes:core/v1:Secret", "envoy-ratelimit-redis");
        expect(secret.inputs.metadata.namespace).toBe("envoy-gateway-system");
        expect(secret.secretPaths.some((p) => p.startsWith("stringData"))).toBe(true);
        // The first Global rule (which makes Envoy Gateway start the rate limit service) waits for the password and Redis.
        const budgets = byName(run, `${EG}:BackendTrafficPolicy`, "llm-models");
        expect(run.dependsOn(budgets, secret)).toBe(true);
        expect(run.dependsOn(budgets, byName(run, "kubernetes:core/v1:Service", "envoy-ratelimit-redis"))).toBe(true);
        expect(pod.serviceAccountName).toBe("envoy-ratelimit-redis");
        expect(pod.automountServiceAccountToken).toBe(false);

        expect(policy(run, "envoy-gateway-system", "allow-ratelimit-redis").ingress).toEqual([{ from: [{ podSelector: { matchLabels: rateLimitPods } }], ports: [{ protocol: "TCP", port: 6379 }] }]);
        const limiter = policy(run, "envoy-gateway-system", "allow-ratelimit");
        expect(limiter.ingress).toEqual([{ from: [{ podSelector: { matchLabels: llmProxies } }], ports: [{ protocol: "TCP", port: 8081 }] }]);
        expect(limiter.egress).toEqual([
            { to: [{ podSelector: { matchLabels: { "control-plane": "envoy-gateway" } } }], ports: [{ protocol: "TCP", port: 18001 }] },
            { to: [{ podSelector: { matchLabels: redisPods } }], ports: [{ protocol: "TCP", port: 6379 }] },
        ]);
        expect(policy(run, "envoy-gateway-system", "allow-controller").ingress).toContainEqual({ from: [{ podSelector: { matchLabels: rateLimitPods } }], ports: [{ protocol: "TCP", port: 18001 }] });
        // Not the service's cache: nothing in the app namespace talks to it.
        expect(run.ofType("kubernetes:apps/v1:Deployment").filter((d) => d.inputs.metadata.namespace === "ai-agents" && /redis/.test(d.inputs.metadata.name))).toEqual([]);
    });

    test("the budget objects validate with the published schema packages", () => {
        const objects = [
            ...run.ofType(`${EG}:ClientTrafficPolicy`).filter((p) => p.inputs.metadata.namespace === "llm-gateway"),
            byName(run, `${EG}:BackendTrafficPolicy`, "llm-models"),
            byName(run, "kubernetes:gateway.networking.k8s.io/v1:Gateway", "llm-gateway"),
            byName(run, "kubernetes:apps/v1:Deployment", "envoy-ratelimit-redis"),
            byName(run, "kubernetes:core/v1:Service", "envoy-ratelimit-redis"),
        ].map(manifest);
        const results = validateWithPackages(objects);
        expect(results.map((r) => r.kind).sort()).toEqual(["BackendTrafficPolicy", "ClientTrafficPolicy", "ClientTrafficPolicy", "ClientTrafficPolicy", "Deployment", "Gateway", "Service"]);
        expect(results.filter((r) => r.error !== null)).toEqual([]);
    });
});

describe("tenant ports", () => {
    test("come from the name alone: adding, removing or reordering tenants moves no one", () => {
        expect(llmTenantPort("team-a")).toBe(27702);
        expect(llmTenantPort("team-b")).toBe(27235);
        for (const n of ["a", "team-z", "x".repeat(63)]) expect(llmTenantPort(n)).toBeGreaterThanOrEqual(20000);
        for (const n of ["a", "team-z", "x".repeat(63)]) expect(llmTenantPort(n)).toBeLessThanOrEqual(32767);
    });

    test("a tenant alone, or listed second, keeps its listener port", async () => {
        const [a, b] = twoTenants.aws;
        const alone = await runWorkloads("staging", "aws", { "ai-platform:tenants": [b] });
        const reordered = await runWorkloads("staging", "aws", { "ai-platform:tenants": [b, a] });
        const portOf = (run: ProgramRun, listener: string) =>
            byName(run, "kubernetes:gateway.networking.k8s.io/v1:Gateway", "llm-gateway").inputs.spec.listeners.find((l: { name: string }) => l.name === listener).port;
        expect(portOf(alone, "tenant-team-b")).toBe(27235);
        expect(portOf(reordered, "tenant-team-b")).toBe(27235);
        expect(portOf(reordered, "tenant-team-a")).toBe(27702);
    });
});

describe("bad budget settings are refused before anything is declared", () => {
    const tenant = (name: string) => ({ ...twoTenants.aws[0], name, principal: `arn:aws:iam::123456789012:role/${name}` });
    test.each([
        ["two tenants whose names give one port", { "ai-platform:tenants": [tenant("team-19"), tenant("team-192")] }, /tenants\.1\.name[\s\S]*port 21005, as tenant team-19 does/],
        ["more tenants than the Gateway has listeners for", { "ai-platform:tenants": Array.from({ length: 64 }, (_, i) => tenant(`t${i}`)) }, /at most 63 tenants/],
        [
            "a USD budget the rate limiter cannot count in micro-USD",
            { "ai-platform:llmGateway.budget": { tokensPerHour: 1000, usdPerHour: 5000 } },
            /llmGateway\.budget\.usdPerHour[\s\S]*0\.000001 to 4294/,
        ],
        ["a tenant named like the LLM gateway's namespace, which holds the provider keys", { "ai-platform:tenants": [tenant("llm-gateway")] }, /tenants\.0\.name[\s\S]*platform's namespaces/],
        ["a tenant budget of zero tokens", { "ai-platform:tenants": [{ ...tenant("team-a"), llmBudget: { tokensPerHour: 0, usdPerHour: 1 } }] }, /tenants\.0\.llmBudget\.tokensPerHour/],
    ])("%s", async (_what, overrides, message) => {
        const error = await runProgram({ stack: "prod", config: workloadsConfig("aws", overrides) }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(error?.message).toMatch(message);
    });
});
