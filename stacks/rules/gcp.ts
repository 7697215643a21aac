import { cloudLoggingRetentionDays } from "../facts/logRetention";
import {
    cloudSqlCustomTierLimits,
    cloudSqlCustomTierSyntax,
    cloudSqlSharedCoreTiers,
    gceCustomMachineLimits,
    gceCustomMachineTypeSyntax,
    gceMachineTypeSyntax,
    gkeArmNodeFamilies,
    gkeNodeFamilies,
    memorystoreTiers,
} from "../facts/machineTypes";
import { fixedPorts } from "../facts/ports";
import { gcpMultiRegionsByPrefix } from "../facts/recoveryRegions";
import { gcpBackupMultiRegions, gcpRegions } from "../facts/regions";
import { memorystoreReplicaLimits, storageLimits } from "../facts/storage";
import { kubernetesVersions, postgresMajorVersions, redisVersions } from "../facts/versions";
import { nodeFamiliesFor } from "./common";
import type { RuleContext } from "./context";
import { closest, oneOf } from "./suggest";

/** The multi-region that contains a region (`us-central1` → `us`), or undefined when none does. */
export function multiRegionOf(region: string): string | undefined {
    return gcpMultiRegionsByPrefix.find(([prefix]) => region.startsWith(prefix))?.[1];
}

/** GCP project IDs: 6 to 30 characters of lower-case letters, digits and hyphens, starting with a letter. */
const projectIdSyntax = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** What GKE, Cloud SQL, Memorystore and Cloud Logging would refuse at `pulumi up`, found before anything is declared. */
export function gcpRules(ctx: RuleContext): void {
    const s = ctx.settings;
    const region = ctx.region;
    if (region === undefined) ctx.keyProblem("gcp:region", undefined, "is required when ai-platform:cloud is gcp (e.g. us-central1)");
    else if (!gcpRegions.includes(region)) ctx.keyProblem("gcp:region", region, `must be a GCP region${closest(region, gcpRegions)} (${gcpRegions.slice(0, 4).join(", ")}, …)`);
    if (ctx.gcpProject === undefined) ctx.keyProblem("gcp:project", undefined, "is required when ai-platform:cloud is gcp (the project ID)");
    else if (!projectIdSyntax.test(ctx.gcpProject)) ctx.keyProblem("gcp:project", ctx.gcpProject, "must be a project ID: 6 to 30 lower-case letters, digits and hyphens, starting with a letter");

    const inList = (path: string, value: string, list: readonly string[], what: string) => !list.includes(value) && ctx.problem(path, `must be ${what} on GCP: ${oneOf(list)}`);
    inList("cluster.kubernetesVersion", s.cluster.kubernetesVersion, kubernetesVersions.gcp, "a Kubernetes version in GKE standard support");
    inList("database.engineVersion", s.database.engineVersion, postgresMajorVersions.gcp, "a Cloud SQL for PostgreSQL major version");
    inList("cache.engineVersion", s.cache.engineVersion, redisVersions.gcp, "a Redis version Memorystore offers");

    const { families, what } = nodeFamiliesFor(s.image, gkeNodeFamilies, gkeArmNodeFamilies, "Arm");
    const custom = gceCustomMachineTypeSyntax.exec(s.cluster.machineType);
    const machine = gceMachineTypeSyntax.exec(s.cluster.machineType) ?? (custom ? [custom[0], custom[1], "custom"] : null);
    const customProblem = custom ? customMachineProblem(Number(custom[2]), Number(custom[3])) : undefined;
    if (!machine) ctx.problem("cluster.machineType", "must be a Compute Engine machine type such as n2-standard-4 or e2-custom-2-6144");
    else if (customProblem) ctx.problem("cluster.machineType", `must be a custom shape Compute Engine accepts: ${customProblem}`);
    else if (!families.includes(machine[1])) ctx.problem("cluster.machineType", `must be of a supported ${what}machine family: ${families.join(", ")}`);
    else if (machine[2] === "micro" || machine[2] === "small") ctx.problem("cluster.machineType", "must have at least 2 vCPUs: shared-core micro/small nodes cannot hold the system pods");

    cloudSqlTier(ctx);
    memorystoreShape(ctx);

    const limits = storageLimits.gcp;
    const within = (path: string, value: number, range: { min: number; max: number }, what: string) =>
        (value < range.min || value > range.max) && ctx.problem(path, `must be ${range.min} to ${range.max} (${what})`);
    within("database.storageGb", s.database.storageGb, limits.databaseStorageGb, "GB of Cloud SQL storage");
    within("database.maxStorageGb", s.database.maxStorageGb, limits.databaseStorageGb, "GB of Cloud SQL storage");
    within("database.backupRetentionDays", s.database.backupRetentionDays, limits.databaseBackupRetentionDays, "backups Cloud SQL retains");
    within("cluster.diskSizeGb", s.cluster.diskSizeGb, limits.nodeDiskGb, "GB of GKE boot disk");
    within("cache.memorySizeGb", s.cache.memorySizeGb, limits.cacheMemoryGb, "GB of Memorystore capacity");
    within("observability.logRetentionDays", s.observability.logRetentionDays, cloudLoggingRetentionDays, "days a Cloud Logging bucket keeps logs");
    if (s.database.port !== fixedPorts.cloudSql) ctx.problem("database.port", `must be ${fixedPorts.cloudSql} on GCP: Cloud SQL does not listen on another port`);
    if (s.cache.port !== fixedPorts.memorystore) ctx.problem("cache.port", `must be ${fixedPorts.memorystore} on GCP: Memorystore does not listen on another port`);

    if (s.backup.crossRegion && region !== undefined) {
        const configured = s.backup.region?.trim();
        if (configured) {
            if (!gcpBackupMultiRegions.includes(configured) && !gcpRegions.includes(configured)) {
                ctx.problem(
                    "backup.region",
                    `must be a Cloud SQL backup multi-region (${gcpBackupMultiRegions.join(", ")}) or a GCP region${closest(configured, [...gcpBackupMultiRegions, ...gcpRegions])}`,
                );
            } else if (configured === region) ctx.problem("backup.region", "must differ from the primary region (gcp:region), or the backups share its fate");
        } else if (!multiRegionOf(region)) {
            ctx.problem(
                "backup.region",
                `must be set when backup.crossRegion is true and the region "${region}" is not in a Cloud SQL multi-region (us-*, europe-*, asia-*); use a multi-region (${gcpBackupMultiRegions.join(", ")}) or another region`,
            );
        }
        // The dumps bucket moves to the Cloud Storage multi-region around the region (components/gcp/locations.ts).
        if (!multiRegionOf(region)) {
            ctx.problem(
                "backup.crossRegion",
                `cannot keep the dumps in a second region: "${region}" is in no Cloud Storage multi-region (us-*, europe-*, asia-*); turn it off or run the stack in such a region`,
            );
        }
    }
    if (s.budget.monthlyUsd !== undefined && !s.budget.billingAccount) {
        ctx.problem("budget.billingAccount", "is required on GCP when ai-platform:budget.monthlyUsd is set (the billing account the budget is created on)");
    }
}

function cloudSqlTier(ctx: RuleContext): void {
    const tier = ctx.settings.database.instanceClass;
    if (cloudSqlSharedCoreTiers.includes(tier)) {
        if (ctx.environment === "prod") ctx.problem("database.instanceClass", "must not be a shared-core tier in prod: Cloud SQL's SLA does not cover db-f1-micro or db-g1-small");
        return;
    }
    const custom = cloudSqlCustomTierSyntax.exec(tier);
    if (!custom) {
        ctx.problem(
            "database.instanceClass",
            `must be a Cloud SQL tier db-custom-<vCPUs>-<MiB> such as db-custom-4-16384${ctx.environment === "prod" ? "" : `, or ${cloudSqlSharedCoreTiers.join(", ")}`}`,
        );
        return;
    }
    const [cpus, mib] = [Number(custom[1]), Number(custom[2])];
    const l = cloudSqlCustomTierLimits;
    if (cpus < 1 || cpus > l.maxVcpus || (cpus > 1 && cpus % 2 !== 0)) ctx.problem("database.instanceClass", `must have 1 or an even number of vCPUs up to ${l.maxVcpus}`);
    else if (mib % l.memoryStepMib !== 0 || mib < l.minMemoryMib || mib < cpus * l.minMibPerVcpu || mib > cpus * l.maxMibPerVcpu) {
        ctx.problem(
            "database.instanceClass",
            `must have a multiple of ${l.memoryStepMib} MiB, at least ${l.minMemoryMib}, and 0.9 to 6.5 GiB per vCPU (${Math.ceil((cpus * l.minMibPerVcpu) / 256) * 256}–${Math.floor((cpus * l.maxMibPerVcpu) / 256) * 256} MiB for ${cpus} vCPUs)`,
        );
    }
}

function memorystoreShape(ctx: RuleContext): void {
    const cache = ctx.settings.cache;
    const tier = cache.nodeType;
    if (!memorystoreTiers.includes(tier)) {
        ctx.problem("cache.nodeType", `must be a Memorystore tier on GCP: ${memorystoreTiers.join(" or ")}`);
        return;
    }
    if (cache.highAvailability !== (tier === "STANDARD_HA"))
        ctx.problem("cache.highAvailability", `must be ${tier === "STANDARD_HA"} with cache.nodeType ${tier} (STANDARD_HA is the highly available tier)`);
    const r = memorystoreReplicaLimits;
    if (tier === "BASIC" && cache.nodes !== 1) ctx.problem("cache.nodes", "must be 1 with the BASIC tier (a single node, no replicas)");
    if (tier === "STANDARD_HA" && (cache.nodes < r.minNodes || cache.nodes > r.maxNodes))
        ctx.problem("cache.nodes", `must be ${r.minNodes} to ${r.maxNodes} with STANDARD_HA (a primary and 1–5 replicas)`);
    if (tier === "STANDARD_HA" && cache.nodes - 1 > 1 && cache.memorySizeGb < r.minGbForReadReplicas) {
        ctx.problem("cache.memorySizeGb", `must be at least ${r.minGbForReadReplicas} for more than one replica (Memorystore read replicas)`);
    }
}

/** Why a custom machine shape is refused by Compute Engine, or undefined when it is accepted. */
function customMachineProblem(vcpus: number, memoryMb: number): string | undefined {
    const l = gceCustomMachineLimits;
    if (vcpus < l.minVcpus || vcpus % 2 !== 0) return `an even number of vCPUs, at least ${l.minVcpus}`;
    if (memoryMb % l.memoryStepMb !== 0) return `memory in steps of ${l.memoryStepMb} MB`;
    if (memoryMb < vcpus * l.minMbPerVcpu || memoryMb > vcpus * l.maxMbPerVcpu) return `${l.minMbPerVcpu}–${l.maxMbPerVcpu} MB of memory per vCPU`;
    return undefined;
}
