/**
 * `npm run plan-diff -- <before.json> <after.json>`
 *
 * Compares two offline plans (`npm run plan -- --json <file>`) as the engine would see the second
 * deployed over the first: resources matched by URN or by alias (tools/engine/aliases.ts), then each
 * kept resource's inputs, options and dependencies, and the stack outputs. A refactor that must not
 * change behaviour shows no creates, no deletes and no differences; exit 1 when anything differs.
 */
import * as fs from "fs";
import { isDeepStrictEqual } from "util";
import { urnChanges } from "./engine/aliases";
import type { PlanJson, PlanJsonResource } from "./plan/renderJson";

export interface PlanDifference {
    /** The resource's URN after (for creates and changes) or before (for deletes). */
    urn: string;
    kind: "created" | "deleted" | "changed" | "output";
    /** Dotted paths that differ, for changes. */
    paths: string[];
}

type Json = unknown;

/** Paths under which two JSON values differ (leaves and mismatched shapes). */
export function differingPaths(before: Json, after: Json, prefix = ""): string[] {
    if (isDeepStrictEqual(before, after)) return [];
    const bothObjects = before !== null && after !== null && typeof before === "object" && typeof after === "object" && Array.isArray(before) === Array.isArray(after);
    if (!bothObjects) return [prefix || "(value)"];
    const keys = new Set([...Object.keys(before as object), ...Object.keys(after as object)]);
    return [...keys].flatMap((k) => differingPaths((before as Record<string, Json>)[k], (after as Record<string, Json>)[k], prefix ? `${prefix}.${k}` : k));
}

/** What must match for a kept resource: everything the program declared but its URN and aliases. */
const comparable = (r: PlanJsonResource) => ({
    inputs: r.inputs,
    secretPaths: [...r.secretPaths].sort(),
    parent: r.parent,
    options: { ...r.options, aliases: undefined, dependencies: [...r.options.dependencies].sort() },
});

/** Every difference between two plans of the same stack, aliases taken into account. */
export function diffPlans(before: Pick<PlanJson, "resources" | "outputs">, after: Pick<PlanJson, "resources" | "outputs">): PlanDifference[] {
    const changes = urnChanges(
        before.resources.map((r) => r.urn),
        after.resources,
    );
    // An old URN anywhere in the before plan (a parent, a dependency, a provider) means its new URN in the after plan.
    const renamed = (value: Json): Json => JSON.parse(JSON.stringify(value), (_, v) => (typeof v === "string" && changes.kept.has(v) ? changes.kept.get(v) : v));
    const afterByUrn = new Map(after.resources.map((r) => [r.urn, r]));
    const differences: PlanDifference[] = [
        ...changes.created.map((urn) => ({ urn, kind: "created" as const, paths: [] })),
        ...changes.deleted.map((urn) => ({ urn, kind: "deleted" as const, paths: [] })),
    ];
    for (const old of before.resources) {
        const now = changes.kept.get(old.urn);
        if (!now) continue;
        const next = afterByUrn.get(now) as PlanJsonResource;
        // Renamed first, then sorted: a dependency list sorted by old URNs is in another order once they are renamed.
        const paths = differingPaths(comparable(renamed(old) as PlanJsonResource), comparable(next));
        if (paths.length) differences.push({ urn: now, kind: "changed", paths });
    }
    const outputPaths = differingPaths(renamed(before.outputs), after.outputs);
    if (outputPaths.length) differences.push({ urn: "(stack outputs)", kind: "output", paths: outputPaths });
    return differences;
}

function main(argv: string[]): number {
    const [beforeFile, afterFile] = argv;
    if (!beforeFile || !afterFile) {
        process.stderr.write("usage: npm run plan-diff -- <before.json> <after.json>  (files from `npm run plan -- --json <file>`)\n");
        return 2;
    }
    const read = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as PlanJson;
    const differences = diffPlans(read(beforeFile), read(afterFile));
    for (const d of differences) process.stdout.write(`${d.kind.padEnd(8)} ${d.urn}${d.paths.length ? `\n         ${d.paths.join(", ")}` : ""}\n`);
    process.stdout.write(differences.length ? `${differences.length} difference(s)\n` : "no differences: every resource kept (by URN or alias) with the same inputs, options and outputs\n");
    return differences.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
