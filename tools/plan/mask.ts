import type { RecordedResource, StackOutput } from "../engine/harness";

/** What the plan prints instead of a secret value, as `pulumi preview` does. */
export const SECRET_MASK = "[secret]";

/**
 * A copy of a secret value with every scalar replaced by the mask. Objects and lists keep their keys
 * and length, so a reader (and a schema validator, for manifests) still sees which keys a Secret's
 * `stringData` or a Helm `values` block holds, never their values.
 */
export function maskValue(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(maskValue);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(v)]));
    return SECRET_MASK;
}

/**
 * A deep copy of `value` with each of `secretPaths` masked. The paths are the harness's dotted paths,
 * where keys may themselves contain dots (`metadata.annotations.example.com/checksum`), so each step
 * matches a whole key rather than splitting on dots. A path that leads nowhere is an error: failing
 * loudly is better than printing a secret.
 */
export function maskPaths<T>(value: T, secretPaths: readonly string[]): T {
    const copy = structuredClone(value);
    for (const secretPath of secretPaths) {
        if (secretPath === "") return maskValue(copy) as T;
        if (!maskAt(copy, secretPath)) throw new Error(`cannot locate secret path "${secretPath}" to mask it`);
    }
    return copy;
}

function maskAt(node: unknown, remaining: string): boolean {
    if (node === null || typeof node !== "object") return false;
    const container = node as Record<string, unknown>;
    // Longest key first: with keys "a" and "a.b", the path "a.b.c" more likely means key "a.b", then "c".
    const candidates = Object.keys(container)
        .filter((key) => remaining === key || remaining.startsWith(`${key}.`))
        .sort((a, b) => b.length - a.length);
    for (const key of candidates) {
        if (remaining === key) {
            container[key] = maskValue(container[key]);
            return true;
        }
        if (maskAt(container[key], remaining.slice(key.length + 1))) return true;
    }
    return false;
}

/** A resource's inputs as the plan shows them: secret paths masked. */
export function maskedInputs(resource: Pick<RecordedResource, "inputs" | "secretPaths">): RecordedResource["inputs"] {
    return maskPaths(resource.inputs, resource.secretPaths);
}

/** A stack output as the plan shows it: a secret output is masked whole, like `pulumi stack output`. */
export function maskedOutput(output: StackOutput): unknown {
    return output.secret ? SECRET_MASK : output.value;
}

/** Shorter secrets are not scrubbed from free text: they would mask ordinary words. */
const minScrubLength = 8;

/**
 * Every secret string the run knows: values at secret input paths, secret outputs and secret config.
 * Used to scrub free text that no path describes, such as a policy's message quoting a value.
 */
export function secretStrings(run: {
    resources: readonly Pick<RecordedResource, "inputs" | "secretPaths">[];
    outputs: Record<string, StackOutput>;
    config: Record<string, string>;
    secretKeys: readonly string[];
}): string[] {
    const found = new Set<string>();
    const collect = (value: unknown) => {
        if (typeof value === "string") found.add(value);
        else if (value !== null && typeof value === "object") Object.values(value).forEach(collect);
    };
    for (const resource of run.resources) {
        if (resource.secretPaths.length === 0) continue;
        // The masked copy marks where the secrets were; the original holds their values.
        const masked = maskPaths(resource.inputs, resource.secretPaths);
        const pick = (original: unknown, shown: unknown) => {
            if (shown === SECRET_MASK) collect(original);
            else if (shown !== null && typeof shown === "object" && original !== null && typeof original === "object") {
                for (const key of Object.keys(shown)) pick((original as Record<string, unknown>)[key], (shown as Record<string, unknown>)[key]);
            }
        };
        pick(resource.inputs, masked);
    }
    for (const output of Object.values(run.outputs)) if (output.secret) collect(output.value);
    for (const key of run.secretKeys) collect(run.config[key]);
    return [...found].filter((s) => s.length >= minScrubLength).sort((a, b) => b.length - a.length);
}

/** A deep copy of `value` with any of `secrets` inside its strings replaced by the mask. */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
    if (secrets.length === 0) return value;
    const scrub = (v: unknown): unknown => {
        if (typeof v === "string") return secrets.reduce((text, secret) => (text.includes(secret) ? text.split(secret).join(SECRET_MASK) : text), v);
        if (Array.isArray(v)) return v.map(scrub);
        if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]));
        return v;
    };
    return scrub(value) as T;
}
