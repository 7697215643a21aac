import { parseConfigKey, pathValue } from "../../stacks/configPath";
import { projectName } from "../engine/harness";

/** A `-c key=value` argument the plan cannot use; the CLI reports it with exit status 2, like bad config. */
export class ConfigArgumentError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigArgumentError";
    }
}

/**
 * Turns `-c key=value` (or `--secret key=value`) arguments into `runProgram` config overrides, with
 * the meaning `pulumi config set [--path]` gives them: a key without a namespace belongs to the
 * project (`owner=x` is `ai-platform:owner`); a key with a path (`ai-platform:cluster.minNodes=5`,
 * `ai-platform:cluster.publicAccessCidrs[0]=203.0.113.0/24`) sets one value inside the key's object
 * like `--path`, stored as `--path` stores it (true/false as booleans, whole numbers as integers,
 * anything else as text); a key without a path takes the text as it is (`costCenter=4711` is
 * "4711"). Secrets are always text. A later argument for the same key wins.
 */
export function parseConfigArgs(args: readonly string[], flag = "-c", options: { secret?: boolean } = {}): Record<string, unknown> {
    const overrides: Record<string, unknown> = {};
    for (const arg of args) {
        const equals = arg.indexOf("=");
        if (equals <= 0) throw new ConfigArgumentError(`${flag} ${arg}: expected key=value, for example ${flag} ai-platform:cluster.minNodes=5`);
        const rawKey = arg.slice(0, equals).trim();
        let parsed: ReturnType<typeof parseConfigKey>;
        try {
            parsed = parseConfigKey(rawKey, projectName);
        } catch (e) {
            throw new ConfigArgumentError(`${flag} ${arg}: ${(e as Error).message}`);
        }
        const text = arg.slice(equals + 1);
        const key = rawKey.includes(":") ? rawKey : `${projectName}:${rawKey}`;
        overrides[key] = parsed.path.length > 1 && !options.secret ? pathValue(text) : text;
    }
    return overrides;
}
