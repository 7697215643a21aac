"use strict";
const http = require("http");
const client = require("prom-client");

/**
 * The metrics contract of the platform (components/operations/metrics.ts, README "Metrics the service
 * must expose"): every family, with the documented labels, in one registry that the API and the worker
 * both serve, so dashboards and alerts find the same names whichever pod they scrape.
 */
function createMetrics({ queueDepth, queueName, runningTasks } = {}) {
    const registry = new client.Registry();
    client.collectDefaultMetrics({ register: registry });
    const opts = (name, help, labelNames = []) => ({ name, help, labelNames, registers: [registry] });

    const metrics = {
        registry,
        httpRequests: new client.Counter(opts("http_requests_total", "HTTP requests served, by method, route and status code.", ["method", "route", "status"])),
        httpDuration: new client.Histogram({
            ...opts("http_request_duration_seconds", "Time to answer an HTTP request, by method and route.", ["method", "route"]),
            buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
        }),
        httpInFlight: new client.Gauge(opts("http_requests_in_flight", "HTTP requests being served right now (probes excluded); the API's autoscaling signal.")),
        llmTokens: new client.Counter(opts("llm_tokens_total", "LLM tokens used, by model and type (input or output).", ["model", "type"])),
        llmCost: new client.Counter(opts("llm_cost_usd_total", "LLM spend in US dollars at list price, by model.", ["model"])),
        cacheHits: new client.Counter(opts("cache_hits_total", "Response-cache lookups that found an answer.")),
        cacheMisses: new client.Counter(opts("cache_misses_total", "Response-cache lookups that did not.")),
        queueDepth: new client.Gauge({
            ...opts("agent_queue_depth", "Tasks waiting in the shared task queue.", ["queue"]),
            // Read at scrape time; a scrape while Redis is down reports nothing rather than failing.
            async collect() {
                if (!queueDepth) return;
                try {
                    this.set({ queue: queueName }, await queueDepth());
                } catch {
                    this.reset();
                }
            },
        }),
        taskRunning: new client.Gauge({
            ...opts("agent_task_running_seconds", "Seconds each in-flight task has been running; the series goes when the task ends.", ["task_id"]),
            collect() {
                this.reset();
                for (const [taskId, started] of runningTasks ? runningTasks() : []) this.set({ task_id: taskId }, (Date.now() - started) / 1000);
            },
        }),
    };
    metrics.cacheHits.inc(0);
    metrics.cacheMisses.inc(0);
    return metrics;
}

/** The `/metrics` endpoint on its own port (the pods' `metrics` container port). */
function serveMetrics(registry, port, log) {
    const server = http.createServer(async (req, res) => {
        if ((req.url || "").split("?")[0] !== "/metrics") {
            res.writeHead(404).end();
            return;
        }
        try {
            const body = await registry.metrics();
            res.writeHead(200, { "content-type": registry.contentType }).end(body);
        } catch (e) {
            res.writeHead(500).end(String(e));
        }
    });
    server.listen(port, () => log.info("metrics listening", { port: server.address().port }));
    return server;
}

module.exports = { createMetrics, serveMetrics };
