import { kubernetesNames } from "../../components/contract";
import { backupContainerSecurityContext } from "../../components/operations/databaseBackup";
import { cronMaxGapMinutes, recoveryObjectives, SettingsError } from "../../stacks";
import { recordedSoFar, registrationsSettled, type ProgramRun, type RecordedResource } from "../../tools/engine/harness";
import { byMetadata, cases, label, operationsOne, recordedBackupBucket, runOperations, types, type Case } from "./run";

describe("cronMaxGapMinutes", () => {
    test.each([
        ["0 2 * * *", 1440],
        ["30 */6 * * *", 360],
        ["0 * * * *", 60],
        ["*/15 * * * *", 15],
        ["0 2,14 * * *", 720],
        ["0 1,3 * * *", 1320],
        ["0 2 * * 1-5", 3 * 1440],
        ["0 2 * * 0", 7 * 1440],
        ["0 2 * * 7", 7 * 1440],
        ["0 2 1 * *", 31 * 1440],
    ])("%s runs at most %i minutes apart", (schedule, gap) => {
        expect(cronMaxGapMinutes(schedule)).toBe(gap);
    });

    test.each(["0 25 * * *", "@daily * * * *", "0 2 * * MON", "0 2 * *"])("rejects %s", (schedule) => {
        expect(() => cronMaxGapMinutes(schedule)).toThrow();
    });
});

describe("recoveryObjectives", () => {
    const settings = (pointInTimeRecovery: boolean, schedule: string, rpoMinutes: number, rtoMinutes = 240) =>
        ({ database: { pointInTimeRecovery }, backup: { schedule }, recovery: { rpoMinutes, rtoMinutes } }) as never;

    test("point-in-time recovery gives an RPO of 5 minutes", () => {
        expect(recoveryObjectives(settings(true, "0 2 * * *", 60))).toEqual({ rpoMinutes: 5, rpoSource: "point-in-time recovery", rtoMinutes: 240, dumpIntervalMinutes: 1440 });
    });

    test("without it, the RPO is the longest gap between dumps", () => {
        expect(recoveryObjectives(settings(false, "0 2 * * *", 1440, 480))).toEqual({ rpoMinutes: 1440, rpoSource: "scheduled dump", rtoMinutes: 480, dumpIntervalMinutes: 1440 });
        expect(recoveryObjectives(settings(false, "0 * * * *", 60)).rpoMinutes).toBe(60);
    });

    test("dumps more frequent than the PITR lag set the RPO", () => {
        expect(recoveryObjectives(settings(true, "*/2 * * * *", 60))).toMatchObject({ rpoMinutes: 2, rpoSource: "scheduled dump" });
    });

    test("an unreachable RPO target is a SettingsError naming the key, the value and why", () => {
        const attempt = () => recoveryObjectives(settings(false, "0 2 * * *", 60));
        expect(attempt).toThrow(SettingsError);
        expect(attempt).toThrow(/ai-platform:recovery\.rpoMinutes = 60: cannot be met: without ai-platform:database\.pointInTimeRecovery .* up to 1440 minutes old/);
        expect(() => recoveryObjectives(settings(true, "0 2 * * *", 1))).toThrow(/ai-platform:recovery\.rpoMinutes = 1: cannot be met: point-in-time recovery .* within 5 minutes/);
    });

    test("an unsupported schedule is a SettingsError naming ai-platform:backup.schedule", () => {
        expect(() => recoveryObjectives(settings(true, "0 2 * * MON", 60))).toThrow(/ai-platform:backup\.schedule = "0 2 \* \* MON"/);
    });
});

/** Per-case config: the defaults, PITR switched off with a matching target, and an RTO override. */
const setups: Record<string, { config: Record<string, unknown>; rpo: number; rto: number; source: string }> = {
    "staging on aws": { config: {}, rpo: 5, rto: 480, source: "point-in-time recovery" },
    "staging on gcp": {
        config: { "ai-platform:database.pointInTimeRecovery": false, "ai-platform:recovery.rtoMinutes": 120 },
        rpo: 1440,
        rto: 120,
        source: "scheduled dump",
    },
    "prod on aws": { config: {}, rpo: 5, rto: 240, source: "point-in-time recovery" },
    // Prod refuses to turn point-in-time recovery off, so prod's dump-based RPO is not a case; prod on gcp keeps PITR.
    "prod on gcp": {
        config: { "ai-platform:backup.schedule": "0 * * * *" },
        rpo: 5,
        rto: 240,
        source: "point-in-time recovery",
    },
};

describe.each(cases)("recovery objectives and runbook: $stack on $cloud", (c: Case) => {
    const setup = setups[label(c)];
    let run: ProgramRun;
    let runbook: RecordedResource;
    let doc: string;
    beforeAll(async () => {
        run = await runOperations(c, { config: setup.config });
        runbook = operationsOne(run, types.configMap, /runbook/);
        doc = runbook.inputs.data["disaster-recovery.md"];
    });

    test("outputs the achieved RPO, the RTO target and the backup schedule", () => {
        expect(run.outputs.rpoMinutes).toEqual({ value: setup.rpo, secret: false });
        expect(run.outputs.rtoMinutes).toEqual({ value: setup.rto, secret: false });
        expect(run.outputs.backupSchedule.value).toBe(setup.config["ai-platform:backup.schedule"] ?? "0 2 * * *");
    });

    test("publishes the runbook as a ConfigMap in the app namespace", () => {
        expect(runbook.inputs.metadata).toMatchObject({ name: "ai-agent-runbook", namespace: kubernetesNames.appNamespace });
        expect(runbook.inputs.metadata.labels).toMatchObject({ project: "ai-platform", environment: c.stack });
    });

    test("is created after the platform, which creates the app namespace", () => {
        expect(run.dependsOn(runbook, byMetadata(run, types.namespace, kubernetesNames.appNamespace))).toBe(true);
    });

    test("states the objectives and where the dumps are", () => {
        const bucket = recordedBackupBucket(run, c).url;
        expect(bucket).toMatch(c.cloud === "aws" ? /^s3:\/\/[a-z0-9][a-z0-9.-]+$/ : /^gs:\/\/[a-z0-9][a-z0-9._-]+$/);
        expect(doc).toContain(`${setup.rpo} minutes, by ${setup.source}`);
        expect(doc).toContain(`| Recovery time objective (target) | ${setup.rto} minutes |`);
        expect(doc).toContain(`\`${bucket}/postgres/\``);
    });

    test("stops and restarts the writers through KEDA, which would undo a Deployment scaled by hand", () => {
        const scaledObjects = run.ofType("kubernetes:keda.sh/v1alpha1:ScaledObject");
        expect(scaledObjects.length).toBe(2);
        for (const so of scaledObjects) expect(so.inputs.metadata.labels["app.kubernetes.io/name"]).toBe("ai-agent");
        expect(doc).toContain("annotate scaledobject -l app.kubernetes.io/name=ai-agent autoscaling.keda.sh/paused-replicas=0 --overwrite");
        expect(doc).toContain("annotate scaledobject -l app.kubernetes.io/name=ai-agent autoscaling.keda.sh/paused-replicas-");
        expect(doc).not.toMatch(/scale deployment/);
    });

    test("fetches dumps with the backup job's CLI image from the object the job uploads", () => {
        const upload = operationsOne(run, types.cronJob).inputs.spec.jobTemplate.spec.template.spec.containers[0];
        const command = (upload.command.at(-1) as string).split("\n").find((l) => l.endsWith(" < /backup/dump.sql.gz"))!;
        const object = `"${recordedBackupBucket(run, c).url}/$BACKUP_OBJECT"`;
        expect(command).toContain(object);
        expect(doc).toContain(`image \`${upload.image}\` has the CLI`);
        const download = doc.split("\n").filter((l) => l.endsWith(" > restore.sql.gz"));
        expect(download).toEqual([expect.stringMatching(c.cloud === "aws" ? /^aws s3 cp "s3:\/\// : /^gcloud storage cp "gs:\/\//)]);
        expect(download[0]).toContain(` ${object} - `);
    });

    test("walks through assessment, restore, PITR, Redis, DNS/ingress, verification and post-mortem", () => {
        const headings = doc.split("\n").filter((l) => l.startsWith("## "));
        expect(headings).toEqual([
            "## 1. Assessment (first 15 minutes)",
            "## 2. Restore a dump from the bucket",
            "## 3. Point-in-time restore of the managed database",
            "## 4. Redis",
            "## 5. Application",
            "## 6. DNS and ingress",
            "## 7. Verification",
            "## 8. Communication and post-mortem",
        ]);
        expect(doc).toContain(`psql "$DATABASE_URL" --single-transaction -v ON_ERROR_STOP=1`);
        expect(doc).toMatch(/not backed up and never restored/);
        const domain = c.stack === "prod" ? "agents.example.com" : "agents.staging.example.com";
        expect(doc).toContain(`curl -fsS https://${domain}/health`);
        expect(doc).toContain(`curl -fsS https://${domain}/ready`);
        expect(doc).toContain(`dig +short ${domain}`);
        expect(doc).toMatch(/post-mortem/);
        expect(doc).toContain(setup.source === "point-in-time recovery" ? "Point-in-time recovery is on" : "Point-in-time recovery is **off**");
    });

    test("the restore pod is admitted by the backup NetworkPolicy and the restricted profile", () => {
        const overrides = JSON.parse(/--overrides='([^']+)'/.exec(doc)![1]);
        expect(overrides.metadata.labels).toEqual({ "app.kubernetes.io/name": kubernetesNames.appName, "app.kubernetes.io/component": kubernetesNames.components.backup });
        expect(overrides.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
        expect(overrides.spec.automountServiceAccountToken).toBe(false);
        expect(overrides.spec.containers[0].securityContext).toEqual({
            runAsNonRoot: true,
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        // The same profile as the backup job's containers.
        expect(overrides.spec.containers[0].securityContext).toEqual(backupContainerSecurityContext);
        // Built once: the restore container is the backup job's dump container, apart from its name, command and mounts.
        const dump = operationsOne(run, types.cronJob).inputs.spec.jobTemplate.spec.template.spec.initContainers[0];
        const rest = (container: Record<string, unknown>) => Object.fromEntries(Object.entries(container).filter(([k]) => !["name", "command", "volumeMounts"].includes(k)));
        expect(rest(overrides.spec.containers[0])).toEqual(rest(dump));
        expect(overrides.spec.securityContext).toEqual(operationsOne(run, types.cronJob).inputs.spec.jobTemplate.spec.template.spec.securityContext);
        expect(overrides.spec.containers[0].env[0]).toEqual({ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: kubernetesNames.appSecret, key: "DATABASE_URL" } } });
    });

    test("is written in cloud-neutral terms", () => {
        expect(doc).not.toMatch(/\b(RDS|Cloud SQL|ElastiCache|Memorystore|EKS|GKE)\b/);
    });
});

describe("an RPO target the configuration cannot meet", () => {
    let failure: unknown;
    beforeAll(async () => {
        failure = await runOperations({ stack: "prod", cloud: "aws" }, { config: { "ai-platform:database.pointInTimeRecovery": false } }).then(
            () => undefined,
            (e: unknown) => e,
        );
        // Were anything declared, let its registration land before looking.
        await registrationsSettled();
    });

    test("fails the program with a SettingsError naming ai-platform:recovery.rpoMinutes, its value and why", () => {
        expect((failure as Error)?.name).toBe("SettingsError");
        // The target is prod's default, and prod refuses the switch itself too.
        expect((failure as Error).message).toMatch(/ai-platform:recovery\.rpoMinutes = 60 \(default\): cannot be met: without ai-platform:database\.pointInTimeRecovery/);
        expect((failure as Error).message).toContain("ai-platform:database.pointInTimeRecovery = false: must be true in prod");
    });

    test("is refused by the settings, before any resource of any layer is declared", () => {
        expect(recordedSoFar()).toEqual([]);
    });
});
