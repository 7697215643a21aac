import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import { evaluatePolicies } from "../../policy/evaluate";
import { costPolicies } from "../../policy/rules/cost";
import { hoursPerMonth } from "../../stacks/facts/prices";
import { res } from "./helpers";

/** `cost-within-budget`: the estimate against the budget resource, under, at and over it. */

const policies = costPolicies.map((d) => d.policy);
const run = (resources: ReturnType<typeof res>[]) => evaluatePolicies(resources, { environment: "prod", config: {}, policies, stackConfig: { "aws:region": "us-east-1" } });

// 1 × m5.xlarge node with 100 GB, and the EKS fee: 140.16 + 8 + 73 = 221.16; the budget itself adds 0.61.
const stack = () => [
    res(aws.eks.Cluster, "eks", { roleArn: "arn", vpcConfig: { subnetIds: [] } }),
    res(aws.eks.NodeGroup, "nodes", { clusterName: "c", nodeRoleArn: "arn", subnetIds: [], instanceTypes: ["m5.xlarge"], diskSize: 100, scalingConfig: { desiredSize: 1, minSize: 1, maxSize: 3 } }),
];
const expected = 0.192 * hoursPerMonth + 100 * 0.08 + 0.1 * hoursPerMonth + 0.61;
const awsBudget = (limitAmount: string) => res(aws.budgets.Budget, "budget", { budgetType: "COST", timeUnit: "MONTHLY", limitAmount, limitUnit: "USD" });

describe("cost-within-budget", () => {
    test("passes under the budget and exactly at it", async () => {
        expect(await run([...stack(), awsBudget("1000")])).toEqual([]);
        expect(await run([...stack(), awsBudget(expected.toFixed(2))])).toEqual([]);
    });

    test("over the budget is a mandatory violation naming the total, the budget and the three largest items", async () => {
        const violations = await run([...stack(), awsBudget("100")]);
        expect(violations).toHaveLength(1);
        expect(violations[0]).toMatchObject({ policy: "cost-within-budget", enforcementLevel: "mandatory" });
        expect(violations[0].message).toContain(`Estimated $${expected.toFixed(2)}/month exceeds the budget of $100.00/month`);
        expect(violations[0].message).toMatch(/Largest items: nodes \$148\.16 \(1 × m5\.xlarge × 730 h × \$0\.192\/h[^)]*\); eks \$73\.00 \(1 EKS cluster[^)]*\); budget \$0\.61/);
    });

    test("a cent over the budget fails", async () => {
        expect(await run([...stack(), awsBudget((expected - 0.01).toFixed(2))])).toHaveLength(1);
    });

    test("reads a GCP billing budget's amount, units and nanos", async () => {
        const pool = res(gcp.container.NodePool, "pool", { cluster: "c", location: "us-central1-a", initialNodeCount: 1, nodeConfig: { machineType: "n2-standard-4", diskSizeGb: 100 } });
        const budget = (units: string, nanos = 0) => res(gcp.billing.Budget, "budget", { billingAccount: "012345-6789AB-CDEF01", amount: { specifiedAmount: { currencyCode: "USD", units, nanos } } });
        expect(await run([pool, budget("152", 0)])).toEqual([]);
        // 1 × n2-standard-4 with 100 GB pd-balanced: 141.79 + 10.00 = 151.79.
        expect(await run([pool, budget("151", 800_000_000)])).toEqual([]);
        expect(await run([pool, budget("151", 780_000_000)])).toHaveLength(1);
    });

    test("a stack without a budget, or with an amount not known yet, has nothing to check", async () => {
        expect(await run(stack())).toEqual([]);
        expect(await run([...stack(), awsBudget(undefined as unknown as string)])).toEqual([]);
    });
});
