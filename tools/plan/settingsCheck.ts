import * as fs from "fs";
import * as path from "path";
import { validateSettings } from "../../stacks/validate";
import { makeDirectory } from "./files";
import { SettingsError } from "../../stacks/errors";
import { engineValues, projectName, repoRoot, stackConfig, type RunOptions } from "../engine/harness";

/** What the plan says about a stack's config before it evaluates anything: 0 to go on, 2 with the message to print. */
export interface SettingsVerdict {
    exitCode: 0 | 2;
    /** The lines to print on stderr when the config is refused. */
    message?: string;
}

/**
 * Checks a stack's config exactly as the program will (`stacks/validate.ts` on the config the engine
 * hands it), so bad config is refused in well under a second, before the program runs. Stack-file
 * errors (YAML syntax, duplicate keys) and `-c` paths that do not fit are refused the same way.
 */
export function checkStackSettings(options: Pick<RunOptions, "stack" | "config" | "secrets" | "ignoreStackFile">): SettingsVerdict {
    let values: Record<string, string>;
    let secretKeys: string[];
    try {
        const { config, secretKeys: secret } = stackConfig(options);
        values = engineValues(config);
        secretKeys = [...secret];
    } catch (error) {
        if (error instanceof Error && error.name === "ConfigInputError") return { exitCode: 2, message: `error: ${error.message}` };
        throw error;
    }
    const { problems } = validateSettings({ project: projectName, stack: options.stack, values, secretKeys }, { root: repoRoot });
    if (problems.length === 0) return { exitCode: 0 };
    return { exitCode: 2, message: `${new SettingsError(problems).message}\nFix these in ${whereToFix(options.stack)}.` };
}

export function whereToFix(stack: string): string {
    const stackFile = `Pulumi.${stack}.yaml`;
    return fs.existsSync(path.join(repoRoot, stackFile)) ? `${stackFile} or in the -c/--secret overrides` : `the -c/--secret overrides (there is no ${stackFile})`;
}

/**
 * Refuses an output path the plan could not write, before it evaluates anything: the directory is
 * made (as writing would make it) and a file is opened there for writing, so a read-only or virtual
 * file system (/proc, /sys) is found now, not after the plan has printed its verdict.
 */
export function outputPathProblem(kind: "--json" | "--manifests", target: string): string | undefined {
    try {
        if (kind === "--json" && fs.existsSync(target) && fs.statSync(target).isDirectory()) return `${kind} ${target}: is a directory; name a file`;
        if (kind === "--manifests" && fs.existsSync(target) && !fs.statSync(target).isDirectory()) return `${kind} ${target}: is a file; name a directory`;
        const directory = kind === "--json" ? path.dirname(target) : target;
        let existing = directory;
        while (!fs.existsSync(existing)) existing = path.dirname(existing);
        if (!fs.statSync(existing).isDirectory()) return `${kind} ${target}: ${existing} is a file, not a directory`;
        makeDirectory(directory);
        const probe = kind === "--json" ? target : path.join(directory, `.plan-write-check-${process.pid}`);
        const existed = fs.existsSync(probe);
        fs.closeSync(fs.openSync(probe, "a"));
        if (!existed) fs.rmSync(probe);
        return undefined;
    } catch (error) {
        return `${kind} ${target}: cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    }
}
