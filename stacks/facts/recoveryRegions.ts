/**
 * Where cross-region backup copies go when `backup.region` is not set.
 *
 * - AWS: a nearby region of the same geography, far enough to survive a regional outage (RDS
 *   cross-Region automated backup replication pairs, https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html#USER_ReplicateBackups.Regions,
 *   read 2026-11-27). Any other primary region must name its recovery region.
 * - GCP: the Cloud SQL / Cloud Storage multi-region around the primary region, by region prefix
 *   (https://cloud.google.com/sql/docs/postgres/locations, read 2026-11-27).
 */
export const awsRecoveryRegionPairs: Readonly<Record<string, string>> = {
    "us-east-1": "us-west-2",
    "us-east-2": "us-west-2",
    "us-west-1": "us-east-1",
    "us-west-2": "us-east-1",
    "ca-central-1": "us-east-1",
    "eu-west-1": "eu-central-1",
    "eu-west-2": "eu-west-1",
    "eu-west-3": "eu-central-1",
    "eu-central-1": "eu-west-1",
    "eu-north-1": "eu-central-1",
    "ap-southeast-1": "ap-southeast-2",
    "ap-southeast-2": "ap-southeast-1",
    "ap-northeast-1": "ap-northeast-3",
    "ap-northeast-2": "ap-northeast-1",
    "ap-south-1": "ap-southeast-1",
    "sa-east-1": "us-east-1",
};

export const gcpMultiRegionsByPrefix: readonly (readonly [prefix: string, multiRegion: string])[] = [
    ["us-", "us"],
    ["europe-", "eu"],
    ["asia-", "asia"],
];
