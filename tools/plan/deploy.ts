import { creationTimes, defaultCreationTime, type CreationTime, type TypeCreationTime } from "../../stacks/facts/creationTimes";
import { providerUrn } from "./renderJson";

/** What the model reads of a recorded resource (see `RecordedResource` in the harness). */
export interface DeployResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    read: boolean;
    inputs: Record<string, unknown>;
    options: { dependencies: string[]; provider?: string };
}

/** One resource on a chain: how long it takes and when, at the earliest, it is done. */
export interface DeployStep {
    urn: string;
    type: string;
    name: string;
    minutes: number;
    /** Minutes from the start of `pulumi up` until it is created. */
    finish: number;
}

/** A chain of resources each of which waits for the one before it. */
export interface DeployChain {
    /** The chain's own duration: the sum of its steps' minutes. */
    minutes: number;
    steps: DeployStep[];
}

export interface DeployModel {
    /** Modeled duration of the first `pulumi up`: the latest earliest-finish of any resource. */
    minutes: number;
    /** The chain that sets that time, from a resource that waits for nothing to the last one done. */
    criticalPath: DeployStep[];
    /** The next longest chains that share no slow resource with the critical path or with each other. */
    chains: DeployChain[];
    /** Types the creation-time table does not list, which took its default. */
    defaultedTypes: string[];
}

/** A resource that takes at least this long counts as slow: chains sharing one are not independent. */
export const slowMinutes = 2;
/** How many independent chains the model reports besides the critical path. */
export const chainCount = 3;

/** The creation time of one resource: its type's figure, or a variant matching its inputs. */
export function creationTimeOf(resource: Pick<DeployResource, "type" | "inputs">, table: Record<string, TypeCreationTime> = creationTimes): CreationTime & { defaulted: boolean } {
    const entry = table[resource.type];
    if (!entry) return { ...defaultCreationTime, defaulted: true };
    const variant = entry.variants?.find((v) => inputAt(resource.inputs, v.input) === v.equals);
    return { minutes: (variant ?? entry).minutes, source: (variant ?? entry).source, defaulted: false };
}

function inputAt(inputs: Record<string, unknown>, dotted: string | readonly string[]): unknown {
    let node: unknown = inputs;
    for (const key of typeof dotted === "string" ? dotted.split(".") : dotted) {
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Record<string, unknown>)[key];
    }
    return node;
}

interface Node {
    resource: DeployResource;
    /** Seconds, so sums do not drift. */
    seconds: number;
    waitsFor: string[];
}

/**
 * The graph the engine schedules a first `pulumi up` by. A resource waits for:
 * - its `dependencies` as the SDK sends them: explicit `dependsOn` plus every resource an input carries,
 *   with a component already expanded to its custom descendants (a component URN, should one appear,
 *   stands for all its descendants, as the engine treats it);
 * - its explicit provider (a Kubernetes provider waits for the cluster its kubeconfig comes from);
 * - a custom parent (the SDK waits for the parent's URN, which the engine returns once it exists).
 * Components take no time; only custom resources are scheduled. A read (`.get()`) takes no time.
 */
function buildGraph(resources: readonly DeployResource[], table: Record<string, TypeCreationTime>): { nodes: Map<string, Node>; defaulted: Set<string> } {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const descendants = new Map<string, string[]>();
    for (const r of resources) {
        if (!r.parent || r.parent === r.urn) continue;
        descendants.set(r.parent, [...(descendants.get(r.parent) ?? []), r.urn]);
    }
    const customsUnder = (urn: string, seen = new Set<string>()): string[] => {
        if (seen.has(urn)) return [];
        seen.add(urn);
        return (descendants.get(urn) ?? []).flatMap((child) => (byUrn.get(child)?.custom ? [child] : customsUnder(child, seen)));
    };
    const defaulted = new Set<string>();
    const nodes = new Map<string, Node>();
    for (const r of resources) {
        if (!r.custom) continue;
        const waits = new Set<string>();
        for (const dep of r.options.dependencies) {
            const target = byUrn.get(dep);
            if (!target) continue;
            for (const urn of target.custom ? [dep] : customsUnder(dep)) waits.add(urn);
        }
        const provider = r.options.provider ? providerUrn(r.options.provider) : undefined;
        if (provider && byUrn.get(provider)?.custom) waits.add(provider);
        if (r.parent && byUrn.get(r.parent)?.custom) waits.add(r.parent);
        waits.delete(r.urn);
        const time = r.read ? { minutes: 0, defaulted: false } : creationTimeOf(r, table);
        if (time.defaulted) defaulted.add(r.type);
        nodes.set(r.urn, { resource: r, seconds: Math.round(time.minutes * 60), waitsFor: [...waits] });
    }
    return { nodes, defaulted };
}

/**
 * Longest path to every node of the graph (restricted to `allowed`), in seconds, with the predecessor
 * it comes through. Ties go to the predecessor recorded first, so the answer is deterministic.
 */
function longestPaths(nodes: Map<string, Node>, allowed: (urn: string) => boolean): Map<string, { finish: number; via?: string }> {
    const result = new Map<string, { finish: number; via?: string }>();
    const visiting = new Set<string>();
    const visit = (urn: string): { finish: number; via?: string } => {
        const known = result.get(urn);
        if (known) return known;
        if (visiting.has(urn)) throw new Error(`dependency cycle through ${urn}`);
        visiting.add(urn);
        const node = nodes.get(urn);
        let best: { finish: number; via?: string } = { finish: 0 };
        for (const dep of node?.waitsFor ?? []) {
            if (!allowed(dep)) continue;
            const before = visit(dep);
            if (before.finish > best.finish) best = { finish: before.finish, via: dep };
        }
        const entry = { finish: best.finish + (node?.seconds ?? 0), via: best.via };
        visiting.delete(urn);
        result.set(urn, entry);
        return entry;
    };
    for (const urn of nodes.keys()) if (allowed(urn)) visit(urn);
    return result;
}

const toMinutes = (seconds: number) => Math.round((seconds / 60) * 100) / 100;

/** The earliest finish, in minutes from the start of the deploy, of every custom resource, by URN. */
export function finishTimes(resources: readonly DeployResource[], table: Record<string, TypeCreationTime> = creationTimes): Map<string, number> {
    const { nodes } = buildGraph(resources, table);
    return new Map([...longestPaths(nodes, () => true)].map(([urn, { finish }]) => [urn, toMinutes(finish)]));
}

/**
 * Models the first `pulumi up` of the resources a run declared: every resource starts as soon as all
 * it waits for exist and takes its typical creation time (`stacks/facts/creationTimes.ts`); the engine
 * runs independent steps in parallel (its default parallelism is not the limit for this program's size).
 *
 * Independent chains run beside the critical path: the first is the longest path among the resources
 * that are neither a slow resource (≥ 2 min) of the critical path nor wait, directly or not, for one;
 * the next excludes the first chain's slow resources and what waits for them too, and so on. Quick
 * resources (a VPC, a key) may appear on several chains. Each chain is timed from the start of the
 * deploy: it finishes when shown unless a resource of it also waits for something off the chain.
 */
export function modelDeploy(resources: readonly DeployResource[], table: Record<string, TypeCreationTime> = creationTimes): DeployModel {
    const { nodes, defaulted } = buildGraph(resources, table);
    const stepsTo = (last: string | undefined, paths: Map<string, { finish: number; via?: string }>): DeployStep[] => {
        const steps: DeployStep[] = [];
        for (let urn = last; urn !== undefined; urn = paths.get(urn)?.via) {
            const node = nodes.get(urn);
            const path = paths.get(urn);
            if (!node || !path) break;
            steps.unshift({ urn, type: node.resource.type, name: node.resource.name, minutes: toMinutes(node.seconds), finish: toMinutes(path.finish) });
        }
        return steps;
    };
    /** The resource done last, and when; ties go to the one recorded first. */
    const latest = (paths: Map<string, { finish: number }>): { urn?: string; finish: number } => {
        let best: { urn?: string; finish: number } = { finish: 0 };
        for (const [urn, { finish }] of paths) if (best.urn === undefined || finish > best.finish) best = { urn, finish };
        return best;
    };

    const all = longestPaths(nodes, () => true);
    const end = latest(all);
    const criticalPath = stepsTo(end.urn, all);

    const waitedOnBy = new Map<string, string[]>();
    for (const [urn, node] of nodes) {
        for (const dep of node.waitsFor) waitedOnBy.set(dep, [...(waitedOnBy.get(dep) ?? []), urn]);
    }
    const excluded = new Set<string>();
    const exclude = (urn: string) => {
        if (excluded.has(urn)) return;
        excluded.add(urn);
        for (const next of waitedOnBy.get(urn) ?? []) exclude(next);
    };
    const excludeSlow = (steps: DeployStep[]) => steps.filter((s) => s.minutes >= slowMinutes).forEach((s) => exclude(s.urn));
    excludeSlow(criticalPath);
    const chains: DeployChain[] = [];
    while (chains.length < chainCount) {
        const paths = longestPaths(nodes, (urn) => !excluded.has(urn));
        const last = latest(paths);
        if (last.urn === undefined) break;
        const steps = stepsTo(last.urn, paths);
        if (!steps.some((s) => s.minutes >= slowMinutes)) break;
        chains.push({ minutes: toMinutes(last.finish), steps });
        excludeSlow(steps);
    }

    return { minutes: toMinutes(end.finish), criticalPath, chains, defaultedTypes: [...defaulted].sort() };
}
