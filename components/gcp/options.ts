import type * as pulumi from "@pulumi/pulumi";
import { dependencyList } from "../shared/dependencies";

/**
 * Options for a component's children. Pulumi does not hand a component's `dependsOn` down to its
 * children, so the project APIs the foundation enables first would not be waited for by the cloud
 * resources inside the other components; this passes it down explicitly, plus any extra dependencies.
 */
export function childOptions(parent: pulumi.Resource, opts: pulumi.ComponentResourceOptions | undefined, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
    return { ...extra, parent, dependsOn: [...dependencyList(opts?.dependsOn), ...dependencyList(extra.dependsOn)] };
}
