/**
 * Sizes each managed service accepts (GiB/GB as the API counts them).
 *
 * - RDS for PostgreSQL gp3 storage: 20 to 65,536 GiB. https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html (read 2026-11-27).
 * - RDS automated backups: retained 1 to 35 days. https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html (read 2026-11-27).
 * - Cloud SQL storage: 10 to 65,536 GB; retained backups 1 to 365. https://cloud.google.com/sql/docs/quotas#storage_limits (read 2026-11-27).
 * - EKS node volumes (gp3): the AL2023 AMI's root snapshot is 20 GiB; EBS gp3 is at most 16,384 GiB.
 *   https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html (read 2026-11-27).
 * - GKE node boot disks: 10 to 65,536 GB. https://cloud.google.com/kubernetes-engine/docs/how-to/custom-boot-disks (read 2026-11-27).
 * - Memorystore for Redis capacity: 1 to 300 GB; read replicas need at least 5 GB. https://cloud.google.com/memorystore/docs/redis/redis-tiers (read 2026-11-27).
 * - ElastiCache snapshots: retained 0 to 35 days. https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html (read 2026-11-27).
 */
export interface SizeRange {
    min: number;
    max: number;
}

export const storageLimits = {
    aws: {
        databaseStorageGb: { min: 20, max: 65536 },
        databaseBackupRetentionDays: { min: 1, max: 35 },
        nodeDiskGb: { min: 20, max: 16384 },
        cacheSnapshotRetentionDays: { min: 0, max: 35 },
    },
    gcp: {
        databaseStorageGb: { min: 10, max: 65536 },
        databaseBackupRetentionDays: { min: 1, max: 365 },
        nodeDiskGb: { min: 10, max: 65536 },
        cacheMemoryGb: { min: 1, max: 300 },
    },
} as const satisfies Record<string, Record<string, SizeRange>>;

/** Memorystore STANDARD_HA: a primary and 1 to 5 replicas; more than one replica needs at least 5 GB. */
export const memorystoreReplicaLimits = { minNodes: 2, maxNodes: 6, minGbForReadReplicas: 5 } as const;
