import { diffPlans, differingPaths } from "../../tools/planDiff";
import type { PlanJsonResource } from "../../tools/plan/renderJson";

const options = (extra: Record<string, unknown> = {}) => ({
    protect: false,
    ignoreChanges: [],
    retainOnDelete: false,
    deleteBeforeReplace: false,
    additionalSecretOutputs: [],
    dependencies: [],
    ...extra,
});
const resource = (urn: string, extra: Partial<PlanJsonResource> & { aliases?: unknown[] } = {}): PlanJsonResource => {
    const { aliases, ...rest } = extra;
    const [, , , qualified, name] = /^urn:pulumi:([^:]*)::([^:]*)::(.*?)::(.*)$/.exec(urn) ?? [];
    return {
        urn,
        type: qualified.split("$").pop() as string,
        name,
        custom: true,
        read: false,
        inputs: {},
        secretPaths: [],
        ...rest,
        options: options(aliases ? { aliases } : {}) as PlanJsonResource["options"],
    };
};
const u = (qualifiedType: string, name: string) => `urn:pulumi:prod::ai-platform::${qualifiedType}::${name}`;

describe("plan-diff: two plans as the engine would see one deployed over the other", () => {
    const cacheOld = u("ai-platform:gcp:MemorystoreCache", "c");
    const instanceOld = u("ai-platform:gcp:MemorystoreCache$gcp:redis/instance:Instance", "c-instance");
    const cacheNew = u("ai-platform:gcp:Cache", "c");
    const instanceNew = u("ai-platform:gcp:Cache$gcp:redis/instance:Instance", "c-instance");
    const before = {
        resources: [resource(cacheOld, { custom: false }), resource(instanceOld, { parent: cacheOld, inputs: { memorySizeGb: 1 } })],
        outputs: { cacheHost: { value: "10.0.0.3", secret: false } },
    };

    it("finds nothing when a renamed component carries an alias and its child keeps its inputs", () => {
        const after = {
            resources: [resource(cacheNew, { custom: false, aliases: [{ type: "ai-platform:gcp:MemorystoreCache" }] }), resource(instanceNew, { parent: cacheNew, inputs: { memorySizeGb: 1 } })],
            outputs: before.outputs,
        };
        expect(diffPlans(before, after)).toEqual([]);
    });

    it("reports a rename without an alias as a delete and a create of every resource under it", () => {
        const after = { resources: [resource(cacheNew, { custom: false }), resource(instanceNew, { parent: cacheNew, inputs: { memorySizeGb: 1 } })], outputs: before.outputs };
        expect(
            diffPlans(before, after)
                .map((d) => d.kind)
                .sort(),
        ).toEqual(["created", "created", "deleted", "deleted"]);
    });

    it("reports a changed input and a changed output by path", () => {
        const after = {
            resources: [resource(cacheNew, { custom: false, aliases: [{ type: "ai-platform:gcp:MemorystoreCache" }] }), resource(instanceNew, { parent: cacheNew, inputs: { memorySizeGb: 2 } })],
            outputs: { cacheHost: { value: "10.0.0.4", secret: false } },
        };
        expect(diffPlans(before, after)).toEqual([
            { urn: instanceNew, kind: "changed", paths: ["inputs.memorySizeGb"] },
            { urn: "(stack outputs)", kind: "output", paths: ["cacheHost.value"] },
        ]);
    });

    it("compares dependencies as sets once renamed: a list sorted by old URNs is in another order under the new ones", () => {
        // CloudSqlDatabase sorts before Cluster, Database after it.
        const databaseOld = u("ai-platform:gcp:CloudSqlDatabase", "database");
        const databaseNew = u("ai-platform:gcp:Database", "database");
        const other = u("ai-platform:gcp:Cluster", "cluster");
        const dependent = u("gcp:storage/bucket:Bucket", "bucket");
        const depending = (deps: string[]): PlanJsonResource => ({ ...resource(dependent), options: options({ dependencies: deps }) as PlanJsonResource["options"] });
        const beforeDeps = { resources: [resource(databaseOld, { custom: false }), resource(other, { custom: false }), depending([databaseOld, other].sort())], outputs: {} };
        const afterDeps = {
            resources: [resource(databaseNew, { custom: false, aliases: [{ type: "ai-platform:gcp:CloudSqlDatabase" }] }), resource(other, { custom: false }), depending([databaseNew, other].sort())],
            outputs: {},
        };
        expect([databaseOld, other].sort()[0]).toBe(databaseOld);
        expect([databaseNew, other].sort()[0]).toBe(other);
        expect(diffPlans(beforeDeps, afterDeps)).toEqual([]);
    });

    it("compares nested values by path, arrays by index", () => {
        expect(differingPaths({ a: { b: [1, 2] }, c: 1 }, { a: { b: [1, 3] }, c: 1 })).toEqual(["a.b.1"]);
        expect(differingPaths({ a: 1 }, { a: 1, b: 2 })).toEqual(["b"]);
        expect(differingPaths([1], { 0: 1 })).toEqual(["(value)"]);
    });
});
