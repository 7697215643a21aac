import * as fs from "fs";
import * as path from "path";
import { Client } from "pg";
import type Redis from "ioredis";
import { appEnvironment, eventually, fakeProvider, freePort, podTmp, request, runToCompletion, sample, scratchDatabase, scratchRedis, startProcess, type AppProcess } from "./services";

/**
 * The reference service (app/) against the real Postgres and Redis, with a fake LLM provider: the
 * migration, a task's way from the API through the queue and the worker into Postgres, the metrics
 * the dashboards and alerts read, and a worker stopped mid-task.
 */

let database: Awaited<ReturnType<typeof scratchDatabase>>;
let cache: Awaited<ReturnType<typeof scratchRedis>>;
let provider: Awaited<ReturnType<typeof fakeProvider>>;
let env: Record<string, string>;
let redis: Redis;
/** The worker's metrics port: a pod of its own would have 9090 to itself; here it shares the host with the API. */
let workerMetricsPort: string;
const started: AppProcess[] = [];

function start(command: string[], extra: Record<string, string> = {}): AppProcess {
    const proc = startProcess(command, { ...env, ...extra });
    started.push(proc);
    return proc;
}

async function query(sql: string, params: unknown[] = []): Promise<any[]> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
        return (await client.query(sql, params)).rows;
    } finally {
        await client.end();
    }
}

const api = (p: string) => `http://127.0.0.1:${env.PORT}${p}`;
const metricsOf = async (port: string) => (await request(`http://127.0.0.1:${port}/metrics`)).body;

beforeAll(async () => {
    database = await scratchDatabase();
    cache = await scratchRedis();
    redis = cache.redis;
    provider = await fakeProvider();
    env = await appEnvironment(database.url, cache.prefix, {
        LLM_BASE_URL: provider.url,
        OPENAI_API_KEY: "test-key",
        DEFAULT_MODEL: "gpt-4o",
        RESPONSE_TIMEOUT_SECONDS: "5",
        LLM_RETRIES: "1",
        WORKER_HEARTBEAT_FILE: path.join(podTmp(), "worker-heartbeat"),
        WORKER_DRAIN_SECONDS: "0",
    });
    workerMetricsPort = String(await freePort());
});

afterAll(async () => {
    await Promise.all(started.map((p) => p.stop("SIGKILL")));
    await provider?.close();
    await cache?.cleanup();
    await database?.drop();
});

test("the migration creates the schema, and running it again is harmless", async () => {
    const first = await runToCompletion(["node", "migrate.js"], { ...env, LOG_LEVEL: "info" });
    expect({ code: first.code, output: first.output }).toEqual({ code: 0, output: expect.stringContaining("migrations applied") });
    const second = await runToCompletion(["node", "migrate.js"], { ...env, LOG_LEVEL: "info" });
    expect({ code: second.code, output: second.output }).toEqual({ code: 0, output: expect.stringContaining("schema up to date") });
    expect(await query("SELECT version FROM schema_migrations")).toEqual([{ version: 1 }]);
    const columns = (await query("SELECT column_name FROM information_schema.columns WHERE table_name = 'tasks'")).map((r) => r.column_name);
    expect(columns).toEqual(expect.arrayContaining(["id", "status", "model", "prompt", "result", "error", "attempts", "input_tokens", "output_tokens"]));
});

describe("a task's way through the service", () => {
    let apiProcess: AppProcess;
    let worker: AppProcess;
    const ids: string[] = [];

    beforeAll(async () => {
        apiProcess = start(["node", "server.js"]);
        await eventually("the API to be ready", async () => ((await request(api("/ready"))).status === 200 ? true : undefined));
    });

    test("the API stores and queues tasks, and the queue KEDA reads holds exactly what it enqueued", async () => {
        for (const prompt of ["first", "second", "third"]) {
            const answer = await request(api("/v1/tasks"), { method: "POST", body: { prompt } });
            expect(answer.status).toBe(202);
            ids.push(answer.json().id);
        }
        // No worker runs yet: the list the worker's ScaledObject watches is the list the API pushed to.
        expect(await redis.llen(env.TASK_QUEUE)).toBe(3);
        expect(await redis.lrange(env.TASK_QUEUE, 0, -1)).toEqual([...ids].reverse());
        expect((await request(api(`/v1/tasks/${ids[0]}`))).json()).toEqual(expect.objectContaining({ id: ids[0], status: "queued", model: "gpt-4o", result: null }));
        expect(sample(await metricsOf(env.METRICS_PORT), "agent_queue_depth", { queue: env.TASK_QUEUE })).toBe(3);
    });

    test("bad requests are refused without reaching the queue", async () => {
        expect((await request(api("/v1/tasks"), { method: "POST", body: { prompt: "" } })).status).toBe(400);
        expect((await request(api("/v1/tasks"), { method: "POST", body: { model: 42, prompt: "x" } })).status).toBe(400);
        expect((await request(api("/v1/tasks/not-a-uuid"))).status).toBe(404);
        expect((await request(api("/v1/tasks/00000000-0000-4000-8000-000000000000"))).status).toBe(404);
        expect(await redis.llen(env.TASK_QUEUE)).toBe(3);
    });

    test("the worker answers each task through the provider, stores the result in Postgres and empties both lists", async () => {
        worker = start(["node", "worker.js"], { METRICS_PORT: workerMetricsPort });
        const rows = await eventually(
            "the three tasks to succeed",
            async () => {
                const r = await query("SELECT id, status, result, input_tokens, output_tokens, attempts FROM tasks WHERE id = ANY($1) ORDER BY created_at", [ids]);
                return r.every((row) => row.status === "succeeded") && r.length === 3 ? r : undefined;
            },
            15000,
        );
        expect(rows.map((r) => r.result)).toEqual(["echo: first", "echo: second", "echo: third"]);
        expect(rows.every((r) => r.input_tokens === 12 && r.output_tokens === 34 && r.attempts === 1)).toBe(true);
        expect(provider.calls.map((c) => [c.model, c.prompt, c.authorization])).toEqual([
            ["gpt-4o", "first", "Bearer test-key"],
            ["gpt-4o", "second", "Bearer test-key"],
            ["gpt-4o", "third", "Bearer test-key"],
        ]);
        expect(await redis.llen(env.TASK_QUEUE)).toBe(0);
        expect(await redis.llen(env.TASK_QUEUE_PROCESSING)).toBe(0);
        expect((await request(api(`/v1/tasks/${ids[1]}`))).json()).toEqual(expect.objectContaining({ status: "succeeded", result: "echo: second", usage: { inputTokens: 12, outputTokens: 34 } }));
        // The probes' heartbeat: touched within the last seconds.
        expect(Date.now() - fs.statSync(env.WORKER_HEARTBEAT_FILE).mtimeMs).toBeLessThan(10000);
    });

    test("the metrics the dashboards and alerts read move, with the documented labels", async () => {
        const apiMetrics = await metricsOf(env.METRICS_PORT);
        expect(sample(apiMetrics, "http_requests_total", { method: "POST", route: "/v1/tasks", status: "202" })).toBe(3);
        expect(sample(apiMetrics, "http_requests_total", { method: "POST", route: "/v1/tasks", status: "400" })).toBe(2);
        expect(sample(apiMetrics, "http_request_duration_seconds_count", { method: "POST", route: "/v1/tasks" })).toBe(5);
        expect(apiMetrics).not.toMatch(/http_requests_total\{[^}]*code=/);
        expect(sample(apiMetrics, "http_requests_in_flight")).toBe(0);

        const workerMetrics = await metricsOf(workerMetricsPort);
        expect(sample(workerMetrics, "llm_tokens_total", { model: "gpt-4o", type: "input" })).toBe(36);
        expect(sample(workerMetrics, "llm_tokens_total", { model: "gpt-4o", type: "output" })).toBe(102);
        // gpt-4o at $2.50 / $10 per million tokens.
        expect(sample(workerMetrics, "llm_cost_usd_total", { model: "gpt-4o" })).toBeCloseTo((3 * (12 * 2.5 + 34 * 10)) / 1e6, 9);
        expect(sample(workerMetrics, "cache_misses_total")).toBe(3);
        expect(sample(workerMetrics, "cache_hits_total")).toBe(0);
        expect(sample(workerMetrics, "agent_queue_depth", { queue: env.TASK_QUEUE })).toBe(0);

        // The same question again is answered from the response cache, without the provider.
        const again = (await request(api("/v1/tasks"), { method: "POST", body: { prompt: "first" } })).json().id;
        await eventually("the cached answer", async () => ((await request(api(`/v1/tasks/${again}`))).json().status === "succeeded" ? true : undefined));
        expect(provider.calls).toHaveLength(3);
        expect(sample(await metricsOf(workerMetricsPort), "cache_hits_total")).toBe(1);
        expect((await request(api(`/v1/tasks/${again}`))).json().result).toBe("echo: first");
    });

    test("a worker stopped mid-task hands the task back to the front of the queue and exits cleanly", async () => {
        provider.hold = true;
        const id = (await request(api("/v1/tasks"), { method: "POST", body: { prompt: "slow" } })).json().id;
        await eventually("the worker to be inside the provider call", async () => (provider.calls.some((c) => c.prompt === "slow") ? true : undefined));
        expect(await redis.lrange(env.TASK_QUEUE_PROCESSING, 0, -1)).toEqual([id]);
        expect(sample(await metricsOf(workerMetricsPort), "agent_task_running_seconds", { task_id: id })).toBeGreaterThanOrEqual(0);

        const exit = await worker.stop("SIGTERM");
        expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
        expect(exit.afterMs).toBeLessThan(5000);
        expect(await redis.llen(env.TASK_QUEUE_PROCESSING)).toBe(0);
        expect(await redis.lrange(env.TASK_QUEUE, -1, -1)).toEqual([id]);
        expect((await query("SELECT status FROM tasks WHERE id = $1", [id]))[0].status).toBe("queued");

        // The next worker takes it up and finishes it.
        provider.hold = false;
        provider.release();
        start(["node", "worker.js"], { METRICS_PORT: "0" });
        await eventually("the handed-back task to succeed", async () => ((await query("SELECT status FROM tasks WHERE id = $1", [id]))[0].status === "succeeded" ? true : undefined), 15000);
        expect((await query("SELECT attempts FROM tasks WHERE id = $1", [id]))[0].attempts).toBe(2);
    });

    test("the API drains on SIGTERM: not ready, then a clean exit", async () => {
        const exit = await apiProcess.stop("SIGTERM");
        expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
        expect(exit.afterMs).toBeLessThan(5000);
    });
});

describe("the orphan sweep", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createQueue } = require("../../app/lib/queue");

    test("hands back a task found without a lease on two sweeps in a row, and leaves leased ones alone", async () => {
        const config = { queue: { pending: `${cache.prefix}sweep:tasks`, processing: `${cache.prefix}sweep:tasks:processing` }, keyPrefix: `${cache.prefix}sweep:` };
        const queue = createQueue(redis, config);
        await redis.lpush(config.queue.processing, "orphan", "busy");
        await queue.renew("busy");
        const suspects = await queue.recoverOrphans(new Set());
        // Seen once without a lease: only suspected (its worker may be about to write the lease).
        expect([...suspects]).toEqual(["orphan"]);
        expect(await redis.lrange(config.queue.pending, 0, -1)).toEqual([]);
        expect(await queue.recoverOrphans(suspects)).toEqual(new Set());
        expect(await redis.lrange(config.queue.pending, 0, -1)).toEqual(["orphan"]);
        expect(await redis.lrange(config.queue.processing, 0, -1)).toEqual(["busy"]);
    });
});

test("a test whose Postgres or Redis is missing fails and says how to start it", async () => {
    await expect(scratchDatabase("postgresql://postgres@127.0.0.1:1/postgres")).rejects.toThrow(/PostgreSQL is not reachable at .*Start it/);
    await expect(scratchRedis("redis://127.0.0.1:1/0")).rejects.toThrow(/Redis is not reachable at .*Start it/);
});
