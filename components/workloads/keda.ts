import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { monitoringServices } from "../operations/kubernetes";
import { helmRelease } from "../shared/helmRelease";
import { restrictedContainerProfile } from "../shared/podSecurity";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, podSecurityLabels, type LabelSettingKeys } from "./labels";

export interface KedaArgs {
    /** Governance labels; KEDA's chart version, the release's timeout and the controllers' replicas (`addons`); the Kubernetes version the Pod Security labels pin (`cluster`). Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys | "addons" | "cluster">;
    /** The foundation: its cluster provider and ready resources, which every object waits for; the data-store ranges and cache port (the queue), the control plane's ranges. */
    foundation: Foundation;
}

/** Chart repository of KEDA (kedacore/charts). */
export const kedaChartRepository = "https://kedacore.github.io/charts";

/**
 * The port the control plane calls KEDA's external-metrics API and admission webhook on, in place of
 * the chart's 6443 and 9443. A private GKE cluster's control plane may reach nodes and pods only on 443
 * and 10250 (the firewall rule GKE creates for it; cloud.google.com/kubernetes-engine/docs/how-to/private-clusters,
 * "Adding firewall rules for specific use cases", read 2026-11-27), so both listen on 10250, as
 * metrics-server and cert-manager's webhook do; EKS's cluster security group admits the same port.
 */
export const controlPlaneCallbackPort = 10250;

/**
 * The pods the chart runs, by their `app` label (kedacore/charts keda/templates/*\/deployment.yaml),
 * and the ports they serve on: the operator's gRPC metrics service (the metrics API server reads
 * scaler values from it), the external-metrics API the control plane calls, the admission webhook.
 */
export const kedaPods = {
    operator: { app: "keda-operator", grpcPort: 9666 },
    metricsApiServer: { app: "keda-operator-metrics-apiserver", port: controlPlaneCallbackPort },
    webhooks: { app: "keda-admission-webhooks", port: controlPlaneCallbackPort },
} as const;

/**
 * The port pods reach the Kubernetes API on: the `kubernetes` Service and the managed endpoints behind
 * it (EKS's cross-account ENIs, GKE's control-plane endpoint) both serve 443. 6443 is where a
 * self-managed API server listens, which neither cloud's cluster exposes to pods, so it stays closed.
 */
export const kubeApiPort = 443;

/** Pods of the chart's Prometheus (kube-prometheus-stack), the metrics source of the API's request trigger. */
const prometheusPods = { "app.kubernetes.io/name": "prometheus" };

type Rule = k8s.types.input.networking.v1.NetworkPolicyIngressRule & k8s.types.input.networking.v1.NetworkPolicyEgressRule;
const tcp = (port: pulumi.Input<number>) => ({ protocol: "TCP", port });
const anywhere = { ipBlock: { cidr: "0.0.0.0/0" } };
const pod = (app: string) => ({ matchLabels: { app } });

/**
 * KEDA, the event-driven autoscaler of the API and the worker, as a pinned Helm release in its own
 * namespace under the restricted Pod Security profile. The chart installs the CRDs (ScaledObject,
 * TriggerAuthentication), so every KEDA object of the program depends on `release`.
 *
 * The namespace denies all traffic, then allows only what KEDA needs: DNS; the Kubernetes API (every
 * KEDA pod watches it, the operator patches the webhook and APIService certificates); the operator to
 * the task queue (Redis, on the foundation's data-store ranges) and to Prometheus (the monitoring
 * namespace's Prometheus pods); the metrics API server to the operator's gRPC port; and the control
 * plane to the external-metrics API and the admission webhook. The control plane is not a pod, so those
 * two ingress rules name the ranges its calls come from (the foundation's `controlPlaneCidrs`).
 */
export class Keda extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    public readonly release: k8s.helm.v3.Release;
    public readonly policies: k8s.networking.v1.NetworkPolicy[] = [];

    constructor(name: string, args: KedaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:Keda", name, {}, opts);
        const { settings, foundation } = args;
        const namespaceName = kubernetesNames.kedaNamespace;
        // Only one operator and one metrics API server are active at a time (leader election); a second
        // replica shortens a failover, it does not add capacity.
        const replicas = settings.addons.controllerReplicas;

        const namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: namespaceName, labels: { ...objectLabels(settings), name: namespaceName, ...podSecurityLabels("restricted", settings.cluster.kubernetesVersion) } } },
            kubernetesOptions(this, foundation),
        );
        this.namespace = namespace.metadata.name;

        const policy = (policyName: string, podSelector: k8s.types.input.meta.v1.LabelSelector, spec: { ingress?: Rule[]; egress?: Rule[] }, policyTypes?: string[]) => {
            this.policies.push(
                new k8s.networking.v1.NetworkPolicy(
                    `${name}-${policyName}`,
                    {
                        metadata: { name: policyName, namespace: this.namespace, labels: objectLabels(settings) },
                        spec: { podSelector, policyTypes: policyTypes ?? [...(spec.ingress ? ["Ingress"] : []), ...(spec.egress ? ["Egress"] : [])], ...spec },
                    },
                    kubernetesOptions(this, foundation, [namespace]),
                ),
            );
        };
        const { operator, metricsApiServer, webhooks } = kedaPods;
        policy("default-deny-all", {}, {}, ["Ingress", "Egress"]);
        policy(
            "allow-dns",
            {},
            {
                egress: [
                    {
                        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                        ports: [
                            { protocol: "UDP", port: 53 },
                            { protocol: "TCP", port: 53 },
                        ],
                    },
                ],
            },
        );
        // Every KEDA pod watches the API. Its endpoint's addresses belong to the cloud and are not
        // portably matchable by ipBlock (a CNI may give the API server its own identity), so HTTPS anywhere,
        // for KEDA's own pods only.
        const kedaPodsSelector = { matchExpressions: [{ key: "app", operator: "In", values: [operator.app, metricsApiServer.app, webhooks.app] }] };
        policy("allow-kube-api", kedaPodsSelector, { egress: [{ to: [anywhere], ports: [tcp(kubeApiPort)] }] });
        policy("allow-operator-to-queue-and-prometheus", pod(operator.app), {
            egress: [
                { to: foundation.network.dataStoreCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(foundation.cache.port)] },
                {
                    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": kubernetesNames.monitoringNamespace } }, podSelector: { matchLabels: prometheusPods } }],
                    ports: [tcp(monitoringServices.prometheus.port)],
                },
            ],
        });
        policy("allow-operator-grpc-from-metrics-api-server", pod(operator.app), {
            ingress: [{ from: [{ podSelector: pod(metricsApiServer.app) }], ports: [tcp(operator.grpcPort)] }],
        });
        policy("allow-metrics-api-server-to-operator", pod(metricsApiServer.app), {
            egress: [{ to: [{ podSelector: pod(operator.app) }], ports: [tcp(operator.grpcPort)] }],
        });
        const controlPlane = foundation.network.controlPlaneCidrs.map((cidr) => ({ ipBlock: { cidr } }));
        policy("allow-control-plane-to-metrics-api", pod(metricsApiServer.app), { ingress: [{ from: controlPlane, ports: [tcp(metricsApiServer.port)] }] });
        policy("allow-control-plane-to-webhooks", pod(webhooks.app), { ingress: [{ from: controlPlane, ports: [tcp(webhooks.port)] }] });

        const restricted = { operator: restrictedContainerProfile, metricServer: restrictedContainerProfile, webhooks: restrictedContainerProfile };
        const restrictedPod = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
        const budget = replicas > 1 ? { minAvailable: 1 } : {};
        this.release = helmRelease(
            `${name}-release`,
            {
                name: "keda",
                namespace: this.namespace,
                chart: "keda",
                repository: kedaChartRepository,
                version: settings.addons.keda,
                values: {
                    crds: { install: true },
                    additionalLabels: objectLabels(settings),
                    operator: { replicaCount: replicas },
                    metricsServer: { replicaCount: replicas },
                    webhooks: { replicaCount: replicas, port: webhooks.port },
                    service: { portHttpsTarget: metricsApiServer.port },
                    podDisruptionBudget: { operator: budget, metricServer: budget, webhooks: budget },
                    // The chart's own policies allow egress to every pod of the cluster; ours above are narrower.
                    networkPolicy: { enabled: false },
                    securityContext: restricted,
                    podSecurityContext: { operator: restrictedPod, metricServer: restrictedPod, webhooks: restrictedPod },
                },
            },
            { settings },
            kubernetesOptions(this, foundation, [namespace, ...this.policies]),
        );
        this.registerOutputs({ namespace: this.namespace });
    }
}
