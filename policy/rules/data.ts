import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType, type PolicyResource, type ReportViolation, type ResourceValidation } from "@pulumi/policy";
import type * as pulumi from "@pulumi/pulumi";
import { awsTypes as t } from "../lib/aws";
import { resourcePolicy, stackPolicy } from "../lib/define";
import { isWorldCidr } from "../lib/network";
import { label, ofTypes, refersTo } from "../lib/stack";
import { UNKNOWN, isKnown, knownItems, read, show } from "../lib/values";

/**
 * Data: the managed databases and caches, AWS (RDS, ElastiCache) and GCP (Cloud SQL, Memorystore)
 * side by side: encryption, no public reach, TLS, high availability, backups and deletion
 * protection. Input names of @pulumi/aws 7.48 and @pulumi/gcp 9.37; a value unknown during preview
 * is never a violation, a plain input the program must set (for example `storageEncrypted`) is one
 * when it is absent.
 */

const rdsRetentionSchema = {
    properties: { minimumRetentionDays: { type: "integer" as const, minimum: 1, maximum: 35, default: 30, description: "Fewest days of automated backups (RDS allows at most 35)." } },
};

/** The same check for RDS instances and clusters, which share these input names. */
type RdsCommonKeys = "storageEncrypted" | "backupRetentionPeriod" | "deletionProtection" | "skipFinalSnapshot" | "finalSnapshotIdentifier";
type RdsCommon = Pick<pulumi.Unwrap<aws.rds.InstanceArgs>, RdsCommonKeys> & Pick<pulumi.Unwrap<aws.rds.ClusterArgs>, RdsCommonKeys>;

/** The retention policy's config; the other RDS policies have none and ignore it. */
type RdsConfig = { minimumRetentionDays: number };

function forRdsInstancesAndClusters(check: (db: RdsCommon, what: string, report: ReportViolation, config: RdsConfig) => void): ResourceValidation[] {
    return [
        validateResourceOfType(aws.rds.Instance, (db, args, report) => check(db, `RDS instance "${args.name}"`, report, args.getConfig<RdsConfig>())),
        validateResourceOfType(aws.rds.Cluster, (db, args, report) => check(db, `RDS cluster "${args.name}"`, report, args.getConfig<RdsConfig>())),
    ];
}

// ---------------------------------------------------------------- AWS: RDS

export const rdsStorageEncrypted = resourcePolicy({
    name: "aws-rds-storage-encrypted",
    description: "RDS instances and clusters encrypt their storage at rest.",
    severity: "critical",
    category: "security",
    resources: "aws.rds.Instance, aws.rds.Cluster",
    checks: "`storageEncrypted: true` (a plain input: absent is a violation).",
    seed: "001 Security › Compliance: data encryption at rest",
    remediation: "Set storageEncrypted: true with kmsKeyId set to a customer-managed KMS key; storage encryption cannot be turned on in place, so set it before the first deployment.",
    validateResource: forRdsInstancesAndClusters((db, what, report) => {
        const encrypted = read(() => db.storageEncrypted);
        if (isKnown(encrypted) && encrypted !== true) report(`${what} does not encrypt its storage (storageEncrypted is ${show(encrypted)}).`);
    }),
});

export const rdsNotPublic = resourcePolicy({
    name: "aws-rds-not-public",
    description: "RDS databases are not reachable from the internet.",
    severity: "critical",
    category: "security",
    resources: "aws.rds.Instance, aws.rds.ClusterInstance",
    checks: "`publiclyAccessible` is not true.",
    seed: "001 Network › Firewall rules configured; 000 Security › Network policies",
    remediation: "Remove publiclyAccessible (or set it to false) and place the database in private subnets; clients reach it from inside the VPC.",
    validateResource: [
        validateResourceOfType(aws.rds.Instance, (db, args, report) => {
            if (read(() => db.publiclyAccessible) === true) report(`RDS instance "${args.name}" is publicly accessible.`);
        }),
        validateResourceOfType(aws.rds.ClusterInstance, (db, args, report) => {
            if (read(() => db.publiclyAccessible) === true) report(`RDS cluster instance "${args.name}" is publicly accessible.`);
        }),
    ],
});

/** The parameter that forces TLS for an engine, and the values that turn it on. */
function sslParameterFor(engine: unknown): { name: string; on: string[] } | undefined {
    const e = typeof engine === "string" ? engine : "postgres";
    if (e.includes("postgres")) return { name: "rds.force_ssl", on: ["1"] };
    if (e.includes("mysql") || e.includes("mariadb")) return { name: "require_secure_transport", on: ["1", "ON", "on"] };
    if (e.startsWith("sqlserver")) return { name: "rds.force_ssl", on: ["1"] };
    return undefined;
}

export const rdsForceSsl = stackPolicy({
    name: "aws-rds-force-ssl",
    description: "RDS databases refuse unencrypted connections, through a parameter group that forces TLS.",
    severity: "critical",
    category: "security",
    resources: "aws.rds.Instance + aws.rds.ParameterGroup; aws.rds.Cluster + aws.rds.ClusterParameterGroup",
    checks: "Each database names a parameter group of this stack that sets `rds.force_ssl=1` (PostgreSQL) or `require_secure_transport=1` (MySQL).",
    seed: "001 Security › Compliance: data encryption in transit",
    remediation:
        'Create an aws.rds.ParameterGroup for the engine family with parameters [{ name: "rds.force_ssl", value: "1" }] and set the database\'s parameterGroupName (dbClusterParameterGroupName for clusters) to its name.',
    validateStack: (args, report) => {
        const check = (db: PolicyResource, groupProp: string, groupType: string) => {
            const engine = read(() => db.props.engine);
            if (engine === UNKNOWN) return;
            const wanted = sslParameterFor(engine);
            if (!wanted) return;
            const groupName = read(() => db.props[groupProp]);
            const groups = ofTypes(args.resources, [groupType]).filter((g) => refersTo(db, g, groupProp, ["name", "id"]));
            if (groups.length === 0) {
                if (groupName === undefined) report(`${label(db)} uses the engine's default parameter group, which this stack cannot pin to ${wanted.name}=1.`, db.urn);
                else if (isKnown(groupName)) report(`${label(db)} uses parameter group ${show(groupName)}, which is not declared in this stack, so ${wanted.name}=1 cannot be verified.`, db.urn);
                return;
            }
            for (const group of groups) {
                const { items, unknown } = knownItems(() => group.props.parameters as { name: string; value: string }[]);
                if (items.some((p) => read(() => p.name) === UNKNOWN)) continue;
                const param = items.find((p) => read(() => p.name) === wanted.name);
                const value = param ? read(() => param.value) : undefined;
                if (value === UNKNOWN || (!param && unknown)) continue;
                if (!param || !wanted.on.includes(String(value))) report(`${label(db)} uses ${label(group)}, which sets ${wanted.name} to ${show(value)} instead of ${wanted.on[0]}.`, db.urn);
            }
        };
        for (const db of ofTypes(args.resources, [t.rdsInstance])) check(db, "parameterGroupName", t.parameterGroup);
        for (const db of ofTypes(args.resources, [t.rdsCluster])) check(db, "dbClusterParameterGroupName", t.clusterParameterGroup);
    },
});

export const rdsMultiAz = resourcePolicy({
    name: "aws-rds-multi-az",
    description: "RDS instances run with a synchronous standby in a second availability zone.",
    severity: "high",
    category: "durability",
    resources: "aws.rds.Instance",
    checks: "`multiAz: true`.",
    seed: "001 High Availability › Multi-AZ deployment, database replication",
    remediation: "Set multiAz: true (stack setting database.highAvailability).",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
        const multiAz = read(() => db.multiAz);
        if (isKnown(multiAz) && multiAz !== true) report(`RDS instance "${args.name}" is single-AZ (multiAz is ${show(multiAz)}).`);
    }),
});

export const rdsBackupRetention = resourcePolicy({
    name: "aws-rds-backup-retention",
    description: "RDS automated backups are kept for at least the configured number of days.",
    severity: "high",
    category: "durability",
    resources: "aws.rds.Instance, aws.rds.Cluster, aws.rds.InstanceAutomatedBackupsReplication",
    checks: "`backupRetentionPeriod` ≥ `minimumRetentionDays` (default 30); backups replicated to another region are kept as long (`retentionPeriod`).",
    seed: "001 AWS setup › --backup-retention-period 30; 000/001 Backup & Recovery › automated backups",
    remediation: "Set backupRetentionPeriod (and the replication's retentionPeriod) to at least minimumRetentionDays (stack setting database.backupRetentionDays).",
    configSchema: rdsRetentionSchema,
    validateResource: [
        ...forRdsInstancesAndClusters((db, what, report, config) => {
            const days = read(() => db.backupRetentionPeriod);
            if (isKnown(days) && !(typeof days === "number" && days >= config.minimumRetentionDays))
                report(`${what} keeps backups for ${show(days)} days; at least ${config.minimumRetentionDays} are required.`);
        }),
        validateResourceOfType(aws.rds.InstanceAutomatedBackupsReplication, (r, args, report) => {
            const { minimumRetentionDays } = args.getConfig<{ minimumRetentionDays: number }>();
            // RDS keeps replicated backups 7 days unless told otherwise.
            const days = read(() => r.retentionPeriod) ?? 7;
            if (isKnown(days) && !(typeof days === "number" && days >= minimumRetentionDays))
                report(`Backup replication "${args.name}" keeps the replicated backups for ${show(days)} days; at least ${minimumRetentionDays} are required.`);
        }),
    ],
});

export const rdsPointInTimeRecovery = resourcePolicy({
    name: "aws-rds-point-in-time-recovery",
    description: "RDS automated backups (and with them point-in-time recovery) are not turned off.",
    severity: "high",
    category: "durability",
    resources: "aws.rds.Instance, aws.rds.Cluster",
    checks: "`backupRetentionPeriod` is not 0 (0 disables automated backups and point-in-time recovery).",
    seed: "001 Disaster Recovery › RPO 1 hour; 000 Backup & Recovery",
    remediation: "Set backupRetentionPeriod to a positive number of days; RDS then keeps transaction logs for point-in-time recovery.",
    validateResource: forRdsInstancesAndClusters((db, what, report) => {
        if (read(() => db.backupRetentionPeriod) === 0) report(`${what} has automated backups disabled (backupRetentionPeriod is 0), so it cannot be restored to a point in time.`);
    }),
});

export const rdsDeletionProtection = resourcePolicy({
    name: "aws-rds-deletion-protection",
    description: "RDS databases cannot be deleted by accident.",
    severity: "high",
    category: "durability",
    resources: "aws.rds.Instance, aws.rds.Cluster",
    checks: "`deletionProtection: true`.",
    seed: "001 Backup & Recovery; 000 Disaster recovery plan",
    remediation: "Set deletionProtection: true (stack setting database.deletionProtection).",
    validateResource: forRdsInstancesAndClusters((db, what, report) => {
        const on = read(() => db.deletionProtection);
        if (isKnown(on) && on !== true) report(`${what} has deletion protection off (deletionProtection is ${show(on)}).`);
    }),
});

export const rdsFinalSnapshot = resourcePolicy({
    name: "aws-rds-final-snapshot",
    description: "Deleting an RDS database leaves a final snapshot and keeps its automated backups.",
    severity: "medium",
    category: "durability",
    resources: "aws.rds.Instance, aws.rds.Cluster",
    checks: "`skipFinalSnapshot` is not true, `finalSnapshotIdentifier` is set, and `deleteAutomatedBackups` is not true (RDS's default is to delete them).",
    seed: "000/001 Backup & Recovery › automated backups configured",
    remediation: "Leave skipFinalSnapshot false, set finalSnapshotIdentifier (for example `${name}-final`) and deleteAutomatedBackups: false.",
    validateResource: [
        ...forRdsInstancesAndClusters((db, what, report) => {
            if (read(() => db.skipFinalSnapshot) === true) report(`${what} skips its final snapshot (skipFinalSnapshot is true).`);
            else if (read(() => db.finalSnapshotIdentifier) === undefined) report(`${what} has no finalSnapshotIdentifier, so deleting it takes no final snapshot.`);
        }),
        validateResourceOfType(aws.rds.Instance, (db, args, report) => {
            const remove = read(() => db.deleteAutomatedBackups);
            if (isKnown(remove) && remove !== false) report(`RDS instance "${args.name}" deletes its automated backups with it (deleteAutomatedBackups is ${show(remove)}).`);
        }),
    ],
});

// ---------------------------------------------------------------- AWS: ElastiCache

export const elasticacheAtRest = resourcePolicy({
    name: "aws-elasticache-encryption-at-rest",
    description: "ElastiCache (Redis/Valkey) data is encrypted at rest.",
    severity: "critical",
    category: "security",
    resources: "aws.elasticache.ReplicationGroup, aws.elasticache.Cluster",
    checks: "Replication groups set `atRestEncryptionEnabled: true`; a standalone `elasticache.Cluster` (which cannot encrypt at rest) is a violation unless it joins a replication group.",
    seed: "001 Security › Compliance: data encryption at rest",
    remediation: "Use an aws.elasticache.ReplicationGroup with atRestEncryptionEnabled: true and kmsKeyId set; at-rest encryption can only be chosen at creation.",
    validateResource: [
        validateResourceOfType(aws.elasticache.ReplicationGroup, (rg, args, report) => {
            const on = read(() => rg.atRestEncryptionEnabled);
            if (isKnown(on) && on !== true) report(`Replication group "${args.name}" does not encrypt at rest (atRestEncryptionEnabled is ${show(on)}).`);
        }),
        validateResourceOfType(aws.elasticache.Cluster, (cluster, args, report) => {
            if (read(() => cluster.replicationGroupId) === undefined) report(`Cache cluster "${args.name}" is a standalone elasticache.Cluster, which has no encryption at rest.`);
        }),
    ],
});

export const elasticacheInTransit = resourcePolicy({
    name: "aws-elasticache-encryption-in-transit",
    description: "ElastiCache accepts TLS connections only.",
    severity: "critical",
    category: "security",
    resources: "aws.elasticache.ReplicationGroup",
    checks: '`transitEncryptionEnabled: true` and `transitEncryptionMode` not "preferred".',
    seed: "001 Security › Compliance: data encryption in transit",
    remediation: 'Set transitEncryptionEnabled: true and leave transitEncryptionMode unset or "required"; clients connect with rediss://.',
    validateResource: validateResourceOfType(aws.elasticache.ReplicationGroup, (rg, args, report) => {
        const on = read(() => rg.transitEncryptionEnabled);
        if (isKnown(on) && on !== true) report(`Replication group "${args.name}" accepts plaintext connections (transitEncryptionEnabled is ${show(on)}).`);
        if (read(() => rg.transitEncryptionMode) === "preferred") report(`Replication group "${args.name}" also accepts plaintext connections (transitEncryptionMode is "preferred").`);
    }),
});

export const elasticacheAuth = resourcePolicy({
    name: "aws-elasticache-auth",
    description: "ElastiCache requires clients to authenticate.",
    severity: "high",
    category: "security",
    resources: "aws.elasticache.ReplicationGroup",
    checks: "`authToken` (or `authTokenWo`) or `userGroupIds` is set.",
    seed: "001 Security › Access Control",
    remediation: "Set authToken from a generated secret (pulumi.secret) or attach an RBAC user group with userGroupIds.",
    validateResource: validateResourceOfType(aws.elasticache.ReplicationGroup, (rg, args, report) => {
        const token = read(() => rg.authToken);
        const tokenWo = read(() => rg.authTokenWo);
        const groups = read(() => rg.userGroupIds);
        const set = (v: unknown) => v === UNKNOWN || (v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0));
        if (!set(token) && !set(tokenWo) && !set(groups)) report(`Replication group "${args.name}" lets any client in the VPC connect without authentication.`);
    }),
});

export const elasticacheHighAvailability = resourcePolicy({
    name: "aws-elasticache-high-availability",
    description: "ElastiCache keeps a replica in another availability zone and fails over automatically.",
    severity: "high",
    category: "durability",
    resources: "aws.elasticache.ReplicationGroup",
    checks: "`automaticFailoverEnabled: true`, `multiAzEnabled: true` and at least one replica (`numCacheClusters` ≥ 2 or `replicasPerNodeGroup` ≥ 1).",
    seed: "001 High Availability › Redis cluster for caching; GCP STANDARD_HA equivalent",
    remediation: "Set automaticFailoverEnabled: true, multiAzEnabled: true and numCacheClusters ≥ 2 (stack settings cache.highAvailability and cache.nodes).",
    validateResource: validateResourceOfType(aws.elasticache.ReplicationGroup, (rg, args, report) => {
        const failover = read(() => rg.automaticFailoverEnabled);
        const multiAz = read(() => rg.multiAzEnabled);
        if (isKnown(failover) && failover !== true) report(`Replication group "${args.name}" has no automatic failover (automaticFailoverEnabled is ${show(failover)}).`);
        if (isKnown(multiAz) && multiAz !== true) report(`Replication group "${args.name}" is not multi-AZ (multiAzEnabled is ${show(multiAz)}).`);
        const clusters = read(() => rg.numCacheClusters);
        const replicas = read(() => rg.replicasPerNodeGroup);
        if (clusters === UNKNOWN || replicas === UNKNOWN) return;
        const hasReplica = (typeof clusters === "number" && clusters >= 2) || (typeof replicas === "number" && replicas >= 1);
        if (!hasReplica) report(`Replication group "${args.name}" has no replica (numCacheClusters ${show(clusters)}, replicasPerNodeGroup ${show(replicas)}).`);
    }),
});

export const elasticacheBackups = resourcePolicy({
    name: "aws-elasticache-backups",
    description: "ElastiCache takes daily snapshots (the cache also holds the job queue).",
    severity: "low",
    category: "durability",
    resources: "aws.elasticache.ReplicationGroup",
    checks: "`snapshotRetentionLimit` ≥ 1.",
    seed: "000/001 Backup & Recovery › automated backups configured",
    remediation: "Set snapshotRetentionLimit to at least 1 day (stack setting cache.snapshotRetentionDays).",
    validateResource: validateResourceOfType(aws.elasticache.ReplicationGroup, (rg, args, report) => {
        const days = read(() => rg.snapshotRetentionLimit);
        if (isKnown(days) && !(typeof days === "number" && days >= 1)) report(`Replication group "${args.name}" keeps no snapshots (snapshotRetentionLimit is ${show(days)}).`);
    }),
});

const sqlRetentionSchema = {
    properties: { minimumRetentionDays: { type: "integer" as const, minimum: 1, maximum: 365, default: 30, description: "Fewest daily backups Cloud SQL keeps." } },
};

// ---------------------------------------------------------------- GCP: Cloud SQL (from here on an absent plain input is judged by GCP's default)

export const sqlNoPublicIp = resourcePolicy({
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

export const sqlSslRequired = resourcePolicy({
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

export const sqlHighAvailability = resourcePolicy({
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

export const sqlBackups = resourcePolicy({
    name: "gcp-sql-backups",
    description: "Cloud SQL takes daily backups and keeps at least the configured number.",
    severity: "high",
    category: "durability",
    resources: "gcp.sql.DatabaseInstance",
    checks: "`settings.backupConfiguration.enabled: true` and `backupRetentionSettings.retainedBackups` ≥ `minimumRetentionDays` (GCP keeps 7 when unset).",
    seed: "001 GCP setup › --backup; AWS --backup-retention-period 30",
    remediation: "Set settings.backupConfiguration { enabled: true, startTime, backupRetentionSettings: { retainedBackups: 30 } } (stack setting database.backupRetentionDays).",
    configSchema: sqlRetentionSchema,
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

export const sqlPointInTimeRecovery = resourcePolicy({
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

export const sqlDeletionProtection = resourcePolicy({
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

// ---------------------------------------------------------------- GCP: Memorystore

export const redisHighAvailability = resourcePolicy({
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

export const redisInTransit = resourcePolicy({
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

export const redisAuth = resourcePolicy({
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

export const redisPersistence = resourcePolicy({
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
