import { kubernetesNames } from "../../components/contract";
import { metricsContract } from "../../components/operations/metrics";
import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import { cases, label, operationsOne, runOperations, types, type Case, type AlertRule as Rule } from "./run";

interface Thresholds {
    errorRatePercent: number;
    p95LatencySeconds: number;
    memoryUsagePercent: number;
    longRunningTaskSeconds: number;
    cacheHitRatePercent: number;
    tokenCostPerHourUsd: number;
}

const defaults: Record<Case["stack"], Thresholds> = {
    staging: { errorRatePercent: 5, p95LatencySeconds: 2, memoryUsagePercent: 90, longRunningTaskSeconds: 14400, cacheHitRatePercent: 30, tokenCostPerHourUsd: 5 },
    prod: { errorRatePercent: 5, p95LatencySeconds: 2, memoryUsagePercent: 90, longRunningTaskSeconds: 14400, cacheHitRatePercent: 30, tokenCostPerHourUsd: 50 },
};
/** One case per stack runs with every threshold overridden in stack config. */
const overridden: Record<string, Thresholds> = {
    "staging on aws": { errorRatePercent: 2.5, p95LatencySeconds: 1.5, memoryUsagePercent: 80, longRunningTaskSeconds: 3600, cacheHitRatePercent: 50, tokenCostPerHourUsd: 12 },
    "prod on gcp": { errorRatePercent: 1, p95LatencySeconds: 4, memoryUsagePercent: 75, longRunningTaskSeconds: 7200, cacheHitRatePercent: 20, tokenCostPerHourUsd: 200 },
};

const balanced = (expr: string) => {
    const stack: string[] = [];
    const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
    for (const ch of expr.replace(/"[^"]*"/g, "")) {
        if ("([{".includes(ch)) stack.push(ch);
        else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
    }
    return stack.length === 0;
};

describe.each(cases)("alerts and dashboards: $stack on $cloud", (c: Case) => {
    const thresholds = overridden[label(c)] ?? defaults[c.stack];
    let run: ProgramRun;
    let rules: Rule[];
    let rule: (name: string) => Rule;
    let panels: {
        id: number;
        type: string;
        gridPos: { x: number; y: number; w: number; h: number };
        title: string;
        targets: { expr: string }[];
        fieldConfig: { defaults: { thresholds: { steps: { color: string; value: number | null }[] } } };
    }[];
    let runbook: RecordedResource;

    beforeAll(async () => {
        const config = overridden[label(c)] ? Object.fromEntries(Object.entries(thresholds).map(([k, v]) => [`ai-platform:observability.alerts.${k}`, v])) : {};
        run = await runOperations(c, { config });
        const prometheusRule = operationsOne(run, types.prometheusRule);
        rules = prometheusRule.inputs.spec.groups.flatMap((g: { rules: Rule[] }) => g.rules);
        rule = (name) => {
            const found = rules.find((r) => r.alert === name);
            if (!found) throw new Error(`no alert ${name}`);
            return found;
        };
        const dashboard = operationsOne(run, types.configMap, /dashboards/);
        panels = JSON.parse(Object.values(dashboard.inputs.data as Record<string, string>)[0]).panels;
        runbook = operationsOne(run, types.configMap, /runbook/);
    });

    test("the PrometheusRule lives in the monitoring namespace and waits for the chart's CRDs", () => {
        const prometheusRule = operationsOne(run, types.prometheusRule);
        expect(prometheusRule.inputs.metadata.namespace).toBe(kubernetesNames.monitoringNamespace);
        expect(run.dependsOn(prometheusRule, operationsOne(run, types.release))).toBe(true);
    });

    test("declares the seeds' alerts with their durations and severities", () => {
        expect(rules.map((r) => [r.alert, r.for, r.labels.severity])).toEqual([
            ["HighErrorRate", "5m", "critical"],
            ["EdgeHighErrorRate", "5m", "critical"],
            ["HighLatency", "5m", "warning"],
            ["HighMemoryUsage", "5m", "warning"],
            ["LongRunningTask", "1m", "warning"],
            ["LowCacheHitRate", "10m", "warning"],
            ["PodCrashLooping", "5m", "critical"],
            ["HighTokenSpend", "5m", "warning"],
            ["LlmSpendNearBudget", "5m", "warning"],
            ["LlmSpendOverBudget", "1m", "critical"],
            ["LlmTokensNearBudget", "5m", "warning"],
            ["LlmTokensOverBudget", "1m", "critical"],
            ["LlmProviderErrors", "5m", "warning"],
            ["LlmFallbackRate", "10m", "warning"],
        ]);
        for (const r of rules) expect(balanced(r.expr)).toBe(true);
    });

    test("takes every threshold from settings.observability.alerts", () => {
        expect(rule("HighErrorRate").expr).toMatch(new RegExp(`\\* 100 > ${thresholds.errorRatePercent}$`));
        expect(rule("HighLatency").expr).toMatch(new RegExp(`^histogram_quantile\\(0\\.95, .*\\) > ${thresholds.p95LatencySeconds}$`));
        expect(rule("HighMemoryUsage").expr).toMatch(new RegExp(` > ${thresholds.memoryUsagePercent / 100}$`));
        expect(rule("LongRunningTask").expr).toMatch(new RegExp(` > ${thresholds.longRunningTaskSeconds}$`));
        expect(rule("LowCacheHitRate").expr).toMatch(new RegExp(`\\* 100 < ${thresholds.cacheHitRatePercent}$`));
        expect(rule("HighTokenSpend").expr).toMatch(new RegExp(` > ${thresholds.tokenCostPerHourUsd}$`));
        expect(rule("HighErrorRate").annotations.description).toContain(`threshold: ${thresholds.errorRatePercent}%`);
        expect(rule("EdgeHighErrorRate").expr).toMatch(new RegExp(`\\* 100 > ${thresholds.errorRatePercent}$`));
    });

    test("evaluates the metrics contract of the app namespace", () => {
        const scoped = `namespace="${kubernetesNames.appNamespace}"`;
        expect(rule("HighErrorRate").expr).toContain(`${metricsContract.httpRequests}{${scoped},status=~"5.."}`);
        expect(rule("HighLatency").expr).toContain(`${metricsContract.httpRequestDuration}_bucket{${scoped}}`);
        expect(rule("HighMemoryUsage").expr).toContain("container_memory_working_set_bytes{");
        expect(rule("HighMemoryUsage").expr).toContain('kube_pod_container_resource_limits{namespace="ai-agents",resource="memory"');
        expect(rule("LongRunningTask").expr).toContain(metricsContract.taskRunning);
        expect(rule("LowCacheHitRate").expr).toContain(metricsContract.cacheHits);
        expect(rule("LowCacheHitRate").expr).toContain(metricsContract.cacheMisses);
        expect(rule("PodCrashLooping").expr).toContain("kube_pod_container_status_restarts_total{");
        expect(rule("PodCrashLooping").expr).toContain('reason="CrashLoopBackOff"');
        expect(rule("HighTokenSpend").expr).toContain(`increase(${metricsContract.llmCost}{${scoped}}[1h])`);
        // The edge's and the LLM gateway's alerts read their proxies in Envoy Gateway's namespace (test/operations/llmSignals.test.ts).
        for (const r of rules.filter((x) => !x.alert.startsWith("Edge") && !x.alert.startsWith("Llm"))) expect(r.expr).toContain(scoped);
    });

    test("the edge alert fires on the 5xx share of the Gateway listeners' requests at the Envoy proxies", () => {
        const expr = rule("EdgeHighErrorRate").expr;
        const edge = 'namespace="envoy-gateway-system",envoy_http_conn_manager_prefix=~"https?-[0-9]+"';
        expect(expr).toContain(`sum(rate(envoy_http_downstream_rq_xx{${edge},envoy_response_code_class="5"}[5m]))`);
        expect(expr).toContain(`/ sum(rate(envoy_http_downstream_rq_total{${edge}}[5m])) * 100`);
    });

    test("every alert has a summary, a description and a runbook entry in the runbook ConfigMap", () => {
        const data = runbook.inputs.data as Record<string, string>;
        for (const r of rules) {
            expect(r.annotations.summary).toBeTruthy();
            expect(r.annotations.description).toBeTruthy();
            expect(r.annotations.runbook).toBe(`kubectl -n ai-agents get configmap ${runbook.inputs.metadata.name} -o jsonpath='{.data.${r.alert}\\.md}'`);
            expect(data[`${r.alert}.md`]).toContain(`# ${r.alert}`);
            expect(data[`${r.alert}.md`]).toContain(r.expr);
        }
    });

    test("provisions the dashboard as a ConfigMap Grafana's sidecar loads", () => {
        const dashboard = operationsOne(run, types.configMap, /dashboards/);
        expect(dashboard.inputs.metadata.labels.grafana_dashboard).toBe("1");
        expect(dashboard.inputs.metadata.namespace).toBe(kubernetesNames.monitoringNamespace);
        expect(panels.map((p) => p.title)).toEqual([
            "Request rate",
            "p95 latency",
            "Error rate",
            "Token usage per model",
            "Cost per hour",
            "Cache hit rate",
            "Queue depth",
            "Public edge (Envoy Gateway)",
            "Edge requests by status class",
            "Edge error rate",
            "Edge p95 latency",
            "LLM gateway (Envoy AI Gateway)",
            "LLM tokens per minute by model",
            "LLM tokens per minute by provider",
            "LLM tokens per minute by caller",
            "LLM estimated USD per hour by model",
            "LLM estimated USD per hour by provider",
            "LLM estimated USD per hour by caller",
            "LLM time to first token (p95)",
            "LLM time per output token (p95)",
            "LLM provider error rate",
            "LLM fallback rate",
        ]);
        // The edge's panels sit in their own row, below the service's, without overlapping it.
        const row = panels.find((p) => p.type === "row" && p.title.startsWith("Public edge"))!;
        const below = (p: any) => p.gridPos.y > row.gridPos.y;
        expect(panels.filter((p) => p.title.startsWith("Edge") || p.title.startsWith("LLM")).every(below)).toBe(true);
        expect(panels.filter((p) => p.type !== "row" && !p.title.startsWith("Edge") && !p.title.startsWith("LLM")).every((p) => p.gridPos.y + p.gridPos.h <= row.gridPos.y)).toBe(true);
        expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    });

    test("dashboard panels query what the alerts fire on, with the thresholds drawn in", () => {
        const panel = (title: string) => panels.find((p) => p.title === title)!;
        const line = (title: string) => panel(title).fieldConfig.defaults.thresholds.steps.find((s) => s.value !== null)?.value;
        expect(rule("HighErrorRate").expr.startsWith(panel("Error rate").targets[0].expr)).toBe(true);
        expect(rule("HighLatency").expr.startsWith(panel("p95 latency").targets[0].expr)).toBe(true);
        expect(rule("LowCacheHitRate").expr.startsWith(panel("Cache hit rate").targets[0].expr)).toBe(true);
        expect(panel("Token usage per model").targets[0].expr).toContain(`sum by (model) (rate(${metricsContract.llmTokens}`);
        expect(panel("Cost per hour").targets[0].expr).toContain(metricsContract.llmCost);
        expect(panel("Queue depth").targets[0].expr).toContain(metricsContract.queueDepth);
        expect(panel("Request rate").targets[0].expr).toContain(metricsContract.httpRequests);
        expect(line("Error rate")).toBe(thresholds.errorRatePercent);
        expect(rule("EdgeHighErrorRate").expr.startsWith(panel("Edge error rate").targets[0].expr)).toBe(true);
        expect(line("Edge error rate")).toBe(thresholds.errorRatePercent);
        expect(line("p95 latency")).toBe(thresholds.p95LatencySeconds);
        expect(line("Cache hit rate")).toBe(thresholds.cacheHitRatePercent);
        expect(line("Cost per hour")).toBe(thresholds.tokenCostPerHourUsd);
    });
});
