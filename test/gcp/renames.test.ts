import * as fs from "fs";
import * as path from "path";
import { parseUrn, urnChanges } from "../../tools/engine/aliases";
import { runProgram, type ProgramRun } from "../../tools/engine/harness";
import { gcpConfig } from "./gcpStack";

/**
 * The GCP components took the AWS names (one name per concern); live stacks hold them under the old
 * ones. Each old name recorded from a live-stack shape (test/fixtures/stack-urns.json) is answered by
 * the renamed component, through its alias, with every resource under it, so `pulumi up` replaces nothing.
 */
const recorded = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "stack-urns.json"), "utf8")) as { stacks: Record<string, string[]> };
const renamedTypes: [old: string, now: string][] = [
    ["GkeCluster", "Cluster"],
    ["EncryptionKeys", "Keys"],
    ["CloudSqlDatabase", "Database"],
    ["MemorystoreCache", "Cache"],
    ["ImageRegistry", "Registry"],
    ["WorkloadIdentities", "Identity"],
];
const component = (urn: string) => parseUrn(urn).qualifiedType.split("$")[0];

describe.each(["staging", "prod"])("gcp %s", (stack) => {
    let run: ProgramRun;
    let kept: Map<string, string>;
    const before = recorded.stacks[`gcp-${stack}`];

    beforeAll(async () => {
        run = await runProgram({ stack, config: gcpConfig });
        kept = urnChanges(before, run.resources).kept;
    });

    test.each(renamedTypes)("%s: every recorded resource of it or under it is kept by %s through the alias", (old, now) => {
        const recordedUnder = before.filter((urn) => urn.includes(`ai-platform:gcp:${old}`));
        expect(recordedUnder.length).toBeGreaterThan(0);
        expect(run.resources.some((r) => r.type === `ai-platform:gcp:${old}`)).toBe(false);
        for (const urn of recordedUnder) {
            const keeper = kept.get(urn);
            expect({ urn, keptBy: keeper && parseUrn(keeper).qualifiedType.includes(`ai-platform:gcp:${now}`) }).toEqual({ urn, keptBy: true });
        }
    });

    test("the backup component, renamed <name>-backups → <name>-backup as on AWS, keeps its bucket (renamed -bucket → -backups) and key grant", () => {
        const recordedBackup = before.filter((urn) => component(urn) === "ai-platform:gcp:BackupBucket" || urn.endsWith("ai-platform:gcp:BackupBucket::ai-platform-backups"));
        expect(recordedBackup.map((urn) => parseUrn(urn).name).sort()).toEqual(["ai-platform-backups", "ai-platform-backups-bucket", "ai-platform-backups-key"]);
        expect(recordedBackup.map((urn) => kept.get(urn) && parseUrn(kept.get(urn)!).name).sort()).toEqual(["ai-platform-backup", "ai-platform-backup-backups", "ai-platform-backup-key"]);
    });
});
