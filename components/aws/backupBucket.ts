import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { standardTags } from "../shared/naming";
import { policyDocument, serviceTrustPolicy } from "./iam";

/** What a dumps bucket reads: `backup.retentionDays` and `backup.immutable`, and the tag parts. */
type BucketSettings = Pick<Settings, "backup" | "project" | "environment" | "owner" | "costCenter" | "stack">;

export interface BackupBucketArgs {
    /**
     * `backup` (how long dumps are kept, whether Object Lock makes them immutable), `region` (the replica
     * key's description and replication's KMS conditions), and the description and tag parts.
     * @default backup: staging 7 days, not immutable; prod 30 days, immutable (stacks/defaults.ts)
     */
    settings: BucketSettings & Pick<Settings, "region">;
    /** Encrypts the dumps in the stack's region. */
    keyArn: pulumi.Input<string>;
    /**
     * `protect` on the buckets and the replica's key (with a 30-day deletion window instead of 7), and no force-destroy.
     * @default staging false, prod true (`protectData`, stacks/defaults.ts)
     */
    protect: boolean;
    /**
     * Where dumps are replicated to; none keeps them in the stack's region only.
     * @default with `backup.crossRegion` (staging off, prod on): `backup.region`, else the region's pairing (stacks/facts/recoveryRegions.ts)
     */
    recoveryRegion?: string;
}

/**
 * Object Lock mode of the dumps when `backup.immutable` is on. COMPLIANCE, not GOVERNANCE: the threat is
 * stolen administrator credentials (ransomware), and governance retention yields to any principal with
 * `s3:BypassGovernanceRetention`, which such credentials have. Compliance yields to nobody, root included,
 * and its cost is bounded: a dump lives `backup.retentionDays` at most, which the lifecycle enforces anyway.
 */
export const objectLockMode = "COMPLIANCE";

/** The settings of one dumps bucket, shared by the primary and its replica. */
interface BucketSet {
    bucket: aws.s3.Bucket;
    versioning: aws.s3.BucketVersioning;
    objectLock?: aws.s3.BucketObjectLockConfiguration;
}

/**
 * The S3 bucket of logical database dumps: versioned, SSE-KMS with a bucket key, no public access of
 * any kind, bucket-owner-enforced ownership (no ACLs), TLS-only, and dumps expired after
 * `backup.retentionDays`. An overwritten or deleted dump stays recoverable as a noncurrent version for
 * the same number of days. With `backup.immutable`, Object Lock keeps every dump for its retention
 * (nobody can delete or overwrite it); with a recovery region, every dump is replicated to a bucket
 * there, configured the same way, under a key of that region.
 */
export class BackupBucket extends pulumi.ComponentResource {
    public readonly bucket: aws.s3.Bucket;
    public readonly bucketName: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    /** The copy in the recovery region, when there is one. */
    public readonly replica?: aws.s3.Bucket;
    public readonly replicaKey?: aws.kms.Key;

    constructor(name: string, args: BackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:aws:BackupBucket", name, {}, opts);
        const { settings } = args;

        const primary = this.dumpsBucket(name, settings, args.keyArn, args.protect);
        this.bucket = primary.bucket;
        this.bucketName = this.bucket.bucket;
        this.arn = this.bucket.arn;

        if (args.recoveryRegion) {
            const region = args.recoveryRegion;
            const tags = standardTags(settings, { purpose: "disaster-recovery" });
            this.replicaKey = new aws.kms.Key(
                `${name}-replica-key`,
                {
                    region,
                    description: `${settings.project} ${settings.environment}: replicated database dumps from ${settings.region}`,
                    enableKeyRotation: true,
                    deletionWindowInDays: args.protect ? 30 : 7,
                    tags,
                },
                { parent: this, protect: args.protect },
            );
            const replica = this.dumpsBucket(`${name}-replica`, settings, this.replicaKey.arn, args.protect, region);
            this.replica = replica.bucket;
            this.replicate(name, settings, primary, replica, args.keyArn, this.replicaKey.arn, region);
        }

        this.registerOutputs({ bucket: this.bucketName, arn: this.arn, replica: this.replica?.bucket });
    }

    /** One dumps bucket with every setting the primary and the replica share; `region` places it outside the provider's region. */
    private dumpsBucket(name: string, settings: BucketSettings, keyArn: pulumi.Input<string>, protect: boolean, region?: string): BucketSet {
        const days = settings.backup.retentionDays;
        const immutable = settings.backup.immutable;
        const inRegion = region ? { region } : {};
        const bucket = new aws.s3.Bucket(
            `${name}-backups`,
            { ...inRegion, forceDestroy: !protect, objectLockEnabled: immutable, tags: standardTags(settings, { purpose: "database-dumps" }) },
            { parent: this, protect },
        );
        const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, { ...inRegion, bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            { ...inRegion, bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            { parent: this },
        );
        const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { ...inRegion, bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, { parent: this });
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { ...inRegion, bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true }] },
            { parent: this },
        );
        new aws.s3.BucketPolicy(
            `${name}-tls-only`,
            {
                ...inRegion,
                bucket: bucket.id,
                policy: policyDocument([
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ]),
            },
            // S3 refuses concurrent changes to one bucket's policy, public access block and ownership
            // (OperationAborted); the inputs name only the bucket.
            { parent: this, dependsOn: [publicAccess, ownership] },
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-retention`,
            {
                ...inRegion,
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-dumps",
                        status: "Enabled",
                        filter: { prefix: "" },
                        // With `days` set, S3 also removes the delete markers this leaves behind. Under Object Lock a
                        // locked version outlives these rules until its retention ends; then they remove it.
                        expiration: { days },
                        noncurrentVersionExpiration: { noncurrentDays: days },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                    },
                ],
            },
            { parent: this, dependsOn: [versioning] },
        );
        const objectLock = immutable
            ? new aws.s3.BucketObjectLockConfiguration(
                  `${name}-object-lock`,
                  { ...inRegion, bucket: bucket.id, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: objectLockMode, days } } },
                  { parent: this, dependsOn: [versioning] },
              )
            : undefined;
        return { bucket, versioning, objectLock };
    }

    /**
     * Replication of every dump (and its Object Lock retention) to the replica, re-encrypted there with
     * the replica's key. Deletions are not replicated: a delete marker in the primary never hides the copy.
     */
    private replicate(
        name: string,
        settings: Pick<Settings, "region" | "project" | "environment" | "owner" | "costCenter" | "stack">,
        source: BucketSet,
        replica: BucketSet,
        sourceKeyArn: pulumi.Input<string>,
        replicaKeyArn: pulumi.Input<string>,
        region: string,
    ): void {
        const role = new aws.iam.Role(
            `${name}-replication`,
            { assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com"), description: `S3 replication of database dumps to ${region}`, tags: standardTags(settings) },
            { parent: this },
        );
        const permissions = new aws.iam.RolePolicy(
            `${name}-replication`,
            {
                role: role.name,
                policy: policyDocument([
                    { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: source.bucket.arn },
                    {
                        Sid: "ReadSourceVersions",
                        Effect: "Allow",
                        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging", "s3:GetObjectRetention", "s3:GetObjectLegalHold"],
                        Resource: pulumi.interpolate`${source.bucket.arn}/*`,
                    },
                    { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateTags"], Resource: pulumi.interpolate`${replica.bucket.arn}/*` },
                    {
                        Sid: "DecryptSource",
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: sourceKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `s3.${settings.region}.amazonaws.com` } },
                    },
                    {
                        Sid: "EncryptReplica",
                        Effect: "Allow",
                        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                        Resource: replicaKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
                    },
                ]),
            },
            { parent: this },
        );
        new aws.s3.BucketReplicationConfig(
            `${name}-replication`,
            {
                bucket: source.bucket.id,
                role: role.arn,
                rules: [
                    {
                        id: `dumps-to-${region}`,
                        status: "Enabled",
                        filter: { prefix: "" },
                        deleteMarkerReplication: { status: "Disabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                        destination: { bucket: replica.bucket.arn, storageClass: "STANDARD", encryptionConfiguration: { replicaKmsKeyId: replicaKeyArn } },
                    },
                ],
            },
            // S3 refuses a replication rule until both buckets are versioned, and an Object Lock source needs a locked destination.
            { parent: this, dependsOn: [permissions, source.versioning, replica.versioning, ...(replica.objectLock ? [replica.objectLock] : [])] },
        );
    }
}
