import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import { environmentDefaults } from "../../stacks";
import { metricsContract } from "../../components/operations/metrics";
import { kedaSchemaErrors } from "./kedaSchemas";
import { byName, combinations, runWorkloads, workloadObjects, workloadObjectsOfType, type Cloud, type Stack } from "./run";

const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const TRIGGER_AUTH = "kubernetes:keda.sh/v1alpha1:TriggerAuthentication";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const SECRET = "kubernetes:core/v1:Secret";

const runs = new Map<string, ProgramRun>();
const runOf = (stack: Stack, cloud: Cloud) => runs.get(`${stack}/${cloud}`)!;

beforeAll(async () => {
    for (const [stack, cloud] of combinations) runs.set(`${stack}/${cloud}`, await runWorkloads(stack, cloud));
});

const kedaRelease = (run: ProgramRun) => run.ofType(RELEASE).find((r) => r.inputs.chart === "keda")!;
const kedaObjects = (run: ProgramRun) => [...workloadObjectsOfType(run, SCALED_OBJECT), ...workloadObjectsOfType(run, TRIGGER_AUTH)];
const asManifest = (r: RecordedResource) => ({ apiVersion: r.inputs.apiVersion, kind: r.inputs.kind, metadata: r.inputs.metadata, spec: r.inputs.spec });

describe("KEDA objects against KEDA's published schemas (@kubernetes-models/keda)", () => {
    test("every ScaledObject and TriggerAuthentication of every stack on both clouds is valid", () => {
        const objects = combinations.flatMap(([stack, cloud]) => kedaObjects(runOf(stack, cloud)).map(asManifest));
        expect(objects.length).toBe(combinations.length * 3);
        expect(kedaSchemaErrors(objects)).toEqual([]);
    });

    test("the validation can fail: a number where KEDA wants a string, a fallback behaviour it does not know, no triggers", () => {
        const worker = asManifest(byName(runOf("staging", "aws"), SCALED_OBJECT, "agent-worker"));
        const api = asManifest(byName(runOf("prod", "aws"), SCALED_OBJECT, "agent-api"));
        const spec = (o: { spec: unknown }) => o.spec as { triggers: { metadata: object }[] };
        const broken = [
            { ...worker, spec: { ...spec(worker), triggers: [{ ...spec(worker).triggers[0], metadata: { ...spec(worker).triggers[0].metadata, listLength: 5 } }] } },
            { ...api, spec: { ...spec(api), fallback: { failureThreshold: 3, replicas: 3, behavior: "guess" } } },
            { ...api, spec: { ...spec(api), triggers: undefined } },
        ];
        expect(kedaSchemaErrors(broken)).toEqual([
            expect.stringContaining("listLength must be string"),
            expect.stringContaining("fallback/behavior must be equal to one of the allowed values"),
            expect.stringContaining("must have required property triggers"),
        ]);
    });
});

describe("AWS and GCP declare the same scaling objects", () => {
    /** A scaling object with what only the cloud decides (the cache's address) taken out. */
    const neutral = (r: RecordedResource) => JSON.parse(JSON.stringify(r.inputs).replace(/"address":"[^"]*"/g, '"address":"<cache>"'));
    test.each(["staging", "prod"] as const)("%s", (stack) => {
        for (const name of ["agent-api", "agent-worker"]) {
            expect(neutral(byName(runOf(stack, "gcp"), SCALED_OBJECT, name))).toEqual(neutral(byName(runOf(stack, "aws"), SCALED_OBJECT, name)));
        }
        expect(workloadObjectsOfType(runOf(stack, "gcp"), TRIGGER_AUTH).map((r) => r.inputs.metadata.name)).toEqual(
            workloadObjectsOfType(runOf(stack, "aws"), TRIGGER_AUTH).map((r) => r.inputs.metadata.name),
        );
    });
});

describe.each(combinations)("autoscaling on %s / %s", (stack, cloud) => {
    let run: ProgramRun;
    beforeAll(() => {
        run = runOf(stack, cloud);
    });
    const defaults = environmentDefaults[stack];

    describe("the KEDA release", () => {
        test("is pinned, atomic, time-boxed, in its own namespace under the restricted profile, and installs the CRDs", () => {
            const release = kedaRelease(run);
            expect(release.inputs).toEqual(
                expect.objectContaining({ chart: "keda", version: defaults.addons.keda, namespace: "keda", atomic: true, cleanupOnFail: true, timeout: defaults.addons.timeoutSeconds }),
            );
            expect(release.inputs.repositoryOpts).toEqual({ repo: "https://kedacore.github.io/charts" });
            expect(release.inputs.values.crds).toEqual({ install: true });
            const namespace = run.ofType("kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === "keda")!;
            expect(namespace.inputs.metadata.labels).toEqual(
                expect.objectContaining({ "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": `v${defaults.cluster.kubernetesVersion}` }),
            );
            expect(run.dependsOn(release, namespace)).toBe(true);
        });

        test("every KEDA pod runs restricted: non-root, no privilege escalation, no capabilities, read-only root, RuntimeDefault seccomp", () => {
            const values = kedaRelease(run).inputs.values;
            for (const pod of ["operator", "metricServer", "webhooks"]) {
                expect(values.podSecurityContext[pod]).toEqual(expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }));
                expect(values.securityContext[pod]).toEqual(
                    expect.objectContaining({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } }),
                );
            }
        });

        test(`runs ${stack === "prod" ? "two of each KEDA component with disruption budgets" : "one of each KEDA component"}`, () => {
            const values = kedaRelease(run).inputs.values;
            const replicas = stack === "prod" ? 2 : 1;
            expect([values.operator.replicaCount, values.metricsServer.replicaCount, values.webhooks.replicaCount]).toEqual([replicas, replicas, replicas]);
            if (stack === "prod") expect(values.podDisruptionBudget.operator).toEqual({ minAvailable: 1 });
        });

        test("its namespace denies all traffic, then lets the operator reach only the queue, Prometheus, DNS and the Kubernetes API", () => {
            const policies = workloadObjectsOfType(run, POLICY)
                .filter((p) => p.inputs.metadata.namespace === "keda")
                .map((p) => p.inputs);
            const named = (name: string) => policies.find((p) => p.metadata.name === name)!.spec;
            expect(named("default-deny-all")).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
            const operator = named("allow-operator-to-queue-and-prometheus");
            expect(operator.podSelector).toEqual({ matchLabels: { app: "keda-operator" } });
            const dataStores = cloud === "gcp" ? defaults.network.privateServicesCidr : defaults.network.cidr;
            // The port the service connects to (Memorystore serves TLS on 6378).
            const cachePort = Number(new URL(byName(run, SECRET, "agent-secrets").inputs.stringData.REDIS_URL).port);
            expect(operator.egress[0]).toEqual({ to: [{ ipBlock: { cidr: dataStores } }], ports: [{ protocol: "TCP", port: cachePort }] });
            expect(operator.egress[1].to[0].namespaceSelector.matchLabels).toEqual({ "kubernetes.io/metadata.name": "monitoring" });
            expect(operator.egress[1].ports).toEqual([{ protocol: "TCP", port: 9090 }]);
            // Only KEDA's own pods reach the API, on the 443 both managed endpoints serve (never 6443).
            expect(named("allow-kube-api")).toEqual({
                podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["keda-operator", "keda-operator-metrics-apiserver", "keda-admission-webhooks"] }] },
                policyTypes: ["Egress"],
                egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] }],
            });
            // The control plane calls back on 10250, the one port besides 443 a private GKE control plane may reach; the chart listens there.
            // Its calls come from the cluster's network (EKS's ENIs in the VPC, GKE's PSC endpoint in the nodes' subnet), not from anywhere.
            const controlPlane = [{ ipBlock: { cidr: defaults.network.cidr } }];
            expect(named("allow-control-plane-to-webhooks").ingress).toEqual([{ from: controlPlane, ports: [{ protocol: "TCP", port: 10250 }] }]);
            expect(named("allow-control-plane-to-metrics-api").ingress).toEqual([{ from: controlPlane, ports: [{ protocol: "TCP", port: 10250 }] }]);
            expect(kedaRelease(run).inputs.values.webhooks.port).toBe(10250);
            expect(kedaRelease(run).inputs.values.service.portHttpsTarget).toBe(10250);
            expect(named("allow-operator-grpc-from-metrics-api-server").ingress[0].ports).toEqual([{ protocol: "TCP", port: 9666 }]);
            // Nothing else leaves the namespace: every egress rule is one of these.
            const egressPorts = policies.flatMap((p) => (p.spec.egress ?? []).flatMap((rule: any) => rule.ports.map((port: any) => port.port)));
            expect([...new Set(egressPorts)].sort((a: number, b: number) => a - b)).toEqual([...new Set([53, 443, 9666, 9090, cachePort])].sort((a, b) => a - b));
            // The chart's own, wider policies are off.
            expect(kedaRelease(run).inputs.values.networkPolicy).toEqual({ enabled: false });
        });
    });

    describe("the worker's ScaledObject", () => {
        let spec: any;
        let config: Record<string, string>;
        let redisUrl: URL;
        beforeAll(() => {
            spec = byName(run, SCALED_OBJECT, "agent-worker").inputs.spec;
            config = byName(run, "kubernetes:core/v1:ConfigMap", "agent-config").inputs.data;
            redisUrl = new URL(byName(run, SECRET, "agent-secrets").inputs.stringData.REDIS_URL);
        });

        test("reads the very Redis lists the service uses (from its ConfigMap), on the service's cache and database, over TLS", () => {
            const [queued, running] = spec.triggers;
            expect([queued.type, running.type]).toEqual(["redis", "redis"]);
            expect([queued.metadata.listName, running.metadata.listName]).toEqual([config.TASK_QUEUE, config.TASK_QUEUE_PROCESSING]);
            for (const trigger of spec.triggers) {
                expect(trigger.metadata.address).toBe(`${redisUrl.hostname}:${redisUrl.port}`);
                expect(trigger.metadata.databaseIndex).toBe(redisUrl.pathname.slice(1));
                expect(trigger.metadata.enableTLS).toBe(String(redisUrl.protocol === "rediss:"));
                expect(trigger.metadata.enableTLS).toBe("true");
                expect(trigger.authenticationRef).toEqual({ name: "agent-queue" });
            }
        });

        test("aims at tasksPerReplica waiting tasks per worker, and counts a running task as a busy worker", () => {
            const [queued, running] = spec.triggers;
            expect(queued.metadata.listLength).toBe(String(defaults.worker.queue.tasksPerReplica));
            expect(running.metadata.listLength).toBe("1");
            expect([queued.metadata.activationListLength, running.metadata.activationListLength]).toEqual(["0", "0"]);
        });

        test(`${stack === "prod" ? "keeps one worker per zone, so idle timing is left out" : "scales to zero after the queue has been empty for the cooldown"}`, () => {
            expect(spec.maxReplicaCount).toBe(defaults.worker.maxReplicas);
            if (stack === "prod") {
                expect(spec.minReplicaCount).toBe(defaults.network.availabilityZones);
                expect(spec.pollingInterval).toBeUndefined();
                expect(spec.cooldownPeriod).toBeUndefined();
            } else {
                expect(spec.minReplicaCount).toBe(0);
                expect([spec.pollingInterval, spec.cooldownPeriod]).toEqual([defaults.worker.queue.pollingIntervalSeconds, defaults.worker.queue.cooldownSeconds]);
            }
        });

        test("authenticates through a TriggerAuthentication on a Secret of its own: the AUTH token, and the cache's CA where it has one", () => {
            const auth = byName(run, TRIGGER_AUTH, "agent-queue");
            const secret = byName(run, SECRET, "keda-queue-auth");
            const parameters = cloud === "gcp" ? ["password", "ca"] : ["password"];
            expect(auth.inputs.spec.secretTargetRef).toEqual(parameters.map((parameter) => ({ parameter, name: "keda-queue-auth", key: parameter })));
            expect(Object.keys(secret.inputs.stringData).sort()).toEqual([...parameters].sort());
            expect(secret.inputs.stringData.password).toBe(decodeURIComponent(redisUrl.password));
            for (const key of parameters) expect(secret.secretPaths).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^stringData(\\.${key})?$`))]));
            // The service's own Secret (database password, provider keys) is not KEDA's to read.
            expect(JSON.stringify(auth.inputs)).not.toContain("agent-secrets");
        });

        test("waits for the KEDA release (CRDs, webhook), its authentication and the Deployment", () => {
            const scaled = byName(run, SCALED_OBJECT, "agent-worker");
            expect(run.dependsOn(scaled, kedaRelease(run))).toBe(true);
            expect(run.dependsOn(scaled, byName(run, TRIGGER_AUTH, "agent-queue"))).toBe(true);
            expect(run.dependsOn(byName(run, TRIGGER_AUTH, "agent-queue"), kedaRelease(run))).toBe(true);
            expect(run.dependsOn(scaled, byName(run, "kubernetes:apps/v1:Deployment", "agent-worker"))).toBe(true);
        });
    });

    describe("the API's ScaledObject", () => {
        let spec: any;
        beforeAll(() => {
            spec = byName(run, SCALED_OBJECT, "agent-api").inputs.spec;
        });

        test("scales on requests in flight per pod from Prometheus, and on CPU and memory", () => {
            const [requests, cpu, memory] = spec.triggers;
            expect(requests).toEqual({
                type: "prometheus",
                name: "requests-in-flight",
                metricType: "AverageValue",
                metadata: {
                    serverAddress: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
                    query: `sum(${metricsContract.httpRequestsInFlight}{namespace="ai-agents",component="api"})`,
                    threshold: String(defaults.api.inFlightRequestsTarget),
                },
            });
            expect(cpu).toEqual({ type: "cpu", metricType: "Utilization", metadata: { value: String(defaults.api.cpuTargetPercent) } });
            expect(memory).toEqual({ type: "memory", metricType: "Utilization", metadata: { value: String(defaults.api.memoryTargetPercent) } });
            expect([spec.minReplicaCount, spec.maxReplicaCount]).toEqual([defaults.api.minReplicas, defaults.api.maxReplicas]);
        });

        test("holds its size, never below the minimum, when Prometheus cannot be read", () => {
            expect(spec.fallback).toEqual({ failureThreshold: defaults.api.metricFailureThreshold, replicas: defaults.api.minReplicas, behavior: "currentReplicasIfHigher" });
        });

        test("waits for the KEDA release and the Deployment", () => {
            const scaled = byName(run, SCALED_OBJECT, "agent-api");
            expect(run.dependsOn(scaled, kedaRelease(run))).toBe(true);
            expect(run.dependsOn(scaled, byName(run, "kubernetes:apps/v1:Deployment", "agent-api"))).toBe(true);
        });
    });

    test("every KEDA object carries the standard labels", () => {
        for (const r of [...kedaObjects(run), byName(run, SECRET, "keda-queue-auth")]) {
            expect(r.inputs.metadata.labels).toEqual(expect.objectContaining({ project: "ai-platform", environment: stack, "managed-by": "pulumi" }));
        }
        expect(workloadObjects(run).filter((r) => r.type.startsWith("kubernetes:keda.sh/")).length).toBe(3);
    });
});

describe("scaling settings flow through", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runWorkloads("staging", "aws", {
            "ai-platform:worker": { minReplicas: 1, maxReplicas: 7, queue: { tasksPerReplica: 2, pollingIntervalSeconds: 5, cooldownSeconds: 60 } },
            "ai-platform:api": { inFlightRequestsTarget: 4, metricFailureThreshold: 6 },
            "ai-platform:addons.keda": "2.19.0",
        });
    });

    test("queue target and bounds reach the worker's ScaledObject; a floor above zero drops the idle timing", () => {
        const spec = byName(run, SCALED_OBJECT, "agent-worker").inputs.spec;
        expect([spec.minReplicaCount, spec.maxReplicaCount, spec.triggers[0].metadata.listLength]).toEqual([1, 7, "2"]);
        expect(spec.cooldownPeriod).toBeUndefined();
    });

    test("the request target and failure threshold reach the API's ScaledObject; the chart version the release", () => {
        const spec = byName(run, SCALED_OBJECT, "agent-api").inputs.spec;
        expect(spec.triggers[0].metadata.threshold).toBe("4");
        expect(spec.fallback.failureThreshold).toBe(6);
        expect(kedaRelease(run).inputs.version).toBe("2.19.0");
    });
});
