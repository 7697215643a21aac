import type { ResourceOptionsRecord } from "../engine/harness";
import { costJson, planCost, planLlmCeiling, type PlanCostJson } from "./cost";
import { maskedInputs, maskedOutput, scrubSecrets, secretStrings } from "./mask";
import type { Plan, StackIdentity } from "./planStack";
import { planExitCode } from "./planStack";
import { advisoryViolations, mandatoryViolations, type PolicyReport, type Violation } from "./policyStep";
import { countByType } from "./tree";
import type { DeployChain, DeployStep } from "./deploy";

/** Bumped when a consumer of `--json` would have to change. */
export const planJsonVersion = 1;

export interface PlanJsonResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    custom: boolean;
    /** True for resources read with `.get()` rather than created. */
    read: boolean;
    /** As recorded; `provider` is the explicit provider's URN. */
    options: ResourceOptionsRecord;
    /** Inputs as the program declared them; every secret value is `[secret]`. */
    inputs: Record<string, unknown>;
    /** Which input paths were secret (dotted; keys may contain dots). */
    secretPaths: string[];
}

export interface PlanJson {
    version: number;
    /** Always true: the plan runs under engine mocks and never talks to a cloud. */
    offline: true;
    project: string;
    stack: string;
    cloud: string;
    region: string;
    environment: string;
    resources: PlanJsonResource[];
    outputs: Record<string, { value: unknown; secret: boolean }>;
    policy: { status: PolicyReport["status"]; environment?: string; reason?: string };
    violations: Violation[];
    /** The estimated monthly cost; its items sum to `monthly`. */
    cost: PlanCostJson;
    /** The modeled first `pulumi up`: minutes until the last resource exists, and what sets that time. */
    deploy: {
        minutes: number;
        criticalPath: DeployStep[];
        /** The longest chains that share no slow resource with the critical path or each other. */
        chains: DeployChain[];
        /** Types the creation-time table does not list (counted with its default). */
        defaultedTypes: string[];
    };
    summary: {
        resources: number;
        customResources: number;
        components: number;
        byType: Record<string, number>;
        outputs: number;
        mandatoryViolations: number;
        advisoryViolations: number;
        /** The plan's exit status: 0 passes, 1 has a mandatory violation. */
        exitCode: 0 | 1;
    };
}

/**
 * The plan as data, for CI and review tools. Deterministic (no timestamps; resources in the order the
 * run recorded them), so two plans can be diffed; every secret is masked.
 */
export function planToJson(plan: Plan): PlanJson {
    const { run, policy } = plan;
    const identity: StackIdentity = plan.identity;
    const counts = countByType(run.resources);
    const json: PlanJson = {
        version: planJsonVersion,
        offline: true,
        ...identity,
        resources: run.resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            ...(r.parent ? { parent: r.parent } : {}),
            custom: r.custom,
            read: r.read,
            options: { ...r.options, ...(r.options.provider ? { provider: providerUrn(r.options.provider) } : {}) },
            inputs: maskedInputs(r),
            secretPaths: r.secretPaths,
        })),
        outputs: Object.fromEntries(Object.entries(run.outputs).map(([name, o]) => [name, { value: maskedOutput(o), secret: o.secret }])),
        policy: { status: policy.status, ...(policy.environment ? { environment: policy.environment } : {}), ...(policy.reason ? { reason: policy.reason } : {}) },
        violations: policy.violations,
        cost: costJson(planCost(plan), planLlmCeiling(plan)),
        deploy: { minutes: plan.deploy.minutes, criticalPath: plan.deploy.criticalPath, chains: plan.deploy.chains, defaultedTypes: plan.deploy.defaultedTypes },
        summary: {
            resources: counts.total,
            customResources: counts.custom,
            components: counts.components,
            byType: Object.fromEntries(counts.byType.map(({ type, count }) => [type, count])),
            outputs: Object.keys(run.outputs).length,
            mandatoryViolations: mandatoryViolations(policy).length,
            advisoryViolations: advisoryViolations(policy).length,
            exitCode: planExitCode(plan),
        },
    };
    // Paths mask the secrets where the program declared them; scrubbing catches copies elsewhere,
    // such as a policy message quoting a value.
    return scrubSecrets(json, secretStrings(run));
}

/** A provider reference is `<urn>::<id>`; the id is meaningless offline, so the JSON names the URN. */
export function providerUrn(reference: string): string {
    const parts = reference.split("::");
    return parts.length > 4 ? parts.slice(0, 4).join("::") : reference;
}

export function renderJson(plan: Plan): string {
    return `${JSON.stringify(planToJson(plan), null, 2)}\n`;
}
