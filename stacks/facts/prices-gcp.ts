/**
 * Google Cloud on-demand list prices in USD, per region, for what the program declares: no committed-use
 * or sustained-use discounts, no free-tier credits except where a price says so. Hourly figures are per
 * hour, storage per GB-month.
 *
 * Sources (read 2026-11-27; see docs/cost.md for how far they are from a real bill):
 * - Cloud Billing Catalog (SKUs) and the pricing pages: https://cloud.google.com/compute/vm-instance-pricing,
 *   /compute/disks-image-pricing, /kubernetes-engine/pricing, /nat/pricing, /vpc/network-pricing,
 *   /sql/pricing, /memorystore/docs/redis/pricing, /kms/pricing, /secret-manager/pricing,
 *   /stackdriver/pricing, /storage/pricing, /artifact-registry/pricing, /billing/docs/how-to/budgets.
 */

/** Per-vCPU and per-GB-of-memory hourly rates of a Compute Engine machine family. */
export interface MachineFamilyRates {
    vcpuHourly: number;
    memoryGbHourly: number;
}

/** Memorystore for Redis per GB-hour by capacity tier (M1 1–4 GB, M2 5–10, M3 11–35, M4 36–100, M5 > 100). */
export interface MemorystoreRates {
    basic: [m1: number, m2: number, m3: number, m4: number, m5: number];
    standard: [m1: number, m2: number, m3: number, m4: number, m5: number];
}

export interface GcpPriceTable {
    region: string;
    source: string;
    read: string;
    /** Predefined machine types are priced from their family's vCPU and memory rates. */
    machineFamilies: Record<string, MachineFamilyRates>;
    /** Shared-core machine types have their own price. */
    sharedCoreHourly: Record<string, number>;
    diskGbMonth: { "pd-standard": number; "pd-balanced": number; "pd-ssd": number };
    /** GKE cluster management fee per cluster-hour (Standard; the free-tier credit covers one zonal cluster only). */
    gkeClusterHourly: number;
    /** Cloud NAT: per VM using the gateway per hour (up to 32 VMs), per NAT IP per hour, per GB processed. */
    natPerVmHourly: number;
    natMaxVms: number;
    natCappedHourly: number;
    natIpHourly: number;
    natPerGb: number;
    /** Forwarding rule of a passthrough network load balancer (first five rules of a project). */
    forwardingRuleHourly: number;
    /** Cloud SQL Enterprise edition, zonal; a REGIONAL (HA) instance costs `cloudSqlHaFactor` times as much. */
    cloudSql: { vcpuHourly: number; memoryGbHourly: number; ssdGbMonth: number; hddGbMonth: number; backupGbMonth: number };
    cloudSqlHaFactor: number;
    /** Shared-core Cloud SQL tiers. */
    cloudSqlSharedCoreHourly: Record<string, number>;
    memorystore: MemorystoreRates;
    /** Cloud KMS per active software key version per month. */
    kmsKeyVersionMonthly: number;
    /** Secret Manager per active secret version per replica location per month. */
    secretVersionMonthly: number;
    /** Cloud Logging ingestion per GB beyond `loggingFreeGb` per project and month (30 days of storage included). */
    loggingIngestPerGb: number;
    loggingFreeGb: number;
    storageStandardGbMonth: number;
    artifactRegistryGbMonth: number;
    /** Premium-tier internet egress per GB (first TiB, worldwide destinations except China and Australia). */
    internetEgressPerGb: number;
}

const source = "Cloud Billing Catalog and cloud.google.com/<product>/pricing pages (on-demand)";

/** Iowa: the reference table, and the prices South Carolina and Oregon share for everything priced here. */
const usCentral1: GcpPriceTable = {
    region: "us-central1",
    source,
    read: "2026-11-27",
    machineFamilies: {
        e2: { vcpuHourly: 0.021811, memoryGbHourly: 0.002923 },
        n2: { vcpuHourly: 0.031611, memoryGbHourly: 0.004237 },
        n2d: { vcpuHourly: 0.027502, memoryGbHourly: 0.003686 },
        n1: { vcpuHourly: 0.031611, memoryGbHourly: 0.004237 },
    },
    sharedCoreHourly: { "e2-micro": 0.008376, "e2-small": 0.016751, "e2-medium": 0.033503 },
    diskGbMonth: { "pd-standard": 0.04, "pd-balanced": 0.1, "pd-ssd": 0.17 },
    gkeClusterHourly: 0.1,
    natPerVmHourly: 0.0014,
    natMaxVms: 32,
    natCappedHourly: 0.044,
    natIpHourly: 0.005,
    natPerGb: 0.045,
    forwardingRuleHourly: 0.025,
    cloudSql: { vcpuHourly: 0.0413, memoryGbHourly: 0.007, ssdGbMonth: 0.17, hddGbMonth: 0.09, backupGbMonth: 0.08 },
    cloudSqlHaFactor: 2,
    cloudSqlSharedCoreHourly: { "db-f1-micro": 0.0105, "db-g1-small": 0.035 },
    memorystore: { basic: [0.049, 0.027, 0.023, 0.019, 0.016], standard: [0.064, 0.054, 0.046, 0.038, 0.032] },
    kmsKeyVersionMonthly: 0.06,
    secretVersionMonthly: 0.06,
    loggingIngestPerGb: 0.5,
    loggingFreeGb: 50,
    storageStandardGbMonth: 0.02,
    artifactRegistryGbMonth: 0.1,
    internetEgressPerGb: 0.12,
};

/** Belgium: compute, Cloud SQL, Memorystore and disks about 10 % above Iowa. Approximate: the US rates with the regional uplift; re-read before relying on them. */
const europeWest1: GcpPriceTable = {
    ...usCentral1,
    region: "europe-west1",
    machineFamilies: {
        e2: { vcpuHourly: 0.023988, memoryGbHourly: 0.003215 },
        n2: { vcpuHourly: 0.034773, memoryGbHourly: 0.004661 },
        n2d: { vcpuHourly: 0.030252, memoryGbHourly: 0.004055 },
        n1: { vcpuHourly: 0.034773, memoryGbHourly: 0.004661 },
    },
    sharedCoreHourly: { "e2-micro": 0.009213, "e2-small": 0.018426, "e2-medium": 0.036852 },
    diskGbMonth: { "pd-standard": 0.044, "pd-balanced": 0.11, "pd-ssd": 0.187 },
    cloudSql: { vcpuHourly: 0.0454, memoryGbHourly: 0.0077, ssdGbMonth: 0.187, hddGbMonth: 0.099, backupGbMonth: 0.088 },
    cloudSqlSharedCoreHourly: { "db-f1-micro": 0.0116, "db-g1-small": 0.0385 },
    memorystore: { basic: [0.054, 0.03, 0.025, 0.021, 0.018], standard: [0.07, 0.059, 0.051, 0.042, 0.035] },
    storageStandardGbMonth: 0.02,
};

/** Price tables by region. A region without one is priced at `gcpReferenceRegion` and every item says so. */
export const gcpPrices: Record<string, GcpPriceTable> = {
    "us-central1": usCentral1,
    "us-east1": { ...usCentral1, region: "us-east1" },
    "us-west1": { ...usCentral1, region: "us-west1" },
    "europe-west1": europeWest1,
};

export const gcpReferenceRegion = "us-central1";

/**
 * Types Google Cloud does not bill by themselves: configuration, identity, networking plumbing, or
 * resources whose cost is counted on another one (a log sink's volume on the log bucket, a database
 * and its users on the instance, a secret on its active versions). Budgets and notification channels are free.
 */
export const gcpFreeTypes: readonly string[] = [
    "gcp:compute/firewall:Firewall",
    "gcp:compute/globalAddress:GlobalAddress",
    "gcp:compute/network:Network",
    "gcp:compute/router:Router",
    "gcp:compute/subnetwork:Subnetwork",
    "gcp:kms/keyRing:KeyRing",
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
    "gcp:logging/projectSink:ProjectSink",
    "gcp:projects/iAMMember:IAMMember",
    "gcp:projects/service:Service",
    "gcp:secretmanager/secretIamMember:SecretIamMember",
    "gcp:secretmanager/secret:Secret",
    "gcp:serviceaccount/account:Account",
    "gcp:serviceaccount/iAMMember:IAMMember",
    "gcp:servicenetworking/connection:Connection",
    "gcp:sql/database:Database",
    "gcp:sql/user:User",
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:billing/budget:Budget",
    "gcp:monitoring/notificationChannel:NotificationChannel",
];
