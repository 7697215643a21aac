import * as fs from "fs";
import * as path from "path";
import { configReference } from "../../stacks";
import { runProgram } from "../../tools/engine/harness";
import { currentPart, generatedParts, regenerate } from "../../tools/docs";

/**
 * The docs stay short where newcomers start (the README) and true where they are generated from the
 * code (`npm run docs`); every relative link leads somewhere.
 */

const root = path.join(__dirname, "..", "..");
const readFile = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
const readme = readFile("README.md");
const docFiles = [
    "README.md",
    ...fs
        .readdirSync(path.join(root, "docs"))
        .filter((f) => f.endsWith(".md"))
        .map((f) => `docs/${f}`),
];

describe("generated docs", () => {
    test.each(generatedParts.map((p) => [`${p.file} ${p.begin}`, p] as const))("%s is what `npm run docs` renders from the code", async (_, part) => {
        const text = readFile(part.file);
        expect(currentPart(text, part)).toBe(await part.render());
        expect(await regenerate(text, part)).toBe(text);
    });

    test("regenerating replaces exactly the part between the markers", async () => {
        const [part] = generatedParts;
        const stale = `intro\n${part.begin}\n| stale |\n${part.end}\noutro\n`;
        expect(await regenerate(stale, part)).toBe(`intro\n${await part.render()}\noutro\n`);
        expect(() => currentPart("no markers", part)).toThrow(/lacks the markers/);
    });
});

describe("docs/operations.md's settings table", () => {
    test("names settings that exist, with the defaults they have", () => {
        const reference = new Map(configReference().map((row) => [row.key, row]));
        const rows = [...readFile("docs/operations.md").matchAll(/^\| `ai-platform:([\w.]+)`[^|]*\| ([^|]+) \|/gm)];
        expect(rows.length).toBeGreaterThan(10);
        for (const [, key, defaults] of rows) {
            const known = [...reference.keys()].filter((k) => k === key || k.startsWith(`${key}.`));
            expect({ key, known: known.length > 0 }).toEqual({ key, known: true });
            const shown = [...defaults.matchAll(/`([^`]+)`/g)].map(([, v]) => `\`${v}\``);
            if (shown.length === 0) continue;
            const row = reference.get(key)!;
            expect({ key, staging: shown[0], prod: shown[shown.length - 1] }).toEqual({ key, staging: row.staging, prod: row.prod });
        }
    });
});

describe("the README", () => {
    test("is at most 15 KB", () => {
        expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15 * 1024);
    });

    test("keeps the quick start's two commands", () => {
        const quickStart = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("\n## ", readme.indexOf("## Quick start") + 1));
        expect(quickStart).toMatch(/^npm ci && npm run plan -- --stack prod +#/m);
        expect(quickStart).toMatch(/^npm test +#/m);
    });

    test("keeps running it for real, what it builds, the layout and the outputs", () => {
        for (const heading of ["## Running it for real", "## What it builds", "## Layout", "## Stack outputs"]) expect(readme).toContain(`\n${heading}\n`);
    });

    test("holds no copy of the config reference, the policy table or the operations guide", () => {
        // The README's one generated part is the short cost table; the references live in docs/.
        for (const part of generatedParts.filter((p) => p.file !== "README.md")) expect(readme).not.toContain(part.begin);
        expect(readme).not.toMatch(/^\| `ai-platform:[\w.]+` \|/m);
        expect(readme).not.toMatch(/^\| `(aws|gcp|k8s)-[\w-]+` \|/m);
        expect(readme).not.toMatch(/^### (Alerts|Backups and restore|Dashboards)$/m);
        for (const doc of ["docs/configuration.md", "docs/policy.md", "docs/operations.md", "docs/ci.md", "docs/plan.md"]) expect(readme).toContain(`](${doc})`);
    });

    test("lists exactly the stack outputs the program exports, with their secrecy", async () => {
        const run = await runProgram({ stack: "prod" });
        const table = readme.slice(readme.indexOf("## Stack outputs"), readme.indexOf("\n## ", readme.indexOf("## Stack outputs") + 1));
        const rows = [...table.matchAll(/^\| `(\w+)` \| [^|]+ \| (no|\*\*yes\*\*) \|/gm)].map(([, name, secret]) => [name, secret !== "no"]);
        expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(Object.entries(run.outputs).map(([name, o]) => [name, o.secret])));
    });
});

describe("links", () => {
    test.each(docFiles)("every relative link in %s leads to a file that exists", (file) => {
        const text = readFile(file);
        const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map(([, target]) => target).filter((t) => !/^(https?:|mailto:|#)/.test(t));
        const missing = links.filter((target) => !fs.existsSync(path.join(root, path.dirname(file), target.split("#")[0])));
        expect(missing).toEqual([]);
    });
});

describe("the README's layout table", () => {
    const layout = readme.slice(readme.indexOf("\n## Layout\n"), readme.indexOf("\n## Stack outputs\n"));
    const rows = layout.split("\n").filter((line) => line.startsWith("| `"));

    test("names only paths that exist", () => {
        const paths = rows.flatMap((row) => [...row.split(" | ")[0].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
        expect(paths.length).toBeGreaterThan(10);
        for (const p of paths) expect({ path: p, exists: fs.existsSync(path.join(root, p)) }).toEqual({ path: p, exists: true });
    });

    test("the concerns it says both clouds share have a file of that name on each, and the policy services a rule file each", () => {
        const cloudRow = rows.find((row) => row.startsWith("| `components/aws/`")) as string;
        const concerns = [...cloudRow.split(" | ")[1].matchAll(/`(\w+)`/g)].map((m) => m[1]);
        expect(concerns).toEqual(expect.arrayContaining(["network", "cluster", "keys", "database", "cache", "registry", "backupBucket", "identity"]));
        for (const cloud of ["aws", "gcp"])
            for (const c of concerns) expect(`components/${cloud}/${c}.ts exists: ${fs.existsSync(path.join(root, "components", cloud, `${c}.ts`))}`).toMatch(/exists: true$/);
        const policyRow = rows.find((row) => row.startsWith("| `policy/`")) as string;
        const services =
            /by service \(([^)]*)\)/
                .exec(policyRow)?.[1]
                .split(", ")
                .map((s) => s.replace(/`|\/$/g, "")) ?? [];
        expect(services.length).toBeGreaterThan(5);
        for (const s of services) expect(fs.existsSync(path.join(root, "policy", "rules", s)) || fs.existsSync(path.join(root, "policy", "rules", `${s}.ts`))).toBe(true);
    });
});
