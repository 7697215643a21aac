import type { RecordedResource } from "../../tools/engine/harness";

/** A GCP stack as the README tells users to configure one. */
export const gcpConfig = { "ai-platform:cloud": "gcp", "gcp:project": "acme-agents", "gcp:region": "us-central1" } as const;

/** Prebuilt images, so no test but the build test depends on a build context. */
export const prebuiltDigestRef = `us-central1-docker.pkg.dev/acme-agents/ai-platform-prod/ai-agent@sha256:${"b".repeat(64)}`;
export const prebuiltTaggedRef = "us-central1-docker.pkg.dev/acme-agents/ai-platform-staging/ai-agent:v1.4.2";

/** The standard labels a GCP stack's resources must carry (values label-safe). */
export function expectedLabels(environment: string): Record<string, string> {
    return { project: "ai-platform", environment, owner: "platform-team", "cost-center": environment === "prod" ? "ai-platform-prod" : "ai-platform", "managed-by": "pulumi", stack: environment };
}

/** Reads a dotted path out of a resource's inputs. */
export function at(resource: RecordedResource, path: string): any {
    return path.split(".").reduce<any>((node, key) => (node === undefined || node === null ? undefined : node[key]), resource.inputs);
}
