import * as fs from "fs";
import * as path from "path";
import type { ProgramRun, RecordedResource } from "../engine/harness";
import { repoRoot } from "../engine/harness";

/**
 * The plan's one door to the policy pack (`policy/evaluate.ts`). The pack is loaded lazily, inside
 * the step, so the plan starts fast and a checkout without the pack still plans; tests hand in their
 * own evaluator. Types come from the pack (type-only imports load nothing at run time).
 */

import type { EnforcementLevel, EvaluatedResource, PolicyConfig, Severity, Violation as PackViolation } from "../../policy/evaluate";

export type { EnforcementLevel, EvaluatedResource, PolicyConfig, Severity };
export type PolicyEnvironment = "staging" | "prod";

export interface Violation extends PackViolation {
    /** Not part of the pack's interface; shown when a pack supplies it, else `description` says what is required. */
    remediation?: string;
}

export interface PolicyReport {
    /** `evaluated`: the pack ran; `unavailable`: no pack in this checkout; `skipped`: no policy environment. */
    status: "evaluated" | "unavailable" | "skipped";
    environment?: PolicyEnvironment;
    /** Why the pack did not run, for the report. */
    reason?: string;
    /** Mandatory first, then advisory; by severity, policy and resource within each. */
    violations: Violation[];
    /**
     * Policies that prod enforces as mandatory and this environment's policy config relaxes to
     * advisory: their violations are expected here (staging trades redundancy and protection for
     * cost on purpose). Empty in prod.
     */
    relaxed?: string[];
}

/** What the plan needs from the pack: `loadPolicyConfig` and `evaluatePolicies` of `policy/evaluate.ts`. */
export interface PolicyEvaluator {
    loadPolicyConfig(environment: PolicyEnvironment): PolicyConfig;
    evaluatePolicies(resources: EvaluatedResource[], options: { environment: PolicyEnvironment; config?: PolicyConfig; stackConfig?: Record<string, string> }): Promise<Violation[]>;
}

export const policyModule = path.join(repoRoot, "policy", "evaluate.ts");

export function hasPolicyPack(): boolean {
    return fs.existsSync(policyModule);
}

/** The real pack, loaded now (not at start-up); undefined when this checkout has none. */
export function loadPolicyEvaluator(): PolicyEvaluator | undefined {
    if (!hasPolicyPack()) return undefined;
    // Lazy on purpose: the pack pulls in @pulumi/policy, which the plan needs only at this step.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("../../policy/evaluate") as PolicyEvaluator;
}

/** A recorded resource in the shape policies read: unwrapped inputs and the options they check. */
export function toEvaluatedResource(resource: RecordedResource): EvaluatedResource {
    return {
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        parent: resource.parent,
        custom: resource.custom,
        read: resource.read,
        inputs: resource.inputs,
        options: {
            protect: resource.options.protect,
            ignoreChanges: resource.options.ignoreChanges,
            provider: resource.options.provider,
            dependencies: resource.options.dependencies,
        },
    };
}

const severityOrder: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function sortViolations(violations: readonly Violation[]): Violation[] {
    const level = (v: Violation) => (v.enforcementLevel === "mandatory" ? 0 : 1);
    return [...violations].sort(
        (a, b) => level(a) - level(b) || (severityOrder[a.severity] ?? 9) - (severityOrder[b.severity] ?? 9) || a.policy.localeCompare(b.policy) || (a.urn ?? "").localeCompare(b.urn ?? ""),
    );
}

export function isPolicyEnvironment(environment: string): environment is PolicyEnvironment {
    return environment === "staging" || environment === "prod";
}

/**
 * Runs every policy of the pack over every resource (and the stack policies over the whole set) with
 * the enforcement levels of the environment's policy config, exactly as `pulumi preview --policy-pack`
 * would judge the same resources.
 */
export async function runPolicyStep(run: Pick<ProgramRun, "resources"> & Partial<Pick<ProgramRun, "config">>, environment: string, evaluator: PolicyEvaluator | undefined): Promise<PolicyReport> {
    if (!isPolicyEnvironment(environment)) {
        return { status: "skipped", reason: `the environment "${environment}" has no policy config (staging or prod)`, violations: [] };
    }
    if (!evaluator) {
        return { status: "unavailable", environment, reason: `no policy pack at ${path.relative(repoRoot, policyModule)}`, violations: [] };
    }
    const config = evaluator.loadPolicyConfig(environment);
    // Only the providers' own config: the engine builds default providers from it, and secrets stay out.
    const stackConfig = run.config ? Object.fromEntries(Object.entries(run.config).filter(([key]) => /^(aws|gcp):/.test(key))) : undefined;
    const violations = await evaluator.evaluatePolicies(run.resources.map(toEvaluatedResource), { environment, config, ...(stackConfig ? { stackConfig } : {}) });
    const relaxed = environment === "prod" ? [] : relaxedPolicies(config, evaluator.loadPolicyConfig("prod"));
    return { status: "evaluated", environment, violations: sortViolations(violations), relaxed };
}

/** A policy's level in a pack config: its own entry, else the `all` entry, else not configured. */
export function configuredLevel(config: PolicyConfig, policy: string): string | undefined {
    const level = (entry: unknown) => (typeof entry === "string" ? entry : typeof entry === "object" && entry !== null ? (entry as { enforcementLevel?: string }).enforcementLevel : undefined);
    return level(config[policy]) ?? level(config.all);
}

/** Policies advisory in `config` that `prod` makes mandatory. */
export function relaxedPolicies(config: PolicyConfig, prod: PolicyConfig): string[] {
    const named = new Set([...Object.keys(config), ...Object.keys(prod)].filter((name) => name !== "all"));
    return [...named].filter((name) => configuredLevel(config, name) === "advisory" && configuredLevel(prod, name) === "mandatory").sort();
}

/** Advisory violations of relaxed policies: expected in this environment. */
export function expectedViolations(report: PolicyReport): Violation[] {
    const relaxed = new Set(report.relaxed ?? []);
    return advisoryViolations(report).filter((v) => relaxed.has(v.policy));
}

export function mandatoryViolations(report: PolicyReport): Violation[] {
    return report.violations.filter((v) => v.enforcementLevel === "mandatory");
}

export function advisoryViolations(report: PolicyReport): Violation[] {
    return report.violations.filter((v) => v.enforcementLevel === "advisory");
}
