import { projectName } from "../engine/harness";

/** A `-c key=value` argument the plan cannot use; the CLI reports it with exit status 2, like bad config. */
export class ConfigArgumentError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigArgumentError";
    }
}

/**
 * Turns `-c key=value` arguments into `runProgram` config overrides, with the meaning
 * `pulumi config set` gives them: a key without a namespace belongs to the project
 * (`owner=x` is `ai-platform:owner`), a dotted key sets one path like `--path`
 * (`ai-platform:cluster.minNodes=5`), and a value is JSON when it parses as JSON (numbers, booleans,
 * lists, objects), else the text itself. A later argument for the same key wins.
 */
export function parseConfigArgs(args: readonly string[]): Record<string, unknown> {
    const overrides: Record<string, unknown> = {};
    for (const arg of args) {
        const equals = arg.indexOf("=");
        if (equals <= 0) throw new ConfigArgumentError(`-c ${arg}: expected key=value, for example -c ai-platform:cluster.minNodes=5`);
        const rawKey = arg.slice(0, equals).trim();
        const key = rawKey.includes(":") ? rawKey : `${projectName}:${rawKey}`;
        const [namespace, name] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
        if (!namespace || !name || name.split(".").some((part) => part === "")) {
            throw new ConfigArgumentError(`-c ${arg}: "${rawKey}" is not a config key; use namespace:name or namespace:name.path`);
        }
        overrides[key] = parseValue(arg.slice(equals + 1));
    }
    return overrides;
}

function parseValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
