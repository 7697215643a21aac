import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import { deniesInsecureTransport } from "../../policy/rules/storage";
import { awsBaseline, gcpBaseline, tags } from "./fixtures";
import { describeViolations, edit, evaluate, res, summary, unknownInput, unset, without, type ViolationCase } from "./helpers";

const awsCases: ViolationCase[] = [
    // S3
    { policy: "aws-s3-public-access-block", what: "no public access block", resources: () => without(awsBaseline(), "backups-pab") },
    {
        policy: "aws-s3-public-access-block",
        what: "restrictPublicBuckets false",
        resources: () => edit(awsBaseline(), aws.s3.BucketPublicAccessBlock, "backups-pab", { restrictPublicBuckets: false }),
    },
    { policy: "aws-s3-encryption", what: "no SSE configuration", resources: () => without(awsBaseline(), "backups-sse") },
    { policy: "aws-s3-tls-only", what: "no bucket policy", resources: () => without(awsBaseline(), "backups-tls-only") },
    {
        policy: "aws-s3-tls-only",
        what: "a bucket policy without the TLS deny",
        resources: () =>
            edit(awsBaseline(), aws.s3.BucketPolicy, "backups-tls-only", {
                policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject", Resource: "*" }] }),
            }),
    },
    {
        policy: "aws-s3-versioning",
        what: "versioning suspended",
        resources: () => edit(awsBaseline(), aws.s3.BucketVersioning, "backups-versioning", { versioningConfiguration: { status: "Suspended" } }),
    },
    { policy: "aws-s3-versioning", what: "no BucketVersioning", resources: () => without(awsBaseline(), "backups-versioning") },
    { policy: "aws-s3-object-lock", what: "a bucket without Object Lock", resources: () => edit(awsBaseline(), aws.s3.Bucket, "backups", { objectLockEnabled: false }) },
    { policy: "aws-s3-object-lock", what: "no Object Lock configuration", resources: () => without(awsBaseline(), "backups-lock") },
    {
        policy: "aws-s3-object-lock",
        what: "governance mode (yields to s3:BypassGovernanceRetention)",
        resources: () => edit(awsBaseline(), aws.s3.BucketObjectLockConfiguration, "backups-lock", { rule: { defaultRetention: { mode: "GOVERNANCE", days: 30 } } }),
    },
    {
        policy: "aws-s3-object-lock",
        what: "locked for 7 days in prod",
        resources: () => edit(awsBaseline(), aws.s3.BucketObjectLockConfiguration, "backups-replica-lock", { rule: { defaultRetention: { mode: "COMPLIANCE", days: 7 } } }),
    },
    { policy: "aws-s3-object-lock", what: "no default retention", resources: () => unset(awsBaseline(), aws.s3.BucketObjectLockConfiguration, "backups-lock", "rule") },
    { policy: "aws-s3-replication", what: "no replication", resources: () => without(awsBaseline(), "backups-replication") },
    { policy: "aws-s3-replication", what: "a replica in the same region", resources: () => unset(awsBaseline(), aws.s3.Bucket, "backups-replica", "region") },
    {
        policy: "aws-s3-replication",
        what: "SSE-KMS objects not selected, no replica key, delete markers replicated",
        resources: () =>
            edit(awsBaseline(), aws.s3.BucketReplicationConfig, "backups-replication", {
                rules: [
                    {
                        status: "Enabled",
                        deleteMarkerReplication: { status: "Enabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Disabled" } },
                        destination: { bucket: unknownInput },
                    },
                ],
            }),
    },
    {
        policy: "aws-s3-replication",
        what: "no enabled rule",
        resources: () => edit(awsBaseline(), aws.s3.BucketReplicationConfig, "backups-replication", { rules: [{ status: "Disabled", destination: { bucket: unknownInput } }] }),
    },
    {
        policy: "aws-ebs-encrypted",
        what: "an EBS CSI StorageClass without encryption",
        resources: () => [
            ...awsBaseline(),
            res(k8s.storage.v1.StorageClass, "gp3", {
                metadata: { name: "gp3", labels: tags },
                provisioner: "ebs.csi.aws.com",
                parameters: { type: "gp3", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/x" },
            }),
        ],
    },
    { policy: "aws-log-group-retention", what: "logs kept 3 days", resources: () => [...awsBaseline(), res(aws.cloudwatch.LogGroup, "logs", { retentionInDays: 3, kmsKeyId: unknownInput, tags })] },
    // EBS
    {
        policy: "aws-ebs-encrypted",
        what: "a launch template with an unencrypted volume",
        resources: () => edit(awsBaseline(), aws.ec2.LaunchTemplate, "nodes", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeSize: 100 } }] }),
    },
    { policy: "aws-ebs-encrypted", what: "a launch template that declares no block device", resources: () => unset(awsBaseline(), aws.ec2.LaunchTemplate, "nodes", "blockDeviceMappings") },
    {
        policy: "aws-ebs-encrypted",
        what: "an unencrypted EBS volume",
        resources: () => [...awsBaseline(), res(aws.ebs.Volume, "data", { availabilityZone: "us-east-1a", size: 10, tags }, { protect: true })],
        also: ["aws-customer-managed-keys"],
    },
    { policy: "aws-ebs-encrypted", what: "a node group without a launch template", resources: () => unset(awsBaseline(), aws.eks.NodeGroup, "nodes", "launchTemplate"), also: ["aws-imdsv2"] },
    // ECR
    { policy: "aws-ecr-immutable-tags", what: "mutable tags (default)", resources: () => unset(awsBaseline(), aws.ecr.Repository, "agent", "imageTagMutability") },
    { policy: "aws-ecr-scan-on-push", what: "no scan on push", resources: () => edit(awsBaseline(), aws.ecr.Repository, "agent", { imageScanningConfiguration: { scanOnPush: false } }) },
];

const gcpCases: ViolationCase[] = [
    // Cloud Storage, logs, Artifact Registry
    { policy: "gcp-storage-public-access-prevention", what: "inherited public access prevention", resources: () => unset(gcpBaseline(), gcp.storage.Bucket, "backups", "publicAccessPrevention") },
    { policy: "gcp-storage-public-access-prevention", what: "fine-grained ACLs", resources: () => edit(gcpBaseline(), gcp.storage.Bucket, "backups", { uniformBucketLevelAccess: false }) },
    {
        policy: "gcp-storage-versioning",
        what: "neither versioning nor a retention policy",
        resources: () => unset(gcpBaseline(), gcp.storage.Bucket, "backups", "versioning", "retentionPolicy"),
        also: ["gcp-storage-retention-policy"],
    },
    {
        policy: "gcp-storage-retention-policy",
        what: "no retention policy (versioned instead)",
        resources: () => edit(unset(gcpBaseline(), gcp.storage.Bucket, "backups", "retentionPolicy"), gcp.storage.Bucket, "backups", { versioning: { enabled: true } }),
    },
    {
        policy: "gcp-storage-retention-policy",
        what: "an unlocked retention policy",
        resources: () => edit(gcpBaseline(), gcp.storage.Bucket, "backups", { retentionPolicy: { retentionPeriod: String(30 * 86400), isLocked: false } }),
    },
    {
        policy: "gcp-storage-retention-policy",
        what: "one day of retention in prod",
        resources: () => edit(gcpBaseline(), gcp.storage.Bucket, "backups", { retentionPolicy: { retentionPeriod: "86400", isLocked: true } }),
    },
    { policy: "gcp-storage-multi-region", what: "a regional bucket", resources: () => edit(gcpBaseline(), gcp.storage.Bucket, "backups", { location: "US-CENTRAL1" }) },
    { policy: "gcp-storage-multi-region", what: "a lower-case region", resources: () => edit(gcpBaseline(), gcp.storage.Bucket, "backups", { location: "europe-west4" }) },
    {
        policy: "gcp-log-bucket-retention",
        what: "logs kept 7 days in prod",
        resources: () => [...gcpBaseline(), res(gcp.logging.ProjectBucketConfig, "logs", { project: "acme-agents", location: "us-central1", bucketId: "ai-platform", retentionDays: 7 })],
    },
    { policy: "gcp-artifact-registry-immutable-tags", what: "mutable tags", resources: () => unset(gcpBaseline(), gcp.artifactregistry.Repository, "agent", "dockerConfig") },
    {
        policy: "gcp-artifact-registry-immutable-tags",
        what: "scanning disabled",
        resources: () => edit(gcpBaseline(), gcp.artifactregistry.Repository, "agent", { vulnerabilityScanningConfig: { enablementConfig: "DISABLED" } }),
    },
];

describeViolations("AWS storage policies flag what they must", awsCases);

describeViolations("GCP storage policies flag what they must", gcpCases);

describe("AWS storage policies accept the compliant variants", () => {
    it("an account-wide public access block covers every bucket", async () => {
        const resources = [
            ...without(awsBaseline(), "backups-pab"),
            res(aws.s3.AccountPublicAccessBlock, "account", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
        ];
        expect(summary(await evaluate(resources))).toEqual([]);
    });

    it("the inline (deprecated) bucket encryption and versioning count", async () => {
        const resources = edit(without(awsBaseline(), "backups-sse", "backups-versioning"), aws.s3.Bucket, "backups", {
            serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } },
            versioning: { enabled: true },
        });
        expect(summary(await evaluate(resources))).toEqual([]);
    });
});

describe("deniesInsecureTransport", () => {
    const statement = (condition: unknown, principal: unknown = "*") => JSON.stringify({ Statement: [{ Effect: "Deny", Principal: principal, Action: "s3:*", Resource: "*", Condition: condition }] });
    it.each([
        [statement({ Bool: { "aws:SecureTransport": "false" } }), true],
        [statement({ Bool: { "aws:SecureTransport": false } }), true],
        [statement({ Bool: { "aws:SecureTransport": "false" } }, { AWS: "*" }), true],
        [statement({ Bool: { "aws:SecureTransport": "true" } }), false],
        [statement({ Bool: { "aws:SecureTransport": "false" } }, { AWS: "arn:aws:iam::1:root" }), false],
        [{ Statement: { Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } } }, true],
        ["not json", false],
    ])("%s → %s", (doc, expected) => {
        expect(deniesInsecureTransport(doc)).toBe(expected);
    });
});
