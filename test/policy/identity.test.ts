import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import { awsBaseline, gcpBaseline, nodeConfig, tags } from "./fixtures";
import { describeViolations, edit, res, unknownInput, unset, without, type ViolationCase } from "./helpers";

const awsCases: ViolationCase[] = [
    { policy: "aws-customer-managed-keys", what: "RDS storage under the AWS-managed key", resources: () => unset(awsBaseline(), aws.rds.Instance, "db", "kmsKeyId") },
    { policy: "aws-customer-managed-keys", what: "Performance Insights under the AWS-managed key", resources: () => edit(awsBaseline(), aws.rds.Instance, "db", { performanceInsightsEnabled: true }) },
    { policy: "aws-customer-managed-keys", what: "ElastiCache under the AWS-managed key", resources: () => unset(awsBaseline(), aws.elasticache.ReplicationGroup, "cache", "kmsKeyId") },
    {
        policy: "aws-customer-managed-keys",
        what: "node volumes under aws/ebs",
        resources: () => edit(awsBaseline(), aws.ec2.LaunchTemplate, "nodes", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 100 } }] }),
    },
    { policy: "aws-customer-managed-keys", what: "ECR with AES256", resources: () => unset(awsBaseline(), aws.ecr.Repository, "agent", "encryptionConfigurations") },
    {
        policy: "aws-customer-managed-keys",
        what: "S3 with aws:kms but no key (aws/s3)",
        resources: () => edit(awsBaseline(), aws.s3.BucketServerSideEncryptionConfiguration, "backups-sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }),
    },
    {
        policy: "aws-customer-managed-keys",
        what: "S3 with S3-managed keys",
        resources: () => edit(awsBaseline(), aws.s3.BucketServerSideEncryptionConfiguration, "backups-replica-sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }),
    },
    { policy: "aws-customer-managed-keys", what: "a secret under the AWS-managed key", resources: () => [...awsBaseline(), res(aws.secretsmanager.Secret, "db-password", { tags })] },
    { policy: "aws-customer-managed-keys", what: "a log group without a key", resources: () => [...awsBaseline(), res(aws.cloudwatch.LogGroup, "logs", { retentionInDays: 30, tags })] },
    {
        policy: "aws-customer-managed-keys",
        what: "replicated RDS backups without a key",
        resources: () => [...awsBaseline(), res(aws.rds.InstanceAutomatedBackupsReplication, "dr", { sourceDbInstanceArn: unknownInput, retentionPeriod: 30 } as never)],
    },
    {
        policy: "aws-customer-managed-keys",
        what: "an EBS CSI StorageClass without kmsKeyId",
        resources: () => [
            ...awsBaseline(),
            res(k8s.storage.v1.StorageClass, "gp3", { metadata: { name: "gp3", labels: tags }, provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" } }),
        ],
    },
    { policy: "aws-eks-irsa", what: "no OIDC provider", resources: () => without(awsBaseline(), "eks-oidc") },
    { policy: "aws-eks-node-role-ecr-read-only", what: "no ECR read-only policy", resources: () => without(awsBaseline(), "node-AmazonEC2ContainerRegistryReadOnly") },
    {
        policy: "aws-eks-node-role-ecr-read-only",
        what: "ECR full access",
        resources: () => edit(awsBaseline(), aws.iam.RolePolicyAttachment, "node-AmazonEC2ContainerRegistryReadOnly", { policyArn: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess" }),
    },
    { policy: "aws-kms-key-rotation", what: "no key rotation", resources: () => edit(awsBaseline(), aws.kms.Key, "key", { enableKeyRotation: false }) },
];

const gcpCases: ViolationCase[] = [
    { policy: "gcp-gke-workload-identity", what: "no workload pool", resources: () => unset(gcpBaseline(), gcp.container.Cluster, "gke", "workloadIdentityConfig") },
    {
        policy: "gcp-gke-workload-identity",
        what: "node metadata exposed",
        resources: () => edit(gcpBaseline(), gcp.container.NodePool, "nodes", { nodeConfig: nodeConfig({ workloadMetadataConfig: { mode: "GCE_METADATA" } }) }),
    },
    {
        policy: "gcp-gke-node-service-account",
        what: "the default compute service account",
        resources: () => edit(gcpBaseline(), gcp.container.NodePool, "nodes", { nodeConfig: nodeConfig({ serviceAccount: "123456789-compute@developer.gserviceaccount.com" }) }),
    },
    {
        policy: "gcp-gke-node-service-account",
        what: "a legacy broad scope",
        resources: () => edit(gcpBaseline(), gcp.container.NodePool, "nodes", { nodeConfig: nodeConfig({ oauthScopes: ["https://www.googleapis.com/auth/compute"] }) }),
    },
    { policy: "gcp-gke-node-service-account", what: "a default node pool kept with the default account", resources: () => unset(gcpBaseline(), gcp.container.Cluster, "gke", "removeDefaultNodePool") },
    { policy: "gcp-customer-managed-keys", what: "a bucket under a Google-managed key", resources: () => unset(gcpBaseline(), gcp.storage.Bucket, "backups", "encryption") },
    { policy: "gcp-customer-managed-keys", what: "a registry under a Google-managed key", resources: () => unset(gcpBaseline(), gcp.artifactregistry.Repository, "agent", "kmsKeyName") },
    {
        policy: "gcp-customer-managed-keys",
        what: "boot disks under a Google-managed key",
        resources: () => edit(gcpBaseline(), gcp.container.NodePool, "nodes", { nodeConfig: nodeConfig({ bootDiskKmsKey: undefined }) }),
    },
    {
        policy: "gcp-customer-managed-keys",
        what: "a default pool's node config without a key",
        resources: () => edit(gcpBaseline(), gcp.container.Cluster, "gke", { nodeConfig: { machineType: "e2-small" } }),
    },
    { policy: "gcp-kms-key-rotation", what: "no rotation", resources: () => unset(gcpBaseline(), gcp.kms.CryptoKey, "gke-secrets", "rotationPeriod") },
    { policy: "gcp-kms-key-rotation", what: "yearly rotation", resources: () => edit(gcpBaseline(), gcp.kms.CryptoKey, "gke-secrets", { rotationPeriod: "31536000s" }) },
];

describeViolations("AWS identity policies flag what they must", awsCases);

describeViolations("GCP identity policies flag what they must", gcpCases);
