/**
 * What prod may not weaken. Each is a floor or a required value for a durability or exposure setting;
 * staging may go below them. The policy pack's prod config (policy/config/prod.json) uses the same
 * numbers where it has the same rule, and a test holds the two together.
 *
 * - Log retention 30 days, flow logs 90 days: CIS AWS Foundations and PCI DSS 10.5.1 ask for at least
 *   90 days of network/audit logs immediately available; 30 days of application logs covers a
 *   monthly incident review. https://www.pcisecuritystandards.org/document_library/ (read 2026-11-27).
 * - Database backups 30 days (policy aws-rds-backup-retention / gcp-sql-backups, prod), dumps 7 days.
 * - At least 2 nodes and 2 API replicas: one zone or node failing keeps the API up (policy
 *   aws-eks-node-autoscaling minimumNodes 2).
 * - Let's Encrypt's staging directory issues certificates no browser trusts:
 *   https://letsencrypt.org/docs/staging-environment/ (read 2026-11-27).
 * - GKE's RAPID channel is not covered by the GKE SLA: https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels (read 2026-11-27).
 */
export const prodMinimums = {
    logRetentionDays: 30,
    flowLogRetentionDays: 90,
    databaseBackupRetentionDays: 30,
    dumpRetentionDays: 7,
    cacheSnapshotRetentionDays: 1,
    minNodes: 2,
    apiMinReplicas: 2,
    /** Edge proxies: one node or zone going away leaves the edge serving. */
    edgeProxyReplicas: 2,
    /** Add-on controllers (cert-manager and its webhook, KEDA, metrics-server): a webhook with one pod refuses every admission while that pod moves. */
    addonControllerReplicas: 2,
} as const;

/** Settings that must be on in prod, with why. */
export const prodRequiredFlags: readonly { path: string; why: string }[] = [
    { path: "protectData", why: "a stray `pulumi destroy` must not delete the database, cache, backups or keys" },
    { path: "cluster.deletionProtection", why: "a stray `pulumi destroy` must not take the cluster" },
    { path: "database.deletionProtection", why: "a stray `pulumi destroy` must not take the database" },
    { path: "database.highAvailability", why: "a zone outage must not take the database down" },
    { path: "database.pointInTimeRecovery", why: "the recovery point would be the last daily dump" },
    { path: "cache.highAvailability", why: "a node failure must not take rate limits and queues down" },
    { path: "backup.crossRegion", why: "a regional outage must not take the backups with it" },
    { path: "network.natGatewayPerZone", why: "one zone's NAT failing must not cut every zone's egress" },
];

export const stagingAcmeDirectories: readonly string[] = ["https://acme-staging-v02.api.letsencrypt.org/directory"];
/** ClusterIssuer names that select the staging directory (components/workloads/addons.ts: a name mentioning "staging"). */
export const stagingIssuerPattern = /staging/;

/** GKE release channels prod may use. */
export const prodReleaseChannels: readonly string[] = ["REGULAR", "STABLE"];
