import * as gcp from "@pulumi/gcp";
import { validateResourceOfType, type ReportViolation } from "@pulumi/policy";
import { resourcePolicy, type PolicyDefinition } from "../lib/define";
import { apiAccessTooWide } from "../../stacks/apiAccess";
import { expandPortSpecs, isWorldCidr, publicPortsSchema } from "../lib/network";
import { requireProtect } from "../lib/protect";
import { defaultTagRequirements, tagRequirementsSchema, unmetRequirements, type TagRequirement } from "../lib/tags";
import { isAtLeast, minimumVersionSchema } from "../lib/versions";
import { UNKNOWN, isKnown, knownEntries, knownItems, parseMaybeJson, read, readPath, show } from "../lib/values";
import { gcpLabelledTypes } from "./generated/gcpLabelled";

/**
 * GCP policies, written against the input property names of @pulumi/gcp 9.37. As on AWS, a value
 * unknown during preview is never a violation; an absent plain input is judged by GCP's default.
 */

const retentionSchema = {
    properties: { minimumRetentionDays: { type: "integer" as const, minimum: 1, maximum: 365, default: 30, description: "Fewest daily backups Cloud SQL keeps." } },
};

// ---------------------------------------------------------------- Cloud SQL

const sqlNoPublicIp = resourcePolicy({
    name: "gcp-sql-no-public-ip",
    description: "Cloud SQL instances have no public IP address and no authorized internet networks.",
    severity: "critical",
    category: "security",
    resources: "gcp.sql.DatabaseInstance",
    checks: "`settings.ipConfiguration.ipv4Enabled: false` (GCP's default is true) with a `privateNetwork`, and no `authorizedNetworks` entry of 0.0.0.0/0.",
    seed: "001 Network › Firewall rules configured",
    remediation: "Set settings.ipConfiguration { ipv4Enabled: false, privateNetwork: vpc.id } and connect over private services access.",
    validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (db, args, report) => {
        const ip = () => db.settings?.ipConfiguration;
        const ipv4 = read(() => ip()?.ipv4Enabled);
        if (isKnown(ipv4) && ipv4 !== false) report(`Cloud SQL instance "${args.name}" has a public IPv4 address (ipv4Enabled is ${show(ipv4)}).`);
        if (read(() => ip()?.privateNetwork) === undefined) report(`Cloud SQL instance "${args.name}" is not attached to a private network (ipConfiguration.privateNetwork is not set).`);
        const open = knownItems(() => ip()?.authorizedNetworks)
            .items.map((n) => read(() => n.value))
            .filter(isWorldCidr);
        if (open.length > 0) report(`Cloud SQL instance "${args.name}" authorizes ${open.join(", ")}.`);
    }),
});

const sqlSslRequired = resourcePolicy({
    name: "gcp-sql-ssl-required",
    description: "Cloud SQL refuses unencrypted connections.",
    severity: "critical",
    category: "security",
    resources: "gcp.sql.DatabaseInstance",
    checks: '`settings.ipConfiguration.sslMode` is "ENCRYPTED_ONLY" or "TRUSTED_CLIENT_CERTIFICATE_REQUIRED".',
    seed: "001 Security › Compliance: data encryption in transit",
    remediation: 'Set settings.ipConfiguration.sslMode: "ENCRYPTED_ONLY" (clients use sslmode=require) or "TRUSTED_CLIENT_CERTIFICATE_REQUIRED".',
    validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (db, args, report) => {
        const mode = read(() => db.settings?.ipConfiguration?.sslMode);
        if (isKnown(mode) && mode !== "ENCRYPTED_ONLY" && mode !== "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")
            report(`Cloud SQL instance "${args.name}" accepts unencrypted connections (sslMode is ${show(mode)}).`);
    }),
});

const sqlHighAvailability = resourcePolicy({
    name: "gcp-sql-high-availability",
    description: "Cloud SQL runs regional (a standby in another zone).",
    severity: "high",
    category: "durability",
    resources: "gcp.sql.DatabaseInstance",
    checks: '`settings.availabilityType: "REGIONAL"`.',
    seed: "001 GCP setup › --availability-type=REGIONAL; High Availability › database replication",
    remediation: 'Set settings.availabilityType: "REGIONAL" (stack setting database.highAvailability).',
    validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (db, args, report) => {
        const type = read(() => db.settings?.availabilityType);
        if (isKnown(type) && type !== "REGIONAL") report(`Cloud SQL instance "${args.name}" is zonal (availabilityType is ${show(type)}).`);
    }),
});

const sqlBackups = resourcePolicy({
    name: "gcp-sql-backups",
    description: "Cloud SQL takes daily backups and keeps at least the configured number.",
    severity: "high",
    category: "durability",
    resources: "gcp.sql.DatabaseInstance",
    checks: "`settings.backupConfiguration.enabled: true` and `backupRetentionSettings.retainedBackups` ≥ `minimumRetentionDays` (GCP keeps 7 when unset).",
    seed: "001 GCP setup › --backup; AWS --backup-retention-period 30",
    remediation: "Set settings.backupConfiguration { enabled: true, startTime, backupRetentionSettings: { retainedBackups: 30 } } (stack setting database.backupRetentionDays).",
    configSchema: retentionSchema,
    validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (db, args, report) => {
        const { minimumRetentionDays } = args.getConfig<{ minimumRetentionDays: number }>();
        const backups = () => db.settings?.backupConfiguration;
        const enabled = read(() => backups()?.enabled);
        if (isKnown(enabled) && enabled !== true) return report(`Cloud SQL instance "${args.name}" takes no automated backups (backupConfiguration.enabled is ${show(enabled)}).`);
        const kept = read(() => backups()?.backupRetentionSettings?.retainedBackups);
        const unit = read(() => backups()?.backupRetentionSettings?.retentionUnit);
        if (kept === UNKNOWN || unit === UNKNOWN) return;
        const count = kept ?? 7;
        if (count < minimumRetentionDays) report(`Cloud SQL instance "${args.name}" keeps ${count} backups; at least ${minimumRetentionDays} are required.`);
    }),
});

const sqlPointInTimeRecovery = resourcePolicy({
    configSchema: { properties: { minimumLogDays: { type: "integer", minimum: 1, maximum: 35, default: 7, description: "Fewest days of transaction logs (the point-in-time window)." } } },
    name: "gcp-sql-point-in-time-recovery",
    description: "Cloud SQL keeps transaction logs for point-in-time recovery.",
    severity: "high",
    category: "durability",
    resources: "gcp.sql.DatabaseInstance",
    checks: "`settings.backupConfiguration.pointInTimeRecoveryEnabled: true`, with `transactionLogRetentionDays` (GCP's default 7) ≥ `minimumLogDays` (default 7).",
    seed: "001 Disaster Recovery › RPO 1 hour",
    remediation: "Set settings.backupConfiguration.pointInTimeRecoveryEnabled: true (stack setting database.pointInTimeRecovery).",
    validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (db, args, report) => {
        const on = read(() => db.settings?.backupConfiguration?.pointInTimeRecoveryEnabled);
        if (isKnown(on) && on !== true) report(`Cloud SQL instance "${args.name}" cannot be restored to a point in time (pointInTimeRecoveryEnabled is ${show(on)}).`);
        const { minimumLogDays } = args.getConfig<{ minimumLogDays: number }>();
        const days = read(() => db.settings?.backupConfiguration?.transactionLogRetentionDays) ?? 7;
        if (on === true && typeof days === "number" && days < minimumLogDays)
            report(`Cloud SQL instance "${args.name}" can be restored to a point in the last ${days} days only; at least ${minimumLogDays} are required.`);
    }),
});

const sqlDeletionProtection = resourcePolicy({
    name: "gcp-sql-deletion-protection",
    description: "Cloud SQL cannot be deleted by accident, neither through Pulumi nor in the console.",
    severity: "high",
    category: "durability",
    resources: "gcp.sql.DatabaseInstance",
    checks: "`deletionProtection` is not false, `settings.deletionProtectionEnabled: true`, and `settings.retainBackupsOnDelete: true` (Cloud SQL's default deletes the backups with the instance).",
    seed: "001 Backup & Recovery; 000 Disaster recovery plan",
    remediation: "Leave deletionProtection at true and set settings.deletionProtectionEnabled: true (stack setting database.deletionProtection).",
    validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (db, args, report) => {
        if (read(() => db.deletionProtection) === false) report(`Cloud SQL instance "${args.name}" can be deleted by Pulumi (deletionProtection is false).`);
        const api = read(() => db.settings?.deletionProtectionEnabled);
        if (isKnown(api) && api !== true) report(`Cloud SQL instance "${args.name}" can be deleted through the API (settings.deletionProtectionEnabled is ${show(api)}).`);
        const keep = read(() => db.settings?.retainBackupsOnDelete);
        if (isKnown(keep) && keep !== true) report(`Cloud SQL instance "${args.name}" takes its backups with it when deleted (settings.retainBackupsOnDelete is ${show(keep)}).`);
    }),
});

// ---------------------------------------------------------------- Memorystore

const redisHighAvailability = resourcePolicy({
    name: "gcp-redis-high-availability",
    description: "Memorystore keeps a replica in another zone and fails over automatically.",
    severity: "high",
    category: "durability",
    resources: "gcp.redis.Instance",
    checks: '`tier: "STANDARD_HA"` (the default is BASIC).',
    seed: "001 GCP setup › --tier=STANDARD_HA; High Availability › Redis cluster",
    remediation: 'Set tier: "STANDARD_HA" (stack setting cache.highAvailability).',
    validateResource: validateResourceOfType(gcp.redis.Instance, (redis, args, report) => {
        const tier = read(() => redis.tier);
        if (isKnown(tier) && tier !== "STANDARD_HA") report(`Memorystore instance "${args.name}" has no replica (tier is ${show(tier)}).`);
    }),
});

const redisInTransit = resourcePolicy({
    name: "gcp-redis-encryption-in-transit",
    description: "Memorystore accepts TLS connections only.",
    severity: "critical",
    category: "security",
    resources: "gcp.redis.Instance",
    checks: '`transitEncryptionMode: "SERVER_AUTHENTICATION"` (at rest, Memorystore always encrypts).',
    seed: "001 Security › Compliance: data encryption in transit",
    remediation: 'Set transitEncryptionMode: "SERVER_AUTHENTICATION" and give clients the instance\'s serverCaCerts.',
    validateResource: validateResourceOfType(gcp.redis.Instance, (redis, args, report) => {
        const mode = read(() => redis.transitEncryptionMode);
        if (isKnown(mode) && mode !== "SERVER_AUTHENTICATION") report(`Memorystore instance "${args.name}" accepts plaintext connections (transitEncryptionMode is ${show(mode)}).`);
    }),
});

const redisAuth = resourcePolicy({
    name: "gcp-redis-auth",
    description: "Memorystore requires clients to authenticate.",
    severity: "high",
    category: "security",
    resources: "gcp.redis.Instance",
    checks: "`authEnabled: true`.",
    seed: "001 Security › Access Control",
    remediation: "Set authEnabled: true and hand the instance's authString to clients as a secret.",
    validateResource: validateResourceOfType(gcp.redis.Instance, (redis, args, report) => {
        const on = read(() => redis.authEnabled);
        if (isKnown(on) && on !== true) report(`Memorystore instance "${args.name}" lets any client on the network connect without AUTH.`);
    }),
});

const redisPersistence = resourcePolicy({
    name: "gcp-redis-persistence",
    description: "Memorystore snapshots its data (the cache also holds the job queue).",
    severity: "low",
    category: "durability",
    resources: "gcp.redis.Instance",
    checks: '`persistenceConfig.persistenceMode: "RDB"`.',
    seed: "000/001 Backup & Recovery › automated backups configured",
    remediation: 'Set persistenceConfig: { persistenceMode: "RDB", rdbSnapshotPeriod: "TWENTY_FOUR_HOURS" }.',
    validateResource: validateResourceOfType(gcp.redis.Instance, (redis, args, report) => {
        const mode = read(() => redis.persistenceConfig?.persistenceMode);
        if (isKnown(mode) && mode !== "RDB") report(`Memorystore instance "${args.name}" keeps no snapshots (persistenceMode is ${show(mode)}).`);
    }),
});

// ---------------------------------------------------------------- GKE

/** Autopilot clusters manage nodes themselves; node-level checks do not apply to them. */
const isAutopilot = (c: { enableAutopilot?: boolean }) => read(() => c.enableAutopilot) === true;

const gkeSecretsEncryption = resourcePolicy({
    name: "gcp-gke-secrets-encryption",
    description: "GKE encrypts Kubernetes Secrets with a Cloud KMS key (application-layer secrets encryption).",
    severity: "critical",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: '`databaseEncryption.state: "ENCRYPTED"` with a `keyName`.',
    seed: "001 Security › Secrets Management: all secrets encrypted at rest",
    remediation: 'Set databaseEncryption: { state: "ENCRYPTED", keyName: cryptoKey.id } and grant the GKE service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on the key.',
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        const state = read(() => c.databaseEncryption?.state);
        if (isKnown(state) && state !== "ENCRYPTED") report(`GKE cluster "${args.name}" stores Secrets without application-layer encryption (databaseEncryption.state is ${show(state)}).`);
        else if (state === "ENCRYPTED" && read(() => c.databaseEncryption?.keyName) === undefined) report(`GKE cluster "${args.name}" names no KMS key for Secrets encryption.`);
    }),
});

const gkePrivateNodes = resourcePolicy({
    name: "gcp-gke-private-nodes",
    description: "GKE nodes have no public IP addresses.",
    severity: "high",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: "`privateClusterConfig.enablePrivateNodes: true`.",
    seed: "001 Network; CIS GKE 6.6.5 private nodes",
    remediation: "Set privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock } and give nodes egress through Cloud NAT.",
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (isAutopilot(c)) return;
        const on = read(() => c.privateClusterConfig?.enablePrivateNodes);
        if (isKnown(on) && on !== true) report(`GKE cluster "${args.name}" gives its nodes public IP addresses (enablePrivateNodes is ${show(on)}).`);
    }),
});

const gkeApiNotPublic = resourcePolicy({
    name: "gcp-gke-api-not-public",
    description: "The GKE control plane is not open to the whole internet.",
    severity: "critical",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: "A private endpoint only, or `masterAuthorizedNetworksConfig` with CIDR blocks reaching fewer than 2^24 addresses together, however they are split (and Google Cloud public ranges not admitted).",
    seed: "001 Security › Access Control; Network › Firewall rules configured",
    remediation:
        "Set masterAuthorizedNetworksConfig { cidrBlocks: [{ cidrBlock, displayName }] } with the CIDRs of CI runners and operators (stack setting cluster.publicAccessCidrs), or privateClusterConfig.enablePrivateEndpoint: true.",
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (read(() => c.privateClusterConfig?.enablePrivateEndpoint) === true) return;
        if (read(() => c.controlPlaneEndpointsConfig?.ipEndpointsConfig?.enabled) === false) return;
        const config = read(() => c.masterAuthorizedNetworksConfig);
        if (config === UNKNOWN) return;
        if (config === undefined) return report(`GKE cluster "${args.name}" accepts API requests from any address (no masterAuthorizedNetworksConfig).`);
        // An empty list with the config present admits no external address at all, which is not public.
        const blocks = knownItems(() => config.cidrBlocks).items.map((b) => read(() => b.cidrBlock));
        // Judged by the addresses the blocks reach together (0.0.0.0/1 + 128.0.0.0/1 is 0.0.0.0/0), as the settings judge them.
        const tooWide = apiAccessTooWide(blocks, "any");
        if (tooWide) report(`GKE cluster "${args.name}" authorizes ${blocks.join(", ")} to reach its API: ${tooWide}.`);
        if (read(() => config.gcpPublicCidrsAccessEnabled) === true) report(`GKE cluster "${args.name}" admits every Google Cloud public IP to its API (gcpPublicCidrsAccessEnabled is true).`);
    }),
});

const gkeWorkloadIdentity = resourcePolicy({
    name: "gcp-gke-workload-identity",
    description: "Pods get Google credentials through Workload Identity, never from the node's service account.",
    severity: "high",
    category: "security",
    resources: "gcp.container.Cluster, gcp.container.NodePool",
    checks: '`workloadIdentityConfig.workloadPool` set on the cluster; node pools set `nodeConfig.workloadMetadataConfig.mode: "GKE_METADATA"`.',
    seed: "001 Security › Access Control: service accounts created; CIS GKE 6.2.2",
    remediation: 'Set workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` } and nodeConfig.workloadMetadataConfig: { mode: "GKE_METADATA" } on every node pool.',
    validateResource: [
        validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
            if (isAutopilot(c)) return;
            if (read(() => c.workloadIdentityConfig?.workloadPool) === undefined) report(`GKE cluster "${args.name}" has no Workload Identity pool.`);
        }),
        validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
            const mode = read(() => np.nodeConfig?.workloadMetadataConfig?.mode);
            if (isKnown(mode) && mode !== "GKE_METADATA") report(`Node pool "${args.name}" exposes the node's metadata server to pods (workloadMetadataConfig.mode is ${show(mode)}).`);
        }),
    ],
});

const gkeShieldedNodes = resourcePolicy({
    name: "gcp-gke-shielded-nodes",
    description: "GKE nodes are Shielded VMs with Secure Boot.",
    severity: "high",
    category: "security",
    resources: "gcp.container.Cluster, gcp.container.NodePool",
    checks: "`enableShieldedNodes` is not false; node pools set `shieldedInstanceConfig.enableSecureBoot: true` and keep integrity monitoring on.",
    seed: "CIS GKE 6.5.5 / 6.5.7 (cluster hardening); 001 Security › Compliance",
    remediation: "Leave enableShieldedNodes at true and set nodeConfig.shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true }.",
    validateResource: [
        validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
            if (read(() => c.enableShieldedNodes) === false) report(`GKE cluster "${args.name}" turns Shielded Nodes off.`);
        }),
        validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
            const secureBoot = read(() => np.nodeConfig?.shieldedInstanceConfig?.enableSecureBoot);
            if (isKnown(secureBoot) && secureBoot !== true) report(`Node pool "${args.name}" boots without Secure Boot (enableSecureBoot is ${show(secureBoot)}).`);
            if (read(() => np.nodeConfig?.shieldedInstanceConfig?.enableIntegrityMonitoring) === false) report(`Node pool "${args.name}" turns integrity monitoring off.`);
        }),
    ],
});

const gkeNetworkPolicy = resourcePolicy({
    name: "gcp-gke-network-policy",
    description: "GKE enforces Kubernetes NetworkPolicies.",
    severity: "high",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: '`datapathProvider: "ADVANCED_DATAPATH"` (Dataplane V2) or `networkPolicy.enabled: true`.',
    seed: "000 Security › Network policies configured",
    remediation: 'Set datapathProvider: "ADVANCED_DATAPATH" (Dataplane V2 enforces NetworkPolicy natively).',
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (isAutopilot(c)) return;
        const datapath = read(() => c.datapathProvider);
        const policy = read(() => c.networkPolicy?.enabled);
        if (datapath === UNKNOWN || policy === UNKNOWN || datapath === "ADVANCED_DATAPATH" || policy === true) return;
        report(`GKE cluster "${args.name}" does not enforce NetworkPolicies (datapathProvider ${show(datapath)}, networkPolicy.enabled ${show(policy)}).`);
    }),
});

const gkeNodeAutoRepairUpgrade = resourcePolicy({
    name: "gcp-gke-node-auto-repair-upgrade",
    description: "GKE repairs and upgrades nodes automatically.",
    severity: "medium",
    category: "security",
    resources: "gcp.container.NodePool",
    checks: "`management.autoRepair` and `management.autoUpgrade` are not false (GKE's default is true).",
    seed: "001 GCP setup › --enable-autorepair --enable-autoupgrade",
    remediation: "Set management: { autoRepair: true, autoUpgrade: true }.",
    validateResource: validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
        if (read(() => np.management?.autoRepair) === false) report(`Node pool "${args.name}" does not repair nodes automatically.`);
        if (read(() => np.management?.autoUpgrade) === false) report(`Node pool "${args.name}" does not upgrade nodes automatically.`);
    }),
});

const gkeSupportedVersion = resourcePolicy({
    name: "gcp-gke-supported-version",
    description: "GKE follows a release channel and runs a supported Kubernetes version.",
    severity: "medium",
    category: "security",
    resources: "gcp.container.Cluster, gcp.container.NodePool",
    checks: "`releaseChannel.channel` is set (not UNSPECIFIED); `minMasterVersion` / node pool `version`, when set, ≥ `minimumVersion` (default: the oldest version in standard support, stacks/facts/versions.ts).",
    seed: "001 GCP setup (auto-upgrade); CIS: supported Kubernetes version",
    remediation: 'Set releaseChannel: { channel: "STABLE" } (stack setting cluster.releaseChannel) and leave versions to the channel, or pin a supported minMasterVersion.',
    configSchema: { properties: { minimumVersion: minimumVersionSchema } },
    validateResource: [
        validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
            const { minimumVersion } = args.getConfig<{ minimumVersion: string }>();
            const channel = read(() => c.releaseChannel?.channel);
            if (channel === undefined || channel === "UNSPECIFIED") report(`GKE cluster "${args.name}" follows no release channel.`);
            const version = read(() => c.minMasterVersion);
            if (typeof version === "string" && version !== "latest" && !isAtLeast(version, minimumVersion))
                report(`GKE cluster "${args.name}" pins Kubernetes ${version}, older than ${minimumVersion}.`);
        }),
        validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
            const { minimumVersion } = args.getConfig<{ minimumVersion: string }>();
            const version = read(() => np.version);
            if (typeof version === "string" && !isAtLeast(version, minimumVersion)) report(`Node pool "${args.name}" pins Kubernetes ${version}, older than ${minimumVersion}.`);
        }),
    ],
});

/** OAuth scopes a dedicated node service account may carry; access is then decided by IAM roles. */
const allowedNodeScopes = new Set(
    ["cloud-platform", "logging.write", "monitoring", "monitoring.write", "devstorage.read_only", "servicecontrol", "service.management.readonly", "trace.append", "userinfo.email"].map(
        (s) => `https://www.googleapis.com/auth/${s}`,
    ),
);
const isDefaultComputeAccount = (sa: unknown) => sa === "default" || (typeof sa === "string" && sa.endsWith("-compute@developer.gserviceaccount.com"));

function checkNodeIdentity(node: () => { serviceAccount?: string; oauthScopes?: string[] } | undefined, what: string, report: ReportViolation): void {
    const sa = read(() => node()?.serviceAccount);
    if (sa === undefined || isDefaultComputeAccount(sa)) report(`${what} runs as the Compute Engine default service account (serviceAccount is ${show(sa)}).`);
    const { items } = knownItems(() => node()?.oauthScopes);
    const broad = items.map((s) => (s.startsWith("https://") ? s : `https://www.googleapis.com/auth/${s}`)).filter((s) => !allowedNodeScopes.has(s));
    if (broad.length > 0) report(`${what} requests OAuth scopes beyond what nodes need: ${broad.join(", ")}.`);
}

const gkeNodeServiceAccount = resourcePolicy({
    name: "gcp-gke-node-service-account",
    description: "GKE nodes run as a dedicated, least-privilege service account.",
    severity: "high",
    category: "security",
    resources: "gcp.container.NodePool, gcp.container.Cluster (default pool)",
    checks: "`nodeConfig.serviceAccount` is set and not the Compute Engine default account; `oauthScopes` stay within cloud-platform/logging/monitoring/devstorage.read_only; the cluster removes its default node pool or configures it the same way.",
    seed: "001 Security › Access Control: service accounts created; CIS GKE 6.2.1",
    remediation:
        'Create a gcp.serviceaccount.Account with roles/container.defaultNodeServiceAccount, set nodeConfig.serviceAccount to its email with oauthScopes ["https://www.googleapis.com/auth/cloud-platform"], and set removeDefaultNodePool: true on the cluster.',
    validateResource: [
        validateResourceOfType(gcp.container.NodePool, (np, args, report) => checkNodeIdentity(() => np.nodeConfig, `Node pool "${args.name}"`, report)),
        validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
            const removed = read(() => c.removeDefaultNodePool);
            if (isAutopilot(c) || removed === true || removed === UNKNOWN) return;
            checkNodeIdentity(() => c.nodeConfig, `GKE cluster "${args.name}"'s default node pool`, report);
        }),
    ],
});

const gkeContainerdImage = resourcePolicy({
    name: "gcp-gke-cos-containerd",
    description: "GKE nodes run Container-Optimized OS with containerd.",
    severity: "medium",
    category: "security",
    resources: "gcp.container.NodePool",
    checks: '`nodeConfig.imageType`, when set, is "COS_CONTAINERD" (GKE\'s default).',
    seed: "CIS GKE 6.5.1 (Container-Optimized OS); 001 Security › Compliance",
    remediation: 'Set nodeConfig.imageType: "COS_CONTAINERD" or leave it unset.',
    validateResource: validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
        const image = read(() => np.nodeConfig?.imageType);
        if (typeof image === "string" && image.toUpperCase() !== "COS_CONTAINERD") report(`Node pool "${args.name}" uses node image ${image}.`);
    }),
});

const gkeNoLegacyAbac = resourcePolicy({
    name: "gcp-gke-no-legacy-abac",
    description: "GKE authorizes with RBAC only (legacy ABAC off).",
    severity: "high",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: "`enableLegacyAbac` is not true.",
    seed: "001 Security › Access Control: RBAC configured; CIS GKE 6.8.4",
    remediation: "Remove enableLegacyAbac (or set it to false) and grant access through RBAC.",
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (read(() => c.enableLegacyAbac) === true) report(`GKE cluster "${args.name}" enables legacy ABAC.`);
    }),
});

const gkeNoClientCertificates = resourcePolicy({
    name: "gcp-gke-no-client-certificates",
    description: "GKE issues no long-lived client certificates.",
    severity: "high",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: "`masterAuth.clientCertificateConfig.issueClientCertificate` is not true.",
    seed: "001 Security › Access Control; CIS GKE 6.8.2",
    remediation: "Remove masterAuth.clientCertificateConfig or set issueClientCertificate: false; users authenticate through Google identities.",
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (read(() => c.masterAuth?.clientCertificateConfig?.issueClientCertificate) === true) report(`GKE cluster "${args.name}" issues a client certificate.`);
    }),
});

const gkeBinaryAuthorization = resourcePolicy({
    name: "gcp-gke-binary-authorization",
    description: "GKE admits only images the project's Binary Authorization policy allows.",
    severity: "medium",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: '`binaryAuthorization.evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE"`.',
    seed: "001 Security › Compliance: security scanning completed; CIS GKE 6.10.5",
    remediation: 'Set binaryAuthorization: { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" } and keep a project policy that allows the Artifact Registry repository.',
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        const mode = read(() => c.binaryAuthorization?.evaluationMode);
        if (isKnown(mode) && mode !== "PROJECT_SINGLETON_POLICY_ENFORCE") report(`GKE cluster "${args.name}" does not enforce Binary Authorization (evaluationMode is ${show(mode)}).`);
    }),
});

const gkeLogging = resourcePolicy({
    name: "gcp-gke-logging",
    description: "GKE sends system, API server and workload logs to Cloud Logging.",
    severity: "medium",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: '`loggingService` is not "none"; `loggingConfig.enableComponents`, when set, includes SYSTEM_COMPONENTS and APISERVER.',
    seed: "001 Security › Compliance: audit logging enabled; 000 Monitoring › log aggregation",
    remediation: 'Leave loggingService at its default and set loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "APISERVER", "WORKLOADS"] }.',
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (read(() => c.loggingService) === "none") return report(`GKE cluster "${args.name}" sends no logs (loggingService is "none").`);
        const { items, unknown } = knownItems(() => c.loggingConfig?.enableComponents);
        if (read(() => c.loggingConfig) === undefined || unknown) return;
        const missing = ["SYSTEM_COMPONENTS", "APISERVER"].filter((x) => !items.includes(x));
        if (missing.length > 0) report(`GKE cluster "${args.name}" does not log ${missing.join(", ")}.`);
    }),
});

const gkeMultiZone = resourcePolicy({
    name: "gcp-gke-multi-zone",
    description: "GKE clusters are regional, so a zone outage leaves the control plane and nodes running.",
    severity: "medium",
    category: "resilience",
    resources: "gcp.container.Cluster",
    checks: "`location` is a region (not a zone such as us-central1-a), or `nodeLocations` lists at least two zones.",
    seed: "001 High Availability › Multi-AZ deployment",
    remediation: "Set location to the region (stack gcp:region) so GKE spreads control plane and nodes over its zones.",
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        const location = read(() => c.location);
        const { items, unknown } = knownItems(() => c.nodeLocations);
        if (!isKnown(location) || unknown || items.length >= 2) return;
        if (location === undefined || /-[a-z]$/.test(location)) report(`GKE cluster "${args.name}" is zonal (location ${show(location)}).`);
    }),
});

const nodeCountSchema = { properties: { minimumNodes: { type: "integer" as const, minimum: 1, default: 2, description: "Fewest nodes a node pool may scale down to (per zone for minNodeCount)." } } };

const gkeNodeAutoscaling = resourcePolicy({
    name: "gcp-gke-node-autoscaling",
    description: "GKE node pools autoscale and never shrink below the minimum node count.",
    severity: "medium",
    category: "resilience",
    resources: "gcp.container.NodePool",
    checks: "`autoscaling` is set with a minimum (`totalMinNodeCount` or `minNodeCount`) ≥ `minimumNodes` (default 2) and a maximum above it.",
    seed: "001 GCP setup › --enable-autoscaling --min-nodes 2 --max-nodes 10",
    remediation: "Set autoscaling: { totalMinNodeCount: 2, totalMaxNodeCount: 10 } (stack settings cluster.minNodes / maxNodes).",
    configSchema: nodeCountSchema,
    validateResource: validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
        const { minimumNodes } = args.getConfig<{ minimumNodes: number }>();
        const autoscaling = read(() => np.autoscaling);
        if (autoscaling === UNKNOWN) return;
        if (autoscaling === undefined) return report(`Node pool "${args.name}" does not autoscale.`);
        const min = read(() => autoscaling.totalMinNodeCount ?? autoscaling.minNodeCount);
        const max = read(() => autoscaling.totalMaxNodeCount ?? autoscaling.maxNodeCount);
        if (typeof min === "number" && min < minimumNodes) report(`Node pool "${args.name}" may scale down to ${min} node(s); at least ${minimumNodes} are required.`);
        if (typeof min === "number" && typeof max === "number" && max <= min) report(`Node pool "${args.name}" cannot scale out (max ${max} ≤ min ${min}).`);
    }),
});

// ---------------------------------------------------------------- storage, registry, network, keys

const storagePublicAccessPrevention = resourcePolicy({
    name: "gcp-storage-public-access-prevention",
    description: "Cloud Storage buckets cannot be made public and use uniform bucket-level access.",
    severity: "critical",
    category: "security",
    resources: "gcp.storage.Bucket",
    checks: '`publicAccessPrevention: "enforced"` and `uniformBucketLevelAccess: true`.',
    seed: "001 Network › Firewall rules; 004 security best practices (no public data)",
    remediation: 'Set publicAccessPrevention: "enforced" and uniformBucketLevelAccess: true.',
    validateResource: validateResourceOfType(gcp.storage.Bucket, (b, args, report) => {
        const prevention = read(() => b.publicAccessPrevention);
        if (isKnown(prevention) && prevention !== "enforced") report(`Bucket "${args.name}" can be made public (publicAccessPrevention is ${show(prevention)}).`);
        const uniform = read(() => b.uniformBucketLevelAccess);
        if (isKnown(uniform) && uniform !== true) report(`Bucket "${args.name}" allows per-object ACLs (uniformBucketLevelAccess is ${show(uniform)}).`);
    }),
});

const storageVersioning = resourcePolicy({
    name: "gcp-storage-versioning",
    description: "Cloud Storage buckets (the backup bucket in particular) keep overwritten and deleted objects: by versioning, or by a retention policy that forbids both.",
    severity: "medium",
    category: "durability",
    resources: "gcp.storage.Bucket",
    checks: "`versioning.enabled: true`, or a `retentionPolicy` (Cloud Storage allows only one of the two on a bucket).",
    seed: "001 Storage › Backup storage configured; 000 Backup & Recovery",
    remediation: "Set versioning: { enabled: true } with a lifecycle rule that deletes noncurrent versions after the retention period.",
    validateResource: validateResourceOfType(gcp.storage.Bucket, (b, args, report) => {
        const on = read(() => b.versioning?.enabled);
        const retention = read(() => b.retentionPolicy?.retentionPeriod);
        if (retention === UNKNOWN || (retention !== undefined && Number(retention) > 0)) return;
        if (isKnown(on) && on !== true) report(`Bucket "${args.name}" does not keep object versions (versioning.enabled is ${show(on)}) and has no retention policy.`);
    }),
});

const storageRetentionSchema = {
    properties: {
        minimumRetentionDays: { type: "integer" as const, minimum: 1, default: 30, description: "Fewest days every object must be kept." },
        requireLocked: { type: "boolean" as const, default: true, description: "Whether the retention policy must be locked (it then can only grow)." },
    },
};

const storageRetentionPolicy = resourcePolicy({
    name: "gcp-storage-retention-policy",
    description: "Objects in Cloud Storage buckets (the database dumps) cannot be deleted or replaced before their retention ends.",
    severity: "high",
    category: "durability",
    resources: "gcp.storage.Bucket",
    checks: "`retentionPolicy.retentionPeriod` (seconds) ≥ `minimumRetentionDays` (default 30) days, and `isLocked: true` when `requireLocked` (default true).",
    seed: "000/001 Backup & Recovery › backups tested and protected; 000 Disaster Recovery plan (ransomware: no copy can be erased)",
    remediation: "Set retentionPolicy: { retentionPeriod: String(days * 86400), isLocked: true } and versioning off (stack setting backup.immutable, days from backup.retentionDays).",
    configSchema: storageRetentionSchema,
    validateResource: validateResourceOfType(gcp.storage.Bucket, (b, args, report) => {
        const { minimumRetentionDays, requireLocked } = args.getConfig<{ minimumRetentionDays: number; requireLocked: boolean }>();
        const policy = read(() => b.retentionPolicy);
        if (policy === UNKNOWN) return;
        if (policy === undefined) return report(`Bucket "${args.name}" has no retention policy, so its objects can be deleted or replaced at any time.`);
        const seconds = read(() => policy.retentionPeriod);
        if (isKnown(seconds) && !(Number(seconds) >= minimumRetentionDays * 86400))
            report(`Bucket "${args.name}" keeps objects ${show(seconds)} seconds; at least ${minimumRetentionDays} days (${minimumRetentionDays * 86400} s) are required.`);
        const locked = read(() => policy.isLocked);
        if (requireLocked && isKnown(locked) && locked !== true)
            report(`Bucket "${args.name}"'s retention policy is not locked (isLocked is ${show(locked)}), so anyone allowed to edit the bucket can shorten or remove it.`);
    }),
});

const storageMultiRegion = resourcePolicy({
    name: "gcp-storage-multi-region",
    description: "Cloud Storage buckets (the database dumps) keep their data in more than one region.",
    severity: "high",
    category: "durability",
    resources: "gcp.storage.Bucket",
    checks: "`location` is a multi-region or dual-region (`US`, `EU`, `ASIA`, `NAM4`, …: no region such as `US-CENTRAL1`), or `customPlacementConfig.dataLocations` names at least two regions.",
    seed: "000 Disaster Recovery plan; 001 Backup & Recovery › cross-region backups (RPO/RTO)",
    remediation:
        "Set location to the multi-region around the stack's region (US, EU or ASIA) with a CMEK key in the matching Cloud KMS location (us, europe, asia) (stack setting backup.crossRegion).",
    validateResource: validateResourceOfType(gcp.storage.Bucket, (b, args, report) => {
        const location = read(() => b.location);
        const placements = knownItems(() => b.customPlacementConfig?.dataLocations);
        if (location === UNKNOWN || placements.unknown || placements.items.length >= 2) return;
        // Regions have a hyphen and a digit (US-CENTRAL1, europe-west4); multi- and dual-regions do not.
        if (typeof location === "string" && /-.*\d$/.test(location)) report(`Bucket "${args.name}" lives in one region (${location}), which a regional outage takes with it.`);
    }),
});

const customerManagedKeys = resourcePolicy({
    name: "gcp-customer-managed-keys",
    description: "Data at rest is encrypted with the program's own Cloud KMS keys, not Google-managed ones.",
    severity: "high",
    category: "security",
    resources: "gcp.storage.Bucket, gcp.artifactregistry.Repository, gcp.container.NodePool, gcp.container.Cluster (node config)",
    checks: "`encryption.defaultKmsKeyName` (buckets), `kmsKeyName` (Artifact Registry), `nodeConfig.bootDiskKmsKey` (node pools, and the cluster's node config when it declares one) are set.",
    seed: "001 Security › Secrets Management: all secrets encrypted at rest, rotation policy (customer-managed keys rotate and can be scoped)",
    remediation:
        "Pass one of the foundation's Cloud KMS keys (components/gcp/kms.ts, in the resource's location) and grant the service agent that uses it roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
    validateResource: [
        validateResourceOfType(gcp.storage.Bucket, (b, args, report) => {
            if (read(() => b.encryption?.defaultKmsKeyName) === undefined) report(`Bucket "${args.name}" is encrypted with a Google-managed key (encryption.defaultKmsKeyName is not set).`);
        }),
        validateResourceOfType(gcp.artifactregistry.Repository, (repo, args, report) => {
            if (read(() => repo.kmsKeyName) === undefined) report(`Artifact Registry repository "${args.name}" is encrypted with a Google-managed key (kmsKeyName is not set).`);
        }),
        validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
            if (read(() => np.nodeConfig?.bootDiskKmsKey) === undefined)
                report(`Node pool "${args.name}"'s boot disks are encrypted with a Google-managed key (nodeConfig.bootDiskKmsKey is not set).`);
        }),
        validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
            const config = read(() => c.nodeConfig);
            if (config === undefined || config === UNKNOWN || isAutopilot(c)) return;
            if (read(() => config.bootDiskKmsKey) === undefined)
                report(`GKE cluster "${args.name}"'s default node pool boot disks are encrypted with a Google-managed key (nodeConfig.bootDiskKmsKey is not set).`);
        }),
    ],
});

const gkeDeletionProtection = resourcePolicy({
    name: "gcp-gke-deletion-protection",
    description: "The GKE cluster cannot be deleted by accident.",
    severity: "high",
    category: "durability",
    resources: "gcp.container.Cluster",
    checks: "`deletionProtection` is not false (the provider's default is true).",
    seed: "000 Disaster Recovery plan; 001 Backup & Recovery",
    remediation: "Set deletionProtection: true (stack setting cluster.deletionProtection).",
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (read(() => c.deletionProtection) === false) report(`GKE cluster "${args.name}" can be deleted by Pulumi (deletionProtection is false).`);
    }),
});

const logBucketRetention = resourcePolicy({
    name: "gcp-log-bucket-retention",
    description: "Cloud Logging buckets (audit, flow and container logs) keep their logs long enough to investigate an incident.",
    severity: "medium",
    category: "security",
    resources: "gcp.logging.ProjectBucketConfig",
    checks: "`retentionDays` (Cloud Logging's default 30) ≥ `minimumRetentionDays` (default 30).",
    seed: "001 Security › Compliance: audit logging enabled; 000 Monitoring › log aggregation",
    remediation: "Set retentionDays to at least minimumRetentionDays (stack setting observability.logRetentionDays).",
    configSchema: { properties: { minimumRetentionDays: { type: "integer", minimum: 1, default: 30, description: "Fewest days logs are kept." } } },
    validateResource: validateResourceOfType(gcp.logging.ProjectBucketConfig, (bucket, args, report) => {
        const { minimumRetentionDays } = args.getConfig<{ minimumRetentionDays: number }>();
        const days = read(() => bucket.retentionDays) ?? 30;
        if (typeof days === "number" && days < minimumRetentionDays) report(`Log bucket "${args.name}" keeps logs ${days} days; at least ${minimumRetentionDays} are required.`);
    }),
});

const artifactRegistryImmutableTags = resourcePolicy({
    name: "gcp-artifact-registry-immutable-tags",
    description: "Docker repositories in Artifact Registry never let a tag be moved, and scan images.",
    severity: "high",
    category: "security",
    resources: "gcp.artifactregistry.Repository",
    checks: '`dockerConfig.immutableTags: true` for DOCKER repositories; `vulnerabilityScanningConfig.enablementConfig` is not "DISABLED".',
    seed: "000 CI/CD › immutable deployments; 001 Security scanning completed",
    remediation: 'Set dockerConfig: { immutableTags: true } and leave vulnerabilityScanningConfig at "INHERITED" with the Container Scanning API on.',
    validateResource: validateResourceOfType(gcp.artifactregistry.Repository, (repo, args, report) => {
        const format = read(() => repo.format);
        if (isKnown(format) && String(format).toUpperCase() !== "DOCKER") return;
        const immutable = read(() => repo.dockerConfig?.immutableTags);
        if (isKnown(immutable) && immutable !== true) report(`Artifact Registry repository "${args.name}" has mutable tags (dockerConfig.immutableTags is ${show(immutable)}).`);
        if (read(() => repo.vulnerabilityScanningConfig?.enablementConfig) === "DISABLED") report(`Artifact Registry repository "${args.name}" turns vulnerability scanning off.`);
    }),
});

const firewallNoPublicIngress = resourcePolicy({
    name: "gcp-firewall-no-public-ingress",
    description: "No firewall rule admits traffic from the whole internet, except the load balancer's HTTP(S) ports.",
    severity: "critical",
    category: "security",
    resources: "gcp.compute.Firewall",
    checks: "An enabled INGRESS allow rule with source 0.0.0.0/0 or ::/0 opens only TCP ports in `allowedPublicPorts` (default 80, 443).",
    seed: "001 Network › Firewall rules configured",
    remediation: "Restrict sourceRanges to the VPC, Google's health-check ranges (35.191.0.0/16, 130.211.0.0/22) or operator CIDRs; only the load balancer's listeners may face 0.0.0.0/0.",
    configSchema: { properties: { allowedPublicPorts: publicPortsSchema } },
    validateResource: validateResourceOfType(gcp.compute.Firewall, (fw, args, report) => {
        const { allowedPublicPorts } = args.getConfig<{ allowedPublicPorts: number[] }>();
        const direction = read(() => fw.direction);
        if ((isKnown(direction) && direction !== undefined && direction !== "INGRESS") || read(() => fw.disabled) === true) return;
        const open = knownItems(() => fw.sourceRanges).items.filter(isWorldCidr);
        if (open.length === 0) return;
        for (const allow of knownItems(() => fw.allows).items) {
            const rawProtocol = read(() => allow.protocol);
            const portSpecs = knownItems(() => allow.ports);
            if (rawProtocol === UNKNOWN || portSpecs.unknown) continue;
            const protocol = String(rawProtocol).toLowerCase();
            const ports = expandPortSpecs(portSpecs.items);
            const ok = (protocol === "tcp" || protocol === "6") && ports !== undefined && ports.every((p) => allowedPublicPorts.includes(p));
            if (!ok) report(`Firewall "${args.name}" admits ${open.join(", ")} on ${protocol} ${ports ? ports.join(",") : "all ports"}.`);
        }
    }),
});

const subnetFlowLogs = resourcePolicy({
    name: "gcp-subnet-flow-logs",
    description: "VPC subnetworks record flow logs.",
    severity: "medium",
    category: "security",
    resources: "gcp.compute.Subnetwork",
    checks: "`logConfig` is set on subnetworks for VMs (purpose PRIVATE or unset).",
    seed: "001 Security › Compliance: audit logging enabled",
    remediation: 'Set logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" }.',
    validateResource: validateResourceOfType(gcp.compute.Subnetwork, (subnet, args, report) => {
        const purpose = read(() => subnet.purpose);
        if (purpose === UNKNOWN || (typeof purpose === "string" && purpose !== "PRIVATE")) return;
        if (read(() => subnet.logConfig) === undefined) report(`Subnetwork "${args.name}" records no flow logs.`);
    }),
});

const kmsKeyRotation = resourcePolicy({
    name: "gcp-kms-key-rotation",
    description: "Cloud KMS encryption keys rotate at least every 90 days.",
    severity: "medium",
    category: "security",
    resources: "gcp.kms.CryptoKey",
    checks: "`rotationPeriod` is set and at most `maximumRotationDays` (default 90) for ENCRYPT_DECRYPT keys.",
    seed: "001 Security › Secrets Management: secrets rotation policy implemented",
    remediation: 'Set rotationPeriod: "7776000s" (90 days).',
    configSchema: { properties: { maximumRotationDays: { type: "integer", minimum: 1, default: 90 } } },
    validateResource: validateResourceOfType(gcp.kms.CryptoKey, (key, args, report) => {
        const { maximumRotationDays } = args.getConfig<{ maximumRotationDays: number }>();
        const purpose = read(() => key.purpose);
        if (typeof purpose === "string" && purpose !== "ENCRYPT_DECRYPT") return;
        const period = read(() => key.rotationPeriod);
        if (period === UNKNOWN) return;
        const seconds = typeof period === "string" ? Number(period.replace(/s$/, "")) : NaN;
        if (!(seconds > 0 && seconds <= maximumRotationDays * 86400))
            report(`KMS key "${args.name}" rotates ${period === undefined ? "never" : `every ${period}`}; at most every ${maximumRotationDays} days is required.`);
    }),
});

// ---------------------------------------------------------------- durability: protect

export const gcpStatefulTypes: Readonly<Record<string, string>> = {
    "gcp:sql/databaseInstance:DatabaseInstance": "Cloud SQL instance",
    "gcp:sql/database:Database": "Cloud SQL database",
    "gcp:redis/instance:Instance": "Memorystore instance",
    "gcp:storage/bucket:Bucket": "Cloud Storage bucket",
    "gcp:kms/cryptoKey:CryptoKey": "Cloud KMS key",
    "gcp:kms/keyRing:KeyRing": "Cloud KMS key ring",
    "gcp:filestore/instance:Instance": "Filestore instance",
};

const gcpProtectStateful = resourcePolicy({
    name: "gcp-stateful-resources-protected",
    description: "Resources that hold data carry Pulumi's `protect` option.",
    severity: "high",
    category: "durability",
    resources: "gcp.sql.DatabaseInstance, gcp.sql.Database, gcp.redis.Instance, gcp.storage.Bucket, gcp.kms.CryptoKey, gcp.kms.KeyRing, gcp.filestore.Instance",
    checks: "`opts.protect` is true, and a bucket is not `forceDestroy` (which empties it on delete).",
    seed: "000 Disaster Recovery plan; 001 Backup & Recovery",
    remediation: "Create the resource with { protect: true } (stack settings database.deletionProtection / cluster.deletionProtection decide it per environment).",
    validateResource: requireProtect(gcpStatefulTypes, ["gcp:storage/bucket:Bucket"]),
});

// ---------------------------------------------------------------- governance

const gcpRequiredLabels = resourcePolicy({
    name: "gcp-required-labels",
    description: "Every labelled GCP resource carries the governance labels.",
    severity: "medium",
    category: "governance",
    resources: "every GCP resource with `labels` (and `effectiveLabels`), `resourceLabels` or `userLabels` (generated list, policy/rules/generated/gcpLabelled.ts)",
    checks: "The label map, merged over the provider's `defaultLabels`, has environment, project, owner or cost-center, and managed-by.",
    seed: "001 Operations › team access / cost tracking (governance labels)",
    remediation:
        "Pass standardLabels(settings) from components/shared/naming.ts as labels (resourceLabels on GKE clusters, settings.userLabels on Cloud SQL, nodeConfig.resourceLabels on node pools), or set them as the provider's defaultLabels.",
    configSchema: { properties: { requiredLabels: tagRequirementsSchema(defaultTagRequirements) } },
    validateResource: (args, report) => {
        const path = gcpLabelledTypes[args.type];
        if (path === undefined) return;
        const { requiredLabels } = args.getConfig<{ requiredLabels: TagRequirement[] }>();
        const own = knownEntries(() => readPath(args.props, path) as Record<string, unknown> | undefined);
        const rawDefaults = path === "labels" && args.provider ? read(() => args.provider!.props.defaultLabels) : undefined;
        if (own.unknown || rawDefaults === UNKNOWN) return;
        const defaults = parseMaybeJson(rawDefaults);
        const defaultEntries = defaults && typeof defaults === "object" ? knownEntries(() => defaults as Record<string, unknown>) : undefined;
        const missing = unmetRequirements({ ...defaultEntries?.entries, ...own.entries }, requiredLabels, new Set([...own.unknownKeys, ...(defaultEntries?.unknownKeys ?? [])]));
        if (missing.length > 0) report(`${args.type} "${args.name}" is missing label(s) ${missing.join(", ")} (at ${path}).`);
    },
});

export const gcpPolicies: PolicyDefinition[] = [
    sqlNoPublicIp,
    sqlSslRequired,
    sqlHighAvailability,
    sqlBackups,
    sqlPointInTimeRecovery,
    sqlDeletionProtection,
    redisHighAvailability,
    redisInTransit,
    redisAuth,
    redisPersistence,
    gkeSecretsEncryption,
    gkeDeletionProtection,
    gkePrivateNodes,
    gkeApiNotPublic,
    gkeWorkloadIdentity,
    gkeShieldedNodes,
    gkeNetworkPolicy,
    gkeNodeAutoRepairUpgrade,
    gkeSupportedVersion,
    gkeNodeServiceAccount,
    gkeContainerdImage,
    gkeNoLegacyAbac,
    gkeNoClientCertificates,
    gkeBinaryAuthorization,
    gkeLogging,
    gkeMultiZone,
    gkeNodeAutoscaling,
    storagePublicAccessPrevention,
    storageVersioning,
    storageRetentionPolicy,
    storageMultiRegion,
    customerManagedKeys,
    artifactRegistryImmutableTags,
    firewallNoPublicIngress,
    subnetFlowLogs,
    logBucketRetention,
    kmsKeyRotation,
    gcpProtectStateful,
    gcpRequiredLabels,
];
