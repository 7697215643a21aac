/**
 * `npm run bench [-- --runs N] [--npm] [--no-warmup]`
 *
 * Times the offline plan as users run it, a whole process each time (Node start-up, loading, the
 * program under mocks, policies, rendering), for both stacks on both clouds, next to the SDK-load
 * floor of the same stack measured in the same run (`tools/sdkFloor.js`: a process that only loads the
 * `node_modules` files the plan loads), and prints the medians and their ratio. Runs are sequential so
 * they do not compete for the cores they measure; plan and floor runs alternate, so both see the same
 * machine.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import Table from "cli-table3";
import { Command, InvalidArgumentError } from "commander";

const repoRoot = path.resolve(__dirname, "..");

export interface BenchTarget {
    stack: string;
    cloud: "aws" | "gcp";
    /** `-c` overrides that put the stack on this cloud. */
    config: string[];
}

const gcpConfig = ["ai-platform:cloud=gcp", "gcp:project=acme-agents", "gcp:region=us-central1"];

export const benchTargets: BenchTarget[] = [
    { stack: "staging", cloud: "aws", config: [] },
    { stack: "prod", cloud: "aws", config: [] },
    { stack: "staging", cloud: "gcp", config: gcpConfig },
    { stack: "prod", cloud: "gcp", config: gcpConfig },
];

export interface BenchResult {
    target: BenchTarget;
    seconds: number[];
    /** The SDK-load floor's runs, alternating with the plan's. */
    floorSeconds: number[];
    /** CPU seconds (user + system, all Node processes of the run) of the same runs. */
    cpuSeconds: number[];
    floorCpuSeconds: number[];
    /** Exit statuses seen; 0 and 1 are plans, 2 and 3 are failures. */
    statuses: number[];
    /** Standard error of the first failed run. */
    failure?: string;
}

export function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** How `npm run plan` runs the plan (see package.json). */
export const planEntry = ["tools/typescriptLoader.js", "tools/plan.ts"];

function planCommand(target: BenchTarget, viaNpm: boolean, preload: string[] = []): [string, string[]] {
    const args = ["--stack", target.stack, ...target.config.flatMap((c) => ["-c", c]), "--no-color"];
    if (viaNpm) return [process.platform === "win32" ? "npm.cmd" : "npm", ["run", "--silent", "plan", "--", ...args]];
    return [process.execPath, [...preload, ...planEntry, ...args]];
}

const cpuHook = path.join(repoRoot, "tools", "cpuTime.js");

/** One process run, its wall time, and the CPU time every Node process in it reported (see tools/cpuTime.js). */
function timed(file: string, args: string[], env: NodeJS.ProcessEnv = {}): { seconds: number; cpuSeconds: number; status: number; stderr: string } {
    const cpuFile = path.join(os.tmpdir(), `ai-platform-bench-cpu-${process.pid}`);
    fs.rmSync(cpuFile, { force: true });
    const nodeOptions = [process.env.NODE_OPTIONS, `--require=${cpuHook}`].filter(Boolean).join(" ");
    const started = performance.now();
    const child = spawnSync(file, args, {
        cwd: repoRoot,
        stdio: ["ignore", "ignore", "pipe"],
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", NODE_OPTIONS: nodeOptions, AI_PLATFORM_CPU_FILE: cpuFile, ...env },
    });
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = fs.existsSync(cpuFile)
        ? fs
              .readFileSync(cpuFile, "utf8")
              .split("\n")
              .filter(Boolean)
              .reduce((sum, line) => sum + Number(line), 0)
        : Number.NaN;
    fs.rmSync(cpuFile, { force: true });
    return { seconds, cpuSeconds, status: child.status ?? 3, stderr: child.stderr ?? String(child.error ?? "") };
}

/** Runs one plan of the target that records the `node_modules` files it loads; returns the list's file. */
function recordModules(target: BenchTarget, directory: string): string {
    const file = path.join(directory, `${target.stack}-${target.cloud}.modules`);
    const [command, args] = planCommand(target, false, ["-r", "./tools/sdkFloor.js"]);
    timed(command, args, { AI_PLATFORM_RECORD_MODULES: file });
    return file;
}

export function bench(runs: number, options: { viaNpm: boolean; warmup: boolean; onRun?: (target: BenchTarget, run: number) => void }): BenchResult[] {
    // One untimed run fills the transpile and compile caches, as on any machine after the first plan.
    if (options.warmup) timed(...planCommand(benchTargets[0], options.viaNpm));
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-bench-"));
    try {
        return benchTargets.map((target) => {
            const result: BenchResult = { target, seconds: [], floorSeconds: [], cpuSeconds: [], floorCpuSeconds: [], statuses: [] };
            const modules = recordModules(target, directory);
            for (let i = 0; i < runs; i++) {
                options.onRun?.(target, i + 1);
                const run = timed(...planCommand(target, options.viaNpm));
                result.seconds.push(run.seconds);
                result.cpuSeconds.push(run.cpuSeconds);
                result.statuses.push(run.status);
                if (run.status > 1 && result.failure === undefined) result.failure = run.stderr.trim();
                const floor = timed(process.execPath, ["tools/sdkFloor.js", modules]);
                result.floorSeconds.push(floor.seconds);
                result.floorCpuSeconds.push(floor.cpuSeconds);
            }
            return result;
        });
    } finally {
        fs.rmSync(directory, { recursive: true, force: true });
    }
}

function positiveInteger(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number ≥ 1");
    return n;
}

function main(argv: readonly string[]): number {
    const options = new Command("bench")
        .description("Time `npm run plan` for both stacks on both clouds, as whole processes, and print the medians")
        .option("-r, --runs <n>", "timed runs per stack and cloud", positiveInteger, 5)
        .option("--npm", "time `npm run plan` (adds npm's own start-up) instead of `node tools/typescriptLoader.js tools/plan.ts`")
        .option("--no-warmup", "skip the untimed first run that fills the transpile and compile caches")
        .parse(argv, { from: "user" })
        .opts<{ runs: number; npm?: boolean; warmup: boolean }>();

    const results = bench(options.runs, {
        viaNpm: Boolean(options.npm),
        warmup: options.warmup,
        onRun: process.stderr.isTTY ? (target, run) => process.stderr.write(`\r\x1b[K${target.stack}/${target.cloud}: run ${run} of ${options.runs}`) : undefined,
    });
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");

    const table = new Table({
        head: ["stack", "cloud", "plan median s", "min s", "max s", "SDK floor median s", "plan / floor", "CPU s: plan", "floor", "plan / floor", "exit"],
        colAligns: ["left", "left", "right", "right", "right", "right", "right", "right", "right", "right", "left"],
        style: { head: [], border: [] },
        chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
    });
    for (const r of results) {
        const plan = median(r.seconds);
        const floor = median(r.floorSeconds);
        const planCpu = median(r.cpuSeconds);
        const floorCpu = median(r.floorCpuSeconds);
        table.push([
            r.target.stack,
            r.target.cloud,
            plan.toFixed(2),
            Math.min(...r.seconds).toFixed(2),
            Math.max(...r.seconds).toFixed(2),
            floor.toFixed(2),
            `${(plan / floor).toFixed(2)}×`,
            planCpu.toFixed(2),
            floorCpu.toFixed(2),
            `${(planCpu / floorCpu).toFixed(2)}×`,
            [...new Set(r.statuses)].join(","),
        ]);
    }
    const how = options.npm ? "npm run plan" : `node ${planEntry.join(" ")}`;
    const cpu = os.cpus();
    process.stdout.write(
        `${how}, ${options.runs} run${options.runs === 1 ? "" : "s"} each, ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, load average at the end ${os.loadavg()[0].toFixed(1)}, Node ${process.version}\n${table.toString()}\n`,
    );
    const failed = results.filter((r) => r.failure !== undefined);
    for (const r of failed) process.stderr.write(`\n${r.target.stack}/${r.target.cloud} failed:\n${r.failure}\n`);
    return failed.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
