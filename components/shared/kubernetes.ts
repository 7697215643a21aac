import type * as pulumi from "@pulumi/pulumi";
import { kubernetesNames, type Foundation } from "../contract";

/** A pod-running component of the service; `app.kubernetes.io/component` tells them apart. */
export type Component = (typeof kubernetesNames.components)[keyof typeof kubernetesNames.components];

/**
 * Labels that select one component's pods. They never change, so selectors of Deployments, Services,
 * HPAs, PDBs and PodMonitors stay valid, and the NetworkPolicies key on them.
 */
export function selectorLabels(component: Component): Record<string, string> {
    return { "app.kubernetes.io/name": kubernetesNames.appName, "app.kubernetes.io/component": component };
}

/**
 * Options every Kubernetes object above the foundation is created with: the foundation's provider,
 * and a dependency on its ready resources (node group or pool, networking add-ons), so objects are
 * created after them and deleted before the nodes go away: the engine cannot see that pods need
 * nodes. An object that claims volumes adds `foundation.cluster.storageResources`. Pulumi does not
 * hand a component's `dependsOn` to its children, so a component that must wait passes it here,
 * naming the resources themselves, with why no input carries them.
 */
export function kubernetesOptions(
    parent: pulumi.Resource,
    foundation: Foundation,
    dependsOn: pulumi.Input<pulumi.Resource>[] = [],
    extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
    return { ...extra, parent, provider: foundation.cluster.provider, dependsOn: [...foundation.cluster.readyResources, ...dependsOn] };
}
