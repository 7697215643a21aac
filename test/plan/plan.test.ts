import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stripVTControlCharacters } from "util";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "../../tools/engine/harness";
import { SECRET_MASK } from "../../tools/plan/mask";
import { planExitCode, planStack, type Plan } from "../../tools/plan/planStack";
import type { EvaluatedResource, PolicyConfig, PolicyEvaluator, Violation } from "../../tools/plan/policyStep";
import { planToJson, renderJson, type PlanJson } from "../../tools/plan/renderJson";
import { manifestMarker, renderManifests, writeManifests, type Manifest } from "../../tools/plan/renderManifests";
import { renderText } from "../../tools/plan/renderText";
import { buildTree, countByType, treeLines } from "../../tools/plan/tree";

/**
 * The plan's pure functions over one run of `test/fixtures/planProgram.ts` (a component tree with
 * Kubernetes objects and secrets in several places), judged by a small stand-in policy pack.
 */

const fixtureProgram = path.join(repoRoot, "test", "fixtures", "planProgram.ts");
/** Every secret value in the fixture starts with this; it must never reach a report. */
const secretLiteral = "fixture-secret-";

/** Two policies computed from what they are handed, so the tests see what the plan passes in. */
const received: { resources?: EvaluatedResource[]; environment?: string; config?: PolicyConfig } = {};
const standInPack: PolicyEvaluator = {
    loadPolicyConfig: (environment) => ({ "min-replicas": { enforcementLevel: "mandatory", minimum: environment === "prod" ? 5 : 1 }, "one-namespace": "advisory" }),
    async evaluatePolicies(resources, { environment, config }) {
        Object.assign(received, { resources, environment, config });
        const minRule = config!["min-replicas"] as { enforcementLevel: "mandatory"; minimum: number };
        const violations: Violation[] = resources
            .filter((r) => r.type === "kubernetes:apps/v1:Deployment" && r.inputs.spec.replicas < minRule.minimum)
            .map((r) => ({
                policy: "min-replicas",
                description: `Deployments run at least ${minRule.minimum} replicas in ${environment}.`,
                severity: "high",
                enforcementLevel: minRule.enforcementLevel,
                urn: r.urn,
                resourceType: r.type,
                resourceName: r.name,
                message: `${r.inputs.metadata.name} runs ${r.inputs.spec.replicas} replicas.`,
            }));
        // A careless policy quoting a secret value: the report must still not show it.
        const credentials = resources.find((r) => r.type === "kubernetes:core/v1:Secret");
        if (credentials) {
            violations.push({
                policy: "key-format",
                description: "Provider keys look like real keys.",
                severity: "medium",
                enforcementLevel: "advisory",
                urn: credentials.urn,
                resourceType: credentials.type,
                resourceName: credentials.name,
                message: `ANTHROPIC_API_KEY "${credentials.inputs.stringData.ANTHROPIC_API_KEY}" does not start with sk-ant-.`,
            });
        }
        const namespaces = resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").length;
        if (namespaces < 2) {
            violations.push({
                policy: "one-namespace",
                description: "Workloads and add-ons use separate namespaces.",
                severity: "low",
                enforcementLevel: "advisory",
                message: `${namespaces} namespace declared.`,
                remediation: "Declare a namespace for the add-ons.",
            });
        }
        return violations;
    },
};

let plan: Plan;
let text: string;
let json: PlanJson;
let jsonText: string;
let manifests: Manifest[];

beforeAll(async () => {
    plan = await planStack({ stack: "prod", program: fixtureProgram, evaluator: standInPack });
    text = renderText(plan, { color: false });
    jsonText = renderJson(plan);
    json = planToJson(plan);
    manifests = renderManifests(plan.run);
});

const resource = (type: string) => plan.run.one(type);

describe("the run the plan observes", () => {
    test("holds the fixture's secrets in plain text, so the masking tests below can fail", () => {
        const everything = JSON.stringify({ resources: plan.run.resources.map((r) => r.inputs), outputs: plan.run.outputs });
        expect(everything.match(/fixture-secret-[a-z-]+/g)?.length).toBeGreaterThanOrEqual(6);
    });
});

describe("header", () => {
    test("names project, stack, cloud, region and environment, and says the plan is offline", () => {
        expect(plan.identity).toEqual({ project: "ai-platform", stack: "prod", cloud: "aws", region: "us-east-1", environment: "prod" });
        expect(text).toMatch(/^Plan for ai-platform\/prod \(offline: mocked engine; nothing is created\)/);
        for (const [key, value] of Object.entries({ project: "ai-platform", stack: "prod", cloud: "aws", region: "us-east-1", environment: "prod" })) {
            expect(text).toMatch(new RegExp(`^  ${key} +${value}$`, "m"));
        }
    });
});

describe("resource tree", () => {
    test("nests children under their parent URNs", () => {
        const roots = buildTree(plan.run.resources);
        expect(roots.map((n) => n.resource.type).sort()).toEqual(["pulumi:providers:kubernetes", "test:plan:App"]);
        const app = roots.find((n) => n.resource.type === "test:plan:App")!;
        expect(app.children.map((n) => n.resource.type).sort()).toEqual(
            ["kubernetes:core/v1:ConfigMap", "kubernetes:core/v1:Namespace", "kubernetes:core/v1:Secret", "kubernetes:helm.sh/v3:Release", "test:plan:Workloads"].sort(),
        );
        const workloads = app.children.find((n) => n.resource.type === "test:plan:Workloads")!;
        expect(workloads.children.map((n) => n.resource.type)).toEqual(["kubernetes:apps/v1:Deployment"]);
    });

    test("indents each line by depth under the stack line, with tree glyphs", () => {
        const section = text.slice(text.indexOf("\nResources\n"), text.indexOf("\nSummary"));
        const lines = section.split("\n");
        const lineOf = (type: string, name: string) => {
            const found = lines.filter((l) => new RegExp(`[ ─]${type.replace(/[/.]/g, "\\$&")} +${name}( |$)`).test(l));
            expect(found).toHaveLength(1);
            return found[0];
        };
        const column = (line: string, type: string) => line.indexOf(type);
        const stack = lineOf("pulumi:pulumi:Stack", "ai-platform-prod");
        const app = lineOf("test:plan:App", "fixture");
        const workloads = lineOf("test:plan:Workloads", "fixture-workloads");
        const deployment = lineOf("kubernetes:apps/v1:Deployment", "fixture-workloads-api");
        expect(column(app, "test:plan:App")).toBe(column(stack, "pulumi:pulumi:Stack") + 3);
        expect(column(workloads, "test:plan:Workloads")).toBe(column(app, "test:plan:App") + 3);
        expect(column(deployment, "kubernetes:apps/v1:Deployment")).toBe(column(workloads, "test:plan:Workloads") + 3);
        expect(deployment).toMatch(/^ {2}\+ {2}│ {2}│ {2}└─ kubernetes:apps\/v1:Deployment +fixture-workloads-api {2}\[protected\]$/);
        expect(lines.indexOf(app)).toBeLessThan(lines.indexOf(workloads));
        expect(lines.indexOf(workloads)).toBe(lines.indexOf(deployment) - 1);
    });

    test("treeLines gives every resource exactly one line, depth matching its ancestry", () => {
        const lines = treeLines(buildTree(plan.run.resources));
        expect(lines).toHaveLength(plan.run.resources.length);
        const depthOf = (r: { parent?: string }): number => (r.parent ? 1 + depthOf(plan.run.byUrn(r.parent)!) : 0);
        for (const line of lines) expect(line.depth).toBe(depthOf(line.resource));
    });

    test("treats a resource whose parent was never recorded as a root", () => {
        const orphan = { ...resource("kubernetes:core/v1:Namespace"), urn: "urn:x::orphan", parent: "urn:pulumi:prod::ai-platform::pulumi:pulumi:Stack::ai-platform-prod" };
        expect(buildTree([orphan]).map((n) => n.resource.urn)).toEqual(["urn:x::orphan"]);
    });
});

describe("counts", () => {
    test("per type and in total, components apart from custom resources", () => {
        const counts = countByType(plan.run.resources);
        expect(counts.total).toBe(8);
        expect(counts.components).toBe(2);
        expect(counts.custom).toBe(6);
        expect(Object.fromEntries(counts.byType.map((c) => [c.type, c.count]))).toEqual({
            "kubernetes:apps/v1:Deployment": 1,
            "kubernetes:core/v1:ConfigMap": 1,
            "kubernetes:core/v1:Namespace": 1,
            "kubernetes:core/v1:Secret": 1,
            "kubernetes:helm.sh/v3:Release": 1,
            "pulumi:providers:kubernetes": 1,
            "test:plan:App": 1,
            "test:plan:Workloads": 1,
        });
    });

    test("orders the most numerous types first", () => {
        const many = [...plan.run.resources, resource("kubernetes:core/v1:Secret"), resource("kubernetes:core/v1:Secret")];
        expect(countByType(many).byType[0]).toEqual({ type: "kubernetes:core/v1:Secret", count: 3 });
        expect(countByType(many).total).toBe(10);
    });

    test("appear in the text report as a compact summary: totals, then each provider package with its types", () => {
        const summary = text.slice(text.indexOf("\nSummary"), text.indexOf("\nOutputs\n")).trim().split("\n");
        expect(summary[0]).toBe("Summary  8 to create: 6 custom resources, 2 components");
        expect(summary).toContain("  kubernetes 5  ConfigMap, Deployment, Namespace, Release, Secret");
        expect(summary).toContain("  test       2  App, Workloads");
        expect(summary).toContain("  pulumi     1  kubernetes provider");
        expect(summary).toHaveLength(4);
    });

    test("count reads apart, and a package's many types on at most two lines, the rest counted", () => {
        const kinds = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett", "Kilo", "Lima", "Mike", "November"];
        const base = resource("kubernetes:core/v1:Secret");
        const many = kinds.flatMap((kind, i) => Array.from({ length: i < 2 ? 3 : 1 }, (_, n) => ({ ...base, urn: `${base.urn}-${kind}-${n}`, type: `kubernetes:example.com/v1:${kind}` })));
        const lookup = { ...base, urn: `${base.urn}-read`, read: true };
        const summaryOf = (width: number) => {
            const shown = renderText({ ...plan, run: { ...plan.run, resources: [...many, lookup] } }, { color: false, width });
            return shown.slice(shown.indexOf("\nSummary"), shown.indexOf("\nOutputs\n")).trim().split("\n");
        };
        expect(summaryOf(100)).toEqual([
            "Summary  18 to create: 18 custom resources, 0 components; 1 read",
            "  kubernetes 18  Alpha\u00a0×3, Bravo\u00a0×3, Charlie, Delta, Echo, Foxtrot, Golf, Hotel, India, Juliett,",
            "                 Kilo, Lima, Mike, November",
        ]);
        const narrow = summaryOf(50);
        const group = narrow.slice(narrow.findIndex((l) => l.startsWith("  kubernetes 18  Alpha\u00a0×3, Bravo\u00a0×3")));
        expect(group).toHaveLength(2);
        expect(group[1]).toMatch(/, \+\d+ more$/);
        for (const line of narrow) expect(line.length).toBeLessThanOrEqual(50);
    });
});

describe("width", () => {
    const long = (r: { name: string; type: string }) => ({
        name: `${r.name}-with-a-name-far-longer-than-any-terminal-line-would-hold`,
        type: r.type.replace(/:([^:]+)$/, ":VeryLongKindNameFromSomeOperator$1"),
    });
    test.each([40, 60, 80, 100, 132])("no line of the report is wider than %i columns", (width) => {
        const stretched: Plan = { ...plan, run: { ...plan.run, resources: plan.run.resources.map((r) => ({ ...r, ...long(r) })) } };
        for (const report of [renderText(plan, { color: false, width }), renderText(stretched, { color: false, width })]) {
            const lines = report.split("\n");
            expect(lines.filter((l) => l.length > width)).toEqual([]);
            // Nothing is dropped: every resource keeps its line in the tree.
            expect(lines.filter((l) => /^ {2}[+>] {2}/.test(l))).toHaveLength(plan.run.resources.length);
        }
    });

    test.each([40, 60, 100])("colour changes nothing but the codes at %i columns", (width) => {
        const plain = renderText(plan, { color: false, width });
        expect(stripVTControlCharacters(renderText(plan, { color: true, width }))).toBe(plain);
    });

    test("100 columns when not told, and colour codes do not count", () => {
        const wide: Plan = { ...plan, run: { ...plan.run, resources: plan.run.resources.map((r) => ({ ...r, ...long(r) })) } };
        const plain = renderText(wide, { color: false }).split("\n");
        expect(Math.max(...plain.map((l) => l.length))).toBe(100);
        const colored = renderText(wide, { color: true })
            .split("\n")
            .map((l) => stripVTControlCharacters(l));
        expect(colored).toEqual(plain);
    });
});

describe("outputs", () => {
    test("show plain values and mask secret ones", () => {
        expect(text).toMatch(/^ {2}apiToken +\[secret\]$/m);
        expect(text).toMatch(/^ {2}namespace +"agents"$/m);
        expect(text).toMatch(/^ {2}replicas +3$/m);
        expect(json.outputs).toEqual({ apiToken: { value: SECRET_MASK, secret: true }, namespace: { value: "agents", secret: false }, replicas: { value: 3, secret: false } });
    });
});

describe("first deploy", () => {
    test("shows the modeled total, each critical-path step with its minutes and finish, and the types the table lacks", () => {
        const section = text.slice(text.indexOf("First deploy"), text.indexOf("Policies"));
        expect(section).toContain(`about ${Math.ceil(plan.deploy.minutes)} min (${plan.deploy.minutes.toFixed(1)})`);
        for (const step of plan.deploy.criticalPath) expect(section).toMatch(new RegExp(`${step.minutes.toFixed(1)}\\s+${step.finish.toFixed(1)}\\s+${step.name}\\s+${step.type}`));
        // The fixture's own component types are not cloud resources; its custom test types fall back to the default.
        for (const type of plan.deploy.defaultedTypes) expect(section).toContain(type);
    });
});

describe("secrets are masked everywhere", () => {
    test("no secret value appears in the text report, the JSON or any manifest", () => {
        expect(text).not.toContain(secretLiteral);
        expect(jsonText).not.toContain(secretLiteral);
        for (const m of manifests) expect(m.content).not.toContain(secretLiteral);
    });

    test("every secret input path is masked in the JSON, keys kept, plain siblings untouched", () => {
        const inputsOf = (type: string) => json.resources.find((r) => r.type === type)!.inputs as any;
        expect(inputsOf("kubernetes:core/v1:Secret").stringData).toEqual({ ANTHROPIC_API_KEY: SECRET_MASK, DATABASE_PASSWORD: SECRET_MASK });
        expect(inputsOf("kubernetes:core/v1:ConfigMap").metadata.annotations).toEqual({ "example.com/checksum": SECRET_MASK });
        expect(inputsOf("kubernetes:core/v1:ConfigMap").data).toEqual({ DEFAULT_MODEL: "claude-sonnet-4-5", LOG_LEVEL: "info" });
        expect(inputsOf("kubernetes:helm.sh/v3:Release").values).toEqual({ alertmanager: { slackWebhook: SECRET_MASK } });
        expect(inputsOf("kubernetes:helm.sh/v3:Release").chart).toBe("kube-prometheus-stack");
        expect(inputsOf("pulumi:providers:kubernetes").kubeconfig).toBe(SECRET_MASK);
        const secretPaths = json.resources.flatMap((r) => r.secretPaths);
        expect(secretPaths.length).toBeGreaterThanOrEqual(4);
    });

    test("a secret quoted in free text (a policy message) is scrubbed too", () => {
        const quoting = plan.policy.violations.find((v) => v.policy === "key-format")!;
        expect(quoting.message).toContain(secretLiteral);
        expect(text).toContain(`ANTHROPIC_API_KEY "${SECRET_MASK}" does not start with sk-ant-.`);
        expect(json.violations.find((v) => v.policy === "key-format")!.message).toBe(`ANTHROPIC_API_KEY "${SECRET_MASK}" does not start with sk-ant-.`);
    });

    test("masking leaves the recorded run itself untouched", () => {
        expect(resource("kubernetes:core/v1:Secret").inputs.stringData.ANTHROPIC_API_KEY).toMatch(/^fixture-secret-/);
    });

    test("secret values in manifests are masked; the Secret keeps its keys", () => {
        const secret = manifests.find((m) => m.object.kind === "Secret")!;
        expect(parseYaml(secret.content).stringData).toEqual({ ANTHROPIC_API_KEY: SECRET_MASK, DATABASE_PASSWORD: SECRET_MASK });
        const configMap = manifests.find((m) => m.object.kind === "ConfigMap")!;
        expect(parseYaml(configMap.content).metadata.annotations["example.com/checksum"]).toBe(SECRET_MASK);
    });
});

describe("JSON plan", () => {
    test("has the stack identity, resources, outputs, violations and a summary", () => {
        const parsed = JSON.parse(jsonText);
        expect(Object.keys(parsed)).toEqual(["version", "offline", "project", "stack", "cloud", "region", "environment", "resources", "outputs", "policy", "violations", "cost", "deploy", "summary"]);
        expect(parsed).toMatchObject({ version: 1, offline: true, project: "ai-platform", stack: "prod", cloud: "aws", region: "us-east-1", environment: "prod" });
        expect(parsed.resources).toHaveLength(8);
        expect(parsed.summary).toEqual({
            resources: 8,
            customResources: 6,
            components: 2,
            byType: expect.objectContaining({ "kubernetes:apps/v1:Deployment": 1, "test:plan:App": 1 }),
            outputs: 3,
            mandatoryViolations: 1,
            advisoryViolations: 2,
            exitCode: 1,
        });
        expect(parsed.policy).toEqual({ status: "evaluated", environment: "prod" });
    });

    test("describes each resource with type, name, parent, options and inputs", () => {
        const deployment = json.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        const workloads = json.resources.find((r) => r.type === "test:plan:Workloads")!;
        expect(deployment).toMatchObject({ name: "fixture-workloads-api", parent: workloads.urn, custom: true, read: false });
        expect(deployment.options).toMatchObject({ protect: true, ignoreChanges: ["spec.replicas"] });
        expect(deployment.options.provider).toBe("urn:pulumi:prod::ai-platform::pulumi:providers:kubernetes::cluster");
        expect((deployment.inputs as any).spec.replicas).toBe(3);
        expect(json.resources.find((r) => r.type === "test:plan:App")).not.toHaveProperty("parent");
    });

    test("carries the modeled first deploy: minutes, the critical path and the independent chains", () => {
        const parsed = JSON.parse(jsonText);
        expect(Object.keys(parsed.deploy)).toEqual(["minutes", "criticalPath", "chains", "defaultedTypes"]);
        expect(parsed.deploy.minutes).toBe(plan.deploy.minutes);
        expect(parsed.deploy.minutes).toBeGreaterThan(0);
        const last = parsed.deploy.criticalPath[parsed.deploy.criticalPath.length - 1];
        expect(last.finish).toBe(parsed.deploy.minutes);
        for (const step of parsed.deploy.criticalPath) expect(Object.keys(step)).toEqual(["urn", "type", "name", "minutes", "finish"]);
        expect(Array.isArray(parsed.deploy.chains)).toBe(true);
    });

    test("is deterministic, so two plans can be diffed", () => {
        expect(renderJson(plan)).toBe(jsonText);
    });
});

describe("Kubernetes manifests", () => {
    test("cover every Kubernetes object and leave out Helm releases, providers and components", () => {
        expect(manifests.map((m) => m.object.kind).sort()).toEqual(["ConfigMap", "Deployment", "Namespace", "Secret"]);
        expect(manifests.map((m) => m.fileName).sort()).toEqual([
            "_cluster_namespace_agents.yaml",
            "agents_configmap_agent-config.yaml",
            "agents_deployment_api.yaml",
            "agents_secret_agent-credentials.yaml",
        ]);
    });

    test("every file parses as YAML with apiVersion, kind and metadata.name (and namespace where namespaced)", () => {
        for (const m of manifests) {
            const doc = parseYaml(m.content);
            expect(typeof doc.apiVersion).toBe("string");
            expect(typeof doc.kind).toBe("string");
            expect(typeof doc.metadata.name).toBe("string");
            if (doc.kind !== "Namespace") expect(doc.metadata.namespace).toBe("agents");
            expect(m.content.startsWith(manifestMarker)).toBe(true);
        }
    });

    test("carry apiVersion and kind as the SDK sent them, and the object's own fields", () => {
        const deployment = parseYaml(manifests.find((m) => m.object.kind === "Deployment")!.content);
        expect(deployment.apiVersion).toBe("apps/v1");
        expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: "agent-credentials" } }, { configMapRef: { name: "agent-config" } }]);
        expect(Object.keys(deployment).slice(0, 3)).toEqual(["apiVersion", "kind", "metadata"]);
        const configMap = parseYaml(manifests.find((m) => m.object.kind === "ConfigMap")!.content);
        expect(configMap).toMatchObject({ apiVersion: "v1", data: { LOG_LEVEL: "info" } });
    });

    test("are written one file per object; stale plan files go, other files stay", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-manifests-"));
        try {
            fs.writeFileSync(path.join(dir, "agents_service_old.yaml"), `${manifestMarker} (offline) from an earlier plan\nkind: Service\n`);
            fs.writeFileSync(path.join(dir, "kustomization.yaml"), "resources: []\n");
            const written = writeManifests(dir, manifests);
            expect(written.map((f) => path.basename(f)).sort()).toEqual(manifests.map((m) => m.fileName).sort());
            expect(fs.readdirSync(dir).sort()).toEqual([...manifests.map((m) => m.fileName), "kustomization.yaml"].sort());
            for (const file of written) expect(parseYaml(fs.readFileSync(file, "utf8")).metadata.name).toBeTruthy();
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("policy report", () => {
    test("hands the pack every resource with unwrapped inputs, the environment and its policy config", () => {
        expect(received.environment).toBe("prod");
        expect(received.config).toEqual(standInPack.loadPolicyConfig("prod"));
        expect(received.resources!.map((r) => r.urn)).toEqual(plan.run.resources.map((r) => r.urn));
        const secret = received.resources!.find((r) => r.type === "kubernetes:core/v1:Secret")!;
        expect(secret.inputs.stringData.ANTHROPIC_API_KEY).toMatch(/^fixture-secret-/);
        expect(Object.keys(secret.options).sort()).toEqual(["dependencies", "ignoreChanges", "protect", "provider"]);
    });

    test("groups violations by mandatory and advisory, each with resource, message and remediation", () => {
        const mandatory = text.slice(text.indexOf("  Mandatory (1)"), text.indexOf("  Advisory (2)"));
        expect(mandatory).toContain("✖ min-replicas [high]  kubernetes:apps/v1:Deployment  fixture-workloads-api");
        expect(mandatory).toContain("api runs 3 replicas.");
        expect(mandatory).toContain("policy: Deployments run at least 5 replicas in prod.");
        const advisory = text.slice(text.indexOf("  Advisory (2)"));
        expect(advisory).toContain("! key-format [medium]  kubernetes:core/v1:Secret  fixture-credentials");
        expect(advisory).toContain("! one-namespace [low]  (stack)");
        expect(advisory.indexOf("key-format")).toBeLessThan(advisory.indexOf("one-namespace"));
        expect(advisory).toContain("fix: Declare a namespace for the add-ons.");
    });

    test("advisories a relaxed environment expects are grouped under one line that says why; others stay in full", () => {
        const advisories = plan.policy.violations.filter((v) => v.enforcementLevel === "advisory");
        const relaxedHere = (extra: number) => [...advisories, ...Array.from({ length: extra }, (_, i) => ({ ...advisories[0], urn: `${advisories[0].urn}-${i}` }))];
        const staging: Plan = { ...plan, policy: { status: "evaluated", environment: "staging", relaxed: ["key-format"], violations: relaxedHere(2) } };
        const shown = renderText(staging, { color: false });
        const advisory = shown.slice(shown.indexOf("  Advisory (4)"), shown.indexOf("\n\n", shown.indexOf("  Advisory (4)")));
        expect(advisory).toMatch(/^ {4}! 3 expected: mandatory in prod, relaxed for staging by its policy config$/m);
        expect(advisory).toMatch(/^ {8}key-format\u00a0×3$/m);
        expect(advisory).not.toContain("! key-format [medium]");
        expect(advisory).toContain("! one-namespace [low]  (stack)");
        expect(shown).toContain("✔ 8 resources planned; no mandatory policy violation, 4 advisory.");
        // Without relaxed policies (prod) every advisory is listed in full.
        expect(text).not.toContain("expected:");
    });

    test("a mandatory violation makes the plan fail with exit status 1", () => {
        expect(planExitCode(plan)).toBe(1);
        expect(text.trimEnd().split("\n").pop()).toBe("✖ 1 mandatory policy violation: `pulumi up` would be blocked.");
    });

    test("advisory violations alone pass with exit status 0", () => {
        const advisoryOnly: Plan = { ...plan, policy: { ...plan.policy, violations: plan.policy.violations.filter((v) => v.enforcementLevel === "advisory") } };
        expect(planExitCode(advisoryOnly)).toBe(0);
        expect(renderText(advisoryOnly, { color: false })).toMatch(/✔ 8 resources planned; no mandatory policy violation, 2 advisory\.\n$/);
    });
});

describe("colour", () => {
    test("only when asked for: plain text carries no escape codes", () => {
        expect(text).not.toContain("\x1b[");
        expect(renderText(plan, { color: true })).toContain("\x1b[32m+\x1b[39m");
    });
});
