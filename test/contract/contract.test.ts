import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../../tools/engine/harness";
import { bumpSatisfies, contractChanges, contractRecord, contractVersion, outputsTableMarkers, platformOutputs, renderOutputsTable, type ContractRecord } from "../../contract/outputs";
import { assertCompatible, cloudIdentityLabel, ContractVersionError, edgeBackendLabel } from "../../consumer";
import { kubernetesNames } from "../../components/contract";

/**
 * The versioned outputs contract: the declaration (contract/outputs.ts), its committed record
 * (contract/outputs-record.json), the README's table and the program's exports must agree, and a change to
 * the outputs must come with the version bump it needs.
 */

const committed = JSON.parse(fs.readFileSync(path.join(repoRoot, "contract", "outputs-record.json"), "utf8")) as ContractRecord;

test("the committed record is the declared contract, or an older one the version bump covers", () => {
    const declared = contractRecord();
    const change = contractChanges(committed, declared);
    if (committed.version === declared.version) {
        // Same version, same outputs: a change without a bump fails here (then bump contractVersion and run `npm run contract`).
        expect({ version: declared.version, change }).toEqual({ version: committed.version, change: { removed: [], changed: [], added: [], needs: "none" } });
    } else {
        expect({ from: committed.version, to: declared.version, change, enough: bumpSatisfies(committed.version, declared.version, change.needs) }).toMatchObject({ enough: true });
    }
});

test("contractVersion is semver and the program exports it", () => {
    expect(contractVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(platformOutputs.contractVersion).toMatchObject({ type: "string", secret: false });
});

describe("what each change needs", () => {
    const base: ContractRecord = { version: "1.2.0", outputs: { a: { type: "string", secret: false }, b: { type: "number", secret: true } } };
    const withOutputs = (outputs: ContractRecord["outputs"]): ContractRecord => ({ version: "x", outputs });
    test.each([
        ["removal", withOutputs({ a: base.outputs.a }), "major"],
        ["rename", withOutputs({ a: base.outputs.a, c: base.outputs.b }), "major"],
        ["type change", withOutputs({ ...base.outputs, a: { type: "string[]", secret: false } }), "major"],
        ["secrecy change", withOutputs({ ...base.outputs, b: { type: "number", secret: false } }), "major"],
        ["addition", withOutputs({ ...base.outputs, c: { type: "string", secret: false } }), "minor"],
        ["nothing", withOutputs({ ...base.outputs }), "none"],
    ] as const)("a %s needs %s", (_what, after, needs) => {
        expect(contractChanges(base, after).needs).toBe(needs);
    });
    test("which bumps satisfy which need", () => {
        expect(bumpSatisfies("1.2.0", "2.0.0", "major")).toBe(true);
        expect(bumpSatisfies("1.2.0", "1.3.0", "major")).toBe(false);
        expect(bumpSatisfies("1.2.0", "1.3.0", "minor")).toBe(true);
        expect(bumpSatisfies("1.2.0", "1.2.1", "minor")).toBe(false);
        expect(bumpSatisfies("1.2.0", "2.0.0", "minor")).toBe(true);
        expect(() => bumpSatisfies("1.2", "2.0.0", "major")).toThrow(/not a semver/);
    });
});

test("the README's outputs table is rendered from the declaration (npm run contract)", () => {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const start = readme.indexOf(outputsTableMarkers.begin) + outputsTableMarkers.begin.length;
    const end = readme.indexOf(outputsTableMarkers.end);
    expect(readme.slice(start, end).trim()).toBe(renderOutputsTable());
    for (const name of Object.keys(platformOutputs)) expect(readme).toContain(`| \`${name}\` |`);
});

test("index.ts exports exactly the declared outputs", () => {
    const source = fs.readFileSync(path.join(repoRoot, "index.ts"), "utf8");
    const exported = /export const \{([^}]+)\} = exported;/
        .exec(source)?.[1]
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean);
    expect(exported?.sort()).toEqual(Object.keys(platformOutputs).sort());
});

describe("the consumer module's version check", () => {
    const major = contractVersion.split(".")[0];
    test("accepts any minor and patch of its own major", () => {
        expect(assertCompatible("acme/ai-platform/prod", `${major}.0.0`)).toBe(`${major}.0.0`);
        expect(assertCompatible("acme/ai-platform/prod", `${major}.99.3`)).toBe(`${major}.99.3`);
    });
    test("refuses another major, a missing version and a malformed one, saying what to do", () => {
        const next = `${Number(major) + 1}.0.0`;
        expect(() => assertCompatible("acme/ai-platform/prod", next)).toThrow(ContractVersionError);
        expect(() => assertCompatible("acme/ai-platform/prod", next)).toThrow(
            new RegExp(`exports outputs contract ${next.replace(/\./g, "\\.")}.*Upgrade the ai-platform dependency to a release with contract ${Number(major) + 1}\\.x`),
        );
        expect(() => assertCompatible("acme/ai-platform/prod", undefined)).toThrow(/exports no contractVersion/);
        expect(() => assertCompatible("acme/ai-platform/prod", "v1")).toThrow(ContractVersionError);
    });
});

test("no JSON or JS file shadows a module of the contract or the consumer (Node resolves .js and .json before ts-node's .ts)", () => {
    for (const dir of ["contract", "consumer"]) {
        const files = fs.readdirSync(path.join(repoRoot, dir));
        const modules = files.filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));
        expect(files.filter((f) => modules.some((m) => f === `${m}.json` || f === `${m}.js`))).toEqual([]);
    }
});

test("the consumer module's pod labels are the ones the tenants' NetworkPolicies select", () => {
    expect(edgeBackendLabel).toBe(kubernetesNames.edgeBackendLabel);
    expect(cloudIdentityLabel).toBe(kubernetesNames.cloudIdentityLabel);
});
