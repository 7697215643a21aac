import { spawn } from "child_process";
import * as http from "http";
import * as path from "path";
import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import { byName, combinations, runWorkloads } from "../workloads/run";
import { freePort, podTmp, startProcess, type AppProcess } from "./services";

/**
 * The default image's containers run exactly as the plan declares them: command and args, environment
 * from the ConfigMap and Secret they reference, probed as the kubelet probes them. Nothing the
 * foundation declares is reachable here (the database and cache hosts are the plan's), which is the
 * point: startup and liveness must pass without them, and SIGTERM must end each container cleanly
 * within its grace period.
 *
 * Two things of a pod are emulated, because the test host is shared: the container's own /tmp (an
 * emptyDir) is a private directory, and its ports, which a pod has to itself, are mapped to free ones.
 */

type Container = {
    name: string;
    command: string[];
    args?: string[];
    envFrom?: any[];
    env?: { name: string; value: string }[];
    ports?: { name: string; containerPort: number }[];
    [probe: string]: any;
};

interface Pod {
    container: Container;
    env: Record<string, string>;
    /** Declared container port → the port it listens on here. */
    ports: Map<number, number>;
    graceSeconds: number;
}

/** The container's environment as the kubelet builds it: envFrom in order, then env. */
function environmentOf(run: ProgramRun, container: Container): Record<string, string> {
    const env: Record<string, string> = {};
    for (const source of container.envFrom ?? []) {
        if (source.configMapRef) Object.assign(env, byName(run, "kubernetes:core/v1:ConfigMap", source.configMapRef.name).inputs.data);
        if (source.secretRef) {
            const secret = byName(run, "kubernetes:core/v1:Secret", source.secretRef.name).inputs;
            Object.assign(env, secret.stringData ?? {}, Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), "base64").toString()])));
        }
    }
    for (const { name, value } of container.env ?? []) env[name] = value;
    return env;
}

async function podOf(run: ProgramRun, workload: RecordedResource): Promise<Pod> {
    const spec = workload.inputs.spec.template.spec;
    const container: Container = spec.containers[0];
    const declared = environmentOf(run, container);
    // The pod's /tmp is its own emptyDir; its ports are its own.
    const tmp = podTmp();
    const ports = new Map<number, number>();
    for (const p of container.ports ?? []) ports.set(p.containerPort, await freePort());
    const env = Object.fromEntries(
        Object.entries(declared).map(([k, v]) => {
            if (v.startsWith("/tmp/")) return [k, path.join(tmp, v.slice("/tmp/".length))];
            const port = ports.get(Number(v));
            return [k, port !== undefined && /PORT$/.test(k) ? String(port) : v];
        }),
    );
    return { container, env, ports, graceSeconds: spec.terminationGracePeriodSeconds };
}

/** One probe, as the kubelet runs it: HTTP GET on the declared port (by name or number) and path, or the exec command in the container's environment. */
function probe(pod: Pod, spec: any): Promise<boolean> {
    const timeoutMs = (spec.timeoutSeconds ?? 1) * 1000;
    if (spec.httpGet) {
        const declared = typeof spec.httpGet.port === "number" ? spec.httpGet.port : pod.container.ports!.find((p) => p.name === spec.httpGet.port)!.containerPort;
        const port = pod.ports.get(declared);
        return new Promise((resolve) => {
            const req = http.get({ host: "127.0.0.1", port, path: spec.httpGet.path, timeout: timeoutMs }, (res) => {
                res.resume();
                resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400);
            });
            req.on("timeout", () => req.destroy());
            req.on("error", () => resolve(false));
        });
    }
    const [program, ...args] = spec.exec.command as string[];
    return new Promise((resolve) => {
        const child = spawn(program === "node" ? process.execPath : program, args, { env: { PATH: process.env.PATH ?? "", ...pod.env }, stdio: "ignore", timeout: timeoutMs });
        child.on("exit", (code) => resolve(code === 0));
        child.on("error", () => resolve(false));
    });
}

/** The startup probe until it succeeds (the kubelet's failureThreshold × period, capped for the test). */
async function startupPasses(pod: Pod): Promise<boolean> {
    const startup = pod.container.startupProbe;
    const until = Date.now() + Math.min(startup.failureThreshold * startup.periodSeconds * 1000, 15000);
    while (Date.now() < until) {
        if (await probe(pod, startup)) return true;
        await new Promise((r) => setTimeout(r, 100));
    }
    return false;
}

describe.each(combinations)("the default image's containers as %s / %s declares them", (stack, cloud) => {
    let run: ProgramRun;
    const running: AppProcess[] = [];
    beforeAll(async () => {
        run = await runWorkloads(stack, cloud);
    });
    afterAll(async () => {
        await Promise.all(running.map((p) => p.stop("SIGKILL")));
    });

    test.each([["agent-api"], ["agent-worker"]])("%s starts, passes startup and liveness without database or cache, and stops cleanly on SIGTERM", async (name) => {
        const pod = await podOf(run, byName(run, "kubernetes:apps/v1:Deployment", name));
        const proc = startProcess([...pod.container.command, ...(pod.container.args ?? [])], pod.env);
        running.push(proc);
        expect({ startup: await startupPasses(pod), output: proc.output() }).toEqual({ startup: true, output: expect.any(String) });
        expect(await probe(pod, pod.container.livenessProbe)).toBe(true);
        // The API is not ready without its database and cache; the worker's readiness is its heartbeat.
        expect(await probe(pod, pod.container.readinessProbe)).toBe(name === "agent-worker");
        const exit = await proc.stop("SIGTERM");
        expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
        expect(exit.afterMs).toBeLessThan(Math.min(pod.graceSeconds * 1000, 10000));
    });

    test("the migration Job's container fails, quickly and saying why, when the database is unreachable", async () => {
        const job = run.ofType("kubernetes:batch/v1:Job").find((j) => j.inputs.metadata.labels["app.kubernetes.io/component"] === "migrate")!;
        const container: Container = job.inputs.spec.template.spec.containers[0];
        const proc = startProcess([...container.command, ...(container.args ?? [])], environmentOf(run, container));
        running.push(proc);
        const exit = await proc.exited;
        expect(exit.code).toBe(1);
        expect(proc.output()).toContain("migration failed");
    });
});
