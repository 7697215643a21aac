import { runProgram, type ProgramRun } from "../harness";

/** The stack outputs other teams read through StackReference: names and shapes are a contract. */
const contract = ["cloud", "environment", "region"];

describe.each([
    ["staging", "aws", {}],
    ["prod", "aws", {}],
    ["prod", "gcp", { "ai-platform:cloud": "gcp", "gcp:project": "acme-agents", "gcp:region": "europe-west1" }],
])("outputs of %s on %s", (stack, cloud, config) => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runProgram({ stack, config });
    });

    test("include the contract's names", () => {
        expect(Object.keys(run.outputs)).toEqual(expect.arrayContaining(contract));
    });

    test("say where the stack runs", () => {
        expect(run.outputs.cloud).toEqual({ value: cloud, secret: false });
        expect(run.outputs.environment).toEqual({ value: stack, secret: false });
        expect(run.outputs.region.value).toBe(cloud === "gcp" ? "europe-west1" : stack === "prod" ? "us-east-1" : "us-west-2");
    });

    test("carry no secret value in a plain output", () => {
        const plain = Object.values(run.outputs).filter((o) => !o.secret);
        for (const output of plain) expect(JSON.stringify(output.value)).not.toMatch(/mock-secret|pw[0-9a-f]{8}/);
    });
});
