import { contractVersion, platformOutputs, typeText, type OutputSpec } from "../../contract/outputs";
import { runProgram, type ProgramRun } from "../../tools/engine/harness";

/**
 * The stack outputs other teams read through StackReference: names, shapes and secrecy are a contract,
 * declared once in contract/outputs.ts (test/contract checks its versioning and the README table).
 */
const contract: Record<string, { type: string; secret: boolean }> = Object.fromEntries(
    (Object.entries(platformOutputs) as [string, OutputSpec][]).map(([name, spec]) => [name, { type: typeText(spec.type), secret: spec.secret }]),
);

const gcp = { "ai-platform:cloud": "gcp", "gcp:project": "acme-agents", "gcp:region": "europe-west1" };
/** The value's type in the contract's notation: scalars, string[], map<string>, or `{ field: type, … }` in the declared field order. */
function typeOf(v: unknown, declared: string): string {
    if (Array.isArray(v)) return v.every((x) => typeof x === "string") ? "string[]" : "array";
    if (typeof v !== "object" || v === null) return typeof v;
    const entries = Object.entries(v);
    if (declared === "map<string>") return entries.every(([, x]) => typeof x === "string") ? "map<string>" : "object";
    return `{ ${entries.map(([k, x]) => `${k}: ${typeof x}`).join(", ")} }`;
}

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
            expect({ name, type: typeOf(run.outputs[name].value, expected.type), secret: run.outputs[name].secret }).toEqual({ name, ...expected });
        }
    });

    test("say where the stack runs", () => {
        const { outputs } = runs[which];
        expect(outputs.cloud.value).toBe(cloud);
        expect(outputs.environment.value).toBe(stack);
        expect(outputs.region.value).toBe(cloud === "gcp" ? "europe-west1" : stack === "prod" ? "us-east-1" : "us-west-2");
        expect(outputs.apiUrl.value).toBe(stack === "prod" ? "https://agents.example.com" : "https://agents.staging.example.com");
    });

    test("tell a team where to push images, how its pods get a cloud identity, where to attach routes, which contract", () => {
        const { outputs } = runs[which];
        const region = outputs.region.value as string;
        if (cloud === "aws") {
            expect(outputs.registryUrl.value).toMatch(new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${region}\\.amazonaws\\.com$`));
            expect(outputs.workloadIdentity.value).toEqual({
                mechanism: "eks-irsa",
                oidcIssuerUrl: expect.stringMatching(new RegExp(`^https://oidc\\.eks\\.${region}\\.amazonaws\\.com/id/`)),
                oidcProviderArn: expect.stringMatching(/^arn:aws:iam::\d{12}:oidc-provider\/oidc\.eks\./),
                workloadPool: "",
            });
        } else {
            expect(outputs.registryUrl.value).toMatch(new RegExp(`^${region}-docker\\.pkg\\.dev/acme-agents/[a-z0-9-]+$`));
            expect(outputs.workloadIdentity.value).toEqual({ mechanism: "gke-workload-identity", oidcIssuerUrl: "", oidcProviderArn: "", workloadPool: "acme-agents.svc.id.goog" });
        }
        expect(outputs.gateway.value).toEqual({ name: "agent-edge", namespace: "ai-agents", httpsListener: "https" });
        expect(outputs.tenantNamespaces.value).toEqual({});
        expect(outputs.contractVersion.value).toBe(contractVersion);
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
