/**
 * `npm run plan -- --stack <name> [-c key=value]… [--json FILE] [--manifests DIR] [--no-color]`
 *
 * Shows what `pulumi up` would do, without cloud credentials: evaluates the real program in-process
 * under the test harness's engine mocks, prints the resource tree, outputs and policy report, and exits
 * 0 (no mandatory policy violation), 1 (a mandatory violation), 2 (bad config or arguments) or 3 (the
 * program or the plan itself failed).
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError } from "commander";
import { ConfigArgumentError, parseConfigArgs } from "./plan/configArgs";
import { planExitCode, planStack, type Plan } from "./plan/planStack";
import { renderJson } from "./plan/renderJson";
import { renderManifests, writeManifests } from "./plan/renderManifests";
import { terminalWidth } from "./plan/fit";
import { renderText } from "./plan/renderText";
import { makeDirectory } from "./plan/files";
import { checkStackSettings, outputPathProblem, whereToFix } from "./plan/settingsCheck";

export const exitCodes = { ok: 0, mandatoryViolation: 1, badConfig: 2, failed: 3 } as const;

interface CliOptions {
    stack: string;
    config: string[];
    secret: string[];
    json?: string;
    manifests?: string;
    color: boolean;
}

function command(): Command {
    return new Command("plan")
        .description("Offline plan: what `pulumi up` would do for a stack, evaluated under engine mocks (nothing is created)")
        .requiredOption("-s, --stack <name>", "stack to plan (reads Pulumi.<name>.yaml)")
        .option("-c, --config <key=value>", "config override, as `pulumi config set [--path]` (repeatable): ai-platform:cluster.minNodes=5", (value: string, all: string[]) => [...all, value], [])
        .option("--secret <key=value>", "a secret setting, as `pulumi config set --secret` (repeatable): ai-platform:anthropicApiKey=sk-…", (value: string, all: string[]) => [...all, value], [])
        .option("--json <file>", "also write the plan as JSON (secrets masked)")
        .option("--manifests <dir>", "also write every Kubernetes object as YAML into <dir> (secrets masked)")
        .option("--no-color", "plain output without colours or spinner")
        .exitOverride()
        .configureOutput({ writeErr: (text) => process.stderr.write(text) });
}

/** Colours on a terminal only; NO_COLOR (non-empty) and --no-color turn them off, FORCE_COLOR on. */
export function colorWanted(flag: boolean, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
    if (!flag) return false;
    if (env.NO_COLOR) return false;
    if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
    return Boolean(stream.isTTY) && env.TERM !== "dumb";
}

interface Spinner {
    succeed(text: string): void;
    fail(text: string): void;
    stop(): void;
}

function startSpinner(enabled: boolean, text: string): Spinner {
    if (!enabled) return { succeed() {}, fail() {}, stop() {} };
    // Only a terminal gets the spinner, so only then is ora loaded.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ora = require("ora") as typeof import("ora");
    return ora({ text, stream: process.stderr }).start();
}

/** `npm run` starts scripts in the package root; paths on the command line mean where the user typed them. */
function fromCaller(file: string): string {
    return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

function isSettingsError(error: unknown): error is Error {
    // By name: the harness loads the program afresh, so its SettingsError class is not the one this file could import.
    return error instanceof Error && error.name === "SettingsError";
}

export async function main(argv: readonly string[]): Promise<number> {
    let options: CliOptions;
    let overrides: Record<string, unknown>;
    let secrets: Record<string, string>;
    try {
        options = command().parse(argv, { from: "user" }).opts<CliOptions>();
        overrides = parseConfigArgs(options.config);
        secrets = parseConfigArgs(options.secret, "--secret", { secret: true }) as Record<string, string>;
    } catch (error) {
        if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.badConfig;
        if (error instanceof ConfigArgumentError) {
            process.stderr.write(`error: ${error.message}\n`);
            return exitCodes.badConfig;
        }
        throw error;
    }

    // Usage errors and bad config are found before anything is evaluated.
    for (const [kind, target] of [
        ["--json", options.json],
        ["--manifests", options.manifests],
    ] as const) {
        const problem = target === undefined ? undefined : outputPathProblem(kind, fromCaller(target));
        if (problem) {
            process.stderr.write(`error: ${problem}\n`);
            return exitCodes.badConfig;
        }
    }
    const verdict = checkStackSettings({ stack: options.stack, config: overrides, secrets });
    if (verdict.exitCode !== 0) {
        process.stderr.write(`✖ Stack ${options.stack} has bad configuration\n${verdict.message}\n`);
        return exitCodes.badConfig;
    }

    const color = colorWanted(options.color, process.stdout, process.env);
    const spinner = startSpinner(color && Boolean(process.stderr.isTTY), `Evaluating the program for stack ${options.stack} under engine mocks…`);
    const started = Date.now();
    let plan: Plan;
    try {
        plan = await planStack({ stack: options.stack, config: overrides, secrets });
    } catch (error) {
        if (isSettingsError(error)) {
            spinner.fail(`Stack ${options.stack} has bad configuration`);
            process.stderr.write(`${error.message}\nFix these in ${whereToFix(options.stack)}.\n`);
            return exitCodes.badConfig;
        }
        spinner.fail(`The program failed for stack ${options.stack}`);
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        return exitCodes.failed;
    }
    spinner.succeed(`Evaluated stack ${options.stack} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    process.stdout.write(renderText(plan, { color, width: terminalWidth(process.stdout, process.env) }));
    try {
        writeOutputs(options, plan);
    } catch (error) {
        process.stderr.write(`error: could not write the plan's files: ${(error as Error).message}\n`);
        return exitCodes.badConfig;
    }
    return planExitCode(plan);
}

function writeOutputs(options: CliOptions, plan: Plan): void {
    if (options.json) {
        const file = fromCaller(options.json);
        makeDirectory(path.dirname(file));
        fs.writeFileSync(file, renderJson(plan));
        process.stdout.write(`\nWrote the plan as JSON to ${options.json}\n`);
    }
    if (options.manifests) {
        const written = writeManifests(fromCaller(options.manifests), renderManifests(plan.run));
        process.stdout.write(`${options.json ? "" : "\n"}Wrote ${written.length} Kubernetes manifest${written.length === 1 ? "" : "s"} to ${options.manifests}\n`);
    }
}

if (require.main === module) {
    // Node would exit 1 on these, which here means "mandatory policy violation"; a crash is status 3.
    const crash = (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(exitCodes.failed);
    };
    process.on("unhandledRejection", crash);
    process.on("uncaughtException", crash);
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error) => {
            process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            process.exitCode = exitCodes.failed;
        },
    );
}
