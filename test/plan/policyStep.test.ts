import * as fs from "fs";
import * as path from "path";
import { repoRoot, type RecordedResource } from "../../tools/engine/harness";
import {
    configuredLevel,
    expectedViolations,
    hasPolicyPack,
    loadPolicyEvaluator,
    policyModule,
    relaxedPolicies,
    runPolicyStep,
    sortViolations,
    toEvaluatedResource,
    type PolicyEvaluator,
    type Violation,
} from "../../tools/plan/policyStep";

const hasPack = fs.existsSync(path.join(repoRoot, "policy", "evaluate.ts"));

const deployment: RecordedResource = {
    urn: "urn:pulumi:prod::ai-platform::ai-platform:workloads:Api$kubernetes:apps/v1:Deployment::prod-api",
    type: "kubernetes:apps/v1:Deployment",
    name: "prod-api",
    custom: true,
    parent: "urn:pulumi:prod::ai-platform::ai-platform:workloads:Api::prod-api",
    inputs: { spec: { replicas: 1 } },
    secretPaths: [],
    state: { spec: { replicas: 1 }, status: {} },
    read: false,
    options: {
        protect: true,
        ignoreChanges: ["spec.replicas"],
        retainOnDelete: false,
        deleteBeforeReplace: false,
        additionalSecretOutputs: [],
        provider: "urn:p::k8s::id",
        deletedWith: "urn:x",
        dependencies: ["urn:ns"],
    },
};

const violation = (policy: string, enforcementLevel: Violation["enforcementLevel"], severity: Violation["severity"], urn?: string): Violation => ({
    policy,
    description: "d",
    severity,
    enforcementLevel,
    urn,
    message: "m",
});

describe("policy step", () => {
    test("hands policies the resource as the pack's interface describes it", () => {
        expect(toEvaluatedResource(deployment)).toEqual({
            urn: deployment.urn,
            type: deployment.type,
            name: "prod-api",
            parent: deployment.parent,
            custom: true,
            read: false,
            inputs: { spec: { replicas: 1 } },
            options: { protect: true, ignoreChanges: ["spec.replicas"], provider: "urn:p::k8s::id", dependencies: ["urn:ns"] },
        });
    });

    test("says so instead of passing silently when the checkout has no pack", async () => {
        const report = await runPolicyStep({ resources: [deployment] }, "prod", undefined);
        expect(report).toEqual({ status: "unavailable", environment: "prod", reason: "no policy pack at policy/evaluate.ts", violations: [] });
    });

    test("skips an environment that has no policy config", async () => {
        const evaluatePolicies = jest.fn();
        const report = await runPolicyStep({ resources: [deployment] }, "dev", { loadPolicyConfig: jest.fn(), evaluatePolicies });
        expect(report.status).toBe("skipped");
        expect(report.reason).toMatch(/"dev"/);
        expect(evaluatePolicies).not.toHaveBeenCalled();
    });

    test("orders violations mandatory first, then by severity, policy and resource", () => {
        const sorted = sortViolations([
            violation("b", "advisory", "critical"),
            violation("z", "mandatory", "low"),
            violation("a", "mandatory", "high", "urn:2"),
            violation("a", "mandatory", "high", "urn:1"),
        ]);
        expect(sorted.map((v) => `${v.enforcementLevel}:${v.severity}:${v.policy}:${v.urn ?? ""}`)).toEqual([
            "mandatory:high:a:urn:1",
            "mandatory:high:a:urn:2",
            "mandatory:low:z:",
            "advisory:critical:b:",
        ]);
    });

    test("finds the pack exactly when policy/evaluate.ts exists", () => {
        expect(policyModule).toBe(path.join(repoRoot, "policy", "evaluate.ts"));
        expect(hasPolicyPack()).toBe(hasPack);
        if (!hasPack) expect(loadPolicyEvaluator()).toBeUndefined();
    });

    (hasPack ? test : test.skip)("loads the real pack lazily, with the interface the plan codes against", () => {
        const pack = loadPolicyEvaluator()!;
        expect(typeof pack.evaluatePolicies).toBe("function");
        for (const environment of ["staging", "prod"] as const) expect(typeof pack.loadPolicyConfig(environment)).toBe("object");
    });

    test("a policy prod enforces and an environment relaxes to advisory is expected to be violated there", async () => {
        const prod = { all: "mandatory" as const, "ha-database": { enforcementLevel: "mandatory" as const, minimum: 2 }, "cost-tags": "advisory" as const };
        const staging = { "ha-database": { enforcementLevel: "advisory" as const }, "protect-data": "advisory" as const, "cost-tags": "advisory" as const, encryption: "mandatory" as const };
        expect(configuredLevel(prod, "protect-data")).toBe("mandatory");
        expect(configuredLevel(staging, "unknown")).toBeUndefined();
        expect(relaxedPolicies(staging, prod)).toEqual(["ha-database", "protect-data"]);
        expect(relaxedPolicies(prod, prod)).toEqual([]);

        const flag = (policy: string): Violation => ({ policy, description: "", severity: "high", enforcementLevel: "advisory", message: policy, urn: deployment.urn });
        const evaluator: PolicyEvaluator = {
            loadPolicyConfig: (environment) => (environment === "prod" ? prod : staging),
            evaluatePolicies: async () => [flag("ha-database"), flag("cost-tags"), flag("protect-data")],
        };
        const report = await runPolicyStep({ resources: [deployment] }, "staging", evaluator);
        expect(report.relaxed).toEqual(["ha-database", "protect-data"]);
        expect(
            expectedViolations(report)
                .map((v) => v.policy)
                .sort(),
        ).toEqual(["ha-database", "protect-data"]);
        const inProd = await runPolicyStep({ resources: [deployment] }, "prod", evaluator);
        expect(inProd.relaxed).toEqual([]);
        expect(expectedViolations(inProd)).toEqual([]);
    });

    (hasPack ? test : test.skip)("in the real pack, every advisory level of staging that prod makes mandatory counts as relaxed", () => {
        const pack = loadPolicyEvaluator()!;
        const relaxed = relaxedPolicies(pack.loadPolicyConfig("staging"), pack.loadPolicyConfig("prod"));
        expect(relaxed).toEqual(expect.arrayContaining(["aws-rds-multi-az", "aws-stateful-resources-protected", "gcp-sql-high-availability"]));
        for (const name of relaxed) expect(configuredLevel(pack.loadPolicyConfig("prod"), name)).toBe("mandatory");
    });
});
