import * as fs from "fs";
import * as path from "path";
import { cacheFile, projectName, repoRoot, runProgram, stackConfig } from "../../tools/engine/harness";

const program = path.join(__dirname, "..", "fixtures", "secretProgram.ts");

describe("the harness records what the engine would be told", () => {
    test("parents, resource options, secret inputs and secret outputs", async () => {
        const run = await runProgram({ stack: "staging", program, config: { "ai-platform:greeting": "hello" } });
        const box = run.one("test:index:Box", "box");
        const password = run.one("random:index/randomPassword:RandomPassword");
        const id = run.one("random:index/randomId:RandomId");
        expect(box.custom).toBe(false);
        expect(password.parent).toBe(box.urn);
        expect(
            run
                .children(box)
                .map((r) => r.name)
                .sort(),
        ).toEqual(["box-id", "box-password"]);
        expect(password.options.protect).toBe(true);
        expect(id.options.protect).toBe(false);
        expect(id.options.ignoreChanges).toEqual(["byteLength"]);
        expect(id.secretPaths).toEqual(["keepers.password"]);
        expect(id.inputs.keepers.password).toBe(password.state.result);
        expect(run.dependsOn(id, password)).toBe(true);
        expect(run.dependsOn(password, id)).toBe(false);
        expect(run.outputs.secretPassword).toEqual({ value: password.state.result, secret: true });
        expect(run.outputs.idHex.secret).toBe(false);
        expect(run.outputs.greeting.value).toBe("hello");
    });

    test("each run starts from scratch", async () => {
        const first = await runProgram({ stack: "staging", program, config: { "ai-platform:greeting": "one" } });
        const second = await runProgram({ stack: "prod", program, config: { "ai-platform:greeting": "two" } });
        expect(first.outputs.greeting.value).toBe("one");
        expect(second.outputs.greeting.value).toBe("two");
        expect(second.resources).toHaveLength(first.resources.length);
        expect(second.resources[0].urn).toContain("urn:pulumi:prod::ai-platform::");
    });

    test("overlapping runs are refused rather than mixed", async () => {
        const first = runProgram({ stack: "staging", program, config: { "ai-platform:greeting": "x" } });
        await expect(runProgram({ stack: "staging", program })).rejects.toThrow(/already in progress/);
        await first;
    });
});

describe("stack config as the engine hands it over", () => {
    test("secure: values become placeholders marked secret; overrides follow pulumi config set --path", () => {
        const { config, secretKeys } = stackConfig({ stack: "prod", config: { "ai-platform:cluster.maxNodes": 7, "aws:region": undefined }, secrets: { "ai-platform:geminiApiKey": "g" } });
        expect(config["ai-platform:anthropicApiKey"]).toMatch(/^mock-secret-/);
        expect([...secretKeys]).toEqual(expect.arrayContaining(["ai-platform:anthropicApiKey", "ai-platform:geminiApiKey"]));
        expect(config["ai-platform:cluster"]).toEqual({ publicAccessCidrs: ["203.0.113.0/24"], maxNodes: 7 });
        expect(config).not.toHaveProperty("aws:region");
    });
});

describe("runs shared within a jest session", () => {
    test("a run that removes a key is not served the run that keeps it", async () => {
        const kept = await runProgram({ stack: "staging", program, config: { "ai-platform:greeting": "kept" } });
        expect(kept.outputs.greeting.value).toBe("kept");
        await expect(runProgram({ stack: "staging", program, config: { "ai-platform:greeting": undefined } })).rejects.toThrow(/greeting/);
    });

    test("identical runs are evaluated once; reuse: false evaluates afresh and stores nothing", async () => {
        const shared = { stack: "prod", program, config: { "ai-platform:greeting": "shared" } };
        const file = cacheFile(shared)!;
        expect(file).toBeTruthy();
        expect(fs.existsSync(file)).toBe(false);
        const first = await runProgram(shared);
        expect(fs.existsSync(file)).toBe(true);
        const written = fs.statSync(file).mtimeMs;
        const again = await runProgram(shared);
        expect(fs.statSync(file).mtimeMs).toBe(written);
        expect(again.resources).toEqual(first.resources);
        const fresh = { stack: "prod", program, config: { "ai-platform:greeting": "fresh" }, reuse: false };
        await runProgram(fresh);
        expect(fs.existsSync(cacheFile(fresh)!)).toBe(false);
    });
});

describe("the engine lives with the tools and knows the project by one name", () => {
    test("the name the engine runs the program under is the one in Pulumi.yaml", async () => {
        const { parse } = await import("yaml");
        expect(parse(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8")).name).toBe(projectName);
        const run = await runProgram({ stack: "staging", program, config: { "ai-platform:greeting": "named" } });
        expect(run.resources[0].urn.split("::")[1]).toBe(projectName);
    });

    test("nothing outside test/ imports from test/", () => {
        const offenders: string[] = [];
        const visit = (dir: string) => {
            for (const entry of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
                const relative = path.join(dir, entry.name);
                if (entry.isDirectory()) visit(relative);
                else if (/\.(ts|js)$/.test(entry.name) && /from "[./]*\/test\/|require\("[./]*\/test\//.test(fs.readFileSync(path.join(repoRoot, relative), "utf8"))) offenders.push(relative);
            }
        };
        for (const dir of ["tools", "stacks", "components", "policy"]) visit(dir);
        visit("app");
        expect(offenders).toEqual([]);
    });
});
