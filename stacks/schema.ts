import { z } from "zod";
import { tenantsSchema } from "./tenants";

/**
 * The schema of an environment's settings, after per-environment defaults have been merged with
 * stack config. Every sized or tuned value of the platform appears here exactly once; components
 * read them from the typed `Settings` object and never from `pulumi.Config`.
 *
 * Pulumi structured config arrives as JSON, but `pulumi config set --path a.b 5` and
 * `npm run plan -- -c a.b=5` can hand over strings, so numbers and booleans accept their string
 * spelling too.
 */

const numeric = (v: unknown) => (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v);
const boolean = (v: unknown) => (v === "true" ? true : v === "false" ? false : v);

const positiveInt = z.preprocess(numeric, z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).positive({ error: "must be a positive whole number (> 0)" }));
const nonNegativeInt = z.preprocess(numeric, z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).nonnegative({ error: "must be a whole number ≥ 0" }));
const percent = z.preprocess(numeric, z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(1, { error: "must be a percentage from 1 to 100" }).max(100, { error: "must be a percentage from 1 to 100" }));
const positiveNumber = z.preprocess(numeric, z.number({ error: "must be a number" }).positive({ error: "must be a positive number (> 0)" }));
const flag = z.preprocess(boolean, z.boolean({ error: "must be true or false" }));
const text = z.string({ error: "must be a string" }).min(1, { error: "must not be empty" });
const cidr = z.cidrv4({ error: "must be an IPv4 CIDR such as 10.0.0.0/16" });
/** Kubernetes quantities as the API accepts them: "500m", "2", "1Gi", "512Mi". */
const cpuQuantity = z.string({ error: "must be a CPU quantity string" }).regex(/^(\d+m|\d+(\.\d+)?)$/, { error: 'must be a CPU quantity such as "500m" or "2"' });
const memoryQuantity = z.string({ error: "must be a memory quantity string" }).regex(/^\d+(Ki|Mi|Gi|Ti)$/, { error: 'must be a memory quantity such as "512Mi" or "2Gi"' });
const hhmm = z.string({ error: "must be a time string" }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a UTC time "HH:MM"' });
const cron = z.string({ error: "must be a cron string" }).regex(/^(\S+\s+){4}\S+$/, { error: 'must be a five-field cron schedule such as "0 2 * * *"' });
/** A Kubernetes object name (RFC 1123 label), for names other objects refer to. */
const k8sName = z.string({ error: "must be a string" }).regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, { error: "must be a Kubernetes name: lower-case letters, digits and '-', at most 63 characters" });
const tcpPort = z.preprocess(numeric, z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(1024, { error: "must be a port from 1024 to 65535 (the pods run as non-root)" }).max(65535, { error: "must be a port from 1024 to 65535 (the pods run as non-root)" }));
const chartVersion = z.string({ error: "must be a chart version string" }).regex(/^v?\d+\.\d+\.\d+$/, { error: 'must be a pinned chart version such as "4.12.1" (no ranges)' });

export const clouds = ["aws", "gcp"] as const;
export const environments = ["staging", "prod"] as const;
export const logLevels = ["debug", "info", "warning", "error"] as const;

export const resourcesSchema = z.strictObject({
    requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
    limits: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
});

const scalingRuleSchema = z.strictObject({
    stabilizationWindowSeconds: nonNegativeInt,
    percent: positiveInt,
    periodSeconds: positiveInt,
});

/** Probe timing of a container; the command or endpoint comes from the workload. */
const probeSchema = z.strictObject({
    initialDelaySeconds: nonNegativeInt,
    periodSeconds: positiveInt,
    timeoutSeconds: positiveInt,
    failureThreshold: positiveInt,
});

const workloadSchema = z.strictObject({
    replicas: positiveInt,
    minReplicas: positiveInt,
    maxReplicas: positiveInt,
    cpuTargetPercent: percent,
    memoryTargetPercent: percent,
    scaleUp: scalingRuleSchema,
    scaleDown: scalingRuleSchema,
    resources: resourcesSchema,
    terminationGracePeriodSeconds: positiveInt,
});

export const settingsSchema = z.strictObject({
    owner: text,
    costCenter: text,
    network: z.strictObject({
        cidr,
        availabilityZones: z.preprocess(numeric, z.number().int().min(2, { error: "must be 2 or 3 zones" }).max(3, { error: "must be 2 or 3 zones" })),
        natGatewayPerZone: flag,
        podsCidr: cidr,
        servicesCidr: cidr,
        privateServicesCidr: cidr,
        flowLogRetentionDays: positiveInt,
    }),
    cluster: z.strictObject({
        kubernetesVersion: z.string().regex(/^1\.\d{2}$/, { error: 'must be a Kubernetes minor version such as "1.33"' }),
        machineType: text,
        desiredNodes: positiveInt,
        minNodes: positiveInt,
        maxNodes: positiveInt,
        diskSizeGb: positiveInt,
        publicAccessCidrs: z.array(cidr, { error: "must be a list of CIDRs" }),
        releaseChannel: z.enum(["RAPID", "REGULAR", "STABLE"], { error: "must be RAPID, REGULAR or STABLE" }),
        maintenanceStartTime: hhmm,
        deletionProtection: flag,
    }),
    database: z.strictObject({
        engineVersion: z.preprocess((v) => (typeof v === "number" ? String(v) : v), z.string().regex(/^(1[5-9]|[2-9]\d)$/, { error: 'must be a PostgreSQL major version of 15 or newer, such as "16"' })),
        instanceClass: text,
        storageGb: positiveInt,
        maxStorageGb: positiveInt,
        highAvailability: flag,
        backupRetentionDays: positiveInt,
        backupStartTime: hhmm,
        pointInTimeRecovery: flag,
        deletionProtection: flag,
        name: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "must be a lower-case identifier (letters, digits, _)" }),
        username: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "must be a lower-case identifier (letters, digits, _)" }),
        port: positiveInt,
    }),
    cache: z.strictObject({
        engineVersion: z.string().regex(/^7(\.\d+)?$/, { error: 'must be a Redis 7 version such as "7.1"' }),
        nodeType: text,
        memorySizeGb: positiveInt,
        nodes: positiveInt,
        highAvailability: flag,
        snapshotRetentionDays: nonNegativeInt,
        port: positiveInt,
    }),
    image: z.strictObject({
        /** A prebuilt image reference; when set, no image is built. Must be digest-pinned or carry a non-latest tag. */
        ref: z.string().regex(/^[^\s:@]+(:[\w][\w.-]*|@sha256:[a-f0-9]{64})$/, { error: "must be an image reference with a tag or an @sha256 digest" }).refine((r) => !/:latest$/.test(r), { error: 'must not use the "latest" tag' }).optional(),
        buildContext: text,
        dockerfile: text,
        platform: text,
        keepImages: positiveInt,
    }),
    app: z.strictObject({
        defaultModel: text,
        maxConcurrentAgents: positiveInt,
        responseTimeoutSeconds: positiveInt,
        llmRetries: nonNegativeInt,
        cacheTtlSeconds: positiveInt,
        rateLimitPerMinute: positiveInt,
        logLevel: z.enum(logLevels, { error: `must be one of ${logLevels.join(", ")}` }),
        port: tcpPort,
        metricsPort: tcpPort,
        /** Entrypoints of the one service image: API server, queue consumer, schema migration. */
        apiCommand: z.array(text).min(1, { error: "must name a command" }),
        workerCommand: z.array(text).min(1, { error: "must name a command" }),
        migrateCommand: z.array(text).min(1, { error: "must name a command" }),
        /** Exec probe of the worker, run with the container's environment; a queue consumer has no request path to probe. */
        workerProbeCommand: z.array(text).min(1, { error: "must name a command" }),
        /** File the worker touches while its consume loop runs (WORKER_HEARTBEAT_FILE); /tmp is the only writable path. */
        workerHeartbeatFile: z.string({ error: "must be a string" }).regex(/^\/tmp\/[^\s/][^\s]*$/, { error: "must be a file under /tmp/ (the root filesystem is read-only)" }),
        /** Probe timing of the API and the worker (seeds: liveness 30/30/5/3, readiness 10/10/5/3). */
        probes: z.strictObject({ startup: probeSchema, liveness: probeSchema, readiness: probeSchema }),
        /** Seconds an API pod keeps serving after it is taken out of the endpoints, so load balancers drain it. */
        preStopSleepSeconds: nonNegativeInt,
        /** The schema migration Job that runs before every API rollout of a new image. */
        migration: z.strictObject({ backoffLimit: nonNegativeInt, activeDeadlineSeconds: positiveInt, ttlSecondsAfterFinished: positiveInt }),
    }),
    api: workloadSchema,
    worker: workloadSchema,
    ingress: z.strictObject({
        // DNS limits (labels ≤ 63, name ≤ 253) are also the Gateway listener hostname's and the certificate's.
        domain: z
            .string({ error: "is required: the public DNS name of the API" })
            .max(253, { error: "must be a DNS name of at most 253 characters" })
            .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: "must be a DNS name such as api.example.com (labels of at most 63 characters)" }),
        acmeEmail: z.email({ error: "must be an e-mail address for Let's Encrypt" }),
        clusterIssuer: k8sName,
        /** The GatewayClass the public Gateway uses, served by Envoy Gateway. */
        gatewayClassName: k8sName,
        /** Largest request body the edge accepts (413 above it), a Kubernetes quantity as Envoy Gateway's requestBuffer.limit takes it. */
        maxRequestBodySize: z.string({ error: "must be a size string" }).regex(/^[1-9]\d*(Ki|Mi|Gi|k|M|G)?$/, { error: 'must be a size such as "10Mi" or "512Ki"' }),
        /** HTTPRoute `timeouts.request`: how long the edge waits for the whole response. */
        requestTimeoutSeconds: positiveInt,
        /** Requests per second per client address, per edge proxy replica (Envoy local rate limit). */
        rateLimitRps: positiveInt,
        /** Envoy proxy (data plane) replicas; spread across zones, with a PodDisruptionBudget when more than one. */
        proxyReplicas: positiveInt,
        /** Envoy Gateway controller (control plane) replicas; leader-elected, a PodDisruptionBudget when more than one. */
        controllerReplicas: positiveInt,
        proxyResources: resourcesSchema,
    }),
    addons: z.strictObject({
        /** Envoy Gateway's charts (gateway-crds-helm and gateway-helm share the version). */
        envoyGateway: chartVersion,
        certManager: chartVersion,
        metricsServer: chartVersion,
        clusterAutoscaler: chartVersion,
        kubePrometheusStack: chartVersion,
        fluentBit: chartVersion,
        /** How long Helm may take to install or upgrade one release before it is rolled back. */
        timeoutSeconds: positiveInt,
    }),
    backup: z.strictObject({
        schedule: cron,
        retentionDays: positiveInt,
        crossRegion: flag,
        /** Where cross-region copies go; empty means the foundation's documented pairing for the primary region. */
        region: z.string().optional(),
        /** Requests and limits of the backup job's dump and upload containers (gzip is CPU-bound on large databases). */
        resources: resourcesSchema,
    }),
    observability: z.strictObject({
        prometheusRetention: z.string().regex(/^\d+[hdw]$/, { error: 'must be a Prometheus duration such as "15d"' }),
        prometheusStorageGb: positiveInt,
        logRetentionDays: positiveInt,
        alerts: z.strictObject({
            errorRatePercent: positiveNumber,
            p95LatencySeconds: positiveNumber,
            memoryUsagePercent: percent,
            longRunningTaskSeconds: positiveInt,
            cacheHitRatePercent: percent,
            tokenCostPerHourUsd: positiveNumber,
        }),
    }),
    recovery: z.strictObject({
        rpoMinutes: positiveInt,
        rtoMinutes: positiveInt,
    }),
    /** Other teams' namespaces on the cluster (stacks/tenants.ts, docs/tenants.md). */
    tenants: tenantsSchema,
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
    "addons.ingressNginx": "addons.envoyGateway (ingress-nginx is retired; the edge runs on Envoy Gateway)",
};

/** What stack config may say: every section optional, every field within it optional. */
export type SettingsInput = z.input<typeof settingsSchema>;
export type TunedSettings = z.output<typeof settingsSchema>;
export type Cloud = (typeof clouds)[number];
export type Environment = (typeof environments)[number];
export type WorkloadSettings = TunedSettings["api"];
export type ResourceSettings = z.output<typeof resourcesSchema>;
