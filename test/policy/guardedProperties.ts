import { kubernetesNames } from "../../components/contract";
/**
 * The catalogue of security and durability properties the program sets on its own resources, and the
 * policy that guards each one. `guards.test.ts` finds every input whose name speaks of encryption and
 * keys, deletion protection, backups and retention, public access, TLS, pod security, token mounting,
 * network policy scope, disruption budgets or autoscaler floors (`securityVocabulary`) in the program's
 * real plans, and requires each to be listed here: guarded (a flip that must be reported by the named
 * policy) or unguarded (with the reason). A property the program starts to set without a guard fails
 * that test, and so does a guard whose flip no policy reports.
 *
 * Paths are input paths with `[]` for any list element; `opts.protect` is the resource option.
 */

/** Input names that carry a security or durability meaning. Matched against the last key of a path. */
export const securityVocabulary =
    /encrypt|kms|keyName|keyArn|deletionProtection|forceDestroy|forceDelete|finalSnapshot|backup|retention|snapshot|versioning|objectLock|isLocked|replication|public|tls|ssl|secureTransport|runAsNonRoot|runAsUser|readOnlyRootFilesystem|privileged|allowPrivilegeEscalation|capabilities|seccompProfile|hostNetwork|hostPID|hostIPC|automountServiceAccountToken|podSelector|policyTypes|minAvailable|maxUnavailable|minReplicas|minReplicaCount|minSize|minNodeCount|multiAz|failover|httpTokens|HopLimit|pointInTime|authToken|authEnabled|rotation|imageTagMutability|immutableTags|scanOnPush/i;

/** How a guard breaks the property: set it to a value, or remove it as if the program never set it. */
export type Flip = { set: unknown } | { remove: true };

export interface Guard {
    type: string;
    path: string;
    flip: Flip;
    policy: string;
    /** Which of the type's resources the policy's scope covers, where it covers only some (the first one flipped otherwise). */
    where?: (inputs: Record<string, unknown>) => boolean;
}

const inAppNamespace = (inputs: Record<string, unknown>) => (inputs.metadata as { namespace?: string } | undefined)?.namespace === kubernetesNames.appNamespace;

export interface Unguarded {
    type: string;
    /** A path, or a prefix ending in `.**`. */
    path: string;
    reason: string;
}

const remove = { remove: true } as const;
const set = (value: unknown): Flip => ({ set: value });

const aws = {
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    subnet: "aws:ec2/subnet:Subnet",
    ecr: "aws:ecr/repository:Repository",
    eks: "aws:eks/cluster:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    cache: "aws:elasticache/replicationGroup:ReplicationGroup",
    key: "aws:kms/key:Key",
    rds: "aws:rds/instance:Instance",
    rdsReplication: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    bucket: "aws:s3/bucket:Bucket",
    objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    secret: "aws:secretsmanager/secret:Secret",
};
const gcp = {
    registry: "gcp:artifactregistry/repository:Repository",
    cluster: "gcp:container/cluster:Cluster",
    nodePool: "gcp:container/nodePool:NodePool",
    key: "gcp:kms/cryptoKey:CryptoKey",
    keyRing: "gcp:kms/keyRing:KeyRing",
    logBucket: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
    redis: "gcp:redis/instance:Instance",
    secret: "gcp:secretmanager/secret:Secret",
    database: "gcp:sql/database:Database",
    sql: "gcp:sql/databaseInstance:DatabaseInstance",
    bucket: "gcp:storage/bucket:Bucket",
};
const k8s = {
    deployment: "kubernetes:apps/v1:Deployment",
    cronJob: "kubernetes:batch/v1:CronJob",
    job: "kubernetes:batch/v1:Job",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
    httpRoute: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
    envoyProxy: "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy",
    backend: "kubernetes:gateway.envoyproxy.io/v1alpha1:Backend",
    scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    release: "kubernetes:helm.sh/v3:Release",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
};

/** The restricted profile of one container list of a pod template, each property flipped on its own. */
function containerGuards(type: string, containers: string, ownUser: boolean): Guard[] {
    const sc = `${containers}[].securityContext`;
    return [
        { type, path: `${sc}.allowPrivilegeEscalation`, flip: set(true), policy: "k8s-no-privilege-escalation" },
        { type, path: `${sc}.privileged`, flip: set(true), policy: "k8s-no-privilege-escalation" },
        { type, path: `${sc}.capabilities`, flip: remove, policy: "k8s-drop-all-capabilities" },
        { type, path: `${sc}.readOnlyRootFilesystem`, flip: set(false), policy: "k8s-read-only-root-filesystem" },
        { type, path: `${sc}.runAsNonRoot`, flip: set(false), policy: "k8s-run-as-non-root" },
        ...(ownUser ? [{ type, path: `${sc}.runAsUser`, flip: set(0), policy: "k8s-run-as-non-root" }] : []),
        { type, path: `${sc}.seccompProfile`, flip: set({ type: "Unconfined" }), policy: "k8s-seccomp-runtime-default" },
    ];
}

/**
 * What every pod template of a kind guards: its containers' profile and the token mount. Where the
 * containers name no user of their own (`ownUser` false), the pod's user is theirs and is guarded there.
 */
function podGuards(type: string, pod: string, containerLists: string[], ownUser: boolean): Guard[] {
    return [
        ...containerLists.flatMap((list) => containerGuards(type, `${pod}.${list}`, ownUser)),
        { type, path: `${pod}.automountServiceAccountToken`, flip: set(true), policy: "k8s-no-automount-token" },
        ...(ownUser ? [] : [{ type, path: `${pod}.securityContext.runAsUser`, flip: set(0), policy: "k8s-run-as-non-root" }]),
    ];
}

export const guards: Guard[] = [
    // ---- The LLM gateway: the provider's key travels only over verified TLS
    { type: k8s.backend, path: "spec.tls", flip: remove, policy: "k8s-external-backend-tls" },
    // ---- AWS: keys and encryption
    { type: aws.logGroup, path: "kmsKeyId", flip: remove, policy: "aws-customer-managed-keys" },
    { type: aws.launchTemplate, path: "blockDeviceMappings[].ebs.encrypted", flip: set("false"), policy: "aws-ebs-encrypted" },
    { type: aws.launchTemplate, path: "blockDeviceMappings[].ebs.kmsKeyId", flip: remove, policy: "aws-customer-managed-keys" },
    { type: aws.ecr, path: "encryptionConfigurations[].encryptionType", flip: set("AES256"), policy: "aws-customer-managed-keys" },
    { type: aws.ecr, path: "encryptionConfigurations[].kmsKey", flip: remove, policy: "aws-customer-managed-keys" },
    { type: aws.eks, path: "encryptionConfig.provider.keyArn", flip: remove, policy: "aws-eks-secrets-encryption" },
    { type: aws.cache, path: "atRestEncryptionEnabled", flip: set(false), policy: "aws-elasticache-encryption-at-rest" },
    { type: aws.cache, path: "transitEncryptionEnabled", flip: set(false), policy: "aws-elasticache-encryption-in-transit" },
    { type: aws.cache, path: "kmsKeyId", flip: remove, policy: "aws-customer-managed-keys" },
    { type: aws.cache, path: "authToken", flip: remove, policy: "aws-elasticache-auth" },
    { type: aws.key, path: "enableKeyRotation", flip: set(false), policy: "aws-kms-key-rotation" },
    { type: aws.rds, path: "storageEncrypted", flip: set(false), policy: "aws-rds-storage-encrypted" },
    { type: aws.rds, path: "kmsKeyId", flip: remove, policy: "aws-customer-managed-keys" },
    { type: aws.rds, path: "performanceInsightsKmsKeyId", flip: remove, policy: "aws-customer-managed-keys" },
    { type: aws.rdsReplication, path: "kmsKeyId", flip: remove, policy: "aws-customer-managed-keys" },
    { type: aws.sse, path: "rules[].applyServerSideEncryptionByDefault.kmsMasterKeyId", flip: remove, policy: "aws-customer-managed-keys" },
    { type: aws.sse, path: "rules[].applyServerSideEncryptionByDefault.sseAlgorithm", flip: set("AES256"), policy: "aws-customer-managed-keys" },
    { type: aws.secret, path: "kmsKeyId", flip: remove, policy: "aws-customer-managed-keys" },
    { type: k8s.storageClass, path: "parameters.encrypted", flip: set("false"), policy: "aws-ebs-encrypted" },
    { type: k8s.storageClass, path: "parameters.kmsKeyId", flip: remove, policy: "aws-customer-managed-keys" },
    // ---- AWS: public access, TLS, instance metadata
    { type: aws.launchTemplate, path: "metadataOptions.httpTokens", flip: set("optional"), policy: "aws-imdsv2" },
    { type: aws.launchTemplate, path: "metadataOptions.httpPutResponseHopLimit", flip: set(2), policy: "aws-imdsv2" },
    { type: aws.eks, path: "vpcConfig.publicAccessCidrs", flip: set(["0.0.0.0/0"]), policy: "aws-eks-api-not-public" },
    { type: aws.rds, path: "publiclyAccessible", flip: set(true), policy: "aws-rds-not-public" },
    ...["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].map((path) => ({
        type: aws.publicAccessBlock,
        path,
        flip: set(false),
        policy: "aws-s3-public-access-block",
    })),
    { type: aws.ecr, path: "imageScanningConfiguration.scanOnPush", flip: set(false), policy: "aws-ecr-scan-on-push" },
    { type: aws.ecr, path: "imageTagMutability", flip: set("MUTABLE"), policy: "aws-ecr-immutable-tags" },
    // ---- AWS: durability
    { type: aws.eks, path: "deletionProtection", flip: set(false), policy: "aws-eks-deletion-protection" },
    { type: aws.nodeGroup, path: "scalingConfig.minSize", flip: set(1), policy: "aws-eks-node-autoscaling" },
    { type: aws.cache, path: "automaticFailoverEnabled", flip: set(false), policy: "aws-elasticache-high-availability" },
    { type: aws.cache, path: "multiAzEnabled", flip: set(false), policy: "aws-elasticache-high-availability" },
    { type: aws.cache, path: "snapshotRetentionLimit", flip: set(0), policy: "aws-elasticache-backups" },
    { type: aws.cache, path: "opts.protect", flip: set(false), policy: "aws-stateful-resources-protected" },
    { type: aws.key, path: "opts.protect", flip: set(false), policy: "aws-stateful-resources-protected" },
    { type: aws.rds, path: "opts.protect", flip: set(false), policy: "aws-stateful-resources-protected" },
    { type: aws.bucket, path: "opts.protect", flip: set(false), policy: "aws-stateful-resources-protected" },
    { type: aws.bucket, path: "forceDestroy", flip: set(true), policy: "aws-stateful-resources-protected" },
    { type: aws.rds, path: "backupRetentionPeriod", flip: set(1), policy: "aws-rds-backup-retention" },
    { type: aws.rds, path: "deleteAutomatedBackups", flip: set(true), policy: "aws-rds-final-snapshot" },
    { type: aws.rds, path: "deletionProtection", flip: set(false), policy: "aws-rds-deletion-protection" },
    { type: aws.rds, path: "finalSnapshotIdentifier", flip: remove, policy: "aws-rds-final-snapshot" },
    { type: aws.rds, path: "skipFinalSnapshot", flip: set(true), policy: "aws-rds-final-snapshot" },
    { type: aws.rds, path: "multiAz", flip: set(false), policy: "aws-rds-multi-az" },
    { type: aws.rdsReplication, path: "retentionPeriod", flip: set(1), policy: "aws-rds-backup-retention" },
    { type: aws.logGroup, path: "retentionInDays", flip: set(1), policy: "aws-log-group-retention" },
    { type: aws.bucket, path: "objectLockEnabled", flip: set(false), policy: "aws-s3-object-lock" },
    { type: aws.objectLock, path: "rule.defaultRetention", flip: remove, policy: "aws-s3-object-lock" },
    { type: aws.objectLock, path: "rule.defaultRetention.mode", flip: set("GOVERNANCE"), policy: "aws-s3-object-lock" },
    { type: aws.objectLock, path: "rule.defaultRetention.days", flip: set(1), policy: "aws-s3-object-lock" },
    { type: aws.versioning, path: "versioningConfiguration", flip: set({ status: "Suspended" }), policy: "aws-s3-versioning" },
    { type: aws.replication, path: "rules[].deleteMarkerReplication", flip: set({ status: "Enabled" }), policy: "aws-s3-replication" },
    { type: aws.replication, path: "rules[].destination.encryptionConfiguration.replicaKmsKeyId", flip: remove, policy: "aws-s3-replication" },
    { type: aws.replication, path: "rules[].sourceSelectionCriteria.sseKmsEncryptedObjects", flip: set({ status: "Disabled" }), policy: "aws-s3-replication" },
    { type: aws.replication, path: "rules[].status", flip: set("Disabled"), policy: "aws-s3-replication" },
    // The replica's region is what makes it a second region (not a security word, so listed by hand).
    { type: aws.bucket, path: "region", flip: remove, policy: "aws-s3-replication" },

    // ---- GCP: keys and encryption
    { type: gcp.registry, path: "kmsKeyName", flip: remove, policy: "gcp-customer-managed-keys" },
    { type: gcp.cluster, path: "databaseEncryption.keyName", flip: remove, policy: "gcp-gke-secrets-encryption" },
    { type: gcp.cluster, path: "nodeConfig.bootDiskKmsKey", flip: remove, policy: "gcp-customer-managed-keys" },
    { type: gcp.nodePool, path: "nodeConfig.bootDiskKmsKey", flip: remove, policy: "gcp-customer-managed-keys" },
    { type: gcp.bucket, path: "encryption.defaultKmsKeyName", flip: remove, policy: "gcp-customer-managed-keys" },
    { type: gcp.key, path: "rotationPeriod", flip: remove, policy: "gcp-kms-key-rotation" },
    { type: gcp.redis, path: "transitEncryptionMode", flip: set("DISABLED"), policy: "gcp-redis-encryption-in-transit" },
    { type: gcp.redis, path: "authEnabled", flip: set(false), policy: "gcp-redis-auth" },
    { type: gcp.sql, path: "settings.ipConfiguration.sslMode", flip: set("ALLOW_UNENCRYPTED_AND_ENCRYPTED"), policy: "gcp-sql-ssl-required" },
    // ---- GCP: public access
    { type: gcp.registry, path: "dockerConfig.immutableTags", flip: set(false), policy: "gcp-artifact-registry-immutable-tags" },
    { type: gcp.cluster, path: "masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled", flip: set(true), policy: "gcp-gke-api-not-public" },
    { type: gcp.bucket, path: "publicAccessPrevention", flip: set("inherited"), policy: "gcp-storage-public-access-prevention" },
    // ---- GCP: durability
    { type: gcp.cluster, path: "deletionProtection", flip: set(false), policy: "gcp-gke-deletion-protection" },
    { type: gcp.nodePool, path: "autoscaling.totalMinNodeCount", flip: set(1), policy: "gcp-gke-node-autoscaling" },
    { type: gcp.logBucket, path: "retentionDays", flip: set(1), policy: "gcp-log-bucket-retention" },
    { type: gcp.redis, path: "persistenceConfig.persistenceMode", flip: set("DISABLED"), policy: "gcp-redis-persistence" },
    { type: gcp.sql, path: "deletionProtection", flip: set(false), policy: "gcp-sql-deletion-protection" },
    { type: gcp.sql, path: "settings.deletionProtectionEnabled", flip: set(false), policy: "gcp-sql-deletion-protection" },
    { type: gcp.sql, path: "settings.retainBackupsOnDelete", flip: set(false), policy: "gcp-sql-deletion-protection" },
    { type: gcp.sql, path: "settings.backupConfiguration.backupRetentionSettings.retainedBackups", flip: set(1), policy: "gcp-sql-backups" },
    { type: gcp.sql, path: "settings.backupConfiguration.enabled", flip: set(false), policy: "gcp-sql-backups" },
    { type: gcp.sql, path: "settings.backupConfiguration.pointInTimeRecoveryEnabled", flip: set(false), policy: "gcp-sql-point-in-time-recovery" },
    { type: gcp.sql, path: "settings.backupConfiguration.transactionLogRetentionDays", flip: set(1), policy: "gcp-sql-point-in-time-recovery" },
    { type: gcp.bucket, path: "forceDestroy", flip: set(true), policy: "gcp-stateful-resources-protected" },
    { type: gcp.bucket, path: "retentionPolicy.retentionPeriod", flip: set("86400"), policy: "gcp-storage-retention-policy" },
    { type: gcp.bucket, path: "retentionPolicy.isLocked", flip: set(false), policy: "gcp-storage-retention-policy" },
    { type: gcp.bucket, path: "versioning", flip: set({ enabled: false }), policy: "gcp-storage-versioning" },
    // A region instead of a multi-region keeps one copy (not a security word, so listed by hand).
    { type: gcp.bucket, path: "location", flip: set("US-CENTRAL1"), policy: "gcp-storage-multi-region" },
    ...[gcp.sql, gcp.database, gcp.redis, gcp.bucket, gcp.key, gcp.keyRing].map((type) => ({ type, path: "opts.protect", flip: set(false), policy: "gcp-stateful-resources-protected" })),

    // ---- Kubernetes: pod security and token mounting, per pod-bearing kind
    ...podGuards(k8s.deployment, "spec.template.spec", ["containers"], true),
    ...podGuards(k8s.job, "spec.template.spec", ["containers"], true),
    ...podGuards(k8s.cronJob, "spec.jobTemplate.spec.template.spec", ["containers", "initContainers"], false),
    // ---- Kubernetes: TLS, network policy scope, disruption budgets, autoscaler floors
    // The public edge is a Gateway: its HTTPS listener's certificate, and (not security words, so listed
    // by hand) what each listener speaks, where the API's route attaches and its request timeout.
    { type: k8s.gateway, path: "spec.listeners[].tls", flip: remove, policy: "k8s-gateway-https-listeners" },
    { type: k8s.gateway, path: "spec.listeners[].protocol", flip: set("TCP"), policy: "k8s-gateway-https-listeners" },
    { type: k8s.httpRoute, path: "spec.parentRefs[].sectionName", flip: set("http"), policy: "k8s-gateway-routes-https" },
    { type: k8s.httpRoute, path: "spec.rules[].timeouts.request", flip: set("0s"), policy: "k8s-httproute-timeouts" },
    // The policy judges namespaces whose workloads the pack sees (the app's); KEDA's and the edge's run from Helm releases.
    { type: k8s.networkPolicy, path: "spec.podSelector", flip: set({ matchLabels: { "app.kubernetes.io/component": "api" } }), policy: "k8s-default-deny-network-policy", where: inAppNamespace },
    { type: k8s.networkPolicy, path: "spec.policyTypes", flip: set(["Ingress"]), policy: "k8s-default-deny-network-policy", where: inAppNamespace },
    { type: k8s.pdb, path: "spec.maxUnavailable", flip: set("100%"), policy: "k8s-pdb-and-hpa" },
    // KEDA creates the HPAs; the ScaledObject's floor is the one the cluster keeps.
    { type: k8s.scaledObject, path: "spec.minReplicaCount", flip: set(1), policy: "k8s-min-replicas" },
];

/** Properties the vocabulary finds that no policy guards, and why. */
export const unguarded: Unguarded[] = [
    {
        type: aws.subnet,
        path: "mapPublicIpOnLaunch",
        reason: "set (false) on the public subnets only, where no instance runs (NAT gateways and the NLB carry their own addresses); aws-eks-private-nodes refuses node groups in subnets that map public IPs.",
    },
    {
        type: k8s.serviceAccount,
        path: "automountServiceAccountToken",
        reason: "defence in depth: every pod of the program sets automountServiceAccountToken: false itself, which wins over the account (guarded per pod kind); the account's value covers only pods that do not say.",
    },
    {
        type: aws.eks,
        path: "vpcConfig.endpointPublicAccess",
        reason: "true exactly when cluster.publicAccessCidrs lists operator CIDRs; who may reach the endpoint is publicAccessCidrs, which is guarded.",
    },
    { type: aws.nodeGroup, path: "updateConfig.maxUnavailable", reason: "the pace of node rollouts, not a floor: the PodDisruptionBudgets (guarded) bound what a drain may take." },
    { type: gcp.nodePool, path: "upgradeSettings.maxUnavailable", reason: "the pace of node upgrades, not a floor: the PodDisruptionBudgets (guarded) bound what a drain may take." },
    {
        type: k8s.deployment,
        path: "spec.strategy.rollingUpdate.maxUnavailable",
        reason: "the pace of a rollout, bounded by readiness probes; voluntary disruptions are bounded by the PodDisruptionBudget (guarded).",
    },
    { type: aws.ecr, path: "forceDelete", reason: "the registry holds build outputs the program rebuilds from its build context (image.buildContext); losing them costs a rebuild, not data." },
    { type: aws.cache, path: "snapshotWindow", reason: "when snapshots are taken, not whether or for how long (snapshotRetentionLimit is guarded)." },
    { type: aws.rds, path: "backupWindow", reason: "when backups are taken, not whether or for how long (backupRetentionPeriod is guarded)." },
    { type: aws.rds, path: "copyTagsToSnapshot", reason: "governance tags on snapshots; the snapshots exist and are encrypted either way." },
    { type: aws.rds, path: "performanceInsightsRetentionPeriod", reason: "how long query statistics are kept: monitoring data, not the database's data." },
    {
        type: aws.objectLock,
        path: "objectLockEnabled",
        reason: "turns Object Lock on for a bucket that exists already; the bucket's own objectLockEnabled (guarded) is what aws-s3-object-lock requires.",
    },
    { type: gcp.redis, path: "persistenceConfig.rdbSnapshotPeriod", reason: "how often snapshots are taken, not whether (persistenceMode is guarded); the cache is refilled, never restored." },
    { type: gcp.secret, path: "replication", reason: "where Secret Manager keeps replicas of the secret: automatic is the most available choice, and every choice is encrypted." },
    { type: gcp.sql, path: "settings.backupConfiguration.backupRetentionSettings.retentionUnit", reason: "the unit of retainedBackups; COUNT is the only value Cloud SQL accepts." },
    {
        type: k8s.deployment,
        path: "spec.template.spec.securityContext.runAsNonRoot",
        reason: "redundant: every container sets runAsNonRoot itself, and the container's value wins (guarded per container).",
    },
    { type: k8s.deployment, path: "spec.template.spec.securityContext.runAsUser", reason: "redundant: every container sets runAsUser itself, and the container's value wins (guarded per container)." },
    {
        type: k8s.deployment,
        path: "spec.template.spec.securityContext.seccompProfile",
        reason: "redundant: every container sets seccompProfile itself, and the container's value wins (guarded per container).",
    },
    { type: k8s.job, path: "spec.template.spec.securityContext.runAsNonRoot", reason: "redundant: every container sets runAsNonRoot itself, and the container's value wins (guarded per container)." },
    { type: k8s.job, path: "spec.template.spec.securityContext.runAsUser", reason: "redundant: every container sets runAsUser itself, and the container's value wins (guarded per container)." },
    {
        type: k8s.job,
        path: "spec.template.spec.securityContext.seccompProfile",
        reason: "redundant: every container sets seccompProfile itself, and the container's value wins (guarded per container).",
    },
    {
        type: k8s.cronJob,
        path: "spec.jobTemplate.spec.template.spec.securityContext.runAsNonRoot",
        reason: "redundant: every container sets runAsNonRoot itself, and the container's value wins (guarded per container).",
    },
    {
        type: k8s.cronJob,
        path: "spec.jobTemplate.spec.template.spec.securityContext.seccompProfile",
        reason: "redundant: every container sets seccompProfile itself, and the container's value wins (guarded per container).",
    },
    { type: k8s.job, path: "spec.ttlSecondsAfterFinished", reason: "matched by name only (t-t-l-s): garbage collection of finished Jobs." },
    {
        type: k8s.networkPolicy,
        path: "spec.egress[].to[].podSelector",
        reason: "narrows DNS egress to kube-dns inside kube-system; the rule is already confined to that namespace and port 53 (k8s-network-policy-scope guards peers and ports).",
    },
    {
        type: k8s.networkPolicy,
        path: "spec.ingress[].from[].podSelector",
        reason: "narrows an ingress peer to named pods (the edge proxies, KEDA's metrics API server) inside a namespace the peer already names, on named ports (k8s-network-policy-scope guards peers and ports; the pod selectors are asserted in test/workloads/edge.test.ts and autoscaling.test.ts).",
    },
    {
        type: k8s.envoyProxy,
        path: "spec.provider.kubernetes.envoyPDB.minAvailable",
        reason: "the Envoy proxies' budget, which Envoy Gateway renders into a PodDisruptionBudget the pack never sees (like chart values); asserted per stack in test/workloads/edge.test.ts.",
    },
    {
        type: k8s.scaledObject,
        path: "spec.triggers[].metadata.enableTLS",
        reason: "how KEDA talks to the queue's Redis, which refuses plaintext itself (aws-elasticache-encryption-in-transit, gcp-redis-encryption-in-transit guard the server), so a wrong value fails to connect rather than downgrading.",
    },
    { type: k8s.release, path: "values.**", reason: "chart values: Helm renders them into objects a policy pack never sees; the releases themselves are pinned (k8s-helm-release-pinned)." },
];
