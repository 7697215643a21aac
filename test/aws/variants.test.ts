import type { ProgramRun } from "../../tools/engine/harness";
import { recordedSoFar, runProgram } from "../../tools/engine/harness";

/**
 * Settings that change the AWS foundation's shape, all in one staging run so the suite stays fast:
 * a private-only API endpoint, a prebuilt image, two zones with a NAT each in a smaller range,
 * Graviton nodes, and cross-region backups to an explicitly named region.
 */
const prebuilt = `registry.example.com/agent@sha256:${"b".repeat(64)}`;
let run: ProgramRun;

beforeAll(async () => {
    run = await runProgram({
        stack: "staging",
        config: {
            "ai-platform:cluster.publicAccessCidrs": [],
            "ai-platform:cluster.machineType": "m7g.large",
            "ai-platform:image.ref": prebuilt,
            "ai-platform:network.cidr": "172.20.0.0/20",
            "ai-platform:network.availabilityZones": 2,
            "ai-platform:network.natGatewayPerZone": true,
            "ai-platform:backup.crossRegion": true,
            "ai-platform:backup.region": "us-east-2",
        },
    });
}, 60_000);

describe("AWS foundation variants (staging)", () => {
    test("no publicAccessCidrs: the API endpoint is private only", () => {
        const vpcConfig = run.one("aws:eks/cluster:Cluster").inputs.vpcConfig;
        expect(vpcConfig.endpointPrivateAccess).toBe(true);
        expect(vpcConfig.endpointPublicAccess).toBe(false);
        expect(vpcConfig.publicAccessCidrs).toBeUndefined();
    });

    test("image.ref set: nothing is built, the workloads get the prebuilt digest", () => {
        expect(run.ofType("docker:index/image:Image")).toEqual([]);
        expect(run.outputs.imageRef.value).toBe(prebuilt);
        expect(run.one("aws:ecr/repository:Repository")).toBeDefined();
    });

    test("two zones with a NAT gateway each, carved from a /20", () => {
        const subnets = run.ofType("aws:ec2/subnet:Subnet");
        expect(subnets.filter((s) => s.inputs.tags.tier === "private").map((s) => s.inputs.cidrBlock)).toEqual(["172.20.0.0/22", "172.20.4.0/22"]);
        expect(subnets.filter((s) => s.inputs.tags.tier === "public").map((s) => s.inputs.cidrBlock)).toEqual(["172.20.12.0/25", "172.20.12.128/25"]);
        expect(run.ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(2);
        expect(run.one("aws:eks/nodeGroup:NodeGroup").inputs.subnetIds).toHaveLength(2);
    });

    test("Graviton instance types get the arm64 AMI", () => {
        expect(run.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.instanceType).toBe("m7g.large");
        expect(run.one("aws:eks/nodeGroup:NodeGroup").inputs.amiType).toBe("AL2023_ARM_64_STANDARD");
    });

    test("cross-region backups go to the configured region, unprotected outside prod", () => {
        const provider = run.one("pulumi:providers:aws");
        expect(provider.inputs.region).toBe("us-east-2");
        const replication = run.one("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication");
        expect(replication.options.provider).toContain(provider.urn);
        expect(replication.inputs.retentionPeriod).toBe(7);
        expect(run.one("aws:kms/key:Key", /dr-key$/).options.protect).toBe(false);
    });
});

describe("AWS-specific bad input is refused before anything is created", () => {
    const refused = async (stack: string, config: Record<string, unknown>) => {
        const error = await runProgram({ stack, config }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(error).toBeInstanceOf(Error);
        expect(recordedSoFar().filter((r) => r.custom)).toEqual([]);
        return error!.message;
    };

    test("cross-region backups from a region without a default pairing and no backup.region", async () => {
        const message = await refused("prod", { "aws:region": "af-south-1" });
        expect(message).toContain("ai-platform:backup.region");
        expect(message).toContain("af-south-1");
    });

    test("a recovery region equal to the primary region", async () => {
        expect(await refused("staging", { "ai-platform:backup.crossRegion": true, "ai-platform:backup.region": "us-west-2" })).toMatch(/ai-platform:backup\.region = "us-west-2": must differ/);
    });

    test("a recovery region that is not a region name", async () => {
        expect(await refused("staging", { "ai-platform:backup.crossRegion": true, "ai-platform:backup.region": "Frankfurt" })).toMatch(/ai-platform:backup\.region = "Frankfurt"/);
    });

    test("Redis failover with a single node", async () => {
        expect(await refused("staging", { "ai-platform:cache.highAvailability": true, "ai-platform:cache.nodes": 1 })).toMatch(/ai-platform:cache\.nodes = 1/);
    });

    test("a VPC range too small for the subnets", async () => {
        expect(await refused("staging", { "ai-platform:network.cidr": "10.0.0.0/24" })).toMatch(/ai-platform:network\.cidr = "10\.0\.0\.0\/24"/);
    });
});
