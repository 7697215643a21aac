import type { Cloud, Environment, TunedSettings } from "./schema";

/**
 * Every default of the platform, in one place. Staging is small and cheap; prod is highly available,
 * sized as the seed guides size it (3 × m5.xlarge / n2-standard-4 nodes autoscaling 2–10, Postgres
 * with 100 GB and 30-day backups, HA Redis with 3 nodes, API 3 replicas scaling 3–20 at 70 % CPU /
 * 80 % memory, 2 workers). Stack config overrides any of it, section by section.
 */

/** Scale up fast, scale down slowly: cold starts of agent pods are expensive (seeds, HPA `behavior`). */
const scaleUp = { stabilizationWindowSeconds: 60, percent: 100, periodSeconds: 15 };
const scaleDown = { stabilizationWindowSeconds: 300, percent: 10, periodSeconds: 60 };

/** One worker runs one agent task at a time; five waiting tasks per worker keep the queue short without over-provisioning. */
const queue = { tasksPerReplica: 5 };

/** The default image (`app/`) answers to these; a custom image overrides them in `ai-platform:app`. */
const commands = {
    apiCommand: ["node", "server.js"],
    workerCommand: ["node", "worker.js"],
    migrateCommand: ["node", "migrate.js"],
    /** Healthy while the consume loop has touched $WORKER_HEARTBEAT_FILE in the last 60 s (statSync throws, exit 1, when it is missing). */
    workerProbeCommand: ["node", "-e", "process.exit(Date.now() - require('fs').statSync(process.env.WORKER_HEARTBEAT_FILE).mtimeMs < 60000 ? 0 : 1)"],
    workerHeartbeatFile: "/tmp/worker-heartbeat",
};

/**
 * How the pods start, are probed and stop (seed probe timings). The startup probe gives a cold start up
 * to 150 s before liveness applies; the preStop sleep keeps a terminating API pod serving while the
 * load balancer drains it. The migration Job gets 15 minutes and is garbage-collected a day after it ends.
 */
const lifecycle = {
    probes: {
        startup: { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 30 },
        liveness: { initialDelaySeconds: 30, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
        readiness: { initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    },
    preStopSleepSeconds: 10,
    migration: { backoffLimit: 3, activeDeadlineSeconds: 900, ttlSecondsAfterFinished: 86400 },
};

/** Chart versions are pinned here, one place for upgrades. */
const addons: Omit<TunedSettings["addons"], "controllerReplicas"> = {
    // Envoy Gateway v1.9.0 (2026-08-15, github.com/envoyproxy/gateway tags; checked 2026-11-27): Gateway API v1
    // standard channel, local rate limits per distinct client address (since v1.4), requestBuffer limits.
    // Envoy AI Gateway v1.1 needs Envoy Gateway ≥ 1.8.1.
    envoyGateway: "v1.9.0",
    // Envoy AI Gateway v1.1.0 (2026-08-21, github.com/envoyproxy/ai-gateway tag v1.1.0): aigateway.envoyproxy.io/v1beta1.
    aiGateway: "v1.1.0",
    certManager: "v1.21.2",
    metricsServer: "3.13.1",
    // kedacore/charts keda/Chart.yaml, version and appVersion 2.20.2 (read 2026-11-27).
    keda: "2.20.2",
    clusterAutoscaler: "9.56.0",
    kubePrometheusStack: "79.5.0",
    fluentBit: "0.1.35",
    timeoutSeconds: 600,
    // The first install pulls a dozen images and waits for Prometheus' volume to bind.
    kubePrometheusStackTimeoutSeconds: 900,
};

/**
 * The default model on all three providers, in fallback order; backends whose provider has no key are
 * left out, so any one key gives a working route. Model names: each provider's model list (read 2026-11-27).
 */
const llmModels = [
    {
        name: "claude-sonnet-4-5",
        backends: [{ provider: "anthropic" as const }, { provider: "openai" as const, model: "gpt-4.1" }, { provider: "gemini" as const, model: "gemini-2.5-pro" }],
    },
];

/** The LLM gateway's proxies carry only the service's calls to the providers: smaller than the edge's. */
const llmGatewayProxyResources = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } };
/** A few keys per caller per hour: Redis's own footprint dominates. */
const rateLimitRedisResources = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "128Mi" } };

/** Envoy's own defaults request 100m / 512Mi with no limit; a limit keeps a runaway proxy from starving its node. */
const proxyResources: TunedSettings["ingress"]["proxyResources"] = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } };

/** pg_dump streams and gzip compresses; neither holds the database in memory, so a small pod suffices. */
const backupResources: TunedSettings["backup"]["resources"] = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } };

type Sizing = Pick<TunedSettings["cluster"], "machineType"> & Pick<TunedSettings["database"], "instanceClass"> & Pick<TunedSettings["cache"], "nodeType">;

/**
 * The only values that name a cloud's own machine shapes; everything else is cloud-neutral. Staging is
 * sized to cost at most a quarter of prod (`npm run plan` prints both estimates): a Graviton burstable
 * database on AWS, and on GCP, where a regional pool runs a node in each of three zones, 6 GB nodes.
 */
export const cloudSizing: Record<Cloud, Record<Environment, Sizing>> = {
    aws: {
        staging: { machineType: "t3.large", instanceClass: "db.t4g.small", nodeType: "cache.t4g.small" },
        prod: { machineType: "m5.xlarge", instanceClass: "db.t3.large", nodeType: "cache.r6g.large" },
    },
    gcp: {
        staging: { machineType: "e2-custom-2-6144", instanceClass: "db-custom-1-3840", nodeType: "BASIC" },
        prod: { machineType: "n2-standard-4", instanceClass: "db-custom-4-16384", nodeType: "STANDARD_HA" },
    },
};

/**
 * A regional GKE cluster runs its nodes in three of its region's zones (cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters,
 * read 2026-11-27); on AWS the nodes span the subnets' `network.availabilityZones`.
 */
export const gkeRegionalClusterZones = 3;

/** Zones the cluster's nodes span on this cloud: what "one per zone" counts. */
export function clusterZones(cloud: Cloud, network: Pick<TunedSettings["network"], "availabilityZones">): number {
    return cloud === "gcp" ? gkeRegionalClusterZones : network.availabilityZones;
}

type Defaults = Omit<TunedSettings, "ingress"> & { ingress: Omit<TunedSettings["ingress"], "domain" | "acmeEmail"> };

export const environmentDefaults: Record<Environment, Defaults> = {
    staging: {
        owner: "platform-team",
        costCenter: "ai-platform",
        protectData: false,
        network: {
            cidr: "10.0.0.0/16",
            availabilityZones: 3,
            natGatewayPerZone: false,
            podsCidr: "10.16.0.0/14",
            servicesCidr: "10.20.0.0/20",
            privateServicesCidr: "10.24.0.0/16",
            flowLogRetentionDays: 14,
        },
        cluster: {
            kubernetesVersion: "1.35",
            machineType: "",
            desiredNodes: 2,
            minNodes: 1,
            maxNodes: 4,
            diskSizeGb: 30,
            publicAccessCidrs: [],
            releaseChannel: "REGULAR",
            maintenanceStartTime: "03:00",
            deletionProtection: false,
        },
        database: {
            engineVersion: "16",
            instanceClass: "",
            storageGb: 20,
            maxStorageGb: 100,
            highAvailability: false,
            backupRetentionDays: 7,
            backupStartTime: "03:00",
            pointInTimeRecovery: true,
            deletionProtection: false,
            name: "agents",
            username: "agents_app",
            port: 5432,
        },
        cache: {
            engineVersion: "7.1",
            nodeType: "",
            memorySizeGb: 1,
            nodes: 1,
            highAvailability: false,
            snapshotRetentionDays: 1,
            port: 6379,
        },
        image: { buildContext: "app", dockerfile: "Dockerfile", platform: "linux/amd64", keepImages: 20 },
        app: {
            defaultModel: "claude-sonnet-4-5",
            maxConcurrentAgents: 10,
            responseTimeoutSeconds: 120,
            llmRetries: 2,
            cacheTtlSeconds: 3600,
            rateLimitPerMinute: 60,
            logLevel: "debug",
            port: 8080,
            metricsPort: 9090,
            ...commands,
            ...lifecycle,
        },
        api: {
            replicas: 2,
            minReplicas: 2,
            maxReplicas: 4,
            cpuTargetPercent: 70,
            memoryTargetPercent: 80,
            inFlightRequestsTarget: 7,
            metricFailureThreshold: 3,
            scaleUp,
            scaleDown,
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
            terminationGracePeriodSeconds: 150,
        },
        worker: {
            replicas: 1,
            // Scales to zero while the queue is empty: staging pays for workers only when there is work.
            minReplicas: 0,
            maxReplicas: 3,
            queue: { ...queue, pollingIntervalSeconds: 15, cooldownSeconds: 300 },
            scaleUp,
            scaleDown,
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
            terminationGracePeriodSeconds: 300,
        },
        ingress: {
            clusterIssuer: "letsencrypt-staging",
            gatewayClassName: "envoy-gateway",
            maxRequestBodySize: "10Mi",
            requestTimeoutSeconds: 300,
            rateLimitRps: 20,
            proxyReplicas: 1,
            controllerReplicas: 1,
            proxyResources,
        },
        llmGateway: {
            models: llmModels,
            requestTimeoutSeconds: 120,
            attemptTimeoutSeconds: 60,
            retries: 2,
            controllerReplicas: 1,
            proxyReplicas: 1,
            proxyResources: llmGatewayProxyResources,
            budget: { tokensPerHour: 2_000_000, usdPerHour: 10 },
            tenantBudget: { tokensPerHour: 500_000, usdPerHour: 2 },
            budgetAlertPercent: 80,
            rateLimitRedisResources,
        },
        addons: { ...addons, controllerReplicas: 1 },
        backup: { schedule: "0 2 * * *", retentionDays: 7, crossRegion: false, immutable: false, resources: backupResources },
        observability: {
            prometheusRetention: "3d",
            prometheusStorageGb: 10,
            logRetentionDays: 7,
            alerts: {
                errorRatePercent: 5,
                p95LatencySeconds: 2,
                memoryUsagePercent: 90,
                longRunningTaskSeconds: 14400,
                cacheHitRatePercent: 30,
                tokenCostPerHourUsd: 5,
            },
        },
        recovery: { rpoMinutes: 1440, rtoMinutes: 480 },
        budget: {},
        tenants: [],
    },
    prod: {
        owner: "platform-team",
        costCenter: "ai-platform",
        protectData: true,
        network: {
            cidr: "10.0.0.0/16",
            availabilityZones: 3,
            natGatewayPerZone: true,
            podsCidr: "10.16.0.0/14",
            servicesCidr: "10.20.0.0/20",
            privateServicesCidr: "10.24.0.0/16",
            flowLogRetentionDays: 90,
        },
        cluster: {
            kubernetesVersion: "1.35",
            machineType: "",
            desiredNodes: 3,
            minNodes: 2,
            maxNodes: 10,
            diskSizeGb: 100,
            publicAccessCidrs: [],
            releaseChannel: "STABLE",
            maintenanceStartTime: "03:00",
            deletionProtection: true,
        },
        database: {
            engineVersion: "16",
            instanceClass: "",
            storageGb: 100,
            maxStorageGb: 500,
            highAvailability: true,
            backupRetentionDays: 30,
            backupStartTime: "03:00",
            pointInTimeRecovery: true,
            deletionProtection: true,
            name: "agents",
            username: "agents_app",
            port: 5432,
        },
        cache: {
            engineVersion: "7.1",
            nodeType: "",
            memorySizeGb: 5,
            nodes: 3,
            highAvailability: true,
            snapshotRetentionDays: 7,
            port: 6379,
        },
        image: { buildContext: "app", dockerfile: "Dockerfile", platform: "linux/amd64", keepImages: 50 },
        app: {
            defaultModel: "claude-sonnet-4-5",
            maxConcurrentAgents: 50,
            responseTimeoutSeconds: 120,
            llmRetries: 3,
            cacheTtlSeconds: 3600,
            rateLimitPerMinute: 100,
            logLevel: "info",
            port: 8080,
            metricsPort: 9090,
            ...commands,
            ...lifecycle,
        },
        api: {
            replicas: 3,
            minReplicas: 3,
            maxReplicas: 20,
            cpuTargetPercent: 70,
            memoryTargetPercent: 80,
            inFlightRequestsTarget: 35,
            metricFailureThreshold: 3,
            scaleUp,
            scaleDown,
            resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } },
            terminationGracePeriodSeconds: 150,
        },
        worker: {
            // One worker per zone (network.availabilityZones) at all times, so a zone outage never stops the queue.
            replicas: 3,
            minReplicas: 3,
            maxReplicas: 10,
            queue: { ...queue, pollingIntervalSeconds: 30, cooldownSeconds: 300 },
            scaleUp,
            scaleDown,
            resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
            terminationGracePeriodSeconds: 300,
        },
        ingress: {
            clusterIssuer: "letsencrypt-prod",
            gatewayClassName: "envoy-gateway",
            maxRequestBodySize: "10Mi",
            requestTimeoutSeconds: 300,
            rateLimitRps: 50,
            proxyReplicas: 2,
            controllerReplicas: 2,
            proxyResources,
        },
        llmGateway: {
            models: llmModels,
            requestTimeoutSeconds: 120,
            attemptTimeoutSeconds: 60,
            retries: 2,
            controllerReplicas: 2,
            proxyReplicas: 2,
            proxyResources: llmGatewayProxyResources,
            budget: { tokensPerHour: 20_000_000, usdPerHour: 100 },
            tenantBudget: { tokensPerHour: 2_000_000, usdPerHour: 10 },
            budgetAlertPercent: 80,
            rateLimitRedisResources,
        },
        addons: { ...addons, controllerReplicas: 2 },
        backup: { schedule: "0 2 * * *", retentionDays: 30, crossRegion: true, immutable: true, resources: backupResources },
        observability: {
            prometheusRetention: "15d",
            prometheusStorageGb: 50,
            logRetentionDays: 30,
            alerts: {
                errorRatePercent: 5,
                p95LatencySeconds: 2,
                memoryUsagePercent: 90,
                longRunningTaskSeconds: 14400,
                cacheHitRatePercent: 30,
                tokenCostPerHourUsd: 50,
            },
        },
        recovery: { rpoMinutes: 60, rtoMinutes: 240 },
        budget: {},
        tenants: [],
    },
};

/** The defaults of one environment on one cloud: the neutral table with the cloud's machine shapes filled in. */
export function defaultsFor(cloud: Cloud, environment: Environment): Defaults {
    const base = environmentDefaults[environment];
    const sizing = cloudSizing[cloud][environment];
    return {
        ...base,
        cluster: { ...base.cluster, machineType: sizing.machineType },
        database: { ...base.database, instanceClass: sizing.instanceClass },
        cache: { ...base.cache, nodeType: sizing.nodeType },
    };
}
