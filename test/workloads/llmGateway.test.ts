import { execFileSync } from "child_process";
import * as path from "path";
import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import { kubernetesNames } from "../../components/contract";
import { envoyGatewayConfigForAiGateway, envoyGatewayRateLimit } from "../../components/workloads/addons";
import { fallbackStatusCodes, llmGatewayBaseUrl, routedModels } from "../../components/workloads/llmGateway";
import { environmentDefaults } from "../../stacks";
import { requestCostUsd, tokenPrice } from "../../stacks/facts/prices";
import { aiGatewayKinds, aiGatewaySchemaErrors } from "./aiGatewaySchemas";
import { byName, combinations, runWorkloads, workloadObjects, workloadsConfig, type Cloud, type Stack } from "./run";
import { runProgram } from "../../tools/engine/harness";
import { twoTenants, withTenants } from "../tenants/fixtures";

/**
 * The internal LLM gateway (Envoy AI Gateway v1.1.0 on Envoy Gateway) as the real program declares it
 * on both clouds and both stacks: install order and Envoy Gateway's extension settings, the keys in
 * the gateway's namespace only, the fallback order and retries from settings, an address inside the
 * cluster only, and every object against the upstream CRDs and schema packages.
 */

const AI = "kubernetes:aigateway.envoyproxy.io/v1beta1";
const EG = "kubernetes:gateway.envoyproxy.io/v1alpha1";
const GW = "kubernetes:gateway.networking.k8s.io/v1";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const llm = kubernetesNames.llmGateway;

const runs = new Map<string, ProgramRun>();
const runOf = (stack: Stack, cloud: Cloud) => runs.get(`${stack}/${cloud}`)!;
beforeAll(async () => {
    for (const [stack, cloud] of combinations) runs.set(`${stack}/${cloud}`, await runWorkloads(stack, cloud));
});

const llmObjects = (run: ProgramRun) => workloadObjects(run).filter((r) => r.inputs.metadata?.namespace === llm.namespace);
const ofKind = (run: ProgramRun, kind: string) => llmObjects(run).filter((r) => r.inputs.kind === kind || r.type.endsWith(`:${kind}`));
const releaseOf = (run: ProgramRun, chart: string) => run.ofType(RELEASE).find((r) => String(r.inputs.chart).endsWith(`/${chart}`))!;
const manifest = (r: RecordedResource) => JSON.parse(JSON.stringify({ apiVersion: r.inputs.apiVersion, kind: r.inputs.kind, metadata: r.inputs.metadata, spec: r.inputs.spec }));
const route = (run: ProgramRun) => byName(run, `${AI}:AIGatewayRoute`, llm.routeName);
/** Rule of a model: its backends' names in order, with priority and model override. */
const ruleOf = (run: ProgramRun, model: string) =>
    route(run).inputs.spec.rules.find((r: { matches: { headers: { value: string }[] }[] }) => r.matches[0].headers[0].value === model) as {
        backendRefs: { name: string; priority: number; modelNameOverride?: string }[];
        timeouts: { request: string };
    };

/** Evaluates CEL with @marcbachmann/cel-js in a child process (ES module; see test/tenants/evaluateCel.mjs). */
function evaluateCel(cases: { expression: string; context: Record<string, unknown> }[]): { value?: unknown; error?: string }[] {
    const out = execFileSync(process.execPath, [path.join(__dirname, "../tenants/evaluateCel.mjs")], { input: JSON.stringify(cases), cwd: path.join(__dirname, "../.."), encoding: "utf8" });
    return JSON.parse(out);
}

function validateWithPackages(objects: unknown[]): { kind: string; name: string; error: string | null }[] {
    const out = execFileSync(process.execPath, [path.join(__dirname, "validateGatewayObjects.mjs")], { input: JSON.stringify(objects), cwd: path.join(__dirname, "../.."), encoding: "utf8" });
    return JSON.parse(out);
}

describe.each(combinations)("the LLM gateway on %s / %s", (stack, cloud) => {
    let run: ProgramRun;
    beforeAll(() => {
        run = runOf(stack, cloud);
    });
    const defaults = environmentDefaults[stack];

    test("Envoy AI Gateway's CRDs, then its controller, install pinned after Envoy Gateway, which runs with the Backend API and the extension manager pointed at the controller", () => {
        const crds = releaseOf(run, "ai-gateway-crds-helm");
        const controller = releaseOf(run, "ai-gateway-helm");
        const envoyGateway = releaseOf(run, "gateway-helm");
        for (const r of [crds, controller]) {
            expect(r.inputs.chart).toMatch(/^oci:\/\/docker\.io\/envoyproxy\//);
            expect(r.inputs.version).toBe(defaults.addons.aiGateway);
            expect(r.inputs.namespace).toBe(llm.controllerNamespace);
            expect(r.inputs.atomic).toBe(true);
        }
        expect(defaults.addons.aiGateway).toBe("v1.1.0");
        expect(run.dependsOn(controller, crds)).toBe(true);
        expect(run.dependsOn(controller, envoyGateway)).toBe(true);
        const config = envoyGateway.inputs.values.config.envoyGateway;
        expect(config.extensionApis.enableBackend).toBe(true);
        expect(config.extensionManager.service.fqdn).toEqual({ hostname: "ai-gateway-controller.envoy-ai-gateway-system.svc.cluster.local", port: 1063 });
        expect(config.extensionManager.hooks.xdsTranslator.post).toEqual(["Translation", "Cluster", "Route"]);
        expect(config).toEqual({ ...envoyGatewayConfigForAiGateway(), ...envoyGatewayRateLimit(defaults.llmGateway.proxyReplicas) });
        // The controller's Service name is what the extension manager dials.
        expect(controller.inputs.values.controller.fullnameOverride).toBe(llm.controllerService);
    });

    test("the gateway's metrics carry the caller under the label the dashboards and budget alerts group by", () => {
        // ai-gateway-helm v1.1.0: controller.metricsRequestHeaderAttributes is "header:attribute,…" and reaches the external processor's flags.
        const mapping: string = releaseOf(run, "ai-gateway-helm").inputs.values.controller.metricsRequestHeaderAttributes;
        expect(mapping.split(",")).toContain("x-ai-platform-caller:ai_platform_caller");
        const alerts = run.ofType("kubernetes:monitoring.coreos.com/v1:PrometheusRule").flatMap((r) => r.inputs.spec.groups.flatMap((g: { rules: { alert?: string; expr: string }[] }) => g.rules));
        const spend = alerts.find((rule) => rule.alert === "LlmSpendOverBudget");
        expect(spend?.expr).toContain("on (ai_platform_caller)");
    });

    test(`the controller runs ${defaults.llmGateway.controllerReplicas} replica(s) across zones${stack === "prod" ? " with a disruption budget" : ""}, in a restricted namespace`, () => {
        const values = releaseOf(run, "ai-gateway-helm").inputs.values.controller;
        expect(values.replicaCount).toBe(defaults.llmGateway.controllerReplicas);
        expect(values.podDisruptionBudget.enabled).toBe(defaults.llmGateway.controllerReplicas > 1);
        expect(values.topologySpreadConstraints[0].topologyKey).toBe("topology.kubernetes.io/zone");
        if (stack === "prod") expect(values.replicaCount).toBeGreaterThanOrEqual(2);
        for (const ns of [llm.controllerNamespace, llm.namespace]) {
            expect(byName(run, "kubernetes:core/v1:Namespace", ns).inputs.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
        }
    });

    test("the Gateway has only a ClusterIP Service (no address outside the cluster) and its proxies' replicas, spread and budget come from settings", () => {
        const proxy = byName(run, `${EG}:EnvoyProxy`, llm.gatewayName).inputs.spec.provider.kubernetes;
        expect(proxy.envoyService).toEqual({ type: "ClusterIP", name: llm.serviceName });
        expect(proxy.envoyDeployment.replicas).toBe(defaults.llmGateway.proxyReplicas);
        expect(proxy.envoyDeployment.container.resources).toEqual(defaults.llmGateway.proxyResources);
        expect(proxy.envoyDeployment.pod.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual(llm.proxyPodLabels);
        expect("envoyPDB" in proxy).toBe(defaults.llmGateway.proxyReplicas > 1);
        const gateway = byName(run, `${GW}:Gateway`, llm.gatewayName).inputs;
        expect(gateway.metadata.namespace).toBe(llm.namespace);
        expect(gateway.spec.infrastructure.parametersRef).toEqual({ group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: llm.gatewayName });
        expect(gateway.spec.listeners.map((l: { protocol: string }) => l.protocol)).toEqual(["HTTP"]);
        expect(gateway.metadata.annotations).toBeUndefined();
        expect(llmGatewayBaseUrl()).toBe("http://llm-gateway.envoy-gateway-system.svc.cluster.local/v1");
    });

    test("one backend, security policy and key Secret per provider with a key (the stack has Anthropic's and OpenAI's), all in the gateway's namespace", () => {
        const services = ofKind(run, "AIServiceBackend").map((r) => r.inputs.metadata.name);
        expect(services.sort()).toEqual(["anthropic", "openai"]);
        const openai = byName(run, `${EG}:Backend`, "openai").inputs.spec;
        expect(openai.endpoints).toEqual([{ fqdn: { hostname: "api.openai.com", port: 443 } }]);
        expect(openai.tls).toEqual({ sni: "api.openai.com", wellKnownCACertificates: "System" });
        const policy = byName(run, `${AI}:BackendSecurityPolicy`, "openai-api-key").inputs.spec;
        expect(policy).toEqual({
            targetRefs: [{ group: "aigateway.envoyproxy.io", kind: "AIServiceBackend", name: "openai" }],
            type: "APIKey",
            apiKey: { secretRef: { name: "openai-api-key", namespace: llm.namespace } },
        });
        const secret = byName(run, "kubernetes:core/v1:Secret", "openai-api-key");
        expect(secret.inputs.metadata.namespace).toBe(llm.namespace);
        // The key stays a Pulumi secret in the state.
        expect(secret.secretPaths.some((p) => p.startsWith("stringData"))).toBe(true);
    });

    test("each model's backends are its providers with keys, in the order settings give, with the provider's model name and the timeouts from settings", () => {
        const rule = ruleOf(run, "claude-sonnet-4-5");
        expect(rule.backendRefs).toEqual([
            { name: "anthropic", priority: 0 },
            { name: "openai", priority: 1, modelNameOverride: "gpt-4.1" },
        ]);
        expect(rule.timeouts.request).toBe(`${defaults.llmGateway.requestTimeoutSeconds}s`);
        expect(route(run).inputs.spec.parentRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: llm.gatewayName }]);
    });

    test("each request's tokens and its price in micro-USD are recorded, the price computed by a CEL expression from the price book's table", () => {
        const costs = route(run).inputs.spec.llmRequestCosts as { metadataKey: string; type: string; cel?: string }[];
        expect(costs.map((c) => [c.metadataKey, c.type])).toEqual([
            ["llm_input_token", "InputToken"],
            ["llm_output_token", "OutputToken"],
            ["llm_total_token", "TotalToken"],
            ["llm_cost_micro_usd", "CEL"],
        ]);
        const cel = costs[3].cel!;
        const samples = [
            { backend: "anthropic.llm-gateway", model: "claude-sonnet-4-5", input_tokens: 12000, output_tokens: 3000, price: tokenPrice("anthropic", "claude-sonnet-4-5") },
            // The fallback answers the same model name with its own model, at its own price.
            { backend: "openai.llm-gateway", model: "claude-sonnet-4-5", input_tokens: 12000, output_tokens: 3000, price: tokenPrice("openai", "gpt-4.1") },
            { backend: "openai.llm-gateway", model: "some-other-model", input_tokens: 1000, output_tokens: 1000, price: { inputPerMillion: 15, outputPerMillion: 75 } },
        ];
        const results = evaluateCel(samples.map(({ price: _price, ...context }) => ({ expression: cel, context })));
        samples.forEach((sample, i) => {
            const microUsd = results[i].value as number;
            expect({ sample: i, error: results[i].error }).toEqual({ sample: i, error: undefined });
            expect(microUsd / 1_000_000).toBeCloseTo(requestCostUsd(sample.price, sample.input_tokens, sample.output_tokens), 9);
        });
        expect(requestCostUsd(tokenPrice("anthropic", "claude-sonnet-4-5"), 12000, 3000)).toBeCloseTo(0.081, 9);
    });

    test("retries move to the next backend on 429, 5xx, resets and connect failures, as many as settings allow", () => {
        const policy = byName(run, `${EG}:BackendTrafficPolicy`, llm.routeName).inputs.spec;
        expect(policy.targetRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: llm.routeName }]);
        expect(policy.retry.numRetries).toBe(defaults.llmGateway.retries);
        expect(policy.retry.numAttemptsPerPriority).toBe(1);
        expect(policy.retry.perRetry.timeout).toBe(`${defaults.llmGateway.attemptTimeoutSeconds}s`);
        expect(policy.retry.retryOn.httpStatusCodes).toEqual([...fallbackStatusCodes]);
        expect(policy.retry.retryOn.httpStatusCodes).toContain(429);
    });

    test("the AI gateway objects wait for both CRD releases and both controllers", () => {
        for (const release of ["gateway-crds-helm", "gateway-helm", "ai-gateway-crds-helm", "ai-gateway-helm"]) {
            for (const r of llmObjects(run).filter((o) => o.type.startsWith(AI) || o.type.startsWith(EG) || o.type.startsWith(GW))) {
                expect({ object: r.name, release, waits: run.dependsOn(r, releaseOf(run, release)) }).toEqual({ object: r.name, release, waits: true });
            }
        }
    });

    test("every Envoy AI Gateway object validates against the v1.1.0 CRDs, unknown fields refused", () => {
        const objects = llmObjects(run).filter((r) => r.type.startsWith(AI));
        expect(objects.map((r) => r.inputs.kind).sort()).toEqual(["AIGatewayRoute", "AIServiceBackend", "AIServiceBackend", "BackendSecurityPolicy", "BackendSecurityPolicy"]);
        for (const r of objects) expect({ name: r.name, errors: aiGatewaySchemaErrors(manifest(r)) }).toEqual({ name: r.name, errors: [] });
    });

    test("every Envoy Gateway and Gateway API object validates with the published schema packages", () => {
        const objects = llmObjects(run)
            .filter((r) => r.type.startsWith(EG) || r.type.startsWith(GW))
            .map(manifest);
        const results = validateWithPackages(objects);
        expect(results.map((r) => r.kind).sort()).toEqual(["Backend", "Backend", "BackendTrafficPolicy", "ClientTrafficPolicy", "EnvoyProxy", "Gateway"]);
        expect(results.filter((r) => r.error !== null)).toEqual([]);
    });

    test("only the LLM gateway's proxies may reach the providers (443 to public addresses), and Envoy Gateway's controller may call the AI gateway controller", () => {
        const policies = run.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => p.inputs.metadata.namespace === kubernetesNames.gateway.namespace);
        const toProviders = policies.find((p) => p.inputs.metadata.name === "allow-llm-gateway-to-providers")!.inputs.spec;
        expect(toProviders.podSelector.matchLabels).toEqual(llm.proxyPodLabels);
        expect(toProviders.policyTypes).toEqual(["Egress"]);
        expect(toProviders.egress).toEqual([{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } }], ports: [{ protocol: "TCP", port: 443 }] }]);
        // No other policy of any namespace opens 443 to the internet for pods of the service or its tenants.
        const openInternet = run
            .ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
            .filter((p) => !["envoy-gateway-system", "keda", "monitoring", "cert-manager"].includes(p.inputs.metadata.namespace))
            .filter((p) =>
                (p.inputs.spec.egress ?? []).some(
                    (r: { to?: { ipBlock?: { cidr: string } }[]; ports?: { port: number }[] }) =>
                        (r.to ?? []).some((t) => t.ipBlock?.cidr === "0.0.0.0/0") && (r.ports ?? []).some((x) => x.port === 443),
                ),
            )
            .map((p) => `${p.inputs.metadata.namespace}/${p.inputs.metadata.name}`);
        expect(openInternet).toEqual(["ai-agents/allow-backup-egress"]);
        const controller = policies.find((p) => p.inputs.metadata.name === "allow-controller")!.inputs.spec;
        expect(controller.egress).toContainEqual({
            to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": llm.controllerNamespace } }, podSelector: { matchLabels: llm.controllerPodLabels } }],
            ports: [{ protocol: "TCP", port: 1063 }],
        });
    });

    test("Prometheus scrapes the gen_ai_* metrics of the AI gateway's external processor beside each proxy, which a NetworkPolicy admits", () => {
        const monitor = run.ofType("kubernetes:monitoring.coreos.com/v1:PodMonitor").find((m) => m.inputs.metadata.name === "llm-gateway")!.inputs;
        expect(monitor.metadata.namespace).toBe("monitoring");
        expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ["envoy-gateway-system"] });
        expect(monitor.spec.selector).toEqual({ matchLabels: llm.proxyPodLabels });
        expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: "aigw-admin", path: "/metrics", interval: "30s" }]);
        const policy = run.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").find((p) => p.inputs.metadata.name === "allow-llm-gateway-metrics")!.inputs;
        expect(policy.metadata.namespace).toBe("envoy-gateway-system");
        expect(policy.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports: [{ protocol: "TCP", port: 1064 }] }]);
    });

    test("no provider key in any Secret or pod environment outside the gateway's namespace", () => {
        const keyNames = /^(OPENAI|ANTHROPIC|GEMINI)_API_KEY$|^apiKey$/;
        const holders = run.resources
            .filter((r) => r.custom && !r.read && r.type === "kubernetes:core/v1:Secret")
            .filter((r) => Object.keys(r.inputs.stringData ?? r.inputs.data ?? {}).some((k) => keyNames.test(k)))
            .map((r) => r.inputs.metadata.namespace);
        expect(holders.length).toBeGreaterThan(0);
        expect(holders.filter((ns) => ns !== llm.namespace)).toEqual([]);
    });
});

describe.each(["aws", "gcp"] as const)("tenants on %s", (cloud) => {
    test("the pods a team marks as LLM clients reach the LLM gateway's proxies on their own listener, and nothing on the internet", async () => {
        const run = await runWorkloads("prod", cloud, withTenants(cloud));
        for (const tenant of twoTenants[cloud]) {
            const policies = run.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => p.inputs.metadata.namespace === tenant.name);
            const llmPolicy = policies.find((p) => p.inputs.metadata.name === "allow-llm-gateway")!.inputs.spec;
            expect(llmPolicy.podSelector).toEqual({ matchLabels: { "ai-platform/llm-client": "true" } });
            expect(llmPolicy.egress).toEqual([
                {
                    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "envoy-gateway-system" } }, podSelector: { matchLabels: llm.proxyPodLabels } }],
                    // The tenant's own listener (llmBudgets.test.ts), never the service's 10080.
                    ports: [{ protocol: "TCP", port: { "team-a": 27702, "team-b": 27235 }[tenant.name] }],
                },
            ]);
            const egressPorts = policies.flatMap((p) => (p.inputs.spec.egress ?? []).flatMap((r: { ports?: { port: number }[] }) => (r.ports ?? []).map((x) => x.port)));
            expect(egressPorts).not.toContain(443);
        }
    });
});

describe("the schema check refuses what the API server would drop or reject", () => {
    test("a misspelt field, a wrong type and a bad enum are each reported", () => {
        expect(aiGatewayKinds()).toEqual(expect.arrayContaining(["aigateway.envoyproxy.io/v1beta1/AIGatewayRoute", "aigateway.envoyproxy.io/v1beta1/AIServiceBackend"]));
        const backend = {
            apiVersion: "aigateway.envoyproxy.io/v1beta1",
            kind: "AIServiceBackend",
            metadata: { name: "x" },
            spec: { schema: { name: "OpenAI" }, backendRef: { name: "x", kind: "Backend", group: "gateway.envoyproxy.io" } },
        };
        expect(aiGatewaySchemaErrors(backend)).toEqual([]);
        expect(aiGatewaySchemaErrors({ ...backend, spec: { ...backend.spec, schemaa: {} } }).join()).toMatch(/schemaa/);
        expect(aiGatewaySchemaErrors({ ...backend, spec: { ...backend.spec, schema: { name: "OpenAi" } } }).join()).toMatch(/allowed values/);
        expect(aiGatewaySchemaErrors({ ...backend, kind: "AIServiceBackends" })).toEqual([expect.stringMatching(/no CRD/)]);
    });
});

describe("settings drive the LLM gateway", () => {
    test("models, fallback order, a third provider's key, timeouts and retries come from settings", async () => {
        const models = [
            { name: "gpt-4.1", backends: [{ provider: "openai" }, { provider: "gemini", model: "gemini-2.5-pro" }, { provider: "anthropic", model: "claude-sonnet-4-5" }] },
            { name: "gemini-2.5-flash", backends: [{ provider: "gemini" }] },
        ];
        const run = await runProgram({
            stack: "staging",
            config: workloadsConfig("gcp", { "ai-platform:llmGateway.models": models, "ai-platform:llmGateway.retries": 4, "ai-platform:llmGateway.requestTimeoutSeconds": 3600 }),
            secrets: { "ai-platform:geminiApiKey": "test-gemini-key" },
        });
        expect(ruleOf(run, "gpt-4.1").backendRefs).toEqual([
            { name: "openai", priority: 0 },
            { name: "gemini", priority: 1, modelNameOverride: "gemini-2.5-pro" },
            { name: "anthropic", priority: 2, modelNameOverride: "claude-sonnet-4-5" },
        ]);
        expect(ruleOf(run, "gpt-4.1").timeouts.request).toBe("3600s");
        expect(ruleOf(run, "gemini-2.5-flash").backendRefs).toEqual([{ name: "gemini", priority: 0 }]);
        expect(byName(run, `${EG}:BackendTrafficPolicy`, llm.routeName).inputs.spec.retry.numRetries).toBe(4);
        expect(byName(run, `${EG}:Backend`, "gemini").inputs.spec.endpoints[0].fqdn.hostname).toBe("generativelanguage.googleapis.com");
        expect(byName(run, `${AI}:AIServiceBackend`, "gemini").inputs.spec.schema).toEqual({ name: "OpenAI", prefix: "/v1beta/openai" });
        for (const r of workloadObjects(run).filter((o) => o.type.startsWith(AI))) expect({ name: r.name, errors: aiGatewaySchemaErrors(manifest(r)) }).toEqual({ name: r.name, errors: [] });
    });

    test("a provider without a key is left out of the route, and the order of the rest is kept", () => {
        const models = routedModels({ llmGateway: { ...environmentDefaults.prod.llmGateway } }, new Set(["openai", "gemini"] as const));
        expect(models).toEqual([
            {
                name: "claude-sonnet-4-5",
                backends: [
                    { provider: "openai", model: "gpt-4.1", priority: 0 },
                    { provider: "gemini", model: "gemini-2.5-pro", priority: 1 },
                ],
            },
        ]);
    });

    test.each([
        [
            "a model whose providers have no key",
            { "ai-platform:llmGateway.models": [{ name: "gemini-2.5-pro", backends: [{ provider: "gemini" }] }] },
            /llmGateway\.models\.0\.backends[\s\S]*geminiApiKey/,
        ],
        [
            "an unknown provider",
            { "ai-platform:llmGateway.models": [{ name: "m", backends: [{ provider: "azure" }] }] },
            /llmGateway\.models\.0\.backends\.0\.provider[\s\S]*openai, anthropic, gemini/,
        ],
        ["a provider twice for one model", { "ai-platform:llmGateway.models": [{ name: "m", backends: [{ provider: "openai" }, { provider: "openai" }] }] }, /lists openai twice/],
        [
            "a model named twice",
            {
                "ai-platform:llmGateway.models": [
                    { name: "m", backends: [{ provider: "openai" }] },
                    { name: "m", backends: [{ provider: "anthropic" }] },
                ],
            },
            /names model m twice/,
        ],
        ["no model", { "ai-platform:llmGateway.models": [] }, /at least one model/],
        ["a model with no backend", { "ai-platform:llmGateway.models": [{ name: "m", backends: [] }] }, /at least one backend/],
        ["negative retries", { "ai-platform:llmGateway.retries": -1 }, /llmGateway\.retries/],
    ])("%s is refused before anything is declared", async (_what, overrides, message) => {
        const error = await runProgram({ stack: "prod", config: workloadsConfig("aws", overrides) }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(error?.message).toMatch(message);
    });
});
