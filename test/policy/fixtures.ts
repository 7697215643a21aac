import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import type { EvaluatedResource } from "../../policy/evaluate";
import { provider, res, unknownInput, type ResOptions } from "./helpers";

/**
 * Compliant stacks built from the SDKs' Args types: every policy of the pack passes on each of them,
 * and each test breaks exactly one setting. Unknown-at-preview values (ARNs, IDs) are recorded as the
 * harness records them, so the baselines also prove those never count as violations.
 */

export const tags = { environment: "prod", project: "ai-platform", owner: "platform-team", "cost-center": "ai-platform", "managed-by": "pulumi" };
export const labels = tags;

export function awsBaseline(): EvaluatedResource[] {
    const key = res(aws.kms.Key, "key", { description: "platform", enableKeyRotation: true, deletionWindowInDays: 30, tags }, { protect: true });
    const vpc = res(aws.ec2.Vpc, "vpc", { cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, tags });
    const subnetA = res(aws.ec2.Subnet, "private-a", { vpcId: unknownInput, cidrBlock: "10.0.0.0/19", availabilityZone: "us-east-1a", tags }, { dependsOn: [vpc] });
    const subnetB = res(aws.ec2.Subnet, "private-b", { vpcId: unknownInput, cidrBlock: "10.0.32.0/19", availabilityZone: "us-east-1b", tags }, { dependsOn: [vpc] });
    const publicSubnet = res(aws.ec2.Subnet, "public-a", { vpcId: unknownInput, cidrBlock: "10.0.128.0/20", mapPublicIpOnLaunch: true, tags }, { dependsOn: [vpc] });
    const flowLog = res(aws.ec2.FlowLog, "vpc-flow-log", { vpcId: unknownInput, trafficType: "ALL", logDestination: unknownInput, iamRoleArn: unknownInput, tags }, { dependsOn: [vpc] });
    const lbSg = res(
        aws.ec2.SecurityGroup,
        "lb",
        {
            vpcId: unknownInput,
            description: "load balancer",
            ingress: [
                { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
                { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
            ],
            tags,
        },
        { dependsOn: [vpc] },
    );
    const dbSg = res(aws.ec2.SecurityGroup, "db", { vpcId: unknownInput, description: "database", tags }, { dependsOn: [vpc] });
    const dbIngress = res(
        aws.vpc.SecurityGroupIngressRule,
        "db-from-vpc",
        { securityGroupId: unknownInput, ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "10.0.0.0/16", tags },
        { dependsOn: [dbSg] },
    );
    const clusterRole = res(aws.iam.Role, "cluster-role", { assumeRolePolicy: "{}", tags });
    const cluster = res(
        aws.eks.Cluster,
        "eks",
        {
            roleArn: unknownInput,
            version: "1.35",
            vpcConfig: { subnetIds: unknownInput, endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
            encryptionConfig: { provider: { keyArn: unknownInput }, resources: ["secrets"] },
            enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
            deletionProtection: true,
            tags,
        },
        { dependsOn: [clusterRole, key, subnetA, subnetB] },
    );
    const oidc = res(aws.iam.OpenIdConnectProvider, "eks-oidc", { url: unknownInput, clientIdLists: ["sts.amazonaws.com"], tags }, { dependsOn: [cluster] });
    const nodeRole = res(aws.iam.Role, "node-role", { assumeRolePolicy: "{}", tags });
    const attachments = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"].map((p) =>
        res(aws.iam.RolePolicyAttachment, `node-${p}`, { role: unknownInput, policyArn: `arn:aws:iam::aws:policy/${p}` }, { dependsOn: [nodeRole] }),
    );
    const launchTemplate = res(aws.ec2.LaunchTemplate, "nodes", {
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 100, volumeType: "gp3", kmsKeyId: unknownInput } }],
        tags,
    });
    const nodeGroup = res(
        aws.eks.NodeGroup,
        "nodes",
        {
            clusterName: unknownInput,
            nodeRoleArn: unknownInput,
            subnetIds: [unknownInput, unknownInput],
            scalingConfig: { minSize: 2, desiredSize: 3, maxSize: 10 },
            launchTemplate: { id: unknownInput, version: unknownInput },
            tags,
        },
        { dependsOn: [cluster, nodeRole, launchTemplate, subnetA, subnetB, ...attachments] },
    );
    const paramGroup = res(aws.rds.ParameterGroup, "pg", {
        family: "postgres16",
        parameters: [
            { name: "rds.force_ssl", value: "1" },
            { name: "log_min_duration_statement", value: "500" },
        ],
        tags,
    });
    const db = res(
        aws.rds.Instance,
        "db",
        {
            engine: "postgres",
            engineVersion: "16",
            instanceClass: "db.t3.large",
            allocatedStorage: 100,
            storageEncrypted: true,
            kmsKeyId: unknownInput,
            multiAz: true,
            backupRetentionPeriod: 30,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "ai-platform-prod-final",
            deleteAutomatedBackups: false,
            publiclyAccessible: false,
            parameterGroupName: unknownInput,
            password: unknownInput,
            tags,
        },
        { protect: true, dependsOn: [paramGroup, key, dbSg] },
    );
    const cache = res(
        aws.elasticache.ReplicationGroup,
        "cache",
        {
            description: "redis",
            engine: "redis",
            nodeType: "cache.r6g.large",
            numCacheClusters: 3,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            atRestEncryptionEnabled: true,
            transitEncryptionEnabled: true,
            authToken: unknownInput,
            snapshotRetentionLimit: 7,
            kmsKeyId: unknownInput,
            tags,
        },
        { protect: true, dependsOn: [key] },
    );
    /** A dumps bucket with every setting the pack asks of one; `region` places the replica. */
    const dumpsBucket = (name: string, region?: string) => {
        const bucket = res(aws.s3.Bucket, name, { bucket: `ai-platform-prod-${name}`, forceDestroy: false, objectLockEnabled: true, ...(region ? { region } : {}), tags }, { protect: true });
        const pab = res(
            aws.s3.BucketPublicAccessBlock,
            `${name}-pab`,
            { bucket: unknownInput, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            { dependsOn: [bucket] },
        );
        const sse = res(
            aws.s3.BucketServerSideEncryptionConfiguration,
            `${name}-sse`,
            { bucket: unknownInput, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: unknownInput }, bucketKeyEnabled: true }] },
            { dependsOn: [bucket, key] },
        );
        const versioning = res(aws.s3.BucketVersioning, `${name}-versioning`, { bucket: unknownInput, versioningConfiguration: { status: "Enabled" } }, { dependsOn: [bucket] });
        const lock = res(
            aws.s3.BucketObjectLockConfiguration,
            `${name}-lock`,
            { bucket: unknownInput, rule: { defaultRetention: { mode: "COMPLIANCE", days: 30 } } },
            { dependsOn: [bucket, versioning] },
        );
        const tlsPolicy = res(
            aws.s3.BucketPolicy,
            `${name}-tls-only`,
            {
                bucket: unknownInput,
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [`arn:aws:s3:::ai-platform-prod-${name}`, `arn:aws:s3:::ai-platform-prod-${name}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            },
            { dependsOn: [bucket] },
        );
        return { bucket, all: [bucket, pab, sse, versioning, lock, tlsPolicy] };
    };
    const primary = dumpsBucket("backups");
    const replica = dumpsBucket("backups-replica", "us-west-2");
    const replication = res(
        aws.s3.BucketReplicationConfig,
        "backups-replication",
        {
            bucket: unknownInput,
            role: unknownInput,
            rules: [
                {
                    status: "Enabled",
                    filter: { prefix: "" },
                    deleteMarkerReplication: { status: "Disabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: { bucket: unknownInput, encryptionConfiguration: { replicaKmsKeyId: unknownInput } },
                },
            ],
        },
        { dependsOn: [primary.bucket, replica.bucket] },
    );
    const repo = res(aws.ecr.Repository, "agent", {
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: unknownInput }],
        tags,
    });
    return [
        key,
        vpc,
        subnetA,
        subnetB,
        publicSubnet,
        flowLog,
        lbSg,
        dbSg,
        dbIngress,
        clusterRole,
        cluster,
        oidc,
        nodeRole,
        ...attachments,
        launchTemplate,
        nodeGroup,
        paramGroup,
        db,
        cache,
        ...primary.all,
        ...replica.all,
        replication,
        repo,
    ];
}

export function gcpBaseline(): EvaluatedResource[] {
    const network = res(gcp.compute.Network, "vpc", { autoCreateSubnetworks: false });
    const subnet = res(
        gcp.compute.Subnetwork,
        "nodes",
        {
            network: unknownInput,
            ipCidrRange: "10.0.0.0/20",
            region: "us-central1",
            privateIpGoogleAccess: true,
            logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
        },
        { dependsOn: [network] },
    );
    const proxySubnet = res(
        gcp.compute.Subnetwork,
        "proxy-only",
        { network: unknownInput, ipCidrRange: "10.1.0.0/23", region: "us-central1", purpose: "REGIONAL_MANAGED_PROXY", role: "ACTIVE" },
        { dependsOn: [network] },
    );
    const firewallLb = res(
        gcp.compute.Firewall,
        "allow-https",
        { network: unknownInput, direction: "INGRESS", sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "tcp", ports: ["80", "443"] }], targetTags: ["gke-nodes"] },
        { dependsOn: [network] },
    );
    const firewallHc = res(
        gcp.compute.Firewall,
        "allow-health-checks",
        { network: unknownInput, sourceRanges: ["35.191.0.0/16", "130.211.0.0/22"], allows: [{ protocol: "tcp" }] },
        { dependsOn: [network] },
    );
    const keyRing = res(gcp.kms.KeyRing, "ring", { location: "us-central1" }, { protect: true });
    const key = res(gcp.kms.CryptoKey, "gke-secrets", { keyRing: unknownInput, rotationPeriod: "7776000s", purpose: "ENCRYPT_DECRYPT", labels }, { protect: true, dependsOn: [keyRing] });
    const nodeSa = res(gcp.serviceaccount.Account, "nodes", { accountId: "ai-platform-prod-nodes" });
    const cluster = res(
        gcp.container.Cluster,
        "gke",
        {
            location: "us-central1",
            removeDefaultNodePool: true,
            initialNodeCount: 1,
            network: unknownInput,
            subnetwork: unknownInput,
            releaseChannel: { channel: "STABLE" },
            datapathProvider: "ADVANCED_DATAPATH",
            databaseEncryption: { state: "ENCRYPTED", keyName: unknownInput },
            privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: "172.16.0.0/28" },
            masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "203.0.113.0/24", displayName: "operators" }] },
            workloadIdentityConfig: { workloadPool: "acme-agents.svc.id.goog" },
            enableShieldedNodes: true,
            enableLegacyAbac: false,
            masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
            binaryAuthorization: { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" },
            loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "APISERVER", "WORKLOADS"] },
            deletionProtection: true,
            resourceLabels: labels,
        },
        { dependsOn: [network, subnet, key] },
    );
    const pool = res(
        gcp.container.NodePool,
        "nodes",
        {
            cluster: unknownInput,
            location: "us-central1",
            autoscaling: { totalMinNodeCount: 2, totalMaxNodeCount: 10 },
            management: { autoRepair: true, autoUpgrade: true },
            nodeConfig: {
                machineType: "n2-standard-4",
                imageType: "COS_CONTAINERD",
                serviceAccount: unknownInput,
                oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                workloadMetadataConfig: { mode: "GKE_METADATA" },
                shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
                bootDiskKmsKey: unknownInput,
                resourceLabels: labels,
            },
        },
        { dependsOn: [cluster, nodeSa] },
    );
    const sql = res(
        gcp.sql.DatabaseInstance,
        "db",
        {
            databaseVersion: "POSTGRES_16",
            region: "us-central1",
            deletionProtection: true,
            settings: {
                tier: "db-custom-4-16384",
                availabilityType: "REGIONAL",
                deletionProtectionEnabled: true,
                retainBackupsOnDelete: true,
                ipConfiguration: { ipv4Enabled: false, privateNetwork: unknownInput, sslMode: "ENCRYPTED_ONLY" },
                backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true, startTime: "03:00", backupRetentionSettings: { retainedBackups: 30 } },
                userLabels: labels,
            },
        },
        { protect: true, dependsOn: [network] },
    );
    const redis = res(
        gcp.redis.Instance,
        "cache",
        {
            memorySizeGb: 5,
            tier: "STANDARD_HA",
            authEnabled: true,
            transitEncryptionMode: "SERVER_AUTHENTICATION",
            connectMode: "PRIVATE_SERVICE_ACCESS",
            authorizedNetwork: unknownInput,
            persistenceConfig: { persistenceMode: "RDB", rdbSnapshotPeriod: "TWENTY_FOUR_HOURS" },
            labels,
        },
        { protect: true, dependsOn: [network] },
    );
    const bucket = res(
        gcp.storage.Bucket,
        "backups",
        {
            location: "US",
            publicAccessPrevention: "enforced",
            uniformBucketLevelAccess: true,
            versioning: { enabled: false },
            retentionPolicy: { retentionPeriod: String(30 * 86400), isLocked: true },
            encryption: { defaultKmsKeyName: unknownInput },
            labels,
        },
        { protect: true },
    );
    const registry = res(gcp.artifactregistry.Repository, "agent", {
        repositoryId: "agent",
        format: "DOCKER",
        location: "us-central1",
        dockerConfig: { immutableTags: true },
        kmsKeyName: unknownInput,
        labels,
    });
    return [network, subnet, proxySubnet, firewallLb, firewallHc, keyRing, key, nodeSa, cluster, pool, sql, redis, bucket, registry];
}

/** A patch value of undefined removes the key here: a present-but-undefined key would mean "unknown at preview". */
const applyPatch = (o: Record<string, unknown>, patch: Record<string, unknown>) => {
    const out = { ...o, ...patch };
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete out[k];
    return out;
};

type SqlSettings = NonNullable<gcp.sql.DatabaseInstanceArgs["settings"]>;

/** The baseline Cloud SQL instance's settings with a patch applied. */
export const sqlSettings = (patch: Record<string, unknown>): SqlSettings => {
    const settings = structuredClone(gcpBaseline().find((r) => r.name === "db" && r.type === "gcp:sql/databaseInstance:DatabaseInstance")!.inputs.settings);
    return applyPatch(settings, patch) as unknown as SqlSettings;
};

type NodeConfig = NonNullable<gcp.container.NodePoolArgs["nodeConfig"]>;

/** The baseline node pool's nodeConfig with a patch applied. */
export const nodeConfig = (patch: Record<string, unknown>): NodeConfig => {
    const config = structuredClone(gcpBaseline().find((r) => r.type === "gcp:container/nodePool:NodePool")!.inputs.nodeConfig);
    return applyPatch(config, patch) as unknown as NodeConfig;
};

export const k8sLabels = { ...tags, "app.kubernetes.io/name": "ai-agent" };

const restricted = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
};

function container(name: string, probes: boolean): k8s.types.input.core.v1.Container {
    return {
        name,
        image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/agent@sha256:" + "a".repeat(64),
        securityContext: restricted,
        resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } },
        env: [
            { name: "LOG_LEVEL", value: "info" },
            { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "agent-secrets", key: "DATABASE_URL" } } },
        ],
        envFrom: [{ configMapRef: { name: "agent-config" } }],
        ...(probes ? { livenessProbe: { httpGet: { path: "/health", port: 8080 } }, readinessProbe: { httpGet: { path: "/ready", port: 8080 } } } : {}),
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    };
}

function podSpec(serviceAccountName: string, probes: boolean): k8s.types.input.core.v1.PodSpec {
    return {
        serviceAccountName,
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
        containers: [container("app", probes)],
        volumes: [{ name: "tmp", emptyDir: {} }],
    };
}

export const ns = "ai-agents";

export function k8sBaseline(): EvaluatedResource[] {
    const cluster = provider("kubernetes", "cluster", { kubeconfig: unknownInput });
    const opts = { provider: cluster };
    const meta = (name: string, component?: string) => ({ name, namespace: ns, labels: { ...k8sLabels, ...(component ? { "app.kubernetes.io/component": component } : {}) } });
    const namespace = res(k8s.core.v1.Namespace, "ns", { metadata: { name: ns, labels: k8sLabels } }, opts);
    const apiSa = res(k8s.core.v1.ServiceAccount, "api-sa", { metadata: meta("agent-api"), automountServiceAccountToken: false }, opts);
    const apiLabels = { "app.kubernetes.io/name": "ai-agent", "app.kubernetes.io/component": "api" };
    const api = res(
        k8s.apps.v1.Deployment,
        "api",
        { metadata: meta("agent-api", "api"), spec: { replicas: 3, selector: { matchLabels: apiLabels }, template: { metadata: { labels: apiLabels }, spec: podSpec("agent-api", true) } } },
        { ...opts, dependsOn: [namespace, apiSa] },
    );
    const apiHpa = res(
        k8s.autoscaling.v2.HorizontalPodAutoscaler,
        "api-hpa",
        {
            metadata: meta("agent-api", "api"),
            spec: {
                scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "agent-api" },
                minReplicas: 3,
                maxReplicas: 20,
                metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
            },
        },
        { ...opts, dependsOn: [api] },
    );
    const apiPdb = res(k8s.policy.v1.PodDisruptionBudget, "api-pdb", { metadata: meta("agent-api", "api"), spec: { minAvailable: 1, selector: { matchLabels: apiLabels } } }, opts);
    const workerLabels = { "app.kubernetes.io/name": "ai-agent", "app.kubernetes.io/component": "worker" };
    const workerSa = res(k8s.core.v1.ServiceAccount, "worker-sa", { metadata: meta("agent-worker"), automountServiceAccountToken: false }, opts);
    const worker = res(
        k8s.apps.v1.Deployment,
        "worker",
        {
            metadata: meta("agent-worker", "worker"),
            spec: { replicas: 2, selector: { matchLabels: workerLabels }, template: { metadata: { labels: workerLabels }, spec: podSpec("agent-worker", true) } },
        },
        { ...opts, dependsOn: [namespace, workerSa] },
    );
    const workerHpa = res(
        k8s.autoscaling.v2.HorizontalPodAutoscaler,
        "worker-hpa",
        { metadata: meta("agent-worker", "worker"), spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "agent-worker" }, minReplicas: 2, maxReplicas: 10 } },
        { ...opts, dependsOn: [worker] },
    );
    const workerPdb = res(
        k8s.policy.v1.PodDisruptionBudget,
        "worker-pdb",
        { metadata: meta("agent-worker", "worker"), spec: { maxUnavailable: 1, selector: { matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["worker"] }] } } },
        opts,
    );
    const backupSa = res(k8s.core.v1.ServiceAccount, "backup-sa", { metadata: meta("agent-backup"), automountServiceAccountToken: false }, opts);
    const backup = res(
        k8s.batch.v1.CronJob,
        "backup",
        {
            metadata: meta("database-backup", "backup"),
            spec: {
                schedule: "0 2 * * *",
                jobTemplate: { spec: { template: { metadata: { labels: { "app.kubernetes.io/component": "backup" } }, spec: { ...podSpec("agent-backup", false), restartPolicy: "OnFailure" } } } },
            },
        },
        { ...opts, dependsOn: [namespace, backupSa] },
    );
    const denyAll = res(k8s.networking.v1.NetworkPolicy, "default-deny", { metadata: meta("default-deny"), spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }, opts);
    const service = res(k8s.core.v1.Service, "api-svc", { metadata: meta("agent-api", "api"), spec: { type: "ClusterIP", selector: apiLabels, ports: [{ port: 80, targetPort: 8080 }] } }, opts);
    const ingress = res(
        k8s.networking.v1.Ingress,
        "api-ingress",
        {
            metadata: { ...meta("agent-api", "api"), annotations: { "cert-manager.io/cluster-issuer": "letsencrypt-prod", "nginx.ingress.kubernetes.io/limit-rps": "50" } },
            spec: {
                ingressClassName: "nginx",
                tls: [{ hosts: ["agents.example.com"], secretName: "agent-api-tls" }],
                rules: [{ host: "agents.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "agent-api", port: { number: 80 } } } }] } }],
            },
        },
        opts,
    );
    const envoyGateway = res(
        k8s.helm.v3.Release,
        "envoy-gateway",
        { chart: "oci://docker.io/envoyproxy/gateway-helm", version: "v1.9.0", namespace: "envoy-gateway-system", createNamespace: true, values: { crds: { enabled: false } } },
        opts,
    );
    const lbService = res(
        k8s.core.v1.Service,
        "ingress-lb",
        { metadata: { name: "edge", namespace: "envoy-gateway-system", labels: k8sLabels }, spec: { type: "LoadBalancer", ports: [{ port: 443 }] } },
        opts,
    );
    return [cluster, namespace, apiSa, api, apiHpa, apiPdb, workerSa, worker, workerHpa, workerPdb, backupSa, backup, denyAll, service, ingress, envoyGateway, lbService, ...gatewayObjects(opts)];
}

/** The public edge as the program declares it: a Gateway with a redirect-only HTTP listener, the API's HTTPS route. */
export function gatewayObjects(opts: ResOptions = {}): EvaluatedResource[] {
    const cr = (kind: string, name: string, inputs: Record<string, unknown>) =>
        res(k8s.apiextensions.CustomResource, name, { apiVersion: "gateway.networking.k8s.io/v1", kind, ...inputs }, { ...opts, type: `kubernetes:gateway.networking.k8s.io/v1:${kind}` });
    const allowedRoutes = { namespaces: { from: "Same" }, kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }] };
    const parent = (sectionName: string) => ({ group: "gateway.networking.k8s.io", kind: "Gateway", name: "agent-edge", sectionName });
    return [
        cr("Gateway", "gateway", {
            metadata: { name: "agent-edge", namespace: ns, labels: k8sLabels, annotations: { "cert-manager.io/cluster-issuer": "letsencrypt-prod" } },
            spec: {
                gatewayClassName: "envoy-gateway",
                listeners: [
                    { name: "http", protocol: "HTTP", port: 80, hostname: "agents.example.com", allowedRoutes },
                    {
                        name: "https",
                        protocol: "HTTPS",
                        port: 443,
                        hostname: "agents.example.com",
                        tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "agent-api-tls" }] },
                        allowedRoutes,
                    },
                ],
            },
        }),
        cr("HTTPRoute", "redirect-route", {
            metadata: { name: "agent-api-https-redirect", namespace: ns, labels: k8sLabels },
            spec: { parentRefs: [parent("http")], hostnames: ["agents.example.com"], rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }] },
        }),
        cr("HTTPRoute", "api-route", {
            metadata: { name: "agent-api", namespace: ns, labels: k8sLabels },
            spec: {
                parentRefs: [parent("https")],
                hostnames: ["agents.example.com"],
                rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: "agent-api", port: 80 }], timeouts: { request: "300s" } }],
            },
        }),
    ];
}
