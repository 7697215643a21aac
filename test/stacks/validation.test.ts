import { checkStackSettings } from "../../tools/plan/settingsCheck";
import { validateSettings } from "../../stacks/validate";
import { apiAccessTooWide } from "../../stacks/apiAccess";
import * as apiAccessFacts from "../../stacks/facts/apiAccess";
import { cloudWatchRetentionDays } from "../../stacks/facts/logRetention";
import { prodMinimums } from "../../stacks/facts/prod";
import { oldestSupportedKubernetesVersion, kubernetesVersions } from "../../stacks/facts/versions";
import { minimumVersionSchema } from "../../policy/lib/versions";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../../tools/engine/harness";
import { parseConfigArgs } from "../../tools/plan/configArgs";
import { planExitCode, planStack } from "../../tools/plan/planStack";
import { mandatoryViolations } from "../../tools/plan/policyStep";

/**
 * Hostile and mistaken configurations, table by table: each must be refused with exit 2 (bad config,
 * found before anything is evaluated) and a message naming the problem; legitimate variants must pass.
 * They run through the same check the plan CLI runs first (`checkStackSettings`), in-process, so the
 * table stays fast; test/plan/cli.test.ts runs a few end to end.
 */

type Config = Record<string, unknown>;
interface Case {
    stack: "prod" | "staging";
    cloud: "aws" | "gcp";
    config: Config;
    secrets?: Record<string, string>;
    fragment: string | RegExp;
}

const gcp: Config = { "ai-platform:cloud": "gcp", "aws:region": undefined, "gcp:project": "acme-agents", "gcp:region": "us-central1" };
const onCloud = (cloud: "aws" | "gcp", config: Config): Config => (cloud === "gcp" ? { ...gcp, ...config } : config);

/** Bad on both clouds and both stacks. */
const everywhere: [string, Config, string | RegExp][] = [
    ["API ranges splitting the internet in two", { "ai-platform:cluster.publicAccessCidrs": '["0.0.0.0/1","128.0.0.0/1"]' }, "that is the internet"],
    ["API range 0.0.0.0/0", { "ai-platform:cluster.publicAccessCidrs[0]": "0.0.0.0/0" }, "that is the internet"],
    ["API ranges as four /2s", { "ai-platform:cluster.publicAccessCidrs": '["0.0.0.0/2","64.0.0.0/2","128.0.0.0/2","192.0.0.0/2"]' }, "that is the internet"],
    ["API range a /7", { "ai-platform:cluster.publicAccessCidrs": '["4.0.0.0/7"]' }, "that is the internet"],
    ["API range with host bits", { "ai-platform:cluster.publicAccessCidrs[0]": "203.0.113.7/24" }, "host bits"],
    ["API range not a CIDR", { "ai-platform:cluster.publicAccessCidrs[0]": "my-office" }, "IPv4 CIDR"],
    ["API range as a bare address", { "ai-platform:cluster.publicAccessCidrs[0]": "203.0.113.7" }, "IPv4 CIDR"],
    ["API ranges not a list", { "ai-platform:cluster.publicAccessCidrs": "203.0.113.0/24" }, "list of CIDRs"],
    ["VPC with host bits", { "ai-platform:network.cidr": "10.0.5.7/16" }, "range is 10.0.0.0/16"],
    ["public VPC range", { "ai-platform:network.cidr": "8.8.0.0/16" }, "RFC 1918"],
    ["VPC range too small", { "ai-platform:network.cidr": "10.0.0.0/25" }, "range on"],
    ["VPC range not a CIDR", { "ai-platform:network.cidr": "10.0.0.0" }, "IPv4 CIDR"],
    ["VPC range out of bounds", { "ai-platform:network.cidr": "10.0.0.300/16" }, "IPv4 CIDR"],
    ["services range overlapping the VPC", { "ai-platform:network.servicesCidr": "10.0.0.0/20" }, "must not overlap network.cidr"],
    ["public pods range", { "ai-platform:network.podsCidr": "8.8.0.0/14" }, "RFC 1918"],
    ["public private-services range", { "ai-platform:network.privateServicesCidr": "1.2.0.0/16" }, "RFC 1918"],
    ["4 zones", { "ai-platform:network.availabilityZones": 4 }, "2 or 3 zones"],
    ["1 zone", { "ai-platform:network.availabilityZones": 1 }, "2 or 3 zones"],
    ["Kubernetes 1.99", { "ai-platform:cluster.kubernetesVersion": "1.99" }, "standard support"],
    ["Kubernetes 1.30 (end of standard support)", { "ai-platform:cluster.kubernetesVersion": "1.30" }, "standard support"],
    ["Kubernetes as a word", { "ai-platform:cluster.kubernetesVersion": "latest" }, "Kubernetes minor version"],
    ["Postgres 99", { "ai-platform:database.engineVersion": "99" }, "PostgreSQL major version"],
    ["Postgres 12", { "ai-platform:database.engineVersion": 12 }, "PostgreSQL major version"],
    ["Postgres 16.4", { "ai-platform:database.engineVersion": "16.4" }, "PostgreSQL major version"],
    ["Redis 5.0", { "ai-platform:cache.engineVersion": "5.0" }, "Redis version"],
    ["Redis as text", { "ai-platform:cache.engineVersion": "newest" }, "Redis version"],
    ["machine type potato", { "ai-platform:cluster.machineType": "potato" }, "machineType"],
    ["instance class potato", { "ai-platform:database.instanceClass": "potato" }, "instanceClass"],
    ["cache node type potato", { "ai-platform:cache.nodeType": "potato" }, "nodeType"],
    ["1 GB node disk", { "ai-platform:cluster.diskSizeGb": 1 }, "cluster.diskSizeGb"],
    ["1 GB database", { "ai-platform:database.storageGb": 1 }, "database.storageGb"],
    ["database storage above its max", { "ai-platform:database.storageGb": 600, "ai-platform:database.maxStorageGb": 500 }, "database.maxStorageGb"],
    ["100,000 GB of cache", { "ai-platform:cache.memorySizeGb": 100000 }, "cache.memorySizeGb"],
    ["rdsadmin as the user", { "ai-platform:database.username": "rdsadmin" }, "reserved"],
    ["postgres as the user", { "ai-platform:database.username": "postgres" }, "reserved"],
    ["cloudsqladmin as the user", { "ai-platform:database.username": "cloudsqladmin" }, "reserved"],
    ["pg_ user", { "ai-platform:database.username": "pg_agents" }, "reserved"],
    ["upper-case user", { "ai-platform:database.username": "Agents" }, "lower-case identifier"],
    ["template1 as the database", { "ai-platform:database.name": "template1" }, "reserved"],
    ["database name with a dash", { "ai-platform:database.name": "my-db" }, "lower-case identifier"],
    ["a cron that never fires", { "ai-platform:backup.schedule": "0 2 31 2 *" }, "never fires"],
    ["30 February", { "ai-platform:backup.schedule": "0 2 30 2 *" }, "never fires"],
    ["31 April", { "ai-platform:backup.schedule": "0 2 31 4 *" }, "never fires"],
    ["hour 25", { "ai-platform:backup.schedule": "0 25 * * *" }, "cron"],
    ["four-field cron", { "ai-platform:backup.schedule": "0 2 * *" }, "five-field"],
    ["app port above 65535", { "ai-platform:app.port": 70000 }, "port from 1024 to 65535"],
    ["app port 80 (non-root)", { "ai-platform:app.port": 80 }, "non-root"],
    ["metrics port 0", { "ai-platform:app.metricsPort": 0 }, "port from"],
    ["metrics port equal to app port", { "ai-platform:app.metricsPort": 8080 }, "must differ from app.port"],
    ["database port 99999", { "ai-platform:database.port": 99999 }, "database.port"],
    ["cache port 0", { "ai-platform:cache.port": 0 }, "cache.port"],
    ["a 300-character DNS label", { "ai-platform:ingress.domain": `${"a".repeat(300)}.example.com` }, "ingress.domain"],
    ["a 64-character DNS label", { "ai-platform:ingress.domain": `${"a".repeat(64)}.example.com` }, "labels of at most 63"],
    ["an upper-case domain", { "ai-platform:ingress.domain": "API.Example.com" }, "lower-case DNS name"],
    ["a domain with a scheme", { "ai-platform:ingress.domain": "https://api.example.com" }, "DNS name"],
    ["a domain without a TLD", { "ai-platform:ingress.domain": "localhost" }, "DNS name"],
    ["an ACME e-mail that is not one", { "ai-platform:ingress.acmeEmail": "platform-team" }, "e-mail"],
    ["body size in words", { "ai-platform:ingress.maxRequestBodySize": "ten megs" }, "must be a size"],
    ["the retired nginx body-size key", { "ai-platform:ingress.bodySize": "10m" }, "was replaced by ingress.maxRequestBodySize"],
    ["body size 5Gi", { "ai-platform:ingress.maxRequestBodySize": "5Gi" }, "at most 1Gi"],
    ["negative replicas", { "ai-platform:api.replicas": -1 }, "api.replicas"],
    ["0 replicas", { "ai-platform:worker.replicas": 0 }, "worker.replicas"],
    ["100000 replicas", { "ai-platform:api.maxReplicas": 100000 }, "from 1 to 200"],
    ["500 nodes", { "ai-platform:cluster.maxNodes": 500 }, "from 1 to 100"],
    ["min nodes above max", { "ai-platform:cluster.minNodes": 9, "ai-platform:cluster.maxNodes": 5, "ai-platform:cluster.desiredNodes": 5 }, "cluster.maxNodes"],
    ["desired below min", { "ai-platform:cluster.desiredNodes": 1, "ai-platform:cluster.minNodes": 2 }, "cluster.minNodes"],
    ["min replicas above max", { "ai-platform:api.minReplicas": 30 }, "api.maxReplicas"],
    ["half a replica", { "ai-platform:api.replicas": 2.5 }, "whole number"],
    ["replicas as a word", { "ai-platform:api.replicas": "three" }, "must be a number"],
    ["CPU target 150 %", { "ai-platform:api.cpuTargetPercent": 150 }, "percentage"],
    ["memory target 0 %", { "ai-platform:api.memoryTargetPercent": 0 }, "percentage"],
    ["alert memory 101 %", { "ai-platform:observability.alerts.memoryUsagePercent": 101 }, "percentage"],
    ["error-rate alert 500 %", { "ai-platform:observability.alerts.errorRatePercent": 500 }, "at most 100"],
    ["cache hit alert negative", { "ai-platform:observability.alerts.cacheHitRatePercent": -5 }, "percentage"],
    ["CPU request above limit", { "ai-platform:api.resources.requests.cpu": "4" }, "must not exceed"],
    ["memory request above limit", { "ai-platform:worker.resources.requests.memory": "64Gi" }, "must not exceed"],
    ["memory in bytes", { "ai-platform:api.resources.limits.memory": "2GB" }, "memory quantity"],
    ["CPU as a word", { "ai-platform:api.resources.limits.cpu": "lots" }, "CPU quantity"],
    ["backup job request above limit", { "ai-platform:backup.resources.requests.cpu": "8" }, "must not exceed"],
    ["log level verbose", { "ai-platform:app.logLevel": "verbose" }, "one of debug"],
    ["request timeout below response timeout", { "ai-platform:ingress.requestTimeoutSeconds": 30 }, "app.responseTimeoutSeconds"],
    ["grace period shorter than the drain", { "ai-platform:api.terminationGracePeriodSeconds": 30 }, "in flight"],
    ["probe timeout above its period", { "ai-platform:app.probes.readiness.timeoutSeconds": 20 }, "periodSeconds"],
    ["a day-long response timeout", { "ai-platform:app.responseTimeoutSeconds": 86400 }, "from 1 to 3600"],
    ["100 LLM retries", { "ai-platform:app.llmRetries": 100 }, "from 0 to 10"],
    ["rate limit of a billion", { "ai-platform:app.rateLimitPerMinute": 1000000000 }, "app.rateLimitPerMinute"],
    ["ingress rate limit 0", { "ai-platform:ingress.rateLimitRps": 0 }, "ingress.rateLimitRps"],
    ["image ref with latest", { "ai-platform:image.ref": "registry.example.com/agents/api:latest" }, "latest"],
    ["untagged image ref", { "ai-platform:image.ref": "registry.example.com/agents/api" }, "tag or an @sha256"],
    ["image ref with spaces", { "ai-platform:image.ref": "my image:1" }, "image reference"],
    ["image ref with a short digest", { "ai-platform:image.ref": "registry.example.com/api@sha256:abc" }, "image reference"],
    ["build context missing", { "ai-platform:image.buildContext": "no-such-dir" }, "must be a directory"],
    ["Dockerfile missing", { "ai-platform:image.dockerfile": "Nope.dockerfile" }, "must be a file"],
    ["image for another platform", { "ai-platform:image.platform": "windows/amd64" }, "image.platform"],
    ["unpinned chart", { "ai-platform:addons.certManager": "^1.21" }, "pinned chart version"],
    ["maintenance at 25:00", { "ai-platform:cluster.maintenanceStartTime": "25:00" }, "HH:MM"],
    ["release channel fast", { "ai-platform:cluster.releaseChannel": "FAST" }, "RAPID, REGULAR or STABLE"],
    ["prometheus retention forever", { "ai-platform:observability.prometheusRetention": "forever" }, "Prometheus duration"],
    ["log retention 0", { "ai-platform:observability.logRetentionDays": 0 }, "observability.logRetentionDays"],
    ["log retention 100 years", { "ai-platform:observability.logRetentionDays": 36500 }, "observability.logRetentionDays"],
    ["heartbeat file outside /tmp", { "ai-platform:app.workerHeartbeatFile": "/var/run/beat" }, "/tmp/"],
    ["empty API command", { "ai-platform:app.apiCommand": "[]" }, "must name a command"],
    ["deletion protection as yes", { "ai-platform:cluster.deletionProtection": "yes" }, "true or false"],
    ["owner with spaces and capitals", { "ai-platform:owner": "Platform Team" }, "label value"],
    ["owner of 100 characters", { "ai-platform:owner": "a".repeat(100) }, "at most 63"],
    ["blank cost center", { "ai-platform:costCenter": "   " }, "costCenter"],
    ["an unknown section key", { "ai-platform:cluster.nodeCount": 3 }, "is not a setting of ai-platform:cluster"],
    ["a misspelt section key", { "ai-platform:cluster.minNode": 3 }, "did you mean minNodes"],
    ["an unknown top-level key", { "ai-platform:clusters": '{"minNodes":3}' }, "did you mean cluster"],
    ["a section that is not an object", { "ai-platform:cluster": "big" }, "must be an object"],
    ["a misspelt provider key", { "aws:regoin": "us-east-1" }, "did you mean aws:region"],
    ["a misspelt gcp provider key", { "gcp:projects": "acme" }, "did you mean gcp:project"],
    ["a misspelt namespace", { "awss:region": "us-east-1" }, "did you mean aws"],
    ["an unknown cloud", { "ai-platform:cloud": "azure" }, "must be one of aws, gcp"],
    ["an unknown environment", { "ai-platform:environment": "dev" }, /must be (one of staging, prod|prod \(or unset\)|staging \(or unset\))/],
    ["a plaintext provider key", { "ai-platform:openaiApiKey": "sk-plain" }, "pulumi config set --secret ai-platform:openaiApiKey"],
    ["a plaintext webhook", { "ai-platform:slackWebhookUrl": "https://hooks.slack.com/x" }, "pulumi config set --secret ai-platform:slackWebhookUrl"],
    ["no provider key at all", { "ai-platform:openaiApiKey": undefined, "ai-platform:anthropicApiKey": undefined }, "at least one AI provider API key"],
    ["an unknown key holding a secret-looking value", { "ai-platform:openaiKey": "sk-1" }, "did you mean openaiApiKey"],
];

/** Secret values given with --secret that are still unusable. */
const secretCases: [string, Record<string, string>, string][] = [
    ["an empty provider key", { "ai-platform:anthropicApiKey": "" }, "must not be empty or blank"],
    ["a blank provider key", { "ai-platform:openaiApiKey": "   " }, "must not be empty or blank"],
    ["a blank PagerDuty key", { "ai-platform:pagerdutyRoutingKey": " " }, "must not be empty or blank"],
];

/** Prod may not weaken these (both clouds unless noted); staging may. */
const prodOnly: [string, Config, string][] = [
    ["1-day log retention", { "ai-platform:observability.logRetentionDays": 1 }, `at least ${prodMinimums.logRetentionDays} in prod`],
    ["14-day log retention", { "ai-platform:observability.logRetentionDays": 14 }, "in prod"],
    ["7 days of database backups", { "ai-platform:database.backupRetentionDays": 7 }, "in prod"],
    ["3 days of dumps", { "ai-platform:backup.retentionDays": 3 }, "in prod"],
    ["one node minimum", { "ai-platform:cluster.minNodes": 1 }, "in prod"],
    ["one API replica", { "ai-platform:api.minReplicas": 1, "ai-platform:api.replicas": 1 }, "in prod"],
    ["unlimited request body", { "ai-platform:ingress.maxRequestBodySize": "0" }, "unlimited body is not offered"],
    ["the Let's Encrypt staging issuer", { "ai-platform:ingress.clusterIssuer": "letsencrypt-staging" }, "staging ACME issuer"],
    ["cluster deletion protection off", { "ai-platform:cluster.deletionProtection": false }, "must be true in prod"],
    ["database deletion protection off", { "ai-platform:database.deletionProtection": false }, "must be true in prod"],
    ["cross-region backup off", { "ai-platform:backup.crossRegion": false }, "must be true in prod"],
    ["single-zone database", { "ai-platform:database.highAvailability": false }, "must be true in prod"],
    ["no point-in-time recovery", { "ai-platform:database.pointInTimeRecovery": false }, "must be true in prod"],
    ["API ranges wider than a /16", { "ai-platform:cluster.publicAccessCidrs": '["100.64.0.0/10"]' }, "prod allows at most"],
    ["API ranges adding up to more than a /16", { "ai-platform:cluster.publicAccessCidrs": '["198.18.0.0/16","203.0.113.0/24"]' }, "prod allows at most"],
    ["prod stack claiming staging", { "ai-platform:environment": "staging" }, "must be prod (or unset)"],
];

const awsProdOnly: [string, Config, string][] = [
    ["7-day flow logs", { "ai-platform:network.flowLogRetentionDays": 7 }, "in prod"],
    ["one NAT for every zone", { "ai-platform:network.natGatewayPerZone": false }, "must be true in prod"],
    ["cache without failover", { "ai-platform:cache.highAvailability": false }, "must be true in prod"],
    ["no cache snapshots", { "ai-platform:cache.snapshotRetentionDays": 0 }, "in prod"],
];
const gcpProdOnly: [string, Config, string][] = [
    ["the RAPID channel", { "ai-platform:cluster.releaseChannel": "RAPID" }, "GKE SLA"],
    ["a shared-core database", { "ai-platform:database.instanceClass": "db-f1-micro" }, "shared-core"],
    ["HA cache with 7 nodes", { "ai-platform:cache.nodes": 7 }, "2 to 6"],
    ["read replicas with 2 GB", { "ai-platform:cache.nodes": 3, "ai-platform:cache.memorySizeGb": 2 }, "at least 5"],
];

const awsOnly: [string, Config, string][] = [
    ["region mars-north-9", { "aws:region": "mars-north-9" }, "must be an AWS region"],
    ["a misspelt region", { "aws:region": "us-est-1" }, "did you mean us-east-1"],
    ["no region", { "aws:region": undefined }, "aws:region"],
    ["CloudWatch retention 8", { "ai-platform:observability.logRetentionDays": 8 }, "CloudWatch Logs offers"],
    ["CloudWatch retention 100", { "ai-platform:observability.logRetentionDays": 100 }, "next above: 120"],
    ["flow-log retention 45", { "ai-platform:network.flowLogRetentionDays": 45 }, "CloudWatch Logs offers"],
    ["3 zones in us-west-1", { "aws:region": "us-west-1", "ai-platform:backup.region": "us-east-1" }, "offers 2 Availability Zones"],
    ["a recovery region that is the primary", { "aws:region": "us-east-1", "ai-platform:backup.region": "us-east-1", "ai-platform:backup.crossRegion": true }, "must differ from the primary"],
    ["a recovery region that is not one", { "ai-platform:backup.region": "moon-1", "ai-platform:backup.crossRegion": true }, "must be an AWS region"],
    ["no recovery region for me-central-1", { "aws:region": "me-central-1", "ai-platform:backup.crossRegion": true }, "no default recovery region"],
    ["an ARM node family for an amd64 image", { "ai-platform:cluster.machineType": "m7g.xlarge" }, "node family"],
    ["an unsupported node family", { "ai-platform:cluster.machineType": "p5.48xlarge" }, "node family"],
    ["a GCP machine type on AWS", { "ai-platform:cluster.machineType": "n2-standard-4" }, "EC2 instance type"],
    ["a GCP tier on RDS", { "ai-platform:database.instanceClass": "db-custom-4-16384" }, "RDS instance class"],
    ["a Memorystore tier on ElastiCache", { "ai-platform:cache.nodeType": "STANDARD_HA" }, "ElastiCache node type"],
    ["RDS backups kept 60 days", { "ai-platform:database.backupRetentionDays": 60 }, "1 to 35"],
    ["RDS on port 80", { "ai-platform:database.port": 80 }, "1150 to 65535"],
    ["19 GiB of RDS storage", { "ai-platform:database.storageGb": 19 }, "20 to 65536"],
    ["failover with one cache node", { "ai-platform:cache.nodes": 1, "ai-platform:cache.highAvailability": true }, "automatic failover"],
    ["a private range for the public API endpoint", { "ai-platform:cluster.publicAccessCidrs": '["10.1.0.0/24"]' }, "EKS refuses private ranges"],
    ["services range the size of a /8", { "ai-platform:network.servicesCidr": "172.16.0.0/8" }, "host bits"],
    ["services range /26", { "ai-platform:network.servicesCidr": "172.20.0.0/26" }, "/12 to /24"],
    ["Postgres 18 is RDS-only, Kubernetes 1.33 is not offered", { "ai-platform:cluster.kubernetesVersion": "1.33" }, "EKS standard support"],
];

const gcpOnly: [string, Config, string][] = [
    ["region mars-north9", { "gcp:region": "mars-north9" }, "must be a GCP region"],
    ["an AWS region on GCP", { "gcp:region": "us-east-1" }, "did you mean us-east1"],
    ["no project", { "gcp:project": undefined }, "gcp:project"],
    ["a project ID with capitals", { "gcp:project": "Acme_Agents" }, "project ID"],
    ["Memorystore 100,000 GB", { "ai-platform:cache.memorySizeGb": 100000 }, "cache.memorySizeGb"],
    ["Memorystore 301 GB", { "ai-platform:cache.memorySizeGb": 301 }, "1 to 300"],
    ["Redis 7.4 on Memorystore", { "ai-platform:cache.engineVersion": "7.4" }, "Memorystore offers"],
    ["Postgres 18 on Cloud SQL", { "ai-platform:database.engineVersion": "18" }, "Cloud SQL for PostgreSQL major"],
    ["Cloud SQL on port 6543", { "ai-platform:database.port": 6543 }, "Cloud SQL does not listen"],
    ["Memorystore on port 6380", { "ai-platform:cache.port": 6380 }, "Memorystore does not listen"],
    ["an EC2 type on GKE", { "ai-platform:cluster.machineType": "m5.xlarge" }, "Compute Engine machine type"],
    ["an Arm family for an amd64 image", { "ai-platform:cluster.machineType": "t2a-standard-4" }, "machine family"],
    ["a shared-core node", { "ai-platform:cluster.machineType": "e2-small" }, "at least 2 vCPUs"],
    ["an RDS class on Cloud SQL", { "ai-platform:database.instanceClass": "db.t3.large" }, "Cloud SQL tier"],
    ["3 vCPUs on Cloud SQL", { "ai-platform:database.instanceClass": "db-custom-3-7680" }, "even number of vCPUs"],
    ["too little memory per vCPU", { "ai-platform:database.instanceClass": "db-custom-8-4096" }, "per vCPU"],
    ["memory not a multiple of 256", { "ai-platform:database.instanceClass": "db-custom-2-4000" }, "multiple of 256"],
    ["an ElastiCache type on Memorystore", { "ai-platform:cache.nodeType": "cache.r6g.large" }, "Memorystore tier"],
    [
        "a BASIC cache asked for failover",
        { "ai-platform:cache.nodeType": "BASIC", "ai-platform:cache.highAvailability": true, "ai-platform:cache.nodes": 1 },
        "STANDARD_HA is the highly available tier",
    ],
    ["overlapping pod and service ranges", { "ai-platform:network.servicesCidr": "10.16.0.0/20" }, "must not overlap network.podsCidr"],
    ["private services inside the VPC", { "ai-platform:network.privateServicesCidr": "10.0.0.0/20" }, "must not overlap network.cidr"],
    ["a pods range too small", { "ai-platform:network.podsCidr": "10.16.0.0/24" }, "/9 to /21"],
    ["a private services range too small", { "ai-platform:network.privateServicesCidr": "10.24.0.0/28" }, "/8 to /24"],
    ["log bucket kept 4000 days", { "ai-platform:observability.logRetentionDays": 3653 }, "Cloud Logging"],
    ["Cloud SQL 5 GB", { "ai-platform:database.storageGb": 5 }, "10 to 65536"],
    ["a backup location that is not one", { "ai-platform:backup.region": "mars", "ai-platform:backup.crossRegion": true }, "multi-region"],
    ["a backup location that is the primary", { "ai-platform:backup.region": "us-central1", "ai-platform:backup.crossRegion": true }, "must differ"],
    ["no derivable backup location", { "gcp:region": "australia-southeast1", "ai-platform:backup.crossRegion": true }, "backup.region"],
    ["a 1.33 GKE cluster", { "ai-platform:cluster.kubernetesVersion": "1.33" }, "GKE standard support"],
];

const cases: [string, Case][] = [];
for (const stack of ["staging", "prod"] as const) {
    for (const cloud of ["aws", "gcp"] as const) {
        for (const [name, config, fragment] of everywhere) {
            // A prod stack given another environment is refused for that; staging stacks refuse "dev" as unknown.
            cases.push([`${stack}/${cloud}: ${name}`, { stack, cloud, config: onCloud(cloud, config), fragment }]);
        }
    }
}
for (const cloud of ["aws", "gcp"] as const) {
    for (const [name, secrets, fragment] of secretCases) cases.push([`staging/${cloud}: ${name}`, { stack: "staging", cloud, config: onCloud(cloud, {}), secrets, fragment }]);
    for (const [name, config, fragment] of prodOnly) cases.push([`prod/${cloud}: ${name}`, { stack: "prod", cloud, config: onCloud(cloud, config), fragment }]);
}
for (const [name, config, fragment] of awsProdOnly) cases.push([`prod/aws: ${name}`, { stack: "prod", cloud: "aws", config, fragment }]);
for (const [name, config, fragment] of gcpProdOnly) cases.push([`prod/gcp: ${name}`, { stack: "prod", cloud: "gcp", config: onCloud("gcp", config), fragment }]);
for (const stack of ["staging", "prod"] as const) {
    for (const [name, config, fragment] of awsOnly) cases.push([`${stack}/aws: ${name}`, { stack, cloud: "aws", config, fragment }]);
    for (const [name, config, fragment] of gcpOnly) cases.push([`${stack}/gcp: ${name}`, { stack, cloud: "gcp", config: onCloud("gcp", config), fragment }]);
}

describe("bad configurations are refused with exit 2, before anything is evaluated", () => {
    test("the table is large enough to mean something", () => {
        expect(cases.length).toBeGreaterThanOrEqual(150);
    });

    test.each(cases)("%s", (_, c) => {
        const verdict = checkStackSettings({ stack: c.stack, config: c.config, secrets: c.secrets });
        expect(verdict.exitCode).toBe(2);
        expect(verdict.message).toEqual(typeof c.fragment === "string" ? expect.stringContaining(c.fragment) : expect.stringMatching(c.fragment));
        expect(verdict.message).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
        // One line per problem: key = value: what is allowed.
        for (const line of verdict.message!.split("\n").filter((l) => l.startsWith("  - "))) expect(line).toMatch(/^ {2}- \S.* = .+: .+/);
    });
});

/** Legitimate variants: what people type must work. */
const good: [string, string, "aws" | "gcp", Config, Record<string, string>?][] = [
    ["the prod stack as shipped", "prod", "aws", {}],
    ["the staging stack as shipped", "staging", "aws", {}],
    ["prod on GCP", "prod", "gcp", gcp],
    ["staging on GCP", "staging", "gcp", gcp],
    ["a cost center of digits", "prod", "aws", { "ai-platform:costCenter": "4711" }],
    ["a cost center of digits set with --path semantics", "staging", "gcp", { ...gcp, "ai-platform:owner": 4711 }],
    ["Kubernetes 1.35 typed as a YAML number inside the section", "prod", "aws", { "ai-platform:cluster": { kubernetesVersion: 1.35 } }],
    ["Postgres typed as a number", "staging", "aws", { "ai-platform:database.engineVersion": 17 }],
    ["Redis 7.0 typed as a YAML number (7)", "staging", "gcp", { ...gcp, "ai-platform:cache.engineVersion": 7 }],
    ["an image ref with a registry port", "prod", "aws", { "ai-platform:image.ref": "registry.example.com:5000/agents/api:1.2.3" }],
    ["an image ref pinned by digest", "prod", "gcp", { ...gcp, "ai-platform:image.ref": `us-docker.pkg.dev/acme/agents/api@sha256:${"a".repeat(64)}` }],
    ["an image ref with tag and digest", "staging", "aws", { "ai-platform:image.ref": `ghcr.io/acme/api:1.2.3@sha256:${"b".repeat(64)}` }],
    ["API ranges by index, like the README", "prod", "aws", { "ai-platform:cluster.publicAccessCidrs[0]": "198.51.100.0/24", "ai-platform:cluster.publicAccessCidrs[1]": "192.0.2.10/32" }],
    ["a /16 of API range in prod", "prod", "aws", { "ai-platform:cluster.publicAccessCidrs": '["198.18.0.0/16"]' }],
    ["a /12 of API range in staging", "staging", "aws", { "ai-platform:cluster.publicAccessCidrs": '["100.64.0.0/12"]' }],
    ["a private API range on GKE", "prod", "gcp", { ...gcp, "ai-platform:cluster.publicAccessCidrs": '["10.200.0.0/24"]' }],
    ["no API ranges at all (private endpoint)", "prod", "aws", { "ai-platform:cluster.publicAccessCidrs": "[]" }],
    ["CloudWatch retention 90", "prod", "aws", { "ai-platform:observability.logRetentionDays": 90, "ai-platform:network.flowLogRetentionDays": 365 }],
    ["a 1-day log retention in staging", "staging", "aws", { "ai-platform:observability.logRetentionDays": 1 }],
    ["staging may turn deletion protection and cross-region backup off", "staging", "aws", { "ai-platform:cluster.deletionProtection": false, "ai-platform:backup.crossRegion": false }],
    ["staging may take the staging issuer", "staging", "gcp", { ...gcp, "ai-platform:ingress.clusterIssuer": "letsencrypt-staging" }],
    ["a leap-day backup", "staging", "aws", { "ai-platform:backup.schedule": "0 2 29 2 *", "ai-platform:recovery.rpoMinutes": 5 }],
    ["a weekday cron with names", "staging", "aws", { "ai-platform:backup.schedule": "0 3 * * 1-5" }],
    ["Graviton nodes with an arm64 image", "prod", "aws", { "ai-platform:cluster.machineType": "m7g.xlarge", "ai-platform:image.platform": "linux/arm64" }],
    ["a bigger Cloud SQL tier", "prod", "gcp", { ...gcp, "ai-platform:database.instanceClass": "db-custom-8-32768" }],
    ["another AWS region with a named recovery region", "prod", "aws", { "aws:region": "me-central-1", "ai-platform:backup.region": "eu-central-1" }],
    [
        "a GCP region outside multi-regions with a backup region, cross-region copies off (staging)",
        "staging",
        "gcp",
        { ...gcp, "gcp:region": "australia-southeast1", "ai-platform:backup.region": "australia-southeast2" },
    ],
    [
        "another stack name with an explicit environment",
        "dev",
        "aws",
        { "ai-platform:environment": "staging", "aws:region": "eu-west-1", "ai-platform:ingress.domain": "agents.dev.example.com", "ai-platform:ingress.acmeEmail": "ops@example.com" },
        { "ai-platform:anthropicApiKey": "sk-ant-dev" },
    ],
    ["a secret passed with --secret", "staging", "aws", {}, { "ai-platform:geminiApiKey": "AIza-test" }],
    ["a valid provider setting", "staging", "aws", { "aws:defaultTags": '{"tags":{"team":"agents"}}', "aws:maxRetries": "5" }],
    ["a valid gcp provider setting", "staging", "gcp", { ...gcp, "gcp:zone": "us-central1-a" }],
];

describe("legitimate variants are accepted", () => {
    test("there are at least 20", () => expect(good.length).toBeGreaterThanOrEqual(20));
    // Every row has all five fields, so jest does not take the last parameter for a `done` callback.
    test.each(good.map(([name, stack, cloud, config, secrets]) => [name, stack, cloud, config, secrets ?? {}] as const))("%s", (_, stack, cloud, config, secrets) => {
        const verdict = checkStackSettings({ stack, config: onCloud(cloud, config), secrets });
        expect(verdict.message ?? "").toBe("");
        expect(verdict.exitCode).toBe(0);
    });
});

/**
 * Where a mandatory policy is the right guard, the settings let the value through and the plan exits
 * 1: two API replicas in prod is a choice the policy pack's per-environment config judges, not a value the
 * cloud would reject. These evaluate the program, so there are only two.
 */
describe("a mandatory policy guards what the settings leave to it: exit 1", () => {
    test.each(["aws", "gcp"] as const)("prod/%s: two API replicas, below the policy's floor of three", async (cloud) => {
        const config = onCloud(cloud, { "ai-platform:api.replicas": 2, "ai-platform:api.minReplicas": 2 });
        expect(checkStackSettings({ stack: "prod", config }).exitCode).toBe(0);
        const plan = await planStack({ stack: "prod", config });
        expect(planExitCode(plan)).toBe(1);
        expect(mandatoryViolations(plan.policy).map((v) => v.policy)).toContain("k8s-min-replicas");
    });
});

describe("what people type keeps its meaning", () => {
    const validated = (stack: string, values: Record<string, string>, secretKeys: string[] = ["ai-platform:anthropicApiKey"]) =>
        validateSettings(
            {
                project: "ai-platform",
                stack,
                values: { "aws:region": "us-east-1", "ai-platform:anthropicApiKey": "k", "ai-platform:ingress": '{"domain":"a.example.com","acmeEmail":"a@example.com"}', ...values },
                secretKeys,
            },
            { root: repoRoot },
        );

    test("1.30 in a stack file's nested YAML reaches the program as 1.3 and means 1.30; top-level text stays text", () => {
        // Read as "1.30" (out of standard support), not "1.3" (not a version at all).
        const nested = validated("staging", { "ai-platform:cluster": JSON.stringify({ kubernetesVersion: 1.3 }) });
        expect(nested.problems.map((p) => p.allowed)).toEqual([expect.stringContaining("EKS standard support")]);
        expect(validated("staging", { "ai-platform:cluster": JSON.stringify({ kubernetesVersion: 1.35 }) }).settings?.cluster.kubernetesVersion).toBe("1.35");
        const text = validated("staging", { "ai-platform:costCenter": "4711" });
        expect(text.settings?.costCenter).toBe("4711");
    });

    test("a problem caused by a default says so", () => {
        const { problems } = validated("prod", { "ai-platform:observability": JSON.stringify({ logRetentionDays: 8 }), "ai-platform:cluster": JSON.stringify({ kubernetesVersion: "1.35" }) });
        expect(problems.find((p) => p.key === "ai-platform:observability.logRetentionDays")?.fromDefault).toBe(false);
        const fromDefault = validated("prod", { "ai-platform:backup": JSON.stringify({ crossRegion: true }) }, ["ai-platform:anthropicApiKey"]);
        expect(fromDefault.problems).toEqual([]);
        // us-west-1 offers two zones; the default asks for three: the default is what is wrong.
        const staleDefault = validated("staging", { "aws:region": "us-west-1" });
        expect(staleDefault.problems).toEqual([expect.objectContaining({ key: "ai-platform:network.availabilityZones", value: 3, fromDefault: true })]);
        expect(checkStackSettings({ stack: "staging", config: { "aws:region": "us-west-1" } }).message).toContain("ai-platform:network.availabilityZones = 3 (default): must be at most 2");
    });

    test("a stack file as people write it: top-level text stays text, nested 1.30 is 1.30, plaintext secrets and dotted keys are named", () => {
        const stack = "i11-typed";
        const file = path.join(repoRoot, `Pulumi.${stack}.yaml`);
        fs.writeFileSync(
            file,
            [
                "config:",
                "  ai-platform:environment: staging",
                "  aws:region: eu-west-1",
                "  ai-platform:costCenter: 4711",
                "  ai-platform:cluster.minNodes: 2",
                "  ai-platform:anthropicApiKey: sk-ant-in-plain-text",
                "  ai-platform:cluster:",
                "    kubernetesVersion: 1.30",
                "  ai-platform:ingress:",
                "    domain: agents.example.com",
                "    acmeEmail: ops@example.com",
                "",
            ].join("\n"),
        );
        try {
            const verdict = checkStackSettings({ stack });
            expect(verdict.exitCode).toBe(2);
            expect(verdict.message).not.toContain("costCenter");
            expect(verdict.message).toContain('ai-platform:cluster.kubernetesVersion = "1.30": must be a Kubernetes version in EKS standard support');
            expect(verdict.message).toContain("ai-platform:cluster.minNodes = 2: is a dotted key");
            expect(verdict.message).toContain("pulumi config set --secret ai-platform:anthropicApiKey <value>");
            expect(verdict.message).not.toContain("sk-ant-in-plain-text");
        } finally {
            fs.rmSync(file, { force: true });
        }
    });

    test("a dotted key in a stack file is explained with how to nest it", () => {
        const { problems } = validated("staging", { "ai-platform:cluster.minNodes": "5" });
        expect(problems[0].allowed).toContain("nest it as ai-platform:cluster: { minNodes: 5 }");
        expect(problems[0].value).toBe(5);
    });

    test("secret values never appear in messages", () => {
        const verdict = checkStackSettings({ stack: "staging", config: { "ai-platform:openaiApiKey": "sk-very-secret" } });
        expect(verdict.message).not.toContain("sk-very-secret");
    });
});

test("the README's error example is the real output", () => {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const block = /```\n\$ npm run plan -- --stack prod ((?:-c \S+ ?)+)\n([\s\S]*?)\n```/.exec(readme);
    expect(block).not.toBeNull();
    const args = block![1]
        .trim()
        .split(/\s+/)
        .filter((a) => a !== "-c");
    const overrides = Object.fromEntries(args.map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]));
    const verdict = checkStackSettings({ stack: "prod", config: parseConfigArgs(Object.entries(overrides).map(([k, v]) => `${k}=${v}`)) });
    expect(`✖ Stack prod has bad configuration\n${verdict.message}`).toBe(block![2]);
});

describe("the settings and the policy pack read the same tables", () => {
    test("API exposure: the policies call the settings' own judgement, and it uses the shared thresholds", () => {
        // EKS's and GKE's API-exposure rules sit side by side in the compute rules, one call each.
        const computeRules = fs.readFileSync(path.join(repoRoot, "policy/rules/compute.ts"), "utf8");
        expect(computeRules).toContain('from "../../stacks/apiAccess"');
        expect(computeRules.match(/apiAccessTooWide\(/g)).toHaveLength(2);
        const justBelow = `${2 ** 24 - 256}`;
        expect(apiAccessFacts.apiAccessLimits.anyEnvironmentBelowAddresses).toBe(2 ** 24);
        expect(apiAccessTooWide(["4.0.0.0/8"], "any")).toContain(`${(2 ** 24).toLocaleString("en-US")} addresses`);
        expect(apiAccessTooWide(["4.0.0.0/9", "4.128.0.0/10"], "any")).toBeUndefined();
        expect(justBelow).toBeDefined();
    });

    test("Kubernetes versions: the policy's minimum is the oldest version the settings accept", () => {
        expect(minimumVersionSchema.default).toBe(oldestSupportedKubernetesVersion);
        for (const cloud of ["aws", "gcp"] as const) expect([...kubernetesVersions[cloud]].sort()[0]).toBe(oldestSupportedKubernetesVersion);
    });

    test("backup retention: prod's policy minimum is the settings' prod minimum", () => {
        const prodPolicy = JSON.parse(fs.readFileSync(path.join(repoRoot, "policy/config/prod.json"), "utf8"));
        expect(prodPolicy["aws-rds-backup-retention"].minimumRetentionDays).toBe(prodMinimums.databaseBackupRetentionDays);
        expect(prodPolicy["gcp-sql-backups"].minimumRetentionDays).toBe(prodMinimums.databaseBackupRetentionDays);
        expect(cloudWatchRetentionDays).toContain(prodMinimums.logRetentionDays);
        expect(cloudWatchRetentionDays).toContain(prodMinimums.flowLogRetentionDays);
    });
});
