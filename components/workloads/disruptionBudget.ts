import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import type { Foundation } from "../contract";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, type LabelSettingKeys } from "./labels";
import { selectorLabels, type Component } from "../shared/kubernetes";

export interface DisruptionBudgetArgs {
    /** Governance labels. Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys>;
    /** The foundation: its cluster provider and ready resources, which every object waits for. */
    foundation: Foundation;
    /** The app namespace. */
    namespace: pulumi.Input<string>;
    /** The component whose pods the budget covers. */
    component: Component;
    /** Name of the budget (the workload's name). */
    budgetName: pulumi.Input<string>;
}

/**
 * A PodDisruptionBudget that lets node drains and cluster-autoscaler scale-downs evict one pod of the
 * component at a time, never more, and never blocks them completely. Pods that are not healthy may
 * always be evicted, so a crash-looping pod cannot stall a node upgrade.
 */
export class DisruptionBudget extends pulumi.ComponentResource {
    public readonly pdb: k8s.policy.v1.PodDisruptionBudget;

    constructor(name: string, args: DisruptionBudgetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:DisruptionBudget", name, {}, opts);
        this.pdb = new k8s.policy.v1.PodDisruptionBudget(
            `${name}-pdb`,
            {
                metadata: { name: args.budgetName, namespace: args.namespace, labels: objectLabels(args.settings, args.component) },
                spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: selectorLabels(args.component) } },
            },
            // Named `${name}-<role>` like every child; the alias keeps the earlier bare name's state.
            kubernetesOptions(this, args.foundation, [], { aliases: [{ name }] }),
        );
        this.registerOutputs({});
    }
}
