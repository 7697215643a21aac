import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../../tools/engine/harness";

// Plain JavaScript (it is what loads the TypeScript), so it is required with its shape spelled out.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loader = require("../../tools/typescriptLoader") as { transpile(source: string, filename: string): string; cacheRoot: string };

describe("the plan's TypeScript loader", () => {
    let directory: string;
    beforeAll(() => {
        directory = fs.mkdtempSync(path.join(os.tmpdir(), "ts-loader-"));
    });
    afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

    test("runs an edited file as edited: the cached output is named by the source, so it cannot be stale", () => {
        const entry = path.join(directory, "entry.ts");
        const run = () => spawnSync(process.execPath, [path.join(repoRoot, "tools", "typescriptLoader.js"), entry, "--flag"], { encoding: "utf8" });
        const marker = `${process.pid}-${Date.now()}`;
        fs.writeFileSync(entry, `const answer: number = 1;\nconsole.log(\`${marker} \${answer} \${process.argv.slice(2).join(" ")}\`);\n`);
        expect(run().stdout).toBe(`${marker} 1 --flag\n`);
        expect(run().stdout).toBe(`${marker} 1 --flag\n`);
        fs.writeFileSync(entry, `const answer: number = 2;\nconsole.log(\`${marker} \${answer} \${process.argv.slice(2).join(" ")}\`);\n`);
        expect(run().stdout).toBe(`${marker} 2 --flag\n`);
    });

    test("strips types and turns imports into CommonJS with esModuleInterop, keeping line numbers", () => {
        const source = `import * as path from "path";\nimport yaml from "yaml";\ninterface A { b: string }\nexport const c: A = { b: path.sep };\nthrow new Error(String(yaml));\n`;
        const code = loader.transpile(source, path.join(directory, "sample.ts"));
        expect(code).not.toMatch(/interface A/);
        expect(code).toMatch(/require\('yaml'\)/);
        expect(code).toContain("_interopRequireDefault");
        expect(code.split("\n").findIndex((line) => line.includes("throw new Error"))).toBe(4);
    });

    test("the same source is transpiled once: the second call reads the cache", () => {
        const source = `export const unique = ${JSON.stringify(`${process.pid}-${Date.now()}`)};\n`;
        const before = new Set(listCache());
        const first = loader.transpile(source, path.join(directory, "once.ts"));
        const added = listCache().filter((f) => !before.has(f));
        expect(added).toHaveLength(1);
        expect(fs.readFileSync(added[0], "utf8")).toBe(first);
        expect(loader.transpile(source, path.join(directory, "elsewhere.ts"))).toBe(first);
        expect(listCache().filter((f) => !before.has(f))).toHaveLength(1);
    });
});

function listCache(): string[] {
    const root = path.join(loader.cacheRoot, "ts");
    if (!fs.existsSync(root)) return [];
    return fs.readdirSync(root).flatMap((d) => fs.readdirSync(path.join(root, d)).map((f) => path.join(root, d, f)));
}
