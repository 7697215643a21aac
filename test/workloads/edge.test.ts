import { execFileSync } from "child_process";
import { upperBounds } from "../../stacks/facts/bounds";
import * as path from "path";
import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import envoyGatewayFields from "../fixtures/crdFields/envoy-gateway-v1.9.0.json";
import gatewayApiFields from "../fixtures/crdFields/gateway-api-v1.6.1-standard.json";
import { environmentDefaults } from "../../stacks";
import { kubernetesNames } from "../../components/contract";
import { gatewayDuration } from "../../components/workloads/gateway";
import { combinations, runWorkloads, workloadObjects, type Cloud, type Stack, edgeProxyPods } from "./run";

/**
 * The public edge on the Gateway API: Envoy Gateway's objects as the real program declares them on
 * both clouds and both stacks, checked for behaviour (redirect, TLS, timeouts, rate and body limits,
 * client addresses, availability, ordering, NetworkPolicies) and against the upstream schemas.
 */

const GW = "kubernetes:gateway.networking.k8s.io/v1";
const EG = "kubernetes:gateway.envoyproxy.io/v1alpha1";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const gatewayNamespace = "envoy-gateway-system";
const proxyPods = edgeProxyPods;
const controllerPods = { "control-plane": "envoy-gateway" };
const apiPods = { "app.kubernetes.io/name": "ai-agent", "app.kubernetes.io/component": "api" };

const runs = new Map<string, ProgramRun>();
const runOf = (stack: Stack, cloud: Cloud) => runs.get(`${stack}/${cloud}`)!;
beforeAll(async () => {
    for (const [stack, cloud] of combinations) runs.set(`${stack}/${cloud}`, await runWorkloads(stack, cloud));
});

/** The Gateway API and Envoy Gateway objects the workloads layer declares. */
function edgeObjects(run: ProgramRun): RecordedResource[] {
    // The internal LLM gateway has its own tests (llmGateway.test.ts).
    return workloadObjects(run).filter((r) => (r.type.startsWith(`${GW}:`) || r.type.startsWith(`${EG}:`)) && r.inputs.metadata?.namespace !== kubernetesNames.llmGateway.namespace);
}
function one(run: ProgramRun, type: string, name?: string): RecordedResource {
    const matches = edgeObjects(run).filter((r) => r.type === type && (name === undefined || r.inputs.metadata.name === name));
    if (matches.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${matches.length}`);
    return matches[0];
}
const gatewayOf = (run: ProgramRun) => one(run, `${GW}:Gateway`);
const routeNamed = (run: ProgramRun, name: string) => one(run, `${GW}:HTTPRoute`, name);
const apiRoute = (run: ProgramRun) => routeNamed(run, "agent-api");
const redirectRoute = (run: ProgramRun) => routeNamed(run, "agent-api-https-redirect");
const trafficPolicy = (run: ProgramRun) => one(run, `${EG}:BackendTrafficPolicy`);
const envoyProxy = (run: ProgramRun) => one(run, `${EG}:EnvoyProxy`);
const releaseOf = (run: ProgramRun, chart: string) => run.ofType(RELEASE).find((r) => String(r.inputs.chart).endsWith(`/${chart}`))!;

/** The objects as the API server would receive them (Pulumi drops undefined inputs). */
const manifest = (r: RecordedResource) => JSON.parse(JSON.stringify({ apiVersion: r.inputs.apiVersion, kind: r.inputs.kind, metadata: r.inputs.metadata, spec: r.inputs.spec }));

/** Validates objects with the published schema packages (see validateGatewayObjects.mjs for why in a child process). */
function validate(objects: unknown[]): { kind: string; name: string; error: string | null }[] {
    const out = execFileSync(process.execPath, [path.join(__dirname, "validateGatewayObjects.mjs")], { input: JSON.stringify(objects), cwd: path.join(__dirname, "../.."), encoding: "utf8" });
    return JSON.parse(out);
}

/** A CRD's field tree (test/fixtures/crdFields): declared properties, list items, map values, or open. */
interface FieldTree {
    properties?: Record<string, FieldTree>;
    items?: FieldTree;
    values?: FieldTree;
    open?: boolean;
}
const crdFields: Record<string, FieldTree> = { ...(envoyGatewayFields as Record<string, FieldTree>), ...(gatewayApiFields as Record<string, FieldTree>) };

/** Paths of the fields the CRD does not declare, which the API server would silently drop. */
function undeclaredFields(value: unknown, tree: FieldTree | undefined, at = ""): string[] {
    if (!tree) return [at];
    if (tree.open || value === null || typeof value !== "object") return [];
    if (Array.isArray(value)) return value.flatMap((v, i) => undeclaredFields(v, tree.items, `${at}[${i}]`));
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => undeclaredFields(v, tree.properties?.[k] ?? tree.values, `${at}.${k}`));
}

describe.each(combinations)("the public edge on %s / %s", (stack, cloud) => {
    let run: ProgramRun;
    beforeAll(() => {
        run = runOf(stack, cloud);
    });
    const defaults = environmentDefaults[stack];
    const domain = stack === "prod" ? "agents.example.com" : "agents.staging.example.com";

    test("one GatewayClass served by Envoy Gateway, parameterised by the EnvoyProxy", () => {
        const gatewayClass = one(run, `${GW}:GatewayClass`);
        expect(gatewayClass.inputs.metadata.name).toBe(defaults.ingress.gatewayClassName);
        expect(gatewayClass.inputs.spec).toEqual({
            controllerName: "gateway.envoyproxy.io/gatewayclass-controller",
            parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: envoyProxy(run).inputs.metadata.name, namespace: gatewayNamespace },
        });
        expect(gatewayOf(run).inputs.spec.gatewayClassName).toBe(defaults.ingress.gatewayClassName);
    });

    test("TLS: the HTTPS listener serves the domain with the certificate cert-manager issues from the ClusterIssuer", () => {
        const gateway = gatewayOf(run);
        const https = gateway.inputs.spec.listeners.find((l: any) => l.protocol === "HTTPS");
        expect(https).toEqual(
            expect.objectContaining({ name: "https", port: 443, hostname: domain, tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: "agent-api-tls" }] } }),
        );
        expect(gateway.inputs.metadata.namespace).toBe("ai-agents");
        expect(gateway.inputs.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe(defaults.ingress.clusterIssuer);
        const issuer = run.ofType("kubernetes:cert-manager.io/v1:ClusterIssuer")[0];
        expect(issuer.inputs.metadata.name).toBe(defaults.ingress.clusterIssuer);
        expect(run.outputs.apiUrl.value).toBe(`https://${domain}`);
    });

    test("redirect: the HTTP listener admits only this namespace's HTTPRoutes (HTTPS: labelled namespaces), and its one route answers 301 to https", () => {
        const listeners = gatewayOf(run).inputs.spec.listeners;
        expect(listeners.map((l: any) => `${l.name}/${l.protocol}/${l.port}`)).toEqual(["http/HTTP/80", "https/HTTPS/443"]);
        expect(listeners[0].allowedRoutes).toEqual({ namespaces: { from: "Same" }, kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }] });
        // HTTPS also admits the tenants' namespaces, by label (test/tenants).
        expect(listeners[1].allowedRoutes).toEqual({
            namespaces: { from: "Selector", selector: { matchLabels: { "ai-platform/edge-routes": "true" } } },
            kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }],
        });
        const redirect = redirectRoute(run).inputs.spec;
        expect(redirect.parentRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "agent-edge", sectionName: "http" }]);
        expect(redirect.rules).toEqual([{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }]);
        // Every route that is not the redirect attaches to the HTTPS listener only.
        const others = edgeObjects(run).filter((r) => r.type === `${GW}:HTTPRoute` && r !== redirectRoute(run));
        expect(others.length).toBeGreaterThan(0);
        for (const route of others) for (const parent of route.inputs.spec.parentRefs) expect(parent.sectionName).toBe("https");
    });

    test("timeouts: the API's route forwards everything to the API Service with the configured request timeout", () => {
        const spec = apiRoute(run).inputs.spec;
        expect(spec.hostnames).toEqual([domain]);
        expect(spec.rules).toEqual([
            {
                matches: [{ path: { type: "PathPrefix", value: "/" } }],
                backendRefs: [{ group: "", kind: "Service", name: "agent-api", port: 80 }],
                timeouts: { request: `${defaults.ingress.requestTimeoutSeconds}s` },
            },
        ]);
        expect(defaults.ingress.requestTimeoutSeconds).toBeGreaterThanOrEqual(defaults.app.responseTimeoutSeconds);
    });

    test("rate limit: one bucket per client address at the configured rate, on the API's route", () => {
        const spec = trafficPolicy(run).inputs.spec;
        expect(spec.targetRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "agent-api" }]);
        expect(spec.rateLimit).toEqual({
            local: { rules: [{ clientSelectors: [{ sourceCIDR: { type: "Distinct", value: "0.0.0.0/0" } }], limit: { requests: defaults.ingress.rateLimitRps, unit: "Second" } }] },
        });
    });

    test("body limit: larger requests are refused (413) at the edge", () => {
        expect(trafficPolicy(run).inputs.spec.requestBuffer).toEqual({ limit: defaults.ingress.maxRequestBodySize });
    });

    test("client addresses: the proxies' LoadBalancer keeps them (externalTrafficPolicy Local, the foundation's annotations) and no client X-Forwarded-For is trusted", () => {
        const service = envoyProxy(run).inputs.spec.provider.kubernetes.envoyService;
        expect(service.type).toBe("LoadBalancer");
        expect(service.externalTrafficPolicy).toBe("Local");
        if (cloud === "aws") expect(service.annotations).toEqual(expect.objectContaining({ "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" }));
        else expect(service.annotations).toEqual({});
        const client = one(run, `${EG}:ClientTrafficPolicy`).inputs.spec;
        expect(client.targetRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "agent-edge" }]);
        expect(client.clientIPDetection).toEqual({ xForwardedFor: { numTrustedHops: 0 } });
    });

    test(`availability: ${defaults.ingress.proxyReplicas} proxy replica(s) spread across zones${defaults.ingress.proxyReplicas > 1 ? " with a PodDisruptionBudget" : ", no budget that would block drains"}`, () => {
        const kubernetes = envoyProxy(run).inputs.spec.provider.kubernetes;
        expect(kubernetes.envoyDeployment.replicas).toBe(defaults.ingress.proxyReplicas);
        if (stack === "prod") expect(kubernetes.envoyDeployment.replicas).toBeGreaterThanOrEqual(2);
        expect(kubernetes.envoyDeployment.pod.topologySpreadConstraints).toEqual(
            expect.arrayContaining([expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: proxyPods } })]),
        );
        expect(kubernetes.envoyDeployment.container.resources).toEqual(defaults.ingress.proxyResources);
        if (defaults.ingress.proxyReplicas > 1) expect(kubernetes.envoyPDB).toEqual({ minAvailable: 1 });
        else expect(kubernetes.envoyPDB).toBeUndefined();
    });

    test("first `pulumi up`: every Gateway API and Envoy Gateway object waits for the CRD release and the controller", () => {
        const crds = releaseOf(run, "gateway-crds-helm");
        const controller = releaseOf(run, "gateway-helm");
        const objects = edgeObjects(run);
        expect(objects.length).toBe(7);
        for (const r of objects) expect({ r: r.name, crds: run.dependsOn(r, crds), controller: run.dependsOn(r, controller) }).toEqual({ r: r.name, crds: true, controller: true });
        expect(run.dependsOn(gatewayOf(run), one(run, `${GW}:GatewayClass`))).toBe(true);
        expect(run.dependsOn(one(run, `${GW}:GatewayClass`), envoyProxy(run))).toBe(true);
        // The certificate is issued through the Gateway (HTTP-01), so the edge does not wait for cert-manager.
        expect(
            run.dependsOn(
                gatewayOf(run),
                run.ofType(RELEASE).find((r) => r.inputs.chart === "cert-manager")!,
            ),
        ).toBe(false);
        expect(run.dependsOn(trafficPolicy(run), apiRoute(run))).toBe(true);
    });

    test("every Gateway API object validates against the upstream Gateway API schemas, and Envoy Gateway's against Envoy Gateway's", () => {
        const objects = edgeObjects(run).map(manifest);
        const results = validate(objects);
        expect(results.map((r) => r.kind).sort()).toEqual(["BackendTrafficPolicy", "ClientTrafficPolicy", "EnvoyProxy", "Gateway", "GatewayClass", "HTTPRoute", "HTTPRoute"]);
        expect(results.filter((r) => r.error !== null)).toEqual([]);
    });

    test("every field of every edge object is one its CRD declares (Envoy Gateway v1.9.0, Gateway API v1.6.1 standard)", () => {
        for (const r of edgeObjects(run)) {
            const m = manifest(r);
            const tree = crdFields[`${m.apiVersion}/${m.kind}`];
            expect({ kind: m.kind, declared: !!tree }).toEqual({ kind: m.kind, declared: true });
            expect({ kind: m.kind, undeclared: undeclaredFields(m, tree) }).toEqual({ kind: m.kind, undeclared: [] });
        }
    });

    describe("NetworkPolicies of the gateway namespace", () => {
        const policies = () =>
            run
                .ofType(POLICY)
                .filter((p) => p.inputs.metadata.namespace === gatewayNamespace)
                .map((p) => p.inputs.spec);
        const selecting = (labels: Record<string, string>) => policies().filter((spec) => Object.entries(spec.podSelector.matchLabels ?? {}).every(([k, v]) => labels[k] === v));
        const ingressPorts = (labels: Record<string, string>, from: (peer: any) => boolean) =>
            selecting(labels).flatMap((spec) => (spec.ingress ?? []).filter((r: any) => (r.from ?? []).some(from)).flatMap((r: any) => r.ports.map((p: any) => p.port)));
        const egressPorts = (labels: Record<string, string>, to: (peer: any) => boolean) =>
            selecting(labels).flatMap((spec) => (spec.egress ?? []).filter((r: any) => (r.to ?? []).some(to)).flatMap((r: any) => r.ports.map((p: any) => p.port)));
        const anywhere = (peer: any) => peer.ipBlock?.cidr === "0.0.0.0/0";
        /** Exactly these labels (the recorded inputs have their keys sorted). */
        const exactly = (labels: Record<string, string> | undefined, expected: Record<string, string>) =>
            !!labels && Object.keys(labels).length === Object.keys(expected).length && Object.entries(expected).every(([k, v]) => labels[k] === v);

        test("default deny, then DNS for every pod", () => {
            const denyAll = policies().filter((spec) => Object.keys(spec.podSelector).length === 0 && !spec.ingress && !spec.egress);
            expect(denyAll).toHaveLength(1);
            expect([...denyAll[0].policyTypes].sort()).toEqual(["Egress", "Ingress"]);
            expect(egressPorts({}, (peer) => peer.podSelector?.matchLabels?.["k8s-app"] === "kube-dns").sort()).toEqual([53, 53]);
        });

        test("clients reach the proxies' listener ports (as Envoy binds them) from anywhere, and Prometheus their metrics port", () => {
            expect(ingressPorts(proxyPods, anywhere).sort()).toEqual([10080, 10443]);
            expect(ingressPorts(proxyPods, (peer) => peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "monitoring")).toEqual([19001]);
            // Nothing else of the namespace is open to the internet on those ports.
            expect(ingressPorts(controllerPods, anywhere)).not.toContain(10443);
        });

        test("the proxies reach the controller's xDS port, the API pods and cert-manager's solver, and nothing else", () => {
            expect(egressPorts(proxyPods, (peer) => exactly(peer.podSelector?.matchLabels, controllerPods))).toEqual([18000]);
            expect(egressPorts(proxyPods, (peer) => peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "ai-agents" && exactly(peer.podSelector?.matchLabels, apiPods))).toEqual([
                defaults.app.port,
            ]);
            expect(egressPorts(proxyPods, (peer) => peer.podSelector?.matchLabels?.["acme.cert-manager.io/http01-solver"] === "true")).toEqual([8089]);
            expect(egressPorts(proxyPods, anywhere)).toEqual([]);
        });

        test("the controller serves xDS to the proxies and its webhook, and reaches the Kubernetes API; the certgen Job reaches the API too", () => {
            expect(ingressPorts(controllerPods, (peer) => exactly(peer.podSelector?.matchLabels, proxyPods))).toEqual([18000]);
            expect(ingressPorts(controllerPods, anywhere)).toEqual([]);
            expect(ingressPorts(controllerPods, (peer) => peer.ipBlock?.cidr === defaults.network.cidr)).toEqual([9443]);
            expect(egressPorts(controllerPods, anywhere)).toEqual([443]);
            expect(egressPorts({ app: "certgen" }, anywhere)).toEqual([443]);
        });
    });
});

describe("the CRD field check", () => {
    test("catches a misspelt field and accepts declared ones and open maps", () => {
        const tree = crdFields["gateway.envoyproxy.io/v1alpha1/BackendTrafficPolicy"];
        expect(undeclaredFields({ spec: { requestBuffer: { limit: "1Mi" } }, metadata: { labels: { a: "b" } } }, tree)).toEqual([]);
        expect(undeclaredFields({ spec: { requestBuffer: { limt: "1Mi" } } }, tree)).toEqual([".spec.requestBuffer.limt"]);
        expect(undeclaredFields({ spec: { rateLimit: { local: { rules: [{ limit: { requests: 1, unit: "Second", burst: 2 } }] } } } }, tree)).toEqual([".spec.rateLimit.local.rules[0].limit.burst"]);
    });
});

describe("settings drive the edge", () => {
    test("timeout, rate, body limit and replicas come from settings, not from the environment", async () => {
        const run = await runWorkloads("staging", "gcp", {
            "ai-platform:ingress.requestTimeoutSeconds": 600,
            "ai-platform:ingress.rateLimitRps": 7,
            "ai-platform:ingress.maxRequestBodySize": "1Mi",
            "ai-platform:ingress.proxyReplicas": 3,
        });
        expect(apiRoute(run).inputs.spec.rules[0].timeouts).toEqual({ request: "600s" });
        expect(trafficPolicy(run).inputs.spec.rateLimit.local.rules[0].limit).toEqual({ requests: 7, unit: "Second" });
        expect(trafficPolicy(run).inputs.spec.requestBuffer).toEqual({ limit: "1Mi" });
        const kubernetes = envoyProxy(run).inputs.spec.provider.kubernetes;
        expect(kubernetes.envoyDeployment.replicas).toBe(3);
        expect(kubernetes.envoyPDB).toEqual({ minAvailable: 1 });
    });
});

describe("extreme but valid settings still give objects the upstream schemas accept", () => {
    test("the largest timeout, rate and body the settings allow, and a 253-character domain", async () => {
        const label = (c: string) => c.repeat(63);
        const domain = `${label("a")}.${label("b")}.${label("c")}.${"d".repeat(58)}.io`;
        expect(domain).toHaveLength(253);
        const run = await runWorkloads("prod", "aws", {
            "ai-platform:ingress.domain": domain,
            "ai-platform:ingress.requestTimeoutSeconds": upperBounds.seconds,
            "ai-platform:ingress.rateLimitRps": upperBounds.rateLimitRps,
            "ai-platform:ingress.maxRequestBodySize": "1Gi",
            "ai-platform:ingress.proxyReplicas": 10,
        });
        expect(apiRoute(run).inputs.spec.rules[0].timeouts).toEqual({ request: `${upperBounds.seconds}s` });
        expect(validate(edgeObjects(run).map(manifest)).filter((r) => r.error !== null)).toEqual([]);
    });

    test.each([
        [300, "300s"],
        [99999, "99999s"],
        [100000, "27h46m40s"],
        [360000, "100h"],
        [3600 * 1000 + 60, "1000h1m"],
    ])("gatewayDuration(%d) = %s", (seconds, duration) => {
        expect(gatewayDuration(seconds)).toBe(duration);
        expect(duration).toMatch(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/);
    });
});

describe("AWS and GCP declare the same Gateway API objects", () => {
    /** Everything but the load balancer's annotations, which are the foundation's to give. */
    const shape = (run: ProgramRun) =>
        edgeObjects(run)
            .map((r) => {
                const m = manifest(r);
                if (m.kind === "EnvoyProxy") delete m.spec.provider.kubernetes.envoyService.annotations;
                return { type: r.type, name: r.name, manifest: m };
            })
            .sort((a, b) => a.name.localeCompare(b.name));

    test.each(["staging", "prod"] as const)("%s", (stack) => {
        expect(shape(runOf(stack, "gcp"))).toEqual(shape(runOf(stack, "aws")));
    });
});

test("the edge's proxy selector names its own Gateway, so its internet-facing rules never select the LLM gateway's proxies", () => {
    const edge = kubernetesNames.gateway.proxyPodLabels;
    const llm = kubernetesNames.llmGateway.proxyPodLabels as Record<string, string>;
    expect(edge["gateway.envoyproxy.io/owning-gateway-name"]).toBe(kubernetesNames.gateway.gatewayName);
    // A pod of the LLM gateway carries its own owning-gateway label, which differs from the edge's.
    expect(llm["gateway.envoyproxy.io/owning-gateway-name"]).not.toBe(edge["gateway.envoyproxy.io/owning-gateway-name"]);
});
