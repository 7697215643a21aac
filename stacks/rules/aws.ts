import { parseCidr, insideAny } from "../cidr";
import { apiAccessAcceptsPrivateRanges } from "../facts/apiAccess";
import { cloudWatchRetentionDays } from "../facts/logRetention";
import { ec2InstanceTypeSyntax, eksArmNodeFamilies, eksNodeFamilies, elastiCacheNodeFamilies, elastiCacheNodeTypeSyntax, rdsInstanceClassSyntax, rdsInstanceFamilies } from "../facts/machineTypes";
import { privateIpv4Ranges } from "../facts/network";
import { portRanges } from "../facts/ports";
import { awsRecoveryRegionPairs } from "../facts/recoveryRegions";
import { awsRegionZoneCounts, awsRegions } from "../facts/regions";
import { storageLimits } from "../facts/storage";
import { kubernetesVersions, postgresMajorVersions, redisVersions } from "../facts/versions";
import { nodeFamiliesFor } from "./common";
import type { RuleContext } from "./context";
import { closest, oneOf } from "./suggest";

/** What EKS, RDS, ElastiCache and CloudWatch would refuse at `pulumi up`, found before anything is declared. */
export function awsRules(ctx: RuleContext): void {
    const s = ctx.settings;
    const region = ctx.region;
    if (region === undefined) ctx.keyProblem("aws:region", undefined, "is required when ai-platform:cloud is aws (e.g. us-west-2)");
    else if (!awsRegions.includes(region)) ctx.keyProblem("aws:region", region, `must be an AWS region${closest(region, awsRegions)} (${awsRegions.slice(0, 4).join(", ")}, …)`);
    else {
        const zones = awsRegionZoneCounts[region] ?? 3;
        if (s.network.availabilityZones > zones) ctx.problem("network.availabilityZones", `must be at most ${zones}: ${region} offers ${zones} Availability Zones`);
    }

    const inList = (path: string, value: string, list: readonly string[], what: string) => !list.includes(value) && ctx.problem(path, `must be ${what} on AWS: ${oneOf(list)}`);
    inList("cluster.kubernetesVersion", s.cluster.kubernetesVersion, kubernetesVersions.aws, "a Kubernetes version in EKS standard support");
    inList("database.engineVersion", s.database.engineVersion, postgresMajorVersions.aws, "an RDS for PostgreSQL major version");
    inList("cache.engineVersion", s.cache.engineVersion, redisVersions.aws, "an ElastiCache Redis version");

    const { families, what } = nodeFamiliesFor(s.image, eksNodeFamilies, eksArmNodeFamilies, "Graviton");
    const node = ec2InstanceTypeSyntax.exec(s.cluster.machineType);
    if (!node) ctx.problem("cluster.machineType", "must be an EC2 instance type such as m5.xlarge");
    else if (!families.includes(`${node[1]}${node[2]}${node[3]}`)) ctx.problem("cluster.machineType", `must be of a supported ${what}node family: ${families.join(", ")}`);
    const db = rdsInstanceClassSyntax.exec(s.database.instanceClass);
    if (!db) ctx.problem("database.instanceClass", "must be an RDS instance class such as db.t3.large");
    else if (!rdsInstanceFamilies.includes(db[1])) ctx.problem("database.instanceClass", `must be of a supported RDS family: ${rdsInstanceFamilies.join(", ")}`);
    const cache = elastiCacheNodeTypeSyntax.exec(s.cache.nodeType);
    if (!cache) ctx.problem("cache.nodeType", "must be an ElastiCache node type such as cache.r6g.large");
    else if (!elastiCacheNodeFamilies.includes(cache[1])) ctx.problem("cache.nodeType", `must be of a supported ElastiCache family: ${elastiCacheNodeFamilies.join(", ")}`);

    const limits = storageLimits.aws;
    const within = (path: string, value: number, range: { min: number; max: number }, what: string) =>
        (value < range.min || value > range.max) && ctx.problem(path, `must be ${range.min} to ${range.max} (${what})`);
    within("database.storageGb", s.database.storageGb, limits.databaseStorageGb, "GiB of RDS gp3 storage");
    within("database.maxStorageGb", s.database.maxStorageGb, limits.databaseStorageGb, "GiB of RDS gp3 storage");
    within("database.backupRetentionDays", s.database.backupRetentionDays, limits.databaseBackupRetentionDays, "days RDS keeps automated backups");
    within("cluster.diskSizeGb", s.cluster.diskSizeGb, limits.nodeDiskGb, "GiB: the AL2023 node image needs 20, gp3 holds at most 16384");
    within("cache.snapshotRetentionDays", s.cache.snapshotRetentionDays, limits.cacheSnapshotRetentionDays, "days ElastiCache keeps snapshots");
    within("database.port", s.database.port, portRanges.rds, "RDS for PostgreSQL listens on 1150 to 65535");
    within("cache.port", s.cache.port, portRanges.elastiCache, "ElastiCache listens on 1024 to 65535");

    for (const path of ["observability.logRetentionDays", "network.flowLogRetentionDays"] as const) {
        const [section, key] = path.split(".") as ["observability", "logRetentionDays"] | ["network", "flowLogRetentionDays"];
        const value = (s[section] as Record<string, unknown>)[key] as number;
        if (!cloudWatchRetentionDays.includes(value)) {
            const next = cloudWatchRetentionDays.find((d) => d > value);
            ctx.problem(path, `must be a retention CloudWatch Logs offers: ${cloudWatchRetentionDays.join(", ")}${next ? ` (next above: ${next})` : ""}`);
        }
    }

    if (s.cache.highAvailability && s.cache.nodes < 2)
        ctx.problem("cache.nodes", "must be at least 2 with cache.highAvailability (automatic failover needs a replica); or set cache.highAvailability false");

    if (!apiAccessAcceptsPrivateRanges.aws) {
        s.cluster.publicAccessCidrs.forEach((text, i) => {
            const cidr = parseCidr(text);
            if (cidr && insideAny(cidr, privateIpv4Ranges))
                ctx.problem(`cluster.publicAccessCidrs.${i}`, "must be a public range: EKS refuses private ranges for its public endpoint (nodes and the VPC use the private endpoint)");
        });
    }

    if (s.backup.crossRegion && region !== undefined && awsRegions.includes(region)) {
        const configured = s.backup.region?.trim();
        const recovery = configured || awsRecoveryRegionPairs[region];
        if (!recovery) {
            ctx.problem(
                "backup.region",
                `must be set: there is no default recovery region for ${region}; \`pulumi config set --path ai-platform:backup.region <region>\` (another AWS region), or backup.crossRegion false`,
            );
        } else if (!awsRegions.includes(recovery)) {
            ctx.problem("backup.region", `must be an AWS region${closest(recovery, awsRegions)}`);
        } else if (recovery === region) {
            ctx.problem("backup.region", "must differ from the primary region (aws:region), or the copies share its fate");
        }
    }
}
