import { evaluatePolicies, type EvaluatedResource, type PolicyConfig, type Violation } from "../../policy/evaluate";

/**
 * Builds resources the way the harness records them, from the SDKs' real Args types, so tsc checks
 * every property name the tests use: `res(aws.rds.Instance, "db", { storageEncrypted: true, … })`.
 */

export const stack = "test";
export const urnOf = (type: string, name: string) => `urn:pulumi:${stack}::ai-platform::${type}::${name}`;

/** How the harness records an input that is unknown during preview: the key is present, the value undefined. */
export const unknownInput = undefined as any;

export interface ResOptions {
    protect?: boolean;
    dependsOn?: EvaluatedResource[];
    provider?: EvaluatedResource;
    parent?: EvaluatedResource;
    read?: boolean;
    /** The type token, for classes without a fixed one (CustomResource: `kubernetes:<apiVersion>:<kind>`). */
    type?: string;
}

export function res<TArgs>(cls: { new (name: string, args: TArgs, ...rest: any[]): unknown }, name: string, args: NoInfer<TArgs>, options: ResOptions = {}): EvaluatedResource {
    const type = options.type ?? (cls as unknown as { __pulumiType?: string }).__pulumiType;
    if (!type) throw new Error(`${cls.name} has no __pulumiType`);
    return {
        urn: urnOf(type, name),
        type,
        name,
        custom: true,
        parent: options.parent?.urn,
        inputs: structuredClone(args as Record<string, any>),
        options: {
            protect: options.protect ?? false,
            ignoreChanges: [],
            dependencies: (options.dependsOn ?? []).map((d) => d.urn),
            ...(options.provider ? { provider: `${options.provider.urn}::provider-id` } : {}),
        },
        ...(options.read ? { read: true } : {}),
    };
}

/** A provider resource (`pulumi:providers:<pkg>`) with its config inputs. */
export function provider(pkg: string, name: string, inputs: Record<string, any>): EvaluatedResource {
    const type = `pulumi:providers:${pkg}`;
    return { urn: urnOf(type, name), type, name, custom: true, inputs, options: { protect: false, ignoreChanges: [], dependencies: [] } };
}

export function component(type: string, name: string): EvaluatedResource {
    return { urn: urnOf(type, name), type, name, custom: false, inputs: {}, options: { protect: false, ignoreChanges: [], dependencies: [] } };
}

export async function evaluate(resources: EvaluatedResource[], environment: "staging" | "prod" = "prod", config?: PolicyConfig): Promise<Violation[]> {
    return evaluatePolicies(resources, { environment, ...(config ? { config } : {}) });
}

/** Violations as `policy @ resourceName` strings, for readable assertions. */
export function summary(violations: Violation[]): string[] {
    return violations.map((v) => `${v.policy} @ ${v.resourceName ?? "(stack)"}`).sort();
}

export function names(violations: Violation[]): string[] {
    return [...new Set(violations.map((v) => v.policy))].sort();
}

/** Deep-copies resources and applies a change to the one with the given name. */
export function mutate(resources: EvaluatedResource[], name: string, change: (inputs: Record<string, any>, r: EvaluatedResource) => void, type?: string): EvaluatedResource[] {
    const copy = structuredClone(resources);
    const target = copy.find((r) => r.name === name && (type === undefined || r.type === type));
    if (!target) throw new Error(`no resource named ${name}${type ? ` of type ${type}` : ""}`);
    change(target.inputs, target);
    return copy;
}

export function without(resources: EvaluatedResource[], ...names: string[]): EvaluatedResource[] {
    return structuredClone(resources.filter((r) => !names.includes(r.name)));
}

type ArgsOf<C> = C extends { new (name: string, args: infer A, ...rest: any[]): unknown } ? NonNullable<A> : never;

/** Copies the resources and overwrites some inputs of the named one, typed by the resource's Args. */
export function edit<C extends { new (name: string, args: any, ...rest: any[]): unknown }>(resources: EvaluatedResource[], cls: C, name: string, patch: Partial<ArgsOf<C>>): EvaluatedResource[] {
    return mutate(
        resources,
        name,
        (inputs, r) => {
            if (r.type !== (cls as any).__pulumiType) throw new Error(`${name} is a ${r.type}, not a ${(cls as any).__pulumiType}`);
            Object.assign(inputs, structuredClone(patch));
        },
        (cls as any).__pulumiType,
    );
}

/** Copies the resources and removes some inputs of the named one (as if the program never set them). */
export function unset<C extends { new (name: string, args: any, ...rest: any[]): unknown }>(
    resources: EvaluatedResource[],
    cls: C,
    name: string,
    ...keys: (keyof ArgsOf<C> & string)[]
): EvaluatedResource[] {
    return mutate(
        resources,
        name,
        (inputs, r) => {
            if (r.type !== (cls as any).__pulumiType) throw new Error(`${name} is a ${r.type}, not a ${(cls as any).__pulumiType}`);
            for (const key of keys) delete inputs[key];
        },
        (cls as any).__pulumiType,
    );
}

export interface ViolationCase {
    /** The policy that must fire. */
    policy: string;
    /** What is wrong, for the test name. */
    what: string;
    resources: () => EvaluatedResource[];
    /** Other policies the same change legitimately trips. */
    also?: string[];
    environment?: "staging" | "prod";
}

/** Runs violation cases: exactly `policy` (plus `also`) fires, with a remediation hint in every message. */
export function describeViolations(title: string, cases: ViolationCase[]): void {
    describe(title, () => {
        it.each(cases.map((c) => [`${c.policy}: ${c.what}`, c] as const))("%s", async (_name, c) => {
            const violations = await evaluate(c.resources(), c.environment ?? "prod");
            expect(names(violations)).toEqual([c.policy, ...(c.also ?? [])].sort());
            for (const v of violations) expect(v.message).toMatch(/Remediation: \S/);
        });
    });
}
