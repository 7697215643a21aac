import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import { recordedSoFar, runProgram } from "../../tools/engine/harness";

/**
 * `protectData` alone decides what `pulumi destroy` may not delete on AWS, whatever the environment:
 * staging turns it on like prod, and prod may not turn it off.
 */
let staging: ProgramRun;
let protectedStaging: ProgramRun;

beforeAll(async () => {
    staging = await runProgram({ stack: "staging", config: { "ai-platform:backup.crossRegion": true } });
    protectedStaging = await runProgram({ stack: "staging", config: { "ai-platform:backup.crossRegion": true, "ai-platform:protectData": true } });
}, 60_000);

/** What holds data: the database, the cache, the dumps buckets (primary and replica) and every KMS key, the recovery region's included. */
const dataResources = (run: ProgramRun): RecordedResource[] => [
    run.one("aws:rds/instance:Instance"),
    run.one("aws:elasticache/replicationGroup:ReplicationGroup"),
    ...run.ofType("aws:s3/bucket:Bucket"),
    ...run.ofType("aws:kms/key:Key"),
];
const protection = (run: ProgramRun) => dataResources(run).map((r) => ({ name: r.name, protect: r.options.protect }));

describe("protectData on AWS", () => {
    test("staging's default leaves the data unprotected, so the stack tears down cleanly", () => {
        const guarded = protection(staging);
        // database, cache, two buckets, eight keys, the replica's key and the recovery region's RDS key
        expect(guarded).toHaveLength(14);
        expect(guarded).toEqual(guarded.map(({ name }) => ({ name, protect: false })));
    });

    test("turned on in staging: every data resource is protected, as in prod", () => {
        const guarded = protection(protectedStaging);
        expect(guarded).toHaveLength(14);
        expect(guarded).toEqual(guarded.map(({ name }) => ({ name, protect: true })));
    });

    test("turned on in staging: keys and secrets get the long deletion windows and the repository keeps its images", () => {
        for (const run of [staging, protectedStaging]) {
            const on = run === protectedStaging;
            for (const key of run.ofType("aws:kms/key:Key")) expect({ key: key.name, days: key.inputs.deletionWindowInDays }).toEqual({ key: key.name, days: on ? 30 : 7 });
            for (const secret of run.ofType("aws:secretsmanager/secret:Secret"))
                expect({ secret: secret.name, days: secret.inputs.recoveryWindowInDays }).toEqual({ secret: secret.name, days: on ? 30 : 7 });
            expect(run.one("aws:ecr/repository:Repository").inputs.forceDelete).toBe(!on);
            for (const bucket of run.ofType("aws:s3/bucket:Bucket")) expect({ bucket: bucket.name, forceDestroy: bucket.inputs.forceDestroy }).toEqual({ bucket: bucket.name, forceDestroy: !on });
        }
    });

    test("only protection changes: the same resources, and the environment's other values stay staging's", () => {
        expect(protectedStaging.resources.map((r) => r.urn).sort()).toEqual(staging.resources.map((r) => r.urn).sort());
        expect(protectedStaging.one("aws:rds/instance:Instance").inputs).toMatchObject({ instanceClass: "db.t4g.small", deletionProtection: false, backupRetentionPeriod: 7 });
    });

    test("prod may not turn it off: refused before anything is created", async () => {
        const error = await runProgram({ stack: "prod", config: { "ai-platform:protectData": false } }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(error).toBeInstanceOf(Error);
        expect(error!.message).toMatch(/ai-platform:protectData = "?false"?: must be true in prod/);
        expect(recordedSoFar().filter((r) => r.custom)).toEqual([]);
    });
});
