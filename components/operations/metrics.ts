import { kubernetesNames } from "../contract";

/**
 * The metrics contract: what the API and worker pods must expose on their `metrics` port at
 * `/metrics` (Prometheus text format). The dashboards and the alert rules are written against these
 * names only, so a service that exposes them gets working panels and alerts without further setup.
 * docs/operations.md lists them for service authors.
 */
export const metricsContract = {
    /** Counter; labels `method`, `route`, `status` (HTTP status code, e.g. "200", "503"). */
    httpRequests: "http_requests_total",
    /** Gauge: HTTP requests the API is serving right now (no labels); the API's autoscaling signal. */
    httpRequestsInFlight: "http_requests_in_flight",
    /** Histogram in seconds (`_bucket`, `_sum`, `_count`); labels `method`, `route`. */
    httpRequestDuration: "http_request_duration_seconds",
    /** Counter of LLM tokens; labels `model`, `type` ("input" or "output"). */
    llmTokens: "llm_tokens_total",
    /** Counter of LLM spend in US dollars, as priced by the service; label `model`. */
    llmCost: "llm_cost_usd_total",
    /** Counters of response-cache lookups that hit / missed. */
    cacheHits: "cache_hits_total",
    cacheMisses: "cache_misses_total",
    /** Gauge: jobs waiting in the shared work queue; label `queue`. Every worker may report the same queue. */
    queueDepth: "agent_queue_depth",
    /** Gauge: seconds an in-flight task has been running, one series per running task (label `task_id`), dropped when it ends. */
    taskRunning: "agent_task_running_seconds",
} as const;

/** Every series of the service is scraped from the app namespace; scoping on it keeps other tenants' same-named metrics out. */
const scope = `namespace="${kubernetesNames.appNamespace}"`;
const m = metricsContract;

/**
 * The public edge's Envoy proxies, scraped by their own PodMonitor: HTTP connection manager stats of
 * the Gateway's listeners (`http-10080`, `https-10443`), not Envoy's admin and readiness listeners.
 */
const edgeScope = `namespace="${kubernetesNames.gateway.namespace}",envoy_http_conn_manager_prefix=~"https?-[0-9]+"`;

/** The PromQL both the dashboards and the alert rules use, so a panel shows exactly what an alert fires on. */
export const queries = {
    /** What KEDA scales the API on: all requests in flight, which it divides by the pods for the per-pod average. */
    apiRequestsInFlight: `sum(${m.httpRequestsInFlight}{${scope},component="api"})`,
    requestRate: `sum by (component) (rate(${m.httpRequests}{${scope}}[5m]))`,
    errorRatePercent: `sum(rate(${m.httpRequests}{${scope},status=~"5.."}[5m])) / sum(rate(${m.httpRequests}{${scope}}[5m])) * 100`,
    p95LatencySeconds: `histogram_quantile(0.95, sum by (le) (rate(${m.httpRequestDuration}_bucket{${scope}}[5m])))`,
    tokensPerMinuteByModel: `sum by (model) (rate(${m.llmTokens}{${scope}}[5m])) * 60`,
    /** Spend over the trailing hour, i.e. the current cost per hour. */
    costPerHourUsd: `sum(increase(${m.llmCost}{${scope}}[1h]))`,
    costPerHourUsdByModel: `sum by (model) (increase(${m.llmCost}{${scope}}[1h]))`,
    cacheHitRatePercent: `sum(rate(${m.cacheHits}{${scope}}[5m])) / (sum(rate(${m.cacheHits}{${scope}}[5m])) + sum(rate(${m.cacheMisses}{${scope}}[5m]))) * 100`,
    /** `max`, not `sum`: every worker reports the length of the same shared queue. */
    queueDepth: `max by (queue) (${m.queueDepth}{${scope}})`,
    longestRunningTaskSeconds: `max by (pod, task_id) (${m.taskRunning}{${scope}})`,
    /** cAdvisor working set over the kube-state-metrics limit, per container. */
    memoryUsageRatio:
        `max by (namespace, pod, container) (container_memory_working_set_bytes{${scope},container!="",container!="POD"})` +
        ` / on (namespace, pod, container) ` +
        `max by (namespace, pod, container) (kube_pod_container_resource_limits{${scope},resource="memory",job="kube-state-metrics"})`,
    edgeRequestRateByClass: `sum by (envoy_response_code_class) (rate(envoy_http_downstream_rq_xx{${edgeScope}}[5m]))`,
    edgeErrorRatePercent: `sum(rate(envoy_http_downstream_rq_xx{${edgeScope},envoy_response_code_class="5"}[5m])) / sum(rate(envoy_http_downstream_rq_total{${edgeScope}}[5m])) * 100`,
    edgeP95LatencySeconds: `histogram_quantile(0.95, sum by (le) (rate(envoy_http_downstream_rq_time_bucket{${edgeScope}}[5m]))) / 1000`,
    restartsLast15m: `increase(kube_pod_container_status_restarts_total{${scope},job="kube-state-metrics"}[15m])`,
    crashLoopBackOff: `max_over_time(kube_pod_container_status_waiting_reason{${scope},reason="CrashLoopBackOff",job="kube-state-metrics"}[5m])`,
} as const;
