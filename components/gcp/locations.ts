import type { Settings } from "../../stacks";
import { multiRegionOf } from "../../stacks/rules/gcp";
import { memorystoreRedisVersions } from "../../stacks/facts/versions";

/**
 * Location rules that only GCP has. Kept apart from the components so the rules can be read, and
 * tested, on their own.
 */

export { multiRegionOf } from "../../stacks/rules/gcp";

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
