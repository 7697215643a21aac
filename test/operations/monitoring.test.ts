import { parse } from "yaml";
import { edgeProxyPods } from "../workloads/run";
import { kubernetesNames } from "../../components/contract";
import { kubernetesOptions } from "../../components/shared/options";
import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import { cases, foundationProvider, isSecretAt, label, operationsObjects, operationsOne, plainStrings, readyResources, runOperations, types, type Case } from "./run";

/** Receivers per case, so that every combination is covered once: none, Slack, PagerDuty, both. */
const slackUrl = "https://hooks.slack.com/services/T0000/B0000/very-secret-token";
const pagerdutyKey = "pd-routing-key-0123456789abcdef";
const receiverSetups: Record<string, { secrets?: Record<string, string>; config?: Record<string, unknown>; slack?: string; pagerduty?: string }> = {
    // Pulumi.staging.yaml sets no receiver.
    "staging on aws": { secrets: { "ai-platform:pagerdutyRoutingKey": pagerdutyKey }, pagerduty: pagerdutyKey },
    "staging on gcp": {},
    // Pulumi.prod.yaml sets a Slack webhook (a placeholder ciphertext the harness stands in for).
    "prod on aws": { secrets: { "ai-platform:slackWebhookUrl": slackUrl, "ai-platform:pagerdutyRoutingKey": pagerdutyKey }, slack: slackUrl, pagerduty: pagerdutyKey },
    "prod on gcp": { config: { "ai-platform:slackWebhookUrl": undefined }, secrets: { "ai-platform:slackWebhookUrl": slackUrl }, slack: slackUrl },
};

const expected = {
    staging: { retention: "3d", storage: "10Gi" },
    prod: { retention: "15d", storage: "50Gi" },
};
/** The StorageClass the foundation provides: the one the AWS foundation declares; GKE's built-in `standard-rwo` on GCP. */
function foundationStorageClass(run: ProgramRun, c: Case): string {
    if (c.cloud === "gcp") {
        expect(run.ofType(types.storageClass)).toEqual([]);
        return "standard-rwo";
    }
    return run.one(types.storageClass).inputs.metadata.name;
}

describe.each(cases)("monitoring: $stack on $cloud", (c: Case) => {
    const setup = receiverSetups[label(c)];
    let run: ProgramRun;
    let release: RecordedResource;
    beforeAll(async () => {
        run = await runOperations(c, { config: setup.config, secrets: setup.secrets });
        release = operationsOne(run, types.release);
    });

    const kubernetesObjects = () => operationsObjects(run);

    test("every Kubernetes object uses the foundation's provider and carries the standard labels", () => {
        const provider = foundationProvider(run, c);
        expect(kubernetesObjects().length).toBeGreaterThanOrEqual(9);
        for (const r of kubernetesObjects()) {
            expect(r.options.provider?.startsWith(provider.urn)).toBe(true);
            // A Helm release has no metadata of its own; the chart puts `commonLabels` on what it renders.
            const labels = r.type === types.release ? r.inputs.values.commonLabels : r.inputs.metadata.labels;
            expect(labels).toMatchObject({ project: "ai-platform", environment: c.stack, stack: c.stack, "managed-by": "pulumi" });
        }
    });

    test("every Kubernetes object depends on the foundation's ready resources (deleted before the nodes)", () => {
        const ready = readyResources(run);
        expect(ready).toHaveLength(1);
        for (const r of kubernetesObjects()) for (const node of ready) expect(r.options.dependencies).toContain(node.urn);
    });

    test("creates the monitoring namespace", () => {
        const ns = operationsOne(run, types.namespace);
        expect(ns.inputs.metadata.name).toBe(kubernetesNames.monitoringNamespace);
    });

    test("installs kube-prometheus-stack pinned from the prometheus-community repository into it", () => {
        expect(release.inputs).toMatchObject({
            chart: "kube-prometheus-stack",
            version: "79.5.0",
            repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
            namespace: kubernetesNames.monitoringNamespace,
            createNamespace: false,
        });
        expect(run.dependsOn(release, operationsOne(run, types.namespace))).toBe(true);
    });

    test("gives Prometheus the environment's retention and persistent storage on the foundation's StorageClass", () => {
        const storageClass = foundationStorageClass(run, c);
        const spec = release.inputs.values.prometheus.prometheusSpec;
        expect(spec.retention).toBe(expected[c.stack].retention);
        expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({
            storageClassName: storageClass,
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: expected[c.stack].storage } },
        });
        expect(release.inputs.values.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.storageClassName).toBe(storageClass);
    });

    test("lets Prometheus select monitors and rules that are not part of the chart", () => {
        expect(release.inputs.values.prometheus.prometheusSpec).toMatchObject({
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            ruleSelectorNilUsesHelmValues: false,
        });
    });

    test("Grafana's admin password is generated, secret, and only referenced by name from the chart", () => {
        const secret = run.one(types.secret, /grafana-admin$/);
        const password = run.one(types.randomPassword, /grafana-admin-password$/).state.result as string;
        expect(password).toMatch(/^pw[0-9a-f]{30,}$/);
        expect(secret.inputs.stringData["admin-password"]).toBe(password);
        expect(isSecretAt(secret, "stringData.admin-password")).toBe(true);
        expect(release.inputs.values.grafana.admin).toEqual({ existingSecret: secret.inputs.metadata.name, userKey: "admin-user", passwordKey: "admin-password" });
        expect(run.dependsOn(release, secret)).toBe(true);
        for (const r of run.resources) expect(plainStrings(r).filter((s) => s.value.includes(password))).toEqual([]);
        for (const out of Object.values(run.outputs)) expect(JSON.stringify(out.value)).not.toContain(password);
    });

    test("loads dashboards from ConfigMaps labelled grafana_dashboard=1", () => {
        expect(release.inputs.values.grafana.sidecar.dashboards).toMatchObject({ enabled: true, label: "grafana_dashboard", labelValue: "1" });
    });

    test("Alertmanager reads its configuration from a Secret this stack owns", () => {
        const secret = run.one(types.secret, /alertmanager-config$/);
        expect(secret.inputs.metadata.namespace).toBe(kubernetesNames.monitoringNamespace);
        expect(release.inputs.values.alertmanager.alertmanagerSpec).toMatchObject({ useExistingSecret: true, configSecret: secret.inputs.metadata.name });
        expect(isSecretAt(secret, "stringData.alertmanager.yaml")).toBe(true);
        expect(run.dependsOn(release, secret)).toBe(true);
    });

    test(`routes alerts to the configured receivers (${[setup.slack && "Slack", setup.pagerduty && "PagerDuty"].filter(Boolean).join(" + ") || "none"})`, () => {
        const config = parse(run.one(types.secret, /alertmanager-config$/).inputs.stringData["alertmanager.yaml"]);
        const names = config.receivers.map((r: { name: string }) => r.name);
        const routes = config.route.routes as { receiver: string; matchers?: string[]; continue?: boolean }[];
        expect(names).toEqual(["null", ...(setup.slack ? ["slack"] : []), ...(setup.pagerduty ? ["pagerduty"] : [])]);
        expect(routes[0]).toEqual({ receiver: "null", matchers: ['alertname =~ "Watchdog|InfoInhibitor"'] });
        if (!setup.slack && !setup.pagerduty) {
            expect(config.route.receiver).toBe("null");
            expect(routes).toHaveLength(1);
        }
        if (setup.slack) {
            const slack = config.receivers.find((r: { name: string }) => r.name === "slack");
            expect(slack.slack_configs[0].api_url).toBe(setup.slack);
            expect(routes[routes.length - 1]).toEqual({ receiver: "slack" });
        }
        if (setup.pagerduty) {
            const pagerduty = config.receivers.find((r: { name: string }) => r.name === "pagerduty");
            expect(pagerduty.pagerduty_configs[0].routing_key).toBe(setup.pagerduty);
            expect(routes.find((r) => r.receiver === "pagerduty")).toEqual({ receiver: "pagerduty", matchers: ['severity = "critical"'], continue: Boolean(setup.slack) });
        }
    });

    test("never records a webhook URL or routing key outside a secret", () => {
        const values = [setup.slack, setup.pagerduty, "mock-secret-ai-platform-slackWebhookUrl"].filter((v): v is string => Boolean(v));
        for (const r of run.resources) {
            for (const v of values) expect(plainStrings(r).filter((s) => s.value.includes(v))).toEqual([]);
        }
        for (const v of values) expect(JSON.stringify(release.inputs.values)).not.toContain(v);
    });

    test("scrapes the public edge's Envoy proxies (Prometheus stats on their metrics port), after the chart's CRDs exist", () => {
        // The LLM gateway's proxies have their own monitor (test/workloads/llmGateway.test.ts).
        const edge = run.ofType(types.podMonitor).filter((m) => m.inputs.spec.namespaceSelector.matchNames.includes("envoy-gateway-system") && m.inputs.metadata.name !== "llm-gateway");
        expect(edge).toHaveLength(1);
        expect(edge[0].inputs.metadata.namespace).toBe(kubernetesNames.monitoringNamespace);
        expect(edge[0].inputs.spec.selector).toEqual({ matchLabels: edgeProxyPods });
        expect(edge[0].inputs.spec.podMetricsEndpoints).toEqual([{ port: "metrics", path: "/stats/prometheus", interval: "30s" }]);
        expect(run.dependsOn(edge[0], release)).toBe(true);
    });

    test("scrapes the API and worker pods' metrics port with PodMonitors, after the chart's CRDs exist", () => {
        const monitors = run.ofType(types.podMonitor).filter((m) => m.inputs.spec.namespaceSelector.matchNames.includes(kubernetesNames.appNamespace));
        expect(monitors.map((m) => m.inputs.spec.selector.matchLabels["app.kubernetes.io/component"]).sort()).toEqual(["api", "worker"]);
        for (const m of monitors) {
            expect(m.inputs.spec.selector.matchLabels["app.kubernetes.io/name"]).toBe(kubernetesNames.appName);
            expect(m.inputs.spec.namespaceSelector).toEqual({ matchNames: [kubernetesNames.appNamespace] });
            expect(m.inputs.spec.podMetricsEndpoints).toEqual([expect.objectContaining({ port: "metrics", path: "/metrics" })]);
            expect(run.dependsOn(m, release)).toBe(true);
        }
    });
});

test("Kubernetes objects depend on the foundation's ready resources", () => {
    const nodeGroup = { urn: "node-group" } as never;
    const provider = { urn: "provider" } as never;
    const parent = { urn: "parent" } as never;
    const extra = { urn: "extra" } as never;
    const options = kubernetesOptions(parent, { cluster: { provider, readyResources: [nodeGroup] } } as never, [extra]);
    expect(options).toEqual({ parent, provider, dependsOn: [nodeGroup, extra] });
});
