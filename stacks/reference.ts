import { cloudSizing, environmentDefaults } from "./defaults";
import { alertingKeyNames, projectName, providerKeyNames } from "./settings";

/**
 * The config reference: one row per setting, its type, its default in each environment and what it
 * means. docs/configuration.md's table is rendered from this (`npm run docs`), and a test fails when
 * the two drift apart or when a setting has no description.
 */

/** What each setting means, by dotted path under `ai-platform:`. */
export const descriptions: Record<string, string> = {
    cloud: "Cloud the stack runs on: `aws` or `gcp`.",
    environment: "`staging` or `prod`; defaults to the stack name, required for other stack names.",
    owner: "Team that owns the stack; the `owner` tag/label on every resource.",
    costCenter: "The `cost-center` tag/label on every resource.",
    protectData: "Pulumi `protect` on the database, cache, backup buckets and keys, and no force-destroy: `pulumi destroy` refuses to delete them.",
    "network.cidr": "Primary CIDR of the VPC / subnetwork.",
    "network.availabilityZones": "Zones the subnets (AWS) span.",
    "network.natGatewayPerZone": "One NAT gateway per zone (HA egress) instead of a single one (AWS).",
    "network.podsCidr": "Secondary range for pods (GCP).",
    "network.servicesCidr": "Secondary range for Services (GCP).",
    "network.privateServicesCidr": "Private services access range for Cloud SQL and Memorystore (GCP).",
    "network.flowLogRetentionDays": "Days VPC flow logs are kept.",
    "cluster.kubernetesVersion": "Kubernetes minor version of the control plane and nodes.",
    "cluster.machineType": "Node machine type (EC2 instance type / GCE machine type).",
    "cluster.desiredNodes": "Nodes at creation; afterwards the autoscaler owns the count.",
    "cluster.minNodes": "Autoscaling lower bound of the node group / pool.",
    "cluster.maxNodes": "Autoscaling upper bound of the node group / pool.",
    "cluster.diskSizeGb": "Encrypted root volume size of each node.",
    "cluster.publicAccessCidrs": "CIDRs allowed to reach the public Kubernetes API endpoint (where `pulumi up` runs); empty means private only. Never `0.0.0.0/0` in prod.",
    "cluster.releaseChannel": "GKE release channel.",
    "cluster.maintenanceStartTime": "Daily maintenance window start, UTC (GKE).",
    "cluster.deletionProtection": "Cluster deletion protection (EKS and GKE): the cloud API refuses to delete the cluster while it is on.",
    "database.engineVersion": "PostgreSQL major version (15 or newer).",
    "database.instanceClass": "RDS instance class / Cloud SQL tier.",
    "database.storageGb": "Allocated storage.",
    "database.maxStorageGb": "Storage autoscaling ceiling.",
    "database.highAvailability": "Multi-AZ (RDS) / REGIONAL (Cloud SQL) standby.",
    "database.backupRetentionDays": "Automated backup retention; at least 7 in prod.",
    "database.backupStartTime": "Automated backup window start, UTC.",
    "database.pointInTimeRecovery": "Point-in-time recovery (sets the achievable RPO).",
    "database.deletionProtection": "API-level deletion protection.",
    "database.name": "Database the service uses.",
    "database.username": "Database user of the service.",
    "database.port": "Database port.",
    "cache.engineVersion": "Redis version (7.x).",
    "cache.nodeType": "ElastiCache node type / Memorystore tier.",
    "cache.memorySizeGb": "Memorystore capacity (GCP).",
    "cache.nodes": "ElastiCache nodes (primary plus replicas).",
    "cache.highAvailability": "Multi-AZ with automatic failover / STANDARD_HA.",
    "cache.snapshotRetentionDays": "Days cache snapshots are kept.",
    "cache.port": "Redis port.",
    "image.ref": "Prebuilt image (`repo:tag` or `repo@sha256:…`, never `latest`); when set, nothing is built. Unset by default.",
    "image.buildContext": "Docker build context of the service image.",
    "image.dockerfile": "Dockerfile within the build context.",
    "image.platform": "Target platform of the build.",
    "image.keepImages": "Images the registry's lifecycle policy keeps.",
    "app.defaultModel": "Default LLM the agents use.",
    "app.maxConcurrentAgents": "Agents one API pod runs at once.",
    "app.responseTimeoutSeconds": "Timeout of one LLM response.",
    "app.llmRetries": "Retries of a failed LLM call.",
    "app.cacheTtlSeconds": "TTL of cached LLM responses in Redis.",
    "app.rateLimitPerMinute": "Requests per minute per client the service allows.",
    "app.logLevel": "`debug`, `info`, `warning` or `error`.",
    "app.port": "Port the API listens on.",
    "app.metricsPort": "Port serving Prometheus metrics.",
    "app.apiCommand": "Entrypoint of the API container.",
    "app.workerCommand": "Entrypoint of the worker (queue consumer).",
    "app.migrateCommand": "Entrypoint of the migration Job run before each rollout.",
    "app.workerProbeCommand": "Exec liveness/readiness probe of the worker (a queue consumer serves no HTTP).",
    "app.workerHeartbeatFile": "File the worker touches on each loop and its probe checks; must be under `/tmp/`.",
    "app.preStopSleepSeconds": "Seconds a terminating API pod keeps serving while the load balancer drains it.",
    "app.migration.backoffLimit": "Retries of a failed migration Job.",
    "app.migration.activeDeadlineSeconds": "Time a migration may run before it fails.",
    "app.migration.ttlSecondsAfterFinished": "When a finished migration Job is garbage-collected.",
    "addons.timeoutSeconds": "Time each add-on Helm release may take to become ready.",
    "addons.kubePrometheusStackTimeoutSeconds": "Time the kube-prometheus-stack release may take to become ready (its first install pulls a dozen images and waits for Prometheus' volume).",
    "addons.controllerReplicas": "Replicas of the add-ons' controllers (cert-manager and its webhook, metrics-server, KEDA); a disruption budget when more than one.",
    "ingress.domain": "Public DNS name of the API (required).",
    "ingress.acmeEmail": "Let's Encrypt account e-mail (required).",
    "ingress.clusterIssuer": "cert-manager ClusterIssuer for the API's certificate.",
    "ingress.gatewayClassName": "GatewayClass of the public Gateway (Envoy Gateway).",
    "ingress.maxRequestBodySize": "Largest request body the edge accepts (413 above it).",
    "ingress.requestTimeoutSeconds": "HTTPRoute request timeout, long enough for LLM calls.",
    "ingress.rateLimitRps": "Requests per second per client address, per edge proxy replica.",
    "ingress.proxyReplicas": "Envoy proxy replicas, spread across zones; at least 2 in prod.",
    "ingress.controllerReplicas": "Envoy Gateway controller replicas.",
    "ingress.proxyResources.requests.cpu": "Envoy proxy CPU request.",
    "ingress.proxyResources.requests.memory": "Envoy proxy memory request.",
    "ingress.proxyResources.limits.cpu": "Envoy proxy CPU limit.",
    "ingress.proxyResources.limits.memory": "Envoy proxy memory limit.",
    "llmGateway.models":
        'Models the service may ask the LLM gateway for, each with its backends in fallback order: `[{"name":"gpt-4.1","backends":[{"provider":"openai"},{"provider":"anthropic","model":"claude-sonnet-4-5"}]}]`. Providers: `openai`, `anthropic`, `gemini`; one without a key is left out. See docs/ai-gateway.md.',
    "llmGateway.requestTimeoutSeconds": "Time the LLM gateway gives one request, fallbacks included.",
    "llmGateway.attemptTimeoutSeconds": "Time the LLM gateway gives one attempt at one backend.",
    "llmGateway.retries": "Retries after the first attempt, each at the next backend in fallback order.",
    "llmGateway.controllerReplicas": "Envoy AI Gateway controller replicas; a disruption budget when more than one.",
    "llmGateway.proxyReplicas": "LLM gateway Envoy proxy replicas, spread across zones.",
    "llmGateway.proxyResources.requests.cpu": "LLM gateway proxy CPU request.",
    "llmGateway.proxyResources.requests.memory": "LLM gateway proxy memory request.",
    "llmGateway.proxyResources.limits.cpu": "LLM gateway proxy CPU limit.",
    "llmGateway.proxyResources.limits.memory": "LLM gateway proxy memory limit.",
    "llmGateway.budget.tokensPerHour": "The service's (API and worker) LLM tokens per hour at the gateway; 429 above it until the hour rolls over.",
    "llmGateway.budget.usdPerHour": "The service's estimated LLM spend per hour in USD (price book's llmTokenPrices); 429 above it.",
    "llmGateway.tenantBudget.tokensPerHour": "LLM tokens per hour of each tenant without its own llmBudget.",
    "llmGateway.tenantBudget.usdPerHour": "Estimated LLM USD per hour of each tenant without its own llmBudget.",
    "llmGateway.budgetAlertPercent": "Share of a budget's USD per hour at which the spend alert warns; critical at 100 %.",
    "llmGateway.rateLimitRedisResources.requests.cpu": "CPU request of the Redis behind the LLM budgets' rate limiter.",
    "llmGateway.rateLimitRedisResources.requests.memory": "Memory request of the rate limiter's Redis.",
    "llmGateway.rateLimitRedisResources.limits.cpu": "CPU limit of the rate limiter's Redis.",
    "llmGateway.rateLimitRedisResources.limits.memory": "Memory limit of the rate limiter's Redis.",
    "addons.envoyGateway": "Envoy Gateway chart version (gateway-crds-helm and gateway-helm).",
    "addons.aiGateway": "Envoy AI Gateway chart version (ai-gateway-crds-helm and ai-gateway-helm); needs Envoy Gateway 1.8.1 or later.",
    "addons.certManager": "cert-manager chart version.",
    "addons.metricsServer": "metrics-server chart version (where the cloud lacks one).",
    "addons.keda": "KEDA chart version (the event-driven autoscaler of the API and worker).",
    "addons.clusterAutoscaler": "cluster-autoscaler chart version (AWS).",
    "addons.kubePrometheusStack": "kube-prometheus-stack chart version.",
    "addons.fluentBit": "aws-for-fluent-bit chart version (AWS).",
    "backup.schedule": "Cron schedule of the `pg_dump` backup job, UTC.",
    "backup.retentionDays": "Days dumps are kept in the backups bucket; at least 7 in prod.",
    "backup.crossRegion": "Copy automated database backups and the dumps to a second region (S3 replication on AWS, a multi-region bucket on GCP).",
    "backup.immutable":
        "Dumps cannot be deleted or overwritten until `backup.retentionDays` have passed (S3 Object Lock in compliance mode, a locked Cloud Storage retention policy); leave off where stacks are torn down.",
    "backup.region": "Region for cross-region copies; unset picks the foundation's pairing.",
    "observability.prometheusRetention": "Prometheus retention.",
    "observability.prometheusStorageGb": "Prometheus persistent volume size.",
    "observability.logRetentionDays": "Days container and flow logs are kept.",
    "observability.alerts.errorRatePercent": "HighErrorRate fires above this error percentage for 5 min.",
    "observability.alerts.p95LatencySeconds": "HighLatency fires above this p95 for 5 min.",
    "observability.alerts.memoryUsagePercent": "HighMemoryUsage fires above this share of the memory limit.",
    "observability.alerts.longRunningTaskSeconds": "LongRunningTask fires for tasks running longer.",
    "observability.alerts.cacheHitRatePercent": "LowCacheHitRate fires below this hit rate for 10 min.",
    "observability.alerts.tokenCostPerHourUsd": "Token-spend alert budget, USD per hour.",
    "recovery.rpoMinutes": "Recovery point objective the configuration must achieve.",
    "recovery.rtoMinutes": "Recovery time objective the runbook is written for.",
    "budget.monthlyUsd": "Monthly budget, USD: the plan and policy pack fail when the estimate exceeds it, and the cloud alerts at 50/80/100 % of actual and forecast spend. Unset: no budget.",
    "budget.billingAccount": "Cloud Billing account of the GCP budget; required on GCP with a budget.",
    "budget.alertEmails": "Who gets budget alerts (at most 5); unset means `ingress.acmeEmail`.",
    tenants:
        "Other teams' namespaces: a list of `{ name, principal, quota: { cpu, memory, pods }, ports, llmBudget }` (`ports`: where its services listen, the only ports the edge may reach; default `[8080]`; `llmBudget`: `{ tokensPerHour, usdPerHour }` at the LLM gateway, default `llmGateway.tenantBudget`); `principal` is an IAM role ARN (AWS) or `group:`/`user:`/`serviceAccount:` (GCP). See docs/tenants.md.",
};

/** Settings whose default is "unset": they appear in no defaults table. */
const optional: Record<string, string> = {
    tenants: "object[]",
    "image.ref": "string",
    "backup.region": "string",
    "ingress.domain": "string",
    "ingress.acmeEmail": "string",
    "budget.monthlyUsd": "number",
    "budget.billingAccount": "string",
    "budget.alertEmails": "string[]",
};

/** Per-workload settings share one description, written once. */
const workloadDescriptions: Record<string, string> = {
    replicas: "Replicas at creation; afterwards KEDA's autoscaler owns the count.",
    minReplicas: "Autoscaling lower bound.",
    maxReplicas: "Autoscaling upper bound.",
    cpuTargetPercent: "CPU utilisation target.",
    memoryTargetPercent: "Memory utilisation target.",
    inFlightRequestsTarget: "Average requests in flight per pod to scale at (from Prometheus); at most `app.maxConcurrentAgents`.",
    metricFailureThreshold: "Failed reads of the request metric after which the autoscaler holds the current count (never scales in blind).",
    "queue.tasksPerReplica": "Waiting tasks per worker to scale at (length of the Redis task list).",
    "queue.pollingIntervalSeconds": "How often KEDA reads the queue while workers may scale to zero.",
    "queue.cooldownSeconds": "How long the queue stays empty before the workers scale to zero.",
    "scaleUp.stabilizationWindowSeconds": "Scale-up stabilisation window.",
    "scaleUp.percent": "Scale-up step, percent of current replicas.",
    "scaleUp.periodSeconds": "Scale-up policy period.",
    "scaleDown.stabilizationWindowSeconds": "Scale-down stabilisation window (slow, to avoid cold starts).",
    "scaleDown.percent": "Scale-down step, percent of current replicas.",
    "scaleDown.periodSeconds": "Scale-down policy period.",
    "resources.requests.cpu": "CPU request per pod.",
    "resources.requests.memory": "Memory request per pod.",
    "resources.limits.cpu": "CPU limit per pod.",
    "resources.limits.memory": "Memory limit per pod.",
    terminationGracePeriodSeconds: "Time a pod gets to finish in-flight work on shutdown.",
};

export interface ReferenceRow {
    key: string;
    type: string;
    staging: string;
    prod: string;
    meaning: string;
}

function leaves(value: unknown, prefix = ""): [string, unknown][] {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
    }
    return [[prefix, value]];
}

const typeOf = (v: unknown) => (Array.isArray(v) ? "string[]" : typeof v);
const shown = (v: unknown) => (v === undefined ? "—" : v === "" ? "(per cloud)" : `\`${JSON.stringify(v).replace(/^"|"$/g, "")}\``);

const probeFields: Record<string, string> = {
    initialDelaySeconds: "delay before the first check",
    periodSeconds: "interval between checks",
    timeoutSeconds: "timeout of one check",
    failureThreshold: "failures before the probe fails",
};

function meaningOf(key: string): string | undefined {
    const probe = key.match(/^app\.probes\.(startup|liveness|readiness)\.(\w+)$/);
    if (probe && probeFields[probe[2]]) return `${probe[1][0].toUpperCase()}${probe[1].slice(1)} probe of the API and worker: ${probeFields[probe[2]]}.`;
    const backupResources = key.match(/^backup\.(resources\..+)$/);
    if (backupResources) return `Backup job containers: ${workloadDescriptions[backupResources[1]].replace(" per pod", "")}`;
    const workload = key.match(/^(api|worker)\.(.+)$/);
    if (workload) return `${workload[1] === "api" ? "API" : "Worker"}: ${workloadDescriptions[workload[2]] ?? ""}`.trim();
    return descriptions[key];
}

/** Every setting with its defaults; machine shapes show each cloud's value. */
export function configReference(): ReferenceRow[] {
    const staging = new Map(leaves(environmentDefaults.staging));
    const prod = new Map(leaves(environmentDefaults.prod));
    const keys = [...new Set([...staging.keys(), ...prod.keys(), ...Object.keys(optional)])];
    const perCloud: Record<string, "machineType" | "instanceClass" | "nodeType"> = { "cluster.machineType": "machineType", "database.instanceClass": "instanceClass", "cache.nodeType": "nodeType" };
    const rows: ReferenceRow[] = [
        { key: "cloud", type: "string", staging: "`aws`", prod: "`aws`", meaning: descriptions.cloud },
        { key: "environment", type: "string", staging: "stack name", prod: "stack name", meaning: descriptions.environment },
    ];
    for (const key of keys) {
        const field = perCloud[key];
        const cell = (env: "staging" | "prod", value: unknown) => (field ? `aws \`${cloudSizing.aws[env][field]}\`, gcp \`${cloudSizing.gcp[env][field]}\`` : shown(value));
        rows.push({ key, type: optional[key] ?? typeOf(prod.get(key)), staging: cell("staging", staging.get(key)), prod: cell("prod", prod.get(key)), meaning: meaningOf(key) ?? "" });
    }
    for (const key of providerKeyNames) rows.push({ key, type: "secret", staging: "—", prod: "—", meaning: "AI provider API key (`pulumi config set --secret`); at least one is required." });
    for (const key of alertingKeyNames) rows.push({ key, type: "secret", staging: "—", prod: "—", meaning: "Alertmanager receiver (`pulumi config set --secret`); none when unset." });
    return rows;
}

export function renderConfigTable(): string {
    const lines = ["| key | type | staging | prod | meaning |", "|---|---|---|---|---|"];
    for (const row of configReference()) lines.push(`| \`${projectName}:${row.key}\` | ${row.type} | ${row.staging} | ${row.prod} | ${row.meaning} |`);
    return lines.join("\n");
}

/** Where the table sits in docs/configuration.md; `npm run docs` (tools/docs.ts) rewrites what is between. */
export const tableMarkers = { begin: "<!-- config-table:begin (generated by `npm run docs` from stacks/reference.ts) -->", end: "<!-- config-table:end -->" };
