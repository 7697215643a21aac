import type * as pulumi from "@pulumi/pulumi";

/**
 * A `dependsOn` option as a list. Pulumi does not apply a component's `dependsOn` to the children it
 * creates, so a component that must wait hands it to its children explicitly, merged with their own.
 * (An Output or Promise of a list is a valid element: the SDK flattens nested dependencies.)
 */
export function dependencyList(dependsOn: pulumi.ResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
    if (dependsOn === undefined) return [];
    return Array.isArray(dependsOn) ? dependsOn : [dependsOn as pulumi.Input<pulumi.Resource>];
}
