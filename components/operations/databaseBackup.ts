import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import type { ServiceHandle } from "../workloads/platform";
import { standardLabels } from "../shared/naming";
import { restrictedContainerProfile, restrictedPodProfile } from "../shared/podSecurity";
import { selectorLabels } from "../shared/kubernetes";
import { dependencyList, kubernetesOptions } from "../shared/options";
import { objectMetadata, operationsNames, type LabelKeys } from "./kubernetes";

export interface DatabaseBackupArgs {
    /**
     * The governance labels, `backup.schedule` and `backup.resources` (the job's pods), and of `database`
     * the name and engine version (the dump and its client image) and `storageGb` (the dump volume's limit).
     * @default schedule "0 2 * * *" (UTC); resources 100m / 256Mi requested, 1 CPU / 1Gi limit; storageGb staging 20, prod 100 (stacks/defaults.ts)
     */
    settings: Pick<Settings, LabelKeys | "backup" | "database">;
    /** The foundation's bucket (`backups`: upload command, URL, uploader image) and its cluster. */
    foundation: Foundation;
    /** The platform's namespace, Secret, ServiceAccount and NetworkPolicies the backup pods run with. */
    service: ServiceHandle;
}

/** Non-root user and group the backup pod runs as; `fsGroup` makes the projected identity token readable to it. */
export const backupUid = 65532;
/** The restricted profile at container level, shared with every pod of the program. */
export const backupContainerSecurityContext = restrictedContainerProfile;
/** Where the dump is written by the first container and read by the second. */
const dumpDir = "/backup";
const dumpFile = `${dumpDir}/dump.sql.gz`;
const objectFile = `${dumpDir}/object`;
/** Both images write caches and config under $HOME (AWS CLI, gcloud); the root filesystem is read-only. */
const home = "/tmp";
/** The line pg_dump writes at the end of a complete plain-format dump; a dump cut short lacks it. */
export const dumpCompleteMarker = "-- PostgreSQL database dump complete";

/**
 * The Postgres client image: the server's major version, so pg_dump is never older than the server
 * (pg_dump refuses newer servers), and never `latest`. Alpine, for busybox sh's `pipefail`.
 */
export function postgresClientImage(settings: Pick<Settings, "database">): string {
    return `postgres:${settings.database.engineVersion}-alpine`;
}

/** Names of the platform's objects the Postgres client container refers to. */
export interface ClientNames {
    appSecret: pulumi.Input<string>;
}

/**
 * The Postgres client container, built once for the backup CronJob's dump and the runbook's restore
 * pod: the pinned client image, `DATABASE_URL` from the app Secret (never a plain value), the backup
 * job's resources, the restricted profile, and `HOME` on a scratch emptyDir.
 */
export function postgresClientContainer(
    settings: Pick<Settings, "database" | "backup">,
    names: ClientNames,
    container: { name: string; command: pulumi.Input<string>[]; volumeMounts: { name: string; mountPath: string }[] },
): k8s.types.input.core.v1.Container {
    return {
        name: container.name,
        image: postgresClientImage(settings),
        command: container.command,
        env: [
            { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: names.appSecret, key: operationsNames.databaseUrlKey } } },
            { name: "PGCONNECT_TIMEOUT", value: "30" },
            { name: "HOME", value: home },
        ],
        resources: settings.backup.resources,
        securityContext: backupContainerSecurityContext,
        volumeMounts: container.volumeMounts,
    };
}

/**
 * The dump container's script. `pipefail` fails it when pg_dump fails half-way; the dump is then checked
 * whole (gzip stream intact, pg_dump's end-of-dump line present) before its object name is written, and
 * the upload container runs only after this one succeeded. So no partial dump is ever uploaded.
 */
export function dumpScript(settings: Pick<Settings, "database">): string {
    return [
        "set -eu -o pipefail",
        `object="${backupPrefix}${settings.database.name}-$(date -u +%Y%m%dT%H%M%SZ).sql.gz"`,
        `pg_dump --format=plain --clean --if-exists --no-owner --no-privileges --dbname="$DATABASE_URL" | gzip -6 > ${dumpFile}`,
        `if [ "$(gunzip -c ${dumpFile} | tail -n 20 | grep -c -x -e '${dumpCompleteMarker}')" != 1 ]; then echo "incomplete dump: no end-of-dump line" >&2; exit 1; fi`,
        `echo "$object" > ${objectFile}`,
        `echo "dumped $(du -h ${dumpFile} | cut -f1) for $object"`,
    ].join("\n");
}

/** The upload container's script: the foundation's upload command, fed the checked dump under the name the dump chose. */
export function uploadScript(foundation: Foundation): pulumi.Output<string> {
    return pulumi.interpolate`set -eu
BACKUP_OBJECT="$(cat ${objectFile})"
export BACKUP_OBJECT
${foundation.backups.uploadCommand} < ${dumpFile}
echo "uploaded $BACKUP_OBJECT to ${foundation.backups.url}"`;
}

/** Object key prefix under the backups bucket. */
export const backupPrefix = "postgres/";

/**
 * Daily logical backups: a CronJob whose first container dumps the database (`pg_dump | gzip`) into an
 * emptyDir and checks it whole, and whose second streams the file into the foundation's bucket with the
 * cloud's CLI, authenticated by the backup ServiceAccount's workload identity (no keys). The dump is plain
 * SQL with `--clean --if-exists`, so `gunzip | psql` restores it over an existing database. The CronJob
 * runs in the namespace, with the Secret and ServiceAccount, the platform hands over (`service`).
 */
export class DatabaseBackup extends pulumi.ComponentResource {
    public readonly cronJobName: pulumi.Output<string>;
    public readonly schedule: pulumi.Output<string>;

    constructor(name: string, args: DatabaseBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:operations:DatabaseBackup", name, {}, opts);
        const { settings, foundation, service } = args;
        const labels = selectorLabels(kubernetesNames.components.backup);
        const podLabels = { ...standardLabels(settings), ...labels };
        const mounts = [
            { name: "dump", mountPath: dumpDir },
            { name: "tmp", mountPath: home },
        ];

        const cronJob = new k8s.batch.v1.CronJob(
            `${name}-cronjob`,
            {
                metadata: objectMetadata(settings, operationsNames.backupCronJob, service.namespace, labels),
                spec: {
                    schedule: settings.backup.schedule,
                    timeZone: "Etc/UTC",
                    // A dump that is still running when the next is due must finish, not race a second one.
                    concurrencyPolicy: "Forbid",
                    // Missed by more than an hour (control plane or nodes down): skip to the next slot.
                    startingDeadlineSeconds: 3600,
                    successfulJobsHistoryLimit: 3,
                    failedJobsHistoryLimit: 3,
                    jobTemplate: {
                        metadata: { labels: podLabels },
                        spec: {
                            backoffLimit: 2,
                            activeDeadlineSeconds: 3 * 60 * 60,
                            template: {
                                metadata: { labels: podLabels },
                                spec: {
                                    serviceAccountName: service.backupServiceAccount,
                                    // Nothing here calls the Kubernetes API. IRSA projects its own token volume and
                                    // GKE Workload Identity answers from the metadata server, so neither needs this one.
                                    automountServiceAccountToken: false,
                                    restartPolicy: "Never",
                                    securityContext: restrictedPodProfile(backupUid),
                                    initContainers: [postgresClientContainer(settings, service, { name: "pg-dump", command: ["/bin/sh", "-c", dumpScript(settings)], volumeMounts: mounts })],
                                    containers: [
                                        {
                                            name: "upload",
                                            image: foundation.backups.uploaderImage,
                                            command: ["/bin/sh", "-c", uploadScript(foundation)],
                                            env: [{ name: "HOME", value: home }],
                                            resources: settings.backup.resources,
                                            securityContext: backupContainerSecurityContext,
                                            volumeMounts: mounts,
                                        },
                                    ],
                                    volumes: [
                                        // A gzipped logical dump is far smaller than the database's allocated storage.
                                        { name: "dump", emptyDir: { sizeLimit: `${settings.database.storageGb}Gi` } },
                                        // The same scratch volume as every pod of the service: CLI config and caches only.
                                        { name: "tmp", emptyDir: {} },
                                    ],
                                },
                            },
                        },
                    },
                },
            },
            // The names above already order it after the namespace, Secret and ServiceAccount; the NetworkPolicies
            // must exist too, or the first run's egress would be decided without them.
            kubernetesOptions(this, foundation, [...service.networkPolicies, ...dependencyList(opts?.dependsOn)]),
        );

        this.cronJobName = cronJob.metadata.name;
        this.schedule = pulumi.output(settings.backup.schedule);
        this.registerOutputs({ cronJobName: this.cronJobName, schedule: this.schedule });
    }
}
