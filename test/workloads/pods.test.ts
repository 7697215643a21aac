import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import { environmentDefaults } from "../../stacks";
import { migrationJobName } from "../../components/workloads/migration";
import { appNamespacePodRunners, byName, combinations, oneWorkloadObject, podTemplatePath, runWorkloads, workloadObjectsOfType } from "./run";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const JOB = "kubernetes:batch/v1:Job";
const CRONJOB = "kubernetes:batch/v1:CronJob";
const CONFIGMAP = "kubernetes:core/v1:ConfigMap";
const SECRET = "kubernetes:core/v1:Secret";

/** The pods the profile checks cover: every pod of the app namespace, the operations backup CronJob's included. */
const podRunners = appNamespacePodRunners;

function containersOf(podSpec: any): any[] {
    return [...(podSpec.initContainers ?? []), ...podSpec.containers];
}

describe.each(combinations)("pods on %s / %s", (stack, cloud) => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runWorkloads(stack, cloud);
    });
    const defaults = environmentDefaults[stack];

    test("there are pods to check: the API and worker Deployments, the migration Job and the operations backup CronJob", () => {
        expect(podRunners(run).map((r) => `${r.type}/${r.inputs.metadata.name}`)).toEqual(
            expect.arrayContaining([
                `${DEPLOYMENT}/agent-api`,
                `${DEPLOYMENT}/agent-worker`,
                expect.stringMatching(/^kubernetes:batch\/v1:Job\/ai-agent-migrate-[0-9a-f]{10}$/),
                `${CRONJOB}/postgres-backup`,
            ]),
        );
    });

    test("every pod meets the restricted Pod Security profile at pod level and does not mount an API token", () => {
        for (const r of podRunners(run)) {
            const spec = podTemplatePath[r.type](r.inputs).spec;
            expect({ name: r.name, sc: spec.securityContext }).toEqual({ name: r.name, sc: expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }) });
            expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
            expect(spec.automountServiceAccountToken).toBe(false);
            expect(spec.hostNetwork ?? false).toBe(false);
            expect(spec.hostPID ?? false).toBe(false);
            expect((spec.volumes ?? []).filter((v: any) => v.hostPath)).toEqual([]);
        }
    });

    test("every container meets the restricted profile, has a writable /tmp only, and has requests and limits", () => {
        for (const r of podRunners(run)) {
            const spec = podTemplatePath[r.type](r.inputs).spec;
            for (const c of containersOf(spec)) {
                const where = `${r.name}/${c.name}`;
                expect({ where, sc: c.securityContext }).toEqual({
                    where,
                    sc: expect.objectContaining({
                        runAsNonRoot: true,
                        allowPrivilegeEscalation: false,
                        readOnlyRootFilesystem: true,
                        capabilities: { drop: ["ALL"] },
                        seccompProfile: { type: "RuntimeDefault" },
                    }),
                });
                expect(c.securityContext.privileged ?? false).toBe(false);
                expect(c.securityContext.capabilities.add ?? []).toEqual([]);
                expect(c.securityContext.runAsUser ?? spec.securityContext.runAsUser).toBeGreaterThan(0);
                const tmp = (c.volumeMounts ?? []).find((m: any) => m.mountPath === "/tmp");
                // /tmp is scratch space: an emptyDir (a sizeLimit is welcome), never a host or persistent volume.
                expect({ where, tmp: spec.volumes.find((v: any) => v.name === tmp?.name) }).toEqual({ where, tmp: { name: tmp?.name, emptyDir: expect.any(Object) } });
                for (const kind of ["requests", "limits"]) {
                    expect({ where, kind, set: c.resources?.[kind] }).toEqual({ where, kind, set: { cpu: expect.any(String), memory: expect.any(String) } });
                }
            }
        }
    });

    test("no image is unpinned or `latest`: service images are digest-pinned", () => {
        for (const r of podRunners(run)) {
            for (const c of containersOf(podTemplatePath[r.type](r.inputs).spec)) {
                expect(c.image).not.toMatch(/:latest$/);
                expect(c.image).toMatch(/(:[\w][\w.-]*|@sha256:[a-f0-9]{64})$/);
            }
        }
        const service = [byName(run, DEPLOYMENT, "agent-api"), byName(run, DEPLOYMENT, "agent-worker"), oneWorkloadObject(run, JOB)];
        for (const r of service) expect(r.inputs.spec.template.spec.containers[0].image).toMatch(/@sha256:[a-f0-9]{64}$/);
    });

    test("every Deployment container has liveness, readiness and startup probes", () => {
        for (const d of run.ofType(DEPLOYMENT)) {
            for (const c of d.inputs.spec.template.spec.containers) {
                for (const p of ["livenessProbe", "readinessProbe", "startupProbe"]) expect({ where: `${d.name}/${c.name}`, p, set: !!c[p] }).toEqual({ where: `${d.name}/${c.name}`, p, set: true });
            }
        }
    });

    test("every pod-running object and its pod template carry the standard labels", () => {
        for (const r of podRunners(run)) {
            const template = podTemplatePath[r.type](r.inputs);
            for (const labels of [r.inputs.metadata.labels, template.metadata.labels]) {
                expect(labels).toEqual(expect.objectContaining({ project: "ai-platform", environment: stack, owner: expect.any(String), "cost-center": expect.any(String), "managed-by": "pulumi" }));
            }
        }
    });

    describe("API Deployment", () => {
        let api: RecordedResource;
        let container: any;
        beforeAll(() => {
            api = byName(run, DEPLOYMENT, "agent-api");
            container = api.inputs.spec.template.spec.containers[0];
        });

        test(`runs ${stack === "prod" ? "3" : defaults.api.replicas} replicas to start with, then leaves replicas to the HPA`, () => {
            expect(api.inputs.spec.replicas).toBe(stack === "prod" ? 3 : defaults.api.replicas);
            expect(api.options.ignoreChanges).toContain("spec.replicas");
        });

        test("rolls one extra pod at a time and never drops below the desired count", () => {
            expect(api.inputs.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
        });

        test("selects its pods by stable labels the pod template carries", () => {
            const selector = { "app.kubernetes.io/name": "ai-agent", "app.kubernetes.io/component": "api" };
            expect(api.inputs.spec.selector).toEqual({ matchLabels: selector });
            expect(api.inputs.spec.template.metadata.labels).toEqual(expect.objectContaining(selector));
            expect(api.inputs.metadata.labels).toEqual(expect.objectContaining(selector));
        });

        test("spreads across zones and hosts", () => {
            const spread = api.inputs.spec.template.spec.topologySpreadConstraints;
            expect(spread.map((s: any) => s.topologyKey)).toEqual(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
            for (const s of spread) expect(s.labelSelector.matchLabels).toEqual({ "app.kubernetes.io/name": "ai-agent", "app.kubernetes.io/component": "api" });
        });

        test("is probed on /health and /ready with the seed timings, behind a startup probe", () => {
            expect(container.livenessProbe).toEqual({ httpGet: { path: "/health", port: "http" }, initialDelaySeconds: 30, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 });
            expect(container.readinessProbe).toEqual({ httpGet: { path: "/ready", port: "http" }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
            expect(container.startupProbe.httpGet).toEqual({ path: "/health", port: "http" });
            expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBeGreaterThanOrEqual(60);
        });

        test("has its environment's resources, the API command and the app and metrics ports", () => {
            expect(container.resources).toEqual(defaults.api.resources);
            if (stack === "prod") expect(container.resources).toEqual({ requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } });
            expect(container.command).toEqual(["node", "server.js"]);
            expect(container.ports).toEqual([
                { name: "http", containerPort: 8080, protocol: "TCP" },
                { name: "metrics", containerPort: 9090, protocol: "TCP" },
            ]);
        });

        test("takes its environment from the ConfigMap and the Secret, never from plain env values", () => {
            expect(container.envFrom).toEqual([{ configMapRef: { name: "agent-config" } }, { secretRef: { name: "agent-secrets" } }]);
            expect(container.env ?? []).toEqual([]);
        });

        test("is scraped by Prometheus on the metrics port and rolls when config or secrets change", () => {
            const annotations = api.inputs.spec.template.metadata.annotations;
            expect(annotations).toEqual(expect.objectContaining({ "prometheus.io/scrape": "true", "prometheus.io/port": "9090", "prometheus.io/path": "/metrics" }));
            expect(annotations["ai-platform/config-checksum"]).toMatch(/^[0-9a-f]{64}$/);
            expect(api.secretPaths).toContain("spec.template.metadata.annotations.ai-platform/config-checksum");
        });

        test("terminates gracefully: a preStop sleep drains the endpoints within the grace period", () => {
            const spec = api.inputs.spec.template.spec;
            expect(spec.terminationGracePeriodSeconds).toBe(defaults.api.terminationGracePeriodSeconds);
            expect(container.lifecycle.preStop.sleep.seconds).toBeGreaterThan(0);
            expect(container.lifecycle.preStop.sleep.seconds).toBeLessThan(spec.terminationGracePeriodSeconds);
        });

        test("runs as the API service account and rolls out only after the migration Job", () => {
            expect(api.inputs.spec.template.spec.serviceAccountName).toBe("agent-api");
            expect(run.dependsOn(api, oneWorkloadObject(run, JOB))).toBe(true);
        });
    });

    describe("worker Deployment", () => {
        let worker: RecordedResource;
        let container: any;
        beforeAll(() => {
            worker = byName(run, DEPLOYMENT, "agent-worker");
            container = worker.inputs.spec.template.spec.containers[0];
        });

        test(`runs the queue consumer of the same image, ${stack === "prod" ? 3 : defaults.worker.replicas} replicas to start, its own resources`, () => {
            const api = byName(run, DEPLOYMENT, "agent-api").inputs.spec.template.spec.containers[0];
            expect(container.image).toBe(api.image);
            expect(container.command).toEqual(["node", "worker.js"]);
            expect(worker.inputs.spec.replicas).toBe(stack === "prod" ? 3 : defaults.worker.replicas);
            expect(worker.options.ignoreChanges).toContain("spec.replicas");
            expect(container.resources).toEqual(defaults.worker.resources);
            expect(worker.inputs.spec.template.spec.terminationGracePeriodSeconds).toBe(defaults.worker.terminationGracePeriodSeconds);
        });

        test("is probed by its heartbeat file, which the ConfigMap tells it where to write", () => {
            for (const p of ["livenessProbe", "readinessProbe", "startupProbe"]) {
                expect(container[p].exec.command).toEqual(["node", "-e", expect.stringContaining("process.env.WORKER_HEARTBEAT_FILE")]);
            }
            expect(container.livenessProbe).toEqual(expect.objectContaining({ periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 }));
            const config = oneWorkloadObject(run, CONFIGMAP).inputs.data;
            expect(config.WORKER_HEARTBEAT_FILE).toMatch(/^\/tmp\//);
        });

        test("exposes its metrics port for Prometheus and uses the worker service account", () => {
            expect(container.ports).toEqual([{ name: "metrics", containerPort: 9090, protocol: "TCP" }]);
            expect(worker.inputs.spec.template.metadata.annotations).toEqual(expect.objectContaining({ "prometheus.io/scrape": "true", "prometheus.io/port": "9090" }));
            expect(worker.inputs.spec.template.spec.serviceAccountName).toBe("agent-worker");
            expect(container.envFrom).toEqual([{ configMapRef: { name: "agent-config" } }, { secretRef: { name: "agent-secrets" } }]);
        });

        test("rolls out after the migration Job", () => {
            expect(run.dependsOn(worker, oneWorkloadObject(run, JOB))).toBe(true);
        });
    });

    describe("migration Job", () => {
        let job: RecordedResource;
        beforeAll(() => {
            job = oneWorkloadObject(run, JOB);
        });

        test("runs the migrate command once, never restarting in place, with a deadline and a TTL", () => {
            const spec = job.inputs.spec;
            expect(spec.template.spec.containers[0].command).toEqual(["node", "migrate.js"]);
            expect(spec.template.spec.restartPolicy).toBe("Never");
            expect(spec.backoffLimit).toBe(defaults.app.migration.backoffLimit);
            expect(spec.activeDeadlineSeconds).toBeGreaterThan(0);
            expect(spec.ttlSecondsAfterFinished).toBe(defaults.app.migration.ttlSecondsAfterFinished);
            expect(spec.template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: "agent-config" } }, { secretRef: { name: "agent-secrets" } }]);
        });

        test("is named after the image it migrates for, and replaced (deleted first) when that changes", () => {
            const image = job.inputs.spec.template.spec.containers[0].image;
            expect(job.inputs.metadata.name).toMatch(/^ai-agent-migrate-[0-9a-f]{10}$/);
            expect(job.options.deleteBeforeReplace).toBe(true);
            expect(job.inputs.spec.template.metadata.labels).toEqual(expect.objectContaining({ "app.kubernetes.io/component": "migrate" }));
            expect(image).toMatch(/@sha256:/);
        });

        test("starts only once its ConfigMap, Secret and network policies exist", () => {
            expect(run.dependsOn(job, oneWorkloadObject(run, CONFIGMAP))).toBe(true);
            expect(run.dependsOn(job, byName(run, SECRET, "agent-secrets"))).toBe(true);
            const policies = workloadObjectsOfType(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => p.inputs.metadata.namespace === "ai-agents");
            expect(policies.length).toBeGreaterThan(0);
            for (const policy of policies) expect(run.dependsOn(job, policy)).toBe(true);
        });
    });
});

describe("migration Job name", () => {
    const settings = { ...environmentDefaults.prod, project: "ai-platform", stack: "prod", environment: "prod" } as any;
    const ref = `registry.example.com/agent@sha256:${"a".repeat(64)}`;

    test("is the same for the same image and settings, so an unchanged update does not re-run it", () => {
        expect(migrationJobName(ref, settings)).toBe(migrationJobName(ref, settings));
    });

    test("changes with the image, so a new image re-runs the migration", () => {
        expect(migrationJobName(ref.replace(/a{64}/, "b".repeat(64)), settings)).not.toBe(migrationJobName(ref, settings));
    });

    test("changes with the command, because a Job's template cannot be changed in place", () => {
        const other = { ...settings, app: { ...settings.app, migrateCommand: ["node", "migrate.js", "--to", "latest"] } };
        expect(migrationJobName(ref, other)).not.toBe(migrationJobName(ref, settings));
    });

    test("is a valid Kubernetes name", () => {
        expect(migrationJobName(ref, settings)).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
    });
});

describe("each pod helper has one import path", () => {
    test("podSpec.ts exports pod-spec helpers only, no re-exports of the shared or label helpers", async () => {
        const podSpec = await import("../../components/workloads/podSpec");
        const shared = { ...(await import("../../components/shared/options")), ...(await import("../../components/shared/kubernetes")), ...(await import("../../components/workloads/labels")) };
        expect(Object.keys(podSpec).filter((name) => name in shared)).toEqual([]);
        expect(Object.keys(podSpec)).toEqual(expect.arrayContaining(["restrictedPodSpec", "serviceContainer", "probe", "zoneAndHostSpread"]));
    });
});
