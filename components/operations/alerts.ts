import type { Settings } from "../../stacks";
import { kubernetesNames } from "../contract";
import { llmCallerMetricLabel } from "../shared/llmCaller";
import { llmCallers, llmQueries, type LlmSignalSettings } from "./llmSignals";
import { metricsContract, queries } from "./metrics";

export type Severity = "critical" | "warning";

/** One alert of the service: the rule Prometheus evaluates and the runbook entry an on-call engineer reads. */
export interface AlertDefinition {
    alert: string;
    expr: string;
    for: string;
    severity: Severity;
    summary: string;
    description: string;
    /** Markdown: what the alert means and the first steps; published in the runbook ConfigMap. */
    runbook: string;
}

const ns = kubernetesNames.appNamespace;

/**
 * The alert rules of the seeds, with every threshold taken from `settings.observability.alerts`.
 * Pure, so the thresholds can be checked without a cluster.
 */
export function alertDefinitions(settings: Pick<Settings, "observability"> & LlmSignalSettings): AlertDefinition[] {
    return [...serviceAlerts(settings), ...llmGatewayAlerts(settings)];
}

function serviceAlerts(settings: Pick<Settings, "observability">): AlertDefinition[] {
    const t = settings.observability.alerts;
    return [
        {
            alert: "HighErrorRate",
            expr: `${queries.errorRatePercent} > ${t.errorRatePercent}`,
            for: "5m",
            severity: "critical",
            summary: "High error rate on the AI agent API",
            description: `{{ $value | printf "%.1f" }}% of requests failed with a 5xx status over the last 5 minutes (threshold: ${t.errorRatePercent}%).`,
            runbook: [
                `More than ${t.errorRatePercent}% of requests answer 5xx.`,
                "",
                `1. Open the "AI agent service" dashboard: is it one route, one pod, or everything?`,
                `2. \`kubectl -n ${ns} logs -l app.kubernetes.io/name=${kubernetesNames.appName} --since=15m | grep -i error\``,
                "3. LLM provider outages and rate limits show as upstream errors in the logs; check the provider's status page.",
                `4. Database or cache unreachable: \`kubectl -n ${ns} get pods\` and the /ready endpoint; see disaster-recovery.md if a data store is down.`,
                `5. A bad release: \`kubectl -n ${ns} rollout undo deployment/<name>\`.`,
            ].join("\n"),
        },
        {
            alert: "EdgeHighErrorRate",
            expr: `${queries.edgeErrorRatePercent} > ${t.errorRatePercent}`,
            for: "5m",
            severity: "critical",
            summary: "High 5xx rate at the public edge",
            description: `{{ $value | printf "%.1f" }}% of requests through the public Gateway were answered 5xx over the last 5 minutes (threshold: ${t.errorRatePercent}%).`,
            runbook: [
                `More than ${t.errorRatePercent}% of the requests the Envoy proxies of the public Gateway answer are 5xx.`,
                "",
                `1. If HighErrorRate fires too, the API itself fails: follow that runbook.`,
                `2. 503 with no API errors: no ready API endpoint. \`kubectl -n ${ns} get endpointslices -l kubernetes.io/service-name=${kubernetesNames.serviceAccounts.api}\` and the API pods' readiness.`,
                `3. 504: the route's request timeout (\`ai-platform:ingress.requestTimeoutSeconds\`) cut off slow LLM calls.`,
                `4. The Gateway and route status: \`kubectl -n ${ns} get gateway,httproute -o wide\`; the proxies: \`kubectl -n ${kubernetesNames.gateway.namespace} get pods\` and their logs.`,
            ].join("\n"),
        },
        {
            alert: "HighLatency",
            expr: `${queries.p95LatencySeconds} > ${t.p95LatencySeconds}`,
            for: "5m",
            severity: "warning",
            summary: "High p95 latency on the AI agent API",
            description: `p95 request latency is {{ $value | printf "%.2f" }}s (threshold: ${t.p95LatencySeconds}s).`,
            runbook: [
                `p95 latency is above ${t.p95LatencySeconds}s.`,
                "",
                "1. Compare with the provider latency and the queue depth panels: slow LLM calls dominate agent latency.",
                "2. CPU-throttled or memory-starved pods: check HPA status and the HighMemoryUsage alert.",
                "3. A falling cache hit rate sends more requests to the providers; see LowCacheHitRate.",
            ].join("\n"),
        },
        {
            alert: "HighMemoryUsage",
            expr: `${queries.memoryUsageRatio} > ${t.memoryUsagePercent / 100}`,
            for: "5m",
            severity: "warning",
            summary: "Container close to its memory limit",
            description: `{{ $labels.pod }}/{{ $labels.container }} uses {{ $value | humanizePercentage }} of its memory limit (threshold: ${t.memoryUsagePercent}%).`,
            runbook: [
                `A container uses more than ${t.memoryUsagePercent}% of its memory limit and will be OOM-killed next.`,
                "",
                `1. \`kubectl -n ${ns} top pods\`; large context windows grow memory per concurrent agent.`,
                "2. Lower `ai-platform:app.maxConcurrentAgents` or raise `ai-platform:api.resources` / `worker.resources` limits.",
            ].join("\n"),
        },
        {
            alert: "LongRunningTask",
            expr: `${queries.longestRunningTaskSeconds} > ${t.longRunningTaskSeconds}`,
            for: "1m",
            severity: "warning",
            summary: "Agent task running unusually long",
            description: `Task {{ $labels.task_id }} on {{ $labels.pod }} has been running for {{ $value | humanizeDuration }} (threshold: ${t.longRunningTaskSeconds}s).`,
            runbook: [
                `A task has run longer than ${t.longRunningTaskSeconds} seconds (\`${metricsContract.taskRunning}\`).`,
                "",
                "1. Look the task up in the worker logs by its task_id: a loop of tool calls or retries burns tokens.",
                "2. If it is stuck, cancel it through the service, or delete the worker pod (the task returns to the queue if the service acknowledges late).",
            ].join("\n"),
        },
        {
            alert: "LowCacheHitRate",
            expr: `${queries.cacheHitRatePercent} < ${t.cacheHitRatePercent}`,
            for: "10m",
            severity: "warning",
            summary: "Low response-cache hit rate",
            description: `Cache hit rate is {{ $value | printf "%.1f" }}% (threshold: ${t.cacheHitRatePercent}%).`,
            runbook: [
                `Fewer than ${t.cacheHitRatePercent}% of cache lookups hit; more requests go to the paid providers.`,
                "",
                "1. A cache restart or failover empties it: the rate recovers as it refills (Redis is a cache, see disaster-recovery.md).",
                "2. Evictions: the cache may be too small for `ai-platform:app.cacheTtlSeconds`; check its memory in the cloud console.",
            ].join("\n"),
        },
        {
            alert: "PodCrashLooping",
            expr: `(${queries.restartsLast15m} > 3) or (${queries.crashLoopBackOff} >= 1)`,
            for: "5m",
            severity: "critical",
            summary: "Pod crash looping",
            description: "{{ $labels.pod }}/{{ $labels.container }} is restarting repeatedly or waiting in CrashLoopBackOff.",
            runbook: [
                "A pod of the service keeps crashing.",
                "",
                `1. \`kubectl -n ${ns} describe pod <pod>\` and \`kubectl -n ${ns} logs <pod> --previous\`.`,
                `2. Missing or wrong configuration: the \`${kubernetesNames.appConfigMap}\` ConfigMap and \`${kubernetesNames.appSecret}\` Secret.`,
                "3. OOMKilled in the last state: see HighMemoryUsage.",
            ].join("\n"),
        },
        {
            alert: "HighTokenSpend",
            expr: `${queries.costPerHourUsd} > ${t.tokenCostPerHourUsd}`,
            for: "5m",
            severity: "warning",
            summary: "LLM spend above budget",
            description: `LLM spend over the last hour is \${{ $value | printf "%.2f" }} (threshold: $${t.tokenCostPerHourUsd}/h).`,
            runbook: [
                `LLM spend over the trailing hour is above $${t.tokenCostPerHourUsd}.`,
                "",
                `1. "Cost per hour" and "Token usage per model" panels: which model, and since when?`,
                "2. A traffic spike, a retry storm (`ai-platform:app.llmRetries`) or a looping agent (LongRunningTask).",
                "3. Tighten `ai-platform:ingress.rateLimitRps` / `app.rateLimitPerMinute`, or switch `app.defaultModel` to a cheaper model.",
            ].join("\n"),
        },
    ];
}

/**
 * The LLM gateway's alerts: every caller's measured spend and tokens against its hourly budget, the
 * providers' failed attempts and the share of answers that came from a fallback backend.
 */
function llmGatewayAlerts(settings: Pick<Settings, "observability"> & LlmSignalSettings): AlertDefinition[] {
    const q = llmQueries(settings);
    const pct = settings.llmGateway.budgetAlertPercent;
    const t = settings.observability.alerts;
    const caller = `{{ $labels.${llmCallerMetricLabel} }}`;
    const budgets = [
        "| caller | USD per hour | tokens per hour | set by |",
        "|---|---|---|---|",
        ...llmCallers(settings).map((c) => `| ${c.caller} | ${c.budget.usdPerHour} | ${c.budget.tokensPerHour} | \`${c.source}\` |`),
    ].join("\n");
    const firstSteps = [
        `1. Dashboard "AI agent service", row "LLM gateway": which caller, which model, since when?`,
        "2. A looping agent (LongRunningTask), a retry storm, or a tenant's batch job: the caller's own logs.",
        "3. A real need: raise the caller's budget (`ai-platform:llmGateway.budget` for the service, `tenants[].llmBudget` for a tenant) and `pulumi up`.",
        "",
        "Budgets:",
        "",
        budgets,
    ];
    const atLimit = "At 100 % the gateway's rate limit answers the caller 429 until the hour rolls over (docs/ai-gateway.md).";
    return [
        {
            alert: "LlmSpendNearBudget",
            expr: `${q.spendPerHourUsdByCaller} > on (${llmCallerMetricLabel}) ${q.spendWarningUsd}`,
            for: "5m",
            severity: "warning",
            summary: "LLM spend of a caller near its hourly budget",
            description: `${caller} spent \${{ $value | printf "%.2f" }} on LLM tokens over the last hour, more than ${pct}% of its budget.`,
            runbook: [`A caller's estimated LLM spend over the trailing hour (tokens × the price book's prices) is above ${pct}% of its hourly USD budget. ${atLimit}`, "", ...firstSteps].join("\n"),
        },
        {
            alert: "LlmSpendOverBudget",
            expr: `${q.spendPerHourUsdByCaller} >= on (${llmCallerMetricLabel}) ${q.spendBudgetUsd}`,
            for: "1m",
            severity: "critical",
            summary: "LLM spend of a caller at its hourly budget: its requests are refused",
            description: `${caller} spent \${{ $value | printf "%.2f" }} on LLM tokens over the last hour, its whole budget; the gateway answers it 429.`,
            runbook: [`A caller's estimated LLM spend over the trailing hour has reached its hourly USD budget. ${atLimit}`, "", ...firstSteps].join("\n"),
        },
        {
            alert: "LlmTokensNearBudget",
            expr: `${q.tokensPerHourByCaller} > on (${llmCallerMetricLabel}) ${q.tokensWarning}`,
            for: "5m",
            severity: "warning",
            summary: "LLM tokens of a caller near its hourly budget",
            description: `${caller} used {{ $value | humanize }} tokens over the last hour, more than ${pct}% of its budget.`,
            runbook: [`A caller's input plus output tokens over the trailing hour are above ${pct}% of its hourly token budget. ${atLimit}`, "", ...firstSteps].join("\n"),
        },
        {
            alert: "LlmTokensOverBudget",
            expr: `${q.tokensPerHourByCaller} >= on (${llmCallerMetricLabel}) ${q.tokensBudget}`,
            for: "1m",
            severity: "critical",
            summary: "LLM tokens of a caller at its hourly budget: its requests are refused",
            description: `${caller} used {{ $value | humanize }} tokens over the last hour, its whole budget; the gateway answers it 429.`,
            runbook: [`A caller's input plus output tokens over the trailing hour have reached its hourly token budget. ${atLimit}`, "", ...firstSteps].join("\n"),
        },
        {
            alert: "LlmProviderErrors",
            expr: `${q.providerErrorRatePercent} > ${t.errorRatePercent}`,
            for: "5m",
            severity: "warning",
            summary: "An LLM provider fails many requests",
            description: `{{ $value | printf "%.1f" }}% of the attempts at {{ $labels.provider }} failed over the last 5 minutes (threshold: ${t.errorRatePercent}%).`,
            runbook: [
                `More than ${t.errorRatePercent}% of the LLM gateway's attempts at one provider got no 2xx answer (5xx, 429, resets, timeouts; also 4xx for bad requests). The gateway retries at the next backend, so callers may not notice yet; see LlmFallbackRate.`,
                "",
                "1. The provider's status page, and its rate limits for the key (429s).",
                `2. The gateway's proxies: \`kubectl -n ${kubernetesNames.gateway.namespace} logs -l gateway.envoyproxy.io/owning-gateway-name=${kubernetesNames.llmGateway.gatewayName} -c ai-gateway-extproc --since=15m\`.`,
                "3. A revoked or expired key: the provider answers 401; rotate it (`pulumi config set --secret ai-platform:<provider>ApiKey`).",
                "4. A long outage: move another provider first in `ai-platform:llmGateway.models[].backends`.",
            ].join("\n"),
        },
        {
            alert: "LlmFallbackRate",
            expr: `${q.fallbackRatePercent} > ${t.errorRatePercent}`,
            for: "10m",
            severity: "warning",
            summary: "LLM answers come from fallback providers",
            description: `{{ $value | printf "%.1f" }}% of the answers for {{ $labels.gen_ai_original_model }} came from a backend other than its primary over the last 5 minutes (threshold: ${t.errorRatePercent}%).`,
            runbook: [
                `More than ${t.errorRatePercent}% of a model's answers came from a fallback backend: the primary failed, was rate limited or timed out. Fallbacks answer with another model, at another price, and add the failed attempt's latency.`,
                "",
                "1. LlmProviderErrors names the failing provider; the dashboard's provider error rate panel shows since when.",
                "2. 429s from the primary: the key's rate limit at the provider is too low for the traffic.",
                "3. Timeouts: `ai-platform:llmGateway.attemptTimeoutSeconds` may be too short for long answers.",
            ].join("\n"),
        },
    ];
}
