import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { defaultsFor } from "./defaults";
import { SettingsError, type SettingsProblem } from "./errors";
import { recoveryObjectives } from "./recovery";
import { clouds, environments, replacedSettings, settingsSchema, type Cloud, type Environment, type TunedSettings } from "./schema";
import { checkTenantPrincipals } from "./tenants";

export const projectName = "ai-platform";

/** Config keys that hold secrets: set them with `pulumi config set --secret`. */
export const providerKeyNames = ["openaiApiKey", "anthropicApiKey", "geminiApiKey"] as const;
export const alertingKeyNames = ["slackWebhookUrl", "pagerdutyRoutingKey"] as const;
const scalarKeys = ["cloud", "environment"] as const;
const sectionKeys = Object.keys(settingsSchema.shape) as (keyof TunedSettings)[];
const knownKeys = new Set<string>([...scalarKeys, ...sectionKeys, ...providerKeyNames, ...alertingKeyNames]);

export type ProviderKeyName = (typeof providerKeyNames)[number];

/** The one typed object every component is handed. */
export interface Settings extends TunedSettings {
    project: string;
    stack: string;
    cloud: Cloud;
    environment: Environment;
    /** `aws:region` or `gcp:region`, whichever cloud the stack is on. */
    region: string;
    /** `gcp:project`; undefined on AWS. */
    gcpProject?: string;
    /** AI provider API keys that are set, by config key; each a Pulumi secret. */
    providerApiKeys: Partial<Record<ProviderKeyName, pulumi.Output<string>>>;
    /** Alertmanager receivers; each a Pulumi secret, absent when unset. */
    alerting: Partial<Record<(typeof alertingKeyNames)[number], pulumi.Output<string>>>;
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/** Stack config over defaults: objects merge key by key, anything else (lists included) replaces. */
export function mergeOver(base: unknown, override: unknown): unknown {
    if (!isPlain(base) || !isPlain(override)) return override === undefined ? base : override;
    const merged: Plain = { ...base };
    for (const [k, v] of Object.entries(override)) merged[k] = mergeOver(base[k], v);
    return merged;
}

/** Structured values arrive as JSON text, plain ones as the text itself; the schema judges either. */
function readSection(config: pulumi.Config, key: string): unknown {
    const raw = config.get(key);
    if (raw === undefined) return undefined;
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

function environmentOf(configured: string | undefined, stack: string): { value: unknown; problem?: string } {
    if (configured !== undefined) {
        return (environments as readonly string[]).includes(configured) ? { value: configured } : { value: configured, problem: `must be one of ${environments.join(", ")}` };
    }
    if ((environments as readonly string[]).includes(stack)) return { value: stack };
    return { value: undefined, problem: `must be set (one of ${environments.join(", ")}) because the stack name "${stack}" is not an environment name` };
}

/**
 * Reads Pulumi config once, merges it over the defaults of the stack's environment and cloud,
 * validates the result and returns it as one typed object. Throws a `SettingsError` naming every bad
 * key, its value and what is allowed, so no resource is ever declared from bad config.
 */
export function loadSettings(): Settings {
    const stack = pulumi.getStack();
    const config = new pulumi.Config(projectName);
    const problems: SettingsProblem[] = [];
    const key = (k: string) => `${projectName}:${k}`;

    for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
        const [namespace, name] = fullKey.split(":");
        if (namespace === projectName && !knownKeys.has(name)) {
            problems.push({ key: fullKey, value: undefined, allowed: `is not a known setting; known keys: ${[...knownKeys].join(", ")}` });
        }
    }

    const cloud = config.get("cloud") ?? "aws";
    if (!(clouds as readonly string[]).includes(cloud)) problems.push({ key: key("cloud"), value: cloud, allowed: `must be one of ${clouds.join(", ")}` });
    const environment = environmentOf(config.get("environment"), stack);
    if (environment.problem) problems.push({ key: key("environment"), value: environment.value, allowed: environment.problem });
    if (problems.some((p) => p.key === key("cloud") || p.key === key("environment"))) throw new SettingsError(problems);

    const env = environment.value as Environment;
    const onCloud = cloud as Cloud;
    let merged: unknown = defaultsFor(onCloud, env);
    for (const section of sectionKeys) {
        const override = readSection(config, section);
        if (override !== undefined) merged = mergeOver(merged, { [section]: override });
    }

    const parsed = withEnvironmentRules(env, onCloud).safeParse(merged, { reportInput: true });
    if (!parsed.success) problems.push(...parsed.error.issues.flatMap(toProblems));
    // The recovery point the configuration achieves must meet its target, or nothing is declared.
    if (parsed.success) {
        try {
            recoveryObjectives(parsed.data);
        } catch (e) {
            if (e instanceof SettingsError) problems.push(...e.problems);
            else throw e;
        }
    }

    const regionProblems = cloudConnection(onCloud);
    problems.push(...regionProblems.problems);

    const providerApiKeys: Settings["providerApiKeys"] = {};
    for (const name of providerKeyNames) {
        const value = config.getSecret(name);
        if (value !== undefined) providerApiKeys[name] = value;
    }
    if (Object.keys(providerApiKeys).length === 0) {
        problems.push({ key: providerKeyNames.map(key).join(" | "), value: undefined, allowed: "set at least one AI provider API key with `pulumi config set --secret`" });
    }
    const alerting: Settings["alerting"] = {};
    for (const name of alertingKeyNames) {
        const value = config.getSecret(name);
        if (value !== undefined) alerting[name] = value;
    }

    if (problems.length > 0 || !parsed.success) throw new SettingsError(problems);
    return {
        ...parsed.data,
        project: pulumi.getProject(),
        stack,
        cloud: onCloud,
        environment: env,
        region: regionProblems.region!,
        gcpProject: regionProblems.gcpProject,
        providerApiKeys,
        alerting,
    };
}

function cloudConnection(cloud: Cloud): { region?: string; gcpProject?: string; problems: SettingsProblem[] } {
    const problems: SettingsProblem[] = [];
    if (cloud === "aws") {
        const region = new pulumi.Config("aws").get("region");
        if (!region) problems.push({ key: "aws:region", value: undefined, allowed: "is required when ai-platform:cloud is aws (e.g. us-west-2)" });
        return { region, problems };
    }
    const gcp = new pulumi.Config("gcp");
    const region = gcp.get("region");
    const gcpProject = gcp.get("project");
    if (!region) problems.push({ key: "gcp:region", value: undefined, allowed: "is required when ai-platform:cloud is gcp (e.g. us-central1)" });
    if (!gcpProject) problems.push({ key: "gcp:project", value: undefined, allowed: "is required when ai-platform:cloud is gcp (the project ID)" });
    return { region, gcpProject, problems };
}

/** Rules that span fields or depend on the environment, on top of the per-field schema. */
function withEnvironmentRules(environment: Environment, cloud: Cloud) {
    return settingsSchema.superRefine((s, ctx) => {
        checkTenantPrincipals(s.tenants, cloud, ctx);
        /** Reports on the key whose value breaks the bound, quoting the other key and its value. */
        const atMost = (path: string[], value: number, limitName: string, limit: number) => {
            if (value > limit) ctx.addIssue({ code: "custom", path, input: value, message: `must be ≤ ${limitName} (${limit})` });
        };
        const atLeast = (path: string[], value: number, limitName: string, limit: number) => {
            if (value < limit) ctx.addIssue({ code: "custom", path, input: value, message: `must be ≥ ${limitName} (${limit})` });
        };
        atMost(["cluster", "minNodes"], s.cluster.minNodes, "cluster.maxNodes", s.cluster.maxNodes);
        atLeast(["cluster", "desiredNodes"], s.cluster.desiredNodes, "cluster.minNodes", s.cluster.minNodes);
        atMost(["cluster", "desiredNodes"], s.cluster.desiredNodes, "cluster.maxNodes", s.cluster.maxNodes);
        atMost(["database", "storageGb"], s.database.storageGb, "database.maxStorageGb", s.database.maxStorageGb);
        for (const w of ["api", "worker"] as const) {
            atMost([w, "minReplicas"], s[w].minReplicas, `${w}.maxReplicas`, s[w].maxReplicas);
            atLeast([w, "replicas"], s[w].replicas, `${w}.minReplicas`, s[w].minReplicas);
            atMost([w, "replicas"], s[w].replicas, `${w}.maxReplicas`, s[w].maxReplicas);
        }
        for (const w of ["api", "worker"] as const) {
            for (const kind of ["cpu", "memory"] as const) {
                const request = quantity(s[w].resources.requests[kind]);
                const limit = quantity(s[w].resources.limits[kind]);
                if (request > limit) ctx.addIssue({ code: "custom", path: [w, "resources", "requests", kind], input: s[w].resources.requests[kind], message: `must not exceed ${w}.resources.limits.${kind} (${s[w].resources.limits[kind]}); Kubernetes rejects such a pod` });
            }
        }
        if (s.app.port === s.app.metricsPort) ctx.addIssue({ code: "custom", path: ["app", "metricsPort"], input: s.app.metricsPort, message: `must differ from app.port (${s.app.port})` });
        if (s.ingress.requestTimeoutSeconds < s.app.responseTimeoutSeconds) {
            ctx.addIssue({ code: "custom", path: ["ingress", "requestTimeoutSeconds"], input: s.ingress.requestTimeoutSeconds, message: `must be at least app.responseTimeoutSeconds (${s.app.responseTimeoutSeconds}), or the edge cuts off LLM calls the API still waits for` });
        }
        const drain = s.app.preStopSleepSeconds + s.app.responseTimeoutSeconds;
        if (s.api.terminationGracePeriodSeconds < drain) {
            ctx.addIssue({ code: "custom", path: ["api", "terminationGracePeriodSeconds"], input: s.api.terminationGracePeriodSeconds, message: `must be at least app.preStopSleepSeconds + app.responseTimeoutSeconds (${drain}), so requests in flight finish after the endpoints drain` });
        }
        if (environment === "prod") {
            const retention: [string[], number][] = [[["database", "backupRetentionDays"], s.database.backupRetentionDays], [["backup", "retentionDays"], s.backup.retentionDays]];
            for (const [path, days] of retention) {
                if (days < 7) ctx.addIssue({ code: "custom", path, input: days, message: "must be at least 7 days in prod" });
            }
            const open = s.cluster.publicAccessCidrs.findIndex((c) => c.endsWith("/0"));
            if (s.ingress.proxyReplicas < 2) ctx.addIssue({ code: "custom", path: ["ingress", "proxyReplicas"], input: s.ingress.proxyReplicas, message: "must be at least 2 in prod, so the edge survives a node or zone going away" });
            if (open >= 0) ctx.addIssue({ code: "custom", path: ["cluster", "publicAccessCidrs", open], input: s.cluster.publicAccessCidrs[open], message: "must not open the Kubernetes API to the whole internet in prod; list the CIDRs that run pulumi" });
        }
    });
}

/** A CPU ("500m", "2") or memory ("512Mi") quantity as a number of millicores or bytes; the schema has vetted the format. */
function quantity(q: string): number {
    const units: Record<string, number> = { m: 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti)?$/.exec(q) ?? [, "NaN", undefined];
    return unit ? Number(amount) * units[unit] : Number(amount) * 1000;
}

function toProblems(issue: z.core.$ZodIssue): SettingsProblem[] {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
        // One problem per key, so a key that was renamed can say what replaced it.
        return issue.keys.map((k) => {
            const dotted = [path, k].filter(Boolean).join(".");
            const replacement = replacedSettings[dotted];
            return { key: `${projectName}:${dotted}`, value: undefined, allowed: replacement ? `was replaced by ${replacement}` : `is not a known setting (${k})` };
        });
    }
    return [{ key: `${projectName}:${path}`, value: (issue as { input?: unknown }).input, allowed: issue.message }];
}
