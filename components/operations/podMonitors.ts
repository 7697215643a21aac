import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { selectorLabels } from "../shared/kubernetes";
import { kubernetesOptions } from "../shared/options";
import { objectMetadata, type LabelKeys } from "./kubernetes";

export interface PodMonitorsArgs {
    /** The settings of the governance labels the monitors carry. */
    settings: Pick<Settings, LabelKeys>;
    /** The foundation whose cluster the monitors are created in (its provider and ready resources). */
    foundation: Foundation;
    /** Namespace the monitors live in (the monitoring namespace). */
    namespace: pulumi.Input<string>;
    /** The kube-prometheus-stack release, which installs the PodMonitor CRD. */
    release: pulumi.Resource;
}

/** The pods that serve the metrics contract. The backup and migration pods share the app name but expose no metrics. */
export const scrapedComponents = [kubernetesNames.components.api, kubernetesNames.components.worker] as const;
export const metricsPortName = "metrics";
export const metricsPath = "/metrics";
export const edgeMonitorName = "envoy-gateway-proxy";
export const llmGatewayMonitorName = "llm-gateway";

/**
 * Scrape configuration for the API and worker pods: one PodMonitor per component, selecting pods by
 * `app.kubernetes.io/name` / `component` in the app namespace and scraping their `metrics` port.
 * PodMonitors rather than ServiceMonitors because workers serve no traffic and need no Service.
 */
export class PodMonitors extends pulumi.ComponentResource {
    public readonly names: pulumi.Output<string>[];
    /** The public edge's Envoy proxies (the Gateway's data plane). */
    public readonly edgeMonitorName: pulumi.Output<string>;

    constructor(name: string, args: PodMonitorsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:operations:PodMonitors", name, {}, opts);
        const { settings, foundation } = args;

        this.names = scrapedComponents.map((component) => {
            const monitorName = `${kubernetesNames.appName}-${component}`;
            const monitor = new k8s.apiextensions.CustomResource(
                `${name}-${component}`,
                {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "PodMonitor",
                    metadata: objectMetadata(settings, monitorName, args.namespace, selectorLabels(component)),
                    spec: {
                        namespaceSelector: { matchNames: [kubernetesNames.appNamespace] },
                        selector: { matchLabels: selectorLabels(component) },
                        podMetricsEndpoints: [
                            {
                                port: metricsPortName,
                                path: metricsPath,
                                interval: "30s",
                                // `component` is what the dashboards and rules group by.
                                relabelings: [{ sourceLabels: ["__meta_kubernetes_pod_label_app_kubernetes_io_component"], targetLabel: "component" }],
                            },
                        ],
                    },
                },
                // The PodMonitor CRD comes with the release (`crds.enabled`), which no input names. Only the CRDs
                // are needed; a separate CRD chart would let these start minutes earlier, but not end the
                // deploy earlier: they take seconds after the release, the chain's slowest step either way.
                kubernetesOptions(this, foundation, [args.release]),
            );
            return monitor.metadata.name;
        });

        // Envoy Gateway's proxies serve Prometheus stats on their `metrics` container port; kube-prometheus-stack ignores the prometheus.io annotations.
        const edge = kubernetesNames.gateway;
        const edgeMonitor = new k8s.apiextensions.CustomResource(
            `${name}-edge-proxy`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PodMonitor",
                metadata: objectMetadata(settings, edgeMonitorName, args.namespace),
                spec: {
                    namespaceSelector: { matchNames: [edge.namespace] },
                    selector: { matchLabels: { ...edge.proxyPodLabels } },
                    podMetricsEndpoints: [{ port: metricsPortName, path: edge.proxyMetricsPath, interval: "30s" }],
                },
            },
            kubernetesOptions(this, foundation, [args.release]),
        );
        this.edgeMonitorName = edgeMonitor.metadata.name;

        // The LLM gateway's token usage, time to first token and time per output token (gen_ai_*), from the
        // AI gateway's external processor that runs beside each of its proxies.
        const llm = kubernetesNames.llmGateway;
        new k8s.apiextensions.CustomResource(
            `${name}-llm-gateway`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PodMonitor",
                metadata: objectMetadata(settings, llmGatewayMonitorName, args.namespace),
                spec: {
                    namespaceSelector: { matchNames: [kubernetesNames.gateway.namespace] },
                    selector: { matchLabels: { ...llm.proxyPodLabels } },
                    podMetricsEndpoints: [{ port: llm.metricsPortName, path: llm.metricsPath, interval: "30s" }],
                },
            },
            kubernetesOptions(this, foundation, [args.release]),
        );

        this.registerOutputs({ names: this.names, edgeMonitorName: this.edgeMonitorName });
    }
}
