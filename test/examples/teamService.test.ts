import { execFileSync } from "child_process";
import * as path from "path";
import { evaluatePolicies } from "../../policy/evaluate";
import { repoRoot, runProgram, type ProgramRun } from "../../tools/engine/harness";
import { combinations, runWorkloads, type Cloud, type Stack } from "../workloads/run";
import { withTenants } from "../tenants/fixtures";

/**
 * The example team program (examples/team-service), evaluated under the engine mocks with its
 * StackReference answered by the platform's own evaluation of the same stack, on both clouds: it
 * deploys into its tenant namespace, attaches to the shared Gateway's HTTPS listener, and gets a
 * cloud identity of its own.
 */

const program = path.join(repoRoot, "examples", "team-service", "index.ts");
const platformStack = (stack: Stack) => `acme/ai-platform/${stack}`;

function runTeam(stack: Stack, cloud: Cloud, platform: ProgramRun, extra: Record<string, unknown> = {}) {
    const onCloud = cloud === "gcp" ? { "gcp:project": "team-a-project", "gcp:region": "us-central1" } : { "aws:region": "us-west-2" };
    return runProgram({
        stack,
        program,
        ignoreStackFile: true,
        config: { "team-service:platformStack": platformStack(stack), "team-service:tenant": "team-a", ...onCloud, ...extra },
        stackReferences: { [platformStack(stack)]: platform.outputs },
    });
}

const runs = new Map<string, { platform: ProgramRun; team: ProgramRun }>();
beforeAll(async () => {
    for (const [stack, cloud] of combinations) {
        const platform = await runWorkloads(stack, cloud, withTenants(cloud));
        runs.set(`${stack}/${cloud}`, { platform, team: await runTeam(stack, cloud, platform) });
    }
});

describe.each(combinations)("the team-service example on %s / %s", (stack, cloud) => {
    let platform: ProgramRun;
    let team: ProgramRun;
    beforeAll(() => ({ platform, team } = runs.get(`${stack}/${cloud}`)!));

    test("reads the platform stack and builds its Kubernetes provider from the kubeconfig output, kept secret", () => {
        const ref = team.one("pulumi:pulumi:StackReference");
        expect(ref.inputs.name).toBe(platformStack(stack));
        const provider = team.one("pulumi:providers:kubernetes");
        expect(provider.inputs.kubeconfig).toBe(platform.outputs.kubeconfig.value);
        expect(provider.secretPaths).toContain("kubeconfig");
        expect(provider.inputs.namespace).toBe("team-a");
    });

    test("every object lives in its tenant namespace, through that provider", () => {
        const objects = team.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
        expect(objects.map((r) => r.type).sort()).toEqual([
            "kubernetes:apps/v1:Deployment",
            "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
            "kubernetes:core/v1:Service",
            "kubernetes:core/v1:ServiceAccount",
            "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
            "kubernetes:policy/v1:PodDisruptionBudget",
        ]);
        const provider = team.one("pulumi:providers:kubernetes");
        for (const r of objects) {
            expect({ name: r.name, namespace: r.inputs.metadata.namespace }).toEqual({ name: r.name, namespace: "team-a" });
            expect(r.options.provider).toContain(provider.urn);
        }
    });

    test("the Deployment follows the restricted profile the namespace enforces", () => {
        const spec = team.one("kubernetes:apps/v1:Deployment").inputs.spec.template.spec;
        expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
        for (const c of spec.containers) {
            expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
            expect(c.resources.limits).toBeDefined();
        }
        expect(spec.serviceAccountName).toBe("team-service");
    });

    test("its HTTPRoute attaches to the shared Gateway's HTTPS listener only, under /team-a", () => {
        const route = team.one("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute").inputs.spec;
        const gateway = platform.outputs.gateway.value as { name: string; namespace: string; httpsListener: string };
        expect(route.parentRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: gateway.name, namespace: gateway.namespace, sectionName: gateway.httpsListener }]);
        expect(route.rules[0].matches).toEqual([{ path: { type: "PathPrefix", value: "/team-a" } }]);
        expect(route.rules[0].backendRefs).toEqual([{ group: "", kind: "Service", name: "team-service", port: 80 }]);
        expect(team.outputs.url.value).toBe(`${platform.outputs.apiUrl.value}/team-a/`);
    });

    test("the platform's policy pack, run on the team's stack, finds nothing wrong with its route or pods' profile", async () => {
        const violations = await evaluatePolicies(team.resources, { environment: stack });
        // The namespace's default deny is the platform stack's (test/tenants checks it), not this one's.
        const relevant = violations.filter((v) => v.policy.startsWith("k8s-") && v.policy !== "k8s-default-deny-network-policy");
        expect(relevant.map((v) => `${v.policy}: ${v.message}`)).toEqual([]);
    });

    test("its own cloud identity, bound to its ServiceAccount through the platform's workload identity facts", () => {
        const annotations = team.one("kubernetes:core/v1:ServiceAccount").inputs.metadata.annotations;
        const facts = platform.outputs.workloadIdentity.value as { oidcIssuerUrl: string; oidcProviderArn: string; workloadPool: string };
        if (cloud === "aws") {
            const role = team.one("aws:iam/role:Role");
            expect(annotations).toEqual({ "eks.amazonaws.com/role-arn": role.state.arn });
            const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement[0];
            const issuer = facts.oidcIssuerUrl.replace("https://", "");
            expect(facts.oidcProviderArn).toMatch(/^arn:aws:iam::\d{12}:oidc-provider\//);
            expect(trust.Principal).toEqual({ Federated: facts.oidcProviderArn });
            expect(trust.Condition.StringEquals).toEqual({ [`${issuer}:sub`]: "system:serviceaccount:team-a:team-service", [`${issuer}:aud`]: "sts.amazonaws.com" });
            expect(team.ofType("gcp:serviceaccount/account:Account")).toEqual([]);
        } else {
            const account = team.one("gcp:serviceaccount/account:Account");
            expect(annotations).toEqual({ "iam.gke.io/gcp-service-account": account.state.email });
            expect(facts.workloadPool).toBe(`${platform.config["gcp:project"]}.svc.id.goog`);
            expect(team.one("gcp:serviceaccount/iAMMember:IAMMember").inputs).toMatchObject({
                role: "roles/iam.workloadIdentityUser",
                member: `serviceAccount:${facts.workloadPool}[team-a/team-service]`,
            });
            expect(team.ofType("aws:iam/role:Role")).toEqual([]);
        }
    });
});

test("the example's objects validate against the upstream schemas", () => {
    const objects = [...runs.values()].flatMap(({ team }) =>
        team.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:")).map((r) => JSON.parse(JSON.stringify({ apiVersion: r.inputs.apiVersion, kind: r.inputs.kind, ...r.inputs }))),
    );
    const out = execFileSync(process.execPath, [path.join(__dirname, "../workloads/validateGatewayObjects.mjs")], { input: JSON.stringify(objects), cwd: repoRoot, encoding: "utf8" });
    expect((JSON.parse(out) as { error: string | null }[]).filter((r) => r.error !== null)).toEqual([]);
});

describe("what a team is told when it goes wrong", () => {
    test("a platform stack of another contract major is refused with a clear error before the team declares anything", async () => {
        const { platform } = runs.get("staging/aws")!;
        const future = { ...platform, outputs: { ...platform.outputs, contractVersion: { value: "2.0.0", secret: false } } };
        await expect(runTeam("staging", "aws", future)).rejects.toThrow(
            /exports outputs contract 2\.0\.0, but this module \(ai-platform\/consumer\) reads contract 1\.\d+\.\d+: the major versions differ/,
        );
    });

    test("a tenant the platform does not have", async () => {
        const { platform } = runs.get("staging/gcp")!;
        await expect(runTeam("staging", "gcp", platform, { "team-service:tenant": "team-z" })).rejects.toThrow(/"team-z" is not a tenant of acme\/ai-platform\/staging \(tenants: team-a, team-b\)/);
    });
});
