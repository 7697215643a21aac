import type * as pulumi from "@pulumi/pulumi";
import type { Foundation } from "../contract";

/**
 * The one way a component builds its children's resource options, on both clouds and in the
 * Kubernetes layer. Pulumi does not hand a component's `dependsOn` down to the children it creates, so
 * a component that must wait passes it on explicitly, merged with what each child needs of its own.
 */

/** A `dependsOn` option as a list. (An Output or Promise of a list is a valid element: the SDK flattens nested dependencies.) */
export function dependencyList(dependsOn: pulumi.ResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
    if (dependsOn === undefined) return [];
    return Array.isArray(dependsOn) ? dependsOn : [dependsOn as pulumi.Input<pulumi.Resource>];
}

/** Options for a cloud resource inside a component: parented to it, waiting for what the component waits for (e.g. the project APIs the foundation enables first) plus `extra`'s own dependencies. */
export function childOptions(parent: pulumi.Resource, opts: pulumi.ComponentResourceOptions | undefined, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
    return { ...extra, parent, dependsOn: [...dependencyList(opts?.dependsOn), ...dependencyList(extra.dependsOn)] };
}

/**
 * Options every Kubernetes object above the foundation is created with: the foundation's provider,
 * and a dependency on its ready resources (node group or pool, networking add-ons), so objects are
 * created after them and deleted before the nodes go away: the engine cannot see that pods need
 * nodes. An object that claims volumes adds `foundation.cluster.storageResources`. A component that
 * must wait passes its own waits here, naming the resources themselves, with why no input carries them.
 */
export function kubernetesOptions(
    parent: pulumi.Resource,
    foundation: Foundation,
    dependsOn: pulumi.Input<pulumi.Resource>[] = [],
    extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
    return { ...extra, parent, provider: foundation.cluster.provider, dependsOn: [...foundation.cluster.readyResources, ...dependsOn] };
}
