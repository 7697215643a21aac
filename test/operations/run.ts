import { runProgram, type ProgramRun, type RecordedResource } from "../../tools/engine/harness";

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

/** True when `r` is declared under the Operations component (at any depth). */
export function inOperations(run: ProgramRun, r: RecordedResource): boolean {
    const operations = run.one(types.operations);
    for (let parent = r.parent; parent; parent = run.byUrn(parent)?.parent) if (parent === operations.urn) return true;
    return false;
}

/** The Kubernetes objects the operations layer declares (not the foundation's or the platform's). */
export function operationsObjects(run: ProgramRun): RecordedResource[] {
    return run.resources.filter((r) => r.custom && !r.read && r.type.startsWith("kubernetes:") && inOperations(run, r));
}

/** The one object of a type (and name) that the operations layer declares; throws unless exactly one. */
export function operationsOne(run: ProgramRun, type: string, name?: RegExp): RecordedResource {
    const matches = operationsObjects(run).filter((r) => r.type === type && (name === undefined || name.test(r.name)));
    if (matches.length !== 1) throw new Error(`expected one ${type} of the operations layer${name ? ` named ${name}` : ""}, found ${matches.length}: ${matches.map((m) => m.name).join(", ")}`);
    return matches[0];
}

/** The one Kubernetes object of a type whose `metadata.name` (and namespace) is given, whichever layer declares it. */
export function byMetadata(run: ProgramRun, type: string, name: string, namespace?: string): RecordedResource {
    const matches = run.ofType(type).filter((r) => !r.read && r.inputs.metadata?.name === name && (namespace === undefined || r.inputs.metadata?.namespace === namespace));
    if (matches.length !== 1) throw new Error(`expected one ${type} named ${name}${namespace ? ` in ${namespace}` : ""}, found ${matches.length}`);
    return matches[0];
}

/** The Kubernetes provider the foundation's cluster hands over: the one provider declared under the foundation. */
export function foundationProvider(run: ProgramRun, c: Case): RecordedResource {
    const foundation = run.one(`ai-platform:${c.cloud}:Foundation`);
    const under = (r: RecordedResource): boolean => !!r.parent && (r.parent === foundation.urn || (!!run.byUrn(r.parent) && under(run.byUrn(r.parent)!)));
    const providers = run.ofType("pulumi:providers:kubernetes").filter(under);
    if (providers.length !== 1) throw new Error(`expected one Kubernetes provider under the ${c.cloud} foundation, found ${providers.length}`);
    return providers[0];
}

/**
 * The backups bucket the foundation recorded: its name (the S3 bucket's auto-name on AWS, the
 * Cloud Storage bucket's name on GCP) and the URL with the cloud's scheme.
 */
export function recordedBackupBucket(run: ProgramRun, c: Case): { name: string; url: string } {
    if (c.cloud === "aws") {
        // The replica in the recovery region (prod) names its region; the bucket the job writes to does not.
        const bucket = run.ofType("aws:s3/bucket:Bucket").filter((b) => run.byUrn(b.parent!)?.type === "ai-platform:aws:BackupBucket" && b.inputs.region === undefined);
        if (bucket.length !== 1) throw new Error(`expected one S3 bucket in the stack's region under the AWS BackupBucket, found ${bucket.length}`);
        return { name: bucket[0].state.bucket, url: `s3://${bucket[0].state.bucket}` };
    }
    const bucket = run.ofType("gcp:storage/bucket:Bucket").filter((b) => run.byUrn(b.parent!)?.type === "ai-platform:gcp:BackupBucket");
    if (bucket.length !== 1) throw new Error(`expected one Cloud Storage bucket under the GCP BackupBucket, found ${bucket.length}`);
    return { name: bucket[0].inputs.name, url: `gs://${bucket[0].inputs.name}` };
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
    operations: "ai-platform:operations:Operations",
    namespace: "kubernetes:core/v1:Namespace",
    secret: "kubernetes:core/v1:Secret",
    configMap: "kubernetes:core/v1:ConfigMap",
    release: "kubernetes:helm.sh/v3:Release",
    cronJob: "kubernetes:batch/v1:CronJob",
    podMonitor: "kubernetes:monitoring.coreos.com/v1:PodMonitor",
    prometheusRule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    randomPassword: "random:index/randomPassword:RandomPassword",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
} as const;

/** A Prometheus alerting rule as the PrometheusRule objects hold it. */
export interface AlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
}
