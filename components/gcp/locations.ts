import type { Settings } from "../../stacks";
import { multiRegionOf } from "../../stacks/rules/gcp";
import { memorystoreRedisVersions } from "../../stacks/facts/versions";

/**
 * Location rules that only GCP has. Kept apart from the components so the rules can be read, and
 * tested, on their own.
 */

export { multiRegionOf } from "../../stacks/rules/gcp";

/**
 * Cloud Storage multi-regions and the Cloud KMS location of the same name: a CMEK key must live where
 * the bucket does, and the Cloud KMS multi-region that matches Cloud Storage's EU is "europe".
 * Sources: https://cloud.google.com/storage/docs/locations, https://cloud.google.com/kms/docs/locations (2026-11).
 */
const storageMultiRegions: [prefix: string, bucket: string, key: string][] = [
    ["us-", "US", "us"],
    ["europe-", "EU", "europe"],
    ["asia-", "ASIA", "asia"],
];

/** Where the dumps bucket and its key live. */
export interface DumpLocation {
    /** Cloud Storage location of the bucket (`US`, or the region in upper case). */
    bucket: string;
    /** Cloud KMS location of its key (`us`, or the region). */
    key: string;
}

/**
 * The dumps bucket is regional unless `backup.crossRegion` is on; then it is the multi-region around
 * the stack's region (Cloud Storage keeps a copy in a second region of it, 100 miles apart or more), so
 * the dumps outlive the loss of the region. The settings refuse a region in no multi-region.
 */
export function dumpBucketLocation(settings: Pick<Settings, "backup" | "region">): DumpLocation {
    if (!settings.backup.crossRegion) return { bucket: settings.region.toUpperCase(), key: settings.region };
    const multi = storageMultiRegions.find(([prefix]) => settings.region.startsWith(prefix));
    if (multi) return { bucket: multi[1], key: multi[2] };
    // stacks/rules/gcp.ts refuses backup.crossRegion in a region outside every multi-region.
    throw new Error(`no Cloud Storage multi-region contains ${settings.region}; the settings should have refused backup.crossRegion`);
}

/**
 * Where Cloud SQL keeps its automated backups: undefined (Cloud SQL's own choice) unless
 * `backup.crossRegion` is on; then `backup.region` when set, else the multi-region around the
 * primary region, so that a regional outage does not take the backups with it. The settings have
 * refused a region with neither.
 */
export function databaseBackupLocation(settings: Pick<Settings, "backup" | "region">): string | undefined {
    if (!settings.backup.crossRegion) return undefined;
    return settings.backup.region?.trim() || multiRegionOf(settings.region);
}

/** Memorystore's version name for a Redis version the settings accepted ("7.1" runs as REDIS_7_2, never down). */
export function memorystoreRedisVersion(engineVersion: string): string {
    return memorystoreRedisVersions[engineVersion];
}

/** Service account IDs are 6–30 characters of [a-z0-9-], starting with a letter. */
export function serviceAccountId(prefix: string, role: string): string {
    const id = `${prefix}-${role}`;
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(id)) {
        throw new Error(`service account ID "${id}" is not valid on GCP (6–30 characters of a-z, 0-9 and -); shorten the project or environment name`);
    }
    return id;
}
