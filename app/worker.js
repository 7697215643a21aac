"use strict";
// Placeholder queue consumer of the AI-agent service: polls, does nothing, stops cleanly on SIGTERM.
const http = require("http");

const pollMs = Number(process.env.POLL_INTERVAL_MS || 5000);
const metricsPort = Number(process.env.METRICS_PORT || 9090);
let polls = 0;
let stopping = false;

const log = (msg, extra = {}) => console.log(JSON.stringify({ time: new Date().toISOString(), level: "info", msg, ...extra }));

const metrics = http.createServer((req, res) => {
    const path = (req.url || "").split("?")[0];
    if (path === "/health") {
        res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    } else if (path === "/metrics") {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
        res.end(`# HELP worker_polls_total Queue polls made.\n# TYPE worker_polls_total counter\nworker_polls_total ${polls}\n`);
    } else {
        res.writeHead(404).end();
    }
});
metrics.listen(metricsPort, () => log("worker metrics listening", { port: metrics.address().port }));

const timer = setInterval(() => {
    if (stopping) return;
    polls += 1;
    // A real worker would take a task from the queue here and run the agent.
}, pollMs);

process.on("SIGTERM", () => {
    stopping = true;
    clearInterval(timer);
    log("worker stopping", { polls });
    metrics.close(() => process.exit(0));
    metrics.closeAllConnections();
});
log("worker started", { pollMs });
