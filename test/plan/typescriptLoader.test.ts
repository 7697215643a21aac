import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "../../tools/engine/harness";

// Plain JavaScript (it is what loads the TypeScript), so it is required with its shape spelled out.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loader = require("../../tools/typescriptLoader") as { transpile(source: string, filename: string): string; cacheRoot: string; resolveCacheKey(installed?: string): string | undefined };

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

    describe("the lookup map", () => {
        const nodeModules = path.join(repoRoot, "node_modules");
        const real = require.resolve("yaml");
        const other = require.resolve("picocolors");
        let entry: string;
        let map: string;
        beforeAll(() => {
            entry = path.join(directory, "lookup.ts");
            map = path.join(directory, "resolve.json");
            // Prints where `yaml` resolves for a file of node_modules, and the key the loader holds the map under.
            fs.writeFileSync(
                entry,
                `const { createRequire } = require("module");\nconst from = createRequire(${JSON.stringify(path.join(nodeModules, "any.js"))});\nconsole.log(JSON.stringify([from.resolve("yaml"), require(${JSON.stringify(path.join(repoRoot, "tools", "typescriptLoader.js"))}).resolveCacheKey()]));\n`,
            );
        });
        const run = (env: Record<string, string> = {}): [string, string] =>
            JSON.parse(
                spawnSync(process.execPath, [path.join(repoRoot, "tools", "typescriptLoader.js"), entry], { encoding: "utf8", env: { ...process.env, AI_PLATFORM_RESOLVE_CACHE: map, ...env } }).stdout,
            );
        const planted = (key: string) => fs.writeFileSync(map, JSON.stringify({ key, entries: { [`${nodeModules}\0yaml`]: other } }));

        test("is written by a first run and answers the next ones as Node would", () => {
            fs.rmSync(map, { force: true });
            expect(run()[0]).toBe(real);
            const stored = JSON.parse(fs.readFileSync(map, "utf8")) as { entries: Record<string, string> };
            expect(stored.entries[`${nodeModules}\0yaml`]).toBe(real);
            expect(Object.values(stored.entries).every((file) => file.startsWith(nodeModules + path.sep))).toBe(true);
            expect(run()[0]).toBe(real);
        });

        test("is used only under the key of this install, Node and checkout: a map from another install is dropped", () => {
            const [, key] = run();
            planted(key);
            // Under the right key the planted answer is taken: this proves the key is all that guards the map.
            expect(run()[0]).toBe(other);
            planted(key.replace(/\]$/, ",1]"));
            expect(run()[0]).toBe(real);
            planted(key);
            expect(run({ AI_PLATFORM_RESOLVE_CACHE: "0" })[0]).toBe(real);
        });

        test("the key follows npm's record of the installed tree, which every npm install and npm ci rewrites; without it there is no map", () => {
            const installed = path.join(directory, "node_modules");
            fs.mkdirSync(installed, { recursive: true });
            const lock = path.join(installed, ".package-lock.json");
            expect(loader.resolveCacheKey(installed)).toBeUndefined();
            fs.writeFileSync(lock, "{}");
            const before = loader.resolveCacheKey(installed);
            expect(before).toBeDefined();
            fs.writeFileSync(lock, '{"packages":{}}');
            fs.utimesSync(lock, new Date(), new Date(Date.now() + 5000));
            expect(loader.resolveCacheKey(installed)).not.toBe(before);
        });
    });
});

function listCache(): string[] {
    const root = path.join(loader.cacheRoot, "ts");
    if (!fs.existsSync(root)) return [];
    return fs.readdirSync(root).flatMap((d) => fs.readdirSync(path.join(root, d)).map((f) => path.join(root, d, f)));
}
