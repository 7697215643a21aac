import * as fs from "fs";
import * as path from "path";
import { isPricedType } from "../../stacks/cost";
import { planCost, planLlmCeiling, renderCost, costJson } from "../../tools/plan/cost";
import { defaultStackEstimates, defaultStackRun, gcpStackConfig, renderCostTable, withCostTable } from "../../tools/plan/costTable";
import { identityOf } from "../../tools/plan/planStack";
import { runPolicyStep, mandatoryViolations, type EvaluatedResource } from "../../tools/plan/policyStep";
import * as pack from "../../policy/evaluate";
import { costPolicies } from "../../policy/rules/cost";
import { createColors } from "picocolors";
import { repoRoot, runProgram, type ProgramRun } from "../../tools/engine/harness";

/**
 * The estimate of the real program on both clouds and both environments: every declared type is in the
 * price book, the README shows what the code computes, staging costs at most a quarter of prod, and a
 * budget creates the cloud's budget resource and holds the plan to it.
 */

const clouds = { aws: {}, gcp: gcpStackConfig } as const;
const budgetConfig = {
    aws: { "ai-platform:budget": { monthlyUsd: 5000 } },
    gcp: { "ai-platform:budget": { monthlyUsd: 4999.75, billingAccount: "012345-6789AB-CDEF01", alertEmails: ["finops@example.com", "oncall@example.com"] } },
} as const;
const stacks = ["staging", "prod"] as const;
const runs = new Map<string, ProgramRun>();
const key = (cloud: string, stack: string, budget = false) => `${cloud}/${stack}${budget ? "/budget" : ""}`;

/** The default stacks, and with a budget prod on AWS and staging on GCP. */
const budgeted = { aws: "prod", gcp: "staging" } as const;

beforeAll(async () => {
    for (const cloud of ["aws", "gcp"] as const) {
        for (const stack of stacks) runs.set(key(cloud, stack), await runProgram(defaultStackRun(cloud, stack)));
        runs.set(key(cloud, budgeted[cloud], true), await runProgram({ stack: budgeted[cloud], preview: true, config: { ...clouds[cloud], ...budgetConfig[cloud] } }));
    }
}, 120_000);

const estimateOf = (run: ProgramRun) => planCost({ run, identity: identityOf(run) });

describe.each(["aws", "gcp"] as const)("%s", (cloud) => {
    test.each([...stacks.map((s) => [s, false] as const), [budgeted[cloud], true] as const])("every type %s declares (budget: %s) is priced or listed as free", (stack, budget) => {
        const run = runs.get(key(cloud, stack, budget))!;
        const types = [...new Set(run.resources.filter((r) => r.custom && !r.read).map((r) => r.type))];
        expect(types.filter((t) => !isPricedType(t))).toEqual([]);
        const estimate = estimateOf(run);
        expect(estimate.unpricedTypes).toEqual([]);
        expect(estimate.warnings).toEqual([]);
    });

    test.each(stacks)("the %s estimate: items with a basis that sum to the total, node capacity with its band", (stack) => {
        const json = costJson(estimateOf(runs.get(key(cloud, stack))!));
        expect(json).toMatchObject({ currency: "USD", pricedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
        expect(json.items.reduce((sum, i) => sum + Math.round(i.monthly * 100), 0) / 100).toBe(json.monthly);
        for (const item of json.items) {
            expect(item).toEqual(expect.objectContaining({ urn: expect.stringContaining(item.name), type: expect.any(String), monthly: expect.any(Number) }));
            expect(item.basis).toMatch(/\$\d/);
        }
        const nodes = json.items.find((i) => /NodeGroup|NodePool/.test(i.type))!;
        expect(nodes.basis).toMatch(/^\d+ × \S+ .*× 730 h × \$[\d.]+\/h .*autoscaling \d+–\d+ nodes$/);
        expect(nodes.band!.low).toBeLessThanOrEqual(nodes.monthly);
        expect(nodes.band!.high).toBeGreaterThan(nodes.monthly);
        expect(json.band.high).toBeGreaterThan(json.monthly);
    });

    test("staging costs at most a quarter of prod with the default settings", () => {
        const staging = estimateOf(runs.get(key(cloud, "staging"))!).monthly;
        const prod = estimateOf(runs.get(key(cloud, "prod"))!).monthly;
        expect(staging).toBeGreaterThan(0);
        expect(staging).toBeLessThanOrEqual(prod / 4);
    });

    test("the text report shows the total and each component, within the terminal's width", () => {
        const estimate = estimateOf(runs.get(key(cloud, "prod"))!);
        const narrow = renderCost(estimate, createColors(false), 50);
        for (const line of narrow.split("\n")) expect(line.length).toBeLessThanOrEqual(50);
        expect(narrow).toMatch(/\n {2}Total +\$[\d,]+\.\d\d\n {4}\(autoscaling \$[\d,.]+ – \$[\d,.]+\)$/);
        const text = renderCost(estimate, createColors(false), 200);
        expect(text).toMatch(/^Estimated monthly cost \(on-demand list prices of \d{4}-\d{2}-\d{2}, /);
        expect(text).toMatch(/\n {2}ai-platform-cluster +\$[\d,]+\.\d\d\n/);
        expect(text).toMatch(/\n {2}Total +\$[\d,]+\.\d\d {2}\(autoscaling \$[\d,.]+ – \$[\d,.]+\)$/);
    });
});

describe("the LLM spend ceiling", () => {
    const defaultsPerHour = { staging: { service: 10, tenant: 2 }, prod: { service: 100, tenant: 10 } } as const;

    test.each(stacks)("%s: the service's hourly USD budget × 730 h, beside the total and never in it", (stack) => {
        for (const cloud of ["aws", "gcp"] as const) {
            const run = runs.get(key(cloud, stack))!;
            const ceiling = planLlmCeiling({ run })!;
            expect(ceiling).toEqual({
                currency: "USD",
                monthly: defaultsPerHour[stack].service * 730,
                hoursPerMonth: 730,
                callers: [{ caller: "ai-agents", usdPerHour: defaultsPerHour[stack].service, monthly: defaultsPerHour[stack].service * 730 }],
                basis: `$${defaultsPerHour[stack].service}/h × 730 h`,
            });
            const estimate = estimateOf(run);
            const json = costJson(estimate, ceiling);
            expect(json.llmCeiling).toEqual(ceiling);
            expect(json.monthly).toBe(estimate.monthly);
            expect(json.items.reduce((sum, i) => sum + Math.round(i.monthly * 100), 0) / 100).toBe(json.monthly);
            const text = renderCost(estimate, createColors(false), 200, ceiling);
            expect(text).toMatch(/\n {2}Total +\$[\d,]+\.\d\d.*\n {2}LLM spend ceiling +\$[\d,]+\.00\n {4}\(at most what the hourly LLM budgets of 1 caller allow, .*a ceiling, not a forecast\)$/s);
            for (const line of renderCost(estimate, createColors(false), 50, ceiling).split("\n")) expect(line.length).toBeLessThanOrEqual(50);
        }
    });

    test("every tenant adds its own budget or the default tenant budget", async () => {
        const tenants = [
            { name: "team-a", principal: "group:team-a@example.com", quota: { cpu: "1", memory: "1Gi", pods: 5 }, llmBudget: { tokensPerHour: 1000, usdPerHour: 3.25 } },
            { name: "team-b", principal: "group:team-b@example.com", quota: { cpu: "1", memory: "1Gi", pods: 5 } },
        ];
        const run = await runProgram({ stack: "prod", preview: true, config: { ...gcpStackConfig, "ai-platform:tenants": tenants } });
        const ceiling = planLlmCeiling({ run })!;
        expect(ceiling.callers.map((c) => [c.caller, c.usdPerHour])).toEqual([
            ["ai-agents", 100],
            ["team-a", 3.25],
            ["team-b", 10],
        ]);
        expect(ceiling.monthly).toBe((100 + 3.25 + 10) * 730);
        expect(ceiling.basis).toBe("($100/h + $3.25/h + $10/h) × 730 h");
    });
});

describe("cloud budgets", () => {
    test("AWS: a monthly cost budget with actual and forecast alerts at 50/80/100 % to the platform team", () => {
        const run = runs.get(key("aws", "prod", true))!;
        const budget = run.one("aws:budgets/budget:Budget");
        expect(budget.name).toBe("ai-platform-budget-monthly");
        expect(budget.inputs).toMatchObject({ budgetType: "COST", limitAmount: "5000", limitUnit: "USD", timeUnit: "MONTHLY", tags: expect.objectContaining({ environment: "prod" }) });
        expect(budget.inputs.notifications).toHaveLength(6);
        for (const type of ["ACTUAL", "FORECASTED"]) {
            expect(budget.inputs.notifications.filter((n: { notificationType: string }) => n.notificationType === type).map((n: { threshold: number }) => n.threshold)).toEqual([50, 80, 100]);
        }
        for (const n of budget.inputs.notifications)
            expect(n).toMatchObject({ thresholdType: "PERCENTAGE", comparisonOperator: "GREATER_THAN", subscriberEmailAddresses: ["platform-team@example.com"] });
        expect(runs.get(key("aws", "prod"))!.ofType("aws:budgets/budget:Budget")).toEqual([]);
    });

    test("GCP: a billing budget on the billing account for the project, e-mailing the given recipients through notification channels", () => {
        const run = runs.get(key("gcp", "staging", true))!;
        const budget = run.one("gcp:billing/budget:Budget");
        expect(budget.inputs).toMatchObject({
            billingAccount: "012345-6789AB-CDEF01",
            amount: { specifiedAmount: { currencyCode: "USD", units: "4999", nanos: 750_000_000 } },
            budgetFilter: { calendarPeriod: "MONTH" },
        });
        expect(budget.inputs.budgetFilter.projects).toEqual([expect.stringMatching(/^projects\/\d+$/)]);
        expect(budget.inputs.thresholdRules).toEqual(["CURRENT_SPEND", "FORECASTED_SPEND"].flatMap((spendBasis) => [0.5, 0.8, 1].map((thresholdPercent) => ({ spendBasis, thresholdPercent }))));
        const channels = run.ofType("gcp:monitoring/notificationChannel:NotificationChannel");
        expect(channels.map((c) => c.inputs.labels.email_address)).toEqual(["finops@example.com", "oncall@example.com"]);
        for (const channel of channels) expect(channel.inputs).toMatchObject({ type: "email", userLabels: expect.objectContaining({ environment: "staging" }) });
        expect(run.one("gcp:projects/service:Service", "ai-platform-budget-api").inputs.service).toBe("billingbudgets.googleapis.com");
        expect(runs.get(key("gcp", "staging"))!.ofType("gcp:billing/budget:Budget")).toEqual([]);
    });

    test("GCP refuses a budget without a billing account, naming the key", async () => {
        await expect(runProgram({ stack: "staging", preview: true, config: { ...gcpStackConfig, "ai-platform:budget": { monthlyUsd: 300 } } })).rejects.toThrow(
            /ai-platform:budget\.billingAccount = \(not set\): is required on GCP/,
        );
    });

    /** The run with its budget resource's amount changed, as `budget.monthlyUsd` would change it. */
    const withBudget = (run: ProgramRun, usd: number): EvaluatedResource[] =>
        run.resources.map((r) => {
            if (r.type === "aws:budgets/budget:Budget") return { ...r, inputs: { ...r.inputs, limitAmount: String(usd) }, state: { ...r.state, limitAmount: String(usd) } };
            if (r.type === "gcp:billing/budget:Budget") {
                const amount = { specifiedAmount: { currencyCode: "USD", units: String(usd), nanos: 0 } };
                return { ...r, inputs: { ...r.inputs, amount }, state: { ...r.state, amount } };
            }
            return r;
        });

    test("AWS: the whole pack passes under the budget; over it, the plan would exit 1 on cost-within-budget alone", async () => {
        const run = runs.get(key("aws", "prod", true))!;
        expect(mandatoryViolations(await runPolicyStep(run, "prod", pack))).toEqual([]);
        const over = await runPolicyStep({ resources: withBudget(run, 500) as ProgramRun["resources"], config: run.config }, "prod", pack);
        expect(mandatoryViolations(over).map((v) => v.policy)).toEqual(["cost-within-budget"]);
        expect(mandatoryViolations(over)[0].message).toContain(`Estimated $${estimateOf(run).monthly.toLocaleString("en-US", { minimumFractionDigits: 2 })}/month exceeds the budget of $500.00/month`);
    });

    test("GCP: the budget policy reads the billing budget of the stack", async () => {
        const run = runs.get(key("gcp", "staging", true))!;
        const evaluate = (usd: number) =>
            pack.evaluatePolicies(withBudget(run, usd), { environment: "staging", config: {}, policies: costPolicies.map((d) => d.policy), stackConfig: { "gcp:region": "us-central1" } });
        const total = estimateOf(run).monthly;
        expect(await evaluate(Math.ceil(total))).toEqual([]);
        expect((await evaluate(Math.floor(total) - 1)).map((v) => v.policy)).toEqual(["cost-within-budget"]);
    });
});

test("the README shows the estimates the code computes (npm run docs)", async () => {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    expect(withCostTable(readme, renderCostTable(await defaultStackEstimates()))).toBe(readme);
});
