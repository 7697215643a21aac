/**
 * `npm run contract`: records the declared outputs contract in `contract/outputs-record.json` (the
 * README's outputs table is rendered from the same declaration by `npm run docs`). It refuses a change whose version bump is too small for it (a removed,
 * renamed or retyped output needs a new major, an added one a new minor).
 */
import * as fs from "fs";
import * as path from "path";
import { bumpSatisfies, contractChanges, contractRecord, type ContractRecord } from "./outputs";

const recordFile = path.join(__dirname, "outputs-record.json");
const current = contractRecord();
if (fs.existsSync(recordFile)) {
    const committed = JSON.parse(fs.readFileSync(recordFile, "utf8")) as ContractRecord;
    const change = contractChanges(committed, current);
    const bumped = committed.version !== current.version;
    if (change.needs !== "none" && (!bumped || !bumpSatisfies(committed.version, current.version, change.needs))) {
        throw new Error(`the outputs changed (${JSON.stringify(change)}) and need a ${change.needs} bump of contractVersion over ${committed.version} in contract/outputs.ts`);
    }
}
fs.writeFileSync(recordFile, `${JSON.stringify(current, null, 4)}\n`);
