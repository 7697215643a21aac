import { projectName, runProgram, type ProgramRun } from "../engine/harness";
import { modelDeploy, type DeployModel } from "./deploy";
import { loadPolicyEvaluator, mandatoryViolations, runPolicyStep, type PolicyEvaluator, type PolicyReport } from "./policyStep";

/** Who the plan is about: the header of every report. */
export interface StackIdentity {
    project: string;
    stack: string;
    cloud: string;
    region: string;
    environment: string;
}

export interface Plan {
    identity: StackIdentity;
    /** Everything the program declared, recorded by the same harness the tests use. */
    run: ProgramRun;
    policy: PolicyReport;
    /** The first `pulumi up` modeled from the run's dependencies and typical creation times. */
    deploy: DeployModel;
}

export interface PlanOptions {
    stack: string;
    /** Overrides in `pulumi config set` form (see `parseConfigArgs`). */
    config?: Record<string, unknown>;
    /** Secret settings, as `pulumi config set --secret` (see `--secret`). */
    secrets?: Record<string, string>;
    /** Another entry point than `index.ts`; tests use a fixture program. */
    program?: string;
    /** The policy evaluator; the default loads `policy/evaluate.ts` when the checkout has it. */
    evaluator?: PolicyEvaluator;
}

/**
 * Evaluates the program for a stack under the harness's engine mocks and judges it with the policy
 * pack. It only observes: the program runs exactly as under the tests and the real engine. Rejects
 * with the program's own error, for example a `SettingsError` for bad config.
 */
export async function planStack(options: PlanOptions): Promise<Plan> {
    // A preview, as `pulumi preview --policy-pack` is: what the mocks do not compute stays unknown
    // rather than looking like a setting the program left out.
    const run = await runProgram({ stack: options.stack, config: options.config, secrets: options.secrets, program: options.program, preview: true });
    const identity = identityOf(run);
    const policy = await runPolicyStep(run, identity.environment, options.evaluator ?? loadPolicyEvaluator());
    return { identity, run, policy, deploy: modelDeploy(run.resources) };
}

/**
 * The stack's cloud, environment and region as the program resolved them (its `cloud`, `environment`
 * and `region` outputs), falling back to the raw config for programs that do not export them.
 */
export function identityOf(run: Pick<ProgramRun, "stack" | "outputs" | "config">): StackIdentity {
    const output = (name: string): string | undefined => {
        const o = run.outputs[name];
        return o && !o.secret && typeof o.value === "string" ? o.value : undefined;
    };
    const cloud = output("cloud") ?? run.config[`${projectName}:cloud`] ?? "aws";
    return {
        project: projectName,
        stack: run.stack,
        cloud,
        region: output("region") ?? run.config[`${cloud}:region`] ?? "(not set)",
        environment: output("environment") ?? run.config[`${projectName}:environment`] ?? run.stack,
    };
}

/** 1 when a mandatory policy is violated (`pulumi up` would be blocked), else 0. */
export function planExitCode(plan: Pick<Plan, "policy">): 0 | 1 {
    return mandatoryViolations(plan.policy).length > 0 ? 1 : 0;
}
