import * as path from "path";
import { upperBounds } from "../../stacks/facts/bounds";
import { recordedSoFar, runProgram, type RunOptions } from "../../tools/engine/harness";
import { SettingsError, type Settings } from "../../stacks";

const settingsProgram = path.join(__dirname, "../fixtures/settingsProgram.ts");
const gcp = { "ai-platform:cloud": "gcp", "gcp:project": "acme-agents", "gcp:region": "us-central1" };

async function resolve(options: Omit<RunOptions, "program">): Promise<Omit<Settings, "providerApiKeys" | "alerting">> {
    const run = await runProgram({ ...options, program: settingsProgram });
    return run.outputs.resolved.value as Settings;
}

/** Runs the real program with a bad config and returns the problems it was refused with. */
async function refusal(options: RunOptions): Promise<SettingsError> {
    const error = await runProgram(options).then(
        () => undefined,
        (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("SettingsError");
    // Refused before anything was declared.
    expect(recordedSoFar()).toHaveLength(0);
    return error as SettingsError;
}

function problemFor(error: SettingsError, key: string) {
    const problem = error.problems.find((p) => p.key === key);
    if (!problem) throw new Error(`no problem for ${key}; got:\n${error.message}`);
    return problem;
}

describe("prod defaults follow the seeds", () => {
    let prod: Awaited<ReturnType<typeof resolve>>;
    beforeAll(async () => {
        prod = await resolve({ stack: "prod" });
    });

    test("environment comes from the stack name, cloud and region from the stack file", () => {
        expect(prod.environment).toBe("prod");
        expect(prod.cloud).toBe("aws");
        expect(prod.region).toBe("us-east-1");
        expect(prod.project).toBe("ai-platform");
    });

    test("cluster: 3 × m5.xlarge autoscaling 2–10", () => {
        expect(prod.cluster).toMatchObject({ machineType: "m5.xlarge", desiredNodes: 3, minNodes: 2, maxNodes: 10 });
    });

    test("Postgres 15+ with 100 GB, 30-day backups, HA and deletion protection", () => {
        expect(Number(prod.database.engineVersion)).toBeGreaterThanOrEqual(15);
        expect(prod.database).toMatchObject({ instanceClass: "db.t3.large", storageGb: 100, backupRetentionDays: 30, highAvailability: true, deletionProtection: true, pointInTimeRecovery: true });
    });

    test("Redis HA with 3 nodes", () => {
        expect(prod.cache).toMatchObject({ nodeType: "cache.r6g.large", nodes: 3, highAvailability: true });
    });

    test("API 3 replicas, autoscaled 3–20 at 70 % CPU / 80 % memory or 35 requests in flight per pod; a worker per zone at all times", () => {
        expect(prod.api).toMatchObject({ replicas: 3, minReplicas: 3, maxReplicas: 20, cpuTargetPercent: 70, memoryTargetPercent: 80, inFlightRequestsTarget: 35 });
        expect(prod.worker).toMatchObject({ replicas: 3, minReplicas: prod.network.availabilityZones });
    });

    test("stack-file overrides are merged over the defaults, not instead of them", () => {
        expect(prod.cluster.publicAccessCidrs).toEqual(["203.0.113.0/24"]);
        expect(prod.cluster.kubernetesVersion).toMatch(/^1\.\d+$/);
        expect(prod.ingress).toMatchObject({ domain: "agents.example.com", clusterIssuer: "letsencrypt-prod" });
        expect(prod.costCenter).toBe("ai-platform-prod");
    });
});

describe("staging is small and cheap; prod is highly available", () => {
    let staging: Awaited<ReturnType<typeof resolve>>;
    let prod: Awaited<ReturnType<typeof resolve>>;
    beforeAll(async () => {
        staging = await resolve({ stack: "staging" });
        prod = await resolve({ stack: "prod" });
    });

    test("fewer, smaller nodes", () => {
        expect(staging.cluster.maxNodes).toBeLessThan(prod.cluster.maxNodes);
        expect(staging.cluster.desiredNodes).toBeLessThan(prod.cluster.desiredNodes);
        expect(staging.cluster.machineType).not.toBe(prod.cluster.machineType);
    });

    test("single-AZ database with 7-day retention, single-node cache, one NAT gateway", () => {
        expect(staging.database).toMatchObject({ highAvailability: false, backupRetentionDays: 7, deletionProtection: false });
        expect(staging.database.storageGb).toBeLessThan(prod.database.storageGb);
        expect(staging.cache).toMatchObject({ nodes: 1, highAvailability: false });
        expect(staging.network.natGatewayPerZone).toBe(false);
        expect(prod.network.natGatewayPerZone).toBe(true);
    });

    test("fewer replicas, verbose logs, cheaper token budget", () => {
        expect(staging.api.replicas).toBeLessThan(prod.api.replicas);
        expect(staging.api.maxReplicas).toBeLessThan(prod.api.maxReplicas);
        expect(staging.app.logLevel).toBe("debug");
        expect(prod.app.logLevel).toBe("info");
        expect(staging.observability.alerts.tokenCostPerHourUsd).toBeLessThan(prod.observability.alerts.tokenCostPerHourUsd);
        expect(staging.backup.crossRegion).toBe(false);
        expect(prod.backup.crossRegion).toBe(true);
    });
});

describe("switching to GCP needs only cloud, gcp:project and gcp:region", () => {
    test("prod on GCP gets GCP machine shapes with the same neutral sizing", async () => {
        const settings = await resolve({ stack: "prod", config: gcp });
        expect(settings).toMatchObject({ cloud: "gcp", region: "us-central1", gcpProject: "acme-agents" });
        expect(settings.cluster).toMatchObject({ machineType: "n2-standard-4", desiredNodes: 3, minNodes: 2, maxNodes: 10 });
        expect(settings.cache).toMatchObject({ nodeType: "STANDARD_HA", memorySizeGb: 5 });
        expect(settings.database.storageGb).toBe(100);
    });
});

describe("overrides", () => {
    test("a structured section overrides only the keys it names", async () => {
        const settings = await resolve({ stack: "prod", config: { "ai-platform:api": { maxReplicas: 40 } } });
        expect(settings.api.maxReplicas).toBe(40);
        expect(settings.api.minReplicas).toBe(3);
        expect(settings.api.resources.limits.memory).toBe("2Gi");
    });

    test("a --path style override with string values is coerced to the schema's types", async () => {
        const settings = await resolve({ stack: "staging", config: { "ai-platform:cluster.maxNodes": "6", "ai-platform:database.highAvailability": "true" } });
        expect(settings.cluster.maxNodes).toBe(6);
        expect(settings.database.highAvailability).toBe(true);
    });

    test("a stack of any name runs once ai-platform:environment says which environment it is", async () => {
        const settings = await resolve({
            stack: "prod-eu",
            config: {
                "ai-platform:environment": "prod",
                "aws:region": "eu-west-1",
                "ai-platform:ingress": { domain: "eu.example.com", acmeEmail: "ops@example.com" },
                "ai-platform:openaiApiKey": undefined,
            },
            secrets: { "ai-platform:openaiApiKey": "sk-test" },
        });
        expect(settings.environment).toBe("prod");
        expect(settings.api.replicas).toBe(3);
    });
});

describe("secrets", () => {
    test("AI provider keys are read as secrets and stay secret", async () => {
        const run = await runProgram({ stack: "staging", program: settingsProgram, secrets: { "ai-platform:geminiApiKey": "gm-test" } });
        expect(run.outputs.providerKeys.secret).toBe(true);
        expect(run.outputs.providerKeyNames.value).toEqual(expect.arrayContaining(["anthropicApiKey", "openaiApiKey", "geminiApiKey"]));
        expect(run.outputs.resolved.secret).toBe(false);
        expect(JSON.stringify(run.outputs.resolved.value)).not.toContain("mock-secret");
    });

    test("alerting receivers are optional secrets", async () => {
        const prod = await runProgram({ stack: "prod", program: settingsProgram });
        expect(prod.outputs.alertingKeys.secret).toBe(true);
        expect(Object.keys(prod.outputs.alertingKeys.value as object)).toEqual(["slackWebhookUrl"]);
        const staging = await runProgram({ stack: "staging", program: settingsProgram });
        expect(staging.outputs.alertingKeys.value).toEqual({});
    });
});

describe("bad config is refused before any resource is declared, naming key, value and what is allowed", () => {
    test("unknown cloud", async () => {
        const error = await refusal({ stack: "prod", config: { "ai-platform:cloud": "azure" } });
        expect(problemFor(error, "ai-platform:cloud")).toMatchObject({ value: "azure", allowed: expect.stringContaining("aws, gcp") });
        expect(error.message).toContain('ai-platform:cloud = "azure": must be one of aws, gcp');
    });

    test("unknown environment", async () => {
        const error = await refusal({ stack: "prod", config: { "ai-platform:environment": "qa" } });
        expect(problemFor(error, "ai-platform:environment")).toMatchObject({ value: "qa", allowed: expect.stringContaining("staging, prod") });
    });

    test("a stack name that is no environment, without ai-platform:environment", async () => {
        const error = await refusal({ stack: "dev", ignoreStackFile: true, config: { "aws:region": "us-west-2" } });
        expect(problemFor(error, "ai-platform:environment").allowed).toContain('stack name "dev"');
    });

    test.each([
        ["ai-platform:cluster.minNodes", { "ai-platform:cluster.minNodes": 12 }, 12, "cluster.maxNodes (10)"],
        ["ai-platform:api.minReplicas", { "ai-platform:api.minReplicas": 30 }, 30, "api.maxReplicas (20)"],
        ["ai-platform:worker.minReplicas", { "ai-platform:worker": { minReplicas: 5, maxReplicas: 4 } }, 5, "worker.maxReplicas (4)"],
        ["ai-platform:database.storageGb", { "ai-platform:database.storageGb": 900 }, 900, "database.maxStorageGb (500)"],
    ])("min > max: %s", async (key, config, value, bound) => {
        const error = await refusal({ stack: "prod", config });
        expect(problemFor(error, key)).toMatchObject({ value, allowed: expect.stringContaining(bound) });
    });

    test("replicas outside the autoscaling bounds name the replicas key", async () => {
        const low = await refusal({ stack: "prod", config: { "ai-platform:api.replicas": 2 } });
        expect(low.problems).toEqual([{ key: "ai-platform:api.replicas", value: 2, allowed: "must be ≥ api.minReplicas (3)", fromDefault: false }]);
        const high = await refusal({ stack: "prod", config: { "ai-platform:cluster.desiredNodes": 11 } });
        expect(high.problems).toEqual([{ key: "ai-platform:cluster.desiredNodes", value: 11, allowed: "must be ≤ cluster.maxNodes (10)", fromDefault: false }]);
    });

    test.each([
        ["ai-platform:cluster.maxNodes", 0],
        ["ai-platform:database.storageGb", -5],
        ["ai-platform:cache.nodes", 0],
        ["ai-platform:api.replicas", 0],
    ])("non-positive size: %s = %p", async (key, value) => {
        const error = await refusal({ stack: "staging", config: { [key]: value } });
        expect(problemFor(error, key)).toMatchObject({ value, allowed: expect.stringMatching(/positive|from 1 to/) });
    });

    test("a CIDR that does not parse", async () => {
        const error = await refusal({ stack: "staging", config: { "ai-platform:network.cidr": "10.0.0.0/33" } });
        expect(problemFor(error, "ai-platform:network.cidr")).toMatchObject({ value: "10.0.0.0/33", allowed: expect.stringContaining("CIDR") });
        const listed = await refusal({ stack: "staging", config: { "ai-platform:cluster.publicAccessCidrs": ["203.0.113.0/24", "not-a-cidr"] } });
        expect(problemFor(listed, "ai-platform:cluster.publicAccessCidrs.1").value).toBe("not-a-cidr");
    });

    test("backup retention below the prod minimum of 30 days (allowed in staging)", async () => {
        const error = await refusal({ stack: "prod", config: { "ai-platform:database.backupRetentionDays": 3 } });
        expect(problemFor(error, "ai-platform:database.backupRetentionDays")).toMatchObject({ value: 3, allowed: expect.stringContaining("at least 30 in prod") });
        const staging = await resolve({ stack: "staging", config: { "ai-platform:database.backupRetentionDays": 3 } });
        expect(staging.database.backupRetentionDays).toBe(3);
    });

    test("a retention beyond the ceiling is refused, locked or not; the ceiling is within what both clouds can lock", async () => {
        const error = await refusal({ stack: "prod", config: { "ai-platform:backup.retentionDays": 40000 } });
        expect(problemFor(error, "ai-platform:backup.retentionDays")).toMatchObject({ value: 40000, allowed: `must be a whole number from 1 to ${upperBounds.retentionDays}` });
        // S3 Object Lock retains for at most 100 years; a locked Cloud Storage policy can never be shortened.
        expect(upperBounds.retentionDays).toBeLessThanOrEqual(36500);
        const unlocked = await resolve({ stack: "prod", config: { "ai-platform:backup.retentionDays": upperBounds.retentionDays, "ai-platform:backup.immutable": false } });
        expect(unlocked.backup).toMatchObject({ retentionDays: upperBounds.retentionDays, immutable: false });
        expect((await resolve({ stack: "staging", config: {} })).backup.immutable).toBe(false);
    });

    test("a region missing for the chosen cloud", async () => {
        const aws = await refusal({ stack: "prod", config: { "aws:region": undefined } });
        expect(problemFor(aws, "aws:region").allowed).toContain("required when ai-platform:cloud is aws");
        const onGcp = await refusal({ stack: "prod", config: { "ai-platform:cloud": "gcp", "gcp:project": "acme-agents" } });
        expect(problemFor(onGcp, "gcp:region").allowed).toContain("required when ai-platform:cloud is gcp");
        const noProject = await refusal({ stack: "prod", config: { "ai-platform:cloud": "gcp", "gcp:region": "us-central1" } });
        expect(problemFor(noProject, "gcp:project").value).toBeUndefined();
    });

    test("the Kubernetes API open to the internet in prod", async () => {
        const error = await refusal({ stack: "prod", config: { "ai-platform:cluster.publicAccessCidrs": ["0.0.0.0/0"] } });
        expect(problemFor(error, "ai-platform:cluster.publicAccessCidrs")).toMatchObject({ value: ["0.0.0.0/0"], allowed: expect.stringContaining("that is the internet") });
    });

    test("misspelt keys are named rather than silently ignored", async () => {
        const top = await refusal({ stack: "staging", config: { "ai-platform:clustr": { maxNodes: 3 } } });
        expect(problemFor(top, "ai-platform:clustr").allowed).toContain("not a known setting");
        const nested = await refusal({ stack: "staging", config: { "ai-platform:cluster.maxNode": 3 } });
        expect(problemFor(nested, "ai-platform:cluster.maxNode").allowed).toContain("not a setting of ai-platform:cluster; did you mean maxNodes?");
    });

    test("no AI provider key at all", async () => {
        const error = await refusal({ stack: "staging", config: { "ai-platform:openaiApiKey": undefined, "ai-platform:anthropicApiKey": undefined } });
        expect(error.message).toContain("set at least one AI provider API key");
    });

    test("every problem is reported at once, one line each", async () => {
        const error = await refusal({ stack: "prod", config: { "ai-platform:cluster.minNodes": 0, "ai-platform:network.cidr": "nope", "ai-platform:app.logLevel": "loud" } });
        expect(error.problems.map((p) => p.key)).toEqual(expect.arrayContaining(["ai-platform:cluster.minNodes", "ai-platform:network.cidr", "ai-platform:app.logLevel"]));
        expect(error.message.split("\n").filter((l) => l.startsWith("  - "))).toHaveLength(error.problems.length);
    });
});
