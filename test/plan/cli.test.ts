import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { repoRoot, runProgram } from "../../tools/engine/harness";
import { colorWanted, main } from "../../tools/plan";

/**
 * The CLI end to end, as users run it (`npm run plan`): a child process under tools/typescriptLoader.js, outside
 * jest, so the harness loads the program through require.cache. Few on purpose: each is a process start.
 */

const hasPack = fs.existsSync(path.join(repoRoot, "policy", "evaluate.ts"));
const stackFrame = /^\s+at .+:\d+:\d+\)?$/m;

function planWith(env: NodeJS.ProcessEnv, ...args: string[]) {
    const child = spawnSync(process.execPath, ["tools/typescriptLoader.js", "tools/plan.ts", ...args], {
        cwd: repoRoot,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", COLUMNS: "", ...env },
        timeout: 60_000,
    });
    return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

const plan = (...args: string[]) => planWith({}, ...args);

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
    expect(run.stdout).toMatch(/^ {2}cloud +aws$/m);
    expect(run.stdout).toMatch(/^ {2}region +us-east-1$/m);
    expect(run.stdout).not.toContain("\x1b[");
    // Not a terminal and no COLUMNS: 100 columns.
    expect(Math.max(...run.stdout.split("\n").map((l) => l.length))).toBeLessThanOrEqual(100);
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
    const written = new Set<string>();
    for (const file of fs.readdirSync(manifests)) {
        const text = fs.readFileSync(path.join(manifests, file), "utf8");
        expect(parseYaml(text)).toMatchObject({ apiVersion: expect.any(String), kind: expect.any(String), metadata: { name: expect.any(String) } });
        written.add(/ from (urn:\S+)/.exec(text.split("\n")[0])![1]);
    }
    // The files are exactly the plan's declared Kubernetes objects: no Helm release, no provider, and
    // no `.get()` lookup, which `kubectl apply` would create anew (test/plan/mask.test.ts feeds one in).
    type JsonResource = { urn: string; type: string; custom: boolean; read: boolean };
    const kubernetes = (parsed.resources as JsonResource[]).filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/"));
    const reads = kubernetes.filter((r) => r.read);
    expect([...written].sort()).toEqual(
        kubernetes
            .filter((r) => !r.read)
            .map((r) => r.urn)
            .sort(),
    );
    for (const read of reads) expect(written.has(read.urn)).toBe(false);
});

test("staging fits the terminal's width, its expected advisories grouped under one line that says why", () => {
    const run = planWith({ COLUMNS: "80" }, "--stack", "staging");
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    const treeLines = lines.filter((l) => /^ {2}[+>] {2}/.test(l)).length;
    expect(treeLines).toBeGreaterThan(100);
    if (hasPack) {
        expect(run.stdout).toMatch(/^ {4}! \d+ expected: mandatory in prod, relaxed for staging by its policy config$/m);
        // Each expected advisory is named once in the group, not listed with its message.
        expect(run.stdout).not.toMatch(/^ {4}! aws-rds-multi-az \[/m);
        expect(run.stdout).toMatch(/aws-rds-multi-az/);
    }
    // Beside the tree (a line a resource), the report stays compact: header, summary, cost, outputs, the
    // first deploy's critical path and chains, and the policies; no per-type list scrolls past.
    expect(lines.length - treeLines).toBeLessThan(120);
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
    // Two API replicas in prod pass the settings' floor (2) but not the replica policy's (3).
    const run = plan("--stack", "prod", "-c", "ai-platform:api.replicas=2", "-c", "ai-platform:api.minReplicas=2", "--json", json);
    expect(run.stderr).not.toMatch(stackFrame);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^ {2}Mandatory \([1-9]\d*\)$/m);
    expect(run.stdout).toContain("`pulumi up` would be blocked");
    const parsed = JSON.parse(fs.readFileSync(json, "utf8"));
    expect(parsed.summary.mandatoryViolations).toBeGreaterThan(0);
    expect(parsed.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory").length).toBe(parsed.summary.mandatoryViolations);
});

test("the issue's hostile prod config: every problem at once, exit 2, secrets not shown, no stack trace", () => {
    const run = plan(
        "--stack",
        "prod",
        "-c",
        'ai-platform:cluster.publicAccessCidrs=["0.0.0.0/1","128.0.0.0/1"]',
        "-c",
        "ai-platform:environment=staging",
        "-c",
        "aws:regoin=us-east-1",
        "-c",
        "ai-platform:openaiApiKey=sk-plain-text",
        "-c",
        "ai-platform:observability.logRetentionDays=8",
    );
    expect(run.status).toBe(2);
    expect(run.stderr).not.toMatch(stackFrame);
    expect(run.stderr).not.toContain("sk-plain-text");
    for (const fragment of [
        "that is the internet",
        'ai-platform:environment = "staging": must be prod',
        "did you mean aws:region?",
        "pulumi config set --secret ai-platform:openaiApiKey",
        "CloudWatch Logs offers",
    ])
        expect(run.stderr).toContain(fragment);
    expect(run.stdout).toBe("");
});

test("staging on GCP: Memorystore's ceiling and overlapping GKE ranges, exit 2", () => {
    const run = plan(
        "--stack",
        "staging",
        "-c",
        "ai-platform:cloud=gcp",
        "-c",
        "gcp:project=acme-agents",
        "-c",
        "gcp:region=us-central1",
        "-c",
        "ai-platform:cache.memorySizeGb=100000",
        "-c",
        "ai-platform:network.servicesCidr=10.16.0.0/20",
    );
    expect(run.status).toBe(2);
    expect(run.stderr).not.toMatch(stackFrame);
    expect(run.stderr).toContain("ai-platform:cache.memorySizeGb = 100000");
    expect(run.stderr).toContain('ai-platform:network.servicesCidr = "10.16.0.0/20": must not overlap network.podsCidr (10.16.0.0/14)');
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

    test("output paths that cannot be written are usage errors found before evaluation", async () => {
        const file = path.join(out, "a-file");
        fs.writeFileSync(file, "x");
        await expect(main(["--stack", "prod", "--json", path.join(file, "plan.json")])).resolves.toBe(2);
        expect(stderr).toMatch(/--json .*a-file is a file, not a directory/);
        await expect(main(["--stack", "prod", "--json", out])).resolves.toBe(2);
        expect(stderr).toMatch(/--json .*is a directory/);
        await expect(main(["--stack", "prod", "--manifests", file])).resolves.toBe(2);
        expect(stderr).toMatch(/--manifests .*is a file/);
        // A parent that exists but takes no children: Node's recursive mkdir never returns there (the old hang after ✔).
        await expect(main(["--stack", "prod", "--json", "/proc/ai-platform-plan/plan.json"])).resolves.toBe(2);
        await expect(main(["--stack", "prod", "--manifests", "/proc/ai-platform-manifests"])).resolves.toBe(2);
        expect(stderr).toMatch(/--manifests \/proc\/ai-platform-manifests: cannot be written/);
        expect(stderr).not.toContain("✔");
    });

    test("a stack file with a YAML error or a duplicate key names the file and line, exit 2", async () => {
        const stacks = ["i11-broken", "i11-duplicate"];
        fs.writeFileSync(path.join(repoRoot, "Pulumi.i11-broken.yaml"), "config:\n  ai-platform:cloud: aws\n  ai-platform:owner: [unclosed\n");
        fs.writeFileSync(path.join(repoRoot, "Pulumi.i11-duplicate.yaml"), "config:\n  ai-platform:cloud: aws\n  ai-platform:cloud: gcp\n");
        try {
            await expect(main(["--stack", stacks[0]])).resolves.toBe(2);
            expect(stderr).toMatch(/Pulumi\.i11-broken\.yaml:\d+:\d+: YAML syntax error/);
            await expect(main(["--stack", stacks[1]])).resolves.toBe(2);
            expect(stderr).toMatch(/Pulumi\.i11-duplicate\.yaml:3:\d+: duplicate key/);
        } finally {
            for (const stack of stacks) fs.rmSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), { force: true });
        }
    });

    test("a -c index beyond the list's end is a usage error", async () => {
        await expect(main(["--stack", "prod", "-c", "ai-platform:cluster.publicAccessCidrs[7]=198.51.100.0/24"])).resolves.toBe(2);
        expect(stderr).toMatch(/out of range/);
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
