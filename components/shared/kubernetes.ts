import { kubernetesNames } from "../contract";

/** A pod-running component of the service; `app.kubernetes.io/component` tells them apart. */
export type Component = (typeof kubernetesNames.components)[keyof typeof kubernetesNames.components];

/**
 * Labels that select one component's pods. They never change, so selectors of Deployments, Services,
 * HPAs, PDBs and PodMonitors stay valid, and the NetworkPolicies key on them.
 */
export function selectorLabels(component: Component): Record<string, string> {
    return { "app.kubernetes.io/name": kubernetesNames.appName, "app.kubernetes.io/component": component };
}
