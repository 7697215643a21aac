import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { selectorLabels, type Component } from "../shared/kubernetes";
import { restrictedContainerProfile, restrictedPodProfile } from "../shared/podSecurity";

/**
 * What every pod of the service has in common, written once: the Pod Security "restricted" profile,
 * the environment from the ConfigMap and Secret, probes, scrape annotations and the zone and host
 * spread. Labels are in labels.ts, the service's Deployments in serviceDeployment.ts.
 */

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Container = k8s.types.input.core.v1.Container;

/** UID and GID of every container of the service: fixed and non-root, so `runAsNonRoot` can be verified. */
export const serviceUser = 10001;

/** The only writable path in a container (the root filesystem is read-only). */
export const scratchPath = "/tmp";

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
    /** The pod's own ServiceAccount (its cloud identity); its token is never mounted. */
    serviceAccountName: pulumi.Input<string>;
    /** The service image's containers; each gets the restricted container profile. */
    containers: ServiceContainer[];
    /** Containers run before them, under the same profile. @default none */
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
export function scrapeAnnotations(settings: Pick<Settings, "app">): Record<string, string> {
    return { "prometheus.io/scrape": "true", "prometheus.io/port": String(settings.app.metricsPort), "prometheus.io/path": "/metrics" };
}
