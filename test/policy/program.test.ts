import { evaluatePolicies, type Violation } from "../../policy/evaluate";
import { runProgram, type ProgramRun } from "../../tools/engine/harness";

/**
 * The program's own stacks, run once per (environment, cloud) under mocks and put through every
 * policy with that environment's pack config: no mandatory violation may remain. Advisory ones (the
 * staging relaxations) are allowed.
 *
 * The runs are previews, as `pulumi preview --policy-pack policy` is: values computed from other
 * resources' outputs are unknown and the checks that need them are skipped (the CLI runs them again
 * during `pulumi up`). Under an update run, an output the mocks do not compute (a KMS key's ARN, a
 * parameter group's generated name) would arrive as an absent input and be judged as a missing
 * setting, which the real engine never does.
 */

const gcp = { "ai-platform:cloud": "gcp", "gcp:project": "acme-agents", "gcp:region": "us-central1" };

/**
 * The fewest custom resources each run must declare for the zero-violation result to mean
 * something. The foundations and workloads are built in other branches; the integrator raises these
 * to the counts the merged program declares (see docs/policy.md, "Program test").
 */
const minimumResources: Record<string, number> = { "aws/staging": 0, "aws/prod": 0, "gcp/staging": 0, "gcp/prod": 0 };

/**
 * When a run declares a Kubernetes cluster (the foundation is merged), these types must be present
 * too, so that the data stores, images and workloads were actually put through their policies.
 */
const platformTypes: Record<"aws" | "gcp", { cluster: string; required: string[] }> = {
    aws: {
        cluster: "aws:eks/cluster:Cluster",
        required: ["aws:eks/nodeGroup:NodeGroup", "aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:s3/bucket:Bucket"],
    },
    gcp: {
        cluster: "gcp:container/cluster:Cluster",
        required: ["gcp:container/nodePool:NodePool", "gcp:sql/databaseInstance:DatabaseInstance", "gcp:redis/instance:Instance", "gcp:storage/bucket:Bucket"],
    },
};
const workloadTypes = ["kubernetes:apps/v1:Deployment", "kubernetes:keda.sh/v1alpha1:ScaledObject", "kubernetes:policy/v1:PodDisruptionBudget", "kubernetes:networking.k8s.io/v1:NetworkPolicy"];

const runs: { cloud: "aws" | "gcp"; environment: "staging" | "prod"; config?: Record<string, unknown> }[] = [
    { cloud: "aws", environment: "staging" },
    { cloud: "aws", environment: "prod" },
    { cloud: "gcp", environment: "staging", config: gcp },
    { cloud: "gcp", environment: "prod", config: gcp },
];

const results = new Map<string, { run: ProgramRun; violations: Violation[] }>();

beforeAll(async () => {
    for (const r of runs) {
        const run = await runProgram({ stack: r.environment, config: r.config, preview: true });
        const violations = await evaluatePolicies(run.resources, { environment: r.environment });
        results.set(`${r.cloud}/${r.environment}`, { run, violations });
    }
}, 180_000);

const render = (v: Violation) => `${v.policy} @ ${v.resourceType ?? "stack"} "${v.resourceName ?? ""}": ${v.message}`;

describe.each(runs)("the program's $environment stack on $cloud", ({ cloud, environment }) => {
    const key = `${cloud}/${environment}`;

    it("runs on the intended cloud", () => {
        expect(results.get(key)!.run.outputs.cloud?.value).toBe(cloud);
    });

    it("has no mandatory policy violation", () => {
        const mandatory = results.get(key)!.violations.filter((v) => v.enforcementLevel === "mandatory");
        expect(mandatory.map(render)).toEqual([]);
    });

    it("put every declared resource through the policies", () => {
        const { run } = results.get(key)!;
        const custom = run.resources.filter((r) => r.custom);
        expect(custom.length).toBeGreaterThanOrEqual(minimumResources[key]);
        const types = new Set(custom.map((r) => r.type));
        if (types.has(platformTypes[cloud].cluster)) {
            expect(platformTypes[cloud].required.filter((t) => !types.has(t))).toEqual([]);
        }
        if (types.has("kubernetes:apps/v1:Deployment")) {
            expect(workloadTypes.filter((t) => !types.has(t))).toEqual([]);
        }
    });
});
