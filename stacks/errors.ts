/** A problem with stack config: the key, the value it has, and what is allowed instead. */
export interface SettingsProblem {
    key: string;
    value: unknown;
    allowed: string;
    /** The value is a default of the environment, not something the stack set. */
    fromDefault?: boolean;
    /** The value is a secret: the message never shows it. */
    secret?: boolean;
}

/** Raised before any resource is declared; its message has one line per problem. */
export class SettingsError extends Error {
    constructor(public readonly problems: SettingsProblem[]) {
        super(`invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` + problems.map((p) => `  - ${p.key} = ${show(p)}: ${p.allowed}`).join("\n"));
        this.name = "SettingsError";
    }
}

function show(problem: SettingsProblem): string {
    const { value } = problem;
    if (problem.secret) return value === undefined ? "(not set)" : "(secret, not shown)";
    const text = value === undefined ? "(not set)" : JSON.stringify(value);
    return problem.fromDefault ? `${text} (default)` : text;
}
