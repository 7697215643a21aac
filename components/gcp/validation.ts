import { SettingsError, type Settings, type SettingsProblem } from "../../stacks";
import { cacheShape } from "./cache";
import { checkCloudSqlPort } from "./database";
import { databaseBackupLocation, dumpBucketLocation, memorystoreRedisVersion } from "./locations";

/**
 * The settings rules only GCP has, checked together before the foundation declares anything, so that
 * bad config fails with one message naming every problem, like the settings' own validation.
 */
export function checkGcpSettings(settings: Settings): void {
    const problems: SettingsProblem[] = [];
    const collect = (check: () => unknown) => {
        try {
            check();
        } catch (e) {
            if (e instanceof SettingsError) problems.push(...e.problems);
            else throw e;
        }
    };
    if (!settings.gcpProject) problems.push({ key: "gcp:project", value: undefined, allowed: "is required when ai-platform:cloud is gcp (the project ID)" });
    collect(() => databaseBackupLocation(settings));
    collect(() => dumpBucketLocation(settings));
    collect(() => checkCloudSqlPort(settings.database));
    collect(() => cacheShape(settings.cache));
    collect(() => memorystoreRedisVersion(settings.cache.engineVersion));
    if (problems.length > 0) throw new SettingsError(problems);
}
