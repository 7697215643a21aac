import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { kubernetesNames } from "../../components/contract";
import type { ProgramRun, RecordedResource } from "../harness";
import { cases, label, runOperations, types, type Case } from "./run";

const uploader = {
    aws: { image: "public.ecr.aws/aws-cli/aws-cli:2.31.0", command: 'aws s3 cp - "s3://backups/$BACKUP_OBJECT" --sse aws:kms', cli: "aws" },
    gcp: { image: "gcr.io/google.com/cloudsdktool/google-cloud-cli:545.0.0-slim", command: 'gcloud storage cp - "gs://backups/$BACKUP_OBJECT"', cli: "gcloud" },
};
const defaultResources = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } };

/** Per-case stack config, so that overrides of schedule, engine version and resources are each shown once. */
const overrides: Record<string, { config: Record<string, unknown>; schedule: string; image: string; resources: typeof defaultResources }> = {
    "staging on aws": { config: {}, schedule: "0 2 * * *", image: "postgres:16-alpine", resources: defaultResources },
    "staging on gcp": {
        config: { "ai-platform:backup.resources": { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } } },
        schedule: "0 2 * * *",
        image: "postgres:16-alpine",
        resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
    },
    "prod on aws": { config: {}, schedule: "0 2 * * *", image: "postgres:16-alpine", resources: defaultResources },
    "prod on gcp": {
        config: { "ai-platform:backup.schedule": "30 */6 * * *", "ai-platform:database.engineVersion": "17" },
        schedule: "30 */6 * * *",
        image: "postgres:17-alpine",
        resources: defaultResources,
    },
};

describe.each(cases)("database backup: $stack on $cloud", (c: Case) => {
    const expected = overrides[label(c)];
    let run: ProgramRun;
    let cronJob: RecordedResource;
    let pod: any;
    beforeAll(async () => {
        run = await runOperations(c, { config: expected.config });
        cronJob = run.one(types.cronJob);
        pod = cronJob.inputs.spec.jobTemplate.spec.template;
    });
    const containers = () => [...pod.spec.initContainers, ...pod.spec.containers];
    const script = (container: { command: string[] }) => container.command[container.command.length - 1];

    test("runs on the configured schedule in the app namespace, never twice at once", () => {
        expect(cronJob.inputs.metadata).toMatchObject({ name: "postgres-backup", namespace: kubernetesNames.appNamespace });
        expect(cronJob.inputs.spec).toMatchObject({
            schedule: expected.schedule,
            timeZone: "Etc/UTC",
            concurrencyPolicy: "Forbid",
            successfulJobsHistoryLimit: expect.any(Number),
            failedJobsHistoryLimit: expect.any(Number),
            startingDeadlineSeconds: expect.any(Number),
        });
        expect(cronJob.inputs.spec.jobTemplate.spec.backoffLimit).toBeGreaterThan(0);
        expect(run.outputs.backupSchedule).toEqual({ value: expected.schedule, secret: false });
    });

    test("pods carry the labels the workloads' NetworkPolicies admit", () => {
        expect(pod.metadata.labels).toMatchObject({ "app.kubernetes.io/name": kubernetesNames.appName, "app.kubernetes.io/component": kubernetesNames.components.backup });
        expect(pod.metadata.labels).toMatchObject({ project: "ai-platform", environment: c.stack });
    });

    test("runs as the backup ServiceAccount, whose workload identity is the only credential", () => {
        expect(pod.spec.serviceAccountName).toBe(kubernetesNames.serviceAccounts.backup);
        const env = containers().flatMap((ct: { env?: { name: string; value?: string; valueFrom?: unknown }[] }) => ct.env ?? []);
        expect(env.filter((e) => /KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL/i.test(e.name))).toEqual([]);
        expect(env.filter((e) => e.valueFrom !== undefined)).toEqual([
            { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: kubernetesNames.appSecret, key: "DATABASE_URL" } } },
        ]);
        expect(pod.spec.volumes.every((v: Record<string, unknown>) => Object.keys(v).sort().join() === "emptyDir,name")).toBe(true);
        expect(containers().every((ct: Record<string, unknown>) => ct.envFrom === undefined)).toBe(true);
    });

    test("follows the restricted Pod Security profile with a fixed non-root UID", () => {
        expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: expect.any(Number), seccompProfile: { type: "RuntimeDefault" } });
        expect(pod.spec.securityContext.runAsUser).toBeGreaterThan(0);
        expect(pod.spec.securityContext.fsGroup).toBe(pod.spec.securityContext.runAsUser);
        for (const ct of containers()) {
            expect(ct.securityContext).toEqual({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
            expect(ct.volumeMounts.map((m: { mountPath: string }) => m.mountPath).sort()).toEqual(["/backup", "/tmp"]);
        }
    });

    test("sets requests and limits from settings.backup.resources", () => {
        for (const ct of containers()) expect(ct.resources).toEqual(expected.resources);
    });

    test("dumps with a pinned Postgres client of the server's major version", () => {
        const [dump] = pod.spec.initContainers;
        expect(dump.image).toBe(expected.image);
        expect(dump.image).not.toMatch(/:latest$/);
        expect(script(dump)).toContain('pg_dump --format=plain --clean --if-exists --no-owner --no-privileges --dbname="$DATABASE_URL" | gzip');
    });

    test("uploads with the foundation's uploader image and command, under a dated key", () => {
        const [upload] = pod.spec.containers;
        expect(upload.image).toBe(uploader[c.cloud].image);
        expect(script(upload)).toContain(`${uploader[c.cloud].command} < /backup/dump.sql.gz`);
        expect(script(upload)).toContain("export BACKUP_OBJECT");
        expect(pod.spec.restartPolicy).toBe("Never");
    });

    describe("the scripts, executed with stand-ins for pg_dump and the cloud CLI", () => {
        let dir: string;
        let run_: (pgDumpExit: number) => { bucket: string; dump: ReturnType<typeof spawnSync>; upload?: ReturnType<typeof spawnSync> };
        beforeAll(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-"));
            const bin = path.join(dir, "bin");
            fs.mkdirSync(bin);
            fs.writeFileSync(path.join(bin, "pg_dump"), '#!/bin/bash\necho "-- dump of $*"\necho "CREATE TABLE agents (id int);"\nexit "${PG_DUMP_EXIT:-0}"\n', { mode: 0o755 });
            // The stand-in CLI writes stdin to the object key it is given as its last "scheme://bucket/key" argument.
            fs.writeFileSync(
                path.join(bin, uploader[c.cloud].cli),
                `#!/bin/bash\nfor a in "$@"; do case "$a" in *://*) key="\${a#*://*/}";; esac; done\nmkdir -p "$BUCKET/$(dirname "$key")"\ncat > "$BUCKET/$key"\n`,
                { mode: 0o755 },
            );
            run_ = (pgDumpExit) => {
                const work = fs.mkdtempSync(path.join(dir, "run-"));
                const local = (s: string) => s.replace(/\/backup\b/g, path.join(work, "backup"));
                fs.mkdirSync(path.join(work, "backup"));
                const bucket = path.join(work, "bucket");
                const env = { PATH: `${bin}:${process.env.PATH}`, DATABASE_URL: "postgresql://u:p@db:5432/agents", BUCKET: bucket, PG_DUMP_EXIT: String(pgDumpExit) };
                // bash stands in for the image's busybox sh (both know `pipefail`; this machine's dash does not).
                const dump = spawnSync("bash", ["-c", local(script(pod.spec.initContainers[0]))], { env, encoding: "utf8" });
                if (dump.status !== 0) return { bucket, dump };
                const upload = spawnSync("bash", ["-c", local(script(pod.spec.containers[0]))], { env, encoding: "utf8" });
                return { bucket, dump, upload };
            };
        });
        afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

        test("stream a gzipped dump of DATABASE_URL to postgres/<db>-<UTC timestamp>.sql.gz", () => {
            const { bucket, dump, upload } = run_(0);
            expect(dump.status).toBe(0);
            expect(upload?.status).toBe(0);
            const uploaded = execFileSync("find", [bucket, "-type", "f"], { encoding: "utf8" }).trim().split("\n");
            expect(uploaded).toHaveLength(1);
            expect(uploaded[0]).toMatch(/\/bucket\/postgres\/agents-\d{8}T\d{6}Z\.sql\.gz$/);
            const sql = zlib.gunzipSync(fs.readFileSync(uploaded[0])).toString();
            expect(sql).toContain('--dbname=postgresql://u:p@db:5432/agents');
            expect(sql).toContain("CREATE TABLE agents");
        });

        test("fail, and upload nothing, when pg_dump fails", () => {
            const { bucket, dump, upload } = run_(1);
            expect(dump.status).not.toBe(0);
            expect(upload).toBeUndefined();
            expect(fs.existsSync(bucket)).toBe(false);
        });
    });
});
