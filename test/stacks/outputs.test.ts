import { runProgram, type ProgramRun } from "../../tools/engine/harness";

/**
 * The stack outputs other teams read through StackReference: names, shapes and secrecy are a contract.
 * Changing this list is a deliberate act: update it, the README's outputs table and tell consumers.
 */
const contract: Record<string, { type: "string" | "number" | "string[]"; secret: boolean }> = {
    cloud: { type: "string", secret: false },
    environment: { type: "string", secret: false },
    region: { type: "string", secret: false },
    vpcId: { type: "string", secret: false },
    privateSubnetIds: { type: "string[]", secret: false },
    clusterName: { type: "string", secret: false },
    kubeconfig: { type: "string", secret: true },
    databaseHost: { type: "string", secret: false },
    databasePort: { type: "number", secret: false },
    databaseSecretRef: { type: "string", secret: false },
    cacheHost: { type: "string", secret: false },
    cachePort: { type: "number", secret: false },
    imageRef: { type: "string", secret: false },
    backupBucket: { type: "string", secret: false },
    namespace: { type: "string", secret: false },
    apiUrl: { type: "string", secret: false },
    ingressHostname: { type: "string", secret: false },
    rpoMinutes: { type: "number", secret: false },
    rtoMinutes: { type: "number", secret: false },
    backupSchedule: { type: "string", secret: false },
};

const gcp = { "ai-platform:cloud": "gcp", "gcp:project": "acme-agents", "gcp:region": "europe-west1" };
const typeOf = (v: unknown) => (Array.isArray(v) ? (v.every((x) => typeof x === "string") ? "string[]" : "array") : typeof v);

const runs: Record<string, ProgramRun> = {};
beforeAll(async () => {
    runs["staging/aws"] = await runProgram({ stack: "staging" });
    runs["prod/aws"] = await runProgram({ stack: "prod" });
    runs["staging/gcp"] = await runProgram({ stack: "staging", config: gcp });
    runs["prod/gcp"] = await runProgram({ stack: "prod", config: gcp });
});

describe.each(["staging/aws", "prod/aws", "staging/gcp", "prod/gcp"])("outputs of %s", (which) => {
    const [stack, cloud] = which.split("/");

    test("are exactly the contract's names, with its types and secrecy", () => {
        const run = runs[which];
        expect(Object.keys(run.outputs).sort()).toEqual(Object.keys(contract).sort());
        for (const [name, expected] of Object.entries(contract)) {
            expect({ name, type: typeOf(run.outputs[name].value), secret: run.outputs[name].secret }).toEqual({ name, ...expected });
        }
    });

    test("say where the stack runs", () => {
        const { outputs } = runs[which];
        expect(outputs.cloud.value).toBe(cloud);
        expect(outputs.environment.value).toBe(stack);
        expect(outputs.region.value).toBe(cloud === "gcp" ? "europe-west1" : stack === "prod" ? "us-east-1" : "us-west-2");
        expect(outputs.apiUrl.value).toBe(stack === "prod" ? "https://agents.example.com" : "https://agents.staging.example.com");
    });

    test("carry no secret value in a plain output", () => {
        const run = runs[which];
        const secretValues = run.resources.flatMap((r) => [r.state.result, r.state.authString, r.state.password].filter((v): v is string => typeof v === "string" && v.length > 0));
        const configSecrets = run.secretKeys.map((k) => run.config[k]);
        for (const [name, output] of Object.entries(run.outputs).filter(([, o]) => !o.secret)) {
            for (const secret of [...secretValues, ...configSecrets]) expect({ name, leaks: JSON.stringify(output.value).includes(secret) }).toEqual({ name, leaks: false });
        }
    });
});

test("AWS and GCP export the same names, so a StackReference works on either cloud", () => {
    for (const stack of ["staging", "prod"]) expect(Object.keys(runs[`${stack}/gcp`].outputs).sort()).toEqual(Object.keys(runs[`${stack}/aws`].outputs).sort());
});
