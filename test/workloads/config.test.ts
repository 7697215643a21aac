import { runProgram, type ProgramRun, type RecordedResource } from "../../tools/engine/harness";
import { environmentDefaults } from "../../stacks";
import { byName, combinations, kubernetesObjects, oneWorkloadObject, runWorkloads, workloadObjects, workloadObjectsOfType, workloadsConfig } from "./run";

/** The value at a dotted path of a recorded resource's inputs. */
function at(inputs: any, path: string): any {
    return path.split(".").reduce((node, part) => node?.[part], inputs);
}

/** Every string under a path that was a secret input, across the run. */
function secretStrings(run: ProgramRun): string[] {
    const out: string[] = [];
    const collect = (v: any) => {
        if (typeof v === "string") out.push(v);
        else if (v && typeof v === "object") Object.values(v).forEach(collect);
    };
    for (const r of run.resources) for (const p of r.secretPaths) collect(at(r.inputs, p));
    return out;
}

/** Every string of a resource's inputs that is not under one of its secret paths. */
function plainStrings(r: RecordedResource): string[] {
    const out: string[] = [];
    const walk = (v: any, path: string) => {
        if (r.secretPaths.some((p) => path === p || path.startsWith(`${p}.`))) return;
        if (typeof v === "string") out.push(v);
        else if (Array.isArray(v)) v.forEach((x, i) => walk(x, path ? `${path}.${i}` : String(i)));
        else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    };
    walk(r.inputs, "");
    return out;
}

describe.each(combinations)("namespace, config and identities on %s / %s", (stack, cloud) => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runWorkloads(stack, cloud);
    });
    const defaults = environmentDefaults[stack];

    test("the app namespace enforces, audits and warns on the restricted profile, version-pinned, and is selectable by name", () => {
        const ns = run.ofType("kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === "ai-agents")!;
        const version = `v${defaults.cluster.kubernetesVersion}`;
        expect(ns.inputs.metadata.labels).toEqual(
            expect.objectContaining({
                name: "ai-agents",
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/enforce-version": version,
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/audit-version": version,
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/warn-version": version,
                project: "ai-platform",
                environment: stack,
                "managed-by": "pulumi",
            }),
        );
        expect(run.outputs.namespace).toEqual({ value: "ai-agents", secret: false });
    });

    test("every namespaced object of the service is in the app namespace", () => {
        // The service's objects are the workloads layer's; the operations layer puts its own in monitoring,
        // and KEDA's network policies guard KEDA's own namespace.
        // The LLM gateway's objects and the provider keys live in its own namespace (llmGateway.test.ts).
        const own = workloadObjects(run).filter(
            (r) => r.inputs.metadata?.namespace !== undefined && !["keda", "llm-gateway"].includes(r.inputs.metadata.namespace) && !r.type.startsWith("kubernetes:helm.sh"),
        );
        expect(own.length).toBeGreaterThan(10);
        // The edge's data-plane settings and its NetworkPolicies live with Envoy Gateway's proxies.
        const edge = ["kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "kubernetes:networking.k8s.io/v1:NetworkPolicy"];
        // So does the Redis behind the LLM budgets' rate limiter (llmBudgets.test.ts), away from the service's cache.
        const rateLimitStore = (r: (typeof own)[number]) => r.inputs.metadata.labels?.["app.kubernetes.io/name"] === "envoy-ratelimit-redis";
        const elsewhere = own
            .filter((r) => r.inputs.metadata.namespace !== "ai-agents" && !(r.inputs.metadata.namespace === "envoy-gateway-system" && (edge.includes(r.type) || rateLimitStore(r))))
            .map((r) => `${r.type}/${r.name}`);
        expect(elsewhere).toEqual([]);
    });

    test("every Kubernetes object carries the standard labels", () => {
        for (const r of kubernetesObjects(run).filter((o) => !o.type.startsWith("kubernetes:helm.sh"))) {
            expect({ r: r.name, labels: r.inputs.metadata.labels }).toEqual({
                r: r.name,
                labels: expect.objectContaining({ project: "ai-platform", environment: stack, owner: expect.any(String), "cost-center": expect.any(String), "managed-by": "pulumi" }),
            });
        }
    });

    test("the ConfigMap holds the service settings of the environment", () => {
        const config = oneWorkloadObject(run, "kubernetes:core/v1:ConfigMap");
        expect(config.inputs.metadata.name).toBe("agent-config");
        expect(config.inputs.data).toEqual(
            expect.objectContaining({
                ENVIRONMENT: stack,
                LOG_LEVEL: defaults.app.logLevel,
                DEFAULT_MODEL: defaults.app.defaultModel,
                MAX_CONCURRENT_AGENTS: String(defaults.app.maxConcurrentAgents),
                RESPONSE_TIMEOUT_SECONDS: String(defaults.app.responseTimeoutSeconds),
                LLM_RETRIES: String(defaults.app.llmRetries),
                CACHE_TTL_SECONDS: String(defaults.app.cacheTtlSeconds),
                RATE_LIMIT_PER_MINUTE: String(defaults.app.rateLimitPerMinute),
                PORT: "8080",
                METRICS_PORT: "9090",
            }),
        );
        expect(config.secretPaths).toEqual([]);
        for (const value of Object.values<string>(config.inputs.data)) expect(typeof value).toBe("string");
    });

    test("the Secret holds the connection strings and no provider key, all secret", () => {
        const secret = byName(run, "kubernetes:core/v1:Secret", "agent-secrets");
        const data = secret.inputs.stringData;
        expect(secret.inputs.metadata.name).toBe("agent-secrets");
        expect(data.DATABASE_URL).toMatch(/^postgresql:\/\/[^:@/]+:[^@]+@[^:/]+:\d+\/[a-z_][a-z0-9_]*\?sslmode=require$/);
        expect(data.DATABASE_URL).toContain(`/${defaults.database.name}?`);
        // Both foundations encrypt Redis in transit, so the URL must say TLS.
        expect(data.REDIS_URL).toMatch(/^rediss:\/\/:[^@]+@[^:/]+:\d+\/0$/);
        if (data.REDIS_CA_CERT !== undefined) expect(data.REDIS_CA_CERT).toContain("-----BEGIN CERTIFICATE-----");
        // The addresses are the foundation's, port included: Memorystore with TLS serves on 6378, not 6379.
        const [database, cache] = [run.outputs.databaseHost.value, run.outputs.cacheHost.value];
        expect(data.DATABASE_URL).toContain(`@${database}:${run.outputs.databasePort.value}/`);
        expect(data.REDIS_URL).toContain(`@${cache}:${run.outputs.cachePort.value}/0`);
        // Memorystore's server certificate is signed by the instance's own CA, which the clients must be handed.
        if (cloud === "gcp") expect(data.REDIS_CA_CERT).toContain("-----BEGIN CERTIFICATE-----");
        // Provider keys stay in the LLM gateway's namespace (llmGateway.test.ts): the service holds none.
        expect(Object.keys(data).sort()).toEqual(["DATABASE_URL", "REDIS_URL", ...(data.REDIS_CA_CERT !== undefined ? ["REDIS_CA_CERT"] : [])].sort());
        for (const key of Object.keys(data)) expect({ key, secret: secret.secretPaths.some((p) => p === "stringData" || p === `stringData.${key}`) }).toEqual({ key, secret: true });
        expect(secret.inputs.data).toBeUndefined();
    });

    test("no secret value appears anywhere as a plain input or a plain stack output", () => {
        const secrets = secretStrings(run).filter((s) => s.length >= 8);
        expect(secrets.length).toBeGreaterThan(0);
        for (const r of run.resources) {
            const plain = plainStrings(r);
            for (const s of secrets) expect({ r: r.name, leaked: plain.some((p) => p.includes(s)) }).toEqual({ r: r.name, leaked: false });
        }
        for (const [name, output] of Object.entries(run.outputs)) {
            for (const s of secrets) expect({ name, leaked: !output.secret && JSON.stringify(output.value).includes(s) }).toEqual({ name, leaked: false });
        }
    });

    test("the API, worker and backup service accounts carry their cloud identity and mount no API token", () => {
        // The service's accounts; the rate limiter's Redis has one of its own in envoy-gateway-system, with no identity (llmBudgets.test.ts).
        const all = workloadObjectsOfType(run, "kubernetes:core/v1:ServiceAccount");
        expect(
            all
                .filter((a) => a.inputs.metadata.namespace !== "ai-agents")
                .map((a) => [a.inputs.metadata.namespace, a.inputs.metadata.name, a.inputs.automountServiceAccountToken, a.inputs.metadata.annotations]),
        ).toEqual([["envoy-gateway-system", "envoy-ratelimit-redis", false, undefined]]);
        const accounts = Object.fromEntries(all.filter((a) => a.inputs.metadata.namespace === "ai-agents").map((a) => [a.inputs.metadata.name, a.inputs]));
        expect(Object.keys(accounts).sort()).toEqual(["agent-api", "agent-backup", "agent-worker"]);
        for (const a of Object.values<any>(accounts)) {
            expect(a.automountServiceAccountToken).toBe(false);
            expect(a.metadata.namespace).toBe("ai-agents");
            expect(Object.keys(a.metadata.annotations ?? {}).length).toBeGreaterThan(0);
        }
        // The API and worker share the app identity; the backup job has its own.
        expect(accounts["agent-worker"].metadata.annotations).toEqual(accounts["agent-api"].metadata.annotations);
        expect(accounts["agent-backup"].metadata.annotations).not.toEqual(accounts["agent-api"].metadata.annotations);
        const identityKeys = Object.keys(accounts["agent-api"].metadata.annotations);
        expect(identityKeys.some((k) => k === "eks.amazonaws.com/role-arn" || k === "iam.gke.io/gcp-service-account")).toBe(true);
    });
});

describe("provider keys", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        // A secret setting must be a Pulumi secret (`pulumi config set --secret`).
        run = await runProgram({
            stack: "staging",
            config: workloadsConfig("aws", { "ai-platform:openaiApiKey": undefined, "ai-platform:anthropicApiKey": undefined }),
            secrets: { "ai-platform:geminiApiKey": "gemini-key-from-config" },
        });
    });

    test("go to the LLM gateway's namespace for the providers that have one, never to the service, which calls the gateway", () => {
        const data = byName(run, "kubernetes:core/v1:Secret", "agent-secrets").inputs.stringData;
        expect(Object.keys(data).filter((k) => /API_KEY/.test(k))).toEqual([]);
        const keys = run.ofType("kubernetes:core/v1:Secret").filter((r) => /-api-key$/.test(r.inputs.metadata.name));
        expect(keys.map((r) => [r.inputs.metadata.namespace, r.inputs.metadata.name, r.inputs.stringData.apiKey])).toEqual([["llm-gateway", "gemini-api-key", "gemini-key-from-config"]]);
        expect(byName(run, "kubernetes:core/v1:ConfigMap", "agent-config").inputs.data.LLM_BASE_URL).toBe("http://llm-gateway.envoy-gateway-system.svc.cluster.local/v1");
    });
});
