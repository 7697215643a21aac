/**
 * TCP ports. 1 to 65535 on the wire (RFC 793); the pods run as non-root, so a container port below
 * 1024 cannot be bound. Source: https://kubernetes.io/docs/concepts/security/pod-security-standards/ (read 2026-11-27).
 * ElastiCache listens on 1024 to 65535: https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html (read 2026-11-27).
 * RDS for PostgreSQL listens on 1150 to 65535: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (read 2026-11-27).
 * Cloud SQL always listens on 5432 and Memorystore on 6379 (neither can be changed).
 */
export const portRanges = {
    tcp: { min: 1, max: 65535 },
    container: { min: 1024, max: 65535 },
    elastiCache: { min: 1024, max: 65535 },
    rds: { min: 1150, max: 65535 },
} as const;

export const fixedPorts = { cloudSql: 5432, memorystore: 6379 } as const;
