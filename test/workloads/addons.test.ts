import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import { environmentDefaults } from "../../stacks";
import { acmeServerFor, acmeServers } from "../../components/workloads/addons";
import { gatewayAddress } from "../../components/workloads/gateway";
import { byName, combinations, kubernetesObjects, oneWorkloadObject, readyResourceTypes, runWorkloads, workloadObjects, workloadObjectsOfType, type Cloud, type Stack } from "./run";

const RELEASE = "kubernetes:helm.sh/v3:Release";
/** Charts the workloads install on every cloud; anything else is the foundation's or metrics-server. */
const ownCharts = [
    "oci://docker.io/envoyproxy/gateway-crds-helm",
    "oci://docker.io/envoyproxy/gateway-helm",
    "oci://docker.io/envoyproxy/ai-gateway-crds-helm",
    "oci://docker.io/envoyproxy/ai-gateway-helm",
    "cert-manager",
    "keda",
];

const runs = new Map<string, ProgramRun>();
const runOf = (stack: Stack, cloud: Cloud) => runs.get(`${stack}/${cloud}`)!;

beforeAll(async () => {
    for (const [stack, cloud] of combinations) runs.set(`${stack}/${cloud}`, await runWorkloads(stack, cloud));
});

function releaseOf(run: ProgramRun, chart: string): RecordedResource {
    const matches = run.ofType(RELEASE).filter((r) => r.inputs.chart === chart || String(r.inputs.chart).endsWith(`/${chart}`));
    if (matches.length !== 1) throw new Error(`expected one release of ${chart}, found ${matches.length}`);
    return matches[0];
}

function namespaceNamed(run: ProgramRun, name: string): RecordedResource | undefined {
    return run.ofType("kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === name);
}

describe.each(combinations)("cluster add-ons on %s / %s", (stack, cloud) => {
    let run: ProgramRun;
    beforeAll(() => {
        run = runOf(stack, cloud);
    });
    const defaults = environmentDefaults[stack];
    const prod = stack === "prod";

    test("every release is pinned, atomic, cleans up on failure, time-boxed, and has its namespace", () => {
        // The add-ons layer's releases; the operations layer's kube-prometheus-stack follows its own rules.
        const releases = workloadObjectsOfType(run, RELEASE);
        expect(releases.length).toBeGreaterThanOrEqual(2);
        for (const r of releases) {
            const i = r.inputs;
            expect({ r: r.name, version: i.version }).toEqual({ r: r.name, version: expect.stringMatching(/^v?\d+\.\d+\.\d+$/) });
            expect({ r: r.name, atomic: i.atomic, cleanupOnFail: i.cleanupOnFail }).toEqual({ r: r.name, atomic: true, cleanupOnFail: true });
            expect(i.timeout).toBe(defaults.addons.timeoutSeconds);
            expect(typeof i.name).toBe("string");
            const explicit = namespaceNamed(run, i.namespace);
            expect({ r: r.name, namespaced: i.createNamespace === true || !!explicit || i.namespace === "kube-system" }).toEqual({ r: r.name, namespaced: true });
            if (explicit) expect(run.dependsOn(r, explicit)).toBe(true);
            expect(i.repositoryOpts?.repo ?? i.chart).toMatch(/^(https|oci):\/\//);
        }
    });

    test("no ingress-nginx release and no Ingress object remain", () => {
        expect(run.ofType(RELEASE).filter((r) => /ingress-nginx/.test(String(r.inputs.chart)) || /ingress-nginx/.test(String(r.inputs.repositoryOpts?.repo)))).toEqual([]);
        expect(run.ofType("kubernetes:networking.k8s.io/v1:Ingress")).toEqual([]);
        expect(namespaceNamed(run, "ingress-nginx")).toBeUndefined();
    });

    test("Envoy Gateway's CRDs (Gateway API standard channel) are their own release, pinned like the controller, which waits for them", () => {
        const crds = releaseOf(run, "gateway-crds-helm");
        const controller = releaseOf(run, "gateway-helm");
        for (const r of [crds, controller]) {
            expect(r.inputs.chart).toMatch(/^oci:\/\/docker\.io\/envoyproxy\//);
            expect(r.inputs.repositoryOpts).toBeUndefined();
            expect(r.inputs.version).toBe(defaults.addons.envoyGateway);
            expect(r.inputs.namespace).toBe("envoy-gateway-system");
        }
        expect(crds.inputs.values).toEqual({ crds: { gatewayAPI: { enabled: true, channel: "standard" }, envoyGateway: { enabled: true } } });
        // The controller chart's own crds/ would never be upgraded by Helm; it must not install a second copy.
        expect(controller.inputs.values.crds).toEqual({ enabled: false });
        expect(run.dependsOn(controller, crds)).toBe(true);
    });

    test(`the Envoy Gateway controller runs ${defaults.ingress.controllerReplicas} replica(s) spread across zones${prod ? " with a disruption budget" : ""}`, () => {
        const values = releaseOf(run, "gateway-helm").inputs.values;
        expect(values.deployment.replicas).toBe(defaults.ingress.controllerReplicas);
        expect(values.deployment.pod.topologySpreadConstraints).toEqual([
            expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: { "control-plane": "envoy-gateway" } } }),
        ]);
        expect(values.podDisruptionBudget.minAvailable).toBe(prod ? 1 : 0);
    });

    test("the Envoy Gateway namespace and cert-manager's enforce the restricted Pod Security profile", () => {
        for (const chart of ["gateway-helm", "cert-manager"]) {
            const labels = namespaceNamed(run, releaseOf(run, chart).inputs.namespace)!.inputs.metadata.labels;
            expect({ chart, enforce: labels["pod-security.kubernetes.io/enforce"] }).toEqual({ chart, enforce: "restricted" });
        }
    });

    test("cert-manager installs its CRDs, turns on its Gateway API support once the Gateway API CRDs exist, and a Let's Encrypt ClusterIssuer solves HTTP-01 through the Gateway's HTTP listener", () => {
        const release = releaseOf(run, "cert-manager");
        expect(release.inputs.repositoryOpts).toEqual({ repo: "https://charts.jetstack.io" });
        expect(release.inputs.version).toBe(defaults.addons.certManager);
        expect(release.inputs.values.crds.enabled).toBe(true);
        expect(release.inputs.values.config).toEqual({ apiVersion: "controller.config.cert-manager.io/v1alpha1", kind: "ControllerConfiguration", enableGatewayAPI: true });
        expect(run.dependsOn(release, releaseOf(run, "gateway-crds-helm"))).toBe(true);
        const issuer = oneWorkloadObject(run, "kubernetes:cert-manager.io/v1:ClusterIssuer");
        expect(issuer.inputs.metadata.name).toBe(defaults.ingress.clusterIssuer);
        expect(issuer.inputs.spec.acme).toEqual({
            server: prod ? acmeServers.production : acmeServers.staging,
            email: "platform-team@example.com",
            privateKeySecretRef: { name: expect.any(String) },
            solvers: [{ http01: { gatewayHTTPRoute: { parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "agent-edge", namespace: "ai-agents", sectionName: "http" }] } } }],
        });
        expect(run.dependsOn(issuer, release)).toBe(true);
    });

    test(`metrics-server is installed only where the cloud does not run one (${cloud === "aws" ? "EKS: installed" : "GKE: not installed"})`, () => {
        const releases = run.ofType(RELEASE).filter((r) => r.inputs.chart === "metrics-server");
        if (cloud === "aws") {
            expect(releases).toHaveLength(1);
            expect(releases[0].inputs.repositoryOpts).toEqual({ repo: "https://kubernetes-sigs.github.io/metrics-server/" });
            expect(releases[0].inputs.version).toBe(defaults.addons.metricsServer);
            expect(releases[0].inputs.values.replicas).toBe(prod ? 2 : 1);
            expect(releases[0].inputs.values.replicas).toBe(defaults.addons.controllerReplicas);
        } else {
            expect(releases).toEqual([]);
        }
    });

    test("the foundation's extra releases are installed as it handed them over, with the same guard rails", () => {
        const extras = workloadObjectsOfType(run, RELEASE).filter((r) => ![...ownCharts, "metrics-server"].includes(r.inputs.chart));
        expect(extras.some((r) => /envoyproxy/.test(r.inputs.chart))).toBe(false);
        // GKE autoscales and collects logs itself, so its foundation hands over none.
        if (cloud === "aws") expect(extras.map((r) => r.inputs.name)).toContain("cluster-autoscaler");
        else expect(extras).toEqual([]);
        for (const r of extras) {
            expect(r.inputs.createNamespace).toBe(true);
            expect(r.inputs.atomic).toBe(true);
            expect(r.inputs.values).toEqual(expect.any(Object));
        }
    });

    test("ingressHostname is the public Gateway's address, which the provider waits for (Programmed)", () => {
        const gateway = byName(run, "kubernetes:gateway.networking.k8s.io/v1:Gateway", "agent-edge");
        expect(gateway.inputs.metadata.annotations["pulumi.com/waitFor"]).toBe("condition=Programmed");
        expect(run.outputs.ingressHostname.value).toBe(gatewayAddress(gateway.state.status));
        expect(run.outputs.ingressHostname.value).not.toBe("");
        expect(run.outputs.apiUrl.value).toBe(`https://${gateway.inputs.spec.listeners[1].hostname}`);
    });

    test("every Kubernetes object and read goes to the foundation's cluster provider", () => {
        const providers = run.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
        expect(providers).toHaveLength(1);
        for (const r of run.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"))) {
            expect({ r: r.name, provider: r.options.provider?.split("::").slice(0, -1).join("::") }).toEqual({ r: r.name, provider: providers[0].urn });
        }
    });

    test("every Kubernetes object depends on the foundation's nodes, so destroy removes it first", () => {
        const ready = run.resources.filter((r) => readyResourceTypes.includes(r.type));
        expect(ready.length).toBeGreaterThan(0);
        for (const r of kubernetesObjects(run)) for (const node of ready) expect({ r: r.name, waits: run.dependsOn(r, node) }).toEqual({ r: r.name, waits: true });
    });

    test("no workloads code asks for a cloud: no aws or gcp resources are declared by the platform", () => {
        const platform = run.resources.find((r) => r.type === "ai-platform:workloads:AgentPlatform")!;
        const descendants = (of: RecordedResource): RecordedResource[] => run.children(of).flatMap((c) => [c, ...descendants(c)]);
        expect(descendants(platform).filter((r) => /^(aws|gcp):/.test(r.type))).toEqual([]);
    });
});

test("the Envoy Gateway controller's replicas come from settings, not from the environment", async () => {
    const override = await runWorkloads("staging", "aws", { "ai-platform:ingress.controllerReplicas": 3 });
    const values = releaseOf(override, "gateway-helm").inputs.values;
    expect(values.deployment.replicas).toBe(3);
    expect(values.podDisruptionBudget.minAvailable).toBe(1);
});

test.each(["aws", "gcp"] as const)("%s: the add-ons' controller replicas come from addons.controllerReplicas, with disruption budgets above one", async (cloud) => {
    const override = await runWorkloads("staging", cloud, { "ai-platform:addons.controllerReplicas": 3 });
    const certManager = releaseOf(override, "cert-manager").inputs.values;
    expect([certManager.replicaCount, certManager.webhook.replicaCount]).toEqual([3, 3]);
    expect([certManager.podDisruptionBudget.enabled, certManager.webhook.podDisruptionBudget.enabled]).toEqual([true, true]);
    const keda = releaseOf(override, "keda").inputs.values;
    expect([keda.operator.replicaCount, keda.metricsServer.replicaCount, keda.webhooks.replicaCount]).toEqual([3, 3, 3]);
    expect(keda.podDisruptionBudget).toEqual({ operator: { minAvailable: 1 }, metricServer: { minAvailable: 1 }, webhooks: { minAvailable: 1 } });
    if (cloud === "aws") {
        const metricsServer = releaseOf(override, "metrics-server").inputs.values;
        expect(metricsServer).toEqual({ replicas: 3, podDisruptionBudget: { enabled: true, maxUnavailable: 1 } });
    }
    // And one replica means no budget (prod refuses fewer than two: test/workloads/settings.test.ts).
    const single = await runWorkloads("staging", cloud, { "ai-platform:addons.controllerReplicas": 1 });
    expect(releaseOf(single, "cert-manager").inputs.values.podDisruptionBudget.enabled).toBe(false);
    expect(releaseOf(single, "keda").inputs.values.podDisruptionBudget).toEqual({ operator: {}, metricServer: {}, webhooks: {} });
});

describe("the same Kubernetes objects on both clouds", () => {
    /**
     * (type, name) of every Kubernetes object, minus releases only some clouds need (the foundation's and
     * metrics-server). Names are Pulumi's: Kubernetes names may embed cloud data (the migration Job's
     * carries a hash of the image reference, which lives in each cloud's registry).
     */
    const shape = (run: ProgramRun) =>
        workloadObjects(run)
            .filter((r) => r.type !== RELEASE || ownCharts.includes(r.inputs.chart))
            .map((r) => `${r.type} ${r.name}`)
            .sort();

    test.each(["staging", "prod"] as const)("%s: AWS and GCP declare the same set", (stack) => {
        const aws = shape(runOf(stack, "aws"));
        expect(aws.length).toBeGreaterThan(20);
        expect(shape(runOf(stack, "gcp"))).toEqual(aws);
    });

    test("staging and prod declare the same set too", () => {
        expect(shape(runOf("staging", "gcp"))).toEqual(shape(runOf("prod", "gcp")));
    });
});

describe("add-on helpers", () => {
    test("the ACME server is Let's Encrypt staging only for an issuer named for staging", () => {
        expect(acmeServerFor("letsencrypt-staging")).toBe(acmeServers.staging);
        expect(acmeServerFor("letsencrypt-prod")).toBe(acmeServers.production);
        expect(acmeServerFor("public-issuer")).toBe(acmeServers.production);
    });

    test("the Gateway's address is its first status address (an NLB hostname on AWS, an IP on GCP), empty until assigned", () => {
        expect(gatewayAddress({ addresses: [{ type: "Hostname", value: "lb.elb.amazonaws.com" }] })).toBe("lb.elb.amazonaws.com");
        expect(gatewayAddress({ addresses: [{ type: "IPAddress", value: "34.1.2.3" }] })).toBe("34.1.2.3");
        expect(gatewayAddress({})).toBe("");
        expect(gatewayAddress(undefined)).toBe("");
    });
});
