/**
 * `npm run docs`: rewrites every generated part of the documentation from the code, so the docs say
 * what the program does. Each part sits between two markers in its file; everything around them is
 * prose and stays as written. `test/docs/docs.test.ts` fails when a part has drifted.
 *
 * - docs/configuration.md: the config reference (stacks/reference.ts);
 * - docs/policy.md: the policy catalogue (policy/tools/catalog.ts);
 * - README.md: the stack outputs table (contract/outputs.ts);
 * - README.md: the cost estimate of the four default stacks (tools/plan/costTable.ts), which plans
 *   the real program, so it is rendered asynchronously.
 */
import * as fs from "fs";
import * as path from "path";
import { docsFile as policyDoc, renderTable as renderPolicyTable, tableEnd as policyEnd, tableStart as policyStart } from "../policy/tools/catalog";
import { renderConfigTable, tableMarkers } from "../stacks/reference";
import { costTableMarkers, defaultStackEstimates, renderCostTable } from "./plan/costTable";
import { outputsTableMarkers, renderOutputsTable } from "../contract/outputs";

export const repoRoot = path.resolve(__dirname, "..");

export interface GeneratedPart {
    /** Path from the repository root. */
    file: string;
    begin: string;
    end: string;
    /** The part as it belongs in the file, markers included. */
    render(): string | Promise<string>;
}

export const generatedParts: GeneratedPart[] = [
    { file: "docs/configuration.md", ...tableMarkers, render: () => `${tableMarkers.begin}\n${renderConfigTable()}\n${tableMarkers.end}` },
    { file: path.relative(repoRoot, policyDoc), begin: policyStart, end: policyEnd, render: renderPolicyTable },
    { file: "README.md", ...outputsTableMarkers, render: () => `${outputsTableMarkers.begin}\n${renderOutputsTable()}\n${outputsTableMarkers.end}` },
    { file: "README.md", ...costTableMarkers, render: async () => `${costTableMarkers.begin}\n${renderCostTable(await defaultStackEstimates())}\n${costTableMarkers.end}` },
];

/** The part as the file has it now, markers included; throws when the markers are missing. */
export function currentPart(text: string, part: GeneratedPart): string {
    const start = text.indexOf(part.begin);
    const end = text.indexOf(part.end, start);
    if (start < 0 || end < 0) throw new Error(`${part.file} lacks the markers ${part.begin} … ${part.end}`);
    return text.slice(start, end + part.end.length);
}

/** `text` with the part rendered afresh. */
export async function regenerate(text: string, part: GeneratedPart): Promise<string> {
    const rendered = await part.render();
    return text.replace(currentPart(text, part), () => rendered);
}

async function main(): Promise<void> {
    for (const part of generatedParts) {
        const file = path.join(repoRoot, part.file);
        const before = fs.readFileSync(file, "utf8");
        const after = await regenerate(before, part);
        if (after !== before) fs.writeFileSync(file, after);
        process.stdout.write(`${after === before ? "unchanged" : "updated  "} ${part.file}\n`);
    }
}

if (require.main === module) {
    main().catch((error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
    });
}
