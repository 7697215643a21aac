import * as path from "path";
import { runProgram } from "../../tools/engine/harness";
import type { Settings, SettingsError } from "../../stacks";

/** `ai-platform:budget`: optional, validated with the rest of the settings, a billing account required on GCP. */

const settingsProgram = path.join(__dirname, "../fixtures/settingsProgram.ts");
const gcp = { "ai-platform:cloud": "gcp", "gcp:project": "acme-agents", "gcp:region": "us-central1" };

test("unset by default: no budget in either environment", async () => {
    const run = await runProgram({ stack: "prod", program: settingsProgram });
    expect((run.outputs.resolved.value as Settings).budget).toEqual({});
});

test("a GCP budget with its billing account and recipients is accepted as given", async () => {
    const budget = { monthlyUsd: "1500.5", billingAccount: "012345-6789AB-CDEF01", alertEmails: ["finops@example.com", "oncall@example.com"] };
    const run = await runProgram({ stack: "staging", program: settingsProgram, config: { ...gcp, "ai-platform:budget": budget } });
    expect((run.outputs.resolved.value as Settings).budget).toEqual({ ...budget, monthlyUsd: 1500.5 });
});

test("bad budget values are refused together, each with what is allowed", async () => {
    const error = (await runProgram({
        stack: "prod",
        program: settingsProgram,
        config: { "ai-platform:budget": { monthlyUsd: 0, billingAccount: "my-account", alertEmails: ["not-an-address"] } },
    }).catch((e: unknown) => e)) as SettingsError;
    expect(error.name).toBe("SettingsError");
    const allowed = (key: string) => error.problems.filter((p) => p.key === key).map((p) => p.allowed);
    expect(allowed("ai-platform:budget.monthlyUsd")).toEqual(["must be a number above 0 and at most 10000000"]);
    expect(allowed("ai-platform:budget.billingAccount")).toEqual([expect.stringContaining("Cloud Billing account ID")]);
    expect(allowed("ai-platform:budget.alertEmails.0")).toEqual(["must be an e-mail address"]);
});

test("more recipients than a GCP budget can notify are refused", async () => {
    const error = (await runProgram({ stack: "prod", program: settingsProgram, config: { "ai-platform:budget": { monthlyUsd: 100, alertEmails: Array(6).fill("a@example.com") } } }).catch(
        (e: unknown) => e,
    )) as SettingsError;
    expect(error.problems).toEqual([expect.objectContaining({ key: "ai-platform:budget.alertEmails", allowed: expect.stringContaining("at most 5") })]);
});
