import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { standardTags } from "../shared/naming";
import { policyDocument, serviceTrustPolicy } from "./iam";

export interface NetworkArgs {
    /**
     * `network` (range, zones, NAT per zone, flow-log retention), `region` (the S3 endpoint's service
     * name) and the tag parts.
     * @default network: staging 3 zones sharing one NAT, flow logs 14 days; prod a NAT per zone, flow logs 90 days; both 10.0.0.0/16 (stacks/defaults.ts)
     */
    settings: Pick<Settings, "network" | "region" | "project" | "environment" | "owner" | "costCenter" | "stack">;
    /** EKS cluster name, for the `kubernetes.io/cluster/<name>` subnet tags load balancers look for. */
    clusterName: string;
    /** KMS key of the flow-log group. */
    logsKeyArn: pulumi.Input<string>;
}

/**
 * Subnet ranges for `zones` zones carved from the VPC range: each private subnet gets a quarter of it
 * (the VPC CNI gives every pod a VPC address, so private subnets need room), and the public subnets,
 * which hold only NAT gateways and load balancers, share the last quarter in eighths of it. The
 * settings have checked the range is /16 to /20 and the zones 2 or 3.
 */
export function subnetCidrs(vpcCidr: string, zones: number): { private: string[]; public: string[] } {
    const [address, bits] = vpcCidr.split("/");
    const prefix = Number(bits);
    const toInt = (ip: string) => ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const toIp = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
    const size = (p: number) => 2 ** (32 - p);
    const base = toInt(address) - (toInt(address) % size(prefix));
    const range = Array.from({ length: zones }, (_, i) => i);
    return {
        private: range.map((i) => `${toIp(base + i * size(prefix + 2))}/${prefix + 2}`),
        public: range.map((i) => `${toIp(base + 3 * size(prefix + 2) + i * size(prefix + 5))}/${prefix + 5}`),
    };
}

/**
 * The VPC of one environment: public and private subnets in 2–3 zones, an internet gateway, NAT (one
 * per zone with `network.natGatewayPerZone`, on in prod; one shared otherwise), route tables, an S3 gateway endpoint (dumps and image
 * layers skip the NAT), KMS-encrypted VPC flow logs, a default security group that allows nothing,
 * and the security group the nodes carry, which the data stores admit.
 */
export class Network extends pulumi.ComponentResource {
    public readonly vpc: aws.ec2.Vpc;
    public readonly vpcId: pulumi.Output<string>;
    public readonly cidr: string;
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    public readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Security group attached to every node (through the launch template); data stores admit it by ID. */
    public readonly nodeSecurityGroup: aws.ec2.SecurityGroup;
    public readonly flowLogGroup: aws.cloudwatch.LogGroup;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:aws:Network", name, {}, opts);
        const { settings, clusterName } = args;
        const net = settings.network;
        const tags = (extra: Record<string, string> = {}) => standardTags(settings, extra);
        const cidrs = subnetCidrs(net.cidr, net.availabilityZones);
        this.cidr = net.cidr;

        // Only zones that need no opt-in: Local and Wavelength Zones lack NAT gateways and EKS support.
        const zones = aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, { parent: this }).apply((z) => {
            if (z.names.length < net.availabilityZones) {
                throw new Error(`ai-platform:network.availabilityZones = ${net.availabilityZones}: region ${settings.region} offers only ${z.names.length} zones (${z.names.join(", ")})`);
            }
            return z.names.slice(0, net.availabilityZones);
        });

        this.vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: net.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tags({ Name: `${name}-vpc` }) }, { parent: this });
        this.vpcId = this.vpc.id;

        // With no rules the default group denies everything; nothing is meant to use it.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: this.vpc.id, tags: tags({ Name: `${name}-default-deny-all` }) }, { parent: this });

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: this.vpc.id, tags: tags({ Name: `${name}-igw` }) }, { parent: this });

        const clusterTag = { [`kubernetes.io/cluster/${clusterName}`]: "shared" };
        const publicSubnets = cidrs.public.map(
            (cidrBlock, i) =>
                new aws.ec2.Subnet(
                    `${name}-public-${i}`,
                    {
                        vpcId: this.vpc.id,
                        cidrBlock,
                        availabilityZone: zones.apply((z) => z[i]),
                        mapPublicIpOnLaunch: false,
                        tags: tags({ Name: `${name}-public-${i}`, tier: "public", "kubernetes.io/role/elb": "1", ...clusterTag }),
                    },
                    { parent: this },
                ),
        );
        const privateSubnets = cidrs.private.map(
            (cidrBlock, i) =>
                new aws.ec2.Subnet(
                    `${name}-private-${i}`,
                    {
                        vpcId: this.vpc.id,
                        cidrBlock,
                        availabilityZone: zones.apply((z) => z[i]),
                        tags: tags({ Name: `${name}-private-${i}`, tier: "private", "kubernetes.io/role/internal-elb": "1", ...clusterTag }),
                    },
                    { parent: this },
                ),
        );
        this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
        this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));

        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public-rt`,
            { vpcId: this.vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: tags({ Name: `${name}-public` }) },
            { parent: this },
        );
        publicSubnets.forEach((subnet, i) => new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, { parent: this }));

        const natCount = net.natGatewayPerZone ? net.availabilityZones : 1;
        const natGateways = Array.from({ length: natCount }, (_, i) => {
            // AWS requires the VPC's internet gateway attached before a public EIP or NAT gateway (EC2 API
            // docs); nothing the EIP or NAT gateway takes as input names the gateway.
            const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: tags({ Name: `${name}-nat-${i}` }) }, { parent: this, dependsOn: [igw] });
            return new aws.ec2.NatGateway(
                `${name}-nat-${i}`,
                { allocationId: eip.id, subnetId: publicSubnets[i].id, connectivityType: "public", tags: tags({ Name: `${name}-nat-${i}` }) },
                { parent: this, dependsOn: [igw] },
            );
        });

        const privateRouteTables = privateSubnets.map((subnet, i) => {
            const nat = natGateways[net.natGatewayPerZone ? i : 0];
            const table = new aws.ec2.RouteTable(
                `${name}-private-rt-${i}`,
                { vpcId: this.vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags: tags({ Name: `${name}-private-${i}` }) },
                { parent: this },
            );
            new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: table.id }, { parent: this });
            return table;
        });

        new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: this.vpc.id,
                serviceName: `com.amazonaws.${settings.region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: privateRouteTables.map((t) => t.id),
                tags: tags({ Name: `${name}-s3` }),
            },
            { parent: this },
        );

        this.nodeSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-nodes`,
            {
                vpcId: this.vpc.id,
                description: "EKS worker nodes of ai-platform; the database and cache admit this group",
                egress: [{ description: "Nodes reach the data stores, AWS APIs and LLM providers", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
                // No kubernetes.io/cluster tag: the service controller must keep opening NodePorts on the
                // EKS cluster security group only.
                tags: tags({ Name: `${name}-nodes` }),
            },
            { parent: this },
        );

        this.flowLogGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { name: `/aws/vpc/${clusterName}/flow-logs`, retentionInDays: net.flowLogRetentionDays, kmsKeyId: args.logsKeyArn, tags: tags() },
            { parent: this },
        );
        const flowLogRole = new aws.iam.Role(
            `${name}-flow-logs`,
            { assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com"), description: "VPC flow logs deliver to their CloudWatch log group", tags: tags() },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: flowLogRole.id,
                policy: policyDocument([
                    {
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
                        Resource: [this.flowLogGroup.arn, pulumi.interpolate`${this.flowLogGroup.arn}:*`],
                    },
                ]),
            },
            { parent: this },
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: this.vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: this.flowLogGroup.arn,
                iamRoleArn: flowLogRole.arn,
                maxAggregationInterval: 60,
                tags: tags({ Name: `${name}-flow-log` }),
            },
            { parent: this },
        );

        this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds, nodeSecurityGroupId: this.nodeSecurityGroup.id });
    }
}
