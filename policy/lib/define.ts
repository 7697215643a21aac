import type {
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidation,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { engineProps } from "./values";

/**
 * How every policy of the pack is declared: a stable kebab-case name, a severity, a remediation hint
 * that is appended to every violation message, optional config with defaults, and the catalogue
 * data the docs table is rendered from.
 */

export type Category = "security" | "durability" | "resilience" | "governance";

export interface PolicyMeta {
    category: Category;
    /** The resource types (as `pkg.module.Type` or a short description) the policy looks at. */
    resources: string;
    /** What it checks, one sentence for the docs table. */
    checks: string;
    /** The seed checklist item it covers (`000`: RAAF guide, `001`: Ralph production guide). */
    seed: string;
}

interface Common extends PolicyMeta {
    name: string;
    description: string;
    severity: Severity;
    /** How to fix a violation; appended to every message. */
    remediation: string;
    configSchema?: PolicyConfigSchema;
}

export type PackPolicy = ResourceValidationPolicy | StackValidationPolicy;

export interface PolicyDefinition {
    policy: PackPolicy;
    meta: PolicyMeta;
}

const kebab = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function check(def: Common): void {
    if (!kebab.test(def.name)) throw new Error(`policy name "${def.name}" is not kebab-case`);
    if (def.configSchema?.properties && "enforcementLevel" in def.configSchema.properties) throw new Error(`${def.name}: enforcementLevel cannot be a config property`);
}

/** The schema defaults of a policy's config, as the CLI fills them in. */
export function configDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(schema?.properties ?? {})) {
        if (prop.default !== undefined) out[key] = structuredClone(prop.default);
    }
    return out;
}

function withHint(report: ReportViolation, remediation: string): ReportViolation {
    return (message: string, urn?: string) => report(`${message.replace(/\s*$/, "")} Remediation: ${remediation}`, urn);
}

function withDefaults<T extends { getConfig<C extends object>(): C }>(args: T, schema: PolicyConfigSchema | undefined): T["getConfig"] {
    const defaults = configDefaults(schema);
    return (<C extends object>() => ({ ...defaults, ...(args.getConfig<C>() ?? {}) }) as C) as T["getConfig"];
}

function wrapResourceValidation(validation: ResourceValidation, def: Common): ResourceValidation {
    const wrapped: ResourceValidation = (args, report) => {
        const props = engineProps(args.props);
        const engineArgs: ResourceValidationArgs = {
            ...args,
            props,
            asType: ((cls: Parameters<ResourceValidationArgs["isType"]>[0]) => (args.isType(cls) ? props : undefined)) as ResourceValidationArgs["asType"],
            getConfig: withDefaults(args, def.configSchema),
        };
        return validation(engineArgs, withHint(report, def.remediation));
    };
    // Keep the type filter `validateResourceOfType` attaches, so the engine skips other types cheaply.
    const pulumiType = (validation as { __pulumiType?: string }).__pulumiType;
    if (pulumiType) (wrapped as { __pulumiType?: string }).__pulumiType = pulumiType;
    return wrapped;
}

function metaOf(def: Common): PolicyMeta {
    return { category: def.category, resources: def.resources, checks: def.checks, seed: def.seed };
}

function base(def: Common) {
    return {
        name: def.name,
        description: def.description,
        severity: def.severity,
        remediationSteps: def.remediation,
        tags: [def.category],
        ...(def.configSchema ? { configSchema: def.configSchema } : {}),
    };
}

export function resourcePolicy(def: Common & { validateResource: ResourceValidation | ResourceValidation[] }): PolicyDefinition {
    check(def);
    const validations = Array.isArray(def.validateResource) ? def.validateResource : [def.validateResource];
    const wrapped = validations.map((v) => wrapResourceValidation(v, def));
    const policy: ResourceValidationPolicy = { ...base(def), validateResource: wrapped.length === 1 ? wrapped[0] : wrapped };
    return { policy, meta: metaOf(def) };
}

export function stackPolicy(def: Common & { validateStack: StackValidation }): PolicyDefinition {
    check(def);
    const validateStack: StackValidation = (args, report) => {
        const stackArgs: StackValidationArgs = { ...args, getConfig: withDefaults(args, def.configSchema) };
        return def.validateStack(stackArgs, withHint(report, def.remediation));
    };
    const policy: StackValidationPolicy = { ...base(def), validateStack };
    return { policy, meta: metaOf(def) };
}
