import { runProgram, type ProgramRun } from "../../tools/engine/harness";
import { environmentDefaults } from "../../stacks";
import { gcpConfig, prebuiltDigestRef, prebuiltTaggedRef } from "./gcpStack";

/** Container logs on GKE: Cloud Logging collects them; the stack keeps them for the configured retention. */
const runs: Record<"prod" | "staging", ProgramRun> = {} as never;
beforeAll(async () => {
    runs.prod = await runProgram({ stack: "prod", config: { ...gcpConfig, "ai-platform:image.ref": prebuiltDigestRef } });
    runs.staging = await runProgram({ stack: "staging", config: { ...gcpConfig, "ai-platform:image.ref": prebuiltTaggedRef } });
});

describe.each(["prod", "staging"] as const)("cluster logs (%s)", (env) => {
    const bucket = () => runs[env].one("gcp:logging/projectBucketConfig:ProjectBucketConfig");
    const sink = () => runs[env].one("gcp:logging/projectSink:ProjectSink");

    test("a log bucket in the stack's region keeps them for observability.logRetentionDays", () => {
        expect(bucket().inputs).toMatchObject({ project: gcpConfig["gcp:project"], location: gcpConfig["gcp:region"], retentionDays: environmentDefaults[env].observability.logRetentionDays });
    });

    test("a sink routes this cluster's container, pod, node and cluster logs there", () => {
        const cluster = runs[env].one("gcp:container/cluster:Cluster");
        expect(sink().inputs.destination).toBe(`logging.googleapis.com/${bucket().state.id}`);
        for (const type of ["k8s_container", "k8s_pod", "k8s_node", "k8s_cluster"]) expect(sink().inputs.filter).toContain(`"${type}"`);
        expect(sink().inputs.filter).toContain(`resource.labels.cluster_name="${cluster.inputs.name}"`);
        expect(runs[env].dependsOn(sink(), bucket())).toBe(true);
    });
});

test("prod keeps logs longer than staging, and an override reaches the bucket", async () => {
    expect(runs.prod.one("gcp:logging/projectBucketConfig:ProjectBucketConfig").inputs.retentionDays).toBeGreaterThan(
        runs.staging.one("gcp:logging/projectBucketConfig:ProjectBucketConfig").inputs.retentionDays,
    );
    const run = await runProgram({ stack: "staging", config: { ...gcpConfig, "ai-platform:image.ref": prebuiltTaggedRef, "ai-platform:observability.logRetentionDays": 60 } });
    expect(run.one("gcp:logging/projectBucketConfig:ProjectBucketConfig").inputs.retentionDays).toBe(60);
});
