import { spawn, type ChildProcess } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import Redis from "ioredis";
import { Client } from "pg";
import { repoRoot } from "../../tools/engine/harness";

/**
 * The real services the reference app's tests run against: the Postgres and Redis every project
 * machine runs (CI's too), a throw-away database and Redis key prefix per test file, the app's own
 * processes, and a fake LLM provider. A missing service fails the test with how to start it.
 */

export const appDir = path.join(repoRoot, "app");
export const postgresAdminUrl = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0";

const howToStart = {
    postgres: (url: string) =>
        `PostgreSQL is not reachable at ${url}. Start it (Debian/Ubuntu: sudo apt-get install postgresql && sudo service postgresql start; trust auth for local connections; or docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16) or point TEST_POSTGRES_URL at one (docs/app.md).`,
    redis: (url: string) =>
        `Redis is not reachable at ${url}. Start it (sudo apt-get install redis-server && sudo service redis-server start, or docker run -d -p 6379:6379 redis:7) or point TEST_REDIS_URL at one (docs/app.md).`,
};

/** A database of its own, created now and dropped by `drop()`. */
export async function scratchDatabase(adminUrl = postgresAdminUrl): Promise<{ name: string; url: string; drop(): Promise<void> }> {
    const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    try {
        await admin.connect();
    } catch (e) {
        throw new Error(`${howToStart.postgres(adminUrl)} (${(e as Error).message})`, { cause: e });
    }
    const name = `i13_test_${crypto.randomBytes(6).toString("hex")}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(postgresAdminUrl);
    url.pathname = `/${name}`;
    return {
        name,
        url: url.toString(),
        async drop() {
            const client = new Client({ connectionString: postgresAdminUrl });
            await client.connect();
            await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            await client.end();
        },
    };
}

/** A Redis connection and a key prefix of its own; `cleanup()` deletes every key under the prefix. */
export async function scratchRedis(url = redisUrl): Promise<{ redis: Redis; prefix: string; cleanup(): Promise<void> }> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000, retryStrategy: () => null });
    redis.on("error", () => undefined);
    try {
        await redis.connect();
        await redis.ping();
    } catch (e) {
        redis.disconnect();
        throw new Error(`${howToStart.redis(url)} (${(e as Error).message})`, { cause: e });
    }
    const prefix = `i13test:${crypto.randomBytes(6).toString("hex")}:`;
    return {
        redis,
        prefix,
        async cleanup() {
            const keys = await redis.keys(`${prefix}*`);
            if (keys.length) await redis.del(...keys);
            redis.disconnect();
        },
    };
}

/** The environment of the app's processes in these tests: its own database, key prefix and queue, free ports. */
export async function appEnvironment(databaseUrl: string, prefix: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
    return {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: prefix,
        TASK_QUEUE: `${prefix}tasks`,
        TASK_QUEUE_PROCESSING: `${prefix}tasks:processing`,
        PORT: String(await freePort()),
        METRICS_PORT: String(await freePort()),
        LOG_LEVEL: "warning",
        ...extra,
    };
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
        server.on("error", reject);
    });
}

export interface AppProcess {
    child: ChildProcess;
    output(): string;
    /** Resolves with the exit code (or signal) when the process ends. */
    exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>;
    stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>;
}

/** Starts `command` (e.g. ["node", "server.js"]) in app/ with exactly `env` (plus PATH), as a container would. */
export function startProcess(command: string[], env: Record<string, string>): AppProcess {
    const [program, ...args] = command;
    const child = spawn(program === "node" ? process.execPath : program, args, { cwd: appDir, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout?.on("data", (d) => (out += d));
    child.stderr?.on("data", (d) => (out += d));
    let signalledAt = Date.now();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>((resolve) =>
        child.on("exit", (code, signal) => resolve({ code, signal, afterMs: Date.now() - signalledAt })),
    );
    return {
        child,
        output: () => out,
        exited,
        stop(signal: NodeJS.Signals = "SIGTERM") {
            signalledAt = Date.now();
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
        },
    };
}

/** Runs a command to completion; resolves with its exit code and output. */
export function runToCompletion(command: string[], env: Record<string, string>, timeoutMs = 15000): Promise<{ code: number | null; output: string }> {
    const proc = startProcess(command, env);
    const timer = setTimeout(() => proc.child.kill("SIGKILL"), timeoutMs);
    return proc.exited.then(({ code }) => {
        clearTimeout(timer);
        return { code, output: proc.output() };
    });
}

export interface HttpAnswer {
    status: number;
    body: string;
    json(): any;
}

export function request(url: string, options: { method?: string; body?: unknown; timeoutMs?: number } = {}): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
        const data = options.body === undefined ? undefined : JSON.stringify(options.body);
        const req = http.request(url, { method: options.method ?? "GET", headers: data ? { "content-type": "application/json" } : {}, timeout: options.timeoutMs ?? 5000 }, (res) => {
            let body = "";
            res.on("data", (c) => (body += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body, json: () => JSON.parse(body) }));
        });
        req.on("timeout", () => req.destroy(new Error(`${url} timed out`)));
        req.on("error", reject);
        if (data) req.write(data);
        req.end();
    });
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10000, everyMs = 50): Promise<T> {
    const until = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < until) {
        try {
            const value = await check();
            if (value !== undefined) return value;
        } catch (e) {
            last = e;
        }
        await new Promise((r) => setTimeout(r, everyMs));
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}

/** The value of one sample of a Prometheus text exposition, or undefined when absent. */
export function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
    for (const line of exposition.split("\n")) {
        if (line.startsWith("#") || !line.startsWith(name)) continue;
        const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
        if (!match || match[1] !== name) continue;
        const found = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
        if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
    }
    return undefined;
}

/**
 * A stand-in for an OpenAI-compatible provider: answers `POST /chat/completions` with a fixed reply and
 * token usage, or holds the request until `release()` when `hold` is on (a slow model, for SIGTERM tests).
 */
export async function fakeProvider(): Promise<{
    url: string;
    calls: { model: string; prompt: string; authorization?: string }[];
    hold: boolean;
    release(): void;
    close(): Promise<void>;
}> {
    const held: (() => void)[] = [];
    const state = {
        calls: [] as { model: string; prompt: string; authorization?: string }[],
        hold: false,
        release: () => held.splice(0).forEach((f) => f()),
        url: "",
        close: (): Promise<void> => Promise.resolve(),
    };
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
            const parsed = JSON.parse(body || "{}");
            state.calls.push({ model: parsed.model, prompt: parsed.messages?.[0]?.content, authorization: req.headers.authorization });
            const reply = () =>
                res
                    .writeHead(200, { "content-type": "application/json" })
                    .end(JSON.stringify({ choices: [{ message: { role: "assistant", content: `echo: ${parsed.messages?.[0]?.content}` } }], usage: { prompt_tokens: 12, completion_tokens: 34 } }));
            if (state.hold) held.push(reply);
            else reply();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    state.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v1`;
    state.close = () =>
        new Promise<void>((resolve) => {
            state.release();
            server.closeAllConnections();
            server.close(() => resolve());
        });
    return state;
}

/** A private directory standing in for a pod's own /tmp (an emptyDir). */
export function podTmp(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "i13-pod-tmp-"));
}
