import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { awsBaseline, gcpBaseline, nodeConfig } from "./fixtures";
import { describeViolations, edit, evaluate, summary, unset, type ViolationCase } from "./helpers";

const awsCases: ViolationCase[] = [
    { policy: "aws-eks-deletion-protection", what: "deletionProtection off", resources: () => edit(awsBaseline(), aws.eks.Cluster, "eks", { deletionProtection: false }) },
    {
        policy: "aws-imdsv2",
        what: "httpTokens optional",
        resources: () => edit(awsBaseline(), aws.ec2.LaunchTemplate, "nodes", { metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } }),
    },
    { policy: "aws-imdsv2", what: "hop limit 2", resources: () => edit(awsBaseline(), aws.ec2.LaunchTemplate, "nodes", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } }) },
    { policy: "aws-imdsv2", what: "no metadata options", resources: () => unset(awsBaseline(), aws.ec2.LaunchTemplate, "nodes", "metadataOptions") },
    { policy: "aws-eks-secrets-encryption", what: "no encryptionConfig", resources: () => unset(awsBaseline(), aws.eks.Cluster, "eks", "encryptionConfig") },
    {
        policy: "aws-eks-api-not-public",
        what: "public endpoint without CIDRs",
        resources: () => edit(awsBaseline(), aws.eks.Cluster, "eks", { vpcConfig: { subnetIds: [], endpointPrivateAccess: true, endpointPublicAccess: true } }),
    },
    {
        policy: "aws-eks-api-not-public",
        what: "public endpoint open to 0.0.0.0/0",
        resources: () => edit(awsBaseline(), aws.eks.Cluster, "eks", { vpcConfig: { subnetIds: [], endpointPrivateAccess: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] } }),
    },
    {
        policy: "aws-eks-api-not-public",
        what: "0.0.0.0/0 split into two halves",
        resources: () => edit(awsBaseline(), aws.eks.Cluster, "eks", { vpcConfig: { subnetIds: [], endpointPrivateAccess: true, publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] } }),
    },
    {
        policy: "aws-eks-api-not-public",
        what: "a /7: more than a /8 of addresses",
        resources: () => edit(awsBaseline(), aws.eks.Cluster, "eks", { vpcConfig: { subnetIds: [], endpointPrivateAccess: true, publicAccessCidrs: ["4.0.0.0/7"] } }),
    },
    {
        policy: "aws-eks-private-endpoint",
        what: "private endpoint off",
        resources: () => edit(awsBaseline(), aws.eks.Cluster, "eks", { vpcConfig: { subnetIds: [], endpointPrivateAccess: false, endpointPublicAccess: false } }),
    },
    {
        policy: "aws-eks-private-nodes",
        what: "a node group in a public subnet",
        resources: () =>
            awsBaseline().map((r) =>
                r.name === "nodes" && r.type === "aws:eks/nodeGroup:NodeGroup"
                    ? { ...r, options: { ...r.options, dependencies: [...r.options.dependencies, "urn:pulumi:test::ai-platform::aws:ec2/subnet:Subnet::public-a"] } }
                    : r,
            ),
    },
    { policy: "aws-eks-audit-logs", what: "no audit log", resources: () => edit(awsBaseline(), aws.eks.Cluster, "eks", { enabledClusterLogTypes: ["api", "authenticator"] }) },
    { policy: "aws-eks-supported-version", what: "Kubernetes 1.28", resources: () => edit(awsBaseline(), aws.eks.Cluster, "eks", { version: "1.28" }) },
    { policy: "aws-eks-supported-version", what: "version not pinned", resources: () => unset(awsBaseline(), aws.eks.Cluster, "eks", "version") },
    { policy: "aws-eks-node-group-multi-az", what: "one subnet", resources: () => edit(awsBaseline(), aws.eks.NodeGroup, "nodes", { subnetIds: ["subnet-1"] }) },
    { policy: "aws-eks-node-autoscaling", what: "minSize 1 in prod", resources: () => edit(awsBaseline(), aws.eks.NodeGroup, "nodes", { scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 4 } }) },
    { policy: "aws-eks-node-autoscaling", what: "cannot scale out", resources: () => edit(awsBaseline(), aws.eks.NodeGroup, "nodes", { scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 3 } }) },
];

const gcpCases: ViolationCase[] = [
    { policy: "gcp-gke-secrets-encryption", what: "no application-layer encryption", resources: () => unset(gcpBaseline(), gcp.container.Cluster, "gke", "databaseEncryption") },
    { policy: "gcp-gke-private-nodes", what: "public nodes", resources: () => edit(gcpBaseline(), gcp.container.Cluster, "gke", { privateClusterConfig: { enablePrivateNodes: false } }) },
    { policy: "gcp-gke-api-not-public", what: "no authorized networks", resources: () => unset(gcpBaseline(), gcp.container.Cluster, "gke", "masterAuthorizedNetworksConfig") },
    {
        policy: "gcp-gke-api-not-public",
        what: "0.0.0.0/0 authorized",
        resources: () => edit(gcpBaseline(), gcp.container.Cluster, "gke", { masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "0.0.0.0/0" }] } }),
    },
    {
        policy: "gcp-gke-api-not-public",
        what: "0.0.0.0/0 split into four quarters",
        resources: () =>
            edit(gcpBaseline(), gcp.container.Cluster, "gke", {
                masterAuthorizedNetworksConfig: { cidrBlocks: ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"].map((cidrBlock) => ({ cidrBlock })) },
            }),
    },
    { policy: "gcp-gke-shielded-nodes", what: "shielded nodes off", resources: () => edit(gcpBaseline(), gcp.container.Cluster, "gke", { enableShieldedNodes: false }) },
    {
        policy: "gcp-gke-shielded-nodes",
        what: "no secure boot",
        resources: () => edit(gcpBaseline(), gcp.container.NodePool, "nodes", { nodeConfig: nodeConfig({ shieldedInstanceConfig: undefined }) }),
    },
    { policy: "gcp-gke-network-policy", what: "legacy datapath without network policy", resources: () => unset(gcpBaseline(), gcp.container.Cluster, "gke", "datapathProvider") },
    {
        policy: "gcp-gke-node-auto-repair-upgrade",
        what: "auto-upgrade off",
        resources: () => edit(gcpBaseline(), gcp.container.NodePool, "nodes", { management: { autoRepair: true, autoUpgrade: false } }),
    },
    { policy: "gcp-gke-supported-version", what: "no release channel", resources: () => unset(gcpBaseline(), gcp.container.Cluster, "gke", "releaseChannel") },
    { policy: "gcp-gke-supported-version", what: "an old pinned version", resources: () => edit(gcpBaseline(), gcp.container.NodePool, "nodes", { version: "1.29.8-gke.1000" }) },
    { policy: "gcp-gke-cos-containerd", what: "Ubuntu nodes", resources: () => edit(gcpBaseline(), gcp.container.NodePool, "nodes", { nodeConfig: nodeConfig({ imageType: "UBUNTU_CONTAINERD" }) }) },
    { policy: "gcp-gke-no-legacy-abac", what: "legacy ABAC", resources: () => edit(gcpBaseline(), gcp.container.Cluster, "gke", { enableLegacyAbac: true }) },
    {
        policy: "gcp-gke-no-client-certificates",
        what: "client certificate issued",
        resources: () => edit(gcpBaseline(), gcp.container.Cluster, "gke", { masterAuth: { clientCertificateConfig: { issueClientCertificate: true } } }),
    },
    { policy: "gcp-gke-binary-authorization", what: "no Binary Authorization", resources: () => unset(gcpBaseline(), gcp.container.Cluster, "gke", "binaryAuthorization") },
    { policy: "gcp-gke-logging", what: "logging off", resources: () => edit(gcpBaseline(), gcp.container.Cluster, "gke", { loggingService: "none" }) },
    { policy: "gcp-gke-logging", what: "no API server logs", resources: () => edit(gcpBaseline(), gcp.container.Cluster, "gke", { loggingConfig: { enableComponents: ["WORKLOADS"] } }) },
    { policy: "gcp-gke-multi-zone", what: "a zonal cluster", resources: () => edit(gcpBaseline(), gcp.container.Cluster, "gke", { location: "us-central1-a" }) },
    { policy: "gcp-gke-node-autoscaling", what: "no autoscaling", resources: () => unset(gcpBaseline(), gcp.container.NodePool, "nodes", "autoscaling") },
    {
        policy: "gcp-gke-node-autoscaling",
        what: "a floor of 1 node in prod",
        resources: () => edit(gcpBaseline(), gcp.container.NodePool, "nodes", { autoscaling: { totalMinNodeCount: 1, totalMaxNodeCount: 4 } }),
    },
    { policy: "gcp-gke-deletion-protection", what: "deletionProtection false", resources: () => edit(gcpBaseline(), gcp.container.Cluster, "gke", { deletionProtection: false }) },
];

describeViolations("AWS compute policies flag what they must", awsCases);

describeViolations("GCP compute policies flag what they must", gcpCases);

describe("AWS compute policies accept the compliant variants", () => {
    it("a private-only EKS endpoint needs no CIDRs", async () => {
        const resources = edit(awsBaseline(), aws.eks.Cluster, "eks", { vpcConfig: { subnetIds: [], endpointPrivateAccess: true, endpointPublicAccess: false } });
        expect(summary(await evaluate(resources))).toEqual([]);
    });
});

describe("GCP compute policies accept the compliant variants", () => {
    it("a private-endpoint cluster needs no authorized networks", async () => {
        const resources = edit(unset(gcpBaseline(), gcp.container.Cluster, "gke", "masterAuthorizedNetworksConfig"), gcp.container.Cluster, "gke", {
            privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true },
        });
        expect(summary(await evaluate(resources))).toEqual([]);
    });

    it("authorized networks with no CIDR block admit no external address", async () => {
        const resources = edit(gcpBaseline(), gcp.container.Cluster, "gke", { masterAuthorizedNetworksConfig: { cidrBlocks: [] } });
        expect(summary(await evaluate(resources))).toEqual([]);
    });

    it("Calico network policy instead of Dataplane V2", async () => {
        const resources = edit(unset(gcpBaseline(), gcp.container.Cluster, "gke", "datapathProvider"), gcp.container.Cluster, "gke", { networkPolicy: { enabled: true, provider: "CALICO" } });
        expect(summary(await evaluate(resources))).toEqual([]);
    });
});
