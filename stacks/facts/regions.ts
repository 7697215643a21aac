/**
 * Regions each cloud offers, for `aws:region`, `gcp:region` and `backup.region`.
 *
 * Sources, read 2026-11-27:
 * - AWS: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 *   (commercial, AWS GovCloud (US) and China partitions; opt-in regions included, they need enabling in the account).
 * - GCP: https://cloud.google.com/compute/docs/regions-zones (regions with GKE, Cloud SQL and Memorystore).
 */
export const awsRegions: readonly string[] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-south-2",
    "eu-north-1",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "mx-central-1",
    "sa-east-1",
    "us-gov-east-1",
    "us-gov-west-1",
    "cn-north-1",
    "cn-northwest-1",
];

/**
 * AWS regions whose accounts get fewer than three Availability Zones without opt-in (us-west-1 offers
 * two to new accounts). Every other region offers at least three.
 * Source: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html (2026-11-27).
 */
export const awsRegionZoneCounts: Readonly<Record<string, number>> = { "us-west-1": 2 };

export const gcpRegions: readonly string[] = [
    "africa-south1",
    "asia-east1",
    "asia-east2",
    "asia-northeast1",
    "asia-northeast2",
    "asia-northeast3",
    "asia-south1",
    "asia-south2",
    "asia-southeast1",
    "asia-southeast2",
    "australia-southeast1",
    "australia-southeast2",
    "europe-central2",
    "europe-north1",
    "europe-north2",
    "europe-southwest1",
    "europe-west1",
    "europe-west2",
    "europe-west3",
    "europe-west4",
    "europe-west6",
    "europe-west8",
    "europe-west9",
    "europe-west10",
    "europe-west12",
    "me-central1",
    "me-central2",
    "me-west1",
    "northamerica-northeast1",
    "northamerica-northeast2",
    "northamerica-south1",
    "southamerica-east1",
    "southamerica-west1",
    "us-central1",
    "us-east1",
    "us-east4",
    "us-east5",
    "us-south1",
    "us-west1",
    "us-west2",
    "us-west3",
    "us-west4",
];

/**
 * Cloud SQL backup multi-regions (`backupConfiguration.location`), which hold a region's backups away from it.
 * Source: https://cloud.google.com/sql/docs/postgres/locations#location-mr (2026-11-27).
 */
export const gcpBackupMultiRegions: readonly string[] = ["us", "eu", "asia"];
