import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType, type ReportViolation } from "@pulumi/policy";
import { ebsProvisioner, awsTypes as t } from "../lib/aws";
import { resourcePolicy, stackPolicy } from "../lib/define";
import { isAutopilot } from "../lib/gcp";
import { label, ofTypes, refersTo } from "../lib/stack";
import { UNKNOWN, isKnown, isTrue, knownItems, read, show } from "../lib/values";

/**
 * Identity and keys: who workloads and nodes act as (IRSA, GKE Workload Identity, node roles and
 * service accounts) and the customer-managed keys that encrypt the data (used everywhere, rotated),
 * AWS and GCP side by side. Input names of @pulumi/aws 7.48 and @pulumi/gcp 9.37.
 */

// ---------------------------------------------------------------- AWS: IRSA and the node role

export const eksIrsa = stackPolicy({
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

export const eksNodeRoleEcrReadOnly = stackPolicy({
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

// ---------------------------------------------------------------- AWS: KMS keys

export const awsKmsKeyRotation = resourcePolicy({
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

/** Reports when a key input is absent: the data is then encrypted with an AWS-managed key the program does not rotate, audit or scope. */
function requireKey(report: ReportViolation, what: string, key: unknown, input: string): void {
    if (key === undefined || key === null || key === "") report(`${what} is encrypted with an AWS-managed key, not a customer-managed one (${input} is not set).`);
}

export const awsCustomerManagedKeys = resourcePolicy({
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

// ---------------------------------------------------------------- GCP: Workload Identity and node service accounts

export const gkeWorkloadIdentity = resourcePolicy({
    name: "gcp-gke-workload-identity",
    description: "Pods get Google credentials through Workload Identity, never from the node's service account.",
    severity: "high",
    category: "security",
    resources: "gcp.container.Cluster, gcp.container.NodePool",
    checks: '`workloadIdentityConfig.workloadPool` set on the cluster; node pools set `nodeConfig.workloadMetadataConfig.mode: "GKE_METADATA"`.',
    seed: "001 Security › Access Control: service accounts created; CIS GKE 6.2.2",
    remediation: 'Set workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` } and nodeConfig.workloadMetadataConfig: { mode: "GKE_METADATA" } on every node pool.',
    validateResource: [
        validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
            if (isAutopilot(c)) return;
            if (read(() => c.workloadIdentityConfig?.workloadPool) === undefined) report(`GKE cluster "${args.name}" has no Workload Identity pool.`);
        }),
        validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
            const mode = read(() => np.nodeConfig?.workloadMetadataConfig?.mode);
            if (isKnown(mode) && mode !== "GKE_METADATA") report(`Node pool "${args.name}" exposes the node's metadata server to pods (workloadMetadataConfig.mode is ${show(mode)}).`);
        }),
    ],
});

/** OAuth scopes a dedicated node service account may carry; access is then decided by IAM roles. */
const allowedNodeScopes = new Set(
    ["cloud-platform", "logging.write", "monitoring", "monitoring.write", "devstorage.read_only", "servicecontrol", "service.management.readonly", "trace.append", "userinfo.email"].map(
        (s) => `https://www.googleapis.com/auth/${s}`,
    ),
);
const isDefaultComputeAccount = (sa: unknown) => sa === "default" || (typeof sa === "string" && sa.endsWith("-compute@developer.gserviceaccount.com"));

function checkNodeIdentity(node: () => { serviceAccount?: string; oauthScopes?: string[] } | undefined, what: string, report: ReportViolation): void {
    const sa = read(() => node()?.serviceAccount);
    if (sa === undefined || isDefaultComputeAccount(sa)) report(`${what} runs as the Compute Engine default service account (serviceAccount is ${show(sa)}).`);
    const { items } = knownItems(() => node()?.oauthScopes);
    const broad = items.map((s) => (s.startsWith("https://") ? s : `https://www.googleapis.com/auth/${s}`)).filter((s) => !allowedNodeScopes.has(s));
    if (broad.length > 0) report(`${what} requests OAuth scopes beyond what nodes need: ${broad.join(", ")}.`);
}

export const gkeNodeServiceAccount = resourcePolicy({
    name: "gcp-gke-node-service-account",
    description: "GKE nodes run as a dedicated, least-privilege service account.",
    severity: "high",
    category: "security",
    resources: "gcp.container.NodePool, gcp.container.Cluster (default pool)",
    checks: "`nodeConfig.serviceAccount` is set and not the Compute Engine default account; `oauthScopes` stay within cloud-platform/logging/monitoring/devstorage.read_only; the cluster removes its default node pool or configures it the same way.",
    seed: "001 Security › Access Control: service accounts created; CIS GKE 6.2.1",
    remediation:
        'Create a gcp.serviceaccount.Account with roles/container.defaultNodeServiceAccount, set nodeConfig.serviceAccount to its email with oauthScopes ["https://www.googleapis.com/auth/cloud-platform"], and set removeDefaultNodePool: true on the cluster.',
    validateResource: [
        validateResourceOfType(gcp.container.NodePool, (np, args, report) => checkNodeIdentity(() => np.nodeConfig, `Node pool "${args.name}"`, report)),
        validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
            const removed = read(() => c.removeDefaultNodePool);
            if (isAutopilot(c) || removed === true || removed === UNKNOWN) return;
            checkNodeIdentity(() => c.nodeConfig, `GKE cluster "${args.name}"'s default node pool`, report);
        }),
    ],
});

// ---------------------------------------------------------------- GCP: Cloud KMS keys

export const gcpCustomerManagedKeys = resourcePolicy({
    name: "gcp-customer-managed-keys",
    description: "Data at rest is encrypted with the program's own Cloud KMS keys, not Google-managed ones.",
    severity: "high",
    category: "security",
    resources: "gcp.storage.Bucket, gcp.artifactregistry.Repository, gcp.container.NodePool, gcp.container.Cluster (node config)",
    checks: "`encryption.defaultKmsKeyName` (buckets), `kmsKeyName` (Artifact Registry), `nodeConfig.bootDiskKmsKey` (node pools, and the cluster's node config when it declares one) are set.",
    seed: "001 Security › Secrets Management: all secrets encrypted at rest, rotation policy (customer-managed keys rotate and can be scoped)",
    remediation:
        "Pass one of the foundation's Cloud KMS keys (components/gcp/keys.ts, in the resource's location) and grant the service agent that uses it roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
    validateResource: [
        validateResourceOfType(gcp.storage.Bucket, (b, args, report) => {
            if (read(() => b.encryption?.defaultKmsKeyName) === undefined) report(`Bucket "${args.name}" is encrypted with a Google-managed key (encryption.defaultKmsKeyName is not set).`);
        }),
        validateResourceOfType(gcp.artifactregistry.Repository, (repo, args, report) => {
            if (read(() => repo.kmsKeyName) === undefined) report(`Artifact Registry repository "${args.name}" is encrypted with a Google-managed key (kmsKeyName is not set).`);
        }),
        validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
            if (read(() => np.nodeConfig?.bootDiskKmsKey) === undefined)
                report(`Node pool "${args.name}"'s boot disks are encrypted with a Google-managed key (nodeConfig.bootDiskKmsKey is not set).`);
        }),
        validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
            const config = read(() => c.nodeConfig);
            if (config === undefined || config === UNKNOWN || isAutopilot(c)) return;
            if (read(() => config.bootDiskKmsKey) === undefined)
                report(`GKE cluster "${args.name}"'s default node pool boot disks are encrypted with a Google-managed key (nodeConfig.bootDiskKmsKey is not set).`);
        }),
    ],
});

export const gcpKmsKeyRotation = resourcePolicy({
    name: "gcp-kms-key-rotation",
    description: "Cloud KMS encryption keys rotate at least every 90 days.",
    severity: "medium",
    category: "security",
    resources: "gcp.kms.CryptoKey",
    checks: "`rotationPeriod` is set and at most `maximumRotationDays` (default 90) for ENCRYPT_DECRYPT keys.",
    seed: "001 Security › Secrets Management: secrets rotation policy implemented",
    remediation: 'Set rotationPeriod: "7776000s" (90 days).',
    configSchema: { properties: { maximumRotationDays: { type: "integer", minimum: 1, default: 90 } } },
    validateResource: validateResourceOfType(gcp.kms.CryptoKey, (key, args, report) => {
        const { maximumRotationDays } = args.getConfig<{ maximumRotationDays: number }>();
        const purpose = read(() => key.purpose);
        if (typeof purpose === "string" && purpose !== "ENCRYPT_DECRYPT") return;
        const period = read(() => key.rotationPeriod);
        if (period === UNKNOWN) return;
        const seconds = typeof period === "string" ? Number(period.replace(/s$/, "")) : NaN;
        if (!(seconds > 0 && seconds <= maximumRotationDays * 86400))
            report(`KMS key "${args.name}" rotates ${period === undefined ? "never" : `every ${period}`}; at most every ${maximumRotationDays} days is required.`);
    }),
});
