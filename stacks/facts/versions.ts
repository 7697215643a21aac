/**
 * Versions the managed services offer, as of the date read. Refresh these when a version leaves
 * standard support; the settings refuse anything not listed, and the policy pack's minimum follows
 * the oldest entry.
 *
 * - EKS standard support (14 months per minor): 1.34 until 2026-12-02, 1.35 until 2027-03-27, 1.36 from 2026.
 *   https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (read 2026-11-27).
 * - GKE standard support: https://cloud.google.com/kubernetes-engine/docs/release-schedule (read 2026-11-27).
 * - RDS for PostgreSQL majors in standard support (13 ended 2026-02-28):
 *   https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html (read 2026-11-27).
 *   This platform needs 15 or newer (MERGE, pg_stat_io), so 14 is not offered.
 * - Cloud SQL for PostgreSQL: https://cloud.google.com/sql/docs/db-versions (read 2026-11-27).
 * - ElastiCache Redis OSS 7.x engine versions: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html (read 2026-11-27).
 * - Memorystore for Redis offers REDIS_7_0 and REDIS_7_2: https://cloud.google.com/memorystore/docs/redis/supported-versions (read 2026-11-27).
 *   The shared default "7.1" (ElastiCache) maps up to 7.2 on Memorystore, never down.
 */
export const kubernetesVersions = {
    aws: ["1.34", "1.35", "1.36"],
    gcp: ["1.34", "1.35", "1.36"],
} as const satisfies Record<string, readonly string[]>;

export const postgresMajorVersions = {
    aws: ["15", "16", "17", "18"],
    gcp: ["15", "16", "17"],
} as const satisfies Record<string, readonly string[]>;

export const redisVersions = {
    aws: ["7.0", "7.1"],
    gcp: ["7.0", "7.1", "7.2"],
} as const satisfies Record<string, readonly string[]>;

/** The Memorystore version a configured Redis version runs as. */
export const memorystoreRedisVersions: Readonly<Record<string, string>> = { "7.0": "REDIS_7_0", "7.1": "REDIS_7_2", "7.2": "REDIS_7_2" };

/** The oldest Kubernetes minor in standard support on either cloud: the policy pack's default minimum. */
export const oldestSupportedKubernetesVersion = "1.34";

/**
 * The Redis behind the LLM gateway's rate limiter (docs/ai-gateway.md): the official image, its 8.10
 * line on Alpine, listed at https://raw.githubusercontent.com/docker-library/official-images/master/library/redis
 * (tags 8.10.2-alpine, 8.10-alpine; read 2026-11-27). It runs as the image's `redis` user (UID 999).
 */
export const rateLimitRedisImage = { ref: "docker.io/library/redis:8.10.2-alpine", uid: 999 } as const;
