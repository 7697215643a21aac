/**
 * Machine shapes: the syntax each cloud's API accepts and the families this platform supports.
 *
 * - EC2 instance types are `<family><generation>[attributes].<size>`:
 *   https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html (read 2026-11-27).
 *   Node families must match the service image's architecture (image.platform): x86_64 general
 *   purpose, compute and memory optimised families (burstable t3/t3a for staging) for linux/amd64,
 *   Graviton families for linux/arm64.
 * - RDS DB instance classes: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html (read 2026-11-27).
 * - ElastiCache node types: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html (read 2026-11-27).
 * - GCE machine types `<family>-<standard|highmem|highcpu>-<vCPUs>` and e2 shared-core:
 *   https://cloud.google.com/compute/docs/machine-resource (read 2026-11-27). t2a/c4a are Arm: not supported (amd64 image).
 * - Cloud SQL tiers `db-custom-<vCPUs>-<MiB>`: 1 or an even number of vCPUs up to 96, 0.9 to 6.5 GiB
 *   per vCPU, memory a multiple of 256 MiB and at least 3840 MiB; shared-core db-f1-micro/db-g1-small
 *   have no SLA. https://cloud.google.com/sql/docs/postgres/create-instance#machine-types (read 2026-11-27).
 * - Memorystore for Redis tiers: BASIC, STANDARD_HA. https://cloud.google.com/memorystore/docs/redis/redis-tiers (read 2026-11-27).
 */
export const ec2InstanceTypeSyntax = /^([a-z]+)(\d+)([a-z-]*)\.(nano|micro|small|medium|large|metal|\d*xlarge)$/;

export const eksNodeFamilies: readonly string[] = [
    "t3",
    "t3a",
    "m5",
    "m5a",
    "m5n",
    "m6i",
    "m6a",
    "m7i",
    "m7a",
    "m8i",
    "c5",
    "c5a",
    "c5n",
    "c6i",
    "c6a",
    "c7i",
    "c7a",
    "r5",
    "r5a",
    "r5n",
    "r6i",
    "r6a",
    "r7i",
    "r7a",
];

export const eksArmNodeFamilies: readonly string[] = ["t4g", "m6g", "m7g", "m8g", "c6g", "c7g", "r6g", "r7g", "r8g"];

export const rdsInstanceClassSyntax = /^db\.([a-z]+\d+[a-z]*)\.(micro|small|medium|large|\d*xlarge)$/;
export const rdsInstanceFamilies: readonly string[] = ["t3", "t4g", "m5", "m6g", "m6i", "m7g", "m7i", "r5", "r6g", "r6i", "r7g", "r7i", "r8g"];

export const elastiCacheNodeTypeSyntax = /^cache\.([a-z]+\d+[a-z]*)\.(micro|small|medium|large|\d*xlarge)$/;
export const elastiCacheNodeFamilies: readonly string[] = ["t3", "t4g", "m5", "m6g", "m7g", "r5", "r6g", "r7g"];

export const gceMachineTypeSyntax = /^([a-z]+\d+[a-z]?)-(standard|highmem|highcpu|medium|small|micro)(-(\d+))?$/;

/**
 * Custom machine types (`e2-custom-2-6144`: 2 vCPUs, 6144 MB): memory in steps of 256 MB, 0.5 to 8 GB
 * per vCPU, an even vCPU count of at least 2 (https://cloud.google.com/compute/docs/instances/creating-instance-with-custom-machine-type, read 2026-11-27).
 */
export const gceCustomMachineTypeSyntax = /^([a-z]+\d+[a-z]?)-custom-(\d+)-(\d+)$/;
export const gceCustomMachineLimits = { minVcpus: 2, memoryStepMb: 256, minMbPerVcpu: 512, maxMbPerVcpu: 8192 } as const;
export const gkeNodeFamilies: readonly string[] = ["e2", "n2", "n2d", "n4", "c2", "c2d", "c3", "c3d", "c4", "t2d"];

export const gkeArmNodeFamilies: readonly string[] = ["t2a", "c4a"];

export const cloudSqlCustomTierSyntax = /^db-custom-(\d+)-(\d+)$/;
export const cloudSqlCustomTierLimits = { maxVcpus: 96, minMemoryMib: 3840, memoryStepMib: 256, minMibPerVcpu: 0.9 * 1024, maxMibPerVcpu: 6.5 * 1024 } as const;
/** Shared-core tiers: accepted in staging, never in prod (no SLA). */
export const cloudSqlSharedCoreTiers: readonly string[] = ["db-f1-micro", "db-g1-small"];

export const memorystoreTiers: readonly string[] = ["BASIC", "STANDARD_HA"];
