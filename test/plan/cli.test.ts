import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { repoRoot, runProgram } from "../harness";
import { colorWanted, main } from "../../tools/plan";

/**
 * The CLI end to end, as users run it (`npm run plan`): a child process under tools/typescriptLoader.js, outside
 * jest, so the harness loads the program through require.cache. Few on purpose: each is a process start.
 */

const hasPack = fs.existsSync(path.join(repoRoot, "policy", "evaluate.ts"));
const stackFrame = /^\s+at .+:\d+:\d+\)?$/m;

function plan(...args: string[]) {
    const child = spawnSync(process.execPath, ["tools/typescriptLoader.js", "tools/plan.ts", ...args], {
        cwd: repoRoot,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "" },
        timeout: 60_000,
    });
    return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

let out: string;
beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-"));
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

test("a good config plans the real program: header, JSON and manifests written, exit 0", async () => {
    const json = path.join(out, "prod", "plan.json");
    const manifests = path.join(out, "prod", "manifests");
    const run = plan("--stack", "prod", "--json", json, "--manifests", manifests);
    expect(run.stderr).not.toMatch(stackFrame);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Plan for ai-platform\/prod \(offline: mocked engine; nothing is created\)$/m);
    expect(run.stdout).toMatch(/^  cloud +aws$/m);
    expect(run.stdout).toMatch(/^  region +us-east-1$/m);
    expect(run.stdout).not.toMatch(/\x1b\[/);
    const parsed = JSON.parse(fs.readFileSync(json, "utf8"));
    expect(parsed).toMatchObject({ stack: "prod", cloud: "aws", environment: "prod", offline: true, summary: { mandatoryViolations: 0, exitCode: 0 } });
    expect(parsed.resources).toHaveLength(parsed.summary.resources);
    // The plan's process (transpiled by sucrase, cached by content) declares exactly what the program declares in-process
    // here (transpiled by ts-jest), with the same plain outputs.
    const inProcess = await runProgram({ stack: "prod", preview: true });
    const shape = (resources: { type: string; name: string }[]) => resources.map((r) => `${r.type} ${r.name}`).sort();
    expect(shape(parsed.resources)).toEqual(shape(inProcess.resources));
    for (const [name, output] of Object.entries(inProcess.outputs).filter(([, o]) => !o.secret)) {
        expect({ name, value: parsed.outputs[name].value }).toEqual({ name, value: output.value });
    }
    for (const file of fs.readdirSync(manifests)) {
        const doc = parseYaml(fs.readFileSync(path.join(manifests, file), "utf8"));
        expect(doc).toMatchObject({ apiVersion: expect.any(String), kind: expect.any(String), metadata: { name: expect.any(String) } });
    }
});

test("bad config exits 2 with the settings message naming key, value and what is allowed, and no stack trace", () => {
    const run = plan("--stack", "prod", "-c", "ai-platform:cloud=azure");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('ai-platform:cloud = "azure": must be one of aws, gcp');
    expect(run.stderr).not.toMatch(stackFrame);
    expect(run.stdout).toBe("");
});

(hasPack ? test : test.skip)("an override that breaks a mandatory policy exits 1 and reports it", () => {
    const json = path.join(out, "violating.json");
    const run = plan("--stack", "prod", "-c", "ai-platform:api.replicas=1", "-c", "ai-platform:api.minReplicas=1", "--json", json);
    expect(run.stderr).not.toMatch(stackFrame);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^  Mandatory \([1-9]\d*\)$/m);
    expect(run.stdout).toContain("`pulumi up` would be blocked");
    const parsed = JSON.parse(fs.readFileSync(json, "utf8"));
    expect(parsed.summary.mandatoryViolations).toBeGreaterThan(0);
    expect(parsed.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory").length).toBe(parsed.summary.mandatoryViolations);
});

describe("arguments (in-process: they fail before the program runs)", () => {
    let stderr: string;
    beforeEach(() => {
        stderr = "";
        jest.spyOn(process.stderr, "write").mockImplementation((chunk: any) => ((stderr += String(chunk)), true));
    });
    afterEach(() => jest.restoreAllMocks());

    test("a missing --stack or a malformed -c exits 2 with a usage message", async () => {
        await expect(main([])).resolves.toBe(2);
        expect(stderr).toMatch(/required option '-s, --stack <name>' not specified/);
        await expect(main(["--stack", "prod", "-c", "ai-platform:cloud"])).resolves.toBe(2);
        expect(stderr).toMatch(/-c ai-platform:cloud: expected key=value/);
    });
});

describe("colour", () => {
    test("on a terminal unless NO_COLOR or --no-color; never in a pipe unless FORCE_COLOR", () => {
        expect(colorWanted(true, { isTTY: true }, {})).toBe(true);
        expect(colorWanted(false, { isTTY: true }, {})).toBe(false);
        expect(colorWanted(true, { isTTY: true }, { NO_COLOR: "1" })).toBe(false);
        expect(colorWanted(true, { isTTY: true }, { TERM: "dumb" })).toBe(false);
        expect(colorWanted(true, { isTTY: false }, {})).toBe(false);
        expect(colorWanted(true, { isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    });
});
