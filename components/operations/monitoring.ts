import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { generatedSecret } from "../shared/credentials";
import { helmRelease } from "../shared/helmRelease";
import { standardLabels } from "../shared/naming";
import { alertmanagerConfigYaml } from "./alertmanagerConfig";
import { kubernetesOptions } from "../shared/options";
import { objectMetadata, operationsNames, type LabelKeys } from "./kubernetes";

/** What the chart values read: the labels every object carries and Prometheus' retention and volume. */
type ValuesSettings = Pick<Settings, LabelKeys | "observability">;

export interface MonitoringArgs {
    /**
     * The governance labels, the chart's release settings (`addons`: version and Helm timeout), Prometheus' retention and volume
     * (`observability.prometheusRetention`, `prometheusStorageGb`) and the Alertmanager receivers (`alerting`, secrets).
     * @default prometheusRetention staging "3d", prod "15d"; prometheusStorageGb staging 10, prod 50; addons.kubePrometheusStack 79.5.0; no receivers (stacks/defaults.ts)
     */
    settings: ValuesSettings & Pick<Settings, "addons" | "alerting">;
    /** The foundation's cluster: provider, ready and storage resources, and the StorageClass of the volumes (`addons.storageClass`). */
    foundation: Foundation;
}

export const kubePrometheusStackRepository = "https://prometheus-community.github.io/helm-charts";

/** Alertmanager keeps only silences and its notification log: kilobytes, so a fixed small volume. */
const alertmanagerStorage = "2Gi";
/** Grafana's admin login; the password is generated. */
const grafanaAdminUser = "admin";
const grafanaUserKey = "admin-user";
const grafanaPasswordKey = "admin-password";
/** Datasource UID the chart provisions for its Prometheus, which our dashboards reference. */
export const prometheusDatasourceUid = "prometheus";

/**
 * Metrics, alerting and dashboards: the `monitoring` namespace and a pinned kube-prometheus-stack
 * release (Prometheus operator, Prometheus on persistent storage, Alertmanager, Grafana,
 * kube-state-metrics, node-exporter). Grafana's admin password and Alertmanager's receivers live
 * in Kubernetes Secrets this component creates, so no secret ever passes through the chart values.
 */
export class Monitoring extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    /** The release; ServiceMonitors, PodMonitors and PrometheusRules must depend on it for their CRDs. */
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:operations:Monitoring", name, {}, opts);
        const { settings, foundation } = args;
        const options = (...dependsOn: pulumi.Resource[]) => kubernetesOptions(this, foundation, dependsOn);
        // Prometheus' and Alertmanager's volume claims need the foundation's CSI driver and StorageClass,
        // which no input names. The namespace waits for them too, though it needs only the API server:
        // the claims outlive the release and go with the namespace, and `pulumi destroy` must delete them
        // while the driver can still delete their volumes. The namespace and its Secrets are seconds,
        // created while the release would be waiting for storage anyway.
        const storage = foundation.cluster.storageResources;

        const namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                // node-exporter needs the host's network and PID namespaces, which only the privileged profile admits.
                metadata: objectMetadata(settings, kubernetesNames.monitoringNamespace, undefined, { "pod-security.kubernetes.io/enforce": "privileged" }),
            },
            options(...storage),
        );
        this.namespace = namespace.metadata.name;

        const grafanaPassword = generatedSecret(`${name}-grafana-admin-password`, { parent: this });
        const grafanaAdmin = new k8s.core.v1.Secret(
            `${name}-grafana-admin`,
            {
                metadata: objectMetadata(settings, operationsNames.grafanaAdminSecret, this.namespace),
                type: "Opaque",
                stringData: { [grafanaUserKey]: grafanaAdminUser, [grafanaPasswordKey]: pulumi.secret(grafanaPassword.result) },
            },
            options(),
        );

        const receivers = pulumi.all({ slackWebhookUrl: settings.alerting.slackWebhookUrl, pagerdutyRoutingKey: settings.alerting.pagerdutyRoutingKey });
        const alertmanagerConfig = new k8s.core.v1.Secret(
            `${name}-alertmanager-config`,
            {
                metadata: objectMetadata(settings, operationsNames.alertmanagerConfigSecret, this.namespace),
                type: "Opaque",
                stringData: { [operationsNames.alertmanagerConfigKey]: pulumi.secret(receivers.apply(alertmanagerConfigYaml)) },
            },
            options(),
        );

        this.release = helmRelease(
            `${name}-kube-prometheus-stack`,
            {
                name: operationsNames.release,
                chart: "kube-prometheus-stack",
                version: settings.addons.kubePrometheusStack,
                repository: kubePrometheusStackRepository,
                namespace: this.namespace,
                values: kubePrometheusStackValues(settings, foundation, grafanaAdmin.metadata.name, alertmanagerConfig.metadata.name),
            },
            // The first install pulls a dozen images and waits for Prometheus' volume to bind: longer than the other add-ons.
            { settings, timeout: "kubePrometheusStackTimeoutSeconds", maxHistory: 10 },
            // The two Secrets are carried by the values (their names), the namespace by `namespace`.
            options(...storage),
        );

        this.registerOutputs({ namespace: this.namespace, release: this.release });
    }
}

/** Chart values (keys as in the chart's values.yaml). Secrets are referenced by name only. */
export function kubePrometheusStackValues(
    settings: ValuesSettings,
    foundation: Foundation,
    grafanaAdminSecret: pulumi.Input<string>,
    alertmanagerConfigSecret: pulumi.Input<string>,
): Record<string, unknown> {
    const { prometheusRetention, prometheusStorageGb } = settings.observability;
    const volume = (size: string) => ({
        volumeClaimTemplate: {
            spec: { storageClassName: foundation.addons.storageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } },
        },
    });
    return {
        commonLabels: standardLabels(settings),
        crds: { enabled: true },
        // Managed control planes (EKS, GKE) expose no controller-manager, scheduler, etcd or kube-proxy
        // metrics to the cluster: scraping them would only raise permanent TargetDown alerts.
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeEtcd: { enabled: false },
        kubeProxy: { enabled: false },
        defaultRules: {
            create: true,
            rules: { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false },
        },
        prometheus: {
            prometheusSpec: {
                retention: prometheusRetention,
                // Drop the oldest blocks before the volume fills, whatever the time-based retention says.
                retentionSize: `${Math.floor(prometheusStorageGb * 0.85)}GB`,
                storageSpec: volume(`${prometheusStorageGb}Gi`),
                // Select every ServiceMonitor, PodMonitor and PrometheusRule in the cluster, not only
                // those labelled with this release: ours live outside the chart.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
            },
        },
        alertmanager: {
            enabled: true,
            alertmanagerSpec: {
                useExistingSecret: true,
                configSecret: alertmanagerConfigSecret,
                storage: volume(alertmanagerStorage),
            },
        },
        grafana: {
            enabled: true,
            admin: { existingSecret: grafanaAdminSecret, userKey: grafanaUserKey, passwordKey: grafanaPasswordKey },
            defaultDashboardsTimezone: "utc",
            sidecar: {
                dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" },
                datasources: { enabled: true, uid: prometheusDatasourceUid },
            },
        },
    };
}
