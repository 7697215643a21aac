import { estimateCost, isPricedType, llmSpendCeiling, pricedTypes, type CostResource } from "../../stacks/cost";
import { hoursPerMonth, pricedAt, usageAssumptions } from "../../stacks/facts/prices";
import { awsFreeTypes, awsPrices, awsReferenceRegion } from "../../stacks/facts/prices-aws";
import { gcpFreeTypes, gcpPrices, gcpReferenceRegion } from "../../stacks/facts/prices-gcp";

/** The estimate over hand-built resources: each pricing rule, its basis, and the rules for what the book lacks. */

const urn = (type: string, name: string) => `urn:pulumi:prod::ai-platform::${type}::${name}`;
const custom = (type: string, name: string, inputs: Record<string, unknown>, extra: Partial<CostResource> = {}): CostResource => ({ urn: urn(type, name), type, name, custom: true, inputs, ...extra });
const item = (resources: CostResource[], name: string, options = {}) => {
    const found = estimateCost(resources, { environment: "prod", ...options }).items.find((i) => i.name === name);
    if (!found) throw new Error(`no item ${name}`);
    return found;
};
const h = hoursPerMonth;

describe("price book", () => {
    test.each([...Object.values(awsPrices), ...Object.values(gcpPrices)])("$region names its source and the date it was read", (table) => {
        expect(table.source).toMatch(/pric/i);
        expect(table.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(table.read <= pricedAt).toBe(true);
    });

    test("covers the regions the defaults and the README use, and the reference regions", () => {
        expect(Object.keys(awsPrices)).toEqual(expect.arrayContaining(["us-east-1", "us-west-2", awsReferenceRegion]));
        expect(Object.keys(gcpPrices)).toEqual(expect.arrayContaining(["us-central1", gcpReferenceRegion]));
    });

    test("no type is both priced and free", () => {
        for (const type of [...awsFreeTypes, ...gcpFreeTypes]) expect(pricedTypes).not.toContain(type);
        expect(isPricedType("aws:sagemaker/endpoint:Endpoint")).toBe(false);
        expect(isPricedType("kubernetes:apps/v1:Deployment")).toBe(true);
    });

    test("usage assumptions are stated for both environments, prod above staging", () => {
        for (const key of Object.keys(usageAssumptions.prod) as (keyof typeof usageAssumptions.prod)[]) {
            expect(usageAssumptions.prod[key]).toBeGreaterThanOrEqual(usageAssumptions.staging[key]);
        }
    });
});

describe("AWS rules", () => {
    const template = custom(
        "aws:ec2/launchTemplate:LaunchTemplate",
        "nodes-lt",
        { instanceType: "m5.xlarge", blockDeviceMappings: [{ ebs: { volumeSize: 100, volumeType: "gp3" } }] },
        { parent: urn("ai-platform:aws:Cluster", "c") },
    );
    const nodes = custom(
        "aws:eks/nodeGroup:NodeGroup",
        "nodes",
        { scalingConfig: { desiredSize: 3, minSize: 2, maxSize: 10 }, launchTemplate: { id: undefined } },
        { parent: urn("ai-platform:aws:Cluster", "c") },
    );
    const cluster: CostResource = { urn: urn("ai-platform:aws:Cluster", "c"), type: "ai-platform:aws:Cluster", name: "c", custom: false, inputs: {} };

    test("a node group is priced at its desired size with the autoscaling band, from its launch template", () => {
        const i = item([cluster, template, nodes], "nodes", { region: "us-east-1" });
        const perNode = 0.192 * h + 100 * 0.08;
        expect(i.basis).toBe(`3 × m5.xlarge × ${h} h × $0.192/h + 3 × 100 GB gp3 × $0.08/GB-mo; autoscaling 2–10 nodes`);
        expect(i.monthly).toBeCloseTo(3 * perNode, 2);
        expect(i.band).toEqual({ low: Math.round(2 * perNode * 100) / 100, high: Math.round(10 * perNode * 100) / 100 });
        expect(i.component).toBe("c");
    });

    test("Multi-AZ doubles an RDS instance and its storage; backups beyond the allocated storage are billed", () => {
        const db = (multiAz: boolean) => custom("aws:rds/instance:Instance", "db", { instanceClass: "db.t3.large", allocatedStorage: 100, multiAz, backupRetentionPeriod: 1 });
        const single = item([db(false)], "db", { region: "us-east-1" });
        const multi = item([db(true)], "db", { region: "us-east-1" });
        expect(single.monthly).toBeCloseTo(0.145 * h + 100 * 0.115, 2);
        expect(multi.monthly).toBeCloseTo(2 * single.monthly, 1);
        expect(multi.basis).toMatch(/^1 × db\.t3\.large Multi-AZ × 2 × 730 h × \$0\.145\/h \+ 100 GB gp3 × 2/);
        const longRetention = item([custom("aws:rds/instance:Instance", "db", { instanceClass: "db.t3.large", allocatedStorage: 100, backupRetentionPeriod: 30 })], "db", { region: "us-east-1" });
        expect(longRetention.monthly).toBeGreaterThan(single.monthly);
    });

    test("ElastiCache counts its nodes; Valkey costs 80 % of Redis OSS", () => {
        const redis = item([custom("aws:elasticache/replicationGroup:ReplicationGroup", "r", { nodeType: "cache.r6g.large", numCacheClusters: 3, engine: "redis" })], "r", { region: "us-east-1" });
        const valkey = item([custom("aws:elasticache/replicationGroup:ReplicationGroup", "r", { nodeType: "cache.r6g.large", numCacheClusters: 3, engine: "valkey" })], "r", { region: "us-east-1" });
        expect(redis.basis).toBe(`3 × cache.r6g.large × ${h} h × $0.206/h`);
        expect(valkey.monthly).toBeCloseTo(redis.monthly * 0.8, 1);
    });

    test("NAT gateways share the assumed traffic; an NLB comes from a LoadBalancer Service in a Helm release", () => {
        const nats = [0, 1].map((i) => custom("aws:ec2/natGateway:NatGateway", `nat-${i}`, {}));
        const release = custom("kubernetes:helm.sh/v3:Release", "ingress", { values: { controller: { service: { type: "LoadBalancer" } } } });
        const estimate = estimateCost([...nats, release], { region: "us-east-1", environment: "staging" });
        expect(estimate.items.find((i) => i.name === "nat-0")?.basis).toMatch(/10 GB processed × \$0\.045\/GB \(assumed 20 GB\/month over 2 gateways\)/);
        expect(estimate.items.find((i) => i.name === "ingress")?.basis).toMatch(/^1 NLB × 730 h × \$0\.0225\/h/);
    });

    test("a gateway VPC endpoint is free, an interface one is priced per AZ", () => {
        const estimate = estimateCost(
            [
                custom("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcEndpointType: "Gateway" }),
                custom("aws:ec2/vpcEndpoint:VpcEndpoint", "sts", { vpcEndpointType: "Interface", subnetIds: ["a", "b"] }),
            ],
            { region: "us-east-1" },
        );
        expect(estimate.items.map((i) => i.name)).toEqual(["sts"]);
        expect(estimate.items[0].monthly).toBeCloseTo(2 * 0.01 * h, 2);
    });

    test("an explicit provider's region wins over the stack's; a region without a table is priced at the reference region with a warning", () => {
        const key = custom("aws:kms/key:Key", "k", {}, { providerRegion: "eu-west-1" });
        expect(estimateCost([key], { region: "us-east-1" }).warnings).toEqual([]);
        const far = estimateCost([custom("aws:eks/cluster:Cluster", "eks", {})], { region: "ap-south-1" });
        expect(far.warnings).toEqual([`no AWS price table for region ap-south-1: priced at ${awsReferenceRegion} prices`]);
        expect(far.items[0].basis).toMatch(/\(us-east-1 prices\)$/);
    });

    test("an instance type the book lacks is a warning and $0, never a guess", () => {
        const estimate = estimateCost([custom("aws:rds/instance:Instance", "db", { instanceClass: "db.x2g.16xlarge" })], { region: "us-east-1" });
        expect(estimate.items).toEqual([]);
        expect(estimate.warnings[0]).toMatch(/no RDS for PostgreSQL price for db\.x2g\.16xlarge in us-east-1/);
    });

    test("components, reads and free types cost nothing; unknown types are reported", () => {
        const estimate = estimateCost(
            [cluster, custom("aws:iam/role:Role", "role", {}), custom("aws:kms/key:Key", "read-key", {}, { read: true }), custom("aws:sagemaker/endpoint:Endpoint", "ep", {})],
            { region: "us-east-1" },
        );
        expect(estimate.items).toEqual([]);
        expect(estimate.unpricedTypes).toEqual(["aws:sagemaker/endpoint:Endpoint"]);
    });
});

describe("GCP rules", () => {
    test("a regional node pool runs its per-zone count in three zones; custom E2 shapes cost their vCPUs and memory", () => {
        const pool = custom("gcp:container/nodePool:NodePool", "pool", {
            location: "us-central1",
            initialNodeCount: 1,
            autoscaling: { totalMinNodeCount: 1, totalMaxNodeCount: 4 },
            nodeConfig: { machineType: "e2-custom-2-6144", diskSizeGb: 30, diskType: "pd-balanced" },
        });
        const i = item([pool], "pool");
        const rate = 2 * 0.021811 + 6 * 0.002923;
        expect(i.basis).toBe(`3 × e2-custom-2-6144 (2 vCPU, 6 GB) × ${h} h × $${Number(rate.toPrecision(6))}/h + 3 × 30 GB pd-balanced × $0.1/GB-mo; 1 per zone × 3 zones, autoscaling 1–4 nodes`);
        expect(i.monthly).toBeCloseTo(3 * (rate * h + 30 * 0.1), 2);
        const zonal = item([{ ...pool, inputs: { ...pool.inputs, location: "us-central1-a" } }], "pool");
        expect(zonal.monthly).toBeCloseTo(i.monthly / 3, 1);
    });

    test("Cloud SQL is priced by vCPU and memory, doubled when REGIONAL", () => {
        const sql = (availabilityType: string) =>
            custom("gcp:sql/databaseInstance:DatabaseInstance", "db", {
                region: "us-central1",
                settings: { tier: "db-custom-4-16384", availabilityType, diskSize: 100, diskType: "PD_SSD", backupConfiguration: { backupRetentionSettings: { retainedBackups: 1 } } },
            });
        const zonal = item([sql("ZONAL")], "db");
        const regional = item([sql("REGIONAL")], "db");
        expect(zonal.basis).toMatch(/^1 × db-custom-4-16384 \(4 vCPU × \$0\.0413\/h \+ 16 GB × \$0\.007\/h\) × 730 h \+ 100 GB SSD × \$0\.17\/GB-mo, zonal/);
        const backups = 100 * 0.08;
        expect(regional.monthly - backups).toBeCloseTo(2 * (zonal.monthly - backups), 1);
    });

    test("Memorystore: Basic by capacity tier, Standard per node", () => {
        expect(item([custom("gcp:redis/instance:Instance", "r", { region: "us-central1", tier: "BASIC", memorySizeGb: 1 })], "r").monthly).toBeCloseTo(0.049 * h, 2);
        const ha = item([custom("gcp:redis/instance:Instance", "r", { region: "us-central1", tier: "STANDARD_HA", memorySizeGb: 5, replicaCount: 2 })], "r");
        expect(ha.basis).toBe(`5 GB × 3 nodes × $0.027/GB-h (half the Standard M2 rate) × ${h} h`);
    });

    test("a multi-region location is priced at the stack's region; logging is billed beyond the free allotment", () => {
        const estimate = estimateCost([custom("gcp:storage/bucket:Bucket", "b", { location: "US" }), custom("gcp:logging/projectBucketConfig:ProjectBucketConfig", "logs", { location: "global" })], {
            region: "europe-west1",
            environment: "prod",
        });
        expect(estimate.warnings).toEqual([]);
        expect(estimate.items.find((i) => i.name === "logs")?.basis).toMatch(/^100 GB ingested \(assumed\) − 50 GB free per project = 50 GB × \$0\.5\/GB/);
    });
});

test("items sum to the total, largest first, and components group them", () => {
    const resources = [
        { urn: urn("ai-platform:aws:Network", "net"), type: "ai-platform:aws:Network", name: "net", custom: false, inputs: {} },
        custom("aws:ec2/natGateway:NatGateway", "nat", {}, { parent: urn("ai-platform:aws:Network", "net") }),
        custom("aws:ec2/eip:Eip", "ip", {}, { parent: urn("ai-platform:aws:Network", "net") }),
        custom("aws:eks/cluster:Cluster", "eks", {}),
        custom("aws:secretsmanager/secret:Secret", "s", {}),
    ];
    const estimate = estimateCost(resources, { region: "us-east-1", environment: "prod" });
    const sum = estimate.items.reduce((s, i) => s + Math.round(i.monthly * 100), 0) / 100;
    expect(estimate.monthly).toBe(sum);
    expect(estimate.items.map((i) => i.monthly)).toEqual([...estimate.items.map((i) => i.monthly)].sort((a, b) => b - a));
    expect(estimate.components.find((c) => c.component === "net")?.monthly).toBeCloseTo(
        estimate.items.filter((i) => i.component === "net").reduce((s, i) => s + i.monthly, 0),
        2,
    );
    expect(estimate).toMatchObject({ currency: "USD", pricedAt, cloud: "aws", region: "us-east-1", environment: "prod" });
});

test("a LoadBalancer Service is an NLB unless it is a chart's own, read back, which its release already counts", () => {
    const service = (labels: Record<string, string>) => custom("kubernetes:core/v1:Service", "svc", { metadata: { labels }, spec: { type: "LoadBalancer" } });
    expect(estimateCost([custom("aws:eks/cluster:Cluster", "eks", {}), service({})], { region: "us-east-1" }).items.map((i) => i.name)).toContain("svc");
    expect(estimateCost([custom("aws:eks/cluster:Cluster", "eks", {}), service({ "app.kubernetes.io/managed-by": "Helm" })], { region: "us-east-1" }).items.map((i) => i.name)).not.toContain("svc");
});

test("a Gateway is the load balancer Envoy Gateway provisions for it, unless its EnvoyProxy asks for another Service type", () => {
    const proxy = (type?: string) =>
        custom("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "proxy", {
            metadata: { name: "edge", namespace: "envoy-gateway-system" },
            spec: { provider: { kubernetes: { envoyService: type ? { type } : {} } } },
        });
    const gatewayClass = custom("kubernetes:gateway.networking.k8s.io/v1:GatewayClass", "class", {
        metadata: { name: "envoy" },
        spec: { parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: "edge", namespace: "envoy-gateway-system" } },
    });
    const gateway = custom("kubernetes:gateway.networking.k8s.io/v1:Gateway", "gw", { metadata: { name: "edge", namespace: "envoy-gateway-system" }, spec: { gatewayClassName: "envoy" } });
    const cluster = custom("aws:eks/cluster:Cluster", "eks", {});
    const names = (resources: CostResource[]) => estimateCost(resources, { region: "us-east-1" }).items.map((i) => i.name);
    expect(names([cluster, gatewayClass, proxy(), gateway])).toContain("gw");
    expect(item([cluster, gatewayClass, proxy("LoadBalancer"), gateway], "gw", { region: "us-east-1" }).basis).toMatch(/^1 NLB × 730 h/);
    expect(names([cluster, gatewayClass, proxy("ClusterIP"), gateway])).not.toContain("gw");
    // A Gateway's own infrastructure reference wins over its class's.
    const internal = custom("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "internal", {
        metadata: { name: "internal", namespace: "llm" },
        spec: { provider: { kubernetes: { envoyService: { type: "ClusterIP" } } } },
    });
    const own = custom("kubernetes:gateway.networking.k8s.io/v1:Gateway", "gw", {
        metadata: { name: "llm", namespace: "llm" },
        spec: { gatewayClassName: "envoy", infrastructure: { parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: "internal" } } },
    });
    expect(names([cluster, gatewayClass, proxy(), internal, own])).not.toContain("gw");
});

test("the LLM spend ceiling is every caller's hourly USD budget for a whole month, callers with the same budget counted together", () => {
    const ceiling = llmSpendCeiling([
        { caller: "ai-agents", usdPerHour: 100 },
        { caller: "team-a", usdPerHour: 10 },
        { caller: "team-b", usdPerHour: 10 },
        { caller: "team-c", usdPerHour: 0.015 },
    ]);
    expect(ceiling.monthly).toBe(Math.round(120.015 * h * 100) / 100);
    expect(ceiling.callers.map((c) => c.monthly)).toEqual([100 * h, 10 * h, 10 * h, 10.95]);
    expect(ceiling.basis).toBe(`($100/h + 2 × $10/h + $0.015/h) × ${h} h`);
    expect(llmSpendCeiling([]).monthly).toBe(0);
});
