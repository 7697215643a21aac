import { evaluatePolicies, type Violation } from "../../policy/evaluate";
import { definitions } from "../../policy/policies";
import { runProgram, type ProgramRun, type RecordedResource } from "../../tools/engine/harness";
import { guards, securityVocabulary, unguarded, type Guard } from "./guardedProperties";

/**
 * Policies that generalise: every security or durability property the program sets on its own
 * resources is found in the program's real plans (by name, `securityVocabulary`), must be listed in
 * the catalogue (guarded or unguarded with a reason), and each guard's flip of that ONE property on
 * the real prod plan must be reported by its policy. A new property without a guard fails here.
 */

type Environment = "staging" | "prod";
interface Plan {
    label: string;
    environment: Environment;
    run: ProgramRun;
    baseline: Set<string>;
}

/** One place in one resource: `path` with `[]` for list elements, `at` the concrete keys. */
interface Location {
    resource: RecordedResource;
    path: string;
    at: (string | number)[];
    value: unknown;
}

const gcpConfig = { "ai-platform:cloud": "gcp", "gcp:project": "acme-agents", "gcp:region": "us-central1" };
const planSpecs: { label: string; environment: Environment; config?: Record<string, unknown> }[] = [
    { label: "aws/prod", environment: "prod" },
    { label: "gcp/prod", environment: "prod", config: gcpConfig },
    { label: "aws/staging", environment: "staging" },
    { label: "gcp/staging", environment: "staging", config: gcpConfig },
];

const key = (v: Violation) => `${v.policy}|${v.urn ?? ""}|${v.message}`;
const plans: Plan[] = [];

beforeAll(async () => {
    for (const spec of planSpecs) {
        // A preview, as `pulumi preview --policy-pack` sees the program (see program.test.ts).
        const run = await runProgram({ stack: spec.environment, config: spec.config, preview: true });
        const violations = await evaluatePolicies(run.resources, { environment: spec.environment });
        plans.push({ label: spec.label, environment: spec.environment, run, baseline: new Set(violations.map(key)) });
    }
}, 120_000);

/** Every place in a resource's inputs (objects, lists and values), plus its `protect` option. */
function locations(resource: RecordedResource): Location[] {
    const found: Location[] = [];
    const walk = (value: unknown, path: string, at: (string | number)[]) => {
        if (at.length > 0) found.push({ resource, path, at, value });
        if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[]`, [...at, i]));
        else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, [...at, k]);
    };
    walk(resource.inputs, "", []);
    if (resource.options.protect) found.push({ resource, path: "opts.protect", at: ["opts", "protect"], value: true });
    return found;
}

const lastKey = (path: string) => path.split(".").pop() ?? "";
/** A named input (not a list element) whose name is in the vocabulary, or the `protect` option. */
const isSecurityProperty = (path: string) => path === "opts.protect" || (!path.endsWith("[]") && securityVocabulary.test(lastKey(path)));

/** The declared resources of a plan, as the pack judges them (not providers, not reads, not components). */
const declared = (run: ProgramRun) => run.resources.filter((r) => r.custom && !r.read && !r.type.startsWith("pulumi:providers:"));

/** The security properties a plan sets: a vocabulary match with no more specific match below it. */
function securityProperties(run: ProgramRun): Location[] {
    const out: Location[] = [];
    for (const resource of declared(run)) {
        const all = locations(resource);
        for (const l of all) {
            if (!isSecurityProperty(l.path)) continue;
            const deeper = all.some(
                (d) => d.at.length > l.at.length && d.path.startsWith(`${l.path}`) && JSON.stringify(d.at.slice(0, l.at.length)) === JSON.stringify(l.at) && isSecurityProperty(d.path),
            );
            if (!deeper) out.push(l);
        }
    }
    return out;
}

const matchesUnguarded = (type: string, path: string) => unguarded.find((u) => u.type === type && (u.path === path || (u.path.endsWith(".**") && path.startsWith(u.path.slice(0, -2)))));
const findGuard = (type: string, path: string) => guards.find((g) => g.type === type && g.path === path);

/** A copy of the plan's resources with the guard's flip applied at one location. */
function flipped(run: ProgramRun, target: Location, guard: Guard): RecordedResource[] {
    return run.resources.map((r) => {
        if (r !== target.resource) return r;
        const copy: RecordedResource = structuredClone(r);
        if (target.path === "opts.protect") {
            copy.options.protect = (guard.flip as { set: boolean }).set;
            return copy;
        }
        // Resource policies see the inputs, stack policies the state the engine recorded: both change.
        for (const root of [copy.inputs, copy.state]) {
            let node: Record<string | number, unknown> | undefined = root;
            for (const step of target.at.slice(0, -1)) node = node?.[step] as Record<string | number, unknown> | undefined;
            if (node === undefined || node === null) continue;
            const last = target.at[target.at.length - 1];
            if ("remove" in guard.flip) delete node[last];
            else node[last] = structuredClone(guard.flip.set);
        }
        return copy;
    });
}

/** Where a guard's flip changes something: the first location of its path, prod plans first. */
function flipTarget(guard: Guard): { plan: Plan; location: Location } | undefined {
    for (const plan of plans) {
        for (const resource of declared(plan.run).filter((r) => r.type === guard.type && (guard.where?.(r.inputs) ?? true))) {
            const location = locations(resource).find((l) => l.path === guard.path && ("remove" in guard.flip || JSON.stringify(l.value) !== JSON.stringify(guard.flip.set)));
            if (location) return { plan, location };
        }
    }
    return undefined;
}

describe("the catalogue of guarded properties", () => {
    it("lists every security or durability property the program sets, on both clouds and both stacks", () => {
        const unlisted = new Set<string>();
        for (const plan of plans) {
            for (const l of securityProperties(plan.run)) {
                if (!findGuard(l.resource.type, l.path) && !matchesUnguarded(l.resource.type, l.path)) unlisted.add(`${l.resource.type} ${l.path} (${plan.label}, e.g. "${l.resource.name}")`);
            }
        }
        expect([...unlisted].sort()).toEqual([]);
    });

    it("names only policies of the pack, gives every unguarded property a reason, and lists nothing twice", () => {
        const policies = new Set(definitions.map((d) => d.policy.name));
        expect(guards.filter((g) => !policies.has(g.policy)).map((g) => g.policy)).toEqual([]);
        expect(unguarded.filter((u) => u.reason.trim().length < 20)).toEqual([]);
        const entries = [...guards, ...unguarded].map((e) => `${e.type} ${e.path}`);
        expect(entries.filter((e, i) => entries.indexOf(e) !== i)).toEqual([]);
    });

    it("has no stale unguarded entry: each still matches a property of some plan", () => {
        const stale = unguarded.filter((u) => !plans.some((plan) => securityProperties(plan.run).some((l) => matchesUnguarded(l.resource.type, l.path) === u)));
        expect(stale.map((u) => `${u.type} ${u.path}`)).toEqual([]);
    });

    it("a property the program starts to set without a guard is caught", () => {
        const plan = plans[0];
        const bucket = declared(plan.run).find((r) => r.type === "aws:s3/bucket:Bucket")!;
        const run = {
            ...plan.run,
            resources: [...plan.run.resources, { ...structuredClone(bucket), inputs: { ...bucket.inputs, accelerationStatus: "Enabled", publicReadAccess: false } }],
        } as ProgramRun;
        const found = securityProperties(run).filter((l) => !findGuard(l.resource.type, l.path) && !matchesUnguarded(l.resource.type, l.path));
        expect(found.map((l) => l.path)).toEqual(["publicReadAccess"]);
    });
});

describe("each guarded property, flipped alone on the program's real plan, is reported by its policy", () => {
    it.each(guards.map((g) => [`${g.policy}: ${g.type.split(":").pop()} ${g.path} → ${"remove" in g.flip ? "removed" : JSON.stringify(g.flip.set)}`, g] as const))("%s", async (_name, guard) => {
        const target = flipTarget(guard);
        if (!target) throw new Error(`no plan sets ${guard.type} ${guard.path} to anything but the flip's value: drop the guard or fix its path`);
        const { plan, location } = target;
        const violations = await evaluatePolicies(flipped(plan.run, location, guard), { environment: plan.environment });
        const fresh = violations.filter((v) => !plan.baseline.has(key(v)));
        expect({ plan: plan.label, resource: location.resource.name, reported: fresh.some((v) => v.policy === guard.policy) }).toEqual({
            plan: plan.label,
            resource: location.resource.name,
            reported: true,
        });
        // Prod plans must be refused, not merely warned.
        if (plan.environment === "prod") expect(fresh.filter((v) => v.policy === guard.policy).every((v) => v.enforcementLevel === "mandatory")).toBe(true);
    });
});
