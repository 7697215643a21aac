import { cacheShape } from "../../components/gcp/cache";
import { databaseBackupLocation, dumpBucketLocation, memorystoreRedisVersion, multiRegionOf, serviceAccountId } from "../../components/gcp/locations";
import { environmentDefaults } from "../../stacks/defaults";
import { recordedSoFar, runProgram } from "../../tools/engine/harness";
import { gcpConfig, prebuiltDigestRef } from "./gcpStack";

/** A run that must be refused before any cloud resource is declared; resolves to the error's message. */
async function refused(stack: string, config: Record<string, unknown>): Promise<string> {
    const error = await runProgram({ stack, config: { ...gcpConfig, "ai-platform:image.ref": prebuiltDigestRef, ...config } }).then(
        () => undefined,
        (e: Error) => e,
    );
    expect(error).toBeDefined();
    expect(error!.name).toBe("SettingsError");
    // Let any registration already under way reach the mock monitor before looking.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recordedSoFar().filter((r) => r.custom)).toEqual([]);
    return error!.message;
}

describe("refused stack configurations", () => {
    test("a cross-region backup location that cannot be derived from the region", async () => {
        const message = await refused("prod", { "gcp:region": "australia-southeast1" });
        expect(message).toContain("ai-platform:backup.region");
        expect(message).toContain("australia-southeast1");
        // The dumps bucket cannot leave a region no multi-region holds either: both named at once.
        expect(message).toContain("ai-platform:backup.crossRegion");
    });

    test("cross-region dumps in a region no multi-region holds, even with backup.region for the database", async () => {
        const message = await refused("prod", { "gcp:region": "australia-southeast1", "ai-platform:backup.region": "australia-southeast2" });
        expect(message).toMatch(/ai-platform:backup\.crossRegion = true \(default\): cannot keep the dumps in a second region: "australia-southeast1" is in no Cloud Storage multi-region/);
    });

    test("prod without protectData: the database, cache, keys and bucket must not be deletable by a stray destroy", async () => {
        const message = await refused("prod", { "ai-platform:protectData": false });
        expect(message).toContain("ai-platform:protectData");
    });

    test("a missing gcp:project (refused by the settings already)", async () => {
        expect(await refused("staging", { "gcp:project": undefined })).toContain("gcp:project");
    });

    test("cache and database shapes Memorystore and Cloud SQL cannot take, all named at once", async () => {
        const message = await refused("prod", { "ai-platform:cache.nodeType": "cache.r6g.large", "ai-platform:database.port": 6543 });
        expect(message).toContain("ai-platform:cache.nodeType");
        expect(message).toContain("ai-platform:database.port");
        expect(message).toMatch(/2 problems/);
    });

    test("a BASIC cache asked to be highly available", async () => {
        expect(await refused("staging", { "ai-platform:cache.highAvailability": true })).toContain("ai-platform:cache.highAvailability");
    });
});

describe("GCP location and shape rules", () => {
    const backup = (over: Partial<{ crossRegion: boolean; region: string }>) => ({ ...environmentDefaults.prod.backup, crossRegion: true, ...over });

    test("the dumps bucket: the region without crossRegion, else the multi-region with its Cloud KMS location", () => {
        expect(dumpBucketLocation({ region: "us-central1", backup: backup({ crossRegion: false }) })).toEqual({ bucket: "US-CENTRAL1", key: "us-central1" });
        expect(dumpBucketLocation({ region: "us-east4", backup: backup({}) })).toEqual({ bucket: "US", key: "us" });
        expect(dumpBucketLocation({ region: "europe-west4", backup: backup({}) })).toEqual({ bucket: "EU", key: "europe" });
        expect(dumpBucketLocation({ region: "asia-northeast1", backup: backup({}) })).toEqual({ bucket: "ASIA", key: "asia" });
        expect(() => dumpBucketLocation({ region: "southamerica-east1", backup: backup({}) })).toThrow(/no Cloud Storage multi-region contains southamerica-east1/);
    });

    test("multi-regions by region prefix", () => {
        expect(multiRegionOf("us-central1")).toBe("us");
        expect(multiRegionOf("us-east4")).toBe("us");
        expect(multiRegionOf("europe-west1")).toBe("eu");
        expect(multiRegionOf("asia-northeast1")).toBe("asia");
        expect(multiRegionOf("australia-southeast1")).toBeUndefined();
        expect(multiRegionOf("northamerica-northeast1")).toBeUndefined();
    });

    test("Cloud SQL backup location: none without crossRegion, backup.region first, else the derived multi-region", () => {
        expect(databaseBackupLocation({ region: "us-central1", backup: backup({ crossRegion: false }) })).toBeUndefined();
        expect(databaseBackupLocation({ region: "us-central1", backup: backup({}) })).toBe("us");
        expect(databaseBackupLocation({ region: "europe-west3", backup: backup({}) })).toBe("eu");
        expect(databaseBackupLocation({ region: "australia-southeast1", backup: backup({ region: "australia-southeast2" }) })).toBe("australia-southeast2");
    });

    test("Redis versions map to what Memorystore offers, never down", () => {
        expect(memorystoreRedisVersion("7.0")).toBe("REDIS_7_0");
        expect(memorystoreRedisVersion("7.1")).toBe("REDIS_7_2");
        expect(memorystoreRedisVersion("7.2")).toBe("REDIS_7_2");
    });

    test("cache shapes: the default GCP sizing maps to Memorystore tiers and replicas", () => {
        const prod = { ...environmentDefaults.prod.cache, nodeType: "STANDARD_HA" };
        expect(cacheShape({ ...prod, nodes: 2, memorySizeGb: 2 })).toEqual({ tier: "STANDARD_HA", replicaCount: 1, snapshots: true });
        expect(cacheShape({ ...environmentDefaults.staging.cache, nodeType: "BASIC" })).toEqual({ tier: "BASIC", snapshots: false });
    });

    test("service account IDs must fit GCP's 30 characters", () => {
        expect(serviceAccountId("ai-platform-staging", "backup")).toBe("ai-platform-staging-backup");
        expect(() => serviceAccountId("a-very-long-project-name-staging", "backup")).toThrow(/not valid/);
    });
});
