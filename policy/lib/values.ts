import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";

/**
 * Reading resource properties that may not be known yet.
 *
 * During `pulumi preview` the engine hands a policy the resource's inputs with every value that
 * depends on another resource's output replaced by an "unknown" sentinel, wrapped in a proxy that
 * throws `UnknownValueError` when such a value is read. Our offline evaluation (test harness, offline
 * plan) records the same values as keys that are present but `undefined`. A policy must tell three
 * cases apart:
 *
 * - absent: the program did not set the input at all (a plain input the program must set is a violation);
 * - unknown: it is set, but from a value that exists only after deployment (never a violation in preview;
 *   the policy runs again during `pulumi up` with the value known);
 * - known: judge it.
 *
 * `engineProps` turns either representation into the engine's, and `read` turns an access that hits an
 * unknown value into `UNKNOWN` instead of an exception.
 */

export const UNKNOWN: unique symbol = Symbol.for("ai-platform.policy.unknown");
export type Unknown = typeof UNKNOWN;

/** The sentinel the engine (and the Node SDK under mocks) uses for an unknown value. */
export const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const engineSentinels = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    unknownSentinel,
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export function isUnknownValueError(e: unknown): boolean {
    return e instanceof UnknownValueError || (e instanceof Error && e.constructor?.name === "UnknownValueError");
}

/** True for the proxy the engine (or `engineProps`) wraps properties in. */
export function isEngineProxy(value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { __isSpecialProxy?: unknown }).__isSpecialProxy === true;
}

/**
 * Properties in the engine's form: unknown values as sentinels behind the unknown-checking proxy.
 * Present-but-undefined values (how the harness records an unknown) become sentinels; engine
 * proxies are returned as they are.
 */
export function engineProps<T extends object>(props: T): T {
    if (isEngineProxy(props)) return props;
    return unknownCheckingProxy(toSentinels(props ?? {}));
}

/** A plain object from any realm (jest runs tests in a VM context whose Object.prototype differs). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
    const proto = Object.getPrototypeOf(value);
    return proto === null || Object.getPrototypeOf(proto) === null;
}

function toSentinels(value: unknown): unknown {
    if (value === undefined) return unknownSentinel;
    if (Array.isArray(value)) return value.map(toSentinels);
    if (isPlainObject(value)) {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) out[key] = toSentinels(value[key]);
        return out;
    }
    return value;
}

/** Evaluates an accessor over engine props; an unknown value anywhere on the way reads as `UNKNOWN`. */
export function read<T>(access: () => T): T | Unknown {
    try {
        const value = access();
        return typeof value === "string" && engineSentinels.has(value) ? UNKNOWN : value;
    } catch (e) {
        if (isUnknownValueError(e)) return UNKNOWN;
        throw e;
    }
}

export function isKnown<T>(value: T | Unknown): value is T {
    return value !== UNKNOWN;
}

/**
 * The elements of a list that are known. `unknown` is true when the list itself or any element is
 * not known yet, so a caller can tell "no offending element" from "could not look at all of them".
 */
export function knownItems<T>(access: () => readonly T[] | undefined | null): { items: T[]; unknown: boolean } {
    const list = read(access);
    if (list === UNKNOWN) return { items: [], unknown: true };
    if (!Array.isArray(list)) return { items: [], unknown: false };
    const items: T[] = [];
    let unknown = false;
    for (let i = 0; i < list.length; i++) {
        const item = read(() => list[i]);
        if (item === UNKNOWN) unknown = true;
        else items.push(item);
    }
    return { items, unknown };
}

/**
 * The entries of a map (tags, labels). `unknownKeys` are keys whose value is not known yet (they are
 * set, so they count as present); `unknown` is true when the whole map is not known yet.
 */
export function knownEntries(access: () => Record<string, unknown> | undefined | null): { entries: Record<string, unknown>; unknownKeys: Set<string>; unknown: boolean } {
    const map = read(access);
    const unknownKeys = new Set<string>();
    if (map === UNKNOWN) return { entries: {}, unknownKeys, unknown: true };
    if (map === null || typeof map !== "object") return { entries: {}, unknownKeys, unknown: false };
    const entries: Record<string, unknown> = {};
    for (const key of Object.keys(map)) {
        const value = read(() => (map as Record<string, unknown>)[key]);
        if (value === UNKNOWN) unknownKeys.add(key);
        else entries[key] = value;
    }
    return { entries, unknownKeys, unknown: false };
}

/** Booleans may arrive as strings (`"true"`) in some providers' schemas (e.g. launch template EBS). */
export function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

/** Reads a dotted path from a plain (already unwrapped) object; used for data-driven label paths. */
export function readPath(root: unknown, dotted: string): unknown {
    return read(() => dotted.split(".").reduce<unknown>((node, key) => (node === undefined || node === null ? undefined : (node as Record<string, unknown>)[key]), root));
}

/**
 * Reads a path step by step, so a value not known yet anywhere on the way reads as UNKNOWN (an
 * optional chain over an unknown object would read as "not set" and raise a false violation).
 */
export function at(root: unknown, ...path: (string | number)[]): unknown {
    let node: unknown = root;
    for (const key of path) {
        if (node === undefined || node === null) return undefined;
        const parent = node as Record<string | number, unknown>;
        node = read(() => parent[key]);
        if (node === UNKNOWN) return UNKNOWN;
    }
    return node;
}

/** Parses provider-config values that the engine hands over as JSON text. */
export function parseMaybeJson(value: unknown): unknown {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/** A value as a violation message shows it. */
export function show(value: unknown): string {
    if (value === UNKNOWN) return "(unknown until deployed)";
    return value === undefined ? "not set" : JSON.stringify(value);
}

/** Engine props as plain data, every value not known yet as `undefined` (the form the cost estimate reads). */
export function plainProps(props: Record<string, unknown>): Record<string, unknown> {
    const copy = (node: unknown): unknown => {
        if (node === UNKNOWN || node === undefined || node === null || typeof node !== "object") return node === UNKNOWN ? undefined : node;
        if (Array.isArray(node)) return node.map((_, i) => copy(read(() => node[i])));
        const record = node as Record<string, unknown>;
        return Object.fromEntries(Object.keys(record).map((key) => [key, copy(read(() => record[key]))]));
    };
    return (copy(read(() => props)) ?? {}) as Record<string, unknown>;
}
