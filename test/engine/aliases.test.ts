import { aliasUrns, makeUrn, urnChanges } from "../../tools/engine/aliases";

/** Known answers: URNs as the Pulumi engine builds them, and its alias rules for renamed components and children. */
const stack = "prod";
const project = "ai-platform";
const root = makeUrn(stack, project, undefined, "pulumi:pulumi:Stack", "ai-platform-prod");

describe("alias URNs as the engine computes them", () => {
    it("builds URNs with the parent's type chain, leaving the root stack's type out", () => {
        const foundation = makeUrn(stack, project, root, "ai-platform:gcp:Foundation", "ai-platform");
        expect(foundation).toBe("urn:pulumi:prod::ai-platform::ai-platform:gcp:Foundation::ai-platform");
        expect(makeUrn(stack, project, foundation, "ai-platform:gcp:Cache", "ai-platform-cache")).toBe(
            "urn:pulumi:prod::ai-platform::ai-platform:gcp:Foundation$ai-platform:gcp:Cache::ai-platform-cache",
        );
    });

    it("carries a component's children along when the component's type is renamed", () => {
        const foundation = makeUrn(stack, project, root, "ai-platform:gcp:Foundation", "ai-platform");
        const cache = makeUrn(stack, project, foundation, "ai-platform:gcp:Cache", "ai-platform-cache");
        const instance = makeUrn(stack, project, cache, "gcp:redis/instance:Instance", "ai-platform-cache-instance");
        const before = [
            foundation,
            "urn:pulumi:prod::ai-platform::ai-platform:gcp:Foundation$ai-platform:gcp:MemorystoreCache::ai-platform-cache",
            "urn:pulumi:prod::ai-platform::ai-platform:gcp:Foundation$ai-platform:gcp:MemorystoreCache$gcp:redis/instance:Instance::ai-platform-cache-instance",
        ];
        const after = [
            { urn: foundation, type: "ai-platform:gcp:Foundation", name: "ai-platform", parent: root },
            { urn: cache, type: "ai-platform:gcp:Cache", name: "ai-platform-cache", parent: foundation, aliases: [{ type: "ai-platform:gcp:MemorystoreCache" }] },
            { urn: instance, type: "gcp:redis/instance:Instance", name: "ai-platform-cache-instance", parent: cache },
        ];
        expect(aliasUrns(after).get(instance)).toEqual([before[2]]);
        expect(urnChanges(before, after)).toEqual({
            kept: new Map([
                [before[0], foundation],
                [before[1], cache],
                [before[2], instance],
            ]),
            created: [],
            deleted: [],
        });
    });

    it("renames a child whose name starts with a renamed parent's name, and combines a child's own alias with its parent's", () => {
        const parentOld = makeUrn(stack, project, undefined, "ai-platform:aws:Backups", "ai-platform-backups");
        const parent = makeUrn(stack, project, undefined, "ai-platform:aws:Backups", "ai-platform-backup");
        const child = makeUrn(stack, project, parent, "aws:s3/bucketV2:BucketV2", "ai-platform-backup-bucket");
        const after = [
            { urn: parent, type: "ai-platform:aws:Backups", name: "ai-platform-backup", aliases: [{ name: "ai-platform-backups" }] },
            { urn: child, type: "aws:s3/bucketV2:BucketV2", name: "ai-platform-backup-bucket", parent, aliases: [{ name: "ai-platform-backup-store" }] },
        ];
        const urns = aliasUrns(after);
        expect(urns.get(parent)).toEqual([parentOld]);
        expect(urns.get(child)).toEqual(
            expect.arrayContaining([
                makeUrn(stack, project, parent, "aws:s3/bucketV2:BucketV2", "ai-platform-backup-store"),
                makeUrn(stack, project, parentOld, "aws:s3/bucketV2:BucketV2", "ai-platform-backups-bucket"),
                makeUrn(stack, project, parentOld, "aws:s3/bucketV2:BucketV2", "ai-platform-backup-store"),
            ]),
        );
    });

    it("builds aliases the mocks' way for records made under Pulumi's mocks, which qualify a child by its parent's own type only", () => {
        // The harness and the recorded plans run on MockMonitor, whose URNs below a component inside the foundation read
        // `Cache$gcp:redis/...`, not `Foundation$Cache$gcp:redis/...`; an alias built the engine's way would never match them.
        const mockUrn = (parent: string | undefined, type: string, name: string) => makeUrn(stack, project, parent, type, name, "parentType");
        const foundation = mockUrn(undefined, "ai-platform:gcp:Foundation", "ai-platform");
        const cache = mockUrn(foundation, "ai-platform:gcp:Cache", "ai-platform-cache");
        const instance = mockUrn(cache, "gcp:redis/instance:Instance", "ai-platform-cache-redis");
        const backup = mockUrn(foundation, "ai-platform:gcp:BackupBucket", "ai-platform-backup");
        const bucket = mockUrn(backup, "gcp:storage/bucket:Bucket", "ai-platform-backup-backups");
        expect(instance).toBe("urn:pulumi:prod::ai-platform::ai-platform:gcp:Cache$gcp:redis/instance:Instance::ai-platform-cache-redis");
        const before = [
            foundation,
            "urn:pulumi:prod::ai-platform::ai-platform:gcp:Foundation$ai-platform:gcp:MemorystoreCache::ai-platform-cache",
            "urn:pulumi:prod::ai-platform::ai-platform:gcp:MemorystoreCache$gcp:redis/instance:Instance::ai-platform-cache-redis",
            "urn:pulumi:prod::ai-platform::ai-platform:gcp:Foundation$ai-platform:gcp:BackupBucket::ai-platform-backups",
            "urn:pulumi:prod::ai-platform::ai-platform:gcp:BackupBucket$gcp:storage/bucket:Bucket::ai-platform-backups-bucket",
        ];
        const after = [
            { urn: foundation, type: "ai-platform:gcp:Foundation", name: "ai-platform" },
            { urn: cache, type: "ai-platform:gcp:Cache", name: "ai-platform-cache", parent: foundation, aliases: [{ type: "ai-platform:gcp:MemorystoreCache" }] },
            { urn: instance, type: "gcp:redis/instance:Instance", name: "ai-platform-cache-redis", parent: cache },
            { urn: backup, type: "ai-platform:gcp:BackupBucket", name: "ai-platform-backup", parent: foundation, aliases: [{ name: "ai-platform-backups" }] },
            { urn: bucket, type: "gcp:storage/bucket:Bucket", name: "ai-platform-backup-backups", parent: backup, aliases: [{ name: "ai-platform-backup-bucket" }] },
        ];
        const changes = urnChanges(before, after);
        expect(changes.deleted).toEqual([]);
        expect(changes.kept.get(before[2])).toBe(instance);
        expect(changes.kept.get(before[4])).toBe(bucket);
    });

    it("reports a rename without an alias as a delete and a create", () => {
        const before = [makeUrn(stack, project, undefined, "ai-platform:gcp:MemorystoreCache", "c")];
        const after = [{ urn: makeUrn(stack, project, undefined, "ai-platform:gcp:Cache", "c"), type: "ai-platform:gcp:Cache", name: "c" }];
        expect(urnChanges(before, after)).toEqual({ kept: new Map(), created: [after[0].urn], deleted: before });
    });

    it("makes an alias the way the URNs were made: a mock monitor's child URN carries only its parent's own type", () => {
        // The SDK's mock monitor (and so the harness and every recorded plan) writes `Parent$Child` where the engine writes `Root$Parent$Child`.
        const component = "urn:pulumi:prod::ai-platform::ai-platform:workloads:AgentPlatform$ai-platform:workloads:MigrationJob::ai-platform-migrate";
        const job = "urn:pulumi:prod::ai-platform::ai-platform:workloads:MigrationJob$kubernetes:batch/v1:Job::ai-platform-migrate-job";
        const old = "urn:pulumi:prod::ai-platform::ai-platform:workloads:MigrationJob$kubernetes:batch/v1:Job::ai-platform-migrate";
        const after = [
            { urn: component, type: "ai-platform:workloads:MigrationJob", name: "ai-platform-migrate" },
            { urn: job, type: "kubernetes:batch/v1:Job", name: "ai-platform-migrate-job", parent: component, aliases: [{ name: "ai-platform-migrate", parentUrn: component }] },
        ];
        expect(urnChanges([component, old], after)).toEqual({
            kept: new Map([
                [component, component],
                [old, job],
            ]),
            created: [],
            deleted: [],
        });
        // Without the alias the old Job would be deleted.
        expect(urnChanges([component, old], [after[0], { ...after[1], aliases: [] }]).deleted).toEqual([old]);
    });

    it("honours a spec that moves a resource to the stack root", () => {
        const parent = makeUrn(stack, project, undefined, "ai-platform:x:Parent", "p");
        const child = makeUrn(stack, project, parent, "k8s:core/v1:Namespace", "ns");
        expect(
            aliasUrns([
                { urn: parent, type: "ai-platform:x:Parent", name: "p" },
                { urn: child, type: "k8s:core/v1:Namespace", name: "ns", parent, aliases: [{ noParent: true }] },
            ]).get(child),
        ).toEqual(["urn:pulumi:prod::ai-platform::k8s:core/v1:Namespace::ns"]);
    });
});

describe("the harness records the aliases a program declares", () => {
    it("turns the SDK's alias specs into the URNs the engine would match against the old state", async () => {
        const { runProgram } = await import("../../tools/engine/harness");
        const path = await import("path");
        const run = await runProgram({ stack: "prod", program: path.join(__dirname, "..", "fixtures", "aliasProgram.ts"), ignoreStackFile: true, reuse: false });
        const cache = run.one("test:index:Cache");
        expect(cache.options.aliases).toEqual([{ type: "test:index:MemorystoreCache" }, { name: "old-cache" }]);
        const id = run.one("random:index/randomId:RandomId");
        const before = [
            "urn:pulumi:prod::ai-platform::test:index:MemorystoreCache::cache",
            "urn:pulumi:prod::ai-platform::test:index:MemorystoreCache$random:index/randomId:RandomId::cache-identifier",
        ];
        const changes = urnChanges(before, run.resources);
        expect(changes.kept).toEqual(
            new Map([
                [before[0], cache.urn],
                [before[1], id.urn],
            ]),
        );
        expect(changes.deleted).toEqual([]);
    });
});
