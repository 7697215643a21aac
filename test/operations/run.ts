import { runProgram, type ProgramRun, type RecordedResource } from "../harness";

/** The one place the operations tests start a program: the real `index.ts` on each cloud's foundation. */

export type Stack = "staging" | "prod";
export type CloudName = "aws" | "gcp";
export interface Case {
    stack: Stack;
    cloud: CloudName;
}

export const cases: Case[] = [
    { stack: "staging", cloud: "aws" },
    { stack: "staging", cloud: "gcp" },
    { stack: "prod", cloud: "aws" },
    { stack: "prod", cloud: "gcp" },
];

export const label = (c: Case) => `${c.stack} on ${c.cloud}`;

const gcpConfig = { "ai-platform:cloud": "gcp", "gcp:project": "ai-platform-test", "gcp:region": "us-central1", "aws:region": undefined };

export interface Overrides {
    config?: Record<string, unknown>;
    secrets?: Record<string, string>;
}

export function runOperations(c: Case, overrides: Overrides = {}): Promise<ProgramRun> {
    return runProgram({
        stack: c.stack,
        config: { ...(c.cloud === "gcp" ? gcpConfig : { "ai-platform:cloud": "aws" }), ...overrides.config },
        secrets: overrides.secrets,
    });
}

/** The foundation's node group / node pool, which every Kubernetes object must be deleted before. */
export function readyResources(run: ProgramRun): RecordedResource[] {
    return run.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup" || r.type === "gcp:container/nodePool:NodePool");
}

/** True when the value at `path` of the resource's inputs was a secret (itself or an enclosing object). */
export function isSecretAt(resource: RecordedResource, path: string): boolean {
    return resource.secretPaths.some((p) => p === path || path.startsWith(`${p}.`));
}

/** Every plain (non-secret) string in a resource's inputs, with its path. */
export function plainStrings(resource: RecordedResource): { path: string; value: string }[] {
    const found: { path: string; value: string }[] = [];
    const walk = (value: unknown, path: string) => {
        if (resource.secretPaths.some((p) => p === path || path.startsWith(`${p}.`))) return;
        if (typeof value === "string") found.push({ path, value });
        else if (Array.isArray(value)) value.forEach((v, i) => walk(v, path ? `${path}.${i}` : String(i)));
        else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    };
    walk(resource.inputs, "");
    return found;
}

export const types = {
    namespace: "kubernetes:core/v1:Namespace",
    secret: "kubernetes:core/v1:Secret",
    configMap: "kubernetes:core/v1:ConfigMap",
    release: "kubernetes:helm.sh/v3:Release",
    cronJob: "kubernetes:batch/v1:CronJob",
    podMonitor: "kubernetes:monitoring.coreos.com/v1:PodMonitor",
    prometheusRule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    randomPassword: "random:index/randomPassword:RandomPassword",
} as const;
