import { SettingsError, type Settings } from "../../stacks";

/**
 * Location rules that only GCP has. Kept apart from the components so the rules can be read, and
 * tested, on their own.
 */

/** Cloud SQL / Cloud Storage multi-regions, by the prefix of the regions they hold. */
const multiRegions: [prefix: string, multiRegion: string][] = [
    ["us-", "us"],
    ["europe-", "eu"],
    ["asia-", "asia"],
];

/** The multi-region that contains a region (`us-central1` → `us`), or undefined when none does. */
export function multiRegionOf(region: string): string | undefined {
    return multiRegions.find(([prefix]) => region.startsWith(prefix))?.[1];
}

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
 * the dumps outlive the loss of the region. A region in no multi-region cannot hold cross-region dumps.
 */
export function dumpBucketLocation(settings: Pick<Settings, "backup" | "region">): DumpLocation {
    if (!settings.backup.crossRegion) return { bucket: settings.region.toUpperCase(), key: settings.region };
    const multi = storageMultiRegions.find(([prefix]) => settings.region.startsWith(prefix));
    if (multi) return { bucket: multi[1], key: multi[2] };
    throw new SettingsError([
        {
            key: "ai-platform:backup.crossRegion",
            value: true,
            allowed: `cannot keep the dumps in a second region: "${settings.region}" is in no Cloud Storage multi-region (${storageMultiRegions.map(([p]) => `${p}*`).join(", ")}); turn it off or run the stack in such a region`,
        },
    ]);
}

/**
 * Where Cloud SQL keeps its automated backups: undefined (Cloud SQL's own choice) unless
 * `backup.crossRegion` is on; then `backup.region` when set, else the multi-region around the
 * primary region, so that a regional outage does not take the backups with it.
 */
export function databaseBackupLocation(settings: Pick<Settings, "backup" | "region">): string | undefined {
    if (!settings.backup.crossRegion) return undefined;
    if (settings.backup.region) return settings.backup.region;
    const derived = multiRegionOf(settings.region);
    if (derived) return derived;
    throw new SettingsError([
        {
            key: "ai-platform:backup.region",
            value: undefined,
            allowed: `must be set when ai-platform:backup.crossRegion is true and the region "${settings.region}" is not in a Cloud SQL multi-region (us-*, europe-*, asia-*); use a multi-region ("us", "eu", "asia") or another region`,
        },
    ]);
}

/**
 * Memorystore's version name for a Redis 7 version. Memorystore offers 7.0 and 7.2; a minor it does
 * not offer (7.1, the ElastiCache default the settings share) maps to the next one it does, never down.
 */
export function memorystoreRedisVersion(engineVersion: string): string {
    const offered = [0, 2];
    const minor = Number(engineVersion.split(".")[1] ?? offered[offered.length - 1]);
    const chosen = offered.find((m) => m >= minor);
    if (chosen === undefined) {
        throw new SettingsError([{ key: "ai-platform:cache.engineVersion", value: engineVersion, allowed: `Memorystore offers Redis ${offered.map((m) => `7.${m}`).join(" and ")}` }]);
    }
    return `REDIS_7_${chosen}`;
}

/** Service account IDs are 6–30 characters of [a-z0-9-], starting with a letter. */
export function serviceAccountId(prefix: string, role: string): string {
    const id = `${prefix}-${role}`;
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(id)) {
        throw new Error(`service account ID "${id}" is not valid on GCP (6–30 characters of a-z, 0-9 and -); shorten the project or environment name`);
    }
    return id;
}
