import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { awsBaseline, gcpBaseline } from "./fixtures";
import { describeViolations, edit, res, unknownInput, unset, without, type ViolationCase } from "./helpers";

const awsCases: ViolationCase[] = [
    {
        policy: "aws-security-group-no-public-ingress",
        what: "SSH from anywhere (inline)",
        resources: () => edit(awsBaseline(), aws.ec2.SecurityGroup, "db", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] }),
    },
    {
        policy: "aws-security-group-no-public-ingress",
        what: "SSH from half the internet (0.0.0.0/1)",
        resources: () => edit(awsBaseline(), aws.ec2.SecurityGroup, "db", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }] }),
    },
    {
        policy: "aws-security-group-no-public-ingress",
        what: "all traffic from ::/0 (inline)",
        resources: () => edit(awsBaseline(), aws.ec2.SecurityGroup, "db", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }] }),
    },
    {
        policy: "aws-security-group-no-public-ingress",
        what: "Postgres from anywhere (vpc.SecurityGroupIngressRule)",
        resources: () => edit(awsBaseline(), aws.vpc.SecurityGroupIngressRule, "db-from-vpc", { cidrIpv4: "0.0.0.0/0" }),
    },
    {
        policy: "aws-security-group-no-public-ingress",
        what: "a 0-65535 range (ec2.SecurityGroupRule)",
        resources: () => [
            ...awsBaseline(),
            res(aws.ec2.SecurityGroupRule, "wide", { type: "ingress", securityGroupId: unknownInput, protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }),
        ],
    },
    { policy: "aws-vpc-flow-logs", what: "no flow log", resources: () => without(awsBaseline(), "vpc-flow-log") },
];

const gcpCases: ViolationCase[] = [
    {
        policy: "gcp-firewall-no-public-ingress",
        what: "SSH from anywhere",
        resources: () => edit(gcpBaseline(), gcp.compute.Firewall, "allow-https", { allows: [{ protocol: "tcp", ports: ["22"] }] }),
    },
    {
        policy: "gcp-firewall-no-public-ingress",
        what: "all protocols from anywhere",
        resources: () => edit(gcpBaseline(), gcp.compute.Firewall, "allow-health-checks", { sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "all" }] }),
    },
    { policy: "gcp-subnet-flow-logs", what: "no flow logs", resources: () => unset(gcpBaseline(), gcp.compute.Subnetwork, "nodes", "logConfig") },
];

describeViolations("AWS network policies flag what they must", awsCases);

describeViolations("GCP network policies flag what they must", gcpCases);
