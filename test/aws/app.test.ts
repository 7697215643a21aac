import { spawn, type ChildProcessWithoutNullStreams } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { repoRoot } from "../../tools/engine/harness";

/** The default build context `app/`: a placeholder of the service, run here on loopback ports. */
const appDir = path.join(repoRoot, "app");

function start(script: string): { child: ChildProcessWithoutNullStreams; ports: Promise<Record<string, number>>; exit: Promise<number | null> } {
    const child = spawn(process.execPath, [script], { cwd: appDir, env: { ...process.env, PORT: "0", METRICS_PORT: "0", POLL_INTERVAL_MS: "50" } });
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const ports = new Promise<Record<string, number>>((resolve, reject) => {
        const found: Record<string, number> = {};
        let buffer = "";
        const timer = setTimeout(() => reject(new Error(`${script} did not start: ${buffer}`)), 5000);
        child.on("exit", () => clearTimeout(timer));
        child.stdout.on("data", (chunk) => {
            buffer += chunk;
            for (const line of buffer.split("\n").filter(Boolean)) {
                try {
                    const entry = JSON.parse(line);
                    if (entry.port !== undefined) found[entry.msg] = entry.port;
                } catch {
                    // partial line
                }
            }
            const wanted = script === "server.js" ? ["api listening", "metrics listening"] : ["worker metrics listening"];
            if (wanted.every((w) => w in found)) {
                clearTimeout(timer);
                resolve(found);
            }
        });
    });
    return { child, ports, exit };
}

function get(port: number, urlPath: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const req = http.get({ host: "127.0.0.1", port, path: urlPath, timeout: 2000 }, (res) => {
            let body = "";
            res.on("data", (c) => (body += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.on("timeout", () => req.destroy(new Error("timeout")));
    });
}

/** Bounded wait: a process that does not stop fails the test instead of hanging it. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), ms);
    });
    return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

describe("app/ placeholder image", () => {
    test("the Dockerfile: Node 20 alpine, fixed non-root UID 10001, HEALTHCHECK on /health, server.js by default", () => {
        const dockerfile = fs.readFileSync(path.join(appDir, "Dockerfile"), "utf8");
        expect(dockerfile).toMatch(/^FROM node:20[\w.-]*-alpine[\w.]*$/m);
        expect(dockerfile).toMatch(/adduser .*-u 10001/);
        expect(dockerfile).toMatch(/^USER 10001(:10001)?$/m);
        expect(dockerfile).toMatch(/^HEALTHCHECK .*[\s\S]*\/health/m);
        expect(dockerfile).toMatch(/^CMD \["node", "server\.js"\]$/m);
        expect(fs.existsSync(path.join(appDir, "package.json")) ? JSON.parse(fs.readFileSync(path.join(appDir, "package.json"), "utf8")).dependencies ?? {} : {}).toEqual({});
    });

    test("server.js answers /health and /ready, serves /metrics on its own port, and drains on SIGTERM", async () => {
        const server = start("server.js");
        try {
            const ports = await server.ports;
            const api = ports["api listening"];
            const metricsPort = ports["metrics listening"];
            expect(api).not.toBe(metricsPort);
            expect(await get(api, "/health")).toEqual({ status: 200, body: expect.stringContaining("ok") });
            expect((await get(api, "/ready")).status).toBe(200);
            expect((await get(api, "/nope")).status).toBe(404);
            expect((await get(api, "/metrics")).status).toBe(404);
            const metrics = await get(metricsPort, "/metrics");
            expect(metrics.status).toBe(200);
            expect(metrics.body).toMatch(/^http_requests_total\{method="GET",code="200"\} 2$/m);
            server.child.kill("SIGTERM");
            expect(await withTimeout(server.exit, 5000)).toBe(0);
        } finally {
            server.child.kill("SIGKILL");
        }
    });

    test("worker.js polls until SIGTERM, then exits cleanly", async () => {
        const worker = start("worker.js");
        try {
            const ports = await worker.ports;
            await new Promise((r) => setTimeout(r, 200));
            const metrics = await get(ports["worker metrics listening"], "/metrics");
            expect(Number(/worker_polls_total (\d+)/.exec(metrics.body)![1])).toBeGreaterThan(0);
            worker.child.kill("SIGTERM");
            expect(await withTimeout(worker.exit, 5000)).toBe(0);
        } finally {
            worker.child.kill("SIGKILL");
        }
    });

    test("migrate.js exits 0", async () => {
        const migrate = spawn(process.execPath, ["migrate.js"], { cwd: appDir });
        expect(await withTimeout(new Promise((resolve) => migrate.on("exit", resolve)), 5000)).toBe(0);
    });
});
