import * as fs from "fs";
import * as path from "path";
import type { ProgramRun, RecordedResource } from "../engine/harness";
import { makeDirectory } from "./files";
import { maskedInputs, scrubSecrets, SECRET_MASK, secretStrings } from "./mask";

/** First line of every rendered manifest; `--manifests` replaces only files that start with it. */
export const manifestMarker = "# Rendered by `npm run plan`";

export interface Manifest {
    /** `<namespace>_<kind>_<name>.yaml`; `_cluster` for cluster-scoped kinds, `_default` for no namespace. */
    fileName: string;
    resource: RecordedResource;
    object: KubernetesObject;
    /** The YAML text, with a comment naming the Pulumi resource. */
    content: string;
}

export interface KubernetesObject {
    apiVersion: string;
    kind: string;
    metadata: { name?: string; namespace?: string; [key: string]: unknown };
    [field: string]: unknown;
}

/** Kinds without a namespace (the ones this platform and its add-ons declare, plus the core set). */
const clusterScopedKinds = new Set([
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "IngressClass",
    "PriorityClass",
    "RuntimeClass",
    "CSIDriver",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ClusterIssuer",
    "GatewayClass",
]);

/**
 * Kubernetes objects are the custom resources of the `kubernetes` package, except Helm releases and
 * charts (`kubernetes:helm.sh/*`, rendered by Helm on the cluster) and providers. Components such as
 * `kubernetes:yaml/v2:ConfigGroup` are left out too; the objects they declare are their children.
 */
export function isKubernetesObject(resource: Pick<RecordedResource, "type" | "custom">): boolean {
    return resource.custom && resource.type.startsWith("kubernetes:") && !resource.type.startsWith("kubernetes:helm.sh/");
}

/**
 * The objects the program declares, which `pulumi up` would create. A `.get()` lookup (such as the
 * ingress controller's Service, which its chart creates) is a read: written out, `kubectl apply`
 * would create a bogus copy of it.
 */
export function isDeclaredKubernetesObject(resource: Pick<RecordedResource, "type" | "custom" | "read">): boolean {
    return isKubernetesObject(resource) && !resource.read;
}

/**
 * apiVersion and kind as the SDK sends them (typed resources and CustomResource put both in their
 * inputs), else read off the type token: `kubernetes:apps/v1:Deployment` is `apps/v1` / `Deployment`,
 * and the core group is plain `v1`.
 */
export function apiVersionAndKind(resource: Pick<RecordedResource, "type" | "inputs">): { apiVersion: string; kind: string } {
    const [, groupVersion = "", kindFromType = ""] = resource.type.split(":");
    const fromType = groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion;
    const apiVersion = typeof resource.inputs.apiVersion === "string" && resource.inputs.apiVersion ? resource.inputs.apiVersion : fromType;
    const kind = typeof resource.inputs.kind === "string" && resource.inputs.kind ? resource.inputs.kind : kindFromType.replace(/Patch$/, "");
    return { apiVersion, kind };
}

/**
 * One object as `kubectl` reads it: apiVersion, kind, metadata (name defaults to the Pulumi name,
 * which the provider auto-names with a random suffix when the program sets none), then every other
 * field the program set (spec, data, rules…), secrets masked. A masked value under a Secret's `data`
 * or a ConfigMap's `binaryData` is base64-encoded, so the file stays valid for schema validators.
 */
export function toKubernetesObject(resource: RecordedResource): KubernetesObject {
    const { apiVersion, kind } = apiVersionAndKind(resource);
    const { apiVersion: _a, kind: _k, metadata, ...rest } = maskedInputs(resource);
    const object: KubernetesObject = { apiVersion, kind, metadata: { ...(metadata ?? {}), name: metadata?.name ?? resource.name }, ...rest };
    for (const field of ["data", "binaryData"]) {
        const values = object[field];
        if ((kind === "Secret" || kind === "ConfigMap") && values && typeof values === "object") {
            object[field] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === SECRET_MASK ? Buffer.from(SECRET_MASK).toString("base64") : v]));
        }
    }
    return dropUndefined(object) as KubernetesObject;
}

function dropUndefined(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(dropUndefined);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => [k, dropUndefined(v)]),
        );
    }
    return value;
}

/** Kubernetes names are DNS labels; anything else (and `_`, the separator) becomes `-`. */
function fileSafe(text: string): string {
    return text.replace(/[^A-Za-z0-9.-]+/g, "-");
}

/**
 * Every Kubernetes object the run declares (reads excluded) as a YAML file, in the order the run
 * recorded them, with unique file names. Secrets are masked by path, and any secret value copied into a plain field is scrubbed.
 */
export function renderManifests(run: Pick<ProgramRun, "resources" | "outputs" | "config" | "secretKeys">): Manifest[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require("yaml") as typeof import("yaml");
    const secrets = secretStrings(run);
    const used = new Set<string>();
    return run.resources.filter(isDeclaredKubernetesObject).map((resource) => {
        const object = scrubSecrets(toKubernetesObject(resource), secrets);
        const namespace = object.metadata.namespace ? fileSafe(object.metadata.namespace) : clusterScopedKinds.has(object.kind) ? "_cluster" : "_default";
        const base = `${namespace}_${fileSafe(object.kind.toLowerCase())}_${fileSafe(String(object.metadata.name))}`;
        let fileName = `${base}.yaml`;
        for (let n = 2; used.has(fileName); n++) fileName = `${base}-${n}.yaml`;
        used.add(fileName);

        const doc = new YAML.Document(object);
        const notes = [
            `${manifestMarker.slice(2)} (offline, mocked engine) from ${resource.urn}`,
            ...(resource.secretPaths.length ? [`Secret values are masked as ${SECRET_MASK}.`] : []),
            ...(resource.inputs.metadata?.name ? [] : ["metadata.name is the Pulumi name; the provider adds a random suffix when it creates the object."]),
        ];
        doc.commentBefore = notes.map((n) => ` ${n}`).join("\n");
        return { fileName, resource, object, content: doc.toString({ lineWidth: 0 }) };
    });
}

/**
 * Writes the manifests into `dir` (created when missing) and returns the paths written. Files an
 * earlier plan rendered there (they start with the marker) are removed first, so the directory holds
 * exactly this plan's objects for `kubectl diff -f`; any other file is left alone.
 */
export function writeManifests(dir: string, manifests: readonly Manifest[]): string[] {
    makeDirectory(dir);
    for (const entry of fs.readdirSync(dir)) {
        const file = path.join(dir, entry);
        if (entry.endsWith(".yaml") && fs.statSync(file).isFile() && fs.readFileSync(file, "utf8").startsWith(manifestMarker)) fs.rmSync(file);
    }
    return manifests.map((manifest) => {
        const file = path.join(dir, manifest.fileName);
        fs.writeFileSync(file, manifest.content);
        return file;
    });
}
