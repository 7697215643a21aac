import { awsCliImage } from "../../components/aws/foundation";
import { kubernetesNames } from "../../components/contract";
import { uploaderImage as gcloudImage } from "../../components/gcp/backupBucket";
import { environmentDefaults } from "../../stacks";
import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import { byMetadata, cases, isSecretAt, label, operationsOne, recordedBackupBucket, runOperations, types, type Case } from "./run";

/** The uploader image each foundation module pins, and the CLI its upload command runs. */
const uploader = {
    aws: { image: awsCliImage, cli: "aws", subcommand: ["s3", "cp", "-"] },
    gcp: { image: gcloudImage, cli: "gcloud", subcommand: ["storage", "cp", "-"] },
};
const defaultResources = (c: Case) => environmentDefaults[c.stack].backup.resources;
const defaultImage = (c: Case) => `postgres:${environmentDefaults[c.stack].database.engineVersion}-alpine`;
const defaultSchedule = (c: Case) => environmentDefaults[c.stack].backup.schedule;

/** Per-case stack config, so that overrides of schedule, engine version and resources are each shown once; the other cases run the stacks as they are. */
const tuned: Record<string, { config: Record<string, unknown>; schedule?: string; image?: string; resources?: ReturnType<typeof defaultResources> }> = {
    "staging on gcp": {
        config: { "ai-platform:backup.resources": { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } } },
        resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
    },
    "prod on gcp": {
        config: { "ai-platform:backup.schedule": "30 */6 * * *", "ai-platform:database.engineVersion": "17" },
        schedule: "30 */6 * * *",
        image: "postgres:17-alpine",
    },
};

/** Whether a NetworkPolicy's pod selector selects a pod with these labels. */
function selects(selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }, labels: Record<string, string>): boolean {
    const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    return (
        byLabel &&
        (selector.matchExpressions ?? []).every((e) => {
            if (e.operator === "In") return e.values!.includes(labels[e.key]);
            if (e.operator === "NotIn") return !e.values!.includes(labels[e.key]);
            if (e.operator === "Exists") return e.key in labels;
            if (e.operator === "DoesNotExist") return !(e.key in labels);
            throw new Error(`unknown selector operator ${e.operator}`);
        })
    );
}

describe.each(cases)("database backup: $stack on $cloud", (c: Case) => {
    const setup = tuned[label(c)];
    const expected = { schedule: setup?.schedule ?? defaultSchedule(c), image: setup?.image ?? defaultImage(c), resources: setup?.resources ?? defaultResources(c) };
    let run: ProgramRun;
    let cronJob: RecordedResource;
    let pod: any;
    beforeAll(async () => {
        run = await runOperations(c, { config: setup?.config });
        cronJob = operationsOne(run, types.cronJob);
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

    test("the platform's NetworkPolicies let the backup pod reach DNS, the database and HTTPS object storage, each on named ports only", () => {
        const applying = run.ofType(types.networkPolicy).filter((p) => p.inputs.metadata.namespace === kubernetesNames.appNamespace && selects(p.inputs.spec.podSelector, pod.metadata.labels));
        // A default deny selects every pod, so only the allowed egress is open.
        expect(applying.some((p) => Object.keys(p.inputs.spec.podSelector).length === 0 && p.inputs.spec.policyTypes.includes("Egress") && !p.inputs.spec.egress)).toBe(true);
        type Rule = { to?: { ipBlock?: { cidr: string } }[]; ports: { protocol: string; port: number }[] };
        const rules: Rule[] = applying.flatMap((p) => p.inputs.spec.egress ?? []);
        const tcp = (port: unknown) => ({ protocol: "TCP", port });
        expect(rules.flatMap((r) => r.ports)).toEqual(expect.arrayContaining([{ protocol: "UDP", port: 53 }, tcp(run.outputs.databasePort.value), tcp(443)]));
        for (const rule of rules) expect(rule.ports.length).toBeGreaterThan(0);
        const toAnywhere = rules.filter((r) => r.to?.some((peer) => peer.ipBlock?.cidr === "0.0.0.0/0"));
        expect(toAnywhere.map((r) => r.ports)).toEqual([[tcp(443)]]);
    });

    test("runs as the backup ServiceAccount, whose workload identity is the only credential", () => {
        expect(pod.spec.serviceAccountName).toBe(kubernetesNames.serviceAccounts.backup);
        const env = containers().flatMap((ct: { env?: { name: string; value?: string; valueFrom?: unknown }[] }) => ct.env ?? []);
        expect(env.filter((e) => /KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL/i.test(e.name))).toEqual([]);
        expect(env.filter((e) => e.valueFrom !== undefined)).toEqual([{ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: kubernetesNames.appSecret, key: "DATABASE_URL" } } }]);
        expect(pod.spec.volumes.every((v: Record<string, unknown>) => Object.keys(v).sort().join() === "emptyDir,name")).toBe(true);
        expect(containers().every((ct: Record<string, unknown>) => ct.envFrom === undefined)).toBe(true);
        // The platform's ServiceAccount carries the foundation's backup identity, not the app's.
        const account = byMetadata(run, types.serviceAccount, kubernetesNames.serviceAccounts.backup, kubernetesNames.appNamespace);
        const appAccount = byMetadata(run, types.serviceAccount, kubernetesNames.serviceAccounts.api, kubernetesNames.appNamespace);
        expect(Object.keys(account.inputs.metadata.annotations ?? {})).toHaveLength(1);
        expect(account.inputs.metadata.annotations).not.toEqual(appAccount.inputs.metadata.annotations);
    });

    test("reads DATABASE_URL from the platform's app Secret, which points at the foundation's database", () => {
        const secret = byMetadata(run, types.secret, kubernetesNames.appSecret, kubernetesNames.appNamespace);
        expect(isSecretAt(secret, "stringData.DATABASE_URL")).toBe(true);
        const url = new URL(secret.inputs.stringData.DATABASE_URL);
        expect(url.protocol).toBe("postgresql:");
        expect(url.hostname).toBe(run.outputs.databaseHost.value);
        expect(Number(url.port)).toBe(run.outputs.databasePort.value);
    });

    test("does not mount a Kubernetes API token: IRSA and Workload Identity need none", () => {
        expect(pod.spec.automountServiceAccountToken).toBe(false);
        // Nor may the ServiceAccount fall back to mounting one for pods that do not say.
        expect(byMetadata(run, types.serviceAccount, kubernetesNames.serviceAccounts.backup, kubernetesNames.appNamespace).inputs.automountServiceAccountToken).toBe(false);
    });

    test("follows the restricted Pod Security profile with a fixed non-root UID", () => {
        expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: expect.any(Number), seccompProfile: { type: "RuntimeDefault" } });
        expect(pod.spec.securityContext.runAsUser).toBeGreaterThan(0);
        expect(pod.spec.securityContext.runAsGroup).toBe(pod.spec.securityContext.runAsUser);
        expect(pod.spec.securityContext.fsGroup).toBe(pod.spec.securityContext.runAsUser);
        for (const hostAccess of ["hostNetwork", "hostPID", "hostIPC"]) expect(pod.spec[hostAccess]).toBeUndefined();
        for (const ct of containers()) {
            expect(ct.securityContext).toEqual({
                runAsNonRoot: true,
                privileged: false,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
            });
            expect(ct.ports).toBeUndefined();
        }
    });

    test("writes only to emptyDirs: the dump directory (bounded) and a scratch /tmp as HOME", () => {
        const volumes = Object.fromEntries(pod.spec.volumes.map((v: { name: string }) => [v.name, v]));
        expect(volumes).toEqual({
            dump: { name: "dump", emptyDir: { sizeLimit: expect.stringMatching(/^\d+Gi$/) } },
            tmp: { name: "tmp", emptyDir: {} },
        });
        for (const ct of containers()) {
            expect(ct.securityContext.readOnlyRootFilesystem).toBe(true);
            expect(ct.volumeMounts).toEqual([
                { name: "dump", mountPath: "/backup" },
                { name: "tmp", mountPath: "/tmp" },
            ]);
            expect(ct.env).toEqual(expect.arrayContaining([{ name: "HOME", value: "/tmp" }]));
        }
    });

    test("sets requests and limits from settings.backup.resources", () => {
        for (const ct of containers()) {
            expect(ct.resources).toEqual(expected.resources);
            expect(ct.resources).toEqual({ requests: { cpu: expect.any(String), memory: expect.any(String) }, limits: { cpu: expect.any(String), memory: expect.any(String) } });
        }
    });

    test("dumps with a pinned Postgres client of the server's major version", () => {
        const [dump] = pod.spec.initContainers;
        expect(dump.image).toBe(expected.image);
        expect(dump.image).not.toMatch(/:latest$/);
        expect(script(dump)).toContain('pg_dump --format=plain --clean --if-exists --no-owner --no-privileges --dbname="$DATABASE_URL" | gzip');
    });

    test("uploads with the foundation's uploader image and command into the recorded bucket", () => {
        const [upload] = pod.spec.containers;
        const bucket = recordedBackupBucket(run, c);
        expect(run.outputs.backupBucket).toEqual({ value: bucket.name, secret: false });
        expect(upload.image).toBe(uploader[c.cloud].image);
        expect(upload.image).toMatch(/:[\w][\w.-]*$/);
        expect(upload.image).not.toMatch(/:latest$/);
        const lines = script(upload).split("\n");
        const uploadLines = lines.filter((l) => l.endsWith(" < /backup/dump.sql.gz"));
        expect(uploadLines).toHaveLength(1);
        const command = uploadLines[0].slice(0, -" < /backup/dump.sql.gz".length);
        const target = `"${bucket.url}/$BACKUP_OBJECT"`;
        expect(command.startsWith(`${uploader[c.cloud].cli} ${uploader[c.cloud].subcommand.join(" ")} ${target}`)).toBe(true);
        if (c.cloud === "aws") {
            // SSE-KMS with the key the bucket's default encryption uses.
            const encryption = run.ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").filter((e) => e.inputs.bucket === bucket.name);
            expect(encryption).toHaveLength(1);
            const key = encryption[0].inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId;
            expect(key).toMatch(/^arn:aws:kms:/);
            expect(command).toContain(` --sse aws:kms --sse-kms-key-id ${key} `);
        }
        expect(lines.slice(0, lines.indexOf(uploadLines[0]))).toEqual(["set -eu", 'BACKUP_OBJECT="$(cat /backup/object)"', "export BACKUP_OBJECT"]);
        expect(pod.spec.restartPolicy).toBe("Never");
    });

    test("is created after the platform's namespace, ServiceAccount, Secret and NetworkPolicies it runs with", () => {
        const needs = [
            byMetadata(run, types.namespace, kubernetesNames.appNamespace),
            byMetadata(run, types.serviceAccount, kubernetesNames.serviceAccounts.backup, kubernetesNames.appNamespace),
            byMetadata(run, types.secret, kubernetesNames.appSecret, kubernetesNames.appNamespace),
            ...run.ofType(types.networkPolicy).filter((p) => p.inputs.metadata.namespace === kubernetesNames.appNamespace),
        ];
        expect(needs.length).toBeGreaterThan(3);
        for (const r of needs) expect({ needs: r.name, ordered: run.dependsOn(cronJob, r) }).toEqual({ needs: r.name, ordered: true });
    });

    test("does not wait for the service's rollout: it depends on what the platform hands over, not on the whole platform", () => {
        const rollout = [...run.ofType("kubernetes:apps/v1:Deployment"), ...run.ofType("kubernetes:batch/v1:Job"), ...run.ofType("kubernetes:networking.k8s.io/v1:Ingress")].filter(
            (r) => r.inputs.metadata?.namespace === kubernetesNames.appNamespace,
        );
        expect(rollout.length).toBeGreaterThan(2);
        for (const r of rollout) expect({ waitsFor: r.name, ordered: run.dependsOn(cronJob, r) }).toEqual({ waitsFor: r.name, ordered: false });
        expect(run.one(types.operations).options.dependencies).toEqual([]);
    });
});
