import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import { environmentDefaults } from "../../stacks";
import { kubernetesNames } from "../../components/contract";
import { byName, combinations, runWorkloads, workloadObjectsOfType, edgeProxyPods } from "./run";

const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";

type Peer = { ipBlock?: { cidr: string }; namespaceSelector?: any; podSelector?: any };
type Rule = { ports?: { protocol?: string; port: number | string }[]; to?: Peer[]; from?: Peer[] };

/**
 * The NetworkPolicies of the app namespace, whichever layer declares them: any of them can open
 * traffic to or from the service's pods.
 */
function appNamespacePolicies(run: ProgramRun): RecordedResource[] {
    return run.ofType(POLICY).filter((p) => p.inputs.metadata.namespace === kubernetesNames.appNamespace);
}

/** The NetworkPolicies that select a pod of the app namespace with these labels. */
function policiesFor(run: ProgramRun, labels: Record<string, string>): any[] {
    const matches = (selector: any) =>
        Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
        (selector.matchExpressions ?? []).every((e: any) => (e.operator === "In" ? e.values.includes(labels[e.key]) : e.operator === "Exists" ? e.key in labels : false));
    return appNamespacePolicies(run)
        .map((p) => p.inputs.spec)
        .filter((spec) => matches(spec.podSelector));
}

/** Whether an IPv4 address lies in a CIDR block. */
function inCidr(address: string, cidr: string): boolean {
    const toNumber = (ip: string) => ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const [base, bits] = cidr.split("/");
    const size = 2 ** (32 - Number(bits));
    return Math.floor(toNumber(address) / size) === Math.floor(toNumber(base) / size);
}

const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Whether any policy selecting the pod allows egress to `cidr`-contained address on `port`. */
function allowsEgress(run: ProgramRun, labels: Record<string, string>, port: number, check: (peer: Peer) => boolean): boolean {
    return policiesFor(run, labels).some((spec) => (spec.egress ?? []).some((rule: Rule) => (rule.ports ?? []).some((p) => p.port === port) && (rule.to ?? []).some(check)));
}

function allowsIngressFromNamespace(run: ProgramRun, labels: Record<string, string>, namespace: string, port: number): boolean {
    return policiesFor(run, labels).some((spec) =>
        (spec.ingress ?? []).some(
            (rule: Rule) => (rule.ports ?? []).some((p) => p.port === port) && (rule.from ?? []).some((peer) => peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === namespace),
        ),
    );
}

/** The labels Envoy Gateway puts on the proxies it runs. */
const proxyPods = edgeProxyPods;

const pod = (component: string) => ({ "app.kubernetes.io/name": "ai-agent", "app.kubernetes.io/component": component });

describe.each(combinations)("traffic, scaling and disruption on %s / %s", (stack, cloud) => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runWorkloads(stack, cloud);
    });
    const defaults = environmentDefaults[stack];
    /** The port the foundation's cache serves on (Memorystore with TLS uses 6378, not the settings' 6379). */
    const cachePort = () => Number(run.outputs.cachePort.value);

    describe("Service", () => {
        test("a ClusterIP Service selects the API pods on the app and metrics ports", () => {
            const service = byName(run, "kubernetes:core/v1:Service", "agent-api");
            expect(service.inputs.spec.type).toBe("ClusterIP");
            expect(service.inputs.spec.selector).toEqual(pod("api"));
            expect(service.inputs.spec.ports).toEqual([
                { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
                { name: "metrics", port: 9090, targetPort: "metrics", protocol: "TCP" },
            ]);
        });
    });

    describe("autoscaling", () => {
        test("no HorizontalPodAutoscaler of our own competes with KEDA's", () => {
            expect(run.ofType(HPA)).toEqual([]);
        });

        test.each([
            ["api", "agent-api"],
            ["worker", "agent-worker"],
        ] as const)("%s has a ScaledObject on its Deployment, up fast and down slowly, that owns the HPA of the same name", (component, deployment) => {
            const scaled = byName(run, SCALED_OBJECT, deployment).inputs;
            const scaling = defaults[component];
            expect(scaled.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: deployment });
            expect([scaled.spec.minReplicaCount, scaled.spec.maxReplicaCount]).toEqual([scaling.minReplicas, scaling.maxReplicas]);
            const hpa = scaled.spec.advanced.horizontalPodAutoscalerConfig;
            expect(hpa.name).toBe(deployment);
            expect(scaled.metadata.annotations["scaledobject.keda.sh/transfer-hpa-ownership"]).toBe("true");
            expect(hpa.behavior.scaleUp).toEqual(expect.objectContaining({ stabilizationWindowSeconds: 60, policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] }));
            expect(hpa.behavior.scaleDown).toEqual(expect.objectContaining({ stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 10, periodSeconds: 60 }] }));
            const target = byName(run, "kubernetes:apps/v1:Deployment", deployment);
            expect(target.inputs.spec.replicas).toBeGreaterThanOrEqual(scaled.spec.minReplicaCount);
            expect(target.options.ignoreChanges).toContain("spec.replicas");
        });

        if (stack === "prod") {
            test("prod runs the API at 3–20 replicas and a worker in each of the 3 zones at all times", () => {
                const api = byName(run, SCALED_OBJECT, "agent-api").inputs.spec;
                expect([api.minReplicaCount, api.maxReplicaCount]).toEqual([3, 20]);
                expect(byName(run, SCALED_OBJECT, "agent-worker").inputs.spec.minReplicaCount).toBe(defaults.network.availabilityZones);
            });
        } else {
            test("staging workers scale to zero while the queue is empty", () => {
                expect(byName(run, SCALED_OBJECT, "agent-worker").inputs.spec.minReplicaCount).toBe(0);
            });
        }
    });

    describe("PodDisruptionBudgets", () => {
        test.each([
            ["api", "agent-api"],
            ["worker", "agent-worker"],
        ] as const)("%s still lets one pod be evicted", (component, name) => {
            const pdb = byName(run, PDB, name).inputs.spec;
            expect(pdb.maxUnavailable).toBe(1);
            expect(pdb.minAvailable).toBeUndefined();
            expect(pdb.selector).toEqual({ matchLabels: pod(component) });
        });
    });

    describe("NetworkPolicies", () => {
        const dns = (peer: Peer) => peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "kube-system" && peer.podSelector?.matchLabels?.["k8s-app"] === "kube-dns";
        const anywhere = (peer: Peer) => peer.ipBlock?.cidr === "0.0.0.0/0";
        /** Where this cloud's managed data stores get their addresses: the VPC range on AWS, the private services range on GCP. */
        const dataStoreRange = cloud === "gcp" ? defaults.network.privateServicesCidr : defaults.network.cidr;
        const vpc = (peer: Peer) => peer.ipBlock?.cidr === dataStoreRange;
        const metadataPorts = cloud === "gcp" ? [80, 8080, 987, 988] : [];

        test("deny all ingress and egress in the namespace by default", () => {
            const denyAll = appNamespacePolicies(run).filter((p) => Object.keys(p.inputs.spec.podSelector).length === 0 && !p.inputs.spec.ingress && !p.inputs.spec.egress);
            expect(denyAll).toHaveLength(1);
            expect(denyAll[0].inputs.spec.policyTypes.sort()).toEqual(["Egress", "Ingress"]);
            // The workloads layer's policies guard the app namespace and KEDA's (tested with KEDA), nothing else.
            const own = workloadObjectsOfType(run, POLICY);
            expect(own.length).toBeGreaterThan(1);
            // The workloads layer's policies guard the app, gateway (edge.test.ts) and KEDA namespaces, nothing else.
            for (const p of own) expect(["ai-agents", "envoy-gateway-system", "keda"]).toContain(p.inputs.metadata.namespace);
        });

        test("let every pod resolve names through kube-dns over UDP and TCP", () => {
            for (const component of ["api", "worker", "migrate", "backup"]) {
                const rules = policiesFor(run, pod(component)).flatMap((spec) => (spec.egress ?? []).filter((r: Rule) => (r.to ?? []).some(dns)));
                const ports = rules.flatMap((r: Rule) => r.ports ?? []).map((p) => `${p.protocol}/${p.port}`);
                expect({ component, ports: ports.sort() }).toEqual({ component, ports: ["TCP/53", "UDP/53"] });
            }
        });

        test("admit the API's port only from the gateway's Envoy proxy pods, not the rest of their namespace", () => {
            expect(allowsIngressFromNamespace(run, pod("api"), "envoy-gateway-system", 8080)).toBe(true);
            const apiIngress = policiesFor(run, pod("api")).flatMap((spec) => spec.ingress ?? []);
            const sources = apiIngress.filter((r: Rule) => (r.ports ?? []).some((p) => p.port === 8080)).flatMap((r: Rule) => r.from ?? []);
            expect(sources.length).toBeGreaterThan(0);
            for (const peer of sources)
                expect(peer).toEqual({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "envoy-gateway-system" } }, podSelector: { matchLabels: proxyPods } });
            expect(allowsIngressFromNamespace(run, pod("worker"), "envoy-gateway-system", 8080)).toBe(false);
        });

        test("admit cert-manager's HTTP-01 solver pods from the gateway's proxies only, so certificates can be issued", () => {
            expect(allowsIngressFromNamespace(run, { "acme.cert-manager.io/http01-solver": "true" }, "envoy-gateway-system", 8089)).toBe(true);
            const sources = policiesFor(run, { "acme.cert-manager.io/http01-solver": "true" }).flatMap((spec) => (spec.ingress ?? []).flatMap((r: Rule) => r.from ?? []));
            for (const peer of sources) expect(peer.podSelector).toEqual({ matchLabels: proxyPods });
        });

        test("let Prometheus in the monitoring namespace scrape the API and worker metrics ports", () => {
            for (const component of ["api", "worker"]) expect({ component, ok: allowsIngressFromNamespace(run, pod(component), "monitoring", 9090) }).toEqual({ component, ok: true });
        });

        test("let the API and worker reach Postgres and Redis on the VPC range and the LLM gateway's proxies, and no HTTPS to the internet", () => {
            const llmProxies = (peer: Peer) =>
                peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === kubernetesNames.gateway.namespace &&
                peer.podSelector?.matchLabels?.["gateway.envoyproxy.io/owning-gateway-name"] === kubernetesNames.llmGateway.gatewayName;
            for (const component of ["api", "worker"]) {
                expect({ component, db: allowsEgress(run, pod(component), defaults.database.port, vpc) }).toEqual({ component, db: true });
                expect({ component, cache: allowsEgress(run, pod(component), cachePort(), vpc) }).toEqual({ component, cache: true });
                expect({ component, llm: allowsEgress(run, pod(component), 10080, llmProxies) }).toEqual({ component, llm: true });
                expect({ component, https: allowsEgress(run, pod(component), 443, anywhere) }).toEqual({ component, https: false });
            }
        });

        test("let the pods reach the addresses the foundation's data stores actually serve on", () => {
            // Cloud SQL and Memorystore get private IPs from the private services range, outside the
            // VPC's primary range; RDS and ElastiCache hand over DNS names that resolve inside the VPC.
            const database = String(run.outputs.databaseHost.value);
            const cache = String(run.outputs.cacheHost.value);
            const reaches = (component: string, host: string, port: number) =>
                ipv4.test(host) ? allowsEgress(run, pod(component), port, (peer) => !!peer.ipBlock && inCidr(host, peer.ipBlock.cidr)) : allowsEgress(run, pod(component), port, vpc);
            if (cloud === "gcp") {
                expect(database).toMatch(ipv4);
                expect(cache).toMatch(ipv4);
                expect(inCidr(database, defaults.network.cidr)).toBe(false);
            }
            for (const component of ["api", "worker", "migrate", "backup"]) {
                expect({ component, db: reaches(component, database, defaults.database.port) }).toEqual({ component, db: true });
            }
            for (const component of ["api", "worker"]) expect({ component, cache: reaches(component, cache, cachePort()) }).toEqual({ component, cache: true });
        });

        test("let the migration Job reach Postgres only, and the backup job Postgres and HTTPS", () => {
            expect(allowsEgress(run, pod("migrate"), defaults.database.port, vpc)).toBe(true);
            expect(allowsEgress(run, pod("migrate"), 443, anywhere)).toBe(false);
            expect(allowsEgress(run, pod("migrate"), cachePort(), vpc)).toBe(false);
            expect(allowsEgress(run, pod("backup"), defaults.database.port, vpc)).toBe(true);
            expect(allowsEgress(run, pod("backup"), 443, anywhere)).toBe(true);
        });

        test("open only this cloud's data-store range and identity endpoints, as the foundation states them", () => {
            const cidrs = appNamespacePolicies(run).flatMap((p) => ((p.inputs.spec.egress ?? []) as Rule[]).flatMap((rule) => (rule.to ?? []).map((peer) => peer.ipBlock?.cidr)));
            const otherRange = cloud === "gcp" ? defaults.network.cidr : defaults.network.privateServicesCidr;
            expect(cidrs).toContain(dataStoreRange);
            expect(cidrs).not.toContain(otherRange);
            const linkLocal = cidrs.filter((c) => c?.startsWith("169.254."));
            if (cloud === "gcp") expect(new Set(linkLocal)).toEqual(new Set(["169.254.169.254/32", "169.254.169.252/32"]));
            else expect(linkLocal).toEqual([]);
        });

        test("allow nothing else out: every egress rule is DNS, a data store port, the LLM gateway, HTTPS or a workload-identity endpoint", () => {
            // 10080: the LLM gateway's listener as its proxies bind it, to those proxies only (checked above).
            const allowed = new Set([53, defaults.database.port, cachePort(), 443, 10080, ...metadataPorts]);
            for (const p of appNamespacePolicies(run)) {
                for (const rule of (p.inputs.spec.egress ?? []) as Rule[]) {
                    expect(rule.ports?.length).toBeGreaterThan(0);
                    for (const port of rule.ports ?? [])
                        expect({ policy: p.inputs.metadata.name, port: port.port, ok: allowed.has(Number(port.port)) }).toEqual({ policy: p.inputs.metadata.name, port: port.port, ok: true });
                    const wide = (rule.to ?? []).filter(anywhere);
                    if (wide.length > 0) expect((rule.ports ?? []).map((x) => x.port)).toEqual([443]);
                    // Plain HTTP only to link-local metadata endpoints.
                    if ((rule.ports ?? []).some((x) => [80, 8080, 987, 988].includes(Number(x.port)))) {
                        for (const peer of rule.to ?? []) expect(peer.ipBlock?.cidr).toMatch(/^169\.254\.\d+\.\d+\/32$/);
                    }
                }
            }
        });
    });
});
