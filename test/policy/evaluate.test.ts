import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import type { Policies, PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { evaluatePolicies, loadPolicyConfig, resolvePolicyConfig, type EvaluatedResource } from "../../policy/evaluate";
import type { PolicyDefinition } from "../../policy/lib/define";
import { definitions, packEnforcementLevel, policies } from "../../policy/policies";
import { component, provider, res } from "./helpers";

const rulesDir = path.join(__dirname, "..", "..", "policy", "rules");

/** The rule files under policy/rules/ (by path without extension, e.g. `kubernetes/gateway`) and the policies each exports. */
function ruleFiles(): { file: string; definitions: PolicyDefinition[] }[] {
    const isDefinition = (v: unknown): v is PolicyDefinition => typeof v === "object" && v !== null && "policy" in v && "meta" in v;
    return (fs.readdirSync(rulesDir, { recursive: true }) as string[])
        .filter((f) => f.endsWith(".ts") && !f.startsWith(`generated${path.sep}`))
        .map((f) => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- every rule file found on disk, so a new one cannot be left out of the check
            const exports = Object.values(require(path.join(rulesDir, f)) as Record<string, unknown>);
            const found = exports.flatMap((v) => (Array.isArray(v) ? v : [v])).filter(isDefinition);
            return { file: f.slice(0, -".ts".length).split(path.sep).join("/"), definitions: [...new Set(found)] };
        });
}

/** A policy that records what the evaluator hands it and reports once per resource or stack. */
function spyPolicies() {
    const seen: { resource: ResourceValidationArgs[]; stack: StackValidationArgs[] } = { resource: [], stack: [] };
    const list: Policies = [
        {
            name: "spy-resource",
            description: "records resource args",
            severity: "low",
            configSchema: { properties: { threshold: { type: "integer", default: 7 }, label: { type: "string" } } },
            validateResource: (args, report) => {
                seen.resource.push(args);
                report(`saw ${args.name}`);
            },
        },
        {
            name: "spy-stack",
            description: "records stack args",
            severity: "high",
            enforcementLevel: "advisory",
            validateStack: (args, report) => {
                seen.stack.push(args);
                report("stack-wide");
            },
        },
    ];
    return { seen, list };
}

function fixture(): EvaluatedResource[] {
    const parent = component("ai-platform:data:Database", "data");
    const awsProvider = provider("aws", "east", { region: "us-east-1" });
    const key = res(aws.kms.Key, "key", { enableKeyRotation: true }, { parent, provider: awsProvider });
    const db = res(aws.rds.Instance, "db", { instanceClass: "db.t3.large", kmsKeyId: "arn:key" }, { parent, provider: awsProvider, protect: true, dependsOn: [key] });
    const existing = res(aws.ec2.Vpc, "existing", { cidrBlock: "10.0.0.0/16" }, { read: true });
    return [parent, awsProvider, key, db, existing];
}

describe("evaluatePolicies runs policies the way the engine does", () => {
    it("resource policies see the engine's argument bag for every custom resource that is not read", async () => {
        const { seen, list } = spyPolicies();
        await evaluatePolicies(fixture(), { environment: "prod", config: {}, policies: list });
        expect(seen.resource.map((a) => a.name)).toEqual(["east", "key", "db"]);
        const db = seen.resource.find((a) => a.name === "db")!;
        expect(db.type).toBe("aws:rds/instance:Instance");
        expect(db.urn).toMatch(/::aws:rds\/instance:Instance::db$/);
        expect(db.props.kmsKeyId).toBe("arn:key");
        expect(db.opts.protect).toBe(true);
        expect(db.opts.parent).toMatch(/::ai-platform:data:Database::data$/);
        expect(db.isType(aws.rds.Instance)).toBe(true);
        expect(db.isType(aws.kms.Key)).toBe(false);
        expect(db.asType(aws.rds.Instance)?.instanceClass).toBe("db.t3.large");
        expect(db.asType(aws.kms.Key)).toBeUndefined();
        expect(db.provider).toMatchObject({ type: "pulumi:providers:aws", name: "east" });
        expect(db.provider!.props.region).toBe("us-east-1");
        expect(db.getConfig()).toEqual({ threshold: 7 });
        expect(() => db.notApplicable("n/a")).toThrow();
    });

    it("stack policies see every resource, components and reads included, with parents and dependencies linked", async () => {
        const { seen, list } = spyPolicies();
        await evaluatePolicies(fixture(), { environment: "prod", config: {}, policies: list });
        const resources = seen.stack[0].resources;
        expect(resources.map((r) => r.name)).toEqual(["data", "east", "key", "db", "existing"]);
        const db = resources.find((r) => r.name === "db") as PolicyResource;
        expect(db.parent?.name).toBe("data");
        expect(db.dependencies.map((d) => d.name)).toEqual(["key"]);
        expect(db.isType(aws.rds.Instance)).toBe(true);
        expect(db.asType(aws.rds.Instance)?.instanceClass).toBe("db.t3.large");
    });

    it("levels: the pack default, a policy's own, `all`, then the policy's entry; disabled policies do not run", async () => {
        const run = async (config: object) => {
            const { seen, list } = spyPolicies();
            const violations = await evaluatePolicies(fixture(), { environment: "prod", config: config as any, policies: list });
            return { seen, levels: Object.fromEntries(violations.map((v) => [v.policy, v.enforcementLevel])) };
        };
        expect((await run({})).levels).toEqual({ "spy-resource": packEnforcementLevel, "spy-stack": "advisory" });
        expect((await run({ all: "advisory" })).levels).toEqual({ "spy-resource": "advisory", "spy-stack": "advisory" });
        expect((await run({ all: "advisory", "spy-stack": { enforcementLevel: "mandatory" } })).levels).toEqual({ "spy-resource": "advisory", "spy-stack": "mandatory" });
        expect((await run({ "spy-resource": "remediate" })).levels["spy-resource"]).toBe("mandatory");
        const disabled = await run({ "spy-resource": "disabled", all: { enforcementLevel: "disabled" } });
        expect(disabled.levels).toEqual({});
        expect(disabled.seen.resource).toHaveLength(0);
        expect(disabled.seen.stack).toHaveLength(0);
    });

    it("config properties override schema defaults; bad config is rejected like the CLI rejects it", async () => {
        const { seen, list } = spyPolicies();
        await evaluatePolicies(fixture(), { environment: "prod", config: { "spy-resource": { threshold: 30, label: "x" } }, policies: list });
        expect(seen.resource[0].getConfig()).toEqual({ threshold: 30, label: "x" });
        expect(() => resolvePolicyConfig(list, { "no-such-policy": "advisory" })).toThrow(/not a policy of this pack/);
        expect(() => resolvePolicyConfig(list, { "spy-resource": { threshold: "thirty" } } as any)).toThrow(/threshold: must be integer/);
        expect(() => resolvePolicyConfig(list, { "spy-resource": { tresHold: 3 } } as any)).toThrow(/unknown config property "tresHold"/);
        expect(() => resolvePolicyConfig(list, { "spy-resource": "loud" } as any)).toThrow(/enforcement level/);
    });

    it("violations carry the policy's description, severity and the resource they are about", async () => {
        const { list } = spyPolicies();
        const violations = await evaluatePolicies(fixture(), { environment: "prod", config: {}, policies: list });
        expect(violations.find((v) => v.resourceName === "db")).toEqual({
            policy: "spy-resource",
            description: "records resource args",
            severity: "low",
            enforcementLevel: "mandatory",
            urn: expect.stringMatching(/::db$/),
            resourceType: "aws:rds/instance:Instance",
            resourceName: "db",
            message: "saw db",
        });
        expect(violations.find((v) => v.policy === "spy-stack")).toMatchObject({ severity: "high", message: "stack-wide" });
    });

    it("notApplicable is not a violation, and a policy's own error fails the evaluation", async () => {
        const list: Policies = [{ name: "na", description: "n/a", validateResource: (args) => args.notApplicable("never") }];
        expect(await evaluatePolicies(fixture(), { environment: "prod", config: {}, policies: list })).toEqual([]);
        const broken: Policies = [
            {
                name: "broken",
                description: "throws",
                validateResource: () => {
                    throw new Error("boom");
                },
            },
        ];
        await expect(evaluatePolicies(fixture(), { environment: "prod", config: {}, policies: broken })).rejects.toThrow(/policy 'broken'.*boom/s);
    });
});

describe("the pack's metadata and config files", () => {
    it("every policy has a kebab-case name, a description, a severity and a remediation hint", () => {
        for (const p of policies) {
            expect(p.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
            expect(p.description.length).toBeGreaterThan(10);
            expect(["critical", "high", "medium", "low"]).toContain(p.severity);
            expect(p.remediationSteps?.length).toBeGreaterThan(10);
        }
        expect(new Set(policies.map((p) => p.name)).size).toBe(policies.length);
    });

    it("both config files name every policy explicitly, and nothing else", () => {
        for (const env of ["staging", "prod"] as const) {
            expect(Object.keys(loadPolicyConfig(env)).sort()).toEqual(policies.map((p) => p.name).sort());
            expect(() => resolvePolicyConfig(policies, loadPolicyConfig(env))).not.toThrow();
        }
    });

    it("prod makes every policy mandatory; staging relaxes exactly the durability and resilience ones", () => {
        const prod = resolvePolicyConfig(policies, loadPolicyConfig("prod"));
        const staging = resolvePolicyConfig(policies, loadPolicyConfig("staging"));
        for (const { policy, meta } of definitions) {
            expect([policy.name, prod.get(policy.name)!.enforcementLevel]).toEqual([policy.name, "mandatory"]);
            const relaxed = meta.category === "durability" || meta.category === "resilience";
            expect([policy.name, staging.get(policy.name)!.enforcementLevel]).toEqual([policy.name, relaxed ? "advisory" : "mandatory"]);
        }
        expect(prod.get("aws-rds-backup-retention")!.properties.minimumRetentionDays).toBe(30);
        expect(staging.get("aws-rds-backup-retention")!.properties.minimumRetentionDays).toBe(7);
    });

    it("every policy a rule file exports is in the registry exactly once, and the registry holds nothing else", () => {
        const exported = ruleFiles().flatMap((r) => r.definitions);
        expect(new Set(exported).size).toBe(exported.length);
        expect(definitions.length).toBe(exported.length);
        expect(definitions.filter((d) => !exported.includes(d)).map((d) => d.policy.name)).toEqual([]);
    });

    it("every policy has at least one violating case in the test file that mirrors its rule file", () => {
        const uncovered = ruleFiles().flatMap(({ file, definitions: defined }) => {
            const testFile = path.join(__dirname, file === "cost" ? "budget" : file) + ".test.ts";
            const source = fs.readFileSync(testFile, "utf8");
            const covered = new Set([...source.matchAll(/policy: "([a-z0-9-]+)"/g)].map((m) => m[1]));
            return defined
                .map((d) => d.policy.name)
                .filter((n) => !covered.has(n))
                .map((n) => `${n} (${path.relative(__dirname, testFile)})`);
        });
        expect(uncovered).toEqual([]);
    });
});
