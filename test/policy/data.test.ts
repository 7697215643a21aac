import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { awsBaseline, gcpBaseline, sqlSettings, tags } from "./fixtures";
import { describeViolations, edit, evaluate, names, res, summary, unknownInput, unset, without, type ViolationCase } from "./helpers";

const awsCases: ViolationCase[] = [
    // RDS
    { policy: "aws-rds-storage-encrypted", what: "storageEncrypted false", resources: () => edit(awsBaseline(), aws.rds.Instance, "db", { storageEncrypted: false }) },
    { policy: "aws-rds-storage-encrypted", what: "storageEncrypted not set (a plain input)", resources: () => unset(awsBaseline(), aws.rds.Instance, "db", "storageEncrypted") },
    {
        policy: "aws-rds-storage-encrypted",
        what: "an Aurora cluster without encryption",
        resources: () => [
            ...awsBaseline(),
            res(
                aws.rds.Cluster,
                "aurora",
                { engine: "aurora-postgresql", backupRetentionPeriod: 30, deletionProtection: true, finalSnapshotIdentifier: "final", dbClusterParameterGroupName: "custom", tags },
                { protect: true },
            ),
        ],
        also: ["aws-rds-force-ssl"],
    },
    { policy: "aws-rds-not-public", what: "publiclyAccessible true", resources: () => edit(awsBaseline(), aws.rds.Instance, "db", { publiclyAccessible: true }) },
    {
        policy: "aws-rds-force-ssl",
        what: "the parameter group sets rds.force_ssl=0",
        resources: () => edit(awsBaseline(), aws.rds.ParameterGroup, "pg", { parameters: [{ name: "rds.force_ssl", value: "0" }] }),
    },
    { policy: "aws-rds-force-ssl", what: "the parameter group does not set rds.force_ssl", resources: () => edit(awsBaseline(), aws.rds.ParameterGroup, "pg", { parameters: [] }) },
    { policy: "aws-rds-force-ssl", what: "the database uses the default parameter group", resources: () => unset(without(awsBaseline(), "pg"), aws.rds.Instance, "db", "parameterGroupName") },
    { policy: "aws-rds-multi-az", what: "multiAz false", resources: () => edit(awsBaseline(), aws.rds.Instance, "db", { multiAz: false }) },
    { policy: "aws-rds-multi-az", what: "multiAz not set", resources: () => unset(awsBaseline(), aws.rds.Instance, "db", "multiAz") },
    { policy: "aws-rds-backup-retention", what: "7 days in prod", resources: () => edit(awsBaseline(), aws.rds.Instance, "db", { backupRetentionPeriod: 7 }) },
    { policy: "aws-rds-backup-retention", what: "retention not set", resources: () => unset(awsBaseline(), aws.rds.Instance, "db", "backupRetentionPeriod") },
    {
        policy: "aws-rds-point-in-time-recovery",
        what: "automated backups disabled",
        resources: () => edit(awsBaseline(), aws.rds.Instance, "db", { backupRetentionPeriod: 0 }),
        also: ["aws-rds-backup-retention"],
    },
    { policy: "aws-rds-deletion-protection", what: "deletionProtection false", resources: () => edit(awsBaseline(), aws.rds.Instance, "db", { deletionProtection: false }) },
    { policy: "aws-rds-final-snapshot", what: "skipFinalSnapshot true", resources: () => edit(awsBaseline(), aws.rds.Instance, "db", { skipFinalSnapshot: true }) },
    { policy: "aws-rds-final-snapshot", what: "no finalSnapshotIdentifier", resources: () => unset(awsBaseline(), aws.rds.Instance, "db", "finalSnapshotIdentifier") },
    { policy: "aws-rds-final-snapshot", what: "automated backups deleted with the instance", resources: () => edit(awsBaseline(), aws.rds.Instance, "db", { deleteAutomatedBackups: true }) },
    { policy: "aws-rds-final-snapshot", what: "deleteAutomatedBackups not set (RDS deletes them)", resources: () => unset(awsBaseline(), aws.rds.Instance, "db", "deleteAutomatedBackups") },
    {
        policy: "aws-rds-backup-retention",
        what: "replicated backups kept 7 days (the default)",
        resources: () => [...awsBaseline(), res(aws.rds.InstanceAutomatedBackupsReplication, "dr", { sourceDbInstanceArn: unknownInput, kmsKeyId: unknownInput })],
    },
    // ElastiCache
    {
        policy: "aws-elasticache-encryption-at-rest",
        what: "atRestEncryptionEnabled false",
        resources: () => edit(awsBaseline(), aws.elasticache.ReplicationGroup, "cache", { atRestEncryptionEnabled: false }),
    },
    {
        policy: "aws-elasticache-encryption-at-rest",
        what: "a standalone cache cluster",
        resources: () => [...awsBaseline(), res(aws.elasticache.Cluster, "single", { engine: "redis", nodeType: "cache.t4g.small", numCacheNodes: 1, tags })],
    },
    {
        policy: "aws-elasticache-encryption-in-transit",
        what: "transitEncryptionEnabled not set",
        resources: () => unset(awsBaseline(), aws.elasticache.ReplicationGroup, "cache", "transitEncryptionEnabled"),
    },
    {
        policy: "aws-elasticache-encryption-in-transit",
        what: 'transitEncryptionMode "preferred"',
        resources: () => edit(awsBaseline(), aws.elasticache.ReplicationGroup, "cache", { transitEncryptionMode: "preferred" }),
    },
    { policy: "aws-elasticache-auth", what: "no auth token or user group", resources: () => unset(awsBaseline(), aws.elasticache.ReplicationGroup, "cache", "authToken") },
    {
        policy: "aws-elasticache-high-availability",
        what: "no automatic failover",
        resources: () => edit(awsBaseline(), aws.elasticache.ReplicationGroup, "cache", { automaticFailoverEnabled: false }),
    },
    { policy: "aws-elasticache-high-availability", what: "a single node", resources: () => edit(awsBaseline(), aws.elasticache.ReplicationGroup, "cache", { numCacheClusters: 1 }) },
    { policy: "aws-elasticache-backups", what: "no snapshots", resources: () => edit(awsBaseline(), aws.elasticache.ReplicationGroup, "cache", { snapshotRetentionLimit: 0 }) },
];

const gcpCases: ViolationCase[] = [
    // Cloud SQL
    {
        policy: "gcp-sql-no-public-ip",
        what: "ipv4Enabled left at GCP's default (true)",
        resources: () =>
            edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ ipConfiguration: { privateNetwork: "projects/p/global/networks/vpc", sslMode: "ENCRYPTED_ONLY" } }) }),
    },
    {
        policy: "gcp-sql-no-public-ip",
        what: "an authorized network of 0.0.0.0/0",
        resources: () =>
            edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", {
                settings: sqlSettings({ ipConfiguration: { ipv4Enabled: false, privateNetwork: "vpc", sslMode: "ENCRYPTED_ONLY", authorizedNetworks: [{ value: "0.0.0.0/0" }] } }),
            }),
    },
    {
        policy: "gcp-sql-ssl-required",
        what: "sslMode allows unencrypted",
        resources: () =>
            edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", {
                settings: sqlSettings({ ipConfiguration: { ipv4Enabled: false, privateNetwork: "vpc", sslMode: "ALLOW_UNENCRYPTED_AND_ENCRYPTED" } }),
            }),
    },
    {
        policy: "gcp-sql-ssl-required",
        what: "sslMode not set",
        resources: () => edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ ipConfiguration: { ipv4Enabled: false, privateNetwork: "vpc" } }) }),
    },
    { policy: "gcp-sql-high-availability", what: "zonal", resources: () => edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ availabilityType: "ZONAL" }) }) },
    {
        policy: "gcp-sql-backups",
        what: "backups disabled",
        resources: () => edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ backupConfiguration: { enabled: false, pointInTimeRecoveryEnabled: true } }) }),
    },
    {
        policy: "gcp-sql-backups",
        what: "GCP's default of 7 retained backups in prod",
        resources: () => edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true } }) }),
    },
    {
        policy: "gcp-sql-point-in-time-recovery",
        what: "PITR off",
        resources: () => edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ backupConfiguration: { enabled: true, backupRetentionSettings: { retainedBackups: 30 } } }) }),
    },
    { policy: "gcp-sql-deletion-protection", what: "Pulumi deletion protection off", resources: () => edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", { deletionProtection: false }) },
    {
        policy: "gcp-sql-deletion-protection",
        what: "API deletion protection not set",
        resources: () => edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ deletionProtectionEnabled: undefined }) }),
    },
    // Memorystore
    { policy: "gcp-redis-high-availability", what: "BASIC tier (the default)", resources: () => unset(gcpBaseline(), gcp.redis.Instance, "cache", "tier") },
    { policy: "gcp-redis-encryption-in-transit", what: "no TLS", resources: () => edit(gcpBaseline(), gcp.redis.Instance, "cache", { transitEncryptionMode: "DISABLED" }) },
    { policy: "gcp-redis-auth", what: "AUTH off", resources: () => unset(gcpBaseline(), gcp.redis.Instance, "cache", "authEnabled") },
    { policy: "gcp-redis-persistence", what: "no RDB snapshots", resources: () => unset(gcpBaseline(), gcp.redis.Instance, "cache", "persistenceConfig") },
    {
        policy: "gcp-sql-deletion-protection",
        what: "backups deleted with the instance",
        resources: () => edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ retainBackupsOnDelete: false }) }),
    },
    {
        policy: "gcp-sql-point-in-time-recovery",
        what: "one day of transaction logs",
        resources: () =>
            edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", {
                settings: sqlSettings({ backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true, transactionLogRetentionDays: 1, backupRetentionSettings: { retainedBackups: 30 } } }),
            }),
    },
];

describeViolations("AWS data policies flag what they must", awsCases);

describeViolations("GCP data policies flag what they must", gcpCases);

describe("AWS data policies accept the compliant variants", () => {
    it("MySQL databases are judged on require_secure_transport", async () => {
        const pg = res(aws.rds.ParameterGroup, "mysql-pg", { family: "mysql8.0", parameters: [{ name: "require_secure_transport", value: "ON" }], tags });
        const db = res(
            aws.rds.Instance,
            "mysql",
            {
                engine: "mysql",
                instanceClass: "db.t3.large",
                storageEncrypted: true,
                kmsKeyId: unknownInput,
                multiAz: true,
                backupRetentionPeriod: 30,
                deletionProtection: true,
                finalSnapshotIdentifier: "f",
                deleteAutomatedBackups: false,
                parameterGroupName: unknownInput,
                tags,
            },
            { protect: true, dependsOn: [pg] },
        );
        expect(summary(await evaluate([pg, db]))).toEqual([]);
        expect(names(await evaluate([edit([pg], aws.rds.ParameterGroup, "mysql-pg", { parameters: [] })[0], db]))).toEqual(["aws-rds-force-ssl"]);
    });

    it("staging takes 7-day backups and a single AZ as advisories, never as blockers", async () => {
        const staging = edit(awsBaseline(), aws.rds.Instance, "db", { backupRetentionPeriod: 7, multiAz: false, deletionProtection: false });
        const violations = await evaluate(staging, "staging");
        expect(summary(violations)).toEqual(["aws-rds-deletion-protection @ db", "aws-rds-multi-az @ db"]);
        expect(violations.every((v) => v.enforcementLevel === "advisory")).toBe(true);
        const prod = await evaluate(staging, "prod");
        expect(names(prod)).toEqual(["aws-rds-backup-retention", "aws-rds-deletion-protection", "aws-rds-multi-az"]);
        expect(prod.every((v) => v.enforcementLevel === "mandatory")).toBe(true);
    });
});

describe("GCP data policies accept the compliant variants", () => {
    it("staging takes a zonal, 7-backup database and a BASIC cache as advisories", async () => {
        const staging = edit(
            edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", {
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
