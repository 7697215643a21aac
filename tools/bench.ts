/**
 * `npm run bench [-- --runs N] [--npm] [--no-warmup]`
 *
 * Times the offline plan as users run it, a whole process each time (Node start-up, transpiling,
 * the program under mocks, policies, rendering), for both stacks on both clouds, and prints the
 * medians. Runs are sequential so they do not compete for the cores they measure.
 */
import { spawnSync } from "child_process";
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

function planCommand(target: BenchTarget, viaNpm: boolean): [string, string[]] {
    const args = ["--stack", target.stack, ...target.config.flatMap((c) => ["-c", c]), "--no-color"];
    if (viaNpm) return [process.platform === "win32" ? "npm.cmd" : "npm", ["run", "--silent", "plan", "--", ...args]];
    return [process.execPath, ["-r", "sucrase/register/ts", "tools/plan.ts", ...args]];
}

function runOnce(target: BenchTarget, viaNpm: boolean): { seconds: number; status: number; stderr: string } {
    const [file, args] = planCommand(target, viaNpm);
    const started = performance.now();
    const child = spawnSync(file, args, { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const seconds = (performance.now() - started) / 1000;
    return { seconds, status: child.status ?? 3, stderr: child.stderr ?? String(child.error ?? "") };
}

export function bench(runs: number, options: { viaNpm: boolean; warmup: boolean; onRun?: (target: BenchTarget, run: number) => void }): BenchResult[] {
    // One untimed run fills the transpile cache, as on any machine after the first plan.
    if (options.warmup) runOnce(benchTargets[0], options.viaNpm);
    return benchTargets.map((target) => {
        const result: BenchResult = { target, seconds: [], statuses: [] };
        for (let i = 0; i < runs; i++) {
            options.onRun?.(target, i + 1);
            const run = runOnce(target, options.viaNpm);
            result.seconds.push(run.seconds);
            result.statuses.push(run.status);
            if (run.status > 1 && result.failure === undefined) result.failure = run.stderr.trim();
        }
        return result;
    });
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
        .option("--npm", "time `npm run plan` (adds npm's own start-up) instead of `node -r sucrase/register/ts tools/plan.ts`")
        .option("--no-warmup", "skip the untimed first run that fills the transpile cache")
        .parse(argv, { from: "user" })
        .opts<{ runs: number; npm?: boolean; warmup: boolean }>();

    const results = bench(options.runs, {
        viaNpm: Boolean(options.npm),
        warmup: options.warmup,
        onRun: process.stderr.isTTY ? (target, run) => process.stderr.write(`\r\x1b[K${target.stack}/${target.cloud}: run ${run} of ${options.runs}`) : undefined,
    });
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");

    const table = new Table({ head: ["stack", "cloud", "median s", "min s", "max s", "exit"], colAligns: ["left", "left", "right", "right", "right", "left"], style: { head: [], border: [] }, chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" } });
    for (const r of results) {
        table.push([r.target.stack, r.target.cloud, median(r.seconds).toFixed(2), Math.min(...r.seconds).toFixed(2), Math.max(...r.seconds).toFixed(2), [...new Set(r.statuses)].join(",")]);
    }
    const how = options.npm ? "npm run plan" : "node -r sucrase/register/ts tools/plan.ts";
    process.stdout.write(`${how}, ${options.runs} run${options.runs === 1 ? "" : "s"} each, ${os.cpus().length} cores, Node ${process.version}\n${table.toString()}\n`);
    const failed = results.filter((r) => r.failure !== undefined);
    for (const r of failed) process.stderr.write(`\n${r.target.stack}/${r.target.cloud} failed:\n${r.failure}\n`);
    return failed.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
