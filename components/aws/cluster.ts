import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { standardLabels, standardTags } from "../shared/naming";
import { irsaTrustPolicy, managedPolicyArn, policyDocument, serviceAccountSubject, serviceTrustPolicy } from "./iam";

/** Every control-plane log type EKS offers. */
export const controlPlaneLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** The StorageClass the foundation creates: gp3, encrypted, bound where the pod lands. */
export const storageClassName = "gp3-encrypted";

export interface ClusterArgs {
    /**
     * `cluster` (version, machine type, node counts, disk, public API CIDRs, deletion protection),
     * `observability.logRetentionDays` (the control-plane and container log groups),
     * `network.servicesCidr`, `region` (the kubeconfig's `aws eks get-token`) and the tag parts.
     * @default cluster: staging t3.large nodes 1–4 (2 desired), 30 GB disks, no deletion protection; prod m5.xlarge nodes 2–10 (3 desired), 100 GB disks, deletion protection; logs staging 7 days, prod 30 (stacks/defaults.ts, cloudSizing)
     */
    settings: Pick<Settings, "cluster" | "observability" | "network" | "region" | "project" | "environment" | "owner" | "costCenter" | "stack">;
    /** Physical cluster name; fixed so subnet tags and log group names can be known before the cluster. */
    clusterName: string;
    /** Where the control plane's network interfaces and the nodes go. */
    privateSubnetIds: pulumi.Input<string[]>;
    /** The nodes' own security group (from the network), attached through the launch template. */
    nodeSecurityGroupId: pulumi.Input<string>;
    /** Envelope encryption of Kubernetes secrets. */
    secretsKeyArn: pulumi.Input<string>;
    /** Customer-managed key of the nodes' root volumes and of persistent volumes (its policy admits EC2 Auto Scaling). */
    nodesKeyArn: pulumi.Input<string>;
    /** Encrypts the control-plane and container log groups. */
    logsKeyArn: pulumi.Input<string>;
    /** The account's partition (aws, aws-us-gov, aws-cn), for the managed policies' ARNs. */
    partition: pulumi.Input<string>;
}

/** Graviton families (m7g, c6gn, t4g, r8g…) need the arm64 AMI; everything else runs x86_64. */
export function amiTypeFor(instanceType: string): string {
    return /^[a-z]+\d+g[a-z]*\./.test(instanceType) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

/**
 * A kubeconfig that holds no credentials: kubectl and the Kubernetes provider get a short-lived token
 * from `aws eks get-token` with whatever AWS identity runs them.
 */
export function eksKubeconfig(args: { clusterName: pulumi.Input<string>; endpoint: pulumi.Input<string>; certificateAuthority: pulumi.Input<string>; region: string }): pulumi.Output<string> {
    return pulumi.jsonStringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: args.clusterName, cluster: { server: args.endpoint, "certificate-authority-data": args.certificateAuthority } }],
        contexts: [{ name: args.clusterName, context: { cluster: args.clusterName, user: args.clusterName } }],
        "current-context": args.clusterName,
        users: [
            {
                name: args.clusterName,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", args.clusterName, "--region", args.region, "--output", "json"],
                    },
                },
            },
        ],
    });
}

/**
 * EKS: the control plane (secrets envelope-encrypted with KMS, every log type on, private endpoint
 * plus a CIDR-restricted public one, access entries instead of aws-auth), the IRSA OIDC provider,
 * managed add-ons, one managed node group on a versioned launch template, a gp3 StorageClass, and
 * the Kubernetes provider everything above the foundation uses.
 */
export class Cluster extends pulumi.ComponentResource {
    public readonly cluster: aws.eks.Cluster;
    public readonly name: pulumi.Output<string>;
    public readonly oidcProviderArn: pulumi.Output<string>;
    public readonly oidcIssuerUrl: pulumi.Output<string>;
    public readonly nodeGroup: aws.eks.NodeGroup;
    public readonly launchTemplate: aws.ec2.LaunchTemplate;
    public readonly addons: aws.eks.Addon[];
    /** Secret: the kubeconfig carries no credentials, but it maps the cluster's endpoint. */
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly provider: k8s.Provider;
    public readonly storageClass: k8s.storage.v1.StorageClass;
    /** Where Fluent Bit ships container logs. */
    public readonly containerLogGroup: aws.cloudwatch.LogGroup;
    /** Node group and the networking add-ons: Kubernetes objects above the foundation depend on these, so they are deleted first. */
    public readonly readyResources: pulumi.Resource[];
    /** The EBS CSI driver and the StorageClass: what a volume claim needs besides the nodes. */
    public readonly storageResources: pulumi.Resource[];

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:aws:Cluster", name, {}, opts);
        const { settings, clusterName, partition } = args;
        const c = settings.cluster;
        const tags = (extra: Record<string, string> = {}) => standardTags(settings, extra);

        // Created before the cluster, so EKS writes into a group with retention and KMS instead of making its own.
        const controlPlaneLogs = new aws.cloudwatch.LogGroup(
            `${name}-control-plane`,
            { name: `/aws/eks/${clusterName}/cluster`, retentionInDays: settings.observability.logRetentionDays, kmsKeyId: args.logsKeyArn, tags: tags() },
            { parent: this },
        );
        this.containerLogGroup = new aws.cloudwatch.LogGroup(
            `${name}-containers`,
            { name: `/aws/eks/${clusterName}/containers`, retentionInDays: settings.observability.logRetentionDays, kmsKeyId: args.logsKeyArn, tags: tags() },
            { parent: this },
        );

        const clusterRole = new aws.iam.Role(
            `${name}-cluster`,
            { assumeRolePolicy: serviceTrustPolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]), description: `EKS control plane of ${clusterName}`, tags: tags() },
            { parent: this },
        );
        const clusterPolicy = new aws.iam.RolePolicyAttachment(`${name}-cluster`, { role: clusterRole.name, policyArn: managedPolicyArn(partition, "AmazonEKSClusterPolicy") }, { parent: this });

        const publicCidrs = c.publicAccessCidrs;
        this.cluster = new aws.eks.Cluster(
            `${name}-eks`,
            {
                name: clusterName,
                version: c.kubernetesVersion,
                roleArn: clusterRole.arn,
                vpcConfig: {
                    subnetIds: args.privateSubnetIds,
                    endpointPrivateAccess: true,
                    // `pulumi up` from outside the VPC reaches the API only from these CIDRs; none means private only.
                    endpointPublicAccess: publicCidrs.length > 0,
                    publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
                },
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
                encryptionConfig: { provider: { keyArn: args.secretsKeyArn }, resources: ["secrets"] },
                enabledClusterLogTypes: controlPlaneLogTypes,
                kubernetesNetworkConfig: { serviceIpv4Cidr: settings.network.servicesCidr, ipFamily: "ipv4" },
                // vpc-cni, kube-proxy and coredns come as managed add-ons below, not as unmanaged copies.
                bootstrapSelfManagedAddons: false,
                deletionProtection: c.deletionProtection,
                tags: tags({ Name: clusterName }),
            },
            // The inputs name the role and not its policy attachment, without which EKS refuses the role; and
            // not the log group, which must exist first or EKS creates its own.
            { parent: this, dependsOn: [clusterPolicy, controlPlaneLogs] },
        );
        this.name = this.cluster.name;

        this.oidcIssuerUrl = this.cluster.identities.apply((ids) => ids[0].oidcs![0].issuer!);
        const oidc = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, { url: this.oidcIssuerUrl, clientIdLists: ["sts.amazonaws.com"], tags: tags() }, { parent: this });
        this.oidcProviderArn = oidc.arn;

        const irsaRole = (suffix: string, namespace: string, serviceAccount: string, policy: string) => {
            const role = new aws.iam.Role(
                `${name}-${suffix}`,
                {
                    assumeRolePolicy: irsaTrustPolicy(oidc.arn, this.oidcIssuerUrl, [serviceAccountSubject(namespace, serviceAccount)]),
                    description: `IRSA: ${namespace}/${serviceAccount}`,
                    tags: tags(),
                },
                { parent: this },
            );
            const attachment = new aws.iam.RolePolicyAttachment(`${name}-${suffix}`, { role: role.name, policyArn: managedPolicyArn(partition, policy) }, { parent: this });
            return { role, attachment };
        };
        const cni = irsaRole("vpc-cni", "kube-system", "aws-node", "AmazonEKS_CNI_Policy");
        const ebsCsi = irsaRole("ebs-csi", "kube-system", "ebs-csi-controller-sa", "service-role/AmazonEBSCSIDriverPolicy");
        // The managed policy covers AWS-managed keys only; volumes under the nodes' key need these on that key.
        const ebsCsiKey = new aws.iam.RolePolicy(
            `${name}-ebs-csi-key`,
            {
                role: ebsCsi.role.name,
                policy: policyDocument([
                    { Sid: "UseVolumeKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: args.nodesKeyArn },
                    {
                        Sid: "GrantVolumeKeyToEbs",
                        Effect: "Allow",
                        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                        Resource: args.nodesKeyArn,
                        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
                    },
                ]),
            },
            { parent: this },
        );

        const addon = (addonName: string, extra: Partial<aws.eks.AddonArgs>, dependsOn: pulumi.Resource[] = []) =>
            new aws.eks.Addon(
                `${name}-${addonName}`,
                { clusterName: this.cluster.name, addonName, resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "OVERWRITE", tags: tags(), ...extra },
                { parent: this, dependsOn },
            );
        // Network policy enforcement on, so the workloads' NetworkPolicies actually apply. The input names
        // the IRSA role, not its policy attachment, which the CNI needs before it can assign pod IPs.
        const vpcCni = addon("vpc-cni", { serviceAccountRoleArn: cni.role.arn, configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }) }, [cni.attachment]);
        const kubeProxy = addon("kube-proxy", {});

        const nodeRole = new aws.iam.Role(`${name}-nodes`, { assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"), description: `EKS nodes of ${clusterName}`, tags: tags() }, { parent: this });
        const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"].map(
            (policy) => new aws.iam.RolePolicyAttachment(`${name}-nodes-${policy}`, { role: nodeRole.name, policyArn: managedPolicyArn(partition, policy) }, { parent: this }),
        );

        // Everything that changes often (instance type, disk, tags) lives in a versioned launch template, so a
        // change rolls the nodes to a new template version instead of replacing the node group.
        this.launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-nodes`,
            {
                description: `Nodes of ${clusterName}: IMDSv2 only, gp3 root volume under the program's KMS key`,
                instanceType: c.machineType,
                updateDefaultVersion: true,
                // With security groups in the template EKS adds none itself, so the cluster group is listed too.
                vpcSecurityGroupIds: [this.cluster.vpcConfig.clusterSecurityGroupId.apply((id) => id!), args.nodeSecurityGroupId],
                // Hop limit 1: pods cannot reach the node's instance credentials; they use IRSA.
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
                blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: c.diskSizeGb, volumeType: "gp3", encrypted: "true", kmsKeyId: args.nodesKeyArn, deleteOnTermination: "true" } }],
                tagSpecifications: [
                    { resourceType: "instance", tags: tags({ Name: `${clusterName}-node` }) },
                    { resourceType: "volume", tags: tags({ Name: `${clusterName}-node` }) },
                ],
                tags: tags(),
            },
            { parent: this },
        );

        this.nodeGroup = new aws.eks.NodeGroup(
            `${name}-nodes`,
            {
                clusterName: this.cluster.name,
                version: this.cluster.version,
                nodeRoleArn: nodeRole.arn,
                subnetIds: args.privateSubnetIds,
                amiType: amiTypeFor(c.machineType),
                capacityType: "ON_DEMAND",
                launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.apply(String) },
                scalingConfig: { desiredSize: c.desiredNodes, minSize: c.minNodes, maxSize: c.maxNodes },
                updateConfig: { maxUnavailable: 1 },
                tags: tags({ "k8s.io/cluster-autoscaler/enabled": "true", [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned" }),
            },
            // The cluster-autoscaler owns the node count once the group exists. Nodes join only with their
            // role's policies attached and turn Ready only with a CNI (and kube-proxy, through which the CNI
            // reaches the API): the cluster bootstraps no add-ons itself, and no input names these.
            { parent: this, dependsOn: [...nodePolicies, vpcCni, kubeProxy], ignoreChanges: ["scalingConfig.desiredSize"] },
        );

        // These run as pods, so they become healthy only once nodes exist (the inputs name only the
        // cluster); the EBS driver's IRSA role is an input, its policy attachment is not.
        const coreDns = addon("coredns", {}, [this.nodeGroup]);
        const ebsCsiDriver = addon("aws-ebs-csi-driver", { serviceAccountRoleArn: ebsCsi.role.arn }, [this.nodeGroup, ebsCsi.attachment, ebsCsiKey]);
        this.addons = [vpcCni, kubeProxy, coreDns, ebsCsiDriver];

        this.kubeconfig = pulumi.secret(
            eksKubeconfig({
                clusterName: this.cluster.name,
                endpoint: this.cluster.endpoint,
                certificateAuthority: this.cluster.certificateAuthority.apply((ca) => ca.data!),
                region: settings.region,
            }),
        );
        this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig, enableServerSideApply: true }, { parent: this });

        this.storageClass = new k8s.storage.v1.StorageClass(
            `${name}-gp3`,
            {
                metadata: { name: storageClassName, labels: standardLabels(settings) },
                provisioner: "ebs.csi.aws.com",
                parameters: pulumi.output(args.nodesKeyArn).apply((kmsKeyId) => ({ type: "gp3", encrypted: "true", kmsKeyId, "csi.storage.k8s.io/fstype": "ext4" })),
                reclaimPolicy: "Delete",
                allowVolumeExpansion: true,
                volumeBindingMode: "WaitForFirstConsumer",
            },
            // The class names the driver by its provisioner string: a claim of it binds only once the driver runs.
            { parent: this, provider: this.provider, dependsOn: [ebsCsiDriver] },
        );
        // Pods need the nodes, the CNI, kube-proxy and DNS; only volume claims above the foundation
        // (Prometheus, Alertmanager) need the CSI driver and this class, so only they wait for storage.
        this.readyResources = [this.nodeGroup, vpcCni, kubeProxy, coreDns];
        this.storageResources = [ebsCsiDriver, this.storageClass];

        this.registerOutputs({ name: this.name, oidcProviderArn: this.oidcProviderArn, kubeconfig: this.kubeconfig, nodeGroup: this.nodeGroup.arn, storageClass: storageClassName });
    }
}
