import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";

/**
 * Validates policy config against a policy's `configSchema`, for the subset of JSON Schema the pack
 * uses (type, enum, minimum/maximum, minLength/pattern, items/minItems, properties/required). The
 * CLI validates with a full JSON Schema validator; unknown properties are rejected here so that a
 * misspelt key in `policy/config/*.json` fails loudly instead of leaving the default in force.
 */
export function validateConfig(schema: PolicyConfigSchema | undefined, config: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const properties = schema?.properties ?? {};
    for (const key of Object.keys(config)) {
        if (!(key in properties)) problems.push(`unknown config property "${key}"`);
        else validateValue(properties[key], config[key], key, problems);
    }
    for (const key of schema?.required ?? []) {
        if (config[key] === undefined) problems.push(`config property "${key}" is required`);
    }
    return problems;
}

function typeOf(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
}

function validateValue(schema: PolicyConfigJSONSchemaDefinition, value: unknown, at: string, problems: string[]): void {
    if (schema === true) return;
    if (schema === false) {
        problems.push(`${at}: not allowed`);
        return;
    }
    const s = schema as PolicyConfigJSONSchema;
    if (s.type !== undefined) {
        const allowed = Array.isArray(s.type) ? s.type : [s.type];
        const actual = typeOf(value);
        const ok = allowed.some((t) => t === actual || (t === "number" && actual === "integer"));
        if (!ok) {
            problems.push(`${at}: must be ${allowed.join(" or ")}, got ${JSON.stringify(value)}`);
            return;
        }
    }
    if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) problems.push(`${at}: must be one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")}`);
    if (typeof value === "number") {
        if (s.minimum !== undefined && value < s.minimum) problems.push(`${at}: must be ≥ ${s.minimum}`);
        if (s.maximum !== undefined && value > s.maximum) problems.push(`${at}: must be ≤ ${s.maximum}`);
    }
    if (typeof value === "string") {
        if (s.minLength !== undefined && value.length < s.minLength) problems.push(`${at}: must have at least ${s.minLength} characters`);
        if (s.pattern !== undefined && !new RegExp(s.pattern).test(value)) problems.push(`${at}: must match ${s.pattern}`);
    }
    if (Array.isArray(value)) {
        if (s.minItems !== undefined && value.length < s.minItems) problems.push(`${at}: must have at least ${s.minItems} items`);
        if (s.items !== undefined && !Array.isArray(s.items)) value.forEach((v, i) => validateValue(s.items as PolicyConfigJSONSchemaDefinition, v, `${at}[${i}]`, problems));
    }
    if (typeOf(value) === "object" && s.properties) {
        const obj = value as Record<string, unknown>;
        for (const [k, v] of Object.entries(obj)) {
            if (s.properties[k] !== undefined) validateValue(s.properties[k], v, `${at}.${k}`, problems);
            else if (s.additionalProperties === false) problems.push(`${at}: unknown property "${k}"`);
        }
        for (const k of s.required ?? []) if (obj[k] === undefined) problems.push(`${at}.${k}: is required`);
    }
}
