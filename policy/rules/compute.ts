import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType, type ReportViolation } from "@pulumi/policy";
import { apiAccessTooWide } from "../../stacks/apiAccess";
import { awsTypes as t } from "../lib/aws";
import { resourcePolicy, stackPolicy } from "../lib/define";
import { isAutopilot } from "../lib/gcp";
import { label, ofTypes, refersTo } from "../lib/stack";
import { UNKNOWN, isKnown, knownItems, read, show } from "../lib/values";
import { isAtLeast, minimumVersionSchema } from "../lib/versions";

/**
 * Compute: the Kubernetes clusters and their nodes, EKS and GKE side by side (control-plane
 * exposure, secrets encryption, audit logs, supported versions, deletion protection, node hardening,
 * zones and autoscaling floors). Who the nodes and workloads act as is in identity.ts. Input names
 * of @pulumi/aws 7.48 and @pulumi/gcp 9.37; a value unknown during preview is never a violation, a
 * plain input the program must set is one when it is absent.
 */

// ---------------------------------------------------------------- AWS: EC2 instances, EKS

export const imdsv2 = resourcePolicy({
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

export const eksSecretsEncryption = resourcePolicy({
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

export const eksApiNotPublic = resourcePolicy({
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

export const eksPrivateEndpoint = resourcePolicy({
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

export const eksPrivateNodes = stackPolicy({
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

export const eksAuditLogs = resourcePolicy({
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

export const eksSupportedVersion = resourcePolicy({
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

export const eksNodeGroupMultiAz = resourcePolicy({
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

const nodeGroupCountSchema = { properties: { minimumNodes: { type: "integer" as const, minimum: 1, default: 2, description: "Fewest nodes a node group may scale down to." } } };

export const eksNodeAutoscaling = resourcePolicy({
    name: "aws-eks-node-autoscaling",
    description: "EKS node groups can scale out and never shrink below the minimum node count.",
    severity: "medium",
    category: "resilience",
    resources: "aws.eks.NodeGroup",
    checks: "`scalingConfig.minSize` ≥ `minimumNodes` (default 2) and `maxSize` > `minSize`.",
    seed: "001 Compute Resources › Auto-scaling configured (2-10 instances)",
    remediation: "Set scalingConfig { minSize ≥ 2, maxSize > minSize } (stack settings cluster.minNodes / maxNodes) and run the cluster autoscaler.",
    configSchema: nodeGroupCountSchema,
    validateResource: validateResourceOfType(aws.eks.NodeGroup, (ng, args, report) => {
        const { minimumNodes } = args.getConfig<{ minimumNodes: number }>();
        const min = read(() => ng.scalingConfig?.minSize);
        const max = read(() => ng.scalingConfig?.maxSize);
        if (typeof min === "number" && min < minimumNodes) report(`Node group "${args.name}" may scale down to ${min} node(s); at least ${minimumNodes} are required.`);
        if (typeof min === "number" && typeof max === "number" && max <= min) report(`Node group "${args.name}" cannot scale out (maxSize ${max} ≤ minSize ${min}).`);
    }),
});

export const eksDeletionProtection = resourcePolicy({
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

// ---------------------------------------------------------------- GCP: GKE

export const gkeSecretsEncryption = resourcePolicy({
    name: "gcp-gke-secrets-encryption",
    description: "GKE encrypts Kubernetes Secrets with a Cloud KMS key (application-layer secrets encryption).",
    severity: "critical",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: '`databaseEncryption.state: "ENCRYPTED"` with a `keyName`.',
    seed: "001 Security › Secrets Management: all secrets encrypted at rest",
    remediation: 'Set databaseEncryption: { state: "ENCRYPTED", keyName: cryptoKey.id } and grant the GKE service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on the key.',
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        const state = read(() => c.databaseEncryption?.state);
        if (isKnown(state) && state !== "ENCRYPTED") report(`GKE cluster "${args.name}" stores Secrets without application-layer encryption (databaseEncryption.state is ${show(state)}).`);
        else if (state === "ENCRYPTED" && read(() => c.databaseEncryption?.keyName) === undefined) report(`GKE cluster "${args.name}" names no KMS key for Secrets encryption.`);
    }),
});

export const gkePrivateNodes = resourcePolicy({
    name: "gcp-gke-private-nodes",
    description: "GKE nodes have no public IP addresses.",
    severity: "high",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: "`privateClusterConfig.enablePrivateNodes: true`.",
    seed: "001 Network; CIS GKE 6.6.5 private nodes",
    remediation: "Set privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock } and give nodes egress through Cloud NAT.",
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (isAutopilot(c)) return;
        const on = read(() => c.privateClusterConfig?.enablePrivateNodes);
        if (isKnown(on) && on !== true) report(`GKE cluster "${args.name}" gives its nodes public IP addresses (enablePrivateNodes is ${show(on)}).`);
    }),
});

export const gkeApiNotPublic = resourcePolicy({
    name: "gcp-gke-api-not-public",
    description: "The GKE control plane is not open to the whole internet.",
    severity: "critical",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: "A private endpoint only, or `masterAuthorizedNetworksConfig` with CIDR blocks reaching fewer than 2^24 addresses together, however they are split (and Google Cloud public ranges not admitted).",
    seed: "001 Security › Access Control; Network › Firewall rules configured",
    remediation:
        "Set masterAuthorizedNetworksConfig { cidrBlocks: [{ cidrBlock, displayName }] } with the CIDRs of CI runners and operators (stack setting cluster.publicAccessCidrs), or privateClusterConfig.enablePrivateEndpoint: true.",
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (read(() => c.privateClusterConfig?.enablePrivateEndpoint) === true) return;
        if (read(() => c.controlPlaneEndpointsConfig?.ipEndpointsConfig?.enabled) === false) return;
        const config = read(() => c.masterAuthorizedNetworksConfig);
        if (config === UNKNOWN) return;
        if (config === undefined) return report(`GKE cluster "${args.name}" accepts API requests from any address (no masterAuthorizedNetworksConfig).`);
        // An empty list with the config present admits no external address at all, which is not public.
        const blocks = knownItems(() => config.cidrBlocks).items.map((b) => read(() => b.cidrBlock));
        // Judged by the addresses the blocks reach together (0.0.0.0/1 + 128.0.0.0/1 is 0.0.0.0/0), as the settings judge them.
        const tooWide = apiAccessTooWide(blocks, "any");
        if (tooWide) report(`GKE cluster "${args.name}" authorizes ${blocks.join(", ")} to reach its API: ${tooWide}.`);
        if (read(() => config.gcpPublicCidrsAccessEnabled) === true) report(`GKE cluster "${args.name}" admits every Google Cloud public IP to its API (gcpPublicCidrsAccessEnabled is true).`);
    }),
});

export const gkeShieldedNodes = resourcePolicy({
    name: "gcp-gke-shielded-nodes",
    description: "GKE nodes are Shielded VMs with Secure Boot.",
    severity: "high",
    category: "security",
    resources: "gcp.container.Cluster, gcp.container.NodePool",
    checks: "`enableShieldedNodes` is not false; node pools set `shieldedInstanceConfig.enableSecureBoot: true` and keep integrity monitoring on.",
    seed: "CIS GKE 6.5.5 / 6.5.7 (cluster hardening); 001 Security › Compliance",
    remediation: "Leave enableShieldedNodes at true and set nodeConfig.shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true }.",
    validateResource: [
        validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
            if (read(() => c.enableShieldedNodes) === false) report(`GKE cluster "${args.name}" turns Shielded Nodes off.`);
        }),
        validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
            const secureBoot = read(() => np.nodeConfig?.shieldedInstanceConfig?.enableSecureBoot);
            if (isKnown(secureBoot) && secureBoot !== true) report(`Node pool "${args.name}" boots without Secure Boot (enableSecureBoot is ${show(secureBoot)}).`);
            if (read(() => np.nodeConfig?.shieldedInstanceConfig?.enableIntegrityMonitoring) === false) report(`Node pool "${args.name}" turns integrity monitoring off.`);
        }),
    ],
});

export const gkeNetworkPolicy = resourcePolicy({
    name: "gcp-gke-network-policy",
    description: "GKE enforces Kubernetes NetworkPolicies.",
    severity: "high",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: '`datapathProvider: "ADVANCED_DATAPATH"` (Dataplane V2) or `networkPolicy.enabled: true`.',
    seed: "000 Security › Network policies configured",
    remediation: 'Set datapathProvider: "ADVANCED_DATAPATH" (Dataplane V2 enforces NetworkPolicy natively).',
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (isAutopilot(c)) return;
        const datapath = read(() => c.datapathProvider);
        const policy = read(() => c.networkPolicy?.enabled);
        if (datapath === UNKNOWN || policy === UNKNOWN || datapath === "ADVANCED_DATAPATH" || policy === true) return;
        report(`GKE cluster "${args.name}" does not enforce NetworkPolicies (datapathProvider ${show(datapath)}, networkPolicy.enabled ${show(policy)}).`);
    }),
});

export const gkeNodeAutoRepairUpgrade = resourcePolicy({
    name: "gcp-gke-node-auto-repair-upgrade",
    description: "GKE repairs and upgrades nodes automatically.",
    severity: "medium",
    category: "security",
    resources: "gcp.container.NodePool",
    checks: "`management.autoRepair` and `management.autoUpgrade` are not false (GKE's default is true).",
    seed: "001 GCP setup › --enable-autorepair --enable-autoupgrade",
    remediation: "Set management: { autoRepair: true, autoUpgrade: true }.",
    validateResource: validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
        if (read(() => np.management?.autoRepair) === false) report(`Node pool "${args.name}" does not repair nodes automatically.`);
        if (read(() => np.management?.autoUpgrade) === false) report(`Node pool "${args.name}" does not upgrade nodes automatically.`);
    }),
});

export const gkeSupportedVersion = resourcePolicy({
    name: "gcp-gke-supported-version",
    description: "GKE follows a release channel and runs a supported Kubernetes version.",
    severity: "medium",
    category: "security",
    resources: "gcp.container.Cluster, gcp.container.NodePool",
    checks: "`releaseChannel.channel` is set (not UNSPECIFIED); `minMasterVersion` / node pool `version`, when set, ≥ `minimumVersion` (default: the oldest version in standard support, stacks/facts/versions.ts).",
    seed: "001 GCP setup (auto-upgrade); CIS: supported Kubernetes version",
    remediation: 'Set releaseChannel: { channel: "STABLE" } (stack setting cluster.releaseChannel) and leave versions to the channel, or pin a supported minMasterVersion.',
    configSchema: { properties: { minimumVersion: minimumVersionSchema } },
    validateResource: [
        validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
            const { minimumVersion } = args.getConfig<{ minimumVersion: string }>();
            const channel = read(() => c.releaseChannel?.channel);
            if (channel === undefined || channel === "UNSPECIFIED") report(`GKE cluster "${args.name}" follows no release channel.`);
            const version = read(() => c.minMasterVersion);
            if (typeof version === "string" && version !== "latest" && !isAtLeast(version, minimumVersion))
                report(`GKE cluster "${args.name}" pins Kubernetes ${version}, older than ${minimumVersion}.`);
        }),
        validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
            const { minimumVersion } = args.getConfig<{ minimumVersion: string }>();
            const version = read(() => np.version);
            if (typeof version === "string" && !isAtLeast(version, minimumVersion)) report(`Node pool "${args.name}" pins Kubernetes ${version}, older than ${minimumVersion}.`);
        }),
    ],
});

export const gkeContainerdImage = resourcePolicy({
    name: "gcp-gke-cos-containerd",
    description: "GKE nodes run Container-Optimized OS with containerd.",
    severity: "medium",
    category: "security",
    resources: "gcp.container.NodePool",
    checks: '`nodeConfig.imageType`, when set, is "COS_CONTAINERD" (GKE\'s default).',
    seed: "CIS GKE 6.5.1 (Container-Optimized OS); 001 Security › Compliance",
    remediation: 'Set nodeConfig.imageType: "COS_CONTAINERD" or leave it unset.',
    validateResource: validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
        const image = read(() => np.nodeConfig?.imageType);
        if (typeof image === "string" && image.toUpperCase() !== "COS_CONTAINERD") report(`Node pool "${args.name}" uses node image ${image}.`);
    }),
});

export const gkeNoLegacyAbac = resourcePolicy({
    name: "gcp-gke-no-legacy-abac",
    description: "GKE authorizes with RBAC only (legacy ABAC off).",
    severity: "high",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: "`enableLegacyAbac` is not true.",
    seed: "001 Security › Access Control: RBAC configured; CIS GKE 6.8.4",
    remediation: "Remove enableLegacyAbac (or set it to false) and grant access through RBAC.",
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (read(() => c.enableLegacyAbac) === true) report(`GKE cluster "${args.name}" enables legacy ABAC.`);
    }),
});

export const gkeNoClientCertificates = resourcePolicy({
    name: "gcp-gke-no-client-certificates",
    description: "GKE issues no long-lived client certificates.",
    severity: "high",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: "`masterAuth.clientCertificateConfig.issueClientCertificate` is not true.",
    seed: "001 Security › Access Control; CIS GKE 6.8.2",
    remediation: "Remove masterAuth.clientCertificateConfig or set issueClientCertificate: false; users authenticate through Google identities.",
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (read(() => c.masterAuth?.clientCertificateConfig?.issueClientCertificate) === true) report(`GKE cluster "${args.name}" issues a client certificate.`);
    }),
});

export const gkeBinaryAuthorization = resourcePolicy({
    name: "gcp-gke-binary-authorization",
    description: "GKE admits only images the project's Binary Authorization policy allows.",
    severity: "medium",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: '`binaryAuthorization.evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE"`.',
    seed: "001 Security › Compliance: security scanning completed; CIS GKE 6.10.5",
    remediation: 'Set binaryAuthorization: { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" } and keep a project policy that allows the Artifact Registry repository.',
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        const mode = read(() => c.binaryAuthorization?.evaluationMode);
        if (isKnown(mode) && mode !== "PROJECT_SINGLETON_POLICY_ENFORCE") report(`GKE cluster "${args.name}" does not enforce Binary Authorization (evaluationMode is ${show(mode)}).`);
    }),
});

export const gkeLogging = resourcePolicy({
    name: "gcp-gke-logging",
    description: "GKE sends system, API server and workload logs to Cloud Logging.",
    severity: "medium",
    category: "security",
    resources: "gcp.container.Cluster",
    checks: '`loggingService` is not "none"; `loggingConfig.enableComponents`, when set, includes SYSTEM_COMPONENTS and APISERVER.',
    seed: "001 Security › Compliance: audit logging enabled; 000 Monitoring › log aggregation",
    remediation: 'Leave loggingService at its default and set loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "APISERVER", "WORKLOADS"] }.',
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (read(() => c.loggingService) === "none") return report(`GKE cluster "${args.name}" sends no logs (loggingService is "none").`);
        const { items, unknown } = knownItems(() => c.loggingConfig?.enableComponents);
        if (read(() => c.loggingConfig) === undefined || unknown) return;
        const missing = ["SYSTEM_COMPONENTS", "APISERVER"].filter((x) => !items.includes(x));
        if (missing.length > 0) report(`GKE cluster "${args.name}" does not log ${missing.join(", ")}.`);
    }),
});

export const gkeMultiZone = resourcePolicy({
    name: "gcp-gke-multi-zone",
    description: "GKE clusters are regional, so a zone outage leaves the control plane and nodes running.",
    severity: "medium",
    category: "resilience",
    resources: "gcp.container.Cluster",
    checks: "`location` is a region (not a zone such as us-central1-a), or `nodeLocations` lists at least two zones.",
    seed: "001 High Availability › Multi-AZ deployment",
    remediation: "Set location to the region (stack gcp:region) so GKE spreads control plane and nodes over its zones.",
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        const location = read(() => c.location);
        const { items, unknown } = knownItems(() => c.nodeLocations);
        if (!isKnown(location) || unknown || items.length >= 2) return;
        if (location === undefined || /-[a-z]$/.test(location)) report(`GKE cluster "${args.name}" is zonal (location ${show(location)}).`);
    }),
});

const nodePoolCountSchema = {
    properties: { minimumNodes: { type: "integer" as const, minimum: 1, default: 2, description: "Fewest nodes a node pool may scale down to (per zone for minNodeCount)." } },
};

export const gkeNodeAutoscaling = resourcePolicy({
    name: "gcp-gke-node-autoscaling",
    description: "GKE node pools autoscale and never shrink below the minimum node count.",
    severity: "medium",
    category: "resilience",
    resources: "gcp.container.NodePool",
    checks: "`autoscaling` is set with a minimum (`totalMinNodeCount` or `minNodeCount`) ≥ `minimumNodes` (default 2) and a maximum above it.",
    seed: "001 GCP setup › --enable-autoscaling --min-nodes 2 --max-nodes 10",
    remediation: "Set autoscaling: { totalMinNodeCount: 2, totalMaxNodeCount: 10 } (stack settings cluster.minNodes / maxNodes).",
    configSchema: nodePoolCountSchema,
    validateResource: validateResourceOfType(gcp.container.NodePool, (np, args, report) => {
        const { minimumNodes } = args.getConfig<{ minimumNodes: number }>();
        const autoscaling = read(() => np.autoscaling);
        if (autoscaling === UNKNOWN) return;
        if (autoscaling === undefined) return report(`Node pool "${args.name}" does not autoscale.`);
        const min = read(() => autoscaling.totalMinNodeCount ?? autoscaling.minNodeCount);
        const max = read(() => autoscaling.totalMaxNodeCount ?? autoscaling.maxNodeCount);
        if (typeof min === "number" && min < minimumNodes) report(`Node pool "${args.name}" may scale down to ${min} node(s); at least ${minimumNodes} are required.`);
        if (typeof min === "number" && typeof max === "number" && max <= min) report(`Node pool "${args.name}" cannot scale out (max ${max} ≤ min ${min}).`);
    }),
});

export const gkeDeletionProtection = resourcePolicy({
    name: "gcp-gke-deletion-protection",
    description: "The GKE cluster cannot be deleted by accident.",
    severity: "high",
    category: "durability",
    resources: "gcp.container.Cluster",
    checks: "`deletionProtection` is not false (the provider's default is true).",
    seed: "000 Disaster Recovery plan; 001 Backup & Recovery",
    remediation: "Set deletionProtection: true (stack setting cluster.deletionProtection).",
    validateResource: validateResourceOfType(gcp.container.Cluster, (c, args, report) => {
        if (read(() => c.deletionProtection) === false) report(`GKE cluster "${args.name}" can be deleted by Pulumi (deletionProtection is false).`);
    }),
});
