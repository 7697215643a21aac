/**
 * The stack outputs other teams read through StackReference: every name, its type, whether it is a
 * secret and what it means, in one place. `index.ts` exports exactly these (typed by `PlatformOutputs`),
 * the consumer module (`ai-platform/consumer`) reads them with the same types, `contract/outputs-record.json`
 * records them per version, and the README's outputs table is rendered from them (`npm run contract`).
 *
 * `contractVersion` is semver: removing or renaming an output, or changing its type or secrecy, is a
 * major bump; adding one is a minor bump. A test compares this file with the committed record.
 */
export const contractVersion = "1.0.0";

/** Value types an output may have: scalars, a list or map of strings, or an object of scalar fields. */
export type ScalarType = "string" | "number";
export type OutputType = ScalarType | "string[]" | "map<string>" | { readonly [field: string]: ScalarType };

export interface OutputSpec {
    readonly type: OutputType;
    readonly secret: boolean;
    readonly meaning: string;
}

export const platformOutputs = {
    contractVersion: { type: "string", secret: false, meaning: "semver of this outputs contract; the consumer module refuses another major" },
    cloud: { type: "string", secret: false, meaning: "`aws` or `gcp`" },
    environment: { type: "string", secret: false, meaning: "`staging` or `prod`" },
    region: { type: "string", secret: false, meaning: "the cloud region the stack runs in" },
    vpcId: { type: "string", secret: false, meaning: "VPC ID (AWS) / VPC network ID (GCP)" },
    privateSubnetIds: { type: "string[]", secret: false, meaning: "private subnet IDs (AWS) / `[subnetwork ID]` (GCP)" },
    clusterName: { type: "string", secret: false, meaning: "EKS / GKE cluster name" },
    kubeconfig: { type: "string", secret: true, meaning: "exec kubeconfig (`aws eks get-token` / `gke-gcloud-auth-plugin`), no static credentials: it acts as whoever runs it" },
    databaseHost: { type: "string", secret: false, meaning: "Postgres endpoint (private)" },
    databasePort: { type: "number", secret: false, meaning: "Postgres port" },
    databaseSecretRef: { type: "string", secret: false, meaning: "where the database credentials live: Secrets Manager ARN / Secret Manager secret ID" },
    cacheHost: { type: "string", secret: false, meaning: "Redis endpoint (private, TLS)" },
    cachePort: { type: "number", secret: false, meaning: "Redis port (6379 on ElastiCache, 6378 on Memorystore with TLS)" },
    imageRef: { type: "string", secret: false, meaning: "digest-pinned service image (`repo@sha256:…`)" },
    registryUrl: {
        type: "string",
        secret: false,
        meaning: "where teams push images: `<account>.dkr.ecr.<region>.amazonaws.com` (one ECR repository per image) / `<region>-docker.pkg.dev/<project>/<repository>`",
    },
    backupBucket: { type: "string", secret: false, meaning: "bucket of database dumps" },
    namespace: { type: "string", secret: false, meaning: "Kubernetes namespace of the service (`ai-agents`)" },
    apiUrl: { type: "string", secret: false, meaning: "`https://<ingress.domain>`" },
    ingressHostname: { type: "string", secret: false, meaning: "load balancer address to point the domain's DNS at" },
    gateway: {
        type: { name: "string", namespace: "string", httpsListener: "string" },
        secret: false,
        meaning: "the shared Gateway tenants' HTTPRoutes attach to (`parentRefs: [{ name, namespace, sectionName: httpsListener }]`)",
    },
    workloadIdentity: {
        type: { mechanism: "string", oidcIssuerUrl: "string", oidcProviderArn: "string", workloadPool: "string" },
        secret: false,
        meaning: "`eks-irsa` with the OIDC issuer URL and IAM OIDC provider ARN (AWS), or `gke-workload-identity` with the pool `<project>.svc.id.goog` (GCP); the other cloud's fields are empty",
    },
    tenantNamespaces: { type: "map<string>", secret: false, meaning: "tenant name → its namespace (`ai-platform:tenants`)" },
    rpoMinutes: { type: "number", secret: false, meaning: "recovery point the configuration achieves (5 with point-in-time recovery, else the dump interval)" },
    rtoMinutes: { type: "number", secret: false, meaning: "recovery time target the runbook is written for" },
    backupSchedule: { type: "string", secret: false, meaning: "cron schedule (UTC) of the database dump" },
} as const satisfies Record<string, OutputSpec>;

export type OutputName = keyof typeof platformOutputs;

type ValueOf<T> = T extends "string"
    ? string
    : T extends "number"
      ? number
      : T extends "string[]"
        ? string[]
        : T extends "map<string>"
          ? Record<string, string>
          : T extends { readonly [field: string]: ScalarType }
            ? { -readonly [K in keyof T]: ValueOf<T[K]> }
            : never;

/** Every stack output with its value type, as a consumer sees it. */
export type PlatformOutputs = { -readonly [K in OutputName]: ValueOf<(typeof platformOutputs)[K]["type"]> };

/** The major version of a semver string. */
export function majorOf(version: string): number {
    const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
    if (!match) throw new Error(`"${version}" is not a semver version (MAJOR.MINOR.PATCH)`);
    return Number(match[1]);
}

/** An output type as one line of text, the form the contract record and the README use. */
export function typeText(type: OutputType): string {
    if (typeof type === "string") return type;
    return `{ ${Object.entries(type)
        .map(([field, t]) => `${field}: ${t}`)
        .join(", ")} }`;
}

/** The contract as the committed record (`contract/outputs-record.json`) stores it. */
export interface ContractRecord {
    version: string;
    outputs: Record<string, { type: string; secret: boolean }>;
}

export function contractRecord(): ContractRecord {
    const outputs: ContractRecord["outputs"] = {};
    for (const [name, spec] of Object.entries(platformOutputs) as [string, OutputSpec][]) outputs[name] = { type: typeText(spec.type), secret: spec.secret };
    return { version: contractVersion, outputs };
}

/** What changed between two records, and the least version bump that change needs. */
export function contractChanges(before: ContractRecord, after: ContractRecord): { removed: string[]; changed: string[]; added: string[]; needs: "major" | "minor" | "none" } {
    const removed = Object.keys(before.outputs).filter((n) => !(n in after.outputs));
    const changed = Object.keys(before.outputs).filter((n) => n in after.outputs && JSON.stringify(before.outputs[n]) !== JSON.stringify(after.outputs[n]));
    const added = Object.keys(after.outputs).filter((n) => !(n in before.outputs));
    const needs = removed.length + changed.length > 0 ? "major" : added.length > 0 ? "minor" : "none";
    return { removed, changed, added, needs };
}

/** Whether `after` is a large enough bump over `before` for the change. */
export function bumpSatisfies(before: string, after: string, needs: "major" | "minor" | "none"): boolean {
    const [a, b] = [before, after].map((v) => {
        majorOf(v);
        return v.split(".").map(Number);
    });
    if (needs === "major") return b[0] > a[0];
    if (needs === "minor") return b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]);
    return true;
}

/** The README's outputs table, rendered from the declarations. */
export function renderOutputsTable(): string {
    const lines = ["| output | type | secret | meaning |", "|---|---|---|---|"];
    for (const [name, spec] of Object.entries(platformOutputs) as [string, OutputSpec][])
        lines.push(`| \`${name}\` | ${typeText(spec.type).replace(/\|/g, "\\|")} | ${spec.secret ? "**yes**" : "no"} | ${spec.meaning} |`);
    return lines.join("\n");
}

export const outputsTableMarkers = { begin: "<!-- outputs-table:begin (npm run docs) -->", end: "<!-- outputs-table:end -->" };
