"use strict";
/**
 * The API of the reference AI-agent service.
 *   POST /v1/tasks      {"prompt": "...", "model"?: "..."} → 202 {id, status}: stored in Postgres, queued in Redis
 *   GET  /v1/tasks/:id  → the task's state and, once done, its result
 *   GET  /health        liveness: the process answers; never touches the database, the cache or the provider
 *   GET  /ready         readiness: Postgres and Redis answer (the API never calls the provider; the worker does)
 * Prometheus metrics on METRICS_PORT at /metrics. SIGTERM: report not ready, finish in-flight requests, exit.
 */
const { randomUUID } = require("node:crypto");
const http = require("http");
const { loadConfig } = require("./lib/config");
const { createPool, tasks, taskView } = require("./lib/db");
const { createLogger } = require("./lib/log");
const { createMetrics, serveMetrics } = require("./lib/metrics");
const { createQueue } = require("./lib/queue");
const { connectRedis, withTimeout } = require("./lib/redis");

const config = loadConfig();
const log = createLogger(config.logLevel, { component: "api" });
const pool = createPool(config, log);
const redis = connectRedis(config, log, "api");
const queue = createQueue(redis, config);
const metrics = createMetrics({ queueDepth: queue.depth, queueName: config.queue.pending });
const maxBodyBytes = 1024 * 1024;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let draining = false;

class HttpError extends Error {
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}

function send(res, status, body, headers = {}) {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
}

function readJson(req) {
    return new Promise((resolve, reject) => {
        let size = 0;
        const chunks = [];
        req.on("data", (c) => {
            size += c.length;
            if (size > maxBodyBytes) reject(new HttpError(413, "request body too large"));
            else chunks.push(c);
        });
        req.on("end", () => {
            try {
                resolve(JSON.parse(Buffer.concat(chunks).toString("utf8") || "null"));
            } catch {
                reject(new HttpError(400, "body must be JSON"));
            }
        });
        req.on("error", reject);
    });
}

/** The client behind the ingress (first X-Forwarded-For hop), else the peer. */
const clientOf = (req) =>
    String(req.headers["x-forwarded-for"] || "")
        .split(",")[0]
        .trim() ||
    req.socket.remoteAddress ||
    "unknown";

/** Fixed one-minute windows per client in Redis, shared by every API pod. */
async function allowed(req) {
    const key = `${config.keyPrefix}ratelimit:${clientOf(req)}:${Math.floor(Date.now() / 60000)}`;
    const [[, count]] = await redis.multi().incr(key).expire(key, 60).exec();
    return count <= config.rateLimitPerMinute;
}

async function createTask(req, res) {
    if (!(await allowed(req))) throw new HttpError(429, `more than ${config.rateLimitPerMinute} requests a minute`);
    const body = await readJson(req);
    if (!body || typeof body.prompt !== "string" || body.prompt.trim() === "") throw new HttpError(400, '"prompt" must be a non-empty string');
    if (body.model !== undefined && (typeof body.model !== "string" || body.model === "")) throw new HttpError(400, '"model" must be a non-empty string');
    const id = randomUUID();
    const task = await tasks.create(pool, { id, model: body.model ?? config.llm.defaultModel, prompt: body.prompt });
    try {
        await queue.enqueue(id);
    } catch (e) {
        // Not queued means not accepted: no task row may wait forever for a worker.
        await tasks.remove(pool, id).catch(() => undefined);
        throw e;
    }
    send(res, 202, { id, status: task.status }, { location: `/v1/tasks/${id}` });
}

async function readTask(id, res) {
    const row = uuid.test(id) ? await tasks.get(pool, id) : undefined;
    if (!row) throw new HttpError(404, "no such task");
    send(res, 200, taskView(row));
}

async function readiness(res) {
    if (draining) return send(res, 503, { status: "draining" });
    const checks = await Promise.allSettled([withTimeout(pool.query("SELECT 1"), 2000, "postgres"), withTimeout(redis.ping(), 2000, "redis")]);
    const [database, cache] = checks.map((c) => (c.status === "fulfilled" ? "ok" : c.reason.message));
    send(res, database === "ok" && cache === "ok" ? 200 : 503, { status: database === "ok" && cache === "ok" ? "ready" : "not ready", database, cache });
}

/** The route template, so metrics labels stay few. */
function routeOf(method, path) {
    if (path === "/health" || path === "/ready") return path;
    if (path === "/v1/tasks") return "/v1/tasks";
    if (/^\/v1\/tasks\/[^/]+$/.test(path)) return "/v1/tasks/:id";
    return "unmatched";
}

let inFlight = 0;
const api = http.createServer(async (req, res) => {
    const path = (req.url || "/").split("?")[0];
    const route = routeOf(req.method, path);
    const probe = route === "/health" || route === "/ready";
    const timer = metrics.httpDuration.startTimer({ method: req.method, route });
    if (!probe) {
        inFlight += 1;
        metrics.httpInFlight.inc();
    }
    res.on("finish", () => {
        timer();
        metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
        if (!probe) {
            inFlight -= 1;
            metrics.httpInFlight.dec();
        }
    });
    try {
        if (!probe && inFlight > config.maxConcurrentAgents) throw new HttpError(503, "busy; retry shortly");
        if (route === "/health") return send(res, 200, { status: "ok" });
        if (route === "/ready") return await readiness(res);
        if (route === "/v1/tasks" && req.method === "POST") return await createTask(req, res);
        if (route === "/v1/tasks/:id" && req.method === "GET") return await readTask(path.slice("/v1/tasks/".length), res);
        if (route !== "unmatched") throw new HttpError(405, "method not allowed");
        throw new HttpError(404, "not found");
    } catch (e) {
        if (e instanceof HttpError) return send(res, e.status, { error: e.message }, e.status === 503 ? { "retry-after": "5" } : {});
        log.error("request failed", { route, error: e.message });
        send(res, 503, { error: "a backing service is unavailable" }, { "retry-after": "5" });
    }
});

api.listen(config.port, () => log.info("api listening", { port: api.address().port }));
const metricsServer = serveMetrics(metrics.registry, config.metricsPort, log);

// Kubernetes sends SIGTERM after the preStop sleep: stop being ready, let in-flight requests finish, exit.
process.on("SIGTERM", () => {
    draining = true;
    log.info("draining", { inFlight });
    api.close(async () => {
        metricsServer.close();
        metricsServer.closeAllConnections();
        redis.disconnect();
        await withTimeout(pool.end(), 2000, "closing postgres").catch(() => undefined);
        log.info("stopped");
        process.exit(0);
    });
    api.closeIdleConnections();
});
