import * as fs from "fs";
import * as path from "path";
import { repoRoot, type RecordedResource } from "../../tools/engine/harness";
import { hasPolicyPack, loadPolicyEvaluator, policyModule, runPolicyStep, sortViolations, toEvaluatedResource, type Violation } from "../../tools/plan/policyStep";

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
    options: { protect: true, ignoreChanges: ["spec.replicas"], retainOnDelete: false, deleteBeforeReplace: false, additionalSecretOutputs: [], provider: "urn:p::k8s::id", deletedWith: "urn:x", dependencies: ["urn:ns"] },
};

const violation = (policy: string, enforcementLevel: Violation["enforcementLevel"], severity: Violation["severity"], urn?: string): Violation => ({ policy, description: "d", severity, enforcementLevel, urn, message: "m" });

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
        const sorted = sortViolations([violation("b", "advisory", "critical"), violation("z", "mandatory", "low"), violation("a", "mandatory", "high", "urn:2"), violation("a", "mandatory", "high", "urn:1")]);
        expect(sorted.map((v) => `${v.enforcementLevel}:${v.severity}:${v.policy}:${v.urn ?? ""}`)).toEqual(["mandatory:high:a:urn:1", "mandatory:high:a:urn:2", "mandatory:low:z:", "advisory:critical:b:"]);
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
});
