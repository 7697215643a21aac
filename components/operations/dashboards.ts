import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import type { Foundation } from "../contract";
import { kubernetesOptions } from "../shared/options";
import { aiGatewayLabels } from "../../stacks/facts/aiGatewayMetrics";
import type { LlmProvider } from "../../stacks/facts/llmProviders";
import { llmCallerMetricLabel } from "../shared/llmCaller";
import { objectMetadata, operationsNames, type LabelKeys } from "./kubernetes";
import { llmQueries, type LlmSignalSettings } from "./llmSignals";
import { queries } from "./metrics";
import { prometheusDatasourceUid } from "./monitoring";

export interface DashboardsArgs {
    /**
     * The governance labels, the `environment` tag, the alert thresholds drawn into the panels
     * (`observability.alerts`) and the LLM gateway's models and callers (`llmGateway`, `tenants`).
     * @default thresholds errorRatePercent 5, p95LatencySeconds 2, cacheHitRatePercent 30; tokenCostPerHourUsd staging 5, prod 50 (stacks/defaults.ts)
     */
    settings: Pick<Settings, LabelKeys | "observability" | "llmGateway" | "tenants">;
    /** The providers with an API key, whose backends the LLM panels attribute tokens and spend to (`keyedProviders`). */
    keyedProviders: readonly LlmProvider[];
    /** The foundation whose cluster the ConfigMap is created in (its provider and ready resources). */
    foundation: Foundation;
    /** Namespace the dashboard ConfigMaps live in; Grafana's sidecar watches every namespace. */
    namespace: pulumi.Input<string>;
}

/** The label Grafana's dashboard sidecar looks for (`grafana.sidecar.dashboards.label` / `labelValue`). */
export const dashboardLabel = { grafana_dashboard: "1" } as const;
export const dashboardUid = "ai-agent-service";
export const dashboardFile = `${dashboardUid}.json`;

interface PanelSpec {
    title: string;
    expr: string;
    legend: string;
    unit: string;
    description: string;
    /** Alert threshold drawn as a line; `below` when low values are the bad ones. */
    threshold?: { value: number; bad: "above" | "below" };
}

/**
 * Grafana dashboards provisioned as ConfigMaps, which the chart's Grafana sidecar loads: the seeds'
 * panels over the metrics contract, with the alert thresholds drawn in.
 */
export class Dashboards extends pulumi.ComponentResource {
    public readonly configMapName: pulumi.Output<string>;

    constructor(name: string, args: DashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:operations:Dashboards", name, {}, opts);
        const { settings, foundation } = args;

        const configMap = new k8s.core.v1.ConfigMap(
            `${name}-service`,
            {
                metadata: objectMetadata(settings, operationsNames.dashboardConfigMap, args.namespace, { ...dashboardLabel }),
                data: { [dashboardFile]: JSON.stringify(serviceDashboard({ ...settings, keyedProviders: args.keyedProviders }), null, 2) },
            },
            kubernetesOptions(this, foundation),
        );
        this.configMapName = configMap.metadata.name;
        this.registerOutputs({ configMapName: this.configMapName });
    }
}

/** The "AI agent service" dashboard as Grafana JSON model. */
export function serviceDashboard(settings: Pick<Settings, "observability" | "environment"> & LlmSignalSettings) {
    const t = settings.observability.alerts;
    const panels: PanelSpec[] = [
        { title: "Request rate", expr: queries.requestRate, legend: "{{component}}", unit: "reqps", description: "HTTP requests per second by component." },
        {
            title: "p95 latency",
            expr: queries.p95LatencySeconds,
            legend: "p95",
            unit: "s",
            description: "95th percentile of request duration.",
            threshold: { value: t.p95LatencySeconds, bad: "above" },
        },
        {
            title: "Error rate",
            expr: queries.errorRatePercent,
            legend: "5xx %",
            unit: "percent",
            description: "Share of requests answered with a 5xx status.",
            threshold: { value: t.errorRatePercent, bad: "above" },
        },
        { title: "Token usage per model", expr: queries.tokensPerMinuteByModel, legend: "{{model}}", unit: "short", description: "LLM tokens per minute (input and output) by model." },
        {
            title: "Cost per hour",
            expr: queries.costPerHourUsdByModel,
            legend: "{{model}}",
            unit: "currencyUSD",
            description: "LLM spend over the trailing hour by model; the alert fires on the sum.",
            threshold: { value: t.tokenCostPerHourUsd, bad: "above" },
        },
        {
            title: "Cache hit rate",
            expr: queries.cacheHitRatePercent,
            legend: "hit %",
            unit: "percent",
            description: "Share of response-cache lookups that hit.",
            threshold: { value: t.cacheHitRatePercent, bad: "below" },
        },
        { title: "Queue depth", expr: queries.queueDepth, legend: "{{queue}}", unit: "short", description: "Jobs waiting for a worker." },
    ];
    const edgePanels: PanelSpec[] = [
        {
            title: "Edge requests by status class",
            expr: queries.edgeRequestRateByClass,
            legend: "{{envoy_response_code_class}}xx",
            unit: "reqps",
            description: "Requests per second through the public Gateway's Envoy proxies, by response class (429s from the per-client rate limit are 4xx).",
        },
        {
            title: "Edge error rate",
            expr: queries.edgeErrorRatePercent,
            legend: "5xx %",
            unit: "percent",
            description: "Share of requests at the public edge answered 5xx (the EdgeHighErrorRate alert).",
            threshold: { value: t.errorRatePercent, bad: "above" },
        },
        { title: "Edge p95 latency", expr: queries.edgeP95LatencySeconds, legend: "p95", unit: "s", description: "95th percentile of the time the proxies take to answer, including the API." },
    ];
    const llm = llmQueries(settings);
    const llmPanels: PanelSpec[] = [
        {
            title: "LLM tokens per minute by model",
            expr: llm.tokensPerMinuteByModel,
            legend: `{{${aiGatewayLabels.originalModel}}}`,
            unit: "short",
            description: "Input plus output tokens per minute through the LLM gateway, by the model clients asked for.",
        },
        {
            title: "LLM tokens per minute by provider",
            expr: llm.tokensPerMinuteByProvider,
            legend: "{{provider}}",
            unit: "short",
            description: "Input plus output tokens per minute, by the provider that answered (told apart by the model name the gateway sent).",
        },
        {
            title: "LLM tokens per minute by caller",
            expr: llm.tokensPerMinuteByCaller,
            legend: `{{${llmCallerMetricLabel}}}`,
            unit: "short",
            description: "Input plus output tokens per minute, by caller: the service or a tenant.",
        },
        {
            title: "LLM estimated USD per hour by model",
            expr: llm.spendPerHourUsdByModel,
            legend: `{{${aiGatewayLabels.originalModel}}}`,
            unit: "currencyUSD",
            description: "Tokens over the trailing hour priced by the price book (llmTokenPrices), by the model clients asked for. An estimate: the providers bill.",
        },
        {
            title: "LLM estimated USD per hour by provider",
            expr: llm.spendPerHourUsdByProvider,
            legend: "{{provider}}",
            unit: "currencyUSD",
            description: "The same estimate by the provider that answered.",
        },
        {
            title: "LLM estimated USD per hour by caller",
            expr: llm.spendPerHourUsdByCaller,
            legend: `{{${llmCallerMetricLabel}}}`,
            unit: "currencyUSD",
            description: "The same estimate by caller; the LlmSpendNearBudget and LlmSpendOverBudget alerts compare it with each caller's hourly budget.",
        },
        {
            title: "LLM time to first token (p95)",
            expr: llm.p95TimeToFirstTokenSeconds,
            legend: `{{${aiGatewayLabels.originalModel}}}`,
            unit: "s",
            description: "95th percentile of the time until the first token of a streamed answer, by model.",
        },
        {
            title: "LLM time per output token (p95)",
            expr: llm.p95TimePerOutputTokenSeconds,
            legend: `{{${aiGatewayLabels.originalModel}}}`,
            unit: "s",
            description: "95th percentile of the time per output token after the first, of streamed answers, by model.",
        },
        {
            title: "LLM provider error rate",
            expr: llm.providerErrorRatePercent,
            legend: "{{provider}}",
            unit: "percent",
            description: "Share of the gateway's attempts at each provider that got no 2xx answer (the LlmProviderErrors alert).",
            threshold: { value: t.errorRatePercent, bad: "above" },
        },
        {
            title: "LLM fallback rate",
            expr: llm.fallbackRatePercent,
            legend: `{{${aiGatewayLabels.originalModel}}}`,
            unit: "percent",
            description: "Share of each model's answers that came from a backend other than its primary (the LlmFallbackRate alert).",
            threshold: { value: t.errorRatePercent, bad: "above" },
        },
    ];
    // Sections stack vertically: the service's panels, then one collapsed-open row per data plane.
    const sections: { row?: string; panels: PanelSpec[] }[] = [{ panels }, { row: "Public edge (Envoy Gateway)", panels: edgePanels }, { row: "LLM gateway (Envoy AI Gateway)", panels: llmPanels }];
    const out: Record<string, unknown>[] = [];
    let y = 0;
    for (const section of sections) {
        if (section.row) {
            out.push({ id: out.length + 1, type: "row", title: section.row, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
            y += 1;
        }
        section.panels.forEach((p, i) => out.push(timeseries(p, out.length + 1, { h: 8, w: 12, x: (i % 2) * 12, y: y + Math.floor(i / 2) * 8 })));
        y += Math.ceil(section.panels.length / 2) * 8;
    }
    return {
        uid: dashboardUid,
        title: "AI agent service",
        tags: ["ai-platform", settings.environment],
        timezone: "utc",
        editable: false,
        refresh: "30s",
        schemaVersion: 39,
        time: { from: "now-6h", to: "now" },
        panels: out,
    };
}

function timeseries(p: PanelSpec, id: number, gridPos: { h: number; w: number; x: number; y: number }) {
    const datasource = { type: "prometheus", uid: prometheusDatasourceUid };
    return {
        id,
        type: "timeseries",
        title: p.title,
        description: p.description,
        datasource,
        gridPos,
        targets: [{ refId: "A", datasource, expr: p.expr, legendFormat: p.legend }],
        fieldConfig: {
            defaults: {
                unit: p.unit,
                custom: { thresholdsStyle: { mode: p.threshold ? "line" : "off" } },
                thresholds: {
                    mode: "absolute",
                    steps: !p.threshold
                        ? [{ color: "green", value: null }]
                        : p.threshold.bad === "above"
                          ? [
                                { color: "green", value: null },
                                { color: "red", value: p.threshold.value },
                            ]
                          : [
                                { color: "red", value: null },
                                { color: "green", value: p.threshold.value },
                            ],
                },
            },
            overrides: [],
        },
    };
}
