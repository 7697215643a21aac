import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import type { AlertDefinition } from "./alerts";
import { runbookKey } from "./alertRules";
import { backupContainerSecurityContext, backupPrefix, backupUid, postgresClientImage } from "./databaseBackup";
import { kubernetesOptions, selectorLabels } from "../shared/kubernetes";
import { dependencyList } from "../shared/dependencies";
import { monitoringServices, objectMetadata, operationsNames } from "./kubernetes";
import type { RecoveryObjectives } from "../../stacks";
import { restrictedPodProfile } from "../shared/podSecurity";

export interface RunbookArgs {
    settings: Settings;
    foundation: Foundation;
    objectives: RecoveryObjectives;
    alerts: AlertDefinition[];
}

/** The ConfigMap key of the restore procedure. */
export const disasterRecoveryKey = "disaster-recovery.md";

/**
 * The runbook, published next to the service as a ConfigMap: the disaster-recovery procedure and
 * one entry per alert (which the alerts' `runbook` annotation points at). The ConfigMap waits for
 * this component's `dependsOn` (the platform, which creates the namespace).
 */
export class Runbook extends pulumi.ComponentResource {
    public readonly configMapName: pulumi.Output<string>;

    constructor(name: string, args: RunbookArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:operations:Runbook", name, {}, opts);
        const { settings, foundation } = args;
        const backups = pulumi.all({ url: foundation.backups.url, uploadCommand: foundation.backups.uploadCommand });

        const configMap = new k8s.core.v1.ConfigMap(
            `${name}-configmap`,
            {
                metadata: objectMetadata(settings, operationsNames.runbookConfigMap, kubernetesNames.appNamespace, { "app.kubernetes.io/name": kubernetesNames.appName }),
                data: backups.apply((b) =>
                    runbookDocuments(settings, args.objectives, args.alerts, { url: b.url, uploadCommand: b.uploadCommand, uploaderImage: foundation.backups.uploaderImage }),
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
    uploaderImage: string;
}

/** Every document of the runbook, by ConfigMap key. */
export function runbookDocuments(settings: Settings, objectives: RecoveryObjectives, alerts: AlertDefinition[], backups: BackupLocation): Record<string, string> {
    const documents: Record<string, string> = { [disasterRecoveryKey]: disasterRecovery(settings, objectives, backups) };
    for (const a of alerts) {
        documents[runbookKey(a.alert)] = [
            `# ${a.alert} (${a.severity})`,
            "",
            `${a.summary}. Fires when this holds for ${a.for}:`,
            "",
            "```promql",
            a.expr,
            "```",
            "",
            a.runbook,
            "",
        ].join("\n");
    }
    return documents;
}

/** The restore pod of §2: in the cluster (the database has no public address), labelled so the NetworkPolicies admit its egress. */
export function restorePodOverrides(settings: Settings): string {
    const labels = selectorLabels(kubernetesNames.components.backup);
    return JSON.stringify({
        apiVersion: "v1",
        metadata: { labels },
        spec: {
            serviceAccountName: kubernetesNames.serviceAccounts.backup,
            automountServiceAccountToken: false,
            securityContext: restrictedPodProfile(backupUid),
            containers: [
                {
                    name: "pg-restore",
                    image: postgresClientImage(settings),
                    command: ["sleep", "14400"],
                    env: [
                        { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: kubernetesNames.appSecret, key: operationsNames.databaseUrlKey } } },
                        { name: "HOME", value: "/tmp" },
                    ],
                    resources: settings.backup.resources,
                    securityContext: backupContainerSecurityContext,
                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                },
            ],
            volumes: [{ name: "tmp", emptyDir: {} }],
        },
    });
}

function disasterRecovery(settings: Settings, o: RecoveryObjectives, backups: BackupLocation): string {
    const ns = kubernetesNames.appNamespace;
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
2. Pick the dump (\`${backupPrefix}${settings.database.name}-<UTC timestamp>.sql.gz\`) and copy it to your workstation
   as \`restore.sql.gz\` with the storage CLI the backup job uses (image \`${backups.uploaderImage}\`), swapping
   source and destination of its upload command: \`${backups.uploadCommand}\`
3. Start a restore pod in the cluster (the database has no public address):
   \`\`\`sh
   kubectl -n ${ns} run pg-restore --restart=Never --image=${postgresClientImage(settings)} --overrides='${restorePodOverrides(settings)}'
   kubectl -n ${ns} wait --for=condition=Ready pod/pg-restore --timeout=180s
   kubectl -n ${ns} cp restore.sql.gz pg-restore:/tmp/restore.sql.gz
   kubectl -n ${ns} exec pg-restore -- sh -c 'gunzip -c /tmp/restore.sql.gz | psql "$DATABASE_URL" --single-transaction -v ON_ERROR_STOP=1'
   kubectl -n ${ns} delete pod pg-restore
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
