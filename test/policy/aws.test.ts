import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { deniesInsecureTransport } from "../../policy/rules/aws";
import { awsBaseline, tags } from "./fixtures";
import { describeViolations, edit, evaluate, names, provider, res, summary, unknownInput, unset, without, type ViolationCase } from "./helpers";

const base = awsBaseline;

const cases: ViolationCase[] = [
    // databases
    { policy: "aws-rds-storage-encrypted", what: "storageEncrypted false", resources: () => edit(base(), aws.rds.Instance, "db", { storageEncrypted: false }) },
    { policy: "aws-rds-storage-encrypted", what: "storageEncrypted not set (a plain input)", resources: () => unset(base(), aws.rds.Instance, "db", "storageEncrypted") },
    {
        policy: "aws-rds-storage-encrypted",
        what: "an Aurora cluster without encryption",
        resources: () => [
            ...base(),
            res(
                aws.rds.Cluster,
                "aurora",
                { engine: "aurora-postgresql", backupRetentionPeriod: 30, deletionProtection: true, finalSnapshotIdentifier: "final", dbClusterParameterGroupName: "custom", tags },
                { protect: true },
            ),
        ],
        also: ["aws-rds-force-ssl"],
    },
    { policy: "aws-rds-not-public", what: "publiclyAccessible true", resources: () => edit(base(), aws.rds.Instance, "db", { publiclyAccessible: true }) },
    {
        policy: "aws-rds-force-ssl",
        what: "the parameter group sets rds.force_ssl=0",
        resources: () => edit(base(), aws.rds.ParameterGroup, "pg", { parameters: [{ name: "rds.force_ssl", value: "0" }] }),
    },
    { policy: "aws-rds-force-ssl", what: "the parameter group does not set rds.force_ssl", resources: () => edit(base(), aws.rds.ParameterGroup, "pg", { parameters: [] }) },
    { policy: "aws-rds-force-ssl", what: "the database uses the default parameter group", resources: () => unset(without(base(), "pg"), aws.rds.Instance, "db", "parameterGroupName") },
    { policy: "aws-rds-multi-az", what: "multiAz false", resources: () => edit(base(), aws.rds.Instance, "db", { multiAz: false }) },
    { policy: "aws-rds-multi-az", what: "multiAz not set", resources: () => unset(base(), aws.rds.Instance, "db", "multiAz") },
    { policy: "aws-rds-backup-retention", what: "7 days in prod", resources: () => edit(base(), aws.rds.Instance, "db", { backupRetentionPeriod: 7 }) },
    { policy: "aws-rds-backup-retention", what: "retention not set", resources: () => unset(base(), aws.rds.Instance, "db", "backupRetentionPeriod") },
    {
        policy: "aws-rds-point-in-time-recovery",
        what: "automated backups disabled",
        resources: () => edit(base(), aws.rds.Instance, "db", { backupRetentionPeriod: 0 }),
        also: ["aws-rds-backup-retention"],
    },
    { policy: "aws-rds-deletion-protection", what: "deletionProtection false", resources: () => edit(base(), aws.rds.Instance, "db", { deletionProtection: false }) },
    { policy: "aws-rds-final-snapshot", what: "skipFinalSnapshot true", resources: () => edit(base(), aws.rds.Instance, "db", { skipFinalSnapshot: true }) },
    { policy: "aws-rds-final-snapshot", what: "no finalSnapshotIdentifier", resources: () => unset(base(), aws.rds.Instance, "db", "finalSnapshotIdentifier") },
    { policy: "aws-rds-final-snapshot", what: "automated backups deleted with the instance", resources: () => edit(base(), aws.rds.Instance, "db", { deleteAutomatedBackups: true }) },
    { policy: "aws-rds-final-snapshot", what: "deleteAutomatedBackups not set (RDS deletes them)", resources: () => unset(base(), aws.rds.Instance, "db", "deleteAutomatedBackups") },
    {
        policy: "aws-rds-backup-retention",
        what: "replicated backups kept 7 days (the default)",
        resources: () => [...base(), res(aws.rds.InstanceAutomatedBackupsReplication, "dr", { sourceDbInstanceArn: unknownInput, kmsKeyId: unknownInput })],
    },
    // cache
    {
        policy: "aws-elasticache-encryption-at-rest",
        what: "atRestEncryptionEnabled false",
        resources: () => edit(base(), aws.elasticache.ReplicationGroup, "cache", { atRestEncryptionEnabled: false }),
    },
    {
        policy: "aws-elasticache-encryption-at-rest",
        what: "a standalone cache cluster",
        resources: () => [...base(), res(aws.elasticache.Cluster, "single", { engine: "redis", nodeType: "cache.t4g.small", numCacheNodes: 1, tags })],
    },
    {
        policy: "aws-elasticache-encryption-in-transit",
        what: "transitEncryptionEnabled not set",
        resources: () => unset(base(), aws.elasticache.ReplicationGroup, "cache", "transitEncryptionEnabled"),
    },
    {
        policy: "aws-elasticache-encryption-in-transit",
        what: 'transitEncryptionMode "preferred"',
        resources: () => edit(base(), aws.elasticache.ReplicationGroup, "cache", { transitEncryptionMode: "preferred" }),
    },
    { policy: "aws-elasticache-auth", what: "no auth token or user group", resources: () => unset(base(), aws.elasticache.ReplicationGroup, "cache", "authToken") },
    { policy: "aws-elasticache-high-availability", what: "no automatic failover", resources: () => edit(base(), aws.elasticache.ReplicationGroup, "cache", { automaticFailoverEnabled: false }) },
    { policy: "aws-elasticache-high-availability", what: "a single node", resources: () => edit(base(), aws.elasticache.ReplicationGroup, "cache", { numCacheClusters: 1 }) },
    { policy: "aws-elasticache-backups", what: "no snapshots", resources: () => edit(base(), aws.elasticache.ReplicationGroup, "cache", { snapshotRetentionLimit: 0 }) },
    // S3
    { policy: "aws-s3-public-access-block", what: "no public access block", resources: () => without(base(), "backups-pab") },
    { policy: "aws-s3-public-access-block", what: "restrictPublicBuckets false", resources: () => edit(base(), aws.s3.BucketPublicAccessBlock, "backups-pab", { restrictPublicBuckets: false }) },
    { policy: "aws-s3-encryption", what: "no SSE configuration", resources: () => without(base(), "backups-sse") },
    { policy: "aws-s3-tls-only", what: "no bucket policy", resources: () => without(base(), "backups-tls-only") },
    {
        policy: "aws-s3-tls-only",
        what: "a bucket policy without the TLS deny",
        resources: () =>
            edit(base(), aws.s3.BucketPolicy, "backups-tls-only", {
                policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject", Resource: "*" }] }),
            }),
    },
    { policy: "aws-s3-versioning", what: "versioning suspended", resources: () => edit(base(), aws.s3.BucketVersioning, "backups-versioning", { versioningConfiguration: { status: "Suspended" } }) },
    { policy: "aws-s3-versioning", what: "no BucketVersioning", resources: () => without(base(), "backups-versioning") },
    { policy: "aws-s3-object-lock", what: "a bucket without Object Lock", resources: () => edit(base(), aws.s3.Bucket, "backups", { objectLockEnabled: false }) },
    { policy: "aws-s3-object-lock", what: "no Object Lock configuration", resources: () => without(base(), "backups-lock") },
    {
        policy: "aws-s3-object-lock",
        what: "governance mode (yields to s3:BypassGovernanceRetention)",
        resources: () => edit(base(), aws.s3.BucketObjectLockConfiguration, "backups-lock", { rule: { defaultRetention: { mode: "GOVERNANCE", days: 30 } } }),
    },
    {
        policy: "aws-s3-object-lock",
        what: "locked for 7 days in prod",
        resources: () => edit(base(), aws.s3.BucketObjectLockConfiguration, "backups-replica-lock", { rule: { defaultRetention: { mode: "COMPLIANCE", days: 7 } } }),
    },
    { policy: "aws-s3-object-lock", what: "no default retention", resources: () => unset(base(), aws.s3.BucketObjectLockConfiguration, "backups-lock", "rule") },
    { policy: "aws-s3-replication", what: "no replication", resources: () => without(base(), "backups-replication") },
    { policy: "aws-s3-replication", what: "a replica in the same region", resources: () => unset(base(), aws.s3.Bucket, "backups-replica", "region") },
    {
        policy: "aws-s3-replication",
        what: "SSE-KMS objects not selected, no replica key, delete markers replicated",
        resources: () =>
            edit(base(), aws.s3.BucketReplicationConfig, "backups-replication", {
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
        resources: () => edit(base(), aws.s3.BucketReplicationConfig, "backups-replication", { rules: [{ status: "Disabled", destination: { bucket: unknownInput } }] }),
    },
    { policy: "aws-stateful-resources-protected", what: "a force-destroyed bucket", resources: () => edit(base(), aws.s3.Bucket, "backups", { forceDestroy: true }) },
    // the program's own keys
    { policy: "aws-customer-managed-keys", what: "RDS storage under the AWS-managed key", resources: () => unset(base(), aws.rds.Instance, "db", "kmsKeyId") },
    { policy: "aws-customer-managed-keys", what: "Performance Insights under the AWS-managed key", resources: () => edit(base(), aws.rds.Instance, "db", { performanceInsightsEnabled: true }) },
    { policy: "aws-customer-managed-keys", what: "ElastiCache under the AWS-managed key", resources: () => unset(base(), aws.elasticache.ReplicationGroup, "cache", "kmsKeyId") },
    {
        policy: "aws-customer-managed-keys",
        what: "node volumes under aws/ebs",
        resources: () => edit(base(), aws.ec2.LaunchTemplate, "nodes", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 100 } }] }),
    },
    { policy: "aws-customer-managed-keys", what: "ECR with AES256", resources: () => unset(base(), aws.ecr.Repository, "agent", "encryptionConfigurations") },
    {
        policy: "aws-customer-managed-keys",
        what: "S3 with aws:kms but no key (aws/s3)",
        resources: () => edit(base(), aws.s3.BucketServerSideEncryptionConfiguration, "backups-sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }),
    },
    {
        policy: "aws-customer-managed-keys",
        what: "S3 with S3-managed keys",
        resources: () => edit(base(), aws.s3.BucketServerSideEncryptionConfiguration, "backups-replica-sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }),
    },
    { policy: "aws-customer-managed-keys", what: "a secret under the AWS-managed key", resources: () => [...base(), res(aws.secretsmanager.Secret, "db-password", { tags })] },
    { policy: "aws-customer-managed-keys", what: "a log group without a key", resources: () => [...base(), res(aws.cloudwatch.LogGroup, "logs", { retentionInDays: 30, tags })] },
    {
        policy: "aws-customer-managed-keys",
        what: "replicated RDS backups without a key",
        resources: () => [...base(), res(aws.rds.InstanceAutomatedBackupsReplication, "dr", { sourceDbInstanceArn: unknownInput, retentionPeriod: 30 } as never)],
    },
    {
        policy: "aws-customer-managed-keys",
        what: "an EBS CSI StorageClass without kmsKeyId",
        resources: () => [
            ...base(),
            res(k8s.storage.v1.StorageClass, "gp3", { metadata: { name: "gp3", labels: tags }, provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" } }),
        ],
    },
    {
        policy: "aws-ebs-encrypted",
        what: "an EBS CSI StorageClass without encryption",
        resources: () => [
            ...base(),
            res(k8s.storage.v1.StorageClass, "gp3", {
                metadata: { name: "gp3", labels: tags },
                provisioner: "ebs.csi.aws.com",
                parameters: { type: "gp3", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/x" },
            }),
        ],
    },
    { policy: "aws-eks-deletion-protection", what: "deletionProtection off", resources: () => edit(base(), aws.eks.Cluster, "eks", { deletionProtection: false }) },
    { policy: "aws-log-group-retention", what: "logs kept 3 days", resources: () => [...base(), res(aws.cloudwatch.LogGroup, "logs", { retentionInDays: 3, kmsKeyId: unknownInput, tags })] },
    // compute / EKS
    {
        policy: "aws-ebs-encrypted",
        what: "a launch template with an unencrypted volume",
        resources: () => edit(base(), aws.ec2.LaunchTemplate, "nodes", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeSize: 100 } }] }),
    },
    { policy: "aws-ebs-encrypted", what: "a launch template that declares no block device", resources: () => unset(base(), aws.ec2.LaunchTemplate, "nodes", "blockDeviceMappings") },
    {
        policy: "aws-ebs-encrypted",
        what: "an unencrypted EBS volume",
        resources: () => [...base(), res(aws.ebs.Volume, "data", { availabilityZone: "us-east-1a", size: 10, tags }, { protect: true })],
        also: ["aws-customer-managed-keys"],
    },
    { policy: "aws-ebs-encrypted", what: "a node group without a launch template", resources: () => unset(base(), aws.eks.NodeGroup, "nodes", "launchTemplate"), also: ["aws-imdsv2"] },
    { policy: "aws-imdsv2", what: "httpTokens optional", resources: () => edit(base(), aws.ec2.LaunchTemplate, "nodes", { metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } }) },
    { policy: "aws-imdsv2", what: "hop limit 2", resources: () => edit(base(), aws.ec2.LaunchTemplate, "nodes", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } }) },
    { policy: "aws-imdsv2", what: "no metadata options", resources: () => unset(base(), aws.ec2.LaunchTemplate, "nodes", "metadataOptions") },
    { policy: "aws-eks-secrets-encryption", what: "no encryptionConfig", resources: () => unset(base(), aws.eks.Cluster, "eks", "encryptionConfig") },
    {
        policy: "aws-eks-api-not-public",
        what: "public endpoint without CIDRs",
        resources: () => edit(base(), aws.eks.Cluster, "eks", { vpcConfig: { subnetIds: [], endpointPrivateAccess: true, endpointPublicAccess: true } }),
    },
    {
        policy: "aws-eks-api-not-public",
        what: "public endpoint open to 0.0.0.0/0",
        resources: () => edit(base(), aws.eks.Cluster, "eks", { vpcConfig: { subnetIds: [], endpointPrivateAccess: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] } }),
    },
    {
        policy: "aws-eks-api-not-public",
        what: "0.0.0.0/0 split into two halves",
        resources: () => edit(base(), aws.eks.Cluster, "eks", { vpcConfig: { subnetIds: [], endpointPrivateAccess: true, publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] } }),
    },
    {
        policy: "aws-eks-api-not-public",
        what: "a /7: more than a /8 of addresses",
        resources: () => edit(base(), aws.eks.Cluster, "eks", { vpcConfig: { subnetIds: [], endpointPrivateAccess: true, publicAccessCidrs: ["4.0.0.0/7"] } }),
    },
    {
        policy: "aws-eks-private-endpoint",
        what: "private endpoint off",
        resources: () => edit(base(), aws.eks.Cluster, "eks", { vpcConfig: { subnetIds: [], endpointPrivateAccess: false, endpointPublicAccess: false } }),
    },
    {
        policy: "aws-eks-private-nodes",
        what: "a node group in a public subnet",
        resources: () =>
            base().map((r) =>
                r.name === "nodes" && r.type === "aws:eks/nodeGroup:NodeGroup"
                    ? { ...r, options: { ...r.options, dependencies: [...r.options.dependencies, "urn:pulumi:test::ai-platform::aws:ec2/subnet:Subnet::public-a"] } }
                    : r,
            ),
    },
    { policy: "aws-eks-audit-logs", what: "no audit log", resources: () => edit(base(), aws.eks.Cluster, "eks", { enabledClusterLogTypes: ["api", "authenticator"] }) },
    { policy: "aws-eks-supported-version", what: "Kubernetes 1.28", resources: () => edit(base(), aws.eks.Cluster, "eks", { version: "1.28" }) },
    { policy: "aws-eks-supported-version", what: "version not pinned", resources: () => unset(base(), aws.eks.Cluster, "eks", "version") },
    { policy: "aws-eks-irsa", what: "no OIDC provider", resources: () => without(base(), "eks-oidc") },
    { policy: "aws-eks-node-role-ecr-read-only", what: "no ECR read-only policy", resources: () => without(base(), "node-AmazonEC2ContainerRegistryReadOnly") },
    {
        policy: "aws-eks-node-role-ecr-read-only",
        what: "ECR full access",
        resources: () => edit(base(), aws.iam.RolePolicyAttachment, "node-AmazonEC2ContainerRegistryReadOnly", { policyArn: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess" }),
    },
    { policy: "aws-eks-node-group-multi-az", what: "one subnet", resources: () => edit(base(), aws.eks.NodeGroup, "nodes", { subnetIds: ["subnet-1"] }) },
    { policy: "aws-eks-node-autoscaling", what: "minSize 1 in prod", resources: () => edit(base(), aws.eks.NodeGroup, "nodes", { scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 4 } }) },
    { policy: "aws-eks-node-autoscaling", what: "cannot scale out", resources: () => edit(base(), aws.eks.NodeGroup, "nodes", { scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 3 } }) },
    // registry
    { policy: "aws-ecr-immutable-tags", what: "mutable tags (default)", resources: () => unset(base(), aws.ecr.Repository, "agent", "imageTagMutability") },
    { policy: "aws-ecr-scan-on-push", what: "no scan on push", resources: () => edit(base(), aws.ecr.Repository, "agent", { imageScanningConfiguration: { scanOnPush: false } }) },
    // network
    {
        policy: "aws-security-group-no-public-ingress",
        what: "SSH from anywhere (inline)",
        resources: () => edit(base(), aws.ec2.SecurityGroup, "db", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] }),
    },
    {
        policy: "aws-security-group-no-public-ingress",
        what: "SSH from half the internet (0.0.0.0/1)",
        resources: () => edit(base(), aws.ec2.SecurityGroup, "db", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }] }),
    },
    {
        policy: "aws-security-group-no-public-ingress",
        what: "all traffic from ::/0 (inline)",
        resources: () => edit(base(), aws.ec2.SecurityGroup, "db", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }] }),
    },
    {
        policy: "aws-security-group-no-public-ingress",
        what: "Postgres from anywhere (vpc.SecurityGroupIngressRule)",
        resources: () => edit(base(), aws.vpc.SecurityGroupIngressRule, "db-from-vpc", { cidrIpv4: "0.0.0.0/0" }),
    },
    {
        policy: "aws-security-group-no-public-ingress",
        what: "a 0-65535 range (ec2.SecurityGroupRule)",
        resources: () => [
            ...base(),
            res(aws.ec2.SecurityGroupRule, "wide", { type: "ingress", securityGroupId: unknownInput, protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }),
        ],
    },
    { policy: "aws-vpc-flow-logs", what: "no flow log", resources: () => without(base(), "vpc-flow-log") },
    { policy: "aws-kms-key-rotation", what: "no key rotation", resources: () => edit(base(), aws.kms.Key, "key", { enableKeyRotation: false }) },
    // durability, governance
    { policy: "aws-stateful-resources-protected", what: "an unprotected database", resources: () => base().map((r) => (r.name === "db" ? { ...r, options: { ...r.options, protect: false } } : r)) },
    {
        policy: "aws-required-tags",
        what: "a bucket without owner/cost-center",
        resources: () => edit(base(), aws.s3.Bucket, "backups", { tags: { environment: "prod", project: "ai-platform", "managed-by": "pulumi" } }),
    },
    { policy: "aws-required-tags", what: "an untagged ECR repository", resources: () => unset(base(), aws.ecr.Repository, "agent", "tags") },
];

describeViolations("AWS policies flag what they must", cases);

describe("AWS policies accept the compliant variants", () => {
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

    it("a private-only EKS endpoint needs no CIDRs", async () => {
        const resources = edit(awsBaseline(), aws.eks.Cluster, "eks", { vpcConfig: { subnetIds: [], endpointPrivateAccess: true, endpointPublicAccess: false } });
        expect(summary(await evaluate(resources))).toEqual([]);
    });

    it("the provider's defaultTags count toward the required tags", async () => {
        const aws1 = provider("aws", "tagged", { region: "us-east-1", defaultTags: JSON.stringify({ tags }) });
        const encryptionConfigurations = [{ encryptionType: "KMS", kmsKey: unknownInput }];
        const repo = res(aws.ecr.Repository, "untagged", { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations }, { provider: aws1 });
        expect(summary(await evaluate([aws1, repo]))).toEqual([]);
        const bare = res(aws.ecr.Repository, "untagged", { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations });
        expect(summary(await evaluate([bare]))).toEqual(["aws-required-tags @ untagged"]);
    });

    it("non-taggable resources (a security group rule) are not asked for tags", async () => {
        const rule = res(aws.ec2.SecurityGroupRule, "internal", { type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] });
        expect(await evaluate([rule])).toEqual([]);
    });

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
