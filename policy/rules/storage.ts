import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType, type PolicyResource } from "@pulumi/policy";
import type * as pulumi from "@pulumi/pulumi";
import { ebsProvisioner, awsTypes as t } from "../lib/aws";
import { resourcePolicy, stackPolicy } from "../lib/define";
import { label, ofTypes, referrers } from "../lib/stack";
import { UNKNOWN, isKnown, isTrue, knownItems, parseMaybeJson, read, show } from "../lib/values";

/**
 * Storage: object buckets, volumes, image registries and logs, AWS and GCP side by side. S3's
 * settings live in companion resources, so its rules are stack policies; GCS keeps them on the
 * bucket. Input names of @pulumi/aws 7.48 and @pulumi/gcp 9.37; a value unknown during preview is
 * never a violation.
 */

// ---------------------------------------------------------------- AWS: S3 (stack policies: settings live in companion resources)

function bucketsOf(resources: PolicyResource[]): PolicyResource[] {
    return ofTypes(resources, t.buckets);
}

function companions(resources: PolicyResource[], bucket: PolicyResource, types: readonly string[]): PolicyResource[] {
    return referrers(resources, bucket, types, "bucket", ["bucket", "id"]);
}

export const s3PublicAccessBlock = stackPolicy({
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

export const s3Encryption = stackPolicy({
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

export const s3TlsOnly = stackPolicy({
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

export const s3Versioning = stackPolicy({
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

// ---------------------------------------------------------------- AWS: EBS volumes

export const ebsEncrypted = resourcePolicy({
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

// ---------------------------------------------------------------- AWS: ECR

export const ecrImmutableTags = resourcePolicy({
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

export const ecrScanOnPush = resourcePolicy({
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

// ---------------------------------------------------------------- AWS: S3 dumps immutable and in a second region

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

export const s3ObjectLock = stackPolicy({
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

export const s3Replication = stackPolicy({
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

const logRetentionSchema = { properties: { minimumRetentionDays: { type: "integer" as const, minimum: 1, default: 30, description: "Fewest days logs are kept." } } };

// ---------------------------------------------------------------- AWS: CloudWatch logs

export const logGroupRetention = resourcePolicy({
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

// ---------------------------------------------------------------- GCP: Cloud Storage, logs, Artifact Registry

export const storagePublicAccessPrevention = resourcePolicy({
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

export const storageVersioning = resourcePolicy({
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

export const storageRetentionPolicy = resourcePolicy({
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

export const storageMultiRegion = resourcePolicy({
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

export const logBucketRetention = resourcePolicy({
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

export const artifactRegistryImmutableTags = resourcePolicy({
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
