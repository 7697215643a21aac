import * as gcp from "@pulumi/gcp";
import { gcpBaseline, labels } from "./fixtures";
import { describeViolations, edit, evaluate, names, provider, res, summary, unset, type ViolationCase } from "./helpers";

const base = gcpBaseline;
/** A patch value of undefined removes the key here: a present-but-undefined key would mean "unknown at preview". */
const applyPatch = (o: Record<string, unknown>, patch: Record<string, unknown>) => {
    const out = { ...o, ...patch };
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete out[k];
    return out;
};
type SqlSettings = NonNullable<gcp.sql.DatabaseInstanceArgs["settings"]>;
const sqlSettings = (patch: Record<string, unknown>): SqlSettings => {
    const settings = structuredClone(base().find((r) => r.name === "db" && r.type === "gcp:sql/databaseInstance:DatabaseInstance")!.inputs.settings);
    return applyPatch(settings, patch) as unknown as SqlSettings;
};
type NodeConfig = NonNullable<gcp.container.NodePoolArgs["nodeConfig"]>;
const nodeConfig = (patch: Record<string, unknown>): NodeConfig => {
    const config = structuredClone(base().find((r) => r.type === "gcp:container/nodePool:NodePool")!.inputs.nodeConfig);
    return applyPatch(config, patch) as unknown as NodeConfig;
};

const cases: ViolationCase[] = [
    // Cloud SQL
    {
        policy: "gcp-sql-no-public-ip",
        what: "ipv4Enabled left at GCP's default (true)",
        resources: () => edit(base(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ ipConfiguration: { privateNetwork: "projects/p/global/networks/vpc", sslMode: "ENCRYPTED_ONLY" } }) }),
    },
    {
        policy: "gcp-sql-no-public-ip",
        what: "an authorized network of 0.0.0.0/0",
        resources: () =>
            edit(base(), gcp.sql.DatabaseInstance, "db", {
                settings: sqlSettings({ ipConfiguration: { ipv4Enabled: false, privateNetwork: "vpc", sslMode: "ENCRYPTED_ONLY", authorizedNetworks: [{ value: "0.0.0.0/0" }] } }),
            }),
    },
    {
        policy: "gcp-sql-ssl-required",
        what: "sslMode allows unencrypted",
        resources: () =>
            edit(base(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ ipConfiguration: { ipv4Enabled: false, privateNetwork: "vpc", sslMode: "ALLOW_UNENCRYPTED_AND_ENCRYPTED" } }) }),
    },
    {
        policy: "gcp-sql-ssl-required",
        what: "sslMode not set",
        resources: () => edit(base(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ ipConfiguration: { ipv4Enabled: false, privateNetwork: "vpc" } }) }),
    },
    { policy: "gcp-sql-high-availability", what: "zonal", resources: () => edit(base(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ availabilityType: "ZONAL" }) }) },
    {
        policy: "gcp-sql-backups",
        what: "backups disabled",
        resources: () => edit(base(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ backupConfiguration: { enabled: false, pointInTimeRecoveryEnabled: true } }) }),
    },
    {
        policy: "gcp-sql-backups",
        what: "GCP's default of 7 retained backups in prod",
        resources: () => edit(base(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true } }) }),
    },
    {
        policy: "gcp-sql-point-in-time-recovery",
        what: "PITR off",
        resources: () => edit(base(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ backupConfiguration: { enabled: true, backupRetentionSettings: { retainedBackups: 30 } } }) }),
    },
    { policy: "gcp-sql-deletion-protection", what: "Pulumi deletion protection off", resources: () => edit(base(), gcp.sql.DatabaseInstance, "db", { deletionProtection: false }) },
    {
        policy: "gcp-sql-deletion-protection",
        what: "API deletion protection not set",
        resources: () => edit(base(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ deletionProtectionEnabled: undefined }) }),
    },
    // Memorystore
    { policy: "gcp-redis-high-availability", what: "BASIC tier (the default)", resources: () => unset(base(), gcp.redis.Instance, "cache", "tier") },
    { policy: "gcp-redis-encryption-in-transit", what: "no TLS", resources: () => edit(base(), gcp.redis.Instance, "cache", { transitEncryptionMode: "DISABLED" }) },
    { policy: "gcp-redis-auth", what: "AUTH off", resources: () => unset(base(), gcp.redis.Instance, "cache", "authEnabled") },
    { policy: "gcp-redis-persistence", what: "no RDB snapshots", resources: () => unset(base(), gcp.redis.Instance, "cache", "persistenceConfig") },
    // GKE
    { policy: "gcp-gke-secrets-encryption", what: "no application-layer encryption", resources: () => unset(base(), gcp.container.Cluster, "gke", "databaseEncryption") },
    { policy: "gcp-gke-private-nodes", what: "public nodes", resources: () => edit(base(), gcp.container.Cluster, "gke", { privateClusterConfig: { enablePrivateNodes: false } }) },
    { policy: "gcp-gke-api-not-public", what: "no authorized networks", resources: () => unset(base(), gcp.container.Cluster, "gke", "masterAuthorizedNetworksConfig") },
    {
        policy: "gcp-gke-api-not-public",
        what: "0.0.0.0/0 authorized",
        resources: () => edit(base(), gcp.container.Cluster, "gke", { masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "0.0.0.0/0" }] } }),
    },
    {
        policy: "gcp-gke-api-not-public",
        what: "0.0.0.0/0 split into four quarters",
        resources: () =>
            edit(base(), gcp.container.Cluster, "gke", {
                masterAuthorizedNetworksConfig: { cidrBlocks: ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"].map((cidrBlock) => ({ cidrBlock })) },
            }),
    },
    { policy: "gcp-gke-workload-identity", what: "no workload pool", resources: () => unset(base(), gcp.container.Cluster, "gke", "workloadIdentityConfig") },
    {
        policy: "gcp-gke-workload-identity",
        what: "node metadata exposed",
        resources: () => edit(base(), gcp.container.NodePool, "nodes", { nodeConfig: nodeConfig({ workloadMetadataConfig: { mode: "GCE_METADATA" } }) }),
    },
    { policy: "gcp-gke-shielded-nodes", what: "shielded nodes off", resources: () => edit(base(), gcp.container.Cluster, "gke", { enableShieldedNodes: false }) },
    { policy: "gcp-gke-shielded-nodes", what: "no secure boot", resources: () => edit(base(), gcp.container.NodePool, "nodes", { nodeConfig: nodeConfig({ shieldedInstanceConfig: undefined }) }) },
    { policy: "gcp-gke-network-policy", what: "legacy datapath without network policy", resources: () => unset(base(), gcp.container.Cluster, "gke", "datapathProvider") },
    { policy: "gcp-gke-node-auto-repair-upgrade", what: "auto-upgrade off", resources: () => edit(base(), gcp.container.NodePool, "nodes", { management: { autoRepair: true, autoUpgrade: false } }) },
    { policy: "gcp-gke-supported-version", what: "no release channel", resources: () => unset(base(), gcp.container.Cluster, "gke", "releaseChannel") },
    { policy: "gcp-gke-supported-version", what: "an old pinned version", resources: () => edit(base(), gcp.container.NodePool, "nodes", { version: "1.29.8-gke.1000" }) },
    {
        policy: "gcp-gke-node-service-account",
        what: "the default compute service account",
        resources: () => edit(base(), gcp.container.NodePool, "nodes", { nodeConfig: nodeConfig({ serviceAccount: "123456789-compute@developer.gserviceaccount.com" }) }),
    },
    {
        policy: "gcp-gke-node-service-account",
        what: "a legacy broad scope",
        resources: () => edit(base(), gcp.container.NodePool, "nodes", { nodeConfig: nodeConfig({ oauthScopes: ["https://www.googleapis.com/auth/compute"] }) }),
    },
    { policy: "gcp-gke-node-service-account", what: "a default node pool kept with the default account", resources: () => unset(base(), gcp.container.Cluster, "gke", "removeDefaultNodePool") },
    { policy: "gcp-gke-cos-containerd", what: "Ubuntu nodes", resources: () => edit(base(), gcp.container.NodePool, "nodes", { nodeConfig: nodeConfig({ imageType: "UBUNTU_CONTAINERD" }) }) },
    { policy: "gcp-gke-no-legacy-abac", what: "legacy ABAC", resources: () => edit(base(), gcp.container.Cluster, "gke", { enableLegacyAbac: true }) },
    {
        policy: "gcp-gke-no-client-certificates",
        what: "client certificate issued",
        resources: () => edit(base(), gcp.container.Cluster, "gke", { masterAuth: { clientCertificateConfig: { issueClientCertificate: true } } }),
    },
    { policy: "gcp-gke-binary-authorization", what: "no Binary Authorization", resources: () => unset(base(), gcp.container.Cluster, "gke", "binaryAuthorization") },
    { policy: "gcp-gke-logging", what: "logging off", resources: () => edit(base(), gcp.container.Cluster, "gke", { loggingService: "none" }) },
    { policy: "gcp-gke-logging", what: "no API server logs", resources: () => edit(base(), gcp.container.Cluster, "gke", { loggingConfig: { enableComponents: ["WORKLOADS"] } }) },
    { policy: "gcp-gke-multi-zone", what: "a zonal cluster", resources: () => edit(base(), gcp.container.Cluster, "gke", { location: "us-central1-a" }) },
    { policy: "gcp-gke-node-autoscaling", what: "no autoscaling", resources: () => unset(base(), gcp.container.NodePool, "nodes", "autoscaling") },
    {
        policy: "gcp-gke-node-autoscaling",
        what: "a floor of 1 node in prod",
        resources: () => edit(base(), gcp.container.NodePool, "nodes", { autoscaling: { totalMinNodeCount: 1, totalMaxNodeCount: 4 } }),
    },
    // storage, registry, network, keys
    { policy: "gcp-storage-public-access-prevention", what: "inherited public access prevention", resources: () => unset(base(), gcp.storage.Bucket, "backups", "publicAccessPrevention") },
    { policy: "gcp-storage-public-access-prevention", what: "fine-grained ACLs", resources: () => edit(base(), gcp.storage.Bucket, "backups", { uniformBucketLevelAccess: false }) },
    {
        policy: "gcp-storage-versioning",
        what: "neither versioning nor a retention policy",
        resources: () => unset(base(), gcp.storage.Bucket, "backups", "versioning", "retentionPolicy"),
        also: ["gcp-storage-retention-policy"],
    },
    {
        policy: "gcp-storage-retention-policy",
        what: "no retention policy (versioned instead)",
        resources: () => edit(unset(base(), gcp.storage.Bucket, "backups", "retentionPolicy"), gcp.storage.Bucket, "backups", { versioning: { enabled: true } }),
    },
    {
        policy: "gcp-storage-retention-policy",
        what: "an unlocked retention policy",
        resources: () => edit(base(), gcp.storage.Bucket, "backups", { retentionPolicy: { retentionPeriod: String(30 * 86400), isLocked: false } }),
    },
    {
        policy: "gcp-storage-retention-policy",
        what: "one day of retention in prod",
        resources: () => edit(base(), gcp.storage.Bucket, "backups", { retentionPolicy: { retentionPeriod: "86400", isLocked: true } }),
    },
    { policy: "gcp-storage-multi-region", what: "a regional bucket", resources: () => edit(base(), gcp.storage.Bucket, "backups", { location: "US-CENTRAL1" }) },
    { policy: "gcp-storage-multi-region", what: "a lower-case region", resources: () => edit(base(), gcp.storage.Bucket, "backups", { location: "europe-west4" }) },
    { policy: "gcp-stateful-resources-protected", what: "a force-destroyed bucket", resources: () => edit(base(), gcp.storage.Bucket, "backups", { forceDestroy: true }) },
    { policy: "gcp-stateful-resources-protected", what: "an unprotected Cloud SQL database", resources: () => [...base(), res(gcp.sql.Database, "agents", { instance: "db", name: "agents" })] },
    { policy: "gcp-customer-managed-keys", what: "a bucket under a Google-managed key", resources: () => unset(base(), gcp.storage.Bucket, "backups", "encryption") },
    { policy: "gcp-customer-managed-keys", what: "a registry under a Google-managed key", resources: () => unset(base(), gcp.artifactregistry.Repository, "agent", "kmsKeyName") },
    {
        policy: "gcp-customer-managed-keys",
        what: "boot disks under a Google-managed key",
        resources: () => edit(base(), gcp.container.NodePool, "nodes", { nodeConfig: nodeConfig({ bootDiskKmsKey: undefined }) }),
    },
    {
        policy: "gcp-customer-managed-keys",
        what: "a default pool's node config without a key",
        resources: () => edit(base(), gcp.container.Cluster, "gke", { nodeConfig: { machineType: "e2-small" } }),
    },
    { policy: "gcp-gke-deletion-protection", what: "deletionProtection false", resources: () => edit(base(), gcp.container.Cluster, "gke", { deletionProtection: false }) },
    {
        policy: "gcp-log-bucket-retention",
        what: "logs kept 7 days in prod",
        resources: () => [...base(), res(gcp.logging.ProjectBucketConfig, "logs", { project: "acme-agents", location: "us-central1", bucketId: "ai-platform", retentionDays: 7 })],
    },
    {
        policy: "gcp-sql-deletion-protection",
        what: "backups deleted with the instance",
        resources: () => edit(base(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ retainBackupsOnDelete: false }) }),
    },
    {
        policy: "gcp-sql-point-in-time-recovery",
        what: "one day of transaction logs",
        resources: () =>
            edit(base(), gcp.sql.DatabaseInstance, "db", {
                settings: sqlSettings({ backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true, transactionLogRetentionDays: 1, backupRetentionSettings: { retainedBackups: 30 } } }),
            }),
    },
    { policy: "gcp-artifact-registry-immutable-tags", what: "mutable tags", resources: () => unset(base(), gcp.artifactregistry.Repository, "agent", "dockerConfig") },
    {
        policy: "gcp-artifact-registry-immutable-tags",
        what: "scanning disabled",
        resources: () => edit(base(), gcp.artifactregistry.Repository, "agent", { vulnerabilityScanningConfig: { enablementConfig: "DISABLED" } }),
    },
    { policy: "gcp-firewall-no-public-ingress", what: "SSH from anywhere", resources: () => edit(base(), gcp.compute.Firewall, "allow-https", { allows: [{ protocol: "tcp", ports: ["22"] }] }) },
    {
        policy: "gcp-firewall-no-public-ingress",
        what: "all protocols from anywhere",
        resources: () => edit(base(), gcp.compute.Firewall, "allow-health-checks", { sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "all" }] }),
    },
    { policy: "gcp-subnet-flow-logs", what: "no flow logs", resources: () => unset(base(), gcp.compute.Subnetwork, "nodes", "logConfig") },
    { policy: "gcp-kms-key-rotation", what: "no rotation", resources: () => unset(base(), gcp.kms.CryptoKey, "gke-secrets", "rotationPeriod") },
    { policy: "gcp-kms-key-rotation", what: "yearly rotation", resources: () => edit(base(), gcp.kms.CryptoKey, "gke-secrets", { rotationPeriod: "31536000s" }) },
    // durability, governance
    { policy: "gcp-stateful-resources-protected", what: "an unprotected bucket", resources: () => base().map((r) => (r.name === "backups" ? { ...r, options: { ...r.options, protect: false } } : r)) },
    { policy: "gcp-required-labels", what: "a bucket without labels", resources: () => unset(base(), gcp.storage.Bucket, "backups", "labels") },
    { policy: "gcp-required-labels", what: "a GKE cluster without resourceLabels", resources: () => unset(base(), gcp.container.Cluster, "gke", "resourceLabels") },
    {
        policy: "gcp-required-labels",
        what: "Cloud SQL without userLabels",
        resources: () => edit(base(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ userLabels: { environment: "prod" } }) }),
    },
];

describeViolations("GCP policies flag what they must", cases);

describe("GCP policies accept the compliant variants", () => {
    it("a private-endpoint cluster needs no authorized networks", async () => {
        const resources = edit(unset(base(), gcp.container.Cluster, "gke", "masterAuthorizedNetworksConfig"), gcp.container.Cluster, "gke", {
            privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true },
        });
        expect(summary(await evaluate(resources))).toEqual([]);
    });

    it("authorized networks with no CIDR block admit no external address", async () => {
        const resources = edit(base(), gcp.container.Cluster, "gke", { masterAuthorizedNetworksConfig: { cidrBlocks: [] } });
        expect(summary(await evaluate(resources))).toEqual([]);
    });

    it("Calico network policy instead of Dataplane V2", async () => {
        const resources = edit(unset(base(), gcp.container.Cluster, "gke", "datapathProvider"), gcp.container.Cluster, "gke", { networkPolicy: { enabled: true, provider: "CALICO" } });
        expect(summary(await evaluate(resources))).toEqual([]);
    });

    it("the provider's defaultLabels count toward the required labels", async () => {
        const google = provider("gcp", "labelled", { project: "acme-agents", defaultLabels: JSON.stringify(labels) });
        const bucket = res(
            gcp.storage.Bucket,
            "logs",
            {
                location: "US",
                publicAccessPrevention: "enforced",
                uniformBucketLevelAccess: true,
                retentionPolicy: { retentionPeriod: String(30 * 86400), isLocked: true },
                encryption: { defaultKmsKeyName: "k" },
            },
            { provider: google, protect: true },
        );
        expect(summary(await evaluate([google, bucket]))).toEqual([]);
    });

    it("monitoring notification channels are judged on userLabels, not on their channel labels", async () => {
        const channel = res(gcp.monitoring.NotificationChannel, "email", { type: "email", labels: { email_address: "oncall@example.com" }, userLabels: labels });
        expect(await evaluate([channel])).toEqual([]);
    });

    it("staging takes a zonal, 7-backup database and a BASIC cache as advisories", async () => {
        const staging = edit(
            edit(base(), gcp.sql.DatabaseInstance, "db", {
                settings: sqlSettings({ availabilityType: "ZONAL", backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true, backupRetentionSettings: { retainedBackups: 7 } } }),
            }),
            gcp.redis.Instance,
            "cache",
            { tier: "BASIC" },
        );
        const violations = await evaluate(staging, "staging");
        expect(summary(violations)).toEqual(["gcp-redis-high-availability @ cache", "gcp-sql-high-availability @ db"]);
        expect(violations.every((v) => v.enforcementLevel === "advisory")).toBe(true);
        expect(names(await evaluate(staging, "prod"))).toEqual(["gcp-redis-high-availability", "gcp-sql-backups", "gcp-sql-high-availability"]);
    });
});
