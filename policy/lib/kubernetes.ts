import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType, type PolicyResource, type ReportViolation, type ResourceValidation, type ResourceValidationArgs } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import type * as pulumi from "@pulumi/pulumi";
import { UNKNOWN, knownItems, read, type Unknown } from "./values";

/**
 * Kubernetes helpers with no cloud in them, shared by the rule files under policy/rules/kubernetes/
 * and the required-labels rule: image references and secret-looking environment variables, the pod
 * template of every pod-bearing kind (for resource policies), and the reads stack policies make over
 * recorded objects (type tokens, props, namespaces).
 */

/** Why an image reference is not pinned, or undefined when it carries a digest or a non-latest tag. */
export function imagePinProblem(image: unknown): string | undefined {
    if (typeof image !== "string" || image.trim() === "") return "has no image";
    if (/@sha256:[a-f0-9]{64}$/.test(image)) return undefined;
    const lastSlash = image.lastIndexOf("/");
    const colon = image.indexOf(":", lastSlash + 1);
    if (colon < 0) return `image "${image}" has no tag or digest (it resolves to latest)`;
    const tag = image.slice(colon + 1);
    if (tag === "" || tag.toLowerCase() === "latest") return `image "${image}" uses the mutable "latest" tag`;
    return undefined;
}

const sensitiveTokens = new Set(["PASSWORD", "PASSWD", "PWD", "PASS", "SECRET", "SECRETS", "TOKEN", "TOKENS", "APIKEY", "CREDENTIAL", "CREDENTIALS", "PRIVATE", "DSN", "WEBHOOK"]);
/** KEY counts when it ends the name or is followed by one of these (API_KEY, SECRET_KEY_BASE, ACCESS_KEY_ID). */
const keySuffixes = new Set(["ID", "BASE", "VALUE", "DATA"]);

/** True for names such as OPENAI_API_KEY, DB_PASSWORD, SLACK_WEBHOOK_URL, SECRET_KEY_BASE. */
export function looksSensitive(name: string, allowed: readonly string[] = []): boolean {
    if (allowed.includes(name)) return false;
    const tokens = name
        .toUpperCase()
        .split(/[^A-Z0-9]+/)
        .filter(Boolean);
    return tokens.some((t, i) => sensitiveTokens.has(t) || (t === "KEY" && (i === tokens.length - 1 || keySuffixes.has(tokens[i + 1]))));
}

/** True for values with credentials in them: `scheme://user:password@host` and well-known key prefixes. */
export function looksLikeCredential(value: unknown): boolean {
    if (typeof value !== "string") return false;
    return (
        /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i.test(value) || /^(sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{16,}|gsk_[A-Za-z0-9]{16,}|AKIA[0-9A-Z]{16}|xox[bpa]-[A-Za-z0-9-]{10,})/.test(value)
    );
}

export const allowedEnvNamesSchema: PolicyConfigJSONSchema = {
    type: "array",
    description: "Environment variable names that look sensitive but hold no secret.",
    items: { type: "string" },
    default: [],
};

/** Namespaced built-in kinds: these must never be declared in `default`. */
export const namespacedKinds = new Set([
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1:ReplicaSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:core/v1:Pod",
    "kubernetes:core/v1:Service",
    "kubernetes:core/v1:ServiceAccount",
    "kubernetes:core/v1:ConfigMap",
    "kubernetes:core/v1:Secret",
    "kubernetes:core/v1:PersistentVolumeClaim",
    "kubernetes:networking.k8s.io/v1:Ingress",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    "kubernetes:policy/v1:PodDisruptionBudget",
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    "kubernetes:rbac.authorization.k8s.io/v1:Role",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
]);

/** The pod-bearing kinds and where their pod template sits. */
export const podTemplatePaths: Readonly<Record<string, { template: string[]; longRunning: boolean }>> = {
    "kubernetes:apps/v1:Deployment": { template: ["spec", "template"], longRunning: true },
    "kubernetes:apps/v1:StatefulSet": { template: ["spec", "template"], longRunning: true },
    "kubernetes:apps/v1:DaemonSet": { template: ["spec", "template"], longRunning: true },
    "kubernetes:apps/v1:ReplicaSet": { template: ["spec", "template"], longRunning: true },
    "kubernetes:batch/v1:Job": { template: ["spec", "template"], longRunning: false },
    "kubernetes:batch/v1:CronJob": { template: ["spec", "jobTemplate", "spec", "template"], longRunning: false },
    "kubernetes:core/v1:Pod": { template: [], longRunning: true },
};

/** Kubernetes object types the label policy looks at: every object the program writes itself. */
export function isLabelledKubernetesObject(type: string): boolean {
    if (!type.startsWith("kubernetes:")) return false;
    if (/^kubernetes:(helm\.sh|yaml|kustomize)\//.test(type)) return false;
    const kind = type.slice(type.lastIndexOf(":") + 1);
    return !kind.endsWith("Patch") && !kind.endsWith("List");
}

// ---------------------------------------------------------------- pod templates (resource policies)

export type PodSpec = pulumi.Unwrap<k8s.types.input.core.v1.PodSpec>;
export type Container = pulumi.Unwrap<k8s.types.input.core.v1.Container>;
type ObjectMeta = pulumi.Unwrap<k8s.types.input.meta.v1.ObjectMeta>;

export interface PodContext {
    /** `Deployment "api"`, for messages. */
    what: string;
    /** Deployments, StatefulSets, DaemonSets, ReplicaSets and restart-always Pods; not Jobs or CronJobs. */
    longRunning: boolean;
    spec: PodSpec;
    /** Containers and init containers whose definitions are known. */
    containers: { container: Container; init: boolean; name: string }[];
}

function podContext(kind: string, longRunning: boolean, spec: () => PodSpec | undefined, args: ResourceValidationArgs): PodContext | undefined {
    const known = read(spec);
    if (known === UNKNOWN || known === undefined || known === null) return undefined;
    const containers: PodContext["containers"] = [];
    for (const [list, init] of [
        [() => known.containers, false],
        [() => known.initContainers, true],
    ] as const) {
        for (const container of knownItems(list).items) {
            const name = read(() => container.name);
            containers.push({ container, init, name: typeof name === "string" ? name : "(unnamed)" });
        }
    }
    return { what: `${kind} "${args.name}"`, longRunning, spec: known, containers };
}

/** One validation per pod-bearing kind, each handing the pod template to `check`. */
export function podValidations(check: (pod: PodContext, args: ResourceValidationArgs, report: ReportViolation) => void): ResourceValidation[] {
    const run = (kind: string, longRunning: boolean, spec: () => PodSpec | undefined) => (args: ResourceValidationArgs, report: ReportViolation) => {
        const pod = podContext(kind, longRunning, spec, args);
        if (pod) check(pod, args, report);
    };
    return [
        validateResourceOfType(k8s.apps.v1.Deployment, (d, args, report) => run("Deployment", true, () => d.spec?.template?.spec)(args, report)),
        validateResourceOfType(k8s.apps.v1.StatefulSet, (s, args, report) => run("StatefulSet", true, () => s.spec?.template?.spec)(args, report)),
        validateResourceOfType(k8s.apps.v1.DaemonSet, (d, args, report) => run("DaemonSet", true, () => d.spec?.template?.spec)(args, report)),
        validateResourceOfType(k8s.apps.v1.ReplicaSet, (r, args, report) => run("ReplicaSet", true, () => r.spec?.template?.spec)(args, report)),
        validateResourceOfType(k8s.batch.v1.Job, (j, args, report) => run("Job", false, () => j.spec?.template?.spec)(args, report)),
        validateResourceOfType(k8s.batch.v1.CronJob, (c, args, report) => run("CronJob", false, () => c.spec?.jobTemplate?.spec?.template?.spec)(args, report)),
        validateResourceOfType(k8s.core.v1.Pod, (p, args, report) => {
            const restart = read(() => p.spec?.restartPolicy);
            run("Pod", restart === undefined || restart === "Always", () => p.spec)(args, report);
        }),
    ];
}

/** The namespace of a namespaced object: its own, else the provider's default, else "default". */
export function namespaceOf(args: ResourceValidationArgs, metadata: () => ObjectMeta | undefined): string | typeof UNKNOWN {
    const own = read(() => metadata()?.namespace);
    if (own !== undefined && own !== "") return own;
    const fromProvider = args.provider ? read(() => args.provider!.props.namespace) : undefined;
    if (fromProvider === UNKNOWN) return UNKNOWN;
    return typeof fromProvider === "string" && fromProvider !== "" ? fromProvider : "default";
}

// ---------------------------------------------------------------- recorded objects (stack policies)

/** Type tokens of the objects the Kubernetes stack policies relate to one another. */
export const kubernetesTypes = {
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    /** A KEDA ScaledObject creates and owns the HPA of its target, so it counts as that HPA. */
    scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
} as const;

/** Every kind that carries a pod template. */
export const podBearingTypes = Object.keys(podTemplatePaths);

/** Reads a path of a resource's props; UNKNOWN when any step is not known yet. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- props are each provider's untyped JSON (@pulumi/policy types them `any`); callers read the fields they know
export function propsAt(r: PolicyResource, ...path: string[]): any {
    return read(() => path.reduce<unknown>((node, key) => (node === undefined || node === null ? undefined : (node as Record<string, unknown>)[key]), r.props));
}

/** A recorded object's namespace: its own, else the provider's default, else "default"; UNKNOWN while not known. */
export function objectNamespace(r: PolicyResource): string | Unknown {
    const own = propsAt(r, "metadata", "namespace");
    if (own === UNKNOWN) return UNKNOWN;
    if (typeof own === "string" && own !== "") return own;
    const fromProvider = r.provider ? read(() => r.provider!.props.namespace) : undefined;
    if (fromProvider === UNKNOWN) return UNKNOWN;
    return typeof fromProvider === "string" && fromProvider !== "" ? fromProvider : "default";
}
