import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { standardTags } from "../shared/naming";
import { policyDocument } from "./iam";

export interface BackupBucketArgs {
    settings: Settings;
    keyArn: pulumi.Input<string>;
    /** `protect` on the bucket, and no force-destroy (prod). */
    protect: boolean;
}

/**
 * The S3 bucket of logical database dumps: versioned, SSE-KMS with a bucket key, no public access of
 * any kind, bucket-owner-enforced ownership (no ACLs), TLS-only, and dumps expired after
 * `backup.retentionDays`. An overwritten or deleted dump stays recoverable as a noncurrent version for
 * the same number of days.
 */
export class BackupBucket extends pulumi.ComponentResource {
    public readonly bucket: aws.s3.Bucket;
    public readonly bucketName: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: BackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:aws:BackupBucket", name, {}, opts);
        const { settings } = args;
        const days = settings.backup.retentionDays;

        this.bucket = new aws.s3.Bucket(`${name}-backups`, { forceDestroy: !args.protect, tags: standardTags(settings, { purpose: "database-dumps" }) }, { parent: this, protect: args.protect });
        this.bucketName = this.bucket.bucket;
        this.arn = this.bucket.arn;

        const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            { bucket: this.bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            { parent: this },
        );
        new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } }, { parent: this });
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { bucket: this.bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn }, bucketKeyEnabled: true }] },
            { parent: this },
        );
        new aws.s3.BucketPolicy(
            `${name}-tls-only`,
            {
                bucket: this.bucket.id,
                policy: policyDocument([
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`],
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
                bucket: this.bucket.id,
                rules: [
                    {
                        id: "expire-dumps",
                        status: "Enabled",
                        filter: { prefix: "" },
                        // With `days` set, S3 also removes the delete markers this leaves behind.
                        expiration: { days },
                        noncurrentVersionExpiration: { noncurrentDays: days },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                    },
                ],
            },
            { parent: this },
        );

        this.registerOutputs({ bucket: this.bucketName, arn: this.arn });
    }
}
