"use strict";
// Placeholder API of the AI-agent service: liveness, readiness and Prometheus metrics, nothing else.
const http = require("http");

const port = Number(process.env.PORT || 8080);
const metricsPort = Number(process.env.METRICS_PORT || 9090);
const started = Date.now();
let ready = true;
const requests = new Map();

const log = (msg, extra = {}) => console.log(JSON.stringify({ time: new Date().toISOString(), level: "info", msg, ...extra }));
const send = (res, status, body) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
};

const api = http.createServer((req, res) => {
    const path = (req.url || "/").split("?")[0];
    let status = 200;
    if (path === "/health") send(res, 200, { status: "ok" });
    else if (path === "/ready") send(res, (status = ready ? 200 : 503), { status: ready ? "ready" : "draining" });
    else if (path === "/") send(res, 200, { service: "ai-agent", placeholder: true });
    else send(res, (status = 404), { error: "not found" });
    const key = `${req.method} ${status}`;
    requests.set(key, (requests.get(key) || 0) + 1);
});

const metrics = http.createServer((req, res) => {
    if ((req.url || "").split("?")[0] !== "/metrics") {
        res.writeHead(404).end();
        return;
    }
    const lines = [
        "# HELP http_requests_total HTTP requests served by the API.",
        "# TYPE http_requests_total counter",
        ...[...requests].map(([key, n]) => {
            const [method, code] = key.split(" ");
            return `http_requests_total{method="${method}",code="${code}"} ${n}`;
        }),
        "# HELP process_uptime_seconds Seconds since the process started.",
        "# TYPE process_uptime_seconds gauge",
        `process_uptime_seconds ${(Date.now() - started) / 1000}`,
    ];
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(lines.join("\n") + "\n");
});

api.listen(port, () => log("api listening", { port: api.address().port }));
metrics.listen(metricsPort, () => log("metrics listening", { port: metrics.address().port }));

// Kubernetes sends SIGTERM and keeps routing for a moment: report not-ready, finish in-flight requests, exit.
process.on("SIGTERM", () => {
    ready = false;
    log("draining");
    api.close(() => metrics.close(() => process.exit(0)));
    api.closeIdleConnections();
    metrics.closeAllConnections();
});
