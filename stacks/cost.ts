import { currency, hoursPerMonth, neutralFreeTypePrefixes, pricedAt, usageAssumptions, type PricedEnvironment, type UsageAssumptions } from "./facts/prices";
import { awsFreeTypes, awsPrices, awsReferenceRegion, type AwsPriceTable } from "./facts/prices-aws";
import { gcpFreeTypes, gcpPrices, gcpReferenceRegion, type GcpPriceTable } from "./facts/prices-gcp";

/**
 * The monthly cost of a stack, estimated from the resources the program declares (their inputs, as a
 * preview sees them) and the price book in `stacks/facts/`. The offline plan and the policy pack's
 * budget policy both call `estimateCost`, so the figure the plan prints is the one the budget is held to.
 * It only reads data: no SDK, no engine.
 */

/** A declared resource as the estimate reads it: plain inputs, an unknown value as `undefined`. */
export interface CostResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    /** False for components; they cost nothing themselves and group the items of their children. */
    custom: boolean;
    /** Read with `.get()`: exists already, not created or billed by this stack. */
    read?: boolean;
    inputs: Record<string, unknown>;
    /** The region of the resource's provider, when known (an explicit provider, or the engine's default one). */
    providerRegion?: string;
}

export interface CostBand {
    low: number;
    high: number;
}

export interface CostItem {
    urn: string;
    type: string;
    name: string;
    /** USD per month, rounded to cents. */
    monthly: number;
    /** How the figure was computed, e.g. `3 × m5.xlarge × 730 h × $0.192/h`. */
    basis: string;
    /** The component that declared it (its nearest component ancestor). */
    component?: string;
    /** For autoscaled capacity: the monthly cost at the lower and upper bound. */
    band?: CostBand;
}

export interface CostEstimate {
    currency: typeof currency;
    /** The sum of the items' `monthly`. */
    monthly: number;
    /** When the price book was read. */
    pricedAt: string;
    cloud?: "aws" | "gcp";
    region?: string;
    environment: PricedEnvironment;
    /** Items that cost something, largest first (ties by URN). */
    items: CostItem[];
    /** The same figures by declaring component, largest first. */
    components: { component: string; monthly: number }[];
    /** The total with every autoscaled item at its lower and at its upper bound. */
    band: CostBand;
    /** Prices the book does not have (an unknown machine type, a region without a table). */
    warnings: string[];
    /** Custom resource types the price book neither prices nor lists as free. */
    unpricedTypes: string[];
}

export interface EstimateOptions {
    /** The stack's region; resources that do not name one are priced there. */
    region?: string;
    /** Which usage assumptions apply; by default the `environment` tag/label of the resources, else prod. */
    environment?: string;
}

interface Priced {
    monthly: number;
    basis: string;
    band?: CostBand;
}

interface Context {
    resources: CostResource[];
    byUrn: Map<string, CostResource>;
    usage: UsageAssumptions;
    stackRegion?: string;
    warn(message: string): void;
}

type Pricer = (r: CostResource, ctx: Context) => Priced | undefined;

const h = hoursPerMonth;

/** `$0.192`, `$0.0014`: a rate as the price book has it, without float noise. */
function usd(n: number): string {
    return `$${Number(n.toPrecision(6))}`;
}

function num(n: number): string {
    return String(Number(n.toFixed(2)));
}

function get(value: unknown, ...path: string[]): unknown {
    return path.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), value);
}

function asNumber(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isFinite(value)) return value;
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
    return undefined;
}

function asString(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}

/** A Kubernetes quantity ("50Gi", "512Mi") in GB-months as the clouds bill block storage. */
function storageGb(quantity: unknown): number {
    const match = typeof quantity === "string" ? /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(quantity) : undefined;
    if (!match) return 0;
    const scale: Record<string, number> = { Ki: 1 / 1024 ** 2, Mi: 1 / 1024, Gi: 1, Ti: 1024, K: 1e-6, M: 1e-3, G: 1, T: 1000 };
    return Number(match[1]) * (match[2] ? scale[match[2]] : 1e-9);
}

function cloudOf(type: string): "aws" | "gcp" | undefined {
    return type.startsWith("aws:") ? "aws" : type.startsWith("gcp:") ? "gcp" : undefined;
}

/** A GCP zone (`us-central1-a`) is priced as its region. */
function regionOfLocation(location: string): string {
    return /-[a-z]$/.test(location) ? location.slice(0, -2) : location;
}

/** A region (`us-central1`), not a multi-region (`US`, `EU`), which is priced as the stack's region. */
function ownRegion(r: CostResource): string | undefined {
    const own = (asString(r.inputs.region) ?? (cloudOf(r.type) === "gcp" ? asString(r.inputs.location) : undefined))?.toLowerCase();
    return own && /\d/.test(own) ? regionOfLocation(own) : undefined;
}

function regionOf(r: CostResource, ctx: Context): string | undefined {
    return ownRegion(r) ?? r.providerRegion ?? ctx.stackRegion;
}

/** Retained daily backups, incremental after the first full one, in GB. */
function backupGb(storageGb: number, retainedDays: number, usage: UsageAssumptions): number {
    return storageGb * (1 + Math.max(0, retainedDays - 1) * usage.databaseDailyChange);
}

function awsTable(r: CostResource, ctx: Context): { table: AwsPriceTable; note: string } {
    const region = regionOf(r, ctx) ?? awsReferenceRegion;
    const table = awsPrices[region];
    if (table) return { table, note: "" };
    ctx.warn(`no AWS price table for region ${region}: priced at ${awsReferenceRegion} prices`);
    return { table: awsPrices[awsReferenceRegion], note: ` (${awsReferenceRegion} prices)` };
}

function gcpTable(r: CostResource, ctx: Context): { table: GcpPriceTable; note: string } {
    const region = regionOf(r, ctx) ?? gcpReferenceRegion;
    const table = gcpPrices[region];
    if (table) return { table, note: "" };
    ctx.warn(`no GCP price table for region ${region}: priced at ${gcpReferenceRegion} prices`);
    return { table: gcpPrices[gcpReferenceRegion], note: ` (${gcpReferenceRegion} prices)` };
}

function ofType(ctx: Context, type: string): CostResource[] {
    return ctx.resources.filter((r) => r.type === type && !r.read);
}

function unpriced(ctx: Context, r: CostResource, what: string): Priced {
    ctx.warn(`${r.type} "${r.name}": ${what}; counted as $0`);
    return { monthly: 0, basis: `not priced: ${what}` };
}

// ---------- AWS ----------

/** The launch template a node group uses: by ID when it is known, else the one its component declares. */
function launchTemplateOf(nodeGroup: CostResource, ctx: Context): CostResource | undefined {
    const templates = ofType(ctx, "aws:ec2/launchTemplate:LaunchTemplate");
    const id = asString(get(nodeGroup.inputs, "launchTemplate", "id"));
    const siblings = templates.filter((t) => t.parent === nodeGroup.parent);
    return (id ? templates.find((t) => t.inputs.id === id) : undefined) ?? (siblings.length === 1 ? siblings[0] : undefined);
}

const awsNodeGroup: Pricer = (r, ctx) => {
    const { table, note } = awsTable(r, ctx);
    const template = launchTemplateOf(r, ctx);
    const instanceTypes = r.inputs.instanceTypes;
    const instanceType = (Array.isArray(instanceTypes) ? asString(instanceTypes[0]) : undefined) ?? asString(template?.inputs.instanceType) ?? "t3.medium";
    const rate = table.ec2Hourly[instanceType];
    if (rate === undefined) return unpriced(ctx, r, `no on-demand price for ${instanceType} in ${table.region}`);
    const mapping = Array.isArray(template?.inputs.blockDeviceMappings) ? template?.inputs.blockDeviceMappings[0] : undefined;
    const diskGb = asNumber(get(mapping, "ebs", "volumeSize")) ?? asNumber(r.inputs.diskSize) ?? 20;
    const desired = asNumber(get(r.inputs, "scalingConfig", "desiredSize")) ?? 1;
    const min = asNumber(get(r.inputs, "scalingConfig", "minSize")) ?? desired;
    const max = asNumber(get(r.inputs, "scalingConfig", "maxSize")) ?? desired;
    const perNode = rate * h + diskGb * table.ebsGp3GbMonth;
    return {
        monthly: desired * perNode,
        basis: `${desired} × ${instanceType} × ${h} h × ${usd(rate)}/h + ${desired} × ${diskGb} GB gp3 × ${usd(table.ebsGp3GbMonth)}/GB-mo${note}; autoscaling ${min}–${max} nodes`,
        band: { low: min * perNode, high: max * perNode },
    };
};

const awsNatGateway: Pricer = (r, ctx) => {
    const { table, note } = awsTable(r, ctx);
    const gateways = ofType(ctx, r.type).length;
    const gb = ctx.usage.natProcessedGb / gateways;
    return {
        monthly: table.natGatewayHourly * h + gb * table.natGatewayPerGb,
        basis: `1 NAT gateway × ${h} h × ${usd(table.natGatewayHourly)}/h + ${num(gb)} GB processed × ${usd(table.natGatewayPerGb)}/GB (assumed ${ctx.usage.natProcessedGb} GB/month over ${gateways} gateway${gateways === 1 ? "" : "s"})${note}`,
    };
};

const awsRdsInstance: Pricer = (r, ctx) => {
    const { table, note } = awsTable(r, ctx);
    const instanceClass = asString(r.inputs.instanceClass) ?? "";
    const rate = table.rdsPostgresHourly[instanceClass];
    if (rate === undefined) return unpriced(ctx, r, `no RDS for PostgreSQL price for ${instanceClass || "(unknown class)"} in ${table.region}`);
    const multiAz = r.inputs.multiAz === true;
    const factor = multiAz ? table.rdsMultiAzFactor : 1;
    const storage = asNumber(r.inputs.allocatedStorage) ?? 20;
    const az = multiAz ? `Multi-AZ × ${factor}` : "single-AZ";
    const retention = asNumber(r.inputs.backupRetentionPeriod) ?? 1;
    // RDS stores backups up to the allocated storage for free.
    const billedBackups = Math.max(0, backupGb(storage, retention, ctx.usage) - storage);
    return {
        monthly: factor * (rate * h + storage * table.rdsGp3GbMonth) + billedBackups * table.rdsBackupGbMonth,
        basis:
            `1 × ${instanceClass} ${az} × ${h} h × ${usd(rate)}/h + ${storage} GB gp3 ${multiAz ? `× ${factor} ` : ""}× ${usd(table.rdsGp3GbMonth)}/GB-mo` +
            ` + ${num(billedBackups)} GB of ${retention} days' backups beyond the free ${storage} GB (assumed ${ctx.usage.databaseDailyChange * 100} % daily change) × ${usd(table.rdsBackupGbMonth)}/GB-mo${note}`,
    };
};

const awsBackupReplication: Pricer = (r, ctx) => {
    const { table, note } = awsTable(r, ctx);
    const gb = ofType(ctx, "aws:rds/instance:Instance").reduce((sum, db) => sum + (asNumber(db.inputs.allocatedStorage) ?? 20), 0);
    return {
        monthly: gb * (table.rdsBackupGbMonth + table.interRegionTransferPerGb),
        basis: `${gb} GB of backups (assumed the database's allocated storage) × ${usd(table.rdsBackupGbMonth)}/GB-mo + ${gb} GB copied × ${usd(table.interRegionTransferPerGb)}/GB${note}`,
    };
};

const awsReplicationGroup: Pricer = (r, ctx) => {
    const { table, note } = awsTable(r, ctx);
    const nodeType = asString(r.inputs.nodeType) ?? "";
    const rate = table.elasticacheRedisHourly[nodeType];
    if (rate === undefined) return unpriced(ctx, r, `no ElastiCache price for ${nodeType || "(unknown node type)"} in ${table.region}`);
    const shards = asNumber(r.inputs.numNodeGroups);
    const nodes = asNumber(r.inputs.numCacheClusters) ?? (shards !== undefined ? shards * ((asNumber(r.inputs.replicasPerNodeGroup) ?? 0) + 1) : 1);
    const valkey = r.inputs.engine === "valkey";
    const hourly = rate * (valkey ? table.elasticacheValkeyFactor : 1);
    return {
        monthly: nodes * hourly * h,
        basis: `${nodes} × ${nodeType} × ${h} h × ${usd(rate)}/h${valkey ? ` × ${table.elasticacheValkeyFactor} (Valkey)` : ""}${note}`,
    };
};

const awsLogGroup: Pricer = (r, ctx) => {
    const { table, note } = awsTable(r, ctx);
    const groups = ofType(ctx, r.type).length;
    const gb = ctx.usage.logIngestGb / groups;
    return {
        monthly: gb * table.logsIngestPerGb,
        basis: `${num(gb)} GB ingested × ${usd(table.logsIngestPerGb)}/GB (assumed ${ctx.usage.logIngestGb} GB/month over ${groups} log group${groups === 1 ? "" : "s"})${note}`,
    };
};

const awsVpcEndpoint: Pricer = (r, ctx) => {
    if ((asString(r.inputs.vpcEndpointType) ?? "Gateway") === "Gateway") return { monthly: 0, basis: "gateway endpoint: free" };
    const { table, note } = awsTable(r, ctx);
    const azs = Array.isArray(r.inputs.subnetIds) ? r.inputs.subnetIds.length : 1;
    return { monthly: azs * table.interfaceEndpointAzHourly * h, basis: `${azs} AZ × ${h} h × ${usd(table.interfaceEndpointAzHourly)}/h${note}` };
};

const perMonth =
    (what: string, rate: (t: AwsPriceTable) => number): Pricer =>
    (r, ctx) => {
        const { table, note } = awsTable(r, ctx);
        return { monthly: rate(table), basis: `1 ${what} × ${usd(rate(table))}/month${note}` };
    };

const awsPricers: Record<string, Pricer> = {
    "aws:eks/cluster:Cluster": (r, ctx) => {
        const { table, note } = awsTable(r, ctx);
        return { monthly: table.eksClusterHourly * h, basis: `1 EKS cluster × ${h} h × ${usd(table.eksClusterHourly)}/h${note}` };
    },
    "aws:eks/nodeGroup:NodeGroup": awsNodeGroup,
    "aws:ec2/natGateway:NatGateway": awsNatGateway,
    "aws:ec2/eip:Eip": (r, ctx) => {
        const { table, note } = awsTable(r, ctx);
        return { monthly: table.publicIpv4Hourly * h, basis: `1 public IPv4 × ${h} h × ${usd(table.publicIpv4Hourly)}/h${note}` };
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": awsVpcEndpoint,
    "aws:rds/instance:Instance": awsRdsInstance,
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": awsBackupReplication,
    "aws:elasticache/replicationGroup:ReplicationGroup": awsReplicationGroup,
    "aws:kms/key:Key": perMonth("KMS key", (t) => t.kmsKeyMonthly),
    "aws:secretsmanager/secret:Secret": perMonth("secret", (t) => t.secretMonthly),
    "aws:cloudwatch/logGroup:LogGroup": awsLogGroup,
    "aws:s3/bucket:Bucket": (r, ctx) => {
        const { table, note } = awsTable(r, ctx);
        const gb = ctx.usage.backupStorageGb / ofType(ctx, r.type).length;
        return { monthly: gb * table.s3StandardGbMonth, basis: `${num(gb)} GB stored (assumed) × ${usd(table.s3StandardGbMonth)}/GB-mo${note}` };
    },
    "aws:ecr/repository:Repository": (r, ctx) => {
        const { table, note } = awsTable(r, ctx);
        const gb = ctx.usage.registryStorageGb;
        return { monthly: gb * table.ecrGbMonth, basis: `${gb} GB of images (assumed) × ${usd(table.ecrGbMonth)}/GB-mo${note}` };
    },
    "aws:budgets/budget:Budget": (r, ctx) => {
        const { table, note } = awsTable(r, ctx);
        const days = h / 24;
        return { monthly: days * table.budgetDaily, basis: `${num(days)} days × ${usd(table.budgetDaily)}/day (free for the first two budgets of a payer account)${note}` };
    },
};

// ---------- GCP ----------

/** vCPUs and GB of memory of a predefined (`n2-standard-4`, `e2-highmem-8`) or custom (`e2-custom-2-6144`) machine type. */
function machineShape(machineType: string): { family: string; vcpus: number; memoryGb: number; custom?: boolean } | undefined {
    const custom = /^([a-z0-9]+)-custom-(\d+)-(\d+)$/.exec(machineType);
    if (custom) return { family: custom[1], vcpus: Number(custom[2]), memoryGb: Number(custom[3]) / 1024, custom: true };
    const match = /^([a-z0-9]+)-(standard|highmem|highcpu)-(\d+)$/.exec(machineType);
    if (!match) return undefined;
    const vcpus = Number(match[3]);
    const perVcpu = match[1] === "n1" ? { standard: 3.75, highmem: 6.5, highcpu: 0.9 } : { standard: 4, highmem: 8, highcpu: 1 };
    return { family: match[1], vcpus, memoryGb: vcpus * perVcpu[match[2] as keyof typeof perVcpu] };
}

function machineHourly(machineType: string, table: GcpPriceTable): { rate: number; shape: string } | undefined {
    const shared = table.sharedCoreHourly[machineType];
    if (shared !== undefined) return { rate: shared, shape: "shared core" };
    const shape = machineShape(machineType);
    const family = shape ? table.machineFamilies[shape.family] : undefined;
    if (!shape || !family) return undefined;
    // Custom shapes cost 5 % more than predefined ones, except on E2.
    const premium = shape.custom && shape.family !== "e2" ? 1.05 : 1;
    return { rate: premium * (shape.vcpus * family.vcpuHourly + shape.memoryGb * family.memoryGbHourly), shape: `${shape.vcpus} vCPU, ${shape.memoryGb} GB${premium > 1 ? ", custom +5 %" : ""}` };
}

/** Zones a node pool's per-zone counts multiply by: its node locations, else 3 for a regional location. */
function zonesOf(pool: CostResource): number {
    const locations = pool.inputs.nodeLocations;
    if (Array.isArray(locations) && locations.length > 0) return locations.length;
    const location = asString(pool.inputs.location) ?? "";
    return /-[a-z]$/.test(location) ? 1 : 3;
}

function poolNodes(pool: CostResource): { nodes: number; min: number; max: number } {
    const zones = zonesOf(pool);
    const nodes = (asNumber(pool.inputs.nodeCount) ?? asNumber(pool.inputs.initialNodeCount) ?? 1) * zones;
    const totalMin = asNumber(get(pool.inputs, "autoscaling", "totalMinNodeCount"));
    const totalMax = asNumber(get(pool.inputs, "autoscaling", "totalMaxNodeCount"));
    const zoneMin = asNumber(get(pool.inputs, "autoscaling", "minNodeCount"));
    const zoneMax = asNumber(get(pool.inputs, "autoscaling", "maxNodeCount"));
    const min = totalMin ?? (zoneMin !== undefined ? zoneMin * zones : nodes);
    const max = totalMax ?? (zoneMax !== undefined ? zoneMax * zones : nodes);
    return { nodes: Math.min(Math.max(nodes, min), max), min, max };
}

const gcpNodePool: Pricer = (r, ctx) => {
    const { table, note } = gcpTable(r, ctx);
    const machineType = asString(get(r.inputs, "nodeConfig", "machineType")) ?? "e2-medium";
    const machine = machineHourly(machineType, table);
    if (!machine) return unpriced(ctx, r, `no price for machine type ${machineType} in ${table.region}`);
    const diskGb = asNumber(get(r.inputs, "nodeConfig", "diskSizeGb")) ?? 100;
    const diskType = (asString(get(r.inputs, "nodeConfig", "diskType")) ?? "pd-balanced") as keyof GcpPriceTable["diskGbMonth"];
    const diskRate = table.diskGbMonth[diskType] ?? table.diskGbMonth["pd-balanced"];
    const { nodes, min, max } = poolNodes(r);
    const perNode = machine.rate * h + diskGb * diskRate;
    const zones = zonesOf(r);
    return {
        monthly: nodes * perNode,
        basis: `${nodes} × ${machineType} (${machine.shape}) × ${h} h × ${usd(machine.rate)}/h + ${nodes} × ${diskGb} GB ${diskType} × ${usd(diskRate)}/GB-mo${note}; ${nodes / zones} per zone × ${zones} zones, autoscaling ${min}–${max} nodes`,
        band: { low: min * perNode, high: max * perNode },
    };
};

const gcpRouterNat: Pricer = (r, ctx) => {
    const { table, note } = gcpTable(r, ctx);
    const vms = ofType(ctx, "gcp:container/nodePool:NodePool").reduce((sum, pool) => sum + poolNodes(pool).nodes, 0);
    const gateway = vms > table.natMaxVms ? table.natCappedHourly : vms * table.natPerVmHourly;
    const ips = Array.isArray(r.inputs.natIps) && r.inputs.natIps.length > 0 ? r.inputs.natIps.length : 1;
    const gb = ctx.usage.natProcessedGb;
    return {
        monthly: gateway * h + ips * table.natIpHourly * h + gb * table.natPerGb,
        basis: `${vms} VMs × ${usd(table.natPerVmHourly)}/h × ${h} h + ${ips} NAT IP × ${usd(table.natIpHourly)}/h × ${h} h + ${gb} GB processed (assumed) × ${usd(table.natPerGb)}/GB${note}`,
    };
};

/** vCPUs and GB of memory of a Cloud SQL tier: `db-custom-4-16384` is 4 vCPUs and 16 GB. */
function cloudSqlHourly(tier: string, table: GcpPriceTable): { rate: number; shape: string } | undefined {
    const shared = table.cloudSqlSharedCoreHourly[tier];
    if (shared !== undefined) return { rate: shared, shape: "shared core" };
    const custom = /^db-(?:custom|perf-optimized-N)-(\d+)-(\d+)$/.exec(tier);
    if (!custom) return undefined;
    const vcpus = Number(custom[1]);
    const memoryGb = Number(custom[2]) / 1024;
    return {
        rate: vcpus * table.cloudSql.vcpuHourly + memoryGb * table.cloudSql.memoryGbHourly,
        shape: `${vcpus} vCPU × ${usd(table.cloudSql.vcpuHourly)}/h + ${num(memoryGb)} GB × ${usd(table.cloudSql.memoryGbHourly)}/h`,
    };
}

const gcpSqlInstance: Pricer = (r, ctx) => {
    const { table, note } = gcpTable(r, ctx);
    const tier = asString(get(r.inputs, "settings", "tier")) ?? "";
    const compute = cloudSqlHourly(tier, table);
    if (!compute) return unpriced(ctx, r, `no Cloud SQL price for tier ${tier || "(unknown tier)"}`);
    const ha = get(r.inputs, "settings", "availabilityType") === "REGIONAL";
    const factor = ha ? table.cloudSqlHaFactor : 1;
    const diskGb = asNumber(get(r.inputs, "settings", "diskSize")) ?? 10;
    const hdd = get(r.inputs, "settings", "diskType") === "PD_HDD";
    const diskRate = hdd ? table.cloudSql.hddGbMonth : table.cloudSql.ssdGbMonth;
    const retained = asNumber(get(r.inputs, "settings", "backupConfiguration", "backupRetentionSettings", "retainedBackups")) ?? 7;
    const backups = get(r.inputs, "settings", "backupConfiguration", "enabled") === false ? 0 : backupGb(diskGb, retained, ctx.usage);
    return {
        monthly: factor * (compute.rate * h + diskGb * diskRate) + backups * table.cloudSql.backupGbMonth,
        basis:
            `1 × ${tier} (${compute.shape}) × ${h} h + ${diskGb} GB ${hdd ? "HDD" : "SSD"} × ${usd(diskRate)}/GB-mo${ha ? `, × ${factor} for REGIONAL (HA)` : ", zonal"}` +
            ` + ${num(backups)} GB of ${retained} backups (assumed ${ctx.usage.databaseDailyChange * 100} % daily change) × ${usd(table.cloudSql.backupGbMonth)}/GB-mo${note}`,
    };
};

/** Memorystore capacity tiers: M1 1–4 GB, M2 5–10, M3 11–35, M4 36–100, M5 above. */
function capacityTier(gb: number): number {
    return gb <= 4 ? 0 : gb <= 10 ? 1 : gb <= 35 ? 2 : gb <= 100 ? 3 : 4;
}

const gcpRedisInstance: Pricer = (r, ctx) => {
    const { table, note } = gcpTable(r, ctx);
    const gb = asNumber(r.inputs.memorySizeGb) ?? 1;
    const tier = capacityTier(gb);
    if (r.inputs.tier === "STANDARD_HA") {
        // A Standard instance is a primary and a replica at the Standard rate; with read replicas every node costs half of it.
        const nodes = (asNumber(r.inputs.replicaCount) ?? 1) + 1;
        const perNode = table.memorystore.standard[tier] / 2;
        return { monthly: gb * nodes * perNode * h, basis: `${gb} GB × ${nodes} nodes × ${usd(perNode)}/GB-h (half the Standard M${tier + 1} rate) × ${h} h${note}` };
    }
    const rate = table.memorystore.basic[tier];
    return { monthly: gb * rate * h, basis: `${gb} GB × ${usd(rate)}/GB-h (Basic M${tier + 1}) × ${h} h${note}` };
};

const gcpLogBucket: Pricer = (r, ctx) => {
    const { table, note } = gcpTable(r, ctx);
    const gb = ctx.usage.logIngestGb;
    const billed = Math.max(0, gb - table.loggingFreeGb);
    return {
        monthly: billed * table.loggingIngestPerGb,
        basis: `${gb} GB ingested (assumed) − ${table.loggingFreeGb} GB free per project = ${billed} GB × ${usd(table.loggingIngestPerGb)}/GB${note}`,
    };
};

const gcpPricers: Record<string, Pricer> = {
    "gcp:container/cluster:Cluster": (r, ctx) => {
        const { table, note } = gcpTable(r, ctx);
        return { monthly: table.gkeClusterHourly * h, basis: `1 GKE cluster × ${h} h × ${usd(table.gkeClusterHourly)}/h${note}` };
    },
    "gcp:container/nodePool:NodePool": gcpNodePool,
    "gcp:compute/routerNat:RouterNat": gcpRouterNat,
    "gcp:sql/databaseInstance:DatabaseInstance": gcpSqlInstance,
    "gcp:redis/instance:Instance": gcpRedisInstance,
    "gcp:kms/cryptoKey:CryptoKey": (r, ctx) => {
        const { table, note } = gcpTable(r, ctx);
        return { monthly: table.kmsKeyVersionMonthly, basis: `1 active key version × ${usd(table.kmsKeyVersionMonthly)}/month (each rotation adds one)${note}` };
    },
    "gcp:secretmanager/secretVersion:SecretVersion": (r, ctx) => {
        const { table, note } = gcpTable(r, ctx);
        return { monthly: table.secretVersionMonthly, basis: `1 active secret version × ${usd(table.secretVersionMonthly)}/month${note}` };
    },
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": gcpLogBucket,
    "gcp:storage/bucket:Bucket": (r, ctx) => {
        const { table, note } = gcpTable(r, ctx);
        const gb = ctx.usage.backupStorageGb / ofType(ctx, r.type).length;
        return { monthly: gb * table.storageStandardGbMonth, basis: `${num(gb)} GB stored (assumed) × ${usd(table.storageStandardGbMonth)}/GB-mo${note}` };
    },
    "gcp:artifactregistry/repository:Repository": (r, ctx) => {
        const { table, note } = gcpTable(r, ctx);
        const gb = ctx.usage.registryStorageGb;
        return { monthly: gb * table.artifactRegistryGbMonth, basis: `${gb} GB of images (assumed) × ${usd(table.artifactRegistryGbMonth)}/GB-mo${note}` };
    },
};

// ---------- Kubernetes objects that make cloud resources ----------

/** Service specs of type LoadBalancer and volume claims anywhere in a Helm release's values. */
function chartFootprint(values: unknown): { loadBalancers: number; storageGb: number } {
    let loadBalancers = 0;
    let gb = 0;
    const visit = (node: unknown) => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (node === null || typeof node !== "object") return;
        const o = node as Record<string, unknown>;
        if (o.type === "LoadBalancer") loadBalancers += 1;
        if (o.volumeClaimTemplate) gb += storageGb(get(o.volumeClaimTemplate, "spec", "resources", "requests", "storage"));
        const persistence = o.persistence;
        if (get(persistence, "enabled") === true) gb += storageGb(get(persistence, "size"));
        for (const [key, value] of Object.entries(o)) if (key !== "volumeClaimTemplate" && key !== "persistence") visit(value);
    };
    visit(values);
    return { loadBalancers, storageGb: gb };
}

/** What a load balancer and a GB of block storage cost on the stack's cloud, for the Kubernetes objects that ask for them. */
function kubernetesCosts(r: CostResource, ctx: Context, cloud: "aws" | "gcp", footprint: { loadBalancers: number; storageGb: number }): Priced | undefined {
    if (footprint.loadBalancers === 0 && footprint.storageGb === 0) return undefined;
    const parts: string[] = [];
    let monthly = 0;
    if (cloud === "aws") {
        const { table, note } = awsTable({ ...r, inputs: {} }, ctx);
        const zones = subnetsOfCluster(ctx);
        const lb = footprint.loadBalancers;
        if (lb > 0) {
            const lcu = ctx.usage.loadBalancerCapacityUnits;
            const egress = ctx.usage.internetEgressGb;
            monthly += lb * (table.nlbHourly * h + lcu * table.nlbLcuHourly * h + zones * table.publicIpv4Hourly * h) + egress * table.internetEgressPerGb;
            parts.push(
                `${lb} NLB × ${h} h × ${usd(table.nlbHourly)}/h + ${lcu} LCU × ${h} h × ${usd(table.nlbLcuHourly)}/h + ${zones} public IPv4 × ${h} h × ${usd(table.publicIpv4Hourly)}/h + ${egress} GB egress (assumed) × ${usd(table.internetEgressPerGb)}/GB`,
            );
        }
        if (footprint.storageGb > 0) {
            monthly += footprint.storageGb * table.ebsGp3GbMonth;
            parts.push(`${num(footprint.storageGb)} GB gp3 × ${usd(table.ebsGp3GbMonth)}/GB-mo`);
        }
        return { monthly, basis: parts.join(" + ") + note };
    }
    const { table, note } = gcpTable({ ...r, inputs: {} }, ctx);
    if (footprint.loadBalancers > 0) {
        const egress = ctx.usage.internetEgressGb;
        monthly += footprint.loadBalancers * table.forwardingRuleHourly * h + egress * table.internetEgressPerGb;
        parts.push(`${footprint.loadBalancers} forwarding rule × ${h} h × ${usd(table.forwardingRuleHourly)}/h + ${egress} GB egress (assumed) × ${usd(table.internetEgressPerGb)}/GB`);
    }
    if (footprint.storageGb > 0) {
        monthly += footprint.storageGb * table.diskGbMonth["pd-balanced"];
        parts.push(`${num(footprint.storageGb)} GB pd-balanced × ${usd(table.diskGbMonth["pd-balanced"])}/GB-mo`);
    }
    return { monthly, basis: parts.join(" + ") + note };
}

/** An internet-facing NLB has one public address per zone of the cluster's subnets. */
function subnetsOfCluster(ctx: Context): number {
    const cluster = ofType(ctx, "aws:eks/cluster:Cluster")[0];
    const subnets = get(cluster?.inputs, "vpcConfig", "subnetIds");
    return Array.isArray(subnets) && subnets.length > 0 ? subnets.length : 2;
}

/**
 * The Service type of the data plane Envoy Gateway provisions for a Gateway: LoadBalancer unless the
 * EnvoyProxy the Gateway (`spec.infrastructure.parametersRef`) or its GatewayClass (`spec.parametersRef`)
 * names sets `provider.kubernetes.envoyService.type` to something else.
 */
function gatewayServiceType(gateway: CostResource, ctx: Context): unknown {
    const envoyProxies = ofType(ctx, "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy");
    const named = (ref: unknown, namespace: unknown) =>
        get(ref, "kind") === "EnvoyProxy"
            ? envoyProxies.find((p) => get(p.inputs, "metadata", "name") === get(ref, "name") && get(p.inputs, "metadata", "namespace") === (get(ref, "namespace") ?? namespace))
            : undefined;
    const className = get(gateway.inputs, "spec", "gatewayClassName");
    const gatewayClass = ofType(ctx, "kubernetes:gateway.networking.k8s.io/v1:GatewayClass").find((c) => get(c.inputs, "metadata", "name") === className);
    const proxy =
        named(get(gateway.inputs, "spec", "infrastructure", "parametersRef"), get(gateway.inputs, "metadata", "namespace")) ?? named(get(gatewayClass?.inputs, "spec", "parametersRef"), undefined);
    return get(proxy?.inputs, "spec", "provider", "kubernetes", "envoyService", "type") ?? "LoadBalancer";
}

function kubernetesFootprint(r: CostResource, ctx: Context): { loadBalancers: number; storageGb: number } | undefined {
    switch (r.type) {
        case "kubernetes:gateway.networking.k8s.io/v1:Gateway":
            // Envoy Gateway provisions one data-plane Service per Gateway.
            return { loadBalancers: gatewayServiceType(r, ctx) === "LoadBalancer" ? 1 : 0, storageGb: 0 };
        case "kubernetes:helm.sh/v3:Release":
        case "kubernetes:helm.sh/v4:Chart":
            return chartFootprint(r.inputs.values);
        case "kubernetes:core/v1:Service": {
            // A chart's own Service, read back (stack policies see reads too), is counted on its Helm release.
            const fromChart = get(r.inputs, "metadata", "labels", "app.kubernetes.io/managed-by") === "Helm";
            return { loadBalancers: get(r.inputs, "spec", "type") === "LoadBalancer" && !fromChart ? 1 : 0, storageGb: 0 };
        }
        case "kubernetes:core/v1:PersistentVolumeClaim":
            return { loadBalancers: 0, storageGb: storageGb(get(r.inputs, "spec", "resources", "requests", "storage")) };
        default:
            return undefined;
    }
}

// ---------- the estimate ----------

const pricers: Record<string, Pricer> = { ...awsPricers, ...gcpPricers };
const freeTypes = new Set([...awsFreeTypes, ...gcpFreeTypes]);

/** True when the price book knows a type: priced by a rule, or listed as free. */
export function isPricedType(type: string): boolean {
    return type in pricers || freeTypes.has(type) || neutralFreeTypePrefixes.some((p) => type.startsWith(p));
}

export const pricedTypes: readonly string[] = Object.keys(pricers);

function mostCommon(values: (string | undefined)[]): string | undefined {
    const counts = new Map<string, number>();
    for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

function environmentOf(resources: CostResource[], given: string | undefined): PricedEnvironment {
    const tagged = given ?? mostCommon(resources.map((r) => asString(get(r.inputs, "tags", "environment")) ?? asString(get(r.inputs, "labels", "environment"))));
    return tagged === "staging" ? "staging" : "prod";
}

const cents = (n: number) => Math.round(n * 100);

/**
 * Prices every custom resource the stack creates (components and `.get()` reads cost nothing here).
 * Items are in USD per month at on-demand list prices; usage-billed services use the stated
 * assumptions of `stacks/facts/prices.ts` for the environment.
 */
export function estimateCost(resources: readonly CostResource[], options: EstimateOptions = {}): CostEstimate {
    const created = resources.filter((r) => r.custom && !r.read);
    const cloud = (mostCommon(created.map((r) => cloudOf(r.type))) as "aws" | "gcp" | undefined) ?? undefined;
    const environment = environmentOf(created, options.environment);
    const warnings = new Set<string>();
    const stackRegion = options.region ?? mostCommon(created.filter((r) => cloudOf(r.type) === "gcp").map(ownRegion)) ?? mostCommon(created.map((r) => r.providerRegion));
    const ctx: Context = {
        resources: [...resources],
        byUrn: new Map(resources.map((r) => [r.urn, r])),
        usage: usageAssumptions[environment],
        stackRegion: stackRegion ? regionOfLocation(stackRegion) : undefined,
        warn: (m) => warnings.add(m),
    };

    const componentOf = (r: CostResource): string | undefined => {
        for (let p = r.parent ? ctx.byUrn.get(r.parent) : undefined; p; p = p.parent ? ctx.byUrn.get(p.parent) : undefined) if (!p.custom) return p.name;
        return undefined;
    };

    const items: CostItem[] = [];
    const unpricedTypes = new Set<string>();
    for (const r of created) {
        const footprint = kubernetesFootprint(r, ctx);
        let priced: Priced | undefined;
        if (footprint && cloud) priced = kubernetesCosts(r, ctx, cloud, footprint);
        else if (pricers[r.type]) priced = pricers[r.type](r, ctx);
        else if (!isPricedType(r.type)) unpricedTypes.add(r.type);
        if (!priced || cents(priced.monthly) === 0) continue;
        const component = componentOf(r);
        items.push({
            urn: r.urn,
            type: r.type,
            name: r.name,
            monthly: cents(priced.monthly) / 100,
            basis: priced.basis,
            ...(component ? { component } : {}),
            ...(priced.band ? { band: { low: cents(priced.band.low) / 100, high: cents(priced.band.high) / 100 } } : {}),
        });
    }
    items.sort((a, b) => b.monthly - a.monthly || a.urn.localeCompare(b.urn));

    const byComponent = new Map<string, number>();
    for (const item of items) byComponent.set(item.component ?? "(stack)", (byComponent.get(item.component ?? "(stack)") ?? 0) + cents(item.monthly));
    const total = items.reduce((sum, i) => sum + cents(i.monthly), 0);
    const low = items.reduce((sum, i) => sum + cents(i.band?.low ?? i.monthly), 0);
    const high = items.reduce((sum, i) => sum + cents(i.band?.high ?? i.monthly), 0);
    return {
        currency,
        monthly: total / 100,
        pricedAt,
        ...(cloud ? { cloud } : {}),
        ...(ctx.stackRegion ? { region: ctx.stackRegion } : {}),
        environment,
        items,
        components: [...byComponent].map(([component, c]) => ({ component, monthly: c / 100 })).sort((a, b) => b.monthly - a.monthly || a.component.localeCompare(b.component)),
        band: { low: low / 100, high: high / 100 },
        warnings: [...warnings],
        unpricedTypes: [...unpricedTypes].sort(),
    };
}

/** `$1,234.56` */
/** One formatter for every figure: `toLocaleString` builds a new one on each call. */
const usdFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatUsd(amount: number): string {
    return `$${usdFormat.format(amount)}`;
}

/** One caller's hourly LLM budget in USD, as the LLM gateway's rate limit enforces it. */
export interface LlmBudgetLine {
    caller: string;
    usdPerHour: number;
}

/**
 * What the LLM budgets allow at most in a month: every caller spending its whole hourly USD budget
 * every hour. A ceiling, not a forecast, and not part of `estimateCost`'s total: the providers bill
 * the tokens, not the cloud, so the stack's cloud budget (`budget.monthlyUsd`) never sees them.
 */
export interface LlmSpendCeiling {
    currency: typeof currency;
    /** USD per month, rounded to cents. */
    monthly: number;
    hoursPerMonth: number;
    callers: (LlmBudgetLine & { monthly: number })[];
    /** e.g. `($100/h + 2 × $10/h) × 730 h`. */
    basis: string;
}

export function llmSpendCeiling(callers: readonly LlmBudgetLine[]): LlmSpendCeiling {
    const lines = callers.map((c) => ({ ...c, monthly: cents(c.usdPerHour * h) / 100 }));
    const perHour = new Map<number, number>();
    for (const c of callers) perHour.set(c.usdPerHour, (perHour.get(c.usdPerHour) ?? 0) + 1);
    const terms = [...perHour].map(([usdPerHour, n]) => `${n > 1 ? `${n} × ` : ""}${usd(usdPerHour)}/h`);
    return {
        currency,
        monthly: cents(callers.reduce((sum, c) => sum + c.usdPerHour, 0) * h) / 100,
        hoursPerMonth: h,
        callers: lines,
        basis: `${terms.length > 1 ? `(${terms.join(" + ")})` : (terms[0] ?? "$0/h")} × ${h} h`,
    };
}
