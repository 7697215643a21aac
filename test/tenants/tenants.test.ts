import { execFileSync } from "child_process";
import * as path from "path";
import { recordedSoFar, runProgram, type ProgramRun, type RecordedResource } from "../../tools/engine/harness";
import { combinations, kubernetesObjects, runWorkloads, workloadsConfig, type Cloud, type Stack, edgeProxyPods } from "../workloads/run";
import { main } from "../../tools/plan";
import { twoTenants, withTenants } from "./fixtures";

/**
 * Tenants on both clouds and both stacks, from the real program: each tenant's namespace and every
 * object in it, its access, its place on the shared Gateway, the outputs, and the upstream schemas.
 */

const NS = "kubernetes:core/v1:Namespace";
const QUOTA = "kubernetes:core/v1:ResourceQuota";
const LIMITS = "kubernetes:core/v1:LimitRange";
const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const proxyPods = edgeProxyPods;

const runs = new Map<string, ProgramRun>();
const runOf = (stack: Stack, cloud: Cloud) => runs.get(`${stack}/${cloud}`)!;
beforeAll(async () => {
    for (const [stack, cloud] of combinations) runs.set(`${stack}/${cloud}`, await runWorkloads(stack, cloud, withTenants(cloud)));
});

/** The Kubernetes objects under one tenant's component. */
function tenantObjects(run: ProgramRun, tenant: string): RecordedResource[] {
    const component = run.one("ai-platform:workloads:Tenant", `ai-platform-tenant-${tenant}`);
    return kubernetesObjects(run).filter((r) => r.parent === component.urn);
}
const inTenant = (run: ProgramRun, tenant: string, type: string) => tenantObjects(run, tenant).filter((r) => r.type === type);
const named = (objects: RecordedResource[], name: string) => objects.find((r) => r.inputs.metadata.name === name);

describe.each(combinations)("tenants on %s / %s", (stack, cloud) => {
    let run: ProgramRun;
    beforeAll(() => {
        run = runOf(stack, cloud);
    });

    test.each(twoTenants[cloud].map((t) => [t.name, t] as const))("%s: a restricted, labelled namespace; every other object inside it", (name, tenant) => {
        const objects = tenantObjects(run, name);
        const [namespace] = objects.filter((r) => r.type === NS);
        expect(namespace.inputs.metadata.name).toBe(tenant.name);
        expect(namespace.inputs.metadata.labels).toMatchObject({
            "ai-platform/tenant": name,
            "ai-platform/edge-routes": "true",
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
        });
        const others = objects.filter((r) => r.type !== NS && !r.type.startsWith("kubernetes:admissionregistration.k8s.io/"));
        expect(others.length).toBeGreaterThanOrEqual(8);
        for (const r of others) expect({ object: r.name, namespace: r.inputs.metadata.namespace }).toEqual({ object: r.name, namespace: name });
        // Created after the namespace, deleted before the nodes.
        for (const r of others) expect(run.dependsOn(r, namespace)).toBe(true);
    });

    test.each(twoTenants[cloud].map((t) => [t.name, t] as const))("%s: quota from settings, no public Services of its own, container defaults", (name, tenant) => {
        const [quota] = inTenant(run, name, QUOTA);
        expect(quota.inputs.spec.hard).toEqual({
            "requests.cpu": tenant.quota.cpu,
            "limits.cpu": tenant.quota.cpu,
            "requests.memory": tenant.quota.memory,
            "limits.memory": tenant.quota.memory,
            pods: String(tenant.quota.pods),
            "services.loadbalancers": "0",
            "services.nodeports": "0",
        });
        const [limits] = inTenant(run, name, LIMITS);
        expect(limits.inputs.spec.limits).toEqual([{ type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" } }]);
    });

    test.each(twoTenants[cloud].map((t) => [t.name] as const))("%s: default deny, DNS, ingress from the Gateway's proxies only", (name) => {
        const policies = inTenant(run, name, POLICY);
        expect(named(policies, "default-deny-all")?.inputs.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        expect(named(policies, "allow-dns")?.inputs.spec.egress[0].to[0]).toEqual({
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
        });
        const fromEdge = named(policies, "allow-from-gateway")!.inputs.spec;
        expect(fromEdge.policyTypes).toEqual(["Ingress"]);
        // Only the pods the team marks as edge backends, on the ports its tenant entry declares.
        expect(fromEdge.podSelector).toEqual({ matchLabels: { "ai-platform/edge-backend": "true" } });
        expect(fromEdge.ingress).toEqual([
            {
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "envoy-gateway-system" } }, podSelector: { matchLabels: proxyPods } }],
                ports: [{ protocol: "TCP", port: 8080 }],
            },
        ]);
        // Egress beyond DNS only where the cloud hands out identity tokens on the node (GKE's metadata server).
        const identity = named(policies, "allow-workload-identity");
        if (cloud === "gcp") expect(identity?.inputs.spec.egress.map((e: any) => e.to[0].ipBlock.cidr)).toEqual(["169.254.169.254/32", "169.254.169.252/32"]);
        else expect(identity).toBeUndefined();
        for (const p of policies.filter((x) => x.inputs.metadata.name !== "default-deny-all")) expect(p.inputs.spec.ingress?.some((r: any) => !r.from) ?? false).toBe(false);
    });

    test.each(twoTenants[cloud].map((t) => [t.name, t] as const))("%s: its principal gets edit and HTTPRoutes in this namespace alone", (name, tenant) => {
        const expected =
            cloud === "aws"
                ? [{ kind: "Group", name: `ai-platform:tenant:${name}`, apiGroup: "rbac.authorization.k8s.io" }]
                : tenant.principal.startsWith("group:")
                  ? [{ kind: "Group", name: tenant.principal.slice("group:".length), apiGroup: "rbac.authorization.k8s.io" }]
                  : [{ kind: "User", name: tenant.principal.slice(tenant.principal.indexOf(":") + 1), apiGroup: "rbac.authorization.k8s.io" }];
        const bindings = inTenant(run, name, BINDING);
        expect(named(bindings, "tenant-edit")?.inputs).toMatchObject({ roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" }, subjects: expected });
        expect(named(bindings, "edge-routes")?.inputs).toMatchObject({ roleRef: { kind: "Role", name: "edge-routes" }, subjects: expected });
        expect(inTenant(run, name, ROLE).map((r) => r.inputs.rules)).toEqual([
            [{ apiGroups: ["gateway.networking.k8s.io"], resources: ["httproutes"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] }],
        ]);
        // The tenant may not remove the fence: its own requests to change or delete the platform's NetworkPolicies are refused.
        const fence = named(inTenant(run, name, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy"), `tenant-fence-${name}`)!;
        expect(fence.inputs.metadata.name).toBe(`tenant-fence-${name}`);
        expect(fence.inputs.spec.matchConstraints).toEqual({
            namespaceSelector: { matchLabels: { "ai-platform/tenant": name } },
            resourceRules: [{ apiGroups: ["networking.k8s.io"], apiVersions: ["v1"], operations: ["UPDATE", "DELETE"], resources: ["networkpolicies"] }],
        });
        const who = expected[0].kind === "Group" ? `"${expected[0].name}" in request.userInfo.groups` : `request.userInfo.username == "${expected[0].name}"`;
        expect(fence.inputs.spec.matchConditions).toEqual([{ name: "requested-by-the-tenant", expression: who }]);
        expect(fence.inputs.spec.validations[0].expression).toBe('!has(oldObject.metadata.labels) || !("ai-platform/tenant" in oldObject.metadata.labels)');
        for (const p of inTenant(run, name, POLICY)) expect(p.inputs.metadata.labels["ai-platform/tenant"]).toBe(name);
        const admissionBindings = inTenant(run, name, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding").map((b) => b.inputs.spec);
        expect(admissionBindings).toEqual([
            { policyName: `tenant-fence-${name}`, validationActions: ["Deny"] },
            { policyName: `tenant-routes-${name}`, validationActions: ["Deny"] },
        ]);
        // Nothing cluster-wide names the tenant's subjects.
        const clusterWide = run.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").filter((b) => JSON.stringify(b.inputs.subjects ?? []).includes(expected[0].name));
        expect(clusterWide).toEqual([]);
    });

    test.each(twoTenants[cloud].map((t) => [t.name] as const))("%s: admission keeps its HTTPRoutes on the shared HTTPS listener and under /<tenant>", (name) => {
        const routes = named(inTenant(run, name, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy"), `tenant-routes-${name}`)!.inputs.spec;
        expect(routes.failurePolicy).toBe("Fail");
        expect(routes.matchConstraints).toEqual({
            namespaceSelector: { matchLabels: { "ai-platform/tenant": name } },
            resourceRules: [{ apiGroups: ["gateway.networking.k8s.io"], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ["httproutes"] }],
        });
        expect(routes.matchConditions).toBeUndefined();
        const [parents, paths] = routes.validations.map((v: { expression: string }) => v.expression);
        for (const part of ['p.name == "agent-edge"', 'p.namespace == "ai-agents"', 'p.sectionName == "https"', "!has(p.port)"]) expect(parents).toContain(part);
        for (const part of [`m.path.value == "/${name}"`, `m.path.value.startsWith("/${name}/")`, 'm.path.type != "RegularExpression"']) expect(paths).toContain(part);
    });

    test("the cloud maps each principal: EKS access entries to the tenant's group without access policies; GKE groups through Google Groups for RBAC", () => {
        if (cloud === "aws") {
            const entries = run.ofType("aws:eks/accessEntry:AccessEntry").filter((e) => e.name.includes("tenant-access"));
            expect(entries.map((e) => [e.inputs.principalArn, e.inputs.kubernetesGroups, e.inputs.type])).toEqual(
                twoTenants.aws.map((t) => [t.principal, [`ai-platform:tenant:${t.name}`], "STANDARD"]),
            );
            const principals = new Set(twoTenants.aws.map((t) => t.principal));
            expect(run.ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation").filter((a) => principals.has(a.inputs.principalArn))).toEqual([]);
            // The bindings wait for the entries.
            const binding = named(inTenant(run, "team-a", BINDING), "tenant-edit")!;
            expect(run.dependsOn(binding, entries[0])).toBe(true);
        } else {
            expect(run.one("gcp:container/cluster:Cluster").inputs.authenticatorGroupsConfig).toEqual({ securityGroup: "gke-security-groups@example.com" });
        }
    });

    test("the Gateway's HTTPS listener admits HTTPRoutes of labelled namespaces (app + tenants); plain HTTP its own namespace only", () => {
        const [gateway] = run.ofType(GATEWAY);
        const [http, https] = gateway.inputs.spec.listeners;
        expect(http.allowedRoutes).toEqual({ namespaces: { from: "Same" }, kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }] });
        expect(https.allowedRoutes).toEqual({
            namespaces: { from: "Selector", selector: { matchLabels: { "ai-platform/edge-routes": "true" } } },
            kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }],
        });
        const labelled = run
            .ofType(NS)
            .filter((n) => n.inputs.metadata.labels?.["ai-platform/edge-routes"] === "true")
            .map((n) => n.inputs.metadata.name);
        expect(labelled.sort()).toEqual(["ai-agents", "team-a", "team-b"]);
    });

    test("the proxies may reach tenant namespaces, and nothing else new", () => {
        const proxy = run.ofType(POLICY).find((p) => p.inputs.metadata.name === "allow-proxy" && p.inputs.metadata.namespace === "envoy-gateway-system")!;
        expect(proxy.inputs.spec.egress).toContainEqual({
            to: [{ namespaceSelector: { matchExpressions: [{ key: "ai-platform/tenant", operator: "Exists" }] } }],
            ports: [{ protocol: "TCP", port: 8080 }],
        });
    });

    test("outputs: the tenants' namespaces and the shared Gateway", () => {
        expect(run.outputs.tenantNamespaces).toEqual({ value: { "team-a": "team-a", "team-b": "team-b" }, secret: false });
        expect(run.outputs.gateway.value).toEqual({ name: "agent-edge", namespace: "ai-agents", httpsListener: "https" });
    });
});

test("every tenant object validates against the upstream Kubernetes schemas (kubernetes-models)", () => {
    const objects = [...runs.values()].flatMap((run) =>
        ["team-a", "team-b"].flatMap((t) => tenantObjects(run, t).map((r) => JSON.parse(JSON.stringify({ apiVersion: r.inputs.apiVersion, kind: r.inputs.kind, ...r.inputs })))),
    );
    expect(objects.length).toBeGreaterThan(60);
    const out = execFileSync(process.execPath, [path.join(__dirname, "../workloads/validateGatewayObjects.mjs")], {
        input: JSON.stringify(objects),
        cwd: path.join(__dirname, "../.."),
        encoding: "utf8",
    });
    const failures = (JSON.parse(out) as { kind: string; name: string; error: string | null }[]).filter((r) => r.error !== null);
    expect(failures).toEqual([]);
});

/** Evaluates CEL expressions as the API server would (see evaluateCel.mjs for why in a child process). */
function evaluateCel(cases: { expression: string; context: unknown }[]): ({ value: unknown } | { error: string })[] {
    const out = execFileSync(process.execPath, [path.join(__dirname, "evaluateCel.mjs")], { input: JSON.stringify(cases), cwd: path.join(__dirname, "../.."), encoding: "utf8" });
    return JSON.parse(out);
}

test("the admission policies admit the example team's route and the team's own policies, and refuse what would break out", () => {
    const run = runOf("prod", "aws");
    const policy = (objectName: string) => run.ofType("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").find((p) => p.inputs.metadata.name === objectName)!.inputs.spec;
    const routes = policy("tenant-routes-team-a").validations.map((v: { expression: string }) => v.expression);
    const fence = policy("tenant-fence-team-a");
    const shared = { group: "gateway.networking.k8s.io", kind: "Gateway", name: "agent-edge", namespace: "ai-agents", sectionName: "https" };
    const rule = (value: string, type = "PathPrefix") => ({ matches: [{ path: { type, value } }], backendRefs: [{ name: "svc", port: 80 }] });
    const route = (parentRefs: unknown[], rules: unknown[]) => ({ object: { spec: { parentRefs, rules } } });
    const admits = (r: { object: unknown }) => routes.map((expression: string) => ({ expression, context: r }));
    const cases: [string, { expression: string; context: unknown }[], boolean][] = [
        ["the example's route", admits(route([shared], [rule("/team-a")])), true],
        ["a deeper path, exact", admits(route([shared], [rule("/team-a/v1/hook", "Exact")])), true],
        ["the API's paths", admits(route([shared], [rule("/v1")])), false],
        ["the whole host", admits(route([shared], [rule("/")])), false],
        ["a look-alike prefix", admits(route([shared], [rule("/team-ab")])), false],
        ["a regular expression", admits(route([shared], [rule("/team-a/.*", "RegularExpression")])), false],
        ["a rule without matches", admits(route([shared], [{ backendRefs: [] }])), false],
        ["the HTTP listener", admits(route([{ ...shared, sectionName: "http" }], [rule("/team-a")])), false],
        ["every listener", admits(route([{ name: "agent-edge", namespace: "ai-agents" }], [rule("/team-a")])), false],
        ["a Gateway of its own", admits(route([{ name: "mine", sectionName: "https" }], [rule("/team-a")])), false],
        ["a port", admits(route([{ ...shared, port: 443 }], [rule("/team-a")])), false],
        ["no parent", admits(route([], [rule("/team-a")])), false],
    ];
    const deleting = (labels: Record<string, string> | undefined) => ({ oldObject: { metadata: labels ? { name: "x", labels } : { name: "x" } } });
    const fenceCases: [string, unknown, boolean][] = [
        ["deleting the platform's default deny", deleting({ "ai-platform/tenant": "team-a" }), false],
        ["deleting the team's own policy", deleting({ app: "mine" }), true],
        ["deleting an unlabelled policy", deleting(undefined), true],
    ];
    const results = evaluateCel([...cases.flatMap(([, c]) => c), ...fenceCases.map(([, context]) => ({ expression: fence.validations[0].expression, context }))]);
    let i = 0;
    for (const [what, c, expected] of cases) {
        const verdicts = c.map(() => results[i++]);
        expect({ what, admitted: verdicts.every((v) => "value" in v && v.value === true), errors: verdicts.filter((v) => "error" in v) }).toEqual({ what, admitted: expected, errors: [] });
    }
    for (const [what, , expected] of fenceCases) expect({ what, result: results[i++] }).toEqual({ what, result: { value: expected } });
    // The fence applies to the tenant's own requests only: its group (EKS), not the platform's deployer.
    const [byTenant, byOperator] = evaluateCel([
        {
            expression: fence.matchConditions[0].expression,
            context: { request: { userInfo: { username: "arn:aws:sts::123456789012:assumed-role/team-a-deployer/ci", groups: ["ai-platform:tenant:team-a", "system:authenticated"] } } },
        },
        {
            expression: fence.matchConditions[0].expression,
            context: { request: { userInfo: { username: "arn:aws:sts::123456789012:assumed-role/platform/ci", groups: ["system:masters", "system:authenticated"] } } },
        },
    ]);
    expect([byTenant, byOperator]).toEqual([{ value: true }, { value: false }]);
});

describe("without tenants (the default)", () => {
    test.each([["aws"], ["gcp"]] as const)("%s: no tenant objects, access entries or group config; an empty map", async (cloud) => {
        const run = await runWorkloads("staging", cloud);
        expect(run.ofType("ai-platform:workloads:Tenant")).toEqual([]);
        expect(run.ofType("aws:eks/accessEntry:AccessEntry").filter((e) => e.name.includes("tenant-access"))).toEqual([]);
        if (cloud === "gcp") expect(run.one("gcp:container/cluster:Cluster").inputs.authenticatorGroupsConfig).toBeUndefined();
        expect(run.outputs.tenantNamespaces.value).toEqual({});
        const proxy = run.ofType(POLICY).find((p) => p.inputs.metadata.name === "allow-proxy")!;
        expect(JSON.stringify(proxy.inputs.spec.egress)).not.toContain("ai-platform/tenant");
    });
});

describe("bad tenant settings are refused before anything is declared", () => {
    const tenant = (over: Record<string, unknown> = {}, quota: Record<string, unknown> = {}) => ({ ...twoTenants.aws[0], ...over, quota: { ...twoTenants.aws[0].quota, ...quota } });
    const gcpTenant = (principal: string, name = "team-g") => ({ ...twoTenants.gcp[0], name, principal });
    // One run per group: field rules report every bad tenant at once; the list-wide and cloud rules run once the fields are sound.
    const groups: [string, Cloud, unknown[], [string, RegExp][]][] = [
        [
            "names and quotas",
            "aws",
            [
                tenant({ name: "Team_A" }),
                tenant({ name: "a".repeat(64) }),
                tenant({ name: "ai-agents" }),
                tenant({ name: "kube-system" }),
                tenant({ name: "envoy-gateway-system" }),
                tenant({ name: "t5" }, { cpu: "four" }),
                tenant({ name: "t6" }, { memory: "8GB" }),
                tenant({ name: "t7" }, { pods: 0 }),
                { name: "t8", principal: twoTenants.aws[0].principal },
                tenant({ name: "t9", owner: "x" }),
                tenant({ name: "t10" }, { cpu: "0" }),
            ],
            [
                ["tenants.0.name", /DNS label/],
                ["tenants.1.name", /DNS label/],
                ["tenants.2.name", /platform's namespaces/],
                ["tenants.3.name", /kube-|platform's namespaces/],
                ["tenants.4.name", /platform's namespaces/],
                ["tenants.5.quota.cpu", /CPU quantity/],
                ["tenants.6.quota.memory", /memory quantity/],
                ["tenants.7.quota.pods", /positive/],
                ["tenants.8.quota", /cpu, memory, pods|expected object/],
                ["tenants.9.owner", /is not a setting of ai-platform:tenants.9 \(known: name, principal, quota\)/],
                ["tenants.10.quota.cpu", /more than zero/],
            ],
        ],
        [
            "duplicates and quotas below the default container",
            "aws",
            [tenant(), tenant({ principal: "arn:aws:iam::123456789012:role/other" }), tenant({ name: "t2" }, { memory: "256Mi", cpu: "200m" })],
            [
                ["tenants.1.name", /unique/],
                ["tenants.2.quota.memory", /default container limit/],
                ["tenants.2.quota.cpu", /default container limit/],
            ],
        ],
        [
            "principals that are no IAM role on AWS",
            "aws",
            [
                tenant({ principal: "group:team-a@example.com" }),
                tenant({ name: "t1", principal: "arn:aws:sts::123456789012:assumed-role/team-a/me" }),
                tenant({ name: "t2", principal: "arn:aws:iam::123456789012:user/me" }),
                tenant({ name: "t3", principal: "arn:aws:iam::123456789012:role/shared" }),
                tenant({ name: "t4", principal: "arn:aws:iam::123456789012:role/shared" }),
            ],
            [
                ["tenants.0.principal", /IAM role ARN/],
                ["tenants.1.principal", /IAM role ARN/],
                ["tenants.2.principal", /IAM role ARN/],
                ["tenants.4.principal", /one access entry per IAM role/],
            ],
        ],
        [
            "principals that are no Google identity on GCP",
            "gcp",
            [gcpTenant(twoTenants.aws[0].principal, "t0"), gcpTenant("team-a@example.com", "t1"), gcpTenant("serviceAccount:x@gmail.com", "t2")],
            [
                ["tenants.0.principal", /group:<email>/],
                ["tenants.1.principal", /group:<email>/],
                ["tenants.2.principal", /serviceAccount:/],
            ],
        ],
        ["groups of two domains on GCP", "gcp", [gcpTenant("group:a@example.com", "team-a"), gcpTenant("group:b@other.org", "team-b")], [["tenants.1.principal", /gke-security-groups/]]],
        ["a platform namespace on GCP", "gcp", [gcpTenant("group:a@example.com", "monitoring")], [["tenants.0.name", /platform's namespaces/]]],
        ["not a list of tenants", "aws", ["team-a"], [["tenants.0", /must be|expected object/]]],
    ];
    test.each(groups)("%s (%s)", async (_what, cloud, tenants, expected) => {
        const error = await runProgram({ stack: "staging", config: workloadsConfig(cloud, { "ai-platform:tenants": tenants }) }).then(
            () => undefined,
            (e: unknown) => e as { name: string; problems: { key: string; allowed: string }[]; message: string },
        );
        expect(error?.name).toBe("SettingsError");
        expect(recordedSoFar()).toHaveLength(0);
        for (const [key, message] of expected) {
            const problem = error!.problems.find((p) => p.key === `ai-platform:${key}`);
            expect({ key, allowed: problem?.allowed ?? error!.message }).toEqual({ key, allowed: expect.stringMatching(message) });
        }
    });

    test("the offline plan exits 2 on bad tenants, naming the key", async () => {
        let stderr = "";
        const write = jest.spyOn(process.stderr, "write").mockImplementation((chunk: any) => ((stderr += String(chunk)), true));
        const stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
        try {
            await expect(main(["--stack", "staging", "-c", `ai-platform:tenants=${JSON.stringify([tenant({ name: "kube-system" })])}`])).resolves.toBe(2);
        } finally {
            write.mockRestore();
            stdout.mockRestore();
        }
        expect(stderr).toMatch(/ai-platform:tenants\.0\.name/);
    });
});
