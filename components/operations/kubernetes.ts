import type * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { standardLabels } from "../shared/naming";

/**
 * Fixed names of the objects the operations layer creates. Operators type them (port-forward, the
 * runbook, `kubectl create job --from=cronjob/…`), and the alert annotations point at them, so they
 * are stable rather than auto-named.
 */
export const operationsNames = {
    /** Helm release name; the chart derives its Services from it (`kube-prometheus-stack-grafana`, …). */
    release: "kube-prometheus-stack",
    grafanaAdminSecret: "grafana-admin",
    alertmanagerConfigSecret: "alertmanager-config",
    /** The Alertmanager operator reads this key of the config Secret. */
    alertmanagerConfigKey: "alertmanager.yaml",
    dashboardConfigMap: "ai-agent-dashboard",
    prometheusRule: "ai-agent-alerts",
    backupCronJob: "postgres-backup",
    runbookConfigMap: "ai-agent-runbook",
    /** Key of the app Secret (`kubernetesNames.appSecret`) holding the `postgresql://` URL. */
    databaseUrlKey: "DATABASE_URL",
} as const;

/** Services the chart creates for the release above, for port-forwarding. */
export const monitoringServices = {
    grafana: { name: `${operationsNames.release}-grafana`, port: 80 },
    prometheus: { name: `${operationsNames.release}-prometheus`, port: 9090 },
    alertmanager: { name: `${operationsNames.release}-alertmanager`, port: 9093 },
} as const;

/** The settings the standard governance labels are made of, which every object of the layer carries. */
export type LabelKeys = "project" | "environment" | "owner" | "costCenter" | "stack";

/** Object metadata with the standard governance labels plus any object-specific ones. */
export function objectMetadata(settings: Pick<Settings, LabelKeys>, name: string, namespace?: pulumi.Input<string>, labels: Record<string, string> = {}) {
    return { name, ...(namespace === undefined ? {} : { namespace }), labels: { ...standardLabels(settings), ...labels } };
}
