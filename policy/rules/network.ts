import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { validateResourceOfType } from "@pulumi/policy";
import { awsTypes as t } from "../lib/aws";
import { resourcePolicy, stackPolicy } from "../lib/define";
import { expandPortSpecs, isWorldCidr, onlyAllowedPorts, publicPortsSchema } from "../lib/network";
import { label, ofTypes, refersTo } from "../lib/stack";
import { UNKNOWN, isKnown, knownItems, read, show } from "../lib/values";

/**
 * Network: what the internet may reach and what the network records, on both clouds side by side
 * (AWS security groups and VPC flow logs; GCP firewalls and subnet flow logs). Input names of
 * @pulumi/aws 7.48 and @pulumi/gcp 9.37; every read goes through `read`, so a value unknown during
 * preview is never a violation.
 */

// ---------------------------------------------------------------- AWS: security groups, VPC flow logs

export const securityGroupNoPublicIngress = resourcePolicy({
    name: "aws-security-group-no-public-ingress",
    description: "No security group admits traffic from the whole internet, except the load balancer's HTTP(S) ports.",
    severity: "critical",
    category: "security",
    resources: "aws.ec2.SecurityGroup, aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupIngressRule",
    checks: "Ingress from 0.0.0.0/0 or ::/0 only to TCP ports in `allowedPublicPorts` (default 80, 443).",
    seed: "001 Network › Firewall rules configured; 000 Security › network policies (default deny)",
    remediation: "Restrict the source to the VPC CIDR, a security group or a prefix list; only the load balancer's listeners may face 0.0.0.0/0.",
    configSchema: { properties: { allowedPublicPorts: publicPortsSchema } },
    validateResource: [
        validateResourceOfType(aws.ec2.SecurityGroup, (sg, args, report) => {
            const { allowedPublicPorts } = args.getConfig<{ allowedPublicPorts: number[] }>();
            for (const rule of knownItems(() => sg.ingress).items) {
                const world = [...knownItems(() => rule.cidrBlocks).items, ...knownItems(() => rule.ipv6CidrBlocks).items].filter(isWorldCidr);
                if (
                    world.length > 0 &&
                    !onlyAllowedPorts(
                        read(() => rule.protocol),
                        read(() => rule.fromPort),
                        read(() => rule.toPort),
                        allowedPublicPorts,
                    )
                ) {
                    report(`Security group "${args.name}" admits ${world.join(", ")} on ${show(read(() => rule.protocol))} ports ${show(read(() => rule.fromPort))}-${show(read(() => rule.toPort))}.`);
                }
            }
        }),
        validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, args, report) => {
            if (read(() => rule.type) !== "ingress") return;
            const { allowedPublicPorts } = args.getConfig<{ allowedPublicPorts: number[] }>();
            const world = [...knownItems(() => rule.cidrBlocks).items, ...knownItems(() => rule.ipv6CidrBlocks).items].filter(isWorldCidr);
            if (
                world.length > 0 &&
                !onlyAllowedPorts(
                    read(() => rule.protocol),
                    read(() => rule.fromPort),
                    read(() => rule.toPort),
                    allowedPublicPorts,
                )
            ) {
                report(`Security group rule "${args.name}" admits ${world.join(", ")} on ports ${show(read(() => rule.fromPort))}-${show(read(() => rule.toPort))}.`);
            }
        }),
        validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, args, report) => {
            const { allowedPublicPorts } = args.getConfig<{ allowedPublicPorts: number[] }>();
            const world = [read(() => rule.cidrIpv4), read(() => rule.cidrIpv6)].filter(isWorldCidr) as string[];
            if (
                world.length > 0 &&
                !onlyAllowedPorts(
                    read(() => rule.ipProtocol),
                    read(() => rule.fromPort),
                    read(() => rule.toPort),
                    allowedPublicPorts,
                )
            ) {
                report(
                    `Security group ingress rule "${args.name}" admits ${world.join(", ")} on ${show(read(() => rule.ipProtocol))} ports ${show(read(() => rule.fromPort))}-${show(read(() => rule.toPort))}.`,
                );
            }
        }),
    ],
});

export const vpcFlowLogs = stackPolicy({
    name: "aws-vpc-flow-logs",
    description: "Every VPC records flow logs.",
    severity: "medium",
    category: "security",
    resources: "aws.ec2.Vpc + aws.ec2.FlowLog",
    checks: "Each VPC has a FlowLog whose `vpcId` refers to it.",
    seed: "001 Security › Compliance: audit logging enabled",
    remediation: 'Add an aws.ec2.FlowLog with vpcId set to the VPC, trafficType "ALL", to CloudWatch Logs with a retention (stack setting network.flowLogRetentionDays).',
    validateStack: (args, report) => {
        const flowLogs = ofTypes(args.resources, [t.flowLog]);
        for (const vpc of ofTypes(args.resources, [t.vpc])) {
            if (!flowLogs.some((f) => refersTo(f, vpc, "vpcId", ["id"]))) report(`${label(vpc)} has no flow log.`, vpc.urn);
        }
    },
});

// ---------------------------------------------------------------- GCP: firewalls, subnet flow logs

export const firewallNoPublicIngress = resourcePolicy({
    name: "gcp-firewall-no-public-ingress",
    description: "No firewall rule admits traffic from the whole internet, except the load balancer's HTTP(S) ports.",
    severity: "critical",
    category: "security",
    resources: "gcp.compute.Firewall",
    checks: "An enabled INGRESS allow rule with source 0.0.0.0/0 or ::/0 opens only TCP ports in `allowedPublicPorts` (default 80, 443).",
    seed: "001 Network › Firewall rules configured",
    remediation: "Restrict sourceRanges to the VPC, Google's health-check ranges (35.191.0.0/16, 130.211.0.0/22) or operator CIDRs; only the load balancer's listeners may face 0.0.0.0/0.",
    configSchema: { properties: { allowedPublicPorts: publicPortsSchema } },
    validateResource: validateResourceOfType(gcp.compute.Firewall, (fw, args, report) => {
        const { allowedPublicPorts } = args.getConfig<{ allowedPublicPorts: number[] }>();
        const direction = read(() => fw.direction);
        if ((isKnown(direction) && direction !== undefined && direction !== "INGRESS") || read(() => fw.disabled) === true) return;
        const open = knownItems(() => fw.sourceRanges).items.filter(isWorldCidr);
        if (open.length === 0) return;
        for (const allow of knownItems(() => fw.allows).items) {
            const rawProtocol = read(() => allow.protocol);
            const portSpecs = knownItems(() => allow.ports);
            if (rawProtocol === UNKNOWN || portSpecs.unknown) continue;
            const protocol = String(rawProtocol).toLowerCase();
            const ports = expandPortSpecs(portSpecs.items);
            const ok = (protocol === "tcp" || protocol === "6") && ports !== undefined && ports.every((p) => allowedPublicPorts.includes(p));
            if (!ok) report(`Firewall "${args.name}" admits ${open.join(", ")} on ${protocol} ${ports ? ports.join(",") : "all ports"}.`);
        }
    }),
});

export const subnetFlowLogs = resourcePolicy({
    name: "gcp-subnet-flow-logs",
    description: "VPC subnetworks record flow logs.",
    severity: "medium",
    category: "security",
    resources: "gcp.compute.Subnetwork",
    checks: "`logConfig` is set on subnetworks for VMs (purpose PRIVATE or unset).",
    seed: "001 Security › Compliance: audit logging enabled",
    remediation: 'Set logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" }.',
    validateResource: validateResourceOfType(gcp.compute.Subnetwork, (subnet, args, report) => {
        const purpose = read(() => subnet.purpose);
        if (purpose === UNKNOWN || (typeof purpose === "string" && purpose !== "PRIVATE")) return;
        if (read(() => subnet.logConfig) === undefined) report(`Subnetwork "${args.name}" records no flow logs.`);
    }),
});
