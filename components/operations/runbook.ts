import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import type { AlertDefinition } from "./alerts";
import { backupPrefix, backupUid, postgresClientContainer, postgresClientImage } from "./databaseBackup";
import type { ServiceHandle } from "../workloads/platform";
import { selectorLabels } from "../shared/kubernetes";
import { dependencyList, kubernetesOptions } from "../shared/options";
import { monitoringServices, objectMetadata, operationsNames, type LabelKeys } from "./kubernetes";
import type { RecoveryObjectives } from "../../stacks";
import { restrictedPodProfile } from "../shared/podSecurity";

/**
 * What the runbook states: the stack, the recovery target, the backup and database settings it restores
 * with, the alert thresholds it checks against, the replicas KEDA restores and the public domain.
 */
export type RunbookSettings = Pick<Settings, LabelKeys | "recovery" | "backup" | "database" | "observability" | "api" | "worker" | "ingress">;

export interface RunbookArgs {
    /**
     * The governance labels and everything the procedure names (`RunbookSettings`).
     * @default recovery.rpoMinutes staging 1440, prod 60; backup.retentionDays and database.backupRetentionDays staging 7, prod 30; api.minReplicas staging 2, prod 3; worker.minReplicas staging 0, prod 3; ingress.clusterIssuer letsencrypt-staging, letsencrypt-prod (stacks/defaults.ts)
     */
    settings: RunbookSettings;
    /** The foundation's bucket (`backups`: URL, download command, uploader image) and its cluster. */
    foundation: Foundation;
    /** The namespace the runbook is published in, and the Secret and ServiceAccount its restore pod uses. */
    service: ServiceHandle;
    /** The RPO the configuration achieves and the RTO target (`recoveryObjectives`). */
    objectives: RecoveryObjectives;
    /** The alerts with one runbook entry each, as the PrometheusRule evaluates them. */
    alerts: AlertDefinition[];
}

/** The ConfigMap key of the restore procedure. */
export const disasterRecoveryKey = "disaster-recovery.md";

/** The runbook ConfigMap key that documents an alert. */
export const runbookKey = (alert: string) => `${alert}.md`;

/** How to read an alert's runbook entry; set as the `runbook` annotation, so it shows in Slack and PagerDuty. */
export function runbookReference(alert: string): string {
    const key = runbookKey(alert).replace(/\./g, "\\.");
    return `kubectl -n ${kubernetesNames.appNamespace} get configmap ${operationsNames.runbookConfigMap} -o jsonpath='{.data.${key}}'`;
}

/**
 * The runbook, published next to the service as a ConfigMap: the disaster-recovery procedure and
 * one entry per alert (which the alerts' `runbook` annotation points at). The ConfigMap lives in the
 * namespace the platform hands over, so it is created after it.
 */
export class Runbook extends pulumi.ComponentResource {
    public readonly configMapName: pulumi.Output<string>;

    constructor(name: string, args: RunbookArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:operations:Runbook", name, {}, opts);
        const { settings, foundation, service } = args;
        const resolved = pulumi.all({
            url: foundation.backups.url,
            uploadCommand: foundation.backups.uploadCommand,
            downloadCommand: foundation.backups.downloadCommand,
            namespace: service.namespace,
            appSecret: service.appSecret,
            backupServiceAccount: service.backupServiceAccount,
        });

        const configMap = new k8s.core.v1.ConfigMap(
            `${name}-configmap`,
            {
                metadata: objectMetadata(settings, operationsNames.runbookConfigMap, service.namespace, { "app.kubernetes.io/name": kubernetesNames.appName }),
                data: resolved.apply((r) =>
                    runbookDocuments(
                        settings,
                        args.objectives,
                        args.alerts,
                        { url: r.url, uploadCommand: r.uploadCommand, downloadCommand: r.downloadCommand, uploaderImage: foundation.backups.uploaderImage },
                        { namespace: r.namespace, appSecret: r.appSecret, backupServiceAccount: r.backupServiceAccount },
                    ),
                ),
            },
            kubernetesOptions(this, foundation, dependencyList(opts?.dependsOn)),
        );
        this.configMapName = configMap.metadata.name;
        this.registerOutputs({ configMapName: this.configMapName });
    }
}

export interface BackupLocation {
    url: string;
    uploadCommand: string;
    /** Streams `<url>/$BACKUP_OBJECT` to stdout. */
    downloadCommand: string;
    uploaderImage: string;
}

/** The platform's objects the restore procedure names, resolved. */
export interface ServiceNames {
    namespace: string;
    appSecret: string;
    backupServiceAccount: string;
}

/** Every document of the runbook, by ConfigMap key. */
export function runbookDocuments(settings: RunbookSettings, objectives: RecoveryObjectives, alerts: AlertDefinition[], backups: BackupLocation, service: ServiceNames): Record<string, string> {
    const documents: Record<string, string> = { [disasterRecoveryKey]: disasterRecovery(settings, objectives, backups, service) };
    for (const a of alerts) {
        documents[runbookKey(a.alert)] = [`# ${a.alert} (${a.severity})`, "", `${a.summary}. Fires when this holds for ${a.for}:`, "", "```promql", a.expr, "```", "", a.runbook, ""].join("\n");
    }
    return documents;
}

/** Where the restore pod receives the dump (`kubectl cp`); its scratch emptyDir, the root filesystem is read-only. */
export const restoreFile = "/tmp/restore.sql.gz";

/** What the restore pod runs on the dump: one transaction, stopped at the first error, so a failed load changes nothing. */
export const restoreScript = `set -eu -o pipefail; gunzip -c ${restoreFile} | psql "$DATABASE_URL" --single-transaction -v ON_ERROR_STOP=1 --quiet`;

/** The restore pod of §2: in the cluster (the database has no public address), labelled so the NetworkPolicies admit its egress. */
export function restorePodOverrides(settings: Pick<Settings, "database" | "backup">, service: ServiceNames): string {
    const labels = selectorLabels(kubernetesNames.components.backup);
    return JSON.stringify({
        apiVersion: "v1",
        metadata: { labels },
        spec: {
            serviceAccountName: service.backupServiceAccount,
            automountServiceAccountToken: false,
            securityContext: restrictedPodProfile(backupUid),
            containers: [postgresClientContainer(settings, service, { name: "pg-restore", command: ["sleep", "14400"], volumeMounts: [{ name: "tmp", mountPath: "/tmp" }] })],
            volumes: [{ name: "tmp", emptyDir: {} }],
        },
    });
}

/**
 * The shell block of §2, machine-extractable (the tests run it with stand-ins for kubectl and the
 * cloud CLI against a real PostgreSQL): fetch the dump named by `$BACKUP_OBJECT` with the operator's
 * credentials, load it from a pod inside the cluster.
 */
export function restoreCommands(settings: Pick<Settings, "database" | "backup">, backups: Pick<BackupLocation, "downloadCommand">, service: ServiceNames): string {
    const ns = service.namespace;
    return [
        ': "${BACKUP_OBJECT:?set BACKUP_OBJECT to the dump to restore}"',
        "export BACKUP_OBJECT",
        `${backups.downloadCommand} > restore.sql.gz`,
        `kubectl -n ${ns} run pg-restore --restart=Never --image=${postgresClientImage(settings)} --overrides='${restorePodOverrides(settings, service)}'`,
        `kubectl -n ${ns} wait --for=condition=Ready pod/pg-restore --timeout=180s`,
        `kubectl -n ${ns} cp restore.sql.gz pg-restore:${restoreFile}`,
        `kubectl -n ${ns} exec pg-restore -- sh -c '${restoreScript}'`,
        `kubectl -n ${ns} delete pod pg-restore`,
    ].join("\n");
}

function disasterRecovery(settings: RunbookSettings, o: RecoveryObjectives, backups: BackupLocation, service: ServiceNames): string {
    const ns = service.namespace;
    const app = kubernetesNames.appName;
    const c = kubernetesNames.components;
    const selector = (component: string) => `app.kubernetes.io/name=${app},app.kubernetes.io/component=${component}`;
    const dumps = `${backups.url}/${backupPrefix}`;
    const domain = settings.ingress.domain;
    const pitr = settings.database.pointInTimeRecovery;
    const t = settings.observability.alerts;

    return `# Disaster recovery: ${settings.project} ${settings.environment} (stack ${settings.stack})

| | |
| --- | --- |
| Recovery point objective (achieved) | ${o.rpoMinutes} minutes, by ${o.rpoSource} (target ${settings.recovery.rpoMinutes}) |
| Recovery time objective (target) | ${o.rtoMinutes} minutes |
| Logical dumps | gzipped \`pg_dump\` on "${settings.backup.schedule}" (UTC) into \`${dumps}\`, kept ${settings.backup.retentionDays} days |
| Managed database backups | automated, kept ${settings.database.backupRetentionDays} days, point-in-time recovery ${pitr ? "on" : "off"} |
| Cache | Redis: a cache and work queue, never restored |

## 1. Assessment (first 15 minutes)

- [ ] Scope: API, workers, database, cache, ingress, the cluster, or the whole region?
      \`kubectl get nodes\`, \`kubectl -n ${ns} get pods,deployments,cronjobs\`
- [ ] Is the data intact? Lost or corrupted data: restore (section 2 or 3). An outage without data loss: recover the service (sections 4 to 6).
- [ ] Are backups available? The newest object under \`${dumps}\`, and the last backup jobs:
      \`kubectl -n ${ns} get jobs -l ${selector(c.backup)}\`
- [ ] Estimate the recovery time against the ${o.rtoMinutes}-minute RTO, open an incident and notify stakeholders.

## 2. Restore a dump from the bucket

Dumps are plain SQL written with \`--clean --if-exists\`: loading one replaces the objects it contains.

1. Stop the writers: pause KEDA's autoscaling at 0 replicas (a Deployment scaled by hand would be scaled back up):
   \`kubectl -n ${ns} annotate scaledobject -l app.kubernetes.io/name=${app} autoscaling.keda.sh/paused-replicas=0 --overwrite\`
2. Pick the dump (\`${backupPrefix}${settings.database.name}-<UTC timestamp>.sql.gz\`, the newest under \`${dumps}\`) and name it:
   \`export BACKUP_OBJECT=${backupPrefix}${settings.database.name}-<UTC timestamp>.sql.gz\`
3. From a workstation with read access to the bucket (the backup job may only write; image \`${backups.uploaderImage}\` has the CLI), fetch it
   and load it from a restore pod in the cluster (the database has no public address), in one transaction:
\`\`\`sh
${restoreCommands(settings, backups, service)}
\`\`\`
4. Continue with section 5.

## 3. Point-in-time restore of the managed database

${
    pitr
        ? `Point-in-time recovery is on: the managed database can be restored to any moment of the last ${settings.database.backupRetentionDays} days, up to about ${o.rpoMinutes} minutes before now.

1. In the cloud console or CLI, restore the database instance to a point in time just before the incident, as a **new** instance.
2. Keep the primary that this stack manages: dump the restored instance with \`pg_dump --clean --if-exists --no-owner --no-privileges\`
   from the restore pod of section 2 (with \`DATABASE_URL\` pointing at the new instance), load it into the primary as in section 2, then delete the new instance.
   Repointing the stack at the new instance instead means importing it into the Pulumi state; do that only after the incident.`
        : `Point-in-time recovery is **off** (\`ai-platform:database.pointInTimeRecovery\`): the newest restorable state is the last
dump (up to ${o.dumpIntervalMinutes} minutes old) or the last automated snapshot of the managed database. Restore the snapshot as a new
instance and copy its data into the primary as in section 2, or restore the newest dump.`
}

## 4. Redis

Redis holds the response cache and the work queue; it is not backed up and never restored. A new or flushed
instance refills on its own: expect LowCacheHitRate (below ${t.cacheHitRatePercent}%) and higher LLM spend for a while.
Jobs that were queued but not started are lost; resubmit them from the state in the database. Restart the pods
so they reconnect: \`kubectl -n ${ns} rollout restart deployment -l app.kubernetes.io/name=${app}\`

## 5. Application

1. Resume autoscaling (KEDA brings the API to at least ${settings.api.minReplicas} pods and the workers to at least ${settings.worker.minReplicas}, more with queued work):
   \`kubectl -n ${ns} annotate scaledobject -l app.kubernetes.io/name=${app} autoscaling.keda.sh/paused-replicas-\`
2. Wait for the rollout: \`kubectl -n ${ns} rollout status deployment -l app.kubernetes.io/name=${app}\`
3. A restored dump from an older schema version is migrated by the migration job (\`${selector(c.migrate)}\`), which \`pulumi up\` runs.

## 6. DNS and ingress

- The public Gateway is Programmed and has an address: \`kubectl -n ${kubernetesNames.appNamespace} get gateway ${kubernetesNames.gateway.gatewayName}\`
- \`${domain}\` resolves to it: \`dig +short ${domain}\`
- The ingress and its certificate are ready: \`kubectl -n ${ns} get ingress,certificate\` (issuer ${settings.ingress.clusterIssuer})

## 7. Verification

- [ ] \`curl -fsS https://${domain}/health\` and \`curl -fsS https://${domain}/ready\` answer 200.
- [ ] Grafana, dashboard "AI agent service" (\`kubectl -n ${kubernetesNames.monitoringNamespace} port-forward svc/${monitoringServices.grafana.name} 3000:${monitoringServices.grafana.port}\`):
      requests flow, error rate below ${t.errorRatePercent}%, p95 below ${t.p95LatencySeconds}s, the queue drains.
- [ ] No firing critical alerts in Alertmanager.
- [ ] A fresh backup succeeds: \`kubectl -n ${ns} create job --from=cronjob/${operationsNames.backupCronJob} ${operationsNames.backupCronJob}-after-restore\`

## 8. Communication and post-mortem

- [ ] Update the status page and notify stakeholders when service is restored.
- [ ] Schedule a blameless post-mortem: timeline, root cause, the data loss and downtime actually incurred against the
      ${o.rpoMinutes}-minute RPO and ${o.rtoMinutes}-minute RTO, and follow-up actions.
- [ ] Rehearse this runbook: restore the newest dump into a scratch database at least once a quarter.
`;
}
