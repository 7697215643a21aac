import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings, WorkloadSettings } from "../../stacks";
import type { Foundation } from "../contract";
import { kubernetesOptions, objectLabels, type Component } from "./podSpec";

export interface AutoscalingArgs {
    settings: Settings;
    foundation: Foundation;
    namespace: pulumi.Input<string>;
    component: Component;
    /** The Deployment to scale. */
    deploymentName: pulumi.Input<string>;
    /** `settings.api` or `settings.worker`. */
    scaling: WorkloadSettings;
}

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) for one Deployment: CPU and memory utilisation targets,
 * and the seeds' behaviour, scaling up fast (doubling every 15 s after a 1-minute window) and down
 * slowly (10 % a minute after 5 minutes), because cold starts of agent pods are expensive.
 */
export class Autoscaling extends pulumi.ComponentResource {
    public readonly hpa: k8s.autoscaling.v2.HorizontalPodAutoscaler;

    constructor(name: string, args: AutoscalingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:Autoscaling", name, {}, opts);
        const { settings, foundation, scaling } = args;
        const utilisation = (resource: "cpu" | "memory", percent: number) => ({
            type: "Resource",
            resource: { name: resource, target: { type: "Utilization", averageUtilization: percent } },
        });
        const rule = (r: WorkloadSettings["scaleUp"]) => ({
            stabilizationWindowSeconds: r.stabilizationWindowSeconds,
            selectPolicy: "Max",
            policies: [{ type: "Percent", value: r.percent, periodSeconds: r.periodSeconds }],
        });

        this.hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            name,
            {
                metadata: { name: args.deploymentName, namespace: args.namespace, labels: objectLabels(settings, args.component) },
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: args.deploymentName },
                    minReplicas: scaling.minReplicas,
                    maxReplicas: scaling.maxReplicas,
                    metrics: [utilisation("cpu", scaling.cpuTargetPercent), utilisation("memory", scaling.memoryTargetPercent)],
                    behavior: { scaleUp: rule(scaling.scaleUp), scaleDown: rule(scaling.scaleDown) },
                },
            },
            kubernetesOptions(this, foundation),
        );
        this.registerOutputs({});
    }
}
