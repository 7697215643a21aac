import * as fs from "fs";
import * as path from "path";
import type {
    Policies,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { configDefaults } from "./lib/define";
import { validateConfig } from "./lib/schema";
import { engineProps, isUnknownValueError } from "./lib/values";
import { packEnforcementLevel, packName, policies as packPolicies } from "./policies";

/**
 * Runs the pack's policies over recorded resources the way the Pulumi engine runs a policy pack
 * (`@pulumi/policy`'s analyzer server), without the gRPC server: the same argument bags, the same
 * enforcement-level resolution (`all`, per-policy config, the policy's own level, the pack's level),
 * schema defaults filled into `getConfig()`, disabled policies skipped, not-applicable results
 * dropped, and a policy that reads a value unknown during preview reported as advisory.
 */

export type EnforcementLevel = "mandatory" | "advisory" | "disabled";
export type Severity = "critical" | "high" | "medium" | "low";

/** Structurally compatible with tools/engine/harness.ts RecordedResource. */
export interface EvaluatedResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    custom: boolean;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON in each resource type's own schema, as @pulumi/policy's `props`
    inputs: Record<string, any>;
    options: { protect: boolean; ignoreChanges: string[]; provider?: string; dependencies: string[] };
    /** Resources read with `.get()`: the engine runs stack policies, not resource policies, over them. */
    read?: boolean;
}

export interface Violation {
    policy: string;
    description: string;
    severity: Severity;
    enforcementLevel: "mandatory" | "advisory";
    urn?: string;
    resourceType?: string;
    resourceName?: string;
    /** Includes the remediation hint. */
    message: string;
}

export interface PolicyConfig {
    [policyName: string]: EnforcementLevel | { enforcementLevel?: EnforcementLevel; [prop: string]: unknown };
}

export const configDir = path.join(__dirname, "config");

/** Reads policy/config/<environment>.json. */
export function loadPolicyConfig(environment: "staging" | "prod"): PolicyConfig {
    const file = path.join(configDir, `${environment}.json`);
    return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyConfig;
}

type AnyLevel = EnforcementLevel | "remediate";
const levels: readonly AnyLevel[] = ["mandatory", "advisory", "disabled", "remediate"];

export interface ResolvedPolicyConfig {
    enforcementLevel: AnyLevel;
    /** Config properties with schema defaults applied (what `getConfig()` returns). */
    properties: Record<string, unknown>;
}

/**
 * Reconciles a pack config with the policies as the CLI does before it configures the analyzer:
 * `all` sets every policy's level, a policy's own entry overrides it, schema defaults fill in the
 * properties not given, and the result is validated against each policy's schema. Unknown policy
 * names and invalid values are errors, as a typo in a config file must not silently relax a policy.
 */
export function resolvePolicyConfig(policies: Policies, config: PolicyConfig = {}): Map<string, ResolvedPolicyConfig> {
    const problems: string[] = [];
    const names = new Set(policies.map((p) => p.name));
    for (const key of Object.keys(config)) {
        if (key !== "all" && !names.has(key)) problems.push(`"${key}" is not a policy of this pack`);
    }
    const levelOf = (value: unknown, where: string): AnyLevel | undefined => {
        if (value === undefined) return undefined;
        if (typeof value === "string" && (levels as readonly string[]).includes(value)) return value as AnyLevel;
        problems.push(`${where}: enforcement level must be one of ${levels.join(", ")}, got ${JSON.stringify(value)}`);
        return undefined;
    };
    const all = config.all;
    const allLevel = levelOf(typeof all === "object" && all !== null ? all.enforcementLevel : all, "all");

    const resolved = new Map<string, ResolvedPolicyConfig>();
    for (const policy of policies) {
        const entry = config[policy.name];
        const { enforcementLevel: entryLevel, ...given } = typeof entry === "object" && entry !== null ? entry : { enforcementLevel: entry };
        const level = levelOf(entryLevel, policy.name) ?? allLevel ?? (policy.enforcementLevel as AnyLevel | undefined) ?? packEnforcementLevel;
        const properties = { ...configDefaults(policy.configSchema), ...given };
        problems.push(...validateConfig(policy.configSchema, properties).map((p) => `${policy.name}: ${p}`));
        resolved.set(policy.name, { enforcementLevel: level, properties });
    }
    if (problems.length > 0) throw new Error(`invalid policy pack config:\n  - ${problems.join("\n  - ")}`);
    return resolved;
}

class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "not applicable");
    }
}
const notApplicable = (reason?: string): never => {
    throw new NotApplicableError(reason);
};

function isTypeOf(type: string, resourceClass: unknown): boolean {
    const cls = resourceClass as { __pulumiType?: unknown; isInstance?: (o: unknown) => boolean } | undefined;
    const pulumiType = typeof cls?.__pulumiType === "string" ? cls.__pulumiType : undefined;
    if (pulumiType) return type === pulumiType;
    return typeof cls?.isInstance === "function" && cls.isInstance({ __pulumiResource: true, __pulumiType: type });
}

function isResourcePolicy(p: unknown): p is ResourceValidationPolicy {
    const validate = (p as { validateResource?: unknown }).validateResource;
    return typeof validate === "function" || (Array.isArray(validate) && validate.every((v: unknown) => typeof v === "function"));
}

function isStackPolicy(p: unknown): p is StackValidationPolicy {
    return typeof (p as { validateStack?: unknown }).validateStack === "function";
}

function optionsOf(r: EvaluatedResource): PolicyResourceOptions {
    return {
        protect: r.options.protect,
        ignoreChanges: r.options.ignoreChanges ?? [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: (r.options as { additionalSecretOutputs?: string[] }).additionalSecretOutputs ?? [],
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

/**
 * The provider the engine would register for a resource that names none: `pulumi:providers:<package>`
 * configured from the stack config of that package (`aws:region` → `region`), as the engine's default
 * providers are. Without config for the package there is nothing to tell, so none.
 */
function defaultProviderOf(r: EvaluatedResource, stackConfig: Record<string, string> | undefined): PolicyProviderResource | undefined {
    const pkg = r.type.split(":")[0];
    const props = Object.fromEntries(
        Object.entries(stackConfig ?? {})
            .filter(([key]) => key.startsWith(`${pkg}:`))
            .map(([key, value]) => [key.slice(pkg.length + 1), value]),
    );
    if (Object.keys(props).length === 0 || r.type.startsWith("pulumi:providers:")) return undefined;
    const [, stackAndProject] = /^urn:pulumi:([^:]+::[^:]+)::/.exec(r.urn) ?? [];
    const type = `pulumi:providers:${pkg}`;
    return { type, props: engineProps(props), urn: `urn:pulumi:${stackAndProject ?? "stack::project"}::${type}::default`, name: "default" };
}

/** The provider a resource was registered with: `urn::id` references resolve to the recorded provider. */
function providerOf(r: EvaluatedResource, byUrn: Map<string, EvaluatedResource>, stackConfig?: Record<string, string>): PolicyProviderResource | undefined {
    const ref = r.options.provider;
    if (!ref) return defaultProviderOf(r, stackConfig);
    const urn = byUrn.has(ref) ? ref : ref.slice(0, ref.lastIndexOf("::"));
    const provider = byUrn.get(urn);
    if (!provider) return undefined;
    return { type: provider.type, props: engineProps(provider.inputs), urn: provider.urn, name: provider.name };
}

/** What stack policies see of a resource: its state where recorded (the engine passes outputs), else its inputs. */
function stackPropsOf(r: EvaluatedResource): EvaluatedResource["inputs"] {
    const state = (r as { state?: EvaluatedResource["inputs"] }).state;
    return state && Object.keys(state).length > 0 ? state : r.inputs;
}

export interface EvaluateOptions {
    environment: "staging" | "prod";
    /** Pack config; defaults to `policy/config/<environment>.json`. */
    config?: PolicyConfig;
    /** Policies to run; defaults to the pack's. */
    policies?: Policies;
    /** The stack's config (`aws:region`, …), from which resources without an explicit provider get the engine's default one. */
    stackConfig?: Record<string, string>;
}

/** Runs every resource policy over every custom resource (components skipped) and every stack policy over the set. */
export async function evaluatePolicies(resources: EvaluatedResource[], options: EvaluateOptions): Promise<Violation[]> {
    const policies = options.policies ?? packPolicies;
    const resolved = resolvePolicyConfig(policies, options.config ?? loadPolicyConfig(options.environment));
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const violations: Violation[] = [];
    const stackTags: ReadonlyMap<string, string> = new Map();
    // Policies only read their props, so each resource's engine-form props and provider are built once.
    const engineViews = new Map(resources.map((r) => [r.urn, { props: engineProps(r.inputs), provider: providerOf(r, byUrn, options.stackConfig) }]));
    let stackResources: PolicyResource[] | undefined;

    for (const policy of policies) {
        const { enforcementLevel, properties } = resolved.get(policy.name)!;
        if (enforcementLevel === "disabled") continue;
        const level = enforcementLevel === "remediate" ? "mandatory" : enforcementLevel;
        const getConfig = <T extends object>() => structuredClone(properties) as T;
        const base = { policy: policy.name, description: policy.description, severity: (policy.severity ?? "medium") as Severity, enforcementLevel: level };
        const cannotRun = (e: unknown, target?: EvaluatedResource): Violation => ({
            ...base,
            enforcementLevel: "advisory",
            ...(target ? { urn: target.urn, resourceType: target.type, resourceName: target.name } : {}),
            message: `can't run policy '${policy.name}' from policy pack '${packName}' during preview: ${(e as Error).message}`,
        });

        if (isResourcePolicy(policy) && policy.validateResource) {
            const validations: ResourceValidation[] = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
            const onlyType = validations.length === 1 ? (validations[0] as { __pulumiType?: string }).__pulumiType : undefined;
            for (const r of resources) {
                if (!r.custom || r.read) continue;
                if (onlyType && r.type !== onlyType) continue;
                const report: ReportViolation = (message) => violations.push({ ...base, urn: r.urn, resourceType: r.type, resourceName: r.name, message });
                for (const validation of validations) {
                    // A typed validation (validateResourceOfType) of another type is not applicable: skip the call.
                    const validationType = (validation as { __pulumiType?: string }).__pulumiType;
                    if (validationType && validationType !== r.type) continue;
                    const { props, provider } = engineViews.get(r.urn)!;
                    const args: ResourceValidationArgs = {
                        type: r.type,
                        props,
                        urn: r.urn,
                        name: r.name,
                        opts: optionsOf(r),
                        stackTags,
                        isType: (cls) => isTypeOf(r.type, cls),
                        asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
                        getConfig,
                        notApplicable,
                        ...(provider ? { provider } : {}),
                    };
                    try {
                        await validation(args, report);
                    } catch (e) {
                        if (e instanceof NotApplicableError) continue;
                        if (isUnknownValueError(e)) violations.push(cannotRun(e, r));
                        else throw new Error(`Error validating resource ${r.urn} with policy '${policy.name}': ${(e as Error).stack ?? e}`, { cause: e });
                    }
                }
            }
        }

        if (isStackPolicy(policy)) {
            stackResources ??= buildStackResources(resources, byUrn, options.stackConfig);
            const report: ReportViolation = (message, urn) => {
                const target = urn ? byUrn.get(urn) : undefined;
                violations.push({ ...base, ...(urn ? { urn } : {}), ...(target ? { resourceType: target.type, resourceName: target.name } : {}), message });
            };
            const args: StackValidationArgs = { resources: stackResources, stackTags, getConfig, notApplicable };
            try {
                await policy.validateStack(args, report);
            } catch (e) {
                if (e instanceof NotApplicableError) continue;
                if (isUnknownValueError(e)) violations.push(cannotRun(e));
                else throw new Error(`Error validating stack with policy '${policy.name}': ${(e as Error).stack ?? e}`, { cause: e });
            }
        }
    }
    return violations;
}

/** The engine's view of the stack: every resource (components too), parents and dependencies linked. */
function buildStackResources(resources: EvaluatedResource[], byUrn: Map<string, EvaluatedResource>, stackConfig?: Record<string, string>): PolicyResource[] {
    const out = new Map<string, PolicyResource>();
    for (const r of resources) {
        const props = engineProps(stackPropsOf(r));
        const provider = providerOf(r, byUrn, r.custom ? stackConfig : undefined);
        out.set(r.urn, {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: optionsOf(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => isTypeOf(r.type, cls),
            asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
            ...(provider ? { provider } : {}),
        });
    }
    for (const r of resources) {
        const node = out.get(r.urn)!;
        if (r.parent && out.has(r.parent)) node.parent = out.get(r.parent);
        node.dependencies = r.options.dependencies.map((d) => out.get(d)).filter((d): d is PolicyResource => d !== undefined);
    }
    return [...out.values()];
}
