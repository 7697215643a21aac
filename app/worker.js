"use strict";
/**
 * The queue consumer of the reference AI-agent service. It takes one task at a time from the Redis
 * task queue (the lists KEDA scales the workers on), answers it from the response cache or the
 * configured LLM provider, stores the result in Postgres and touches $WORKER_HEARTBEAT_FILE, which its
 * probes check. On SIGTERM it finishes the task in hand if it can within WORKER_DRAIN_SECONDS, else it
 * gives the task back to the front of the queue; then it exits.
 */
const { createHash } = require("node:crypto");
const fs = require("fs");
const { loadConfig } = require("./lib/config");
const { createPool, tasks } = require("./lib/db");
const { chatCompletion, ProviderError, sleep } = require("./lib/llm");
const { createLogger } = require("./lib/log");
const { createMetrics, serveMetrics } = require("./lib/metrics");
const { costUsd } = require("./lib/pricing");
const { createQueue } = require("./lib/queue");
const { connectRedis, withTimeout } = require("./lib/redis");

const config = loadConfig();
const log = createLogger(config.logLevel, { component: "worker" });
const pool = createPool(config, log);
const redis = connectRedis(config, log, "worker");
// BLMOVE blocks its connection, so the worker's other commands go over a second one.
const blocking = connectRedis(config, log, "worker-blocking");
const queue = createQueue(redis, config, blocking);
const running = new Map();
const metrics = createMetrics({ queueDepth: queue.depth, queueName: config.queue.pending, runningTasks: () => running });

/** Seconds one BLMOVE waits, which is also how soon the loop notices SIGTERM. */
const claimTimeoutSeconds = 1;
/** The probe fails after 60 s without a touch; the loop touches on every pass, at least every few seconds. */
const heartbeatEveryMs = 5000;
const orphanSweepEveryMs = 30000;

const shutdown = new AbortController();
let current; // { id, abort: AbortController, deadline }
let lastPass = 0;

function touchHeartbeat() {
    try {
        fs.writeFileSync(config.heartbeatFile, String(Date.now()));
    } catch (e) {
        log.error("cannot write the heartbeat file", { file: config.heartbeatFile, error: e.message });
    }
}

/**
 * The loop is alive when it has passed recently, or while it waits for a task that is still within
 * its time budget (timeout per attempt × attempts, plus back-off); a loop stuck past that stops
 * touching the file, and the liveness probe restarts the pod.
 */
function heartbeat() {
    const now = Date.now();
    if (now - lastPass < 30000 || (current && now < current.deadline)) touchHeartbeat();
    if (current) queue.renew(current.id).catch(() => undefined);
}

const cacheKey = (model, prompt) => `${config.keyPrefix}response:${createHash("sha256").update(`${model}\n${prompt}`).digest("hex")}`;

async function answer(task, signal) {
    const key = cacheKey(task.model, task.prompt);
    const cached = await redis.get(key).catch(() => null);
    if (cached !== null) {
        metrics.cacheHits.inc();
        return { content: cached, usage: undefined };
    }
    metrics.cacheMisses.inc();
    const reply = await chatCompletion(config.llm, { model: task.model, prompt: task.prompt, signal });
    metrics.llmTokens.inc({ model: task.model, type: "input" }, reply.usage.input);
    metrics.llmTokens.inc({ model: task.model, type: "output" }, reply.usage.output);
    const cost = costUsd(task.model, reply.usage.input, reply.usage.output);
    if (cost === undefined) log.warning("no list price for the model; its cost is counted as 0", { model: task.model });
    metrics.llmCost.inc({ model: task.model }, cost ?? 0);
    await redis.set(key, reply.content, "EX", config.cacheTtlSeconds).catch(() => undefined);
    return reply;
}

async function run(id) {
    const abort = new AbortController();
    const attempts = config.llm.retries + 1;
    current = { id, abort, deadline: Date.now() + attempts * config.llm.timeoutMs + attempts * 10000 };
    running.set(id, Date.now());
    try {
        const task = await tasks.start(pool, id);
        if (!task) {
            log.warning("dropping a task that is unknown or already finished", { id });
            await queue.complete(id);
            return;
        }
        log.info("task started", { id, model: task.model, attempt: task.attempts });
        const reply = await answer(task, abort.signal);
        await tasks.succeed(pool, id, reply.content, reply.usage);
        await queue.complete(id);
        log.info("task succeeded", { id });
    } catch (e) {
        if (e instanceof ProviderError) {
            log.warning("task failed", { id, error: e.message });
            await tasks.fail(pool, id, e.message);
            await queue.complete(id);
            return;
        }
        // Shutting down, or the database or cache went away mid-task: the task is not this worker's
        // to finish; it goes back to the front of the queue.
        log.info(abort.signal.aborted ? "task handed back on shutdown" : "task handed back after an error", { id, error: e.message });
        await queue.giveBack(id).catch((err) => log.error("could not hand the task back; the orphan sweep will", { id, error: err.message }));
        await tasks.requeue(pool, id).catch(() => undefined);
        if (!abort.signal.aborted) await sleep(1000, shutdown.signal).catch(() => undefined);
    } finally {
        running.delete(id);
        current = undefined;
    }
}

async function consume() {
    while (!shutdown.signal.aborted) {
        lastPass = Date.now();
        touchHeartbeat();
        let id;
        try {
            id = await queue.claim(claimTimeoutSeconds);
        } catch (e) {
            log.debug("cannot take a task", { error: e.message });
            await sleep(1000, shutdown.signal).catch(() => undefined);
            continue;
        }
        if (id && shutdown.signal.aborted) {
            // Claimed as SIGTERM arrived: not this worker's to start any more.
            await queue.giveBack(id).catch(() => undefined);
            break;
        }
        if (id) await run(id);
    }
}

async function sweepOrphans(suspects) {
    try {
        return await queue.recoverOrphans(suspects);
    } catch {
        return suspects;
    }
}

const metricsServer = serveMetrics(metrics.registry, config.metricsPort, log);
const heartbeatTimer = setInterval(heartbeat, heartbeatEveryMs);
let suspects = new Set();
const sweepTimer = setInterval(async () => (suspects = await sweepOrphans(suspects)), orphanSweepEveryMs);
const loop = consume();
log.info("worker started", { queue: config.queue.pending, drainSeconds: config.drainSeconds });

process.on("SIGTERM", async () => {
    if (shutdown.signal.aborted) return;
    log.info("stopping", { task: current?.id });
    shutdown.abort();
    const inHand = current;
    const drain = inHand ? setTimeout(() => inHand.abort.abort(new Error("shutting down")), config.drainSeconds * 1000) : undefined;
    await loop;
    clearTimeout(drain);
    clearInterval(heartbeatTimer);
    clearInterval(sweepTimer);
    metricsServer.close();
    metricsServer.closeAllConnections();
    redis.disconnect();
    blocking.disconnect();
    await withTimeout(pool.end(), 2000, "closing postgres").catch(() => undefined);
    log.info("stopped");
    process.exit(0);
});
