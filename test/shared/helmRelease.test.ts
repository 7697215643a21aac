import { environmentDefaults } from "../../stacks";
import { runProgram, type ProgramRun, type RecordedResource } from "../../tools/engine/harness";

/**
 * Every Helm release of the program, on both clouds and in both environments, comes out of the one
 * builder (components/shared/helmRelease.ts): atomic, cleaned up on failure, time-boxed and pinned by
 * settings, in a namespace the program created unless a foundation asked Helm to create it.
 */

const RELEASE = "kubernetes:helm.sh/v3:Release";
const gcp = { "ai-platform:cloud": "gcp", "gcp:project": "acme-agents", "gcp:region": "us-central1" };
const aws = { "ai-platform:cloud": "aws" };
const targets = [
    ["aws", "staging"],
    ["aws", "prod"],
    ["gcp", "staging"],
    ["gcp", "prod"],
] as const;

/** The setting that pins each chart (OCI charts by their last path segment). */
const versionSetting: Record<string, keyof (typeof environmentDefaults)["prod"]["addons"]> = {
    "gateway-crds-helm": "envoyGateway",
    "gateway-helm": "envoyGateway",
    "ai-gateway-crds-helm": "aiGateway",
    "ai-gateway-helm": "aiGateway",
    "cert-manager": "certManager",
    "metrics-server": "metricsServer",
    keda: "keda",
    "cluster-autoscaler": "clusterAutoscaler",
    "kube-prometheus-stack": "kubePrometheusStack",
    "aws-for-fluent-bit": "fluentBit",
};

const chartName = (r: RecordedResource) => String(r.inputs.chart).split("/").pop() as string;
/** The foundation's releases, which the add-ons install with the namespace created by Helm. */
const fromFoundation = (r: RecordedResource) => /-foundation-/.test(r.name);

describe.each(targets)("%s %s: every Helm release", (cloud, stack) => {
    let run: ProgramRun;
    const defaults = environmentDefaults[stack];
    beforeAll(async () => {
        run = await runProgram({ stack, config: cloud === "gcp" ? gcp : aws });
    });

    test("is atomic, cleans up on failure, and is time-boxed by its setting", () => {
        const releases = run.ofType(RELEASE);
        expect(releases.length).toBeGreaterThanOrEqual(cloud === "aws" ? 9 : 6);
        for (const r of releases) {
            const timeout = chartName(r) === "kube-prometheus-stack" ? defaults.addons.kubePrometheusStackTimeoutSeconds : defaults.addons.timeoutSeconds;
            expect({ r: r.name, atomic: r.inputs.atomic, cleanupOnFail: r.inputs.cleanupOnFail, timeout: r.inputs.timeout }).toEqual({ r: r.name, atomic: true, cleanupOnFail: true, timeout });
        }
    });

    test("is pinned to the chart version its setting names", () => {
        for (const r of run.ofType(RELEASE)) {
            const setting = versionSetting[chartName(r)];
            expect({ r: r.name, setting: setting !== undefined }).toEqual({ r: r.name, setting: true });
            expect({ r: r.name, version: r.inputs.version }).toEqual({ r: r.name, version: defaults.addons[setting] });
        }
    });

    test("installs into a namespace the program created, unless a foundation's release asks Helm to create it", () => {
        for (const r of run.ofType(RELEASE)) expect({ r: r.name, createNamespace: r.inputs.createNamespace }).toEqual({ r: r.name, createNamespace: fromFoundation(r) });
    });

    test("addresses OCI charts by URL and classic ones by repository", () => {
        for (const r of run.ofType(RELEASE)) {
            if (String(r.inputs.chart).startsWith("oci://")) expect({ r: r.name, repositoryOpts: r.inputs.repositoryOpts }).toEqual({ r: r.name, repositoryOpts: undefined });
            else expect({ r: r.name, repo: r.inputs.repositoryOpts?.repo }).toEqual({ r: r.name, repo: expect.stringMatching(/^https:\/\//) });
        }
    });
});

test("the defaults keep what the releases had before the builder: 600 s for the add-ons, 900 s for kube-prometheus-stack", () => {
    for (const stack of ["staging", "prod"] as const) expect(environmentDefaults[stack].addons).toMatchObject({ timeoutSeconds: 600, kubePrometheusStackTimeoutSeconds: 900 });
});

test("timeouts and versions follow the settings, not literals", async () => {
    const run = await runProgram({
        stack: "staging",
        config: { ...gcp, "ai-platform:addons.timeoutSeconds": 420, "ai-platform:addons.kubePrometheusStackTimeoutSeconds": 1200, "ai-platform:addons.keda": "2.20.1" },
    });
    const releases = run.ofType(RELEASE);
    const stackRelease = releases.find((r) => chartName(r) === "kube-prometheus-stack")!;
    expect(stackRelease.inputs.timeout).toBe(1200);
    expect(stackRelease.inputs.maxHistory).toBe(10);
    for (const r of releases.filter((x) => x !== stackRelease))
        expect({ r: r.name, timeout: r.inputs.timeout, maxHistory: r.inputs.maxHistory }).toEqual({ r: r.name, timeout: 420, maxHistory: undefined });
    expect(releases.find((r) => chartName(r) === "keda")!.inputs.version).toBe("2.20.1");
});
