import { runProgram, type ProgramRun, type RecordedResource } from "../harness";

/**
 * The one place the workloads tests say what they run. Until the foundations are merged this is the
 * fixture program (the workloads on a stand-in foundation); afterwards, switch `program` to the real
 * `index.ts` (drop the option) and `readyResourceTypes` to the foundations' node group / node pool types.
 */
const program = require.resolve("../fixtures/workloadsProgram");

export type Cloud = "aws" | "gcp";
export type Stack = "staging" | "prod";

/** Types of the foundation's `cluster.readyResources` in the program under test. */
export const readyResourceTypes = ["ai-platform:test:NodePool", "aws:eks/nodeGroup:NodeGroup", "gcp:container/nodePool:NodePool"];

/** The stack's example config on the given cloud, plus overrides in `pulumi config set` form. */
export function workloadsConfig(cloud: Cloud, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const onGcp = cloud === "gcp" ? { "ai-platform:cloud": "gcp", "gcp:project": "ai-platform-test", "gcp:region": "us-central1" } : { "ai-platform:cloud": "aws" };
    return { ...onGcp, ...overrides };
}

export function runWorkloads(stack: Stack, cloud: Cloud, overrides: Record<string, unknown> = {}): Promise<ProgramRun> {
    return runProgram({ stack, program, config: workloadsConfig(cloud, overrides) });
}

export const combinations: [Stack, Cloud][] = [
    ["staging", "aws"],
    ["staging", "gcp"],
    ["prod", "aws"],
    ["prod", "gcp"],
];

/** Kubernetes objects the program declares (not components, not providers, not reads). */
export function kubernetesObjects(run: ProgramRun): RecordedResource[] {
    return run.resources.filter((r) => r.custom && !r.read && r.type.startsWith("kubernetes:"));
}

/** Kinds that run pods, with where their pod template is. */
export const podTemplatePath: Record<string, (inputs: any) => any> = {
    "kubernetes:apps/v1:Deployment": (i) => i.spec.template,
    "kubernetes:apps/v1:StatefulSet": (i) => i.spec.template,
    "kubernetes:apps/v1:DaemonSet": (i) => i.spec.template,
    "kubernetes:batch/v1:Job": (i) => i.spec.template,
    "kubernetes:batch/v1:CronJob": (i) => i.spec.jobTemplate.spec.template,
};

/** The one Kubernetes object of a type whose `metadata.name` is `name`. */
export function byName(run: ProgramRun, type: string, name: string): RecordedResource {
    const matches = run.ofType(type).filter((r) => r.inputs.metadata?.name === name);
    if (matches.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${matches.length}`);
    return matches[0];
}
