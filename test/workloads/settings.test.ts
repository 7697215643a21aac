import { recordedSoFar, type ProgramRun } from "../harness";
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
        ["ingress.clusterIssuer", "Lets_Encrypt", "must be a Kubernetes name"],
        ["ingress.className", "nginx public", "must be a Kubernetes name"],
        ["ingress.acmeEmail", "platform-team", "e-mail"],
        ["ingress.bodySize", "ten megabytes", "nginx size"],
        ["ingress.readTimeoutSeconds", 60, "at least app.responseTimeoutSeconds"],
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
        ["worker.cpuTargetPercent", 150, "percentage"],
        ["addons.ingressNginx", "latest", "pinned chart version"],
        ["addons.certManager", "^1.19", "pinned chart version"],
        ["addons.timeoutSeconds", 0, "from 1 to"],
    ])("ai-platform:%s = %j", async (key, value, allowed) => {
        const message = await refusal("prod", { [`ai-platform:${key}`]: value });
        const line = message.split("\n").find((l) => l.includes(`ai-platform:${key} =`));
        expect(line).toBeDefined();
        expect(line).toContain(allowed);
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
            "ai-platform:ingress.className": "public",
            "ai-platform:ingress.rateLimitRps": 5,
            "ai-platform:app.port": 3000,
            "ai-platform:app.preStopSleepSeconds": 20,
            "ai-platform:api.maxReplicas": 40,
            "ai-platform:app.workerProbeCommand": ["/bin/healthcheck", "--worker"],
        });
    });

    test("domain, issuer and ingress class reach the Ingress, the ClusterIssuer and the controller", () => {
        const ingress = oneWorkloadObject(run, "kubernetes:networking.k8s.io/v1:Ingress").inputs;
        expect(ingress.spec.rules[0].host).toBe("api.agents.example.org");
        expect(ingress.spec.ingressClassName).toBe("public");
        expect(ingress.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt-staging");
        expect(ingress.metadata.annotations["nginx.ingress.kubernetes.io/limit-rps"]).toBe("5");
        const issuer = oneWorkloadObject(run, "kubernetes:cert-manager.io/v1:ClusterIssuer").inputs;
        expect(issuer.metadata.name).toBe("letsencrypt-staging");
        expect(issuer.spec.acme.server).toBe(acmeServers.staging);
        expect(issuer.spec.acme.solvers[0].http01.ingress.ingressClassName).toBe("public");
        const controller = run.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "ingress-nginx")!.inputs.values.controller;
        expect(controller.ingressClassResource.name).toBe("public");
        expect(run.outputs.apiUrl.value).toBe("https://api.agents.example.org");
    });

    test("the app port reaches the container, the ConfigMap and the network policy; the HPA its new ceiling", () => {
        const api = byName(run, "kubernetes:apps/v1:Deployment", "agent-api").inputs.spec.template.spec.containers[0];
        expect(api.ports[0]).toEqual({ name: "http", containerPort: 3000, protocol: "TCP" });
        expect(api.lifecycle.preStop.sleep.seconds).toBe(20);
        expect(oneWorkloadObject(run, "kubernetes:core/v1:ConfigMap").inputs.data.PORT).toBe("3000");
        const fromController = byName(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "allow-api-from-ingress-controller").inputs.spec.ingress[0];
        expect(fromController.ports).toEqual([{ protocol: "TCP", port: 3000 }]);
        expect(byName(run, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "agent-api").inputs.spec.maxReplicas).toBe(40);
    });

    test("a custom image's worker probe replaces the default heartbeat check", () => {
        const worker = byName(run, "kubernetes:apps/v1:Deployment", "agent-worker").inputs.spec.template.spec.containers[0];
        expect(worker.livenessProbe.exec.command).toEqual(["/bin/healthcheck", "--worker"]);
    });
});
