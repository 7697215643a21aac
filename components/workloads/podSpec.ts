import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings, WorkloadSettings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { standardLabels } from "../shared/naming";
import { selectorLabels, type Component } from "../shared/kubernetes";
import { kubernetesOptions } from "../shared/options";
import { restrictedContainerProfile, restrictedPodProfile } from "../shared/podSecurity";

/**
 * What every pod of the service has in common, written once: the Pod Security "restricted" profile,
 * the labels, the environment from the ConfigMap and Secret, and the resource options that put every
 * Kubernetes object on the foundation's cluster and delete it before the foundation's nodes.
 */

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Container = k8s.types.input.core.v1.Container;

/** UID and GID of every container of the service: fixed and non-root, so `runAsNonRoot` can be verified. */
export const serviceUser = 10001;

/** The only writable path in a container (the root filesystem is read-only). */
export const scratchPath = "/tmp";

export { kubernetesOptions, selectorLabels, type Component };

/** Labels of an object: the standard governance labels, plus the selector labels when it belongs to one component. */
export function objectLabels(settings: Settings, component?: Component): Record<string, string> {
    return { ...standardLabels(settings), ...(component ? selectorLabels(component) : {}) };
}

export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/**
 * Pod Security Admission labels for a namespace. Versions are pinned to the cluster's minor version so
 * that a control-plane upgrade cannot tighten the profile under running workloads unannounced.
 */
export function podSecurityLabels(enforce: PodSecurityLevel, kubernetesVersion: string, auditAndWarn: PodSecurityLevel = enforce): Record<string, string> {
    const version = `v${kubernetesVersion}`;
    return {
        "pod-security.kubernetes.io/enforce": enforce,
        "pod-security.kubernetes.io/enforce-version": version,
        "pod-security.kubernetes.io/audit": auditAndWarn,
        "pod-security.kubernetes.io/audit-version": version,
        "pod-security.kubernetes.io/warn": auditAndWarn,
        "pod-security.kubernetes.io/warn-version": version,
    };
}

export const restrictedPodSecurityContext = restrictedPodProfile(serviceUser);

export const restrictedContainerSecurityContext = {
    ...restrictedContainerProfile,
    runAsUser: serviceUser,
    runAsGroup: serviceUser,
} satisfies k8s.types.input.core.v1.SecurityContext;

/** A container of the service image: digest-pinned image, environment from the ConfigMap and Secret, the given command and resources. */
export function serviceContainer(foundation: Foundation, container: Omit<ServiceContainer, "image" | "envFrom">): ServiceContainer {
    return {
        image: foundation.image.ref,
        imagePullPolicy: "IfNotPresent",
        envFrom: [{ configMapRef: { name: kubernetesNames.appConfigMap } }, { secretRef: { name: kubernetesNames.appSecret } }],
        ...container,
    };
}

/** A container as the service declares it; the restricted security context and the scratch mount are added here. */
export type ServiceContainer = Omit<Container, "securityContext" | "volumeMounts">;

/** Puts a container under the restricted profile and gives it the scratch volume. */
function hardened(container: ServiceContainer): Container {
    return { ...container, securityContext: restrictedContainerSecurityContext, volumeMounts: [{ name: "tmp", mountPath: scratchPath }] };
}

export interface RestrictedPodArgs extends Omit<PodSpec, "containers" | "initContainers" | "securityContext" | "serviceAccountName" | "automountServiceAccountToken" | "volumes"> {
    serviceAccountName: pulumi.Input<string>;
    containers: ServiceContainer[];
    initContainers?: ServiceContainer[];
}

/**
 * A pod spec that passes the restricted Pod Security profile: non-root fixed UID/GID, no privilege
 * escalation, all capabilities dropped, read-only root filesystem with an emptyDir for /tmp, and the
 * RuntimeDefault seccomp profile at pod and container level. The service-account token is not mounted:
 * nothing in the service talks to the Kubernetes API, and the cloud identity (IRSA / GKE Workload
 * Identity) does not need it (see docs/workloads.md).
 */
export function restrictedPodSpec(args: RestrictedPodArgs): PodSpec {
    const { containers, initContainers, ...rest } = args;
    return {
        ...rest,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: restrictedPodSecurityContext,
        initContainers: initContainers?.map(hardened),
        containers: containers.map(hardened),
        volumes: [{ name: "tmp", emptyDir: {} }],
    };
}

/**
 * Spreads a component's pods across zones (hard) and hosts (soft). `pod-template-hash` limits the count
 * to the current revision, so a rollout does not skew the spread. Hosts are best effort so a small
 * staging node group can still run every replica.
 */
export function zoneAndHostSpread(component: Component): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    const labelSelector = { matchLabels: selectorLabels(component) };
    return [
        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector, matchLabelKeys: ["pod-template-hash"] },
        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector, matchLabelKeys: ["pod-template-hash"] },
    ];
}

/** A probe with the configured timing. */
export function probe(timing: Settings["app"]["probes"]["liveness"], handler: Pick<k8s.types.input.core.v1.Probe, "httpGet" | "exec" | "tcpSocket">): k8s.types.input.core.v1.Probe {
    return { ...handler, ...timing };
}

/** Prometheus scrape annotations for a pod template. */
export function scrapeAnnotations(settings: Settings): Record<string, string> {
    return { "prometheus.io/scrape": "true", "prometheus.io/port": String(settings.app.metricsPort), "prometheus.io/path": "/metrics" };
}

/** What a Deployment of the service image (the API, the worker) is built from. */
export interface ServiceWorkloadArgs {
    settings: Settings;
    foundation: Foundation;
    namespace: pulumi.Input<string>;
    serviceAccountName: pulumi.Input<string>;
    /** Hash of the ConfigMap and Secret; a change rolls the pods. */
    configChecksum: pulumi.Input<string>;
    /** What must be done before the Deployment rolls out: the migration Job above all. */
    dependsOn?: pulumi.Resource[];
}

/**
 * A Deployment of the service image: it rolls one extra pod at a time and never drops below the
 * desired count, spreads across zones and hosts, restarts when the config changes, and runs under the
 * restricted profile. `replicas` is the starting count; the HPA owns it afterwards (see
 * `serviceDeploymentOptions`).
 */
export function serviceDeployment(args: ServiceWorkloadArgs, deployment: { name: string; component: Component; workload: WorkloadSettings; container: ServiceContainer }): k8s.apps.v1.DeploymentArgs {
    const { settings } = args;
    const { component, workload } = deployment;
    return {
        metadata: { name: deployment.name, namespace: args.namespace, labels: objectLabels(settings, component) },
        spec: {
            replicas: workload.replicas,
            selector: { matchLabels: selectorLabels(component) },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
            template: {
                metadata: {
                    labels: objectLabels(settings, component),
                    annotations: { ...scrapeAnnotations(settings), "ai-platform/config-checksum": args.configChecksum },
                },
                spec: restrictedPodSpec({
                    serviceAccountName: args.serviceAccountName,
                    terminationGracePeriodSeconds: workload.terminationGracePeriodSeconds,
                    topologySpreadConstraints: zoneAndHostSpread(component),
                    containers: [deployment.container],
                }),
            },
        },
    };
}

/** Options of a service Deployment: after its dependencies, and with `replicas` left to the HPA. */
export function serviceDeploymentOptions(parent: pulumi.Resource, args: ServiceWorkloadArgs): pulumi.CustomResourceOptions {
    return kubernetesOptions(parent, args.foundation, args.dependsOn, { ignoreChanges: ["spec.replicas"] });
}
