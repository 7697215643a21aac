/** A problem with stack config: the key, the value it has, and what is allowed instead. */
export interface SettingsProblem {
    key: string;
    value: unknown;
    allowed: string;
}

/** Raised before any resource is declared; its message has one line per problem. */
export class SettingsError extends Error {
    constructor(public readonly problems: SettingsProblem[]) {
        super(
            `invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p.key} = ${show(p.value)}: ${p.allowed}`).join("\n"),
        );
        this.name = "SettingsError";
    }
}

function show(value: unknown): string {
    return value === undefined ? "(not set)" : JSON.stringify(value);
}
