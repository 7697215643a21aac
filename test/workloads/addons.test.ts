import type { ProgramRun, RecordedResource } from "../harness";
import { environmentDefaults } from "../../stacks";
import { acmeServerFor, acmeServers, loadBalancerAddress } from "../../components/workloads/addons";
import { combinations, kubernetesObjects, oneWorkloadObject, readyResourceTypes, runWorkloads, workloadObjects, workloadObjectsOfType, type Cloud, type Stack } from "./run";

const RELEASE = "kubernetes:helm.sh/v3:Release";
/** Charts the workloads install on every cloud; anything else is the foundation's or metrics-server. */
const ownCharts = ["ingress-nginx", "cert-manager", "keda"];

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

    test("ingress-nginx runs behind a LoadBalancer with the foundation's annotations, keeps client IPs, exports metrics", () => {
        const release = releaseOf(run, "ingress-nginx");
        expect(release.inputs.repositoryOpts).toEqual({ repo: "https://kubernetes.github.io/ingress-nginx" });
        expect(release.inputs.version).toBe(defaults.addons.ingressNginx);
        expect(release.inputs.namespace).toBe("ingress-nginx");
        const controller = release.inputs.values.controller;
        expect(controller.service.type).toBe("LoadBalancer");
        expect(controller.service.externalTrafficPolicy).toBe("Local");
        expect(controller.service.annotations).toEqual(expect.any(Object));
        // EKS needs annotations to get a network load balancer; the foundation hands them over.
        if (cloud === "aws") expect(Object.keys(controller.service.annotations).some((k) => k.startsWith("service.beta.kubernetes.io/aws-load-balancer-"))).toBe(true);
        expect(controller.metrics.enabled).toBe(true);
        expect(controller.ingressClassResource).toEqual(expect.objectContaining({ name: defaults.ingress.className, enabled: true }));
        // The controller's own security context is left to the chart.
        expect(controller.containerSecurityContext).toBeUndefined();
        expect(controller.image).toBeUndefined();
    });

    test(`ingress-nginx runs ${prod ? "2 replicas with a disruption budget" : "1 replica"}`, () => {
        const controller = releaseOf(run, "ingress-nginx").inputs.values.controller;
        expect(controller.replicaCount).toBe(prod ? 2 : 1);
        // The chart renders its PodDisruptionBudget from minAvailable once replicaCount > 1.
        expect(controller.minAvailable).toBe(1);
        expect(controller.minAvailable).toBeLessThan(prod ? controller.replicaCount : 2);
    });

    test("the ingress-nginx namespace enforces baseline and audits/warns restricted; cert-manager's enforces restricted", () => {
        const ingress = namespaceNamed(run, "ingress-nginx")!.inputs.metadata.labels;
        expect(ingress).toEqual(
            expect.objectContaining({
                "pod-security.kubernetes.io/enforce": "baseline",
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
            }),
        );
        const certManager = namespaceNamed(run, releaseOf(run, "cert-manager").inputs.namespace)!.inputs.metadata.labels;
        expect(certManager["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    });

    test("cert-manager installs its CRDs and a Let's Encrypt ClusterIssuer that solves HTTP-01 through the ingress class", () => {
        const release = releaseOf(run, "cert-manager");
        expect(release.inputs.repositoryOpts).toEqual({ repo: "https://charts.jetstack.io" });
        expect(release.inputs.version).toBe(defaults.addons.certManager);
        expect(release.inputs.values.crds.enabled).toBe(true);
        const issuer = oneWorkloadObject(run, "kubernetes:cert-manager.io/v1:ClusterIssuer");
        expect(issuer.inputs.metadata.name).toBe(defaults.ingress.clusterIssuer);
        expect(issuer.inputs.spec.acme).toEqual({
            server: prod ? acmeServers.production : acmeServers.staging,
            email: "platform-team@example.com",
            privateKeySecretRef: { name: expect.any(String) },
            solvers: [{ http01: { ingress: { ingressClassName: defaults.ingress.className } } }],
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
        } else {
            expect(releases).toEqual([]);
        }
    });

    test("the foundation's extra releases are installed as it handed them over, with the same guard rails", () => {
        const extras = workloadObjectsOfType(run, RELEASE).filter((r) => ![...ownCharts, "metrics-server"].includes(r.inputs.chart));
        // GKE autoscales and collects logs itself, so its foundation hands over none.
        if (cloud === "aws") expect(extras.map((r) => r.inputs.name)).toContain("cluster-autoscaler");
        else expect(extras).toEqual([]);
        for (const r of extras) {
            expect(r.inputs.createNamespace).toBe(true);
            expect(r.inputs.atomic).toBe(true);
            expect(r.inputs.values).toEqual(expect.any(Object));
        }
    });

    test("ingressHostname is the ingress controller Service's load-balancer address, read after the release", () => {
        const read = run.resources.find((r) => r.read && r.type === "kubernetes:core/v1:Service")!;
        const release = releaseOf(run, "ingress-nginx");
        expect(run.dependsOn(read, release)).toBe(true);
        expect(run.outputs.ingressHostname.value).toBe(loadBalancerAddress(read.state.status));
        expect(run.outputs.ingressHostname.value).not.toBe("");
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

    test("the load-balancer address is the hostname (AWS) or else the IP (GCP)", () => {
        expect(loadBalancerAddress({ loadBalancer: { ingress: [{ hostname: "lb.elb.amazonaws.com", ip: "" } as any] } } as any)).toBe("lb.elb.amazonaws.com");
        expect(loadBalancerAddress({ loadBalancer: { ingress: [{ ip: "34.1.2.3" } as any] } } as any)).toBe("34.1.2.3");
        expect(loadBalancerAddress({ loadBalancer: {} } as any)).toBe("");
        expect(loadBalancerAddress(undefined)).toBe("");
    });
});
