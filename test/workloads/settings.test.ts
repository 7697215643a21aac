import { recordedSoFar, type ProgramRun } from "../../tools/engine/harness";
import { SettingsError } from "../../stacks";
import { acmeServers } from "../../components/workloads/addons";
import { byName, oneWorkloadObject, runWorkloads } from "./run";

/** Runs with overrides and returns the settings error's message; fails when the run succeeds or fails otherwise. */
async function refusal(stack: "staging" | "prod", overrides: Record<string, unknown>): Promise<string> {
    const error = await runWorkloads(stack, "aws", overrides).then(
        () => undefined,
        (e: unknown) => e,
    );
    // The program is loaded in isolation, so its SettingsError is another copy of the class: compare by name.
    expect((error as Error | undefined)?.name).toBe(SettingsError.name);
    // Refused before anything reached a cluster.
    expect(recordedSoFar().filter((r) => r.type.startsWith("kubernetes:"))).toEqual([]);
    return (error as Error).message;
}

describe("settings the workloads depend on refuse bad values, naming the key", () => {
    test.each([
        ["ingress.domain", "https://agents.example.com", "must be a lower-case DNS name"],
        ["ingress.domain", "Agents Example", "must be a lower-case DNS name"],
        ["ingress.domain", `${"a".repeat(64)}.example.com`, "labels of at most 63 characters"],
        ["ingress.domain", `${"abcdefghi.".repeat(25)}example.com`, "at most 253 characters"],
        ["ingress.clusterIssuer", "Lets_Encrypt", "must be a Kubernetes name"],
        ["ingress.gatewayClassName", "envoy gateway", "must be a Kubernetes name"],
        ["ingress.acmeEmail", "platform-team", "e-mail"],
        ["ingress.maxRequestBodySize", "10m", 'size such as "10Mi"'],
        ["ingress.maxRequestBodySize", "0", 'size such as "10Mi"'],
        ["ingress.requestTimeoutSeconds", 60, "at least app.responseTimeoutSeconds"],
        ["ingress.rateLimitRps", 0, "must be a whole number from 1 to"],
        ["ingress.proxyReplicas", 1, "at least 2 in prod"],
        ["addons.controllerReplicas", 1, "at least 2 in prod"],
        ["ingress.controllerReplicas", 0, "must be a whole number from 1 to"],
        ["ingress.proxyResources.limits.memory", "1GB", "memory quantity"],
        ["app.port", 80, "from 1024 to 65535"],
        ["app.metricsPort", 8080, "must differ from app.port"],
        ["app.workerHeartbeatFile", "/var/run/worker-heartbeat", "under /tmp/"],
        ["app.probes.liveness.periodSeconds", 0, "from 1 to"],
        ["app.migration.backoffLimit", -1, "from 0 to"],
        ["app.apiCommand", [], "must name a command"],
        ["api.resources.requests.cpu", "4", "must not exceed api.resources.limits.cpu"],
        ["worker.resources.requests.memory", "8Gi", "must not exceed worker.resources.limits.memory"],
        ["api.resources.limits.memory", "2GB", "memory quantity"],
        ["api.terminationGracePeriodSeconds", 30, "app.preStopSleepSeconds + app.responseTimeoutSeconds"],
        ["api.minReplicas", 30, "api.maxReplicas"],
        ["api.cpuTargetPercent", 150, "percentage"],
        ["worker.cpuTargetPercent", 70, "is not a setting of ai-platform:worker"],
        ["worker.minReplicas", 2, "must be at least 3 in prod (workers, one per zone of the cluster)"],
        ["worker.queue.tasksPerReplica", 0, "must be a whole number from 1 to"],
        ["api.inFlightRequestsTarget", 51, "at most app.maxConcurrentAgents (50)"],
        ["addons.keda", "2.x", "pinned chart version"],
        ["addons.envoyGateway", "latest", "pinned chart version"],
        ["addons.certManager", "^1.19", "pinned chart version"],
        ["addons.timeoutSeconds", 0, "from 1 to"],
        ["addons.kubePrometheusStackTimeoutSeconds", 0, "from 1 to"],
        ["addons.kubePrometheusStackTimeoutSeconds", 90.5, "from 1 to"],
        ["addons.controllerReplicas", 0, "must be a whole number from 1 to"],
    ])("ai-platform:%s = %j", async (key, value, allowed) => {
        const message = await refusal("prod", { [`ai-platform:${key}`]: value });
        const line = message.split("\n").find((l) => l.includes(`ai-platform:${key} =`));
        expect(line).toBeDefined();
        expect(line).toContain(allowed);
    });

    test.each([
        ["ingress.className", "nginx", "was replaced by ingress.gatewayClassName"],
        ["ingress.bodySize", "10m", "was replaced by ingress.maxRequestBodySize"],
        ["ingress.readTimeoutSeconds", 300, "was replaced by ingress.requestTimeoutSeconds"],
        ["addons.ingressNginx", "4.14.1", "was replaced by addons.envoyGateway"],
    ])("the old key ai-platform:%s says what replaced it", async (key, value, replacement) => {
        const message = await refusal("staging", { [`ai-platform:${key}`]: value });
        const line = message.split("\n").find((l) => l.includes(`ai-platform:${key}`));
        expect(line).toContain(replacement);
    });

    test("two old keys in one section are both reported", async () => {
        const message = await refusal("staging", { "ai-platform:ingress.className": "nginx", "ai-platform:ingress.bodySize": "10m" });
        expect(message).toContain("ai-platform:ingress.className");
        expect(message).toContain("ai-platform:ingress.bodySize");
    });

    test("one proxy replica is enough for staging", async () => {
        await expect(runWorkloads("staging", "aws", { "ai-platform:ingress.proxyReplicas": 1 })).resolves.toBeDefined();
    });

    test("a missing domain is refused", async () => {
        const message = await refusal("staging", { "ai-platform:ingress": { acmeEmail: "platform-team@example.com" } });
        expect(message).toMatch(/ai-platform:ingress\.domain = \(not set\): is required/);
    });
});

describe("settings the workloads depend on flow through", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        // Staging: prod refuses the staging ACME issuer.
        run = await runWorkloads("staging", "gcp", {
            "ai-platform:ingress.domain": "api.agents.example.org",
            "ai-platform:ingress.clusterIssuer": "letsencrypt-staging",
            "ai-platform:ingress.gatewayClassName": "public",
            "ai-platform:ingress.rateLimitRps": 5,
            "ai-platform:app.port": 3000,
            "ai-platform:app.preStopSleepSeconds": 20,
            "ai-platform:api.maxReplicas": 40,
            "ai-platform:app.workerProbeCommand": ["/bin/healthcheck", "--worker"],
        });
    });

    test("domain, issuer and gateway class reach the Gateway, its routes, the ClusterIssuer and the rate limit", () => {
        const gateway = byName(run, "kubernetes:gateway.networking.k8s.io/v1:Gateway", "agent-edge").inputs;
        expect(gateway.spec.listeners.map((l: { hostname: string }) => l.hostname)).toEqual(["api.agents.example.org", "api.agents.example.org"]);
        expect(gateway.spec.gatewayClassName).toBe("public");
        expect(oneWorkloadObject(run, "kubernetes:gateway.networking.k8s.io/v1:GatewayClass").inputs.metadata.name).toBe("public");
        expect(gateway.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt-staging");
        for (const route of run.ofType("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")) expect(route.inputs.spec.hostnames).toEqual(["api.agents.example.org"]);
        const limit = byName(run, "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy", "agent-api").inputs.spec.rateLimit.local.rules[0].limit;
        expect(limit).toEqual({ requests: 5, unit: "Second" });
        const issuer = oneWorkloadObject(run, "kubernetes:cert-manager.io/v1:ClusterIssuer").inputs;
        expect(issuer.metadata.name).toBe("letsencrypt-staging");
        expect(issuer.spec.acme.server).toBe(acmeServers.staging);
        expect(run.outputs.apiUrl.value).toBe("https://api.agents.example.org");
    });

    test("the app port reaches the container, the ConfigMap and the network policy; the autoscaler its new ceiling", () => {
        const api = byName(run, "kubernetes:apps/v1:Deployment", "agent-api").inputs.spec.template.spec.containers[0];
        expect(api.ports[0]).toEqual({ name: "http", containerPort: 3000, protocol: "TCP" });
        expect(api.lifecycle.preStop.sleep.seconds).toBe(20);
        expect(oneWorkloadObject(run, "kubernetes:core/v1:ConfigMap").inputs.data.PORT).toBe("3000");
        const fromGateway = byName(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "allow-api-from-gateway").inputs.spec.ingress[0];
        expect(fromGateway.ports).toEqual([{ protocol: "TCP", port: 3000 }]);
        // The proxies' egress to the API follows the port too.
        const proxyEgress = byName(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "allow-proxy").inputs.spec.egress;
        expect(proxyEgress.some((r: { ports: { port: number }[] }) => r.ports.some((p) => p.port === 3000))).toBe(true);
        expect(byName(run, "kubernetes:keda.sh/v1alpha1:ScaledObject", "agent-api").inputs.spec.maxReplicaCount).toBe(40);
    });

    test("a custom image's worker probe replaces the default heartbeat check", () => {
        const worker = byName(run, "kubernetes:apps/v1:Deployment", "agent-worker").inputs.spec.template.spec.containers[0];
        expect(worker.livenessProbe.exec.command).toEqual(["/bin/healthcheck", "--worker"]);
    });
});
