import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { namePrefix, standardLabels } from "../shared/naming";
import type { Settings } from "../../stacks";
import { childOptions } from "../shared/options";

export interface NetworkArgs {
    /**
     * `network` (the node, pod, Service and private-services ranges), `region`, the name and label parts.
     * @default network: 10.0.0.0/16, pods 10.16.0.0/14, Services 10.20.0.0/20, private services 10.24.0.0/16 on both environments (stacks/defaults.ts)
     */
    settings: Pick<Settings, "network" | "region" | "project" | "environment" | "owner" | "costCenter" | "stack">;
}

/** Google's load-balancer health-check probes come from these ranges and must reach the nodes. */
export const healthCheckRanges = ["35.191.0.0/16", "130.211.0.0/22"];
/** Secondary ranges of the subnetwork, named for the cluster's IP allocation policy. */
export const secondaryRangeNames = { pods: "pods", services: "services" } as const;

/**
 * A custom-mode VPC with one regional subnetwork (nodes on the primary range, pods and Services on
 * secondary ranges), egress through Cloud NAT only, private services access for Cloud SQL and
 * Memorystore, and ingress firewall rules that deny everything not needed.
 */
export class Network extends pulumi.ComponentResource {
    public readonly network: gcp.compute.Network;
    public readonly subnetwork: gcp.compute.Subnetwork;
    public readonly router: gcp.compute.Router;
    public readonly nat: gcp.compute.RouterNat;
    /** The range reserved for Google-managed services (Cloud SQL, Memorystore) peered into the VPC. */
    public readonly privateServicesRange: gcp.compute.GlobalAddress;
    /** Data stores on private service access must be created after this connection. */
    public readonly privateServicesConnection: gcp.servicenetworking.Connection;
    public readonly firewalls: gcp.compute.Firewall[];
    /** Network tag the cluster's nodes carry; the health-check rule targets it. */
    public readonly nodeTag: string;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:gcp:Network", name, {}, opts);
        const { settings } = args;
        const prefix = namePrefix(settings);
        const net = settings.network;
        const child = (extra: pulumi.CustomResourceOptions = {}) => childOptions(this, opts, extra);
        this.nodeTag = `${prefix}-node`;

        this.network = new gcp.compute.Network(
            `${name}-vpc`,
            { name: prefix, autoCreateSubnetworks: false, routingMode: "REGIONAL", description: `ai-platform ${settings.environment} network` },
            child(),
        );

        this.subnetwork = new gcp.compute.Subnetwork(
            `${name}-subnet`,
            {
                name: `${prefix}-${settings.region}`,
                network: this.network.id,
                region: settings.region,
                ipCidrRange: net.cidr,
                secondaryIpRanges: [
                    { rangeName: secondaryRangeNames.pods, ipCidrRange: net.podsCidr },
                    { rangeName: secondaryRangeNames.services, ipCidrRange: net.servicesCidr },
                ],
                // Nodes have no external IPs; Google APIs (Artifact Registry, KMS, logging) are reached privately.
                privateIpGoogleAccess: true,
                logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
            },
            child(),
        );

        this.router = new gcp.compute.Router(`${name}-router`, { name: `${prefix}-router`, network: this.network.id, region: settings.region }, child());
        this.nat = new gcp.compute.RouterNat(
            `${name}-nat`,
            {
                name: `${prefix}-nat`,
                router: this.router.name,
                region: settings.region,
                natIpAllocateOption: "AUTO_ONLY",
                sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
                subnetworks: [{ name: this.subnetwork.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
                // Agents hold many long-lived connections to LLM APIs: let busy nodes take more NAT ports.
                enableDynamicPortAllocation: true,
                enableEndpointIndependentMapping: false,
                minPortsPerVm: 64,
                maxPortsPerVm: 4096,
                logConfig: { enable: true, filter: "ERRORS_ONLY" },
            },
            child(),
        );

        const [address, prefixLength] = net.privateServicesCidr.split("/");
        this.privateServicesRange = new gcp.compute.GlobalAddress(
            `${name}-private-services`,
            {
                name: `${prefix}-private-services`,
                purpose: "VPC_PEERING",
                addressType: "INTERNAL",
                address,
                prefixLength: Number(prefixLength),
                network: this.network.id,
                labels: standardLabels(settings),
            },
            child(),
        );
        this.privateServicesConnection = new gcp.servicenetworking.Connection(
            `${name}-private-services`,
            {
                network: this.network.id,
                service: "servicenetworking.googleapis.com",
                reservedPeeringRanges: [this.privateServicesRange.name],
                // Deleting the peering fails while Cloud SQL still holds it after its own deletion; let it go with the network.
                deletionPolicy: "ABANDON",
            },
            child(),
        );

        const rule = (suffix: string, rules: Omit<gcp.compute.FirewallArgs, "network" | "name">) =>
            new gcp.compute.Firewall(`${name}-${suffix}`, { name: `${prefix}-${suffix}`, network: this.network.id, direction: "INGRESS", ...rules }, child());
        this.firewalls = [
            // Explicit and logged, one step above GCP's implied deny, so nothing opens by accident.
            rule("deny-all-ingress", {
                description: "Deny every ingress not allowed by a higher-priority rule",
                priority: 65534,
                sourceRanges: ["0.0.0.0/0"],
                denies: [{ protocol: "all" }],
                logConfig: { metadata: "EXCLUDE_ALL_METADATA" },
            }),
            rule("allow-internal", {
                description: "Nodes and pods of this network talk to each other",
                priority: 1000,
                sourceRanges: [net.cidr, net.podsCidr],
                allows: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
            }),
            rule("allow-health-checks", {
                description: "Google load-balancer health checks reach the nodes (kube-proxy health port and NodePorts)",
                priority: 1000,
                sourceRanges: healthCheckRanges,
                targetTags: [this.nodeTag],
                allows: [{ protocol: "tcp", ports: ["10256", "30000-32767"] }],
            }),
        ];

        this.registerOutputs({ networkId: this.network.id, subnetworkId: this.subnetwork.id });
    }
}
