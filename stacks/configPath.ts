/**
 * Config keys and values as `pulumi config set` understands them, so the offline plan's `-c` and
 * `--secret` take exactly what the real CLI takes.
 *
 * - `namespace:name` is one key; without a namespace it belongs to the project.
 * - With a path (`ai-platform:cluster.minNodes`, `ai-platform:cluster.publicAccessCidrs[0]`,
 *   `ai-platform:app["apiCommand"][1]`), like `--path`, the value lands inside the key's object and is
 *   stored as `pulumi config set --path` stores it: "true"/"false" as booleans, whole numbers without a
 *   leading zero as integers, anything else as the text itself.
 * - Without a path the value is always the text (`costCenter=4711` is the string "4711").
 */

export type PathSegment = string | number;

/** A config key split into its namespace and path; throws an Error with a reason when it is not one. */
export function parseConfigKey(rawKey: string, defaultNamespace: string): { namespace: string; path: PathSegment[]; key: string } {
    const key = rawKey.trim();
    const colon = key.indexOf(":");
    const namespace = colon > 0 ? key.slice(0, colon) : defaultNamespace;
    const name = colon > 0 ? key.slice(colon + 1) : key;
    if (colon === 0 || name === "") throw new Error(`"${rawKey}" is not a config key; use namespace:name or namespace:name.path`);
    const path = parsePropertyPath(name);
    if (typeof path[0] !== "string") throw new Error(`"${rawKey}": the first part of a config key must be a name, not an index`);
    return { namespace, path, key: `${namespace}:${path[0]}` };
}

/** Pulumi's property path syntax: `a.b`, `a[0]`, `a["b.c"]`. */
export function parsePropertyPath(text: string): PathSegment[] {
    const segments: PathSegment[] = [];
    let i = 0;
    const fail = (why: string): never => {
        throw new Error(`"${text}" is not a valid path: ${why}`);
    };
    while (i < text.length) {
        if (text[i] === "[") {
            const close = text.indexOf("]", i);
            if (close < 0) fail("missing ]");
            const inner = text.slice(i + 1, close);
            if (/^\d+$/.test(inner)) segments.push(Number(inner));
            else if (/^"[^"]+"$/.test(inner)) segments.push(inner.slice(1, -1));
            else fail(`[${inner}] is neither an index nor a quoted name`);
            i = close + 1;
            if (text[i] === ".") i++;
            continue;
        }
        let end = i;
        while (end < text.length && text[end] !== "." && text[end] !== "[") end++;
        const part = text.slice(i, end);
        if (part === "") fail("empty name");
        segments.push(part);
        i = end < text.length && text[end] === "." ? end + 1 : end;
        if (text[end] === "." && i === text.length) fail("ends with '.'");
    }
    if (segments.length === 0) fail("empty");
    return segments;
}

/** The value `pulumi config set --path` stores for a text value. */
export function pathValue(text: string): string | number | boolean {
    if (text === "true") return true;
    if (text === "false") return false;
    if (text.length > 1 && text[0] === "0") return text;
    if (/^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
    return text;
}

/** Sets `value` at `path` inside `root` (a copy is returned); an index may append to a list but not skip. */
export function setAtPath(root: unknown, path: readonly PathSegment[], value: unknown): unknown {
    if (path.length === 0) return value;
    const [head, ...rest] = path;
    if (typeof head === "number") {
        const list = Array.isArray(root) ? [...root] : [];
        if (head > list.length) throw new Error(`index [${head}] is out of range: the list has ${list.length} item${list.length === 1 ? "" : "s"}`);
        if (value === undefined && rest.length === 0) list.splice(head, 1);
        else list[head] = setAtPath(list[head], rest, value);
        return list;
    }
    const object: Record<string, unknown> = typeof root === "object" && root !== null && !Array.isArray(root) ? { ...(root as Record<string, unknown>) } : {};
    if (value === undefined && rest.length === 0) delete object[head];
    else object[head] = setAtPath(object[head], rest, value);
    return object;
}

/** The value at `path`, or undefined. */
export function getAtPath(root: unknown, path: readonly PathSegment[]): unknown {
    let node = root;
    for (const segment of path) {
        if (typeof node !== "object" || node === null) return undefined;
        node = (node as Record<string, unknown>)[segment as string];
    }
    return node;
}

/** True when `path` was given in `root` (even as null). */
export function hasPath(root: unknown, path: readonly PathSegment[]): boolean {
    let node = root;
    for (const segment of path) {
        if (typeof node !== "object" || node === null || !(String(segment) in (node as object))) return false;
        node = (node as Record<string, unknown>)[segment as string];
    }
    return true;
}
