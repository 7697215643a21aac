import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { numeric } from "./configText";
import { parseCidr } from "./cidr";
import { upperBounds } from "./facts/bounds";
import { reservedDatabaseNames, reservedDatabaseUserPrefixes, reservedDatabaseUsers } from "./facts/databaseNames";
import { dnsLimits } from "./facts/dns";
import { llmProviderNames } from "./facts/llmProviders";
import { portRanges } from "./facts/ports";
import { labelValueLimits } from "./facts/tags";
import { tenantsSchema } from "./tenants";
import { llmBudgetSchema } from "./llmBudget";

/**
 * The schema of an environment's settings, after per-environment defaults have been merged with
 * stack config. Every sized or tuned value of the platform appears here exactly once; components
 * read them from the typed `Settings` object and never from `pulumi.Config`.
 *
 * Pulumi structured config arrives as JSON, but `pulumi config set --path a.b 5` and
 * `npm run plan -- -c a.b=5` can hand over strings, so numbers and booleans accept their string
 * spelling too.
 */

const boolean = (v: unknown) => (v === "true" ? true : v === "false" ? false : v);
/** `pulumi config set --path` stores "4711" as the number 4711: a text setting takes it back as typed. */
const textual = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? String(v) : v);
/** A list may arrive as its JSON text (`pulumi config set --path key '["a","b"]'` stores the text). */
const listual = (v: unknown) => {
    if (typeof v !== "string" || !v.trim().startsWith("[")) return v;
    try {
        return JSON.parse(v);
    } catch {
        return v;
    }
};

const wholeNumber = (min: number, max: number, range = `a whole number from ${min} to ${max}`) =>
    z.preprocess(
        numeric,
        z
            .number({ error: "must be a number" })
            .int({ error: `must be ${range}` })
            .min(min, { error: `must be ${range}` })
            .max(max, { error: `must be ${range}` }),
    );
/** A count or duration that must be at least 1, bounded above so a typo (an extra zero) is caught. */
const positiveInt = (max: number = Number.MAX_SAFE_INTEGER) => wholeNumber(1, max, max === Number.MAX_SAFE_INTEGER ? "a positive whole number (> 0)" : `a whole number from 1 to ${max}`);
const nonNegativeInt = (max: number = Number.MAX_SAFE_INTEGER) => wholeNumber(0, max, max === Number.MAX_SAFE_INTEGER ? "a whole number ≥ 0" : `a whole number from 0 to ${max}`);
const percent = wholeNumber(1, 100, "a percentage from 1 to 100");
const positiveNumber = (max: number) =>
    z.preprocess(
        numeric,
        z
            .number({ error: "must be a number" })
            .positive({ error: `must be a number above 0 and at most ${max}` })
            .max(max, { error: `must be a number above 0 and at most ${max}` }),
    );
const flag = z.preprocess(boolean, z.boolean({ error: "must be true or false" }));
const text = z.preprocess(textual, z.string({ error: "must be a string" }).trim().min(1, { error: "must not be empty" }));
/** An IPv4 range written canonically (no host bits), so the range meant is the range declared. */
const cidr = z.preprocess(
    textual,
    z.string({ error: "must be an IPv4 CIDR such as 10.0.0.0/16" }).superRefine((value, ctx) => {
        const parsed = parseCidr(value);
        if (!parsed || parsed.family !== "ipv4") ctx.addIssue({ code: "custom", input: value, message: "must be an IPv4 CIDR such as 10.0.0.0/16" });
        else if (!parsed.canonical) ctx.addIssue({ code: "custom", input: value, message: `has host bits set; the range is ${parsed.network}` });
    }),
);
/** Kubernetes quantities as the API accepts them: "500m", "2", "1Gi", "512Mi". */
const cpuQuantity = z.preprocess(textual, z.string({ error: "must be a CPU quantity string" }).regex(/^(\d+m|\d+(\.\d+)?)$/, { error: 'must be a CPU quantity such as "500m" or "2"' }));
const memoryQuantity = z.string({ error: "must be a memory quantity string" }).regex(/^\d+(Ki|Mi|Gi|Ti)$/, { error: 'must be a memory quantity such as "512Mi" or "2Gi"' });
const hhmm = z.string({ error: "must be a time string" }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a UTC time "HH:MM"' });
/** A five-field cron schedule that fires at least once (`0 2 31 2 *`, 31 February, never does). */
const cron = z.string({ error: "must be a cron string" }).superRefine((value, ctx) => {
    const why = cronProblem(value);
    if (why) ctx.addIssue({ code: "custom", input: value, message: why });
});
/** A Kubernetes object name (RFC 1123 label), for names other objects refer to. */
const k8sName = z
    .string({ error: "must be a string" })
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, { error: "must be a Kubernetes name: lower-case letters, digits and '-', at most 63 characters" });
const tcpPort = wholeNumber(portRanges.container.min, portRanges.container.max, `a port from ${portRanges.container.min} to ${portRanges.container.max} (the pods run as non-root)`);
const chartVersion = z.string({ error: "must be a chart version string" }).regex(/^v?\d+\.\d+\.\d+$/, { error: 'must be a pinned chart version such as "4.12.1" (no ranges)' });
/** Governance values become AWS tags and GCP labels unchanged: the label rule holds on both clouds. */
const labelValue = z.preprocess(
    textual,
    z
        .string({ error: "must be a string" })
        .max(labelValueLimits.maxLength, { error: `must be at most ${labelValueLimits.maxLength} characters (a GCP label value)` })
        .regex(labelValueLimits.syntax, {
            error: "must be a label value: lower-case letters, digits, '_' and '-', starting and ending with a letter or digit (refused, not rewritten, so the bill shows what was typed)",
        }),
);
/** A Postgres identifier the managed services let the platform create. */
const sqlIdentifier = (reserved: readonly string[], what: string) =>
    z.preprocess(
        textual,
        z
            .string({ error: "must be a string" })
            .regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "must be a lower-case identifier (letters, digits, _), at most 63 characters" })
            .refine((v) => !reserved.includes(v) && !reservedDatabaseUserPrefixes.some((prefix) => v.startsWith(prefix)), {
                error: `is reserved by PostgreSQL, RDS or Cloud SQL as a ${what}; choose another (reserved: ${reserved.slice(0, 8).join(", ")}, …, and names starting with ${reservedDatabaseUserPrefixes.join(", ")})`,
            }),
    );
/** An image reference as the Docker distribution grammar has it: registry host[:port]/path:tag or @sha256:digest. */
const imageReference = z
    .string({ error: "must be an image reference" })
    .regex(
        /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
        {
            error: "must be an image reference such as registry.example.com:5000/agents/api:1.2.3 or …@sha256:<64 hex>",
        },
    )
    .refine((r) => /@sha256:[a-f0-9]{64}$/.test(r) || /:[\w][\w.-]*$/.test(r.slice(r.lastIndexOf("/") + 1)), { error: "must carry a tag or an @sha256 digest (an untagged reference means latest)" })
    .refine((r) => !/:latest(@|$)/.test(r), { error: 'must not use the "latest" tag' });
/** A public DNS name (RFC 1035): lower case, labels of 1 to 63 characters, at most 253 in all. */
const dnsName = z
    .string({ error: "is required: the public DNS name of the API" })
    .max(dnsLimits.maxNameLength, { error: `must be at most ${dnsLimits.maxNameLength} characters (a DNS name)` })
    .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/, { error: "must be a lower-case DNS name such as api.example.com" })
    .refine((v) => v.split(".").every((label) => label.length <= dnsLimits.maxLabelLength), { error: `must have labels of at most ${dnsLimits.maxLabelLength} characters` });
/** A request-body limit as Envoy Gateway's `requestBuffer.limit` takes it (a Kubernetes quantity: "10Mi", "512Ki"), bounded so a typo is caught. */
const bodySize = z.preprocess(
    textual,
    z
        .string({ error: "must be a size string" })
        .regex(/^[1-9]\d*(Ki|Mi|Gi|k|M|G)?$/, { error: 'must be a size such as "10Mi" or "512Ki" (an unlimited body is not offered)' })
        .refine((v) => sizeBytes(v) <= upperBounds.bodySizeBytes, { error: `must be at most 1Gi (${upperBounds.bodySizeBytes} bytes)` }),
);
const days = positiveInt(upperBounds.retentionDays);
/** A model name as providers spell them: "gpt-4.1", "claude-sonnet-4-5", "gemini-2.5-pro". */
const modelName = z.preprocess(textual, z.string({ error: "must be a string" }).regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/, { error: 'must be a model name such as "gpt-4.1"' }));
const seconds = positiveInt(upperBounds.seconds);

/** Bytes of a Kubernetes size quantity: "10Mi" → 10485760, "10M" → 10000000. */
export function sizeBytes(size: string): number {
    const units: Record<string, number> = { "": 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1000, M: 1000 ** 2, G: 1000 ** 3 };
    const [, amount, unit] = /^(\d+)(Ki|Mi|Gi|k|M|G)?$/.exec(size) ?? [];
    return amount === undefined ? Number.NaN : Number(amount) * units[unit ?? ""];
}

/** Why a cron schedule cannot be used, or undefined when it fires. */
export function cronProblem(schedule: string): string | undefined {
    if (schedule.trim().split(/\s+/).length !== 5) return 'must be a five-field cron schedule such as "0 2 * * *"';
    try {
        CronExpressionParser.parse(schedule, { tz: "UTC", currentDate: new Date("2026-01-01T00:00:00Z") }).next();
        return undefined;
    } catch (e) {
        const reason = (e as Error).message;
        return /day of month/i.test(reason) ? `never fires: ${reason.toLowerCase()} (that day does not exist in that month)` : `is not a valid cron schedule: ${reason}`;
    }
}

/** A version typed unquoted in YAML arrives as a number: 1.30 as 1.3. Minor versions have two digits. */
const kubernetesMinor = (v: unknown) => (typeof v === "number" ? v.toFixed(2) : v);
const majorVersion = (v: unknown) => (typeof v === "number" && Number.isInteger(v) ? String(v) : v);
const majorMinor = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? `${v}.0` : String(v)) : v);

export const clouds = ["aws", "gcp"] as const;
export const environments = ["staging", "prod"] as const;
export const imagePlatforms = ["linux/amd64", "linux/arm64"] as const;
export const logLevels = ["debug", "info", "warning", "error"] as const;

export const resourcesSchema = z.strictObject({
    requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
    limits: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
});

const scalingRuleSchema = z.strictObject({
    stabilizationWindowSeconds: nonNegativeInt(upperBounds.seconds),
    percent: positiveInt(upperBounds.scalingPercent),
    periodSeconds: positiveInt(1800),
});

/** Probe timing of a container; the command or endpoint comes from the workload. */
const probeSchema = z.strictObject({
    initialDelaySeconds: nonNegativeInt(upperBounds.seconds),
    periodSeconds: seconds,
    timeoutSeconds: seconds,
    failureThreshold: positiveInt(100),
});

const workloadSchema = z.strictObject({
    replicas: positiveInt(upperBounds.replicas),
    minReplicas: positiveInt(upperBounds.replicas),
    maxReplicas: positiveInt(upperBounds.replicas),
    scaleUp: scalingRuleSchema,
    scaleDown: scalingRuleSchema,
    resources: resourcesSchema,
    terminationGracePeriodSeconds: seconds,
});

/** The API scales on requests in flight per pod (from Prometheus) and on CPU and memory, whichever asks for more. */
const apiSchema = workloadSchema.extend({
    cpuTargetPercent: percent,
    memoryTargetPercent: percent,
    /** Average requests in flight per pod the autoscaler aims for; at most app.maxConcurrentAgents. */
    inFlightRequestsTarget: positiveInt(upperBounds.maxConcurrentAgents),
    /** Failed reads of the request metric after which the autoscaler stops trusting it and holds the current count. */
    metricFailureThreshold: positiveInt(upperBounds.metricFailureThreshold),
});

/** Workers scale on the length of the task queue (KEDA's Redis list scaler), down to zero where minReplicas is 0. */
const workerSchema = workloadSchema.extend({
    minReplicas: nonNegativeInt(upperBounds.replicas),
    queue: z.strictObject({
        /** Waiting tasks per worker the autoscaler aims for. */
        tasksPerReplica: positiveInt(upperBounds.tasksPerReplica),
        /** How often KEDA reads the queue while the workers are scaled to zero. */
        pollingIntervalSeconds: positiveInt(upperBounds.seconds),
        /** How long the queue must stay empty before the workers scale to zero. */
        cooldownSeconds: nonNegativeInt(upperBounds.seconds),
    }),
});

const commandList = z.preprocess(listual, z.array(text, { error: "must be a list of strings" }).min(1, { error: "must name a command" }));

export const settingsSchema = z.strictObject({
    owner: labelValue,
    costCenter: labelValue,
    /** Pulumi `protect` on what holds data (database, cache, backup buckets, keys), and no force-destroy of non-empty buckets or repositories: `pulumi destroy` refuses to delete them. */
    protectData: flag,
    network: z.strictObject({
        cidr,
        availabilityZones: wholeNumber(2, 3, "2 or 3 zones"),
        natGatewayPerZone: flag,
        podsCidr: cidr,
        servicesCidr: cidr,
        privateServicesCidr: cidr,
        flowLogRetentionDays: days,
    }),
    cluster: z.strictObject({
        kubernetesVersion: z.preprocess(kubernetesMinor, z.string({ error: "must be a string" }).regex(/^1\.\d{2}$/, { error: 'must be a Kubernetes minor version such as "1.35"' })),
        machineType: text,
        desiredNodes: positiveInt(upperBounds.nodes),
        minNodes: positiveInt(upperBounds.nodes),
        maxNodes: positiveInt(upperBounds.nodes),
        diskSizeGb: positiveInt(65536),
        publicAccessCidrs: z.preprocess(listual, z.array(cidr, { error: "must be a list of CIDRs" })),
        releaseChannel: z.enum(["RAPID", "REGULAR", "STABLE"], { error: "must be RAPID, REGULAR or STABLE" }),
        maintenanceStartTime: hhmm,
        deletionProtection: flag,
    }),
    database: z.strictObject({
        engineVersion: z.preprocess(majorVersion, z.string({ error: "must be a string" }).regex(/^\d+$/, { error: 'must be a PostgreSQL major version such as "16"' })),
        instanceClass: text,
        storageGb: positiveInt(65536),
        maxStorageGb: positiveInt(65536),
        highAvailability: flag,
        backupRetentionDays: positiveInt(365),
        backupStartTime: hhmm,
        pointInTimeRecovery: flag,
        deletionProtection: flag,
        name: sqlIdentifier(reservedDatabaseNames, "database name"),
        username: sqlIdentifier(reservedDatabaseUsers, "user name"),
        port: wholeNumber(portRanges.tcp.min, portRanges.tcp.max, `a port from ${portRanges.tcp.min} to ${portRanges.tcp.max}`),
    }),
    cache: z.strictObject({
        engineVersion: z.preprocess(majorMinor, z.string({ error: "must be a string" }).regex(/^\d+\.\d+$/, { error: 'must be a Redis version such as "7.1"' })),
        nodeType: text,
        memorySizeGb: positiveInt(65536),
        nodes: positiveInt(upperBounds.nodes),
        highAvailability: flag,
        snapshotRetentionDays: nonNegativeInt(35),
        port: wholeNumber(portRanges.tcp.min, portRanges.tcp.max, `a port from ${portRanges.tcp.min} to ${portRanges.tcp.max}`),
    }),
    image: z.strictObject({
        /** A prebuilt image reference; when set, no image is built. Must be digest-pinned or carry a non-latest tag. */
        ref: imageReference.optional(),
        buildContext: text,
        dockerfile: text,
        platform: z.enum(imagePlatforms, { error: `must be one of ${imagePlatforms.join(", ")} (the architecture of the nodes)` }),
        keepImages: positiveInt(upperBounds.keepImages),
    }),
    app: z.strictObject({
        defaultModel: text,
        maxConcurrentAgents: positiveInt(upperBounds.maxConcurrentAgents),
        responseTimeoutSeconds: positiveInt(upperBounds.responseTimeoutSeconds),
        llmRetries: nonNegativeInt(upperBounds.llmRetries),
        cacheTtlSeconds: positiveInt(upperBounds.cacheTtlSeconds),
        rateLimitPerMinute: positiveInt(upperBounds.rateLimitPerMinute),
        logLevel: z.enum(logLevels, { error: `must be one of ${logLevels.join(", ")}` }),
        port: tcpPort,
        metricsPort: tcpPort,
        /** Entrypoints of the one service image: API server, queue consumer, schema migration. */
        apiCommand: commandList,
        workerCommand: commandList,
        migrateCommand: commandList,
        /** Exec probe of the worker, run with the container's environment; a queue consumer has no request path to probe. */
        workerProbeCommand: commandList,
        /** File the worker touches while its consume loop runs (WORKER_HEARTBEAT_FILE); /tmp is the only writable path. */
        workerHeartbeatFile: z.string({ error: "must be a string" }).regex(/^\/tmp\/[^\s/][^\s]*$/, { error: "must be a file under /tmp/ (the root filesystem is read-only)" }),
        /** Probe timing of the API and the worker (seeds: liveness 30/30/5/3, readiness 10/10/5/3). */
        probes: z.strictObject({ startup: probeSchema, liveness: probeSchema, readiness: probeSchema }),
        /** Seconds an API pod keeps serving after it is taken out of the endpoints, so load balancers drain it. */
        preStopSleepSeconds: nonNegativeInt(upperBounds.seconds),
        /** The schema migration Job that runs before every API rollout of a new image. */
        migration: z.strictObject({ backoffLimit: nonNegativeInt(20), activeDeadlineSeconds: positiveInt(24 * 3600), ttlSecondsAfterFinished: positiveInt(30 * 24 * 3600) }),
    }),
    api: apiSchema,
    worker: workerSchema,
    ingress: z.strictObject({
        // DNS limits (labels ≤ 63, name ≤ 253) are also the Gateway listener hostname's and the certificate's.
        domain: dnsName,
        acmeEmail: z.email({ error: "must be an e-mail address for Let's Encrypt" }),
        clusterIssuer: k8sName,
        /** The GatewayClass the public Gateway uses, served by Envoy Gateway. */
        gatewayClassName: k8sName,
        /** Largest request body the edge accepts (413 above it), a Kubernetes quantity as Envoy Gateway's requestBuffer.limit takes it. */
        maxRequestBodySize: bodySize,
        /** HTTPRoute `timeouts.request`: how long the edge waits for the whole response. */
        requestTimeoutSeconds: seconds,
        /** Requests per second per client address, per edge proxy replica (Envoy local rate limit). */
        rateLimitRps: positiveInt(upperBounds.rateLimitRps),
        /** Envoy proxy (data plane) replicas; spread across zones, with a PodDisruptionBudget when more than one. */
        proxyReplicas: positiveInt(upperBounds.replicas),
        /** Envoy Gateway controller (control plane) replicas; leader-elected, a PodDisruptionBudget when more than one. */
        controllerReplicas: positiveInt(upperBounds.replicas),
        proxyResources: resourcesSchema,
    }),
    /**
     * The internal LLM gateway (Envoy AI Gateway on the program's Envoy Gateway): every model the
     * service may ask for, each with its backends in fallback order. The first backend whose provider
     * has a key is the primary; the others take over on errors, 429s and timeouts.
     */
    llmGateway: z.strictObject({
        models: z
            .array(
                z.strictObject({
                    /** The model name clients send (`model` in the request body). */
                    name: modelName,
                    /** Providers in fallback order; `model` renames the request for that provider (default: the name above). */
                    backends: z
                        .array(
                            z.strictObject({
                                provider: z.enum(llmProviderNames, { error: `must be one of ${llmProviderNames.join(", ")}` }),
                                model: modelName.optional(),
                            }),
                            { error: "must be a list of { provider, model? }" },
                        )
                        .min(1, { error: "must name at least one backend" })
                        .max(upperBounds.llmBackendsPerModel, { error: `must name at most ${upperBounds.llmBackendsPerModel} backends` }),
                }),
                { error: "must be a list of { name, backends }" },
            )
            .min(1, { error: "must name at least one model" })
            // An AIGatewayRoute holds at most 15 rules, one of them the controller's catch-all (CRD v1.1.0 maxItems).
            .max(upperBounds.llmModels, { error: `must name at most ${upperBounds.llmModels} models (one AIGatewayRoute's rules)` })
            .superRefine((models, ctx) => {
                const seen = new Set<string>();
                models.forEach((m, i) => {
                    if (seen.has(m.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `names model ${m.name} twice` });
                    seen.add(m.name);
                    const providers = new Set<string>();
                    m.backends.forEach((b, j) => {
                        if (providers.has(b.provider)) ctx.addIssue({ code: "custom", path: [i, "backends", j, "provider"], message: `lists ${b.provider} twice for ${m.name}` });
                        providers.add(b.provider);
                    });
                });
            }),
        /** The whole request, fallbacks included (the route rule's `timeouts.request`). */
        requestTimeoutSeconds: seconds,
        /** One attempt at one backend (the retry policy's `perRetry.timeout`). */
        attemptTimeoutSeconds: seconds,
        /** Retries after the first attempt, across the backends in order. */
        retries: nonNegativeInt(upperBounds.llmRetries),
        /** Envoy AI Gateway controller replicas; a PodDisruptionBudget when more than one. */
        controllerReplicas: positiveInt(upperBounds.replicas),
        /** The LLM gateway's Envoy proxies; spread across zones, a PodDisruptionBudget when more than one. */
        proxyReplicas: positiveInt(upperBounds.replicas),
        proxyResources: resourcesSchema,
        /** The hourly budget of the platform's own service, the API and the worker together. */
        budget: llmBudgetSchema,
        /** The hourly budget of each tenant that sets no `llmBudget` of its own. */
        tenantBudget: llmBudgetSchema,
        /** The spend alert warns at this share of a budget's USD per hour; it turns critical at 100 %. */
        budgetAlertPercent: percent,
        /** The Redis that holds the budgets' counters (one pod in Envoy Gateway's namespace). */
        rateLimitRedisResources: resourcesSchema,
    }),
    addons: z.strictObject({
        /** Envoy Gateway's charts (gateway-crds-helm and gateway-helm share the version). */
        envoyGateway: chartVersion,
        /** Envoy AI Gateway's charts (ai-gateway-crds-helm and ai-gateway-helm share the version). */
        aiGateway: chartVersion,
        certManager: chartVersion,
        metricsServer: chartVersion,
        keda: chartVersion,
        clusterAutoscaler: chartVersion,
        kubePrometheusStack: chartVersion,
        fluentBit: chartVersion,
        /** How long Helm may take to install or upgrade one release before it is rolled back. */
        timeoutSeconds: positiveInt(upperBounds.addonTimeoutSeconds),
        /** The same for kube-prometheus-stack, whose first install pulls a dozen images and waits for Prometheus' volume to bind. */
        kubePrometheusStackTimeoutSeconds: positiveInt(upperBounds.addonTimeoutSeconds),
        /** Replicas of the cluster add-ons' own controllers (cert-manager and its webhook, metrics-server, KEDA's operator, metrics API server and webhooks); a disruption budget when more than one. */
        controllerReplicas: positiveInt(upperBounds.replicas),
    }),
    backup: z.strictObject({
        schedule: cron,
        retentionDays: days,
        crossRegion: flag,
        /** Dumps cannot be deleted or overwritten before `retentionDays` have passed (S3 Object Lock / a locked Cloud Storage retention policy). */
        immutable: flag,
        /** Where cross-region copies go; empty means the foundation's documented pairing for the primary region. */
        region: z.preprocess(textual, z.string({ error: "must be a region name" })).optional(),
        /** Requests and limits of the backup job's dump and upload containers (gzip is CPU-bound on large databases). */
        resources: resourcesSchema,
    }),
    observability: z.strictObject({
        prometheusRetention: z.string({ error: "must be a string" }).regex(/^[1-9]\d{0,4}[hdw]$/, { error: 'must be a Prometheus duration such as "15d"' }),
        prometheusStorageGb: positiveInt(upperBounds.prometheusStorageGb),
        logRetentionDays: days,
        alerts: z.strictObject({
            errorRatePercent: positiveNumber(100),
            p95LatencySeconds: positiveNumber(upperBounds.seconds),
            memoryUsagePercent: percent,
            longRunningTaskSeconds: positiveInt(upperBounds.alertSeconds),
            cacheHitRatePercent: percent,
            tokenCostPerHourUsd: positiveNumber(upperBounds.tokenCostPerHourUsd),
        }),
    }),
    recovery: z.strictObject({
        rpoMinutes: positiveInt(525600),
        rtoMinutes: positiveInt(525600),
    }),
    /** A monthly spending limit: the policy pack holds the estimate to it and the cloud alerts on real spend. */
    budget: z.strictObject({
        monthlyUsd: positiveNumber(upperBounds.monthlyBudgetUsd).optional(),
        /** The Cloud Billing account the GCP budget is created on (`XXXXXX-XXXXXX-XXXXXX`); required on GCP with a budget. */
        billingAccount: z
            .string({ error: "must be a string" })
            .regex(/^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/, { error: "must be a Cloud Billing account ID such as 012345-6789AB-CDEF01" })
            .optional(),
        /** Who gets the alerts; ingress.acmeEmail, the platform team's address, when unset. */
        alertEmails: z
            .array(z.email({ error: "must be an e-mail address" }), { error: "must be a list of e-mail addresses" })
            .min(1, { error: "must name at least one address" })
            .max(5, { error: "must name at most 5 addresses (GCP budgets notify at most 5 channels)" })
            .optional(),
    }),
    /** Other teams' namespaces on the cluster (stacks/tenants.ts, docs/tenants.md). */
    // The engine hands a list setting over as its JSON text.
    tenants: z.preprocess(listual, tenantsSchema),
});

/**
 * Keys that existed once and what replaced them, so an old stack config gets a message that says
 * what to set instead of only "unknown key". The edge moved from the retired ingress-nginx to the
 * Gateway API served by Envoy Gateway (docs/edge.md).
 */
export const replacedSettings: Record<string, string> = {
    "ingress.className": "ingress.gatewayClassName (the edge is a Gateway API Gateway now; ingress-nginx is retired)",
    "ingress.bodySize": 'ingress.maxRequestBodySize, a Kubernetes quantity such as "10Mi"',
    "ingress.readTimeoutSeconds": "ingress.requestTimeoutSeconds (the HTTPRoute's timeouts.request)",
    "app.llmBaseUrl": "llmGateway.models (the service calls the internal LLM gateway, which holds the provider keys and falls back between providers; docs/ai-gateway.md)",
    "addons.ingressNginx": "addons.envoyGateway (ingress-nginx is retired; the edge runs on Envoy Gateway)",
};

/** What stack config may say: every section optional, every field within it optional. */
export type SettingsInput = z.input<typeof settingsSchema>;
export type TunedSettings = z.output<typeof settingsSchema>;
export type Cloud = (typeof clouds)[number];
export type Environment = (typeof environments)[number];
/** What the API and the worker have in common: replicas, bounds, scaling behaviour, resources, grace period. */
export type WorkloadSettings = z.output<typeof workloadSchema>;
export type ApiSettings = TunedSettings["api"];
export type WorkerSettings = TunedSettings["worker"];
export type ResourceSettings = z.output<typeof resourcesSchema>;
