import { kubernetesNames } from "../../components/contract";
import { runProgram, type ProgramRun, type RecordedResource } from "../../tools/engine/harness";

/** The one place the workloads tests say what they run: the real `index.ts` on each cloud's real foundation. */

export type Cloud = "aws" | "gcp";
export type Stack = "staging" | "prod";

/** Types of the foundation's `cluster.readyResources` in the program under test. */
/**
 * The labels Envoy Gateway puts on the public edge's proxy pods, written out here (not read from the
 * contract) so the tests check what the program selects against what the proxies really carry.
 */
export const edgeProxyPods = {
    "app.kubernetes.io/name": "envoy",
    "app.kubernetes.io/component": "proxy",
    "app.kubernetes.io/managed-by": "envoy-gateway",
    "gateway.envoyproxy.io/owning-gateway-name": "agent-edge",
    "gateway.envoyproxy.io/owning-gateway-namespace": "ai-agents",
};

export const readyResourceTypes = ["aws:eks/nodeGroup:NodeGroup", "gcp:container/nodePool:NodePool"];

/** The stack's example config on the given cloud, plus overrides in `pulumi config set` form. */
export function workloadsConfig(cloud: Cloud, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const onGcp = cloud === "gcp" ? { "ai-platform:cloud": "gcp", "gcp:project": "ai-platform-test", "gcp:region": "us-central1" } : { "ai-platform:cloud": "aws" };
    return { ...onGcp, ...overrides };
}

export function runWorkloads(stack: Stack, cloud: Cloud, overrides: Record<string, unknown> = {}): Promise<ProgramRun> {
    return runProgram({ stack, config: workloadsConfig(cloud, overrides) });
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

/**
 * Kubernetes objects the workloads layer declares: those under the AgentPlatform component. A
 * foundation may declare a few of its own (the gp3 StorageClass on AWS), which parity does not cover.
 */
export function workloadObjects(run: ProgramRun): RecordedResource[] {
    const cached = workloadObjectsOf.get(run);
    if (cached) return cached;
    const platform = run.one("ai-platform:workloads:AgentPlatform");
    const under = (r: RecordedResource): boolean => r.parent === platform.urn || (!!r.parent && !!run.byUrn(r.parent) && under(run.byUrn(r.parent)!));
    const objects = kubernetesObjects(run).filter(under);
    workloadObjectsOf.set(run, objects);
    return objects;
}
const workloadObjectsOf = new WeakMap<ProgramRun, RecordedResource[]>();

/** The workloads layer's objects of one type. */
export function workloadObjectsOfType(run: ProgramRun, type: string): RecordedResource[] {
    return workloadObjects(run).filter((r) => r.type === type);
}

/**
 * The one object of a type the workloads layer declares. Other layers declare objects of the same
 * types (the operations runbook and dashboard ConfigMaps, Grafana's and Alertmanager's Secrets), so
 * `run.one(type)` would see theirs too.
 */
export function oneWorkloadObject(run: ProgramRun, type: string): RecordedResource {
    const matches = workloadObjectsOfType(run, type);
    if (matches.length !== 1) throw new Error(`expected the workloads layer to declare one ${type}, found ${matches.length}: ${matches.map((m) => m.name).join(", ")}`);
    return matches[0];
}

/** Kinds that run pods, with where their pod template is. */
export const podTemplatePath: Record<string, (inputs: any) => any> = {
    "kubernetes:apps/v1:Deployment": (i) => i.spec.template,
    "kubernetes:apps/v1:StatefulSet": (i) => i.spec.template,
    "kubernetes:apps/v1:DaemonSet": (i) => i.spec.template,
    "kubernetes:batch/v1:Job": (i) => i.spec.template,
    "kubernetes:batch/v1:CronJob": (i) => i.spec.jobTemplate.spec.template,
};

/**
 * Every object that runs pods in the app namespace, whichever layer declares it: the API and worker
 * Deployments and the migration Job of the workloads, and the operations layer's backup CronJob. The
 * restricted profile, the unmounted API token and the requests and limits are requirements on every
 * one of them, not only on the workloads layer's own.
 */
export function appNamespacePodRunners(run: ProgramRun): RecordedResource[] {
    return run.resources.filter((r) => r.type in podTemplatePath && !r.read && r.inputs.metadata?.namespace === kubernetesNames.appNamespace);
}

/** The one Kubernetes object of a type whose `metadata.name` is `name`. */
export function byName(run: ProgramRun, type: string, name: string): RecordedResource {
    const matches = run.ofType(type).filter((r) => r.inputs.metadata?.name === name);
    if (matches.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${matches.length}`);
    return matches[0];
}
