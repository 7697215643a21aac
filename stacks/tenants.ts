import { z } from "zod";
import { numeric } from "./configText";
import type { Cloud } from "./schema";
import { llmBudgetSchema } from "./llmBudget";

/**
 * Tenants: other teams that run their own services on the platform's cluster, each in a namespace of
 * its own with a quota, default-deny networking, `edit` access for the team's cloud identity, and
 * routes on the shared Gateway's HTTPS listener (docs/tenants.md).
 *
 * A tenant's `principal` is the team's cloud identity, and its form depends on the cloud:
 * - AWS: an IAM role ARN (`arn:aws:iam::123456789012:role/team-a-deployer`), mapped through an EKS
 *   access entry (the cluster uses authentication mode API) to a Kubernetes group;
 * - GCP: `group:<email>` (a Google group, through Google Groups for RBAC), `user:<email>`, or
 *   `serviceAccount:<name>@<project>.iam.gserviceaccount.com`, bound by RBAC directly.
 */

/**
 * Namespaces the platform itself runs in, Kubernetes' own, and those GKE manages (gke-managed-system,
 * gmp-system, gmp-public for Managed Prometheus); a tenant of that name would take over their objects.
 */
export const platformNamespaces = [
    "default",
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "ai-agents",
    "monitoring",
    "envoy-gateway-system",
    // The LLM gateway's namespace holds the provider keys; its controller's runs the extension server.
    "llm-gateway",
    "envoy-ai-gateway-system",
    "cert-manager",
    "keda",
    "logging",
    "gke-managed-system",
    "gmp-system",
    "gmp-public",
] as const;

/** A namespace name: an RFC 1123 label (Namespace names are labels, at most 63 characters). */
const dnsLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** CPU as Kubernetes quantities write it: whole or decimal cores, or millicores. */
const cpuQuantity = /^(\d+(\.\d+)?|\d+m)$/;
/** Memory as Kubernetes quantities write it: bytes, binary (Ki…Pi) or decimal (k…P) suffixes. */
const memoryQuantity = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/;

/**
 * IAM role ARNs in every partition. EKS access entries take a role ARN with or without a path, from this
 * or (type STANDARD) another account, one entry per principal (docs.aws.amazon.com/eks/latest/userguide/
 * creating-access-entries.html, checked 2026-11-27); an STS session ARN is not a principal.
 */
export const iamRoleArn = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const email = "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}";
/** Google identities in IAM member syntax. */
export const googlePrincipal = {
    group: new RegExp(`^group:(${email})$`),
    user: new RegExp(`^user:(${email})$`),
    serviceAccount: /^serviceAccount:([a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com)$/,
} as const;

/** Multiplier of each quantity suffix. */
const suffixes: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };

/** A quantity that matched one of the patterns above, in cores or bytes. */
export function quantityValue(q: string): number {
    const [, amount, suffix] = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(q) ?? [];
    return Number(amount) * (suffix ? suffixes[suffix] : 1);
}

const positive = (pattern: RegExp, what: string) =>
    z
        .string({ error: `must be a ${what} quantity string` })
        .regex(pattern, { error: `must be a Kubernetes ${what} quantity such as ${what === "CPU" ? '"4" or "500m"' : '"8Gi" or "512Mi"'}` })
        .refine((q) => quantityValue(q) > 0, { error: "must be more than zero" });

/** A container's default requests and limits inside the tenant's namespace (LimitRange), when it sets none. */
export const tenantContainerDefaults = {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "500m", memory: "512Mi" },
} as const;

export const tenantSchema = z.strictObject({
    name: z
        .string({ error: "must be a string" })
        .regex(dnsLabel, { error: "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters" })
        .refine((n) => !n.startsWith("kube-"), { error: "must not start with kube- (reserved for Kubernetes)" })
        .refine((n) => !(platformNamespaces as readonly string[]).includes(n), { error: `must not be one of the platform's namespaces (${platformNamespaces.join(", ")})` }),
    principal: z.string({ error: "must be the team's cloud identity (an IAM role ARN on AWS, group:/user:/serviceAccount: on GCP)" }).min(1, { error: "must not be empty" }),
    quota: z.strictObject(
        {
            cpu: positive(cpuQuantity, "CPU"),
            memory: positive(memoryQuantity, "memory"),
            pods: z.preprocess(numeric, z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).positive({ error: "must be a positive whole number (> 0)" })),
        },
        { error: "must be { cpu, memory, pods }" },
    ),
    /**
     * The ports the team's services listen on: the only ports the shared Gateway's proxies may reach in
     * the tenant's namespace (non-root pods, so 1024 and above).
     * @default [8080]
     */
    ports: z
        .array(
            z.preprocess(
                numeric,
                z
                    .number({ error: "must be a number" })
                    .int({ error: "must be a whole number" })
                    .min(1024, { error: "must be a port from 1024 to 65535 (the pods run as non-root)" })
                    .max(65535, { error: "must be a port from 1024 to 65535 (the pods run as non-root)" }),
            ),
            { error: "must be a list of ports" },
        )
        .min(1, { error: "must name at least one port" })
        .max(16, { error: "must name at most 16 ports" })
        .default([8080]),
    /**
     * The team's hourly LLM budget at the platform's LLM gateway.
     * @default llmGateway.tenantBudget
     */
    llmBudget: llmBudgetSchema.optional(),
});

/**
 * The LLM gateway listens for each tenant on a port of its own, derived from the tenant's name alone
 * (32-bit FNV-1a, folded into 20000–32767): adding, removing or reordering tenants never moves another
 * tenant's port, so no team's base URL changes under it. The range lies above the ports Envoy Gateway's
 * proxies bind themselves (10080, 18000, 19000–19003) and below Linux's ephemeral ports (32768 up).
 * Two names that land on one port are refused at validation (rename one).
 */
export const llmTenantPortRange = { min: 20000, max: 32767 } as const;
export function llmTenantPort(tenant: string): number {
    let hash = 0x811c9dc5;
    for (const byte of Buffer.from(tenant, "utf8")) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    return llmTenantPortRange.min + (hash % (llmTenantPortRange.max - llmTenantPortRange.min + 1));
}

/** A Gateway holds at most 64 listeners (Gateway API v1 `spec.listeners` maxItems); the LLM gateway's first is the service's. */
export const maxTenants = 63;

export const tenantsSchema = z
    .array(tenantSchema, { error: "must be a list of { name, principal, quota: { cpu, memory, pods }, ports?, llmBudget? }" })
    .max(maxTenants, { error: `must name at most ${maxTenants} tenants (the LLM gateway gives each a listener, and a Gateway holds 64)` })
    .superRefine((tenants, ctx) => {
        const seen = new Set<string>();
        const llmPorts = new Map<number, string>();
        tenants.forEach((t, i) => {
            if (seen.has(t.name)) ctx.addIssue({ code: "custom", path: [i, "name"], input: t.name, message: "must be unique: another tenant has this name" });
            seen.add(t.name);
            const port = llmTenantPort(t.name);
            const other = llmPorts.get(port);
            if (other !== undefined && other !== t.name)
                ctx.addIssue({
                    code: "custom",
                    path: [i, "name"],
                    input: t.name,
                    message: `gets LLM gateway port ${port}, as tenant ${other} does (the port comes from the name): rename one of them`,
                });
            llmPorts.set(port, t.name);
            // A tenant's default container must fit its own quota, or its first pod without resources is refused.
            if (quantityValue(t.quota.cpu) < quantityValue(tenantContainerDefaults.limits.cpu)) {
                ctx.addIssue({ code: "custom", path: [i, "quota", "cpu"], input: t.quota.cpu, message: `must be at least the default container limit (${tenantContainerDefaults.limits.cpu})` });
            }
            if (quantityValue(t.quota.memory) < quantityValue(tenantContainerDefaults.limits.memory)) {
                ctx.addIssue({
                    code: "custom",
                    path: [i, "quota", "memory"],
                    input: t.quota.memory,
                    message: `must be at least the default container limit (${tenantContainerDefaults.limits.memory})`,
                });
            }
        });
    });

export type TenantSettings = z.output<typeof tenantSchema>;

/**
 * The Kubernetes group a tenant's principal is mapped to on EKS (access entry `kubernetesGroups`).
 * `system:` and `eks:` prefixes are reserved by Kubernetes and EKS.
 */
export const tenantGroup = (tenant: string) => `ai-platform:tenant:${tenant}`;

/** The domain of the Google groups of GCP tenants (Google Groups for RBAC needs one `gke-security-groups@<domain>`). */
export function googleGroupDomains(tenants: TenantSettings[]): string[] {
    const domains = tenants.map((t) => googlePrincipal.group.exec(t.principal)?.[1].split("@")[1].toLowerCase()).filter((d): d is string => d !== undefined);
    return [...new Set(domains)];
}

/** Rules that depend on the cloud: the principal's form, and one Google Workspace domain for group principals. */
/** Reports each principal the cloud cannot map, at its dotted settings path (`tenants.0.principal`). */
export function checkTenantPrincipals(tenants: TenantSettings[], cloud: Cloud, problem: (path: string, allowed: string) => void): void {
    tenants.forEach((t, i) => {
        const ok = cloud === "aws" ? iamRoleArn.test(t.principal) : Object.values(googlePrincipal).some((p) => p.test(t.principal));
        if (!ok) {
            const allowed =
                cloud === "aws"
                    ? "must be an IAM role ARN such as arn:aws:iam::123456789012:role/team-a (mapped by an EKS access entry)"
                    : "must be group:<email>, user:<email> or serviceAccount:<name>@<project>.iam.gserviceaccount.com";
            problem(`tenants.${i}.principal`, allowed);
        }
    });
    if (cloud === "aws") {
        // EKS allows one access entry per IAM principal, and an entry maps to the tenant's one group.
        tenants.forEach((t, i) => {
            const first = tenants.findIndex((o) => o.principal === t.principal);
            if (first < i) problem(`tenants.${i}.principal`, `must differ from tenant ${tenants[first].name}'s principal: EKS allows one access entry per IAM role`);
        });
    }
    if (cloud === "gcp") {
        const domains = googleGroupDomains(tenants);
        if (domains.length > 1) {
            const i = tenants.findIndex((t) => googlePrincipal.group.test(t.principal) && !t.principal.toLowerCase().endsWith(`@${domains[0]}`));
            problem(`tenants.${i}.principal`, `must be a group of ${domains[0]} like the other tenants' groups: GKE trusts the groups of one gke-security-groups@<domain>`);
        }
    }
}
