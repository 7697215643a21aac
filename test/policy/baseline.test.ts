import { awsBaseline, gcpBaseline, k8sBaseline } from "./fixtures";
import { evaluate, summary } from "./helpers";

describe("compliant baselines", () => {
    it.each([
        ["aws", awsBaseline],
        ["gcp", gcpBaseline],
        ["kubernetes", k8sBaseline],
    ])("the %s baseline passes every policy in prod and staging", async (_cloud, build) => {
        expect(summary(await evaluate(build(), "prod"))).toEqual([]);
        expect(summary(await evaluate(build(), "staging"))).toEqual([]);
    });
});
