import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { validateResourceOfType, type PolicyResource, type ReportViolation, type ResourceValidation } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, type PolicyDefinition } from "../lib/define";
import { apiAccessTooWide } from "../../stacks/apiAccess";
import { isWorldCidr, onlyAllowedPorts, publicPortsSchema } from "../lib/network";
import { requireProtect } from "../lib/protect";
import { label, ofTypes, referrers, refersTo } from "../lib/stack";
import { defaultTagRequirements, tagRequirementsSchema, unmetRequirements, type TagRequirement } from "../lib/tags";
import { isAtLeast, minimumVersionSchema } from "../lib/versions";
import { UNKNOWN, isKnown, isTrue, knownEntries, knownItems, parseMaybeJson, read, show } from "../lib/values";
import { awsTaggableTypes } from "./generated/awsTaggable";

/**
 * AWS policies, written against the input property names of @pulumi/aws 7.48. Every check reads
 * through `read`, so a value that is unknown during preview is never a violation; a plain input the
 * program must set (for example `storageEncrypted`) is one when it is absent.
 */

const t = {
    rdsInstance: "aws:rds/instance:Instance",
    rdsCluster: "aws:rds/cluster:Cluster",
    parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    clusterParameterGroup: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    buckets: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    accountPublicAccessBlock: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    sse: ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"],
    versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    eksCluster: "aws:eks/cluster:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    oidcProvider: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    role: "aws:iam/role:Role",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    subnet: "aws:ec2/subnet:Subnet",
    vpc: "aws:ec2/vpc:Vpc",
    flowLog: "aws:ec2/flowLog:FlowLog",
    objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
} as const;

/** The EBS CSI driver's provisioner name: its StorageClasses create EBS volumes. */
const ebsProvisioner = "ebs.csi.aws.com";

const retentionSchema = {
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

// ---------------------------------------------------------------- databases

const rdsStorageEncrypted = resourcePolicy({
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

const rdsNotPublic = resourcePolicy({
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

const rdsForceSsl = stackPolicy({
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

const rdsMultiAz = resourcePolicy({
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

const rdsBackupRetention = resourcePolicy({
    name: "aws-rds-backup-retention",
    description: "RDS automated backups are kept for at least the configured number of days.",
    severity: "high",
    category: "durability",
    resources: "aws.rds.Instance, aws.rds.Cluster, aws.rds.InstanceAutomatedBackupsReplication",
    checks: "`backupRetentionPeriod` ≥ `minimumRetentionDays` (default 30); backups replicated to another region are kept as long (`retentionPeriod`).",
    seed: "001 AWS setup › --backup-retention-period 30; 000/001 Backup & Recovery › automated backups",
    remediation: "Set backupRetentionPeriod (and the replication's retentionPeriod) to at least minimumRetentionDays (stack setting database.backupRetentionDays).",
    configSchema: retentionSchema,
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

const rdsPointInTimeRecovery = resourcePolicy({
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

const rdsDeletionProtection = resourcePolicy({
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

const rdsFinalSnapshot = resourcePolicy({
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

// ---------------------------------------------------------------- cache

const elasticacheAtRest = resourcePolicy({
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

const elasticacheInTransit = resourcePolicy({
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

const elasticacheAuth = resourcePolicy({
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

const elasticacheHighAvailability = resourcePolicy({
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

const elasticacheBackups = resourcePolicy({
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

// ---------------------------------------------------------------- S3 (stack policies: settings live in companion resources)

function bucketsOf(resources: PolicyResource[]): PolicyResource[] {
    return ofTypes(resources, t.buckets);
}

function companions(resources: PolicyResource[], bucket: PolicyResource, types: readonly string[]): PolicyResource[] {
    return referrers(resources, bucket, types, "bucket", ["bucket", "id"]);
}

const s3PublicAccessBlock = stackPolicy({
    name: "aws-s3-public-access-block",
    description: "Every S3 bucket blocks public access with all four settings.",
    severity: "critical",
    category: "security",
    resources: "aws.s3.Bucket + aws.s3.BucketPublicAccessBlock (or aws.s3.AccountPublicAccessBlock)",
    checks: "Each bucket has a public access block with `blockPublicAcls`, `blockPublicPolicy`, `ignorePublicAcls` and `restrictPublicBuckets` all true.",
    seed: "001 Network › Firewall rules; 004 security best practices (no public data)",
    remediation: "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets set to true.",
    validateStack: (args, report) => {
        const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;
        const offFlags = (r: PolicyResource) =>
            flags.filter((f) => {
                const v = read(() => r.props[f]);
                return isKnown(v) && v !== true;
            });
        const account = ofTypes(args.resources, [t.accountPublicAccessBlock]);
        if (account.some((a) => offFlags(a).length === 0)) return;
        for (const bucket of bucketsOf(args.resources)) {
            const blocks = companions(args.resources, bucket, [t.publicAccessBlock]);
            if (blocks.length === 0) {
                report(`${label(bucket)} has no BucketPublicAccessBlock.`, bucket.urn);
                continue;
            }
            const off = offFlags(blocks[0]);
            if (off.length > 0) report(`${label(bucket)}'s public access block leaves ${off.join(", ")} off.`, bucket.urn);
        }
    },
});

const s3Encryption = stackPolicy({
    name: "aws-s3-encryption",
    description: "Every S3 bucket has default server-side encryption configured.",
    severity: "high",
    category: "security",
    resources: "aws.s3.Bucket + aws.s3.BucketServerSideEncryptionConfiguration",
    checks: 'Each bucket has an SSE configuration (separate resource or the inline, deprecated `serverSideEncryptionConfiguration`) whose default algorithm is "aws:kms", "aws:kms:dsse" or "AES256".',
    seed: "001 Security › All secrets encrypted at rest; data encryption at rest",
    remediation:
        'Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with rules [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId } , bucketKeyEnabled: true }].',
    validateStack: (args, report) => {
        const algorithms = ["aws:kms", "aws:kms:dsse", "AES256"];
        const ruleAlgorithms = (rules: () => unknown) => {
            const { items, unknown } = knownItems(rules as () => { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string } }[]);
            return { unknown, algorithms: items.map((r) => read(() => r.applyServerSideEncryptionByDefault?.sseAlgorithm)) };
        };
        for (const bucket of bucketsOf(args.resources)) {
            const configs = companions(args.resources, bucket, t.sse);
            const inline = read(() => bucket.props.serverSideEncryptionConfiguration);
            if (configs.length === 0 && inline === undefined) {
                report(`${label(bucket)} has no server-side encryption configuration.`, bucket.urn);
                continue;
            }
            const found =
                configs.length > 0
                    ? ruleAlgorithms(() => configs[0].props.rules)
                    : inline === UNKNOWN
                      ? { unknown: true, algorithms: [] }
                      : ruleAlgorithms(() => ((inline as { rule?: unknown } | undefined)?.rule ? [(inline as { rule: unknown }).rule] : []));
            if (found.algorithms.some((a) => a === UNKNOWN) || (found.unknown && found.algorithms.length === 0)) continue;
            if (!found.algorithms.some((a) => typeof a === "string" && algorithms.includes(a)))
                report(`${label(bucket)}'s encryption configuration sets no default algorithm (${found.algorithms.map(String).join(", ") || "none"}).`, bucket.urn);
        }
    },
});

/** True when a bucket policy document denies every request made without TLS. */
export function deniesInsecureTransport(policy: unknown): boolean {
    const doc = parseMaybeJson(policy) as { Statement?: unknown } | undefined;
    const statements = doc && typeof doc === "object" ? (Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : []) : [];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an IAM policy document: JSON whose every field is optional and may be a string or a list
    return statements.some((s: any) => {
        if (s?.Effect !== "Deny") return false;
        const condition = s.Condition?.Bool ?? s.Condition?.bool;
        const value = condition?.["aws:SecureTransport"];
        const principalAll = s.Principal === "*" || s.Principal?.AWS === "*" || (Array.isArray(s.Principal?.AWS) && s.Principal.AWS.includes("*"));
        return principalAll && (value === "false" || value === false || (Array.isArray(value) && value.map(String).includes("false")));
    });
}

const s3TlsOnly = stackPolicy({
    name: "aws-s3-tls-only",
    description: "Every S3 bucket refuses requests that do not use TLS.",
    severity: "high",
    category: "security",
    resources: "aws.s3.Bucket + aws.s3.BucketPolicy",
    checks: 'Each bucket has a bucket policy with a `Deny` for principal `*` on condition `Bool {"aws:SecureTransport": "false"}`.',
    seed: "001 Security › Compliance: data encryption in transit",
    remediation:
        'Add an aws.s3.BucketPolicy with a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
    validateStack: (args, report) => {
        for (const bucket of bucketsOf(args.resources)) {
            const documents = [...companions(args.resources, bucket, [t.bucketPolicy]).map((p) => read(() => p.props.policy)), read(() => bucket.props.policy)].filter((d) => d !== undefined);
            if (documents.some((d) => d === UNKNOWN)) continue;
            if (!documents.some(deniesInsecureTransport)) report(`${label(bucket)} has no bucket policy denying requests without TLS (aws:SecureTransport = false).`, bucket.urn);
        }
    },
});

const s3Versioning = stackPolicy({
    name: "aws-s3-versioning",
    description: "Every S3 bucket (the backup bucket in particular) keeps object versions.",
    severity: "medium",
    category: "durability",
    resources: "aws.s3.Bucket + aws.s3.BucketVersioning",
    checks: 'Each bucket has a BucketVersioning with status "Enabled" (or the inline, deprecated `versioning.enabled`).',
    seed: "001 Storage › Backup storage configured; 000 Backup & Recovery",
    remediation: 'Add an aws.s3.BucketVersioning for the bucket with versioningConfiguration: { status: "Enabled" }.',
    validateStack: (args, report) => {
        for (const bucket of bucketsOf(args.resources)) {
            const configs = companions(args.resources, bucket, t.versioning);
            const statuses = configs.map((c) => read(() => (c.props.versioningConfiguration as { status?: string } | undefined)?.status));
            const inline = read(() => (bucket.props.versioning as { enabled?: boolean } | undefined)?.enabled);
            if (statuses.includes(UNKNOWN) || inline === UNKNOWN) continue;
            if (!statuses.includes("Enabled") && inline !== true)
                report(`${label(bucket)} does not keep object versions (${configs.length ? `status ${show(statuses[0])}` : "no BucketVersioning"}).`, bucket.urn);
        }
    },
});

// ---------------------------------------------------------------- compute, EKS

const ebsEncrypted = resourcePolicy({
    name: "aws-ebs-encrypted",
    description: "Node and instance volumes are encrypted.",
    severity: "critical",
    category: "security",
    resources: "aws.ebs.Volume, aws.ec2.LaunchTemplate, aws.ec2.Instance, aws.eks.NodeGroup, StorageClass (ebs.csi.aws.com)",
    checks: 'Volumes set `encrypted: true`; launch templates declare their block devices with `ebs.encrypted` true; instances encrypt root and EBS devices; EKS node groups use a launch template (without one the disks follow the account default); EBS CSI StorageClasses set `parameters.encrypted: "true"`.',
    seed: "001 Security › Compliance: data encryption at rest",
    remediation:
        'Declare blockDeviceMappings [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize, volumeType: "gp3" } }] in the node launch template and reference it from the node group.',
    validateResource: [
        validateResourceOfType(aws.ebs.Volume, (v, args, report) => {
            const on = read(() => v.encrypted);
            if (isKnown(on) && on !== true) report(`EBS volume "${args.name}" is not encrypted.`);
        }),
        validateResourceOfType(aws.ec2.LaunchTemplate, (lt, args, report) => {
            const { items, unknown } = knownItems(() => lt.blockDeviceMappings);
            if (items.length === 0 && !unknown) report(`Launch template "${args.name}" declares no block device, so the root volume's encryption follows the AMI and the account default.`);
            for (const m of items) {
                const ebs = read(() => m.ebs);
                if (ebs === undefined || ebs === UNKNOWN) continue;
                const on = read(() => ebs.encrypted);
                if (isKnown(on) && !isTrue(on)) report(`Launch template "${args.name}" leaves ${show(read(() => m.deviceName))} unencrypted (ebs.encrypted is ${show(on)}).`);
            }
        }),
        validateResourceOfType(aws.ec2.Instance, (i, args, report) => {
            const root = read(() => i.rootBlockDevice?.encrypted);
            if (isKnown(root) && root !== true) report(`EC2 instance "${args.name}" has an unencrypted root volume.`);
            for (const d of knownItems(() => i.ebsBlockDevices).items) {
                const on = read(() => d.encrypted);
                if (isKnown(on) && on !== true) report(`EC2 instance "${args.name}" has an unencrypted EBS device ${show(read(() => d.deviceName))}.`);
            }
        }),
        validateResourceOfType(aws.eks.NodeGroup, (ng, args, report) => {
            if (read(() => ng.launchTemplate) === undefined)
                report(`Node group "${args.name}" uses no launch template, so its disks are encrypted only if the account's EBS default encryption is on.`);
        }),
        (args, report) => {
            if (args.type !== t.storageClass || read(() => args.props.provisioner) !== ebsProvisioner) return;
            const on = read(() => args.props.parameters?.encrypted);
            if (isKnown(on) && on !== "true") report(`StorageClass "${args.name}" creates unencrypted EBS volumes (parameters.encrypted is ${show(on)}).`);
        },
    ],
});

const imdsv2 = resourcePolicy({
    name: "aws-imdsv2",
    description: "Nodes require IMDSv2 and keep the metadata service out of reach of pods (hop limit 1).",
    severity: "high",
    category: "security",
    resources: "aws.ec2.LaunchTemplate, aws.ec2.Instance, aws.eks.NodeGroup",
    checks: '`metadataOptions.httpTokens: "required"` and `httpPutResponseHopLimit: 1` (or the endpoint disabled); EKS node groups use a launch template.',
    seed: "001 Security › Access Control (CIS EKS 3.x: IMDSv2, no node credentials for pods)",
    remediation: 'Set metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 } on the node launch template; pods get AWS credentials through IRSA instead.',
    validateResource: (() => {
        const check = (options: () => { httpEndpoint?: string; httpTokens?: string; httpPutResponseHopLimit?: number } | undefined, what: string, report: ReportViolation) => {
            const endpoint = read(() => options()?.httpEndpoint);
            if (endpoint === "disabled") return;
            const tokens = read(() => options()?.httpTokens);
            const hops = read(() => options()?.httpPutResponseHopLimit);
            if (isKnown(tokens) && tokens !== "required") report(`${what} allows IMDSv1 (metadataOptions.httpTokens is ${show(tokens)}).`);
            if (isKnown(hops) && !(typeof hops === "number" && hops <= 1)) report(`${what} lets containers reach the instance metadata service (httpPutResponseHopLimit is ${show(hops)}; use 1).`);
        };
        return [
            validateResourceOfType(aws.ec2.LaunchTemplate, (lt, args, report) => check(() => lt.metadataOptions, `Launch template "${args.name}"`, report)),
            validateResourceOfType(aws.ec2.Instance, (i, args, report) => check(() => i.metadataOptions, `EC2 instance "${args.name}"`, report)),
            validateResourceOfType(aws.eks.NodeGroup, (ng, args, report) => {
                if (read(() => ng.launchTemplate) === undefined)
                    report(`Node group "${args.name}" uses no launch template, so its nodes keep EKS's default metadata options (IMDSv1 allowed, hop limit 2).`);
            }),
        ];
    })(),
});

const eksSecretsEncryption = resourcePolicy({
    name: "aws-eks-secrets-encryption",
    description: "EKS encrypts Kubernetes Secrets with a KMS key (envelope encryption).",
    severity: "critical",
    category: "security",
    resources: "aws.eks.Cluster",
    checks: '`encryptionConfig.resources` includes "secrets" and `encryptionConfig.provider.keyArn` is set.',
    seed: "001 Security › Secrets Management: all secrets encrypted at rest",
    remediation: 'Set encryptionConfig: { provider: { keyArn: kmsKey.arn }, resources: ["secrets"] }.',
    validateResource: validateResourceOfType(aws.eks.Cluster, (c, args, report) => {
        const config = read(() => c.encryptionConfig);
        if (config === UNKNOWN) return;
        if (config === undefined) return report(`EKS cluster "${args.name}" stores Secrets without envelope encryption (no encryptionConfig).`);
        const { items, unknown } = knownItems(() => config.resources);
        if (!unknown && !items.includes("secrets")) report(`EKS cluster "${args.name}" does not encrypt Secrets (encryptionConfig.resources is ${show(items)}).`);
        if (read(() => config.provider?.keyArn) === undefined) report(`EKS cluster "${args.name}" names no KMS key for Secrets encryption.`);
    }),
});

const eksApiNotPublic = resourcePolicy({
    name: "aws-eks-api-not-public",
    description: "The EKS API endpoint is not open to the whole internet.",
    severity: "critical",
    category: "security",
    resources: "aws.eks.Cluster",
    checks: "`vpcConfig.endpointPublicAccess: false`, or `vpcConfig.publicAccessCidrs` set and reaching fewer than 2^24 addresses together, however they are split (EKS defaults to 0.0.0.0/0 when it is absent).",
    seed: "001 Security › Access Control; Network › Firewall rules configured",
    remediation: "Set vpcConfig.publicAccessCidrs to the CIDRs of CI runners and operators (stack setting cluster.publicAccessCidrs), or endpointPublicAccess: false.",
    validateResource: validateResourceOfType(aws.eks.Cluster, (c, args, report) => {
        const isPublic = read(() => c.vpcConfig?.endpointPublicAccess);
        if (isPublic === false || isPublic === UNKNOWN) return;
        const cidrs = read(() => c.vpcConfig?.publicAccessCidrs);
        if (cidrs === UNKNOWN) return;
        if (cidrs === undefined || cidrs.length === 0) return report(`EKS cluster "${args.name}" has a public API endpoint open to 0.0.0.0/0 (no publicAccessCidrs).`);
        const { items } = knownItems(() => cidrs);
        // Judged by the addresses the ranges reach together (0.0.0.0/1 + 128.0.0.0/1 is 0.0.0.0/0), as the settings judge them.
        const tooWide = apiAccessTooWide(items, "any");
        if (tooWide) report(`EKS cluster "${args.name}" has a public API endpoint open to ${items.join(", ")}: ${tooWide}.`);
    }),
});

const eksPrivateEndpoint = resourcePolicy({
    name: "aws-eks-private-endpoint",
    description: "Nodes reach the EKS API over the VPC (private endpoint on), so they can live in private subnets.",
    severity: "high",
    category: "security",
    resources: "aws.eks.Cluster",
    checks: "`vpcConfig.endpointPrivateAccess: true`.",
    seed: "001 Network › Firewall rules; CIS EKS 5.4 private endpoint / private nodes",
    remediation: "Set vpcConfig.endpointPrivateAccess: true.",
    validateResource: validateResourceOfType(aws.eks.Cluster, (c, args, report) => {
        const on = read(() => c.vpcConfig?.endpointPrivateAccess);
        if (isKnown(on) && on !== true) report(`EKS cluster "${args.name}" has no private API endpoint (endpointPrivateAccess is ${show(on)}), so nodes talk to the API over the internet.`);
    }),
});

const eksPrivateNodes = stackPolicy({
    name: "aws-eks-private-nodes",
    description: "EKS node groups run in subnets that give no public IP addresses.",
    severity: "high",
    category: "security",
    resources: "aws.eks.NodeGroup + aws.ec2.Subnet",
    checks: "No subnet a node group uses (when declared in this stack) sets `mapPublicIpOnLaunch: true`.",
    seed: "001 Network; CIS EKS 5.4.3 private nodes",
    remediation: "Place node groups in the private subnets (behind NAT gateways) via subnetIds.",
    validateStack: (args, report) => {
        const subnets = ofTypes(args.resources, [t.subnet]);
        for (const ng of ofTypes(args.resources, [t.nodeGroup])) {
            for (const subnet of subnets.filter((s) => refersTo(ng, s, "subnetIds", ["id"]))) {
                if (read(() => subnet.props.mapPublicIpOnLaunch) === true) report(`${label(ng)} runs in ${label(subnet)}, which assigns public IP addresses.`, ng.urn);
            }
        }
    },
});

const eksAuditLogs = resourcePolicy({
    name: "aws-eks-audit-logs",
    description: "EKS ships control-plane audit, API and authenticator logs to CloudWatch.",
    severity: "high",
    category: "security",
    resources: "aws.eks.Cluster",
    checks: "`enabledClusterLogTypes` includes every type in `requiredLogTypes` (default api, audit, authenticator).",
    seed: "001 Security › Compliance: audit logging enabled",
    remediation: 'Set enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"].',
    configSchema: {
        properties: {
            requiredLogTypes: { type: "array", items: { type: "string", enum: ["api", "audit", "authenticator", "controllerManager", "scheduler"] }, default: ["api", "audit", "authenticator"] },
        },
    },
    validateResource: validateResourceOfType(aws.eks.Cluster, (c, args, report) => {
        const { requiredLogTypes } = args.getConfig<{ requiredLogTypes: string[] }>();
        const { items, unknown } = knownItems(() => c.enabledClusterLogTypes);
        const missing = requiredLogTypes.filter((type) => !items.includes(type));
        if (missing.length > 0 && !unknown) report(`EKS cluster "${args.name}" does not log ${missing.join(", ")}.`);
    }),
});

const eksSupportedVersion = resourcePolicy({
    name: "aws-eks-supported-version",
    description: "EKS clusters and node groups run a pinned, supported Kubernetes version.",
    severity: "medium",
    category: "security",
    resources: "aws.eks.Cluster, aws.eks.NodeGroup",
    checks: "The cluster's `version` is set and ≥ `minimumVersion` (default: the oldest version in standard support, stacks/facts/versions.ts); a node group's `version`, when set, too.",
    seed: "001 Infrastructure (eksctl --version); CIS: supported Kubernetes version",
    remediation: "Set version to a supported minor version (stack setting cluster.kubernetesVersion) and upgrade one minor version at a time.",
    configSchema: { properties: { minimumVersion: minimumVersionSchema } },
    validateResource: [
        validateResourceOfType(aws.eks.Cluster, (c, args, report) => {
            const { minimumVersion } = args.getConfig<{ minimumVersion: string }>();
            const version = read(() => c.version);
            if (version === undefined) report(`EKS cluster "${args.name}" does not pin its Kubernetes version.`);
            else if (isKnown(version) && !isAtLeast(version, minimumVersion)) report(`EKS cluster "${args.name}" runs Kubernetes ${version}, older than ${minimumVersion}.`);
        }),
        validateResourceOfType(aws.eks.NodeGroup, (ng, args, report) => {
            const { minimumVersion } = args.getConfig<{ minimumVersion: string }>();
            const version = read(() => ng.version);
            if (typeof version === "string" && !isAtLeast(version, minimumVersion)) report(`Node group "${args.name}" runs Kubernetes ${version}, older than ${minimumVersion}.`);
        }),
    ],
});

const eksIrsa = stackPolicy({
    name: "aws-eks-irsa",
    description: "Pods get AWS credentials through IAM roles for service accounts (an OIDC provider for the cluster exists).",
    severity: "high",
    category: "security",
    resources: "aws.eks.Cluster + aws.iam.OpenIdConnectProvider",
    checks: 'A stack with an EKS cluster declares an OpenIdConnectProvider with client ID "sts.amazonaws.com".',
    seed: "001 Security › Access Control: service accounts created; CIS EKS 5.1 workload identity",
    remediation:
        'Declare an aws.iam.OpenIdConnectProvider for the cluster\'s identity.oidc.issuer with clientIdLists ["sts.amazonaws.com"] and bind service accounts to roles with eks.amazonaws.com/role-arn.',
    validateStack: (args, report) => {
        const providers = ofTypes(args.resources, [t.oidcProvider]).filter((p) => {
            const { items, unknown } = knownItems(() => p.props.clientIdLists as string[]);
            return unknown || items.includes("sts.amazonaws.com");
        });
        for (const cluster of ofTypes(args.resources, [t.eksCluster])) {
            if (providers.length === 0) report(`${label(cluster)} has no IAM OIDC provider, so pods cannot use IAM roles for service accounts.`, cluster.urn);
        }
    },
});

const ecrReadOnly = ["AmazonEC2ContainerRegistryReadOnly", "AmazonEC2ContainerRegistryPullOnly"];
const ecrTooBroad = ["AmazonEC2ContainerRegistryFullAccess", "AmazonEC2ContainerRegistryPowerUser", "AdministratorAccess", "PowerUserAccess"];
const policyName = (arn: unknown) => (typeof arn === "string" ? arn.slice(arn.lastIndexOf("/") + 1) : undefined);

const eksNodeRoleEcrReadOnly = stackPolicy({
    name: "aws-eks-node-role-ecr-read-only",
    description: "EKS node roles may pull images from ECR but not push or delete them.",
    severity: "high",
    category: "security",
    resources: "aws.eks.NodeGroup + aws.iam.Role + aws.iam.RolePolicyAttachment",
    checks: "The role of each node group has AmazonEC2ContainerRegistryReadOnly (or PullOnly) attached and no ECR full-access, power-user or administrator policy.",
    seed: "001 Security › Access Control: RBAC configured; CIS EKS 5.1.2 minimize ECR access",
    remediation: "Attach arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly to the node role and remove AmazonEC2ContainerRegistryFullAccess / PowerUser.",
    validateStack: (args, report) => {
        const attachments = ofTypes(args.resources, [t.rolePolicyAttachment]);
        for (const ng of ofTypes(args.resources, [t.nodeGroup])) {
            const roles = ofTypes(args.resources, [t.role]).filter((r) => refersTo(ng, r, "nodeRoleArn", ["arn"]));
            for (const role of roles) {
                const attached = attachments.filter((a) => refersTo(a, role, "role", ["name", "id"])).map((a) => read(() => a.props.policyArn));
                const managed = knownItems(() => role.props.managedPolicyArns as string[]).items;
                const names = [...attached, ...managed];
                if (names.includes(UNKNOWN)) continue;
                const known = names.map(policyName);
                if (!known.some((n) => n !== undefined && ecrReadOnly.includes(n)))
                    report(`${label(ng)}'s node role ${label(role)} lacks AmazonEC2ContainerRegistryReadOnly, so nodes cannot pull from ECR with least privilege.`, ng.urn);
                const broad = known.filter((n): n is string => n !== undefined && ecrTooBroad.includes(n));
                if (broad.length > 0) report(`${label(ng)}'s node role ${label(role)} has ${broad.join(", ")}, which lets any pod on the node push or delete images.`, ng.urn);
            }
        }
    },
});

const eksNodeGroupMultiAz = resourcePolicy({
    name: "aws-eks-node-group-multi-az",
    description: "EKS node groups span at least two availability zones.",
    severity: "medium",
    category: "resilience",
    resources: "aws.eks.NodeGroup",
    checks: "`subnetIds` lists at least two subnets (when known).",
    seed: "001 High Availability › Multi-AZ deployment",
    remediation: "Give the node group one private subnet per availability zone (stack setting network.availabilityZones).",
    validateResource: validateResourceOfType(aws.eks.NodeGroup, (ng, args, report) => {
        const { items, unknown } = knownItems(() => ng.subnetIds);
        if (!unknown && items.length < 2) report(`Node group "${args.name}" uses ${items.length} subnet(s), so a zone outage takes all its nodes.`);
    }),
});

const nodeCountSchema = { properties: { minimumNodes: { type: "integer" as const, minimum: 1, default: 2, description: "Fewest nodes a node group may scale down to." } } };

const eksNodeAutoscaling = resourcePolicy({
    name: "aws-eks-node-autoscaling",
    description: "EKS node groups can scale out and never shrink below the minimum node count.",
    severity: "medium",
    category: "resilience",
    resources: "aws.eks.NodeGroup",
    checks: "`scalingConfig.minSize` ≥ `minimumNodes` (default 2) and `maxSize` > `minSize`.",
    seed: "001 Compute Resources › Auto-scaling configured (2-10 instances)",
    remediation: "Set scalingConfig { minSize ≥ 2, maxSize > minSize } (stack settings cluster.minNodes / maxNodes) and run the cluster autoscaler.",
    configSchema: nodeCountSchema,
    validateResource: validateResourceOfType(aws.eks.NodeGroup, (ng, args, report) => {
        const { minimumNodes } = args.getConfig<{ minimumNodes: number }>();
        const min = read(() => ng.scalingConfig?.minSize);
        const max = read(() => ng.scalingConfig?.maxSize);
        if (typeof min === "number" && min < minimumNodes) report(`Node group "${args.name}" may scale down to ${min} node(s); at least ${minimumNodes} are required.`);
        if (typeof min === "number" && typeof max === "number" && max <= min) report(`Node group "${args.name}" cannot scale out (maxSize ${max} ≤ minSize ${min}).`);
    }),
});

// ---------------------------------------------------------------- registry

const ecrImmutableTags = resourcePolicy({
    name: "aws-ecr-immutable-tags",
    description: "ECR repositories never let a tag be moved to another image.",
    severity: "high",
    category: "security",
    resources: "aws.ecr.Repository",
    checks: '`imageTagMutability: "IMMUTABLE"` (the default is MUTABLE).',
    seed: "000 CI/CD › immutable deployments; 001 Security scanning completed",
    remediation: 'Set imageTagMutability: "IMMUTABLE" and deploy by digest.',
    validateResource: validateResourceOfType(aws.ecr.Repository, (repo, args, report) => {
        const mutability = read(() => repo.imageTagMutability);
        if (isKnown(mutability) && mutability !== "IMMUTABLE") report(`ECR repository "${args.name}" has mutable tags (imageTagMutability is ${show(mutability)}).`);
    }),
});

const ecrScanOnPush = resourcePolicy({
    name: "aws-ecr-scan-on-push",
    description: "ECR scans every pushed image for vulnerabilities.",
    severity: "high",
    category: "security",
    resources: "aws.ecr.Repository",
    checks: "`imageScanningConfiguration.scanOnPush: true`.",
    seed: "001 Security › Compliance: security scanning completed",
    remediation: "Set imageScanningConfiguration: { scanOnPush: true }.",
    validateResource: validateResourceOfType(aws.ecr.Repository, (repo, args, report) => {
        const scan = read(() => repo.imageScanningConfiguration?.scanOnPush);
        if (isKnown(scan) && scan !== true) report(`ECR repository "${args.name}" does not scan images on push.`);
    }),
});

// ---------------------------------------------------------------- network

const securityGroupNoPublicIngress = resourcePolicy({
    name: "aws-security-group-no-public-ingress",
    description: "No security group admits traffic from the whole internet, except the load balancer's HTTP(S) ports.",
    severity: "critical",
    category: "security",
    resources: "aws.ec2.SecurityGroup, aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupIngressRule",
    checks: "Ingress from 0.0.0.0/0 or ::/0 only to TCP ports in `allowedPublicPorts` (default 80, 443).",
    seed: "001 Network › Firewall rules configured; 000 Security › network policies (default deny)",
    remediation: "Restrict the source to the VPC CIDR, a security group or a prefix list; only the load balancer's listeners may face 0.0.0.0/0.",
    configSchema: { properties: { allowedPublicPorts: publicPortsSchema } },
    validateResource: [
        validateResourceOfType(aws.ec2.SecurityGroup, (sg, args, report) => {
            const { allowedPublicPorts } = args.getConfig<{ allowedPublicPorts: number[] }>();
            for (const rule of knownItems(() => sg.ingress).items) {
                const world = [...knownItems(() => rule.cidrBlocks).items, ...knownItems(() => rule.ipv6CidrBlocks).items].filter(isWorldCidr);
                if (
                    world.length > 0 &&
                    !onlyAllowedPorts(
                        read(() => rule.protocol),
                        read(() => rule.fromPort),
                        read(() => rule.toPort),
                        allowedPublicPorts,
                    )
                ) {
                    report(`Security group "${args.name}" admits ${world.join(", ")} on ${show(read(() => rule.protocol))} ports ${show(read(() => rule.fromPort))}-${show(read(() => rule.toPort))}.`);
                }
            }
        }),
        validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, args, report) => {
            if (read(() => rule.type) !== "ingress") return;
            const { allowedPublicPorts } = args.getConfig<{ allowedPublicPorts: number[] }>();
            const world = [...knownItems(() => rule.cidrBlocks).items, ...knownItems(() => rule.ipv6CidrBlocks).items].filter(isWorldCidr);
            if (
                world.length > 0 &&
                !onlyAllowedPorts(
                    read(() => rule.protocol),
                    read(() => rule.fromPort),
                    read(() => rule.toPort),
                    allowedPublicPorts,
                )
            ) {
                report(`Security group rule "${args.name}" admits ${world.join(", ")} on ports ${show(read(() => rule.fromPort))}-${show(read(() => rule.toPort))}.`);
            }
        }),
        validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, args, report) => {
            const { allowedPublicPorts } = args.getConfig<{ allowedPublicPorts: number[] }>();
            const world = [read(() => rule.cidrIpv4), read(() => rule.cidrIpv6)].filter(isWorldCidr) as string[];
            if (
                world.length > 0 &&
                !onlyAllowedPorts(
                    read(() => rule.ipProtocol),
                    read(() => rule.fromPort),
                    read(() => rule.toPort),
                    allowedPublicPorts,
                )
            ) {
                report(
                    `Security group ingress rule "${args.name}" admits ${world.join(", ")} on ${show(read(() => rule.ipProtocol))} ports ${show(read(() => rule.fromPort))}-${show(read(() => rule.toPort))}.`,
                );
            }
        }),
    ],
});

const vpcFlowLogs = stackPolicy({
    name: "aws-vpc-flow-logs",
    description: "Every VPC records flow logs.",
    severity: "medium",
    category: "security",
    resources: "aws.ec2.Vpc + aws.ec2.FlowLog",
    checks: "Each VPC has a FlowLog whose `vpcId` refers to it.",
    seed: "001 Security › Compliance: audit logging enabled",
    remediation: 'Add an aws.ec2.FlowLog with vpcId set to the VPC, trafficType "ALL", to CloudWatch Logs with a retention (stack setting network.flowLogRetentionDays).',
    validateStack: (args, report) => {
        const flowLogs = ofTypes(args.resources, [t.flowLog]);
        for (const vpc of ofTypes(args.resources, [t.vpc])) {
            if (!flowLogs.some((f) => refersTo(f, vpc, "vpcId", ["id"]))) report(`${label(vpc)} has no flow log.`, vpc.urn);
        }
    },
});

const kmsKeyRotation = resourcePolicy({
    name: "aws-kms-key-rotation",
    description: "Customer-managed symmetric KMS keys rotate automatically.",
    severity: "medium",
    category: "security",
    resources: "aws.kms.Key",
    checks: "`enableKeyRotation: true` for symmetric keys.",
    seed: "001 Security › Secrets Management: secrets rotation policy implemented",
    remediation: "Set enableKeyRotation: true (rotationPeriodInDays defaults to 365).",
    validateResource: validateResourceOfType(aws.kms.Key, (key, args, report) => {
        const spec = read(() => key.customerMasterKeySpec);
        if (typeof spec === "string" && spec !== "SYMMETRIC_DEFAULT") return;
        const on = read(() => key.enableKeyRotation);
        if (isKnown(on) && on !== true) report(`KMS key "${args.name}" does not rotate (enableKeyRotation is ${show(on)}).`);
    }),
});

// ---------------------------------------------------------------- the program's own keys

/** Reports when a key input is absent: the data is then encrypted with an AWS-managed key the program does not rotate, audit or scope. */
function requireKey(report: ReportViolation, what: string, key: unknown, input: string): void {
    if (key === undefined || key === null || key === "") report(`${what} is encrypted with an AWS-managed key, not a customer-managed one (${input} is not set).`);
}

const customerManagedKeys = resourcePolicy({
    name: "aws-customer-managed-keys",
    description: "Data at rest is encrypted with the program's own KMS keys, not AWS-managed ones.",
    severity: "high",
    category: "security",
    resources:
        "aws.rds.Instance, aws.rds.InstanceAutomatedBackupsReplication, aws.elasticache.ReplicationGroup, aws.secretsmanager.Secret, aws.cloudwatch.LogGroup, aws.ec2.LaunchTemplate, aws.ebs.Volume, aws.ecr.Repository, aws.s3.BucketServerSideEncryptionConfiguration, StorageClass (ebs.csi.aws.com)",
    checks: "A KMS key is named wherever data is encrypted: `kmsKeyId` (RDS storage, replicated backups, ElastiCache at rest, Secrets Manager, log groups, EBS volumes and launch-template block devices), `performanceInsightsKmsKeyId`, ECR `encryptionConfigurations` of type KMS with `kmsKey`, S3 default encryption `aws:kms` with `kmsMasterKeyId`, EBS CSI StorageClass `parameters.kmsKeyId`.",
    seed: "001 Security › Secrets Management: all secrets encrypted at rest, rotation policy (customer-managed keys rotate; AWS-managed ones cannot be scoped)",
    remediation: "Pass the ARN of one of the foundation's KMS keys (components/aws/keys.ts, one per purpose) and grant the service that uses it in the key policy or the role's policy.",
    validateResource: [
        validateResourceOfType(aws.rds.Instance, (db, args, report) => {
            if (read(() => db.storageEncrypted) === true)
                requireKey(
                    report,
                    `RDS instance "${args.name}"`,
                    read(() => db.kmsKeyId),
                    "kmsKeyId",
                );
            if (read(() => db.performanceInsightsEnabled) === true)
                requireKey(
                    report,
                    `RDS instance "${args.name}"'s Performance Insights`,
                    read(() => db.performanceInsightsKmsKeyId),
                    "performanceInsightsKmsKeyId",
                );
        }),
        validateResourceOfType(aws.rds.InstanceAutomatedBackupsReplication, (r, args, report) =>
            requireKey(
                report,
                `Backup replication "${args.name}"`,
                read(() => r.kmsKeyId),
                "kmsKeyId",
            ),
        ),
        validateResourceOfType(aws.elasticache.ReplicationGroup, (rg, args, report) => {
            if (read(() => rg.atRestEncryptionEnabled) === true)
                requireKey(
                    report,
                    `Replication group "${args.name}"`,
                    read(() => rg.kmsKeyId),
                    "kmsKeyId",
                );
        }),
        validateResourceOfType(aws.secretsmanager.Secret, (secret, args, report) =>
            requireKey(
                report,
                `Secret "${args.name}"`,
                read(() => secret.kmsKeyId),
                "kmsKeyId",
            ),
        ),
        validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, report) =>
            requireKey(
                report,
                `Log group "${args.name}"`,
                read(() => group.kmsKeyId),
                "kmsKeyId",
            ),
        ),
        validateResourceOfType(aws.ebs.Volume, (v, args, report) =>
            requireKey(
                report,
                `EBS volume "${args.name}"`,
                read(() => v.kmsKeyId),
                "kmsKeyId",
            ),
        ),
        validateResourceOfType(aws.ec2.LaunchTemplate, (lt, args, report) => {
            for (const m of knownItems(() => lt.blockDeviceMappings).items) {
                const ebs = read(() => m.ebs);
                if (ebs === undefined || ebs === UNKNOWN || !isTrue(read(() => ebs.encrypted))) continue;
                requireKey(
                    report,
                    `Launch template "${args.name}"'s ${show(read(() => m.deviceName))}`,
                    read(() => ebs.kmsKeyId),
                    "ebs.kmsKeyId",
                );
            }
        }),
        validateResourceOfType(aws.ecr.Repository, (repo, args, report) => {
            const { items, unknown } = knownItems(() => repo.encryptionConfigurations);
            if (unknown) return;
            const type = items.length > 0 ? read(() => items[0].encryptionType) : undefined;
            if (type === UNKNOWN) return;
            if (type !== "KMS") return report(`ECR repository "${args.name}" is encrypted with an AWS-owned key (encryptionType is ${show(type ?? "AES256")}).`);
            requireKey(
                report,
                `ECR repository "${args.name}"`,
                read(() => items[0].kmsKey),
                "encryptionConfigurations[0].kmsKey",
            );
        }),
        validateResourceOfType(aws.s3.BucketServerSideEncryptionConfiguration, (sse, args, report) => {
            for (const rule of knownItems(() => sse.rules).items) {
                const algorithm = read(() => rule.applyServerSideEncryptionByDefault?.sseAlgorithm);
                if (algorithm === UNKNOWN) continue;
                if (algorithm === "AES256") report(`Encryption configuration "${args.name}" uses S3-managed keys (sseAlgorithm AES256).`);
                else if (typeof algorithm === "string" && algorithm.startsWith("aws:kms"))
                    requireKey(
                        report,
                        `Encryption configuration "${args.name}"`,
                        read(() => rule.applyServerSideEncryptionByDefault?.kmsMasterKeyId),
                        "kmsMasterKeyId",
                    );
            }
        }),
        (args, report) => {
            if (args.type !== t.storageClass || read(() => args.props.provisioner) !== ebsProvisioner) return;
            requireKey(
                report,
                `StorageClass "${args.name}"`,
                read(() => args.props.parameters?.kmsKeyId),
                "parameters.kmsKeyId",
            );
        },
    ],
});

// ---------------------------------------------------------------- S3: dumps immutable and in a second region

const objectLockSchema = {
    properties: {
        minimumRetentionDays: { type: "integer" as const, minimum: 1, default: 30, description: "Fewest days every new object stays locked." },
        allowedModes: {
            type: "array" as const,
            items: { type: "string" as const, enum: ["COMPLIANCE", "GOVERNANCE"] },
            minItems: 1,
            default: ["COMPLIANCE"],
            description: "Retention modes accepted; GOVERNANCE yields to s3:BypassGovernanceRetention.",
        },
    },
};

const s3ObjectLock = stackPolicy({
    name: "aws-s3-object-lock",
    description: "Objects in every S3 bucket (the database dumps) cannot be deleted or overwritten before their retention ends.",
    severity: "high",
    category: "durability",
    resources: "aws.s3.Bucket + aws.s3.BucketObjectLockConfiguration",
    checks: "Each bucket sets `objectLockEnabled: true` and has an Object Lock configuration whose `rule.defaultRetention` keeps objects ≥ `minimumRetentionDays` (default 30) in a mode of `allowedModes` (default COMPLIANCE).",
    seed: "000/001 Backup & Recovery › backups tested and protected; 000 Disaster Recovery plan (ransomware: no copy can be erased)",
    remediation:
        'Create the bucket with objectLockEnabled: true and add an aws.s3.BucketObjectLockConfiguration { rule: { defaultRetention: { mode: "COMPLIANCE", days } } } (stack setting backup.immutable, days from backup.retentionDays).',
    configSchema: objectLockSchema,
    validateStack: (args, report) => {
        const { minimumRetentionDays, allowedModes } = args.getConfig<{ minimumRetentionDays: number; allowedModes: string[] }>();
        for (const bucket of bucketsOf(args.resources)) {
            const enabled = read(() => bucket.props.objectLockEnabled);
            if (isKnown(enabled) && enabled !== true)
                report(`${label(bucket)} has no Object Lock (objectLockEnabled is ${show(enabled)}), so its objects can be deleted or overwritten at any time.`, bucket.urn);
            const configs = companions(args.resources, bucket, [t.objectLock]);
            if (configs.length === 0) {
                report(`${label(bucket)} has no Object Lock configuration, so new objects get no retention.`, bucket.urn);
                continue;
            }
            const retention = read(() => (configs[0].props.rule as { defaultRetention?: { mode?: string; days?: number; years?: number } } | undefined)?.defaultRetention);
            if (retention === UNKNOWN) continue;
            if (retention === undefined) {
                report(`${label(bucket)}'s Object Lock configuration sets no default retention.`, bucket.urn);
                continue;
            }
            const mode = read(() => retention.mode);
            const days = read(() => retention.days);
            const years = read(() => retention.years);
            if (isKnown(mode) && !(typeof mode === "string" && allowedModes.includes(mode)))
                report(`${label(bucket)} locks objects in ${show(mode)} mode; allowed: ${allowedModes.join(", ")}.`, bucket.urn);
            if (days === UNKNOWN || years === UNKNOWN) continue;
            const total = typeof days === "number" ? days : typeof years === "number" ? years * 365 : 0;
            if (total < minimumRetentionDays) report(`${label(bucket)} locks objects for ${total} days; at least ${minimumRetentionDays} are required.`, bucket.urn);
        }
    },
});

const s3Replication = stackPolicy({
    name: "aws-s3-replication",
    description: "Every S3 bucket is replicated to another region, or is such a replica.",
    severity: "high",
    category: "durability",
    resources: "aws.s3.Bucket + aws.s3.BucketReplicationConfig",
    checks: "Each bucket is the source or destination of a replication configuration with an Enabled rule between buckets of different regions (`region`); the rule replicates SSE-KMS objects (`sourceSelectionCriteria.sseKmsEncryptedObjects` Enabled), re-encrypts them with a key of the destination (`replicaKmsKeyId`), and does not replicate delete markers.",
    seed: "000 Disaster Recovery plan; 001 Backup & Recovery › cross-region backups (RPO/RTO)",
    remediation:
        "Add an aws.s3.BucketReplicationConfig from the bucket to a versioned bucket created with region set to the recovery region, with sourceSelectionCriteria.sseKmsEncryptedObjects Enabled, destination.encryptionConfiguration.replicaKmsKeyId and deleteMarkerReplication Disabled (stack setting backup.crossRegion).",
    validateStack: (args, report) => {
        const buckets = bucketsOf(args.resources);
        const configs = ofTypes(args.resources, [t.replication]);
        // Without property dependencies the source and destination cannot be told apart before deployment: a configuration covers every bucket it depends on.
        const covered = new Set<PolicyResource>();
        for (const config of configs) {
            const involved = buckets.filter((b) => config.dependencies.includes(b));
            involved.forEach((b) => covered.add(b));
            type Rule = pulumi.Unwrap<aws.types.input.s3.BucketReplicationConfigRule>;
            const { items, unknown } = knownItems(() => config.props.rules as Rule[]);
            if (unknown) continue;
            const enabled = items.filter((r) => read(() => r.status) !== "Disabled");
            if (enabled.length === 0) report(`${label(config)} has no enabled rule.`, config.urn);
            for (const rule of enabled) {
                const kms = read(() => rule.sourceSelectionCriteria?.sseKmsEncryptedObjects?.status);
                if (isKnown(kms) && kms !== "Enabled")
                    report(`${label(config)} skips SSE-KMS encrypted objects (sourceSelectionCriteria.sseKmsEncryptedObjects is ${show(kms)}), so KMS-encrypted dumps are never copied.`, config.urn);
                if (read(() => rule.destination?.encryptionConfiguration?.replicaKmsKeyId) === undefined)
                    report(`${label(config)} names no replicaKmsKeyId, so replicas are not encrypted with a key of the destination.`, config.urn);
                if (read(() => rule.deleteMarkerReplication?.status) === "Enabled") report(`${label(config)} replicates delete markers, so a delete in the source hides the copy too.`, config.urn);
            }
            const regions = new Set(
                involved
                    .map((b) => read(() => b.props.region))
                    .filter((r) => r !== UNKNOWN)
                    .map((r) => r ?? "(provider region)"),
            );
            if (involved.length >= 2 && regions.size < 2 && !involved.some((b) => read(() => b.props.region) === UNKNOWN))
                report(`${label(config)} copies between buckets of one region, which a regional outage takes together.`, config.urn);
        }
        for (const bucket of buckets) {
            if (!covered.has(bucket)) report(`${label(bucket)} is not replicated to another region, so a regional outage or loss takes every copy.`, bucket.urn);
        }
    },
});

// ---------------------------------------------------------------- EKS and logs durability

const eksDeletionProtection = resourcePolicy({
    name: "aws-eks-deletion-protection",
    description: "The EKS cluster cannot be deleted by accident.",
    severity: "high",
    category: "durability",
    resources: "aws.eks.Cluster",
    checks: "`deletionProtection: true`.",
    seed: "000 Disaster Recovery plan; 001 Backup & Recovery",
    remediation: "Set deletionProtection: true (stack setting cluster.deletionProtection).",
    validateResource: validateResourceOfType(aws.eks.Cluster, (c, args, report) => {
        const on = read(() => c.deletionProtection);
        if (isKnown(on) && on !== true) report(`EKS cluster "${args.name}" has deletion protection off (deletionProtection is ${show(on)}).`);
    }),
});

const logRetentionSchema = { properties: { minimumRetentionDays: { type: "integer" as const, minimum: 1, default: 30, description: "Fewest days logs are kept." } } };

const logGroupRetention = resourcePolicy({
    name: "aws-log-group-retention",
    description: "CloudWatch log groups (audit, flow and container logs) keep their logs long enough to investigate an incident.",
    severity: "medium",
    category: "security",
    resources: "aws.cloudwatch.LogGroup",
    checks: "`retentionInDays` is 0/unset (never expire) or ≥ `minimumRetentionDays` (default 30).",
    seed: "001 Security › Compliance: audit logging enabled; 000 Monitoring › log aggregation",
    remediation: "Set retentionInDays to at least minimumRetentionDays (stack settings observability.logRetentionDays, network.flowLogRetentionDays).",
    configSchema: logRetentionSchema,
    validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, report) => {
        const { minimumRetentionDays } = args.getConfig<{ minimumRetentionDays: number }>();
        const days = read(() => group.retentionInDays);
        if (typeof days === "number" && days > 0 && days < minimumRetentionDays) report(`Log group "${args.name}" keeps logs ${days} days; at least ${minimumRetentionDays} are required.`);
    }),
});

// ---------------------------------------------------------------- durability: protect

export const awsStatefulTypes: Readonly<Record<string, string>> = {
    "aws:rds/instance:Instance": "RDS instance",
    "aws:rds/cluster:Cluster": "RDS cluster",
    "aws:elasticache/replicationGroup:ReplicationGroup": "ElastiCache replication group",
    "aws:s3/bucket:Bucket": "S3 bucket",
    "aws:s3/bucketV2:BucketV2": "S3 bucket",
    "aws:kms/key:Key": "KMS key",
    "aws:efs/fileSystem:FileSystem": "EFS file system",
    "aws:ebs/volume:Volume": "EBS volume",
};

const awsProtectStateful = resourcePolicy({
    name: "aws-stateful-resources-protected",
    description: "Resources that hold data carry Pulumi's `protect` option.",
    severity: "high",
    category: "durability",
    resources: Object.keys(awsStatefulTypes)
        .map((k) => k.replace(/^aws:(\w+)\/\w+:(\w+)$/, "aws.$1.$2"))
        .filter((v, i, a) => a.indexOf(v) === i)
        .join(", "),
    checks: "`opts.protect` is true, and a bucket is not `forceDestroy` (which empties it on delete).",
    seed: "000 Disaster Recovery plan; 001 Backup & Recovery",
    remediation: "Create the resource with { protect: true } and buckets with forceDestroy: false (the environment decides: prod protects its data, staging tears down).",
    validateResource: requireProtect(awsStatefulTypes, t.buckets),
});

// ---------------------------------------------------------------- governance

const awsRequiredTags = resourcePolicy({
    name: "aws-required-tags",
    description: "Every taggable AWS resource carries the governance tags.",
    severity: "medium",
    category: "governance",
    resources: "every AWS resource whose Args have `tags` (generated list, policy/rules/generated/awsTaggable.ts)",
    checks: "`tags`, merged over the provider's `defaultTags`, have environment, project, owner or cost-center, and managed-by.",
    seed: "001 Operations › team access / cost tracking (governance tags)",
    remediation: "Pass standardTags(settings) from components/shared/naming.ts as tags, or set them once as the AWS provider's defaultTags.",
    configSchema: { properties: { requiredTags: tagRequirementsSchema(defaultTagRequirements) } },
    validateResource: (args, report) => {
        if (!awsTaggableTypes.has(args.type)) return;
        const { requiredTags } = args.getConfig<{ requiredTags: TagRequirement[] }>();
        const own = knownEntries(() => args.props.tags);
        const rawDefaults = args.provider ? read(() => args.provider!.props.defaultTags) : undefined;
        if (rawDefaults === UNKNOWN) return;
        const providerDefaults = parseMaybeJson(rawDefaults) as { tags?: Record<string, unknown> } | undefined;
        const defaults = providerDefaults && typeof providerDefaults === "object" ? knownEntries(() => providerDefaults.tags) : undefined;
        if (own.unknown || defaults?.unknown) return;
        const missing = unmetRequirements({ ...defaults?.entries, ...own.entries }, requiredTags, new Set([...own.unknownKeys, ...(defaults?.unknownKeys ?? [])]));
        if (missing.length > 0) report(`${args.type} "${args.name}" is missing tag(s) ${missing.join(", ")}.`);
    },
});

export const awsPolicies: PolicyDefinition[] = [
    rdsStorageEncrypted,
    rdsNotPublic,
    rdsForceSsl,
    rdsMultiAz,
    rdsBackupRetention,
    rdsPointInTimeRecovery,
    rdsDeletionProtection,
    rdsFinalSnapshot,
    elasticacheAtRest,
    elasticacheInTransit,
    elasticacheAuth,
    elasticacheHighAvailability,
    elasticacheBackups,
    s3PublicAccessBlock,
    s3Encryption,
    s3TlsOnly,
    s3Versioning,
    s3ObjectLock,
    s3Replication,
    ebsEncrypted,
    customerManagedKeys,
    imdsv2,
    eksSecretsEncryption,
    eksDeletionProtection,
    eksApiNotPublic,
    eksPrivateEndpoint,
    eksPrivateNodes,
    eksAuditLogs,
    eksSupportedVersion,
    eksIrsa,
    eksNodeRoleEcrReadOnly,
    eksNodeGroupMultiAz,
    eksNodeAutoscaling,
    ecrImmutableTags,
    ecrScanOnPush,
    securityGroupNoPublicIngress,
    vpcFlowLogs,
    logGroupRetention,
    kmsKeyRotation,
    awsProtectStateful,
    awsRequiredTags,
];
