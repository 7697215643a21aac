import * as fs from "fs";
import * as path from "path";
import { urnChanges } from "../../tools/engine/aliases";
import { runProgram } from "../../tools/engine/harness";
import { gcpConfig } from "../gcp/gcpStack";

/**
 * Live stacks keep their resources: every URN a stack of the default settings held when it was
 * recorded (test/fixtures/stack-urns.json) is still answered by a resource of the program, by its URN
 * or by an alias, so a rename of a component, a type or a child never makes `pulumi up` replace
 * databases, buckets or clusters. Removing a resource on purpose means re-recording the file.
 */
const recorded = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "stack-urns.json"), "utf8")) as { stacks: Record<string, string[]> };

describe.each(Object.keys(recorded.stacks))("%s: the recorded URNs of a live stack", (target) => {
    const [cloud, stack] = target.split("-");
    it("are all kept, by URN or alias, so no recorded resource would be deleted or replaced", async () => {
        const run = await runProgram({ stack, config: cloud === "gcp" ? gcpConfig : { "ai-platform:cloud": "aws" } });
        const { deleted } = urnChanges(recorded.stacks[target], run.resources);
        expect(deleted).toEqual([]);
    });
});

it("a rename without an alias is caught: the check is not vacuous", async () => {
    const run = await runProgram({ stack: "prod", config: { "ai-platform:cloud": "aws" } });
    const renamed = run.resources.map((r) => (r.type === "ai-platform:aws:Cache" ? { ...r, urn: r.urn.replace("ai-platform:aws:Cache::", "ai-platform:aws:ElastiCache::") } : r));
    expect(urnChanges(recorded.stacks["aws-prod"], renamed).deleted.length).toBeGreaterThan(0);
});
