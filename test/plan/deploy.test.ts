import { creationTimes, defaultCreationTime, type TypeCreationTime } from "../../stacks/facts/creationTimes";
import { creationTimeOf, finishTimes, modelDeploy, type DeployResource } from "../../tools/plan/deploy";
import { runProgram, type ProgramRun } from "../../tools/engine/harness";

const urn = (name: string, type = "test:index:Thing") => `urn:pulumi:t::p::${type}::${name}`;

/** A resource of the hand-built graphs: type `test:index:M<n>` takes n minutes in the table below. */
function resource(name: string, minutes: number, dependencies: string[] = [], extra: Partial<DeployResource> = {}): DeployResource {
    const type = `test:index:M${minutes}`;
    return { urn: urn(name, type), type, name, custom: true, read: false, inputs: {}, options: { dependencies }, ...extra };
}
const table: Record<string, TypeCreationTime> = Object.fromEntries([0, 1, 2, 3, 4, 5, 10].map((m) => [`test:index:M${m}`, { minutes: m, source: "test" }]));

describe("the model on a hand-built graph", () => {
    //  vpc(1) ─┬─ cluster(10) ── nodes(4) ── app(2)
    //          └─ db(5) ──────────────────┘
    //  key(1) ── bucket(1)                      (independent of everything else)
    const vpc = resource("vpc", 1);
    const cluster = resource("cluster", 10, [vpc.urn]);
    const nodes = resource("nodes", 4, [cluster.urn]);
    const db = resource("db", 5, [vpc.urn]);
    const app = resource("app", 2, [nodes.urn, db.urn]);
    const key = resource("key", 1);
    const bucket = resource("bucket", 1, [key.urn]);
    const graph = [vpc, cluster, nodes, db, app, key, bucket];

    test("the total is the longest path, and the critical path is that path with its finish times", () => {
        const model = modelDeploy(graph, table);
        expect(model.minutes).toBe(17);
        expect(model.criticalPath.map((s) => [s.name, s.minutes, s.finish])).toEqual([
            ["vpc", 1, 1],
            ["cluster", 10, 11],
            ["nodes", 4, 15],
            ["app", 2, 17],
        ]);
        expect(finishTimes(graph, table).get(db.urn)).toBe(6);
    });

    test("independent chains share no slow resource with the chains before them and wait for none", () => {
        const model = modelDeploy(graph, table);
        // app waits for the critical path's cluster, so the database's chain ends at db; key → bucket has
        // no slow resource (≥ 2 min) and is not a chain.
        expect(model.chains.map((c) => ({ minutes: c.minutes, names: c.steps.map((s) => s.name) }))).toEqual([{ minutes: 6, names: ["vpc", "db"] }]);
    });

    test("a dependency on a component stands for all its custom descendants", () => {
        const component: DeployResource = {
            urn: urn("platform", "test:index:Component"),
            type: "test:index:Component",
            name: "platform",
            custom: false,
            read: false,
            inputs: {},
            options: { dependencies: [] },
        };
        const inner: DeployResource = {
            urn: urn("inner", "test:index:Component"),
            type: "test:index:Component",
            name: "inner",
            custom: false,
            read: false,
            inputs: {},
            options: { dependencies: [] },
            parent: component.urn,
        };
        const slowChild = resource("slow-child", 10, [], { parent: inner.urn });
        const quickChild = resource("quick-child", 1, [], { parent: component.urn });
        const waiter = resource("waiter", 1, [component.urn]);
        const model = modelDeploy([component, inner, slowChild, quickChild, waiter], table);
        expect(model.minutes).toBe(11);
        expect(model.criticalPath.map((s) => s.name)).toEqual(["slow-child", "waiter"]);
    });

    test("a resource waits for its explicit provider and for a custom parent; a read takes no time", () => {
        const cluster = resource("cluster", 10);
        const provider: DeployResource = { ...resource("k8s", 0, [cluster.urn]), urn: urn("k8s", "pulumi:providers:kubernetes") };
        const namespace = resource("namespace", 1, [], { options: { dependencies: [], provider: `${provider.urn}::04da6b54-80e4-46f7-96ec-b56ff0331ba9` } });
        const child = resource("child", 2, [], { parent: namespace.urn });
        const read = resource("read", 5, [child.urn], { read: true });
        const times = finishTimes([cluster, provider, namespace, child, read], table);
        expect(times.get(namespace.urn)).toBe(11);
        expect(times.get(child.urn)).toBe(13);
        expect(times.get(read.urn)).toBe(13);
    });

    test("a type outside the table takes the stated default and is named", () => {
        const unknown: DeployResource = { ...resource("mystery", 1), type: "test:index:Unknown" };
        const model = modelDeploy([unknown], table);
        expect(model.minutes).toBe(defaultCreationTime.minutes);
        expect(model.defaultedTypes).toEqual(["test:index:Unknown"]);
    });

    test("a variant of a type applies when the input it names has its value", () => {
        const db = (multiAz: boolean) => creationTimeOf({ type: "aws:rds/instance:Instance", inputs: { multiAz } }).minutes;
        expect(db(true)).toBeGreaterThan(db(false));
        const release = (chart: string) => creationTimeOf({ type: "kubernetes:helm.sh/v3:Release", inputs: { chart } }).minutes;
        expect(release("kube-prometheus-stack")).toBeGreaterThan(release("metrics-server"));
        const sql = (availabilityType: string) => creationTimeOf({ type: "gcp:sql/databaseInstance:DatabaseInstance", inputs: { settings: { availabilityType } } }).minutes;
        expect(sql("REGIONAL")).toBeGreaterThan(sql("ZONAL"));
    });

    test("a cycle is an error, not a silent answer", () => {
        const a = resource("a", 1, [urn("b", "test:index:M1")]);
        const b = resource("b", 1, [a.urn]);
        expect(() => modelDeploy([a, b], table)).toThrow(/cycle/);
    });
});

describe("the creation-time table", () => {
    test("every figure is a number of minutes with a source", () => {
        for (const [type, entry] of Object.entries(creationTimes)) {
            for (const figure of [entry, ...(entry.variants ?? [])]) {
                expect({ type, ok: Number.isFinite(figure.minutes) && figure.minutes >= 0 && figure.source.length > 10 }).toEqual({ type, ok: true });
            }
        }
    });
});

const gcp = { "ai-platform:cloud": "gcp", "gcp:project": "acme-agents", "gcp:region": "us-central1" };
const stacks = [
    { stack: "staging", cloud: "aws", config: {} },
    { stack: "prod", cloud: "aws", config: {} },
    { stack: "staging", cloud: "gcp", config: gcp },
    { stack: "prod", cloud: "gcp", config: gcp },
] as const;
const runs: Record<string, ProgramRun> = {};

beforeAll(async () => {
    // As the plan runs them: a preview.
    for (const s of stacks) runs[`${s.stack}/${s.cloud}`] = await runProgram({ stack: s.stack, config: s.config, preview: true });
}, 120000);

describe("the program on both clouds and both stacks", () => {
    test("every type the program declares has a creation time in the table", () => {
        const declared = new Set(Object.values(runs).flatMap((run) => run.resources.filter((r) => r.custom && !r.read).map((r) => r.type)));
        expect([...declared].filter((type) => !(type in creationTimes)).sort()).toEqual([]);
    });

    // The modeled first deploy, pinned: a new wait that lengthens it fails here with the path that grew.
    // When a change is meant to lengthen it, update the figure and say why in the commit.
    // The public edge closes every path: its Gateway waits for Envoy Gateway, which waits for nodes.
    const edge = [
        "Namespace ai-platform-addons-envoy-gateway",
        "Release ai-platform-addons-envoy-gateway-crds",
        "Release ai-platform-addons-envoy-gateway",
        "EnvoyProxy ai-platform-gateway-envoy-proxy",
        "GatewayClass ai-platform-gateway-gateway-class",
        "Gateway ai-platform-gateway-gateway",
        "HTTPRoute ai-platform-gateway-api-route",
        "BackendTrafficPolicy ai-platform-gateway-api-traffic-policy",
    ];
    const aws = {
        minutes: 23.5,
        criticalPath: [
            "Role ai-platform-cluster-cluster",
            "RolePolicyAttachment ai-platform-cluster-cluster",
            "Cluster ai-platform-cluster-eks",
            "OpenIdConnectProvider ai-platform-cluster-oidc",
            "Role ai-platform-cluster-vpc-cni",
            "RolePolicyAttachment ai-platform-cluster-vpc-cni",
            "Addon ai-platform-cluster-vpc-cni",
            "NodeGroup ai-platform-cluster-nodes",
            "Addon ai-platform-cluster-coredns",
            ...edge,
        ],
    };
    const gcp = {
        minutes: 21.92,
        criticalPath: [
            "Service ai-platform-apis-compute",
            "Network ai-platform-network-vpc",
            "Subnetwork ai-platform-network-subnet",
            "Cluster ai-platform-cluster-gke",
            "NodePool ai-platform-cluster-pool",
            ...edge,
        ],
    };
    // Staging and prod differ in sizes, not in what waits for what: one path per cloud.
    const pinned: Record<string, { minutes: number; criticalPath: string[] }> = { "staging/aws": aws, "prod/aws": aws, "staging/gcp": gcp, "prod/gcp": gcp };

    test.each(stacks.map((s) => `${s.stack}/${s.cloud}`))("%s: the modeled first deploy and its critical path", (key) => {
        const model = modelDeploy(runs[key].resources);
        expect({ minutes: model.minutes, criticalPath: model.criticalPath.map((s) => `${s.type.split(":").pop()} ${s.name}`) }).toEqual(pinned[key]);
        expect(model.defaultedTypes).toEqual([]);
    });

    test.each(stacks.map((s) => `${s.stack}/${s.cloud}`))("%s: three independent chains beside the critical path, each with a slow resource", (key) => {
        const model = modelDeploy(runs[key].resources);
        expect(model.chains).toHaveLength(3);
        const slowOnPath = new Set(model.criticalPath.filter((s) => s.minutes >= 2).map((s) => s.urn));
        for (const chain of model.chains) {
            expect(chain.steps.some((s) => s.minutes >= 2)).toBe(true);
            expect(chain.steps.filter((s) => slowOnPath.has(s.urn))).toEqual([]);
            expect(chain.minutes).toBeLessThanOrEqual(model.minutes);
        }
    });
});
