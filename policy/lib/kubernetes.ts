import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** Kubernetes helpers with no cloud in them: image references and secret-looking environment variables. */

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
