import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings, WorkloadSettings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { monitoringServices } from "../operations/kubernetes";
import { queries } from "../operations/metrics";
import { queueDatabase } from "./config";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, type LabelSettingKeys } from "./labels";
import { type Component } from "../shared/kubernetes";

/** A trigger of a ScaledObject (keda.sh/v1alpha1 ScaleTriggers). */
export interface ScaleTrigger {
    type: string;
    name?: string;
    metricType?: "AverageValue" | "Value" | "Utilization";
    metadata: Record<string, pulumi.Input<string>>;
    authenticationRef?: { name: pulumi.Input<string> };
}

export interface AutoscalingArgs {
    /** Governance labels. Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys>;
    /** The foundation: its cluster provider and ready resources, which every object waits for. */
    foundation: Foundation;
    /** The app namespace. */
    namespace: pulumi.Input<string>;
    /** The component whose pods are scaled (its selector labels go on the ScaledObject). */
    component: Component;
    /** The Deployment to scale. */
    deploymentName: pulumi.Input<string>;
    /** `settings.api` or `settings.worker`: bounds and scaling behaviour. */
    scaling: WorkloadSettings;
    /** What KEDA scales on; the HPA it manages follows the one that asks for the most replicas. */
    triggers: ScaleTrigger[];
    /**
     * What the autoscaler does when a trigger's source cannot be read.
     * @default none: no fallback replicas
     */
    fallback?: { failureThreshold: number; replicas: number; behavior: "static" | "currentReplicas" | "currentReplicasIfHigher" | "currentReplicasIfLower" };
    /**
     * How often KEDA polls and how long the triggers stay inactive before it scales to zero; only meaningful when `scaling.minReplicas` is 0.
     * @default KEDA's (30 s polling, 300 s cooldown)
     */
    idle?: { pollingIntervalSeconds: number; cooldownSeconds: number };
    /** The KEDA release (it installs the CRD and the admission webhook) and anything the triggers read. */
    dependsOn: pulumi.Resource[];
}

/** API version and kind of KEDA's ScaledObject. */
export const scaledObjectType = { apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject" } as const;

/**
 * Takes over an HPA of the same name that targets the Deployment (the program's own HPAs before KEDA),
 * instead of being refused by KEDA's admission webhook for competing with it.
 */
export const transferHpaOwnershipAnnotation = "scaledobject.keda.sh/transfer-hpa-ownership";

/**
 * A KEDA ScaledObject for one Deployment. KEDA creates and owns the HorizontalPodAutoscaler (named
 * after the Deployment) that scales it; no other HPA competes for the Deployment. The behaviour is
 * the seeds': up fast, down slowly, because cold starts of agent pods are expensive.
 */
export class Autoscaling extends pulumi.ComponentResource {
    public readonly scaledObject: k8s.apiextensions.CustomResource;

    constructor(name: string, args: AutoscalingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:Autoscaling", name, {}, opts);
        const { settings, foundation, scaling } = args;
        const rule = (r: WorkloadSettings["scaleUp"]) => ({
            stabilizationWindowSeconds: r.stabilizationWindowSeconds,
            selectPolicy: "Max",
            policies: [{ type: "Percent", value: r.percent, periodSeconds: r.periodSeconds }],
        });
        // KEDA warns that pollingInterval and cooldownPeriod do nothing unless the workload can scale to zero.
        const idle = scaling.minReplicas === 0 && args.idle ? { pollingInterval: args.idle.pollingIntervalSeconds, cooldownPeriod: args.idle.cooldownSeconds } : {};

        this.scaledObject = new k8s.apiextensions.CustomResource(
            `${name}-scaled-object`,
            {
                ...scaledObjectType,
                metadata: {
                    name: args.deploymentName,
                    namespace: args.namespace,
                    labels: objectLabels(settings, args.component),
                    annotations: { [transferHpaOwnershipAnnotation]: "true" },
                },
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: args.deploymentName },
                    minReplicaCount: scaling.minReplicas,
                    maxReplicaCount: scaling.maxReplicas,
                    ...idle,
                    advanced: {
                        horizontalPodAutoscalerConfig: { name: args.deploymentName, behavior: { scaleUp: rule(scaling.scaleUp), scaleDown: rule(scaling.scaleDown) } },
                    },
                    triggers: args.triggers,
                    ...(args.fallback ? { fallback: args.fallback } : {}),
                },
            },
            // Named `${name}-<role>` like every child; the alias keeps the earlier bare name's state.
            kubernetesOptions(this, foundation, args.dependsOn, { aliases: [{ name }] }),
        );
        this.registerOutputs({});
    }
}

/**
 * The API scales on requests in flight per pod, read from Prometheus, and on CPU and memory. When
 * Prometheus cannot be read `metricFailureThreshold` times in a row, the request trigger reports the
 * current replica count (never less than `minReplicas`): the API holds its size rather than scaling in
 * blind, and CPU and memory can still scale it out.
 */
export function apiScaling(settings: Pick<Settings, "api">): Pick<AutoscalingArgs, "triggers" | "fallback"> {
    const { api } = settings;
    const prometheus = monitoringServices.prometheus;
    return {
        triggers: [
            {
                type: "prometheus",
                name: "requests-in-flight",
                metricType: "AverageValue",
                metadata: {
                    serverAddress: `http://${prometheus.name}.${kubernetesNames.monitoringNamespace}.svc:${prometheus.port}`,
                    query: queries.apiRequestsInFlight,
                    threshold: String(api.inFlightRequestsTarget),
                },
            },
            { type: "cpu", metricType: "Utilization", metadata: { value: String(api.cpuTargetPercent) } },
            { type: "memory", metricType: "Utilization", metadata: { value: String(api.memoryTargetPercent) } },
        ],
        fallback: { failureThreshold: api.metricFailureThreshold, replicas: api.minReplicas, behavior: "currentReplicasIfHigher" },
    };
}

/**
 * The worker scales on the Redis lists the service uses, read by KEDA's Redis list scaler: waiting
 * tasks (`tasksPerReplica` per worker) and tasks in progress (one per worker, since a worker runs one
 * task at a time), so a busy worker's task keeps it counted and the workers reach zero only when both
 * lists are empty. TLS and AUTH as the cache demands, credentials through the TriggerAuthentication.
 */
export function workerScaling(settings: Pick<Settings, "worker">, foundation: Foundation, authenticationName: pulumi.Input<string>): Pick<AutoscalingArgs, "triggers" | "idle"> {
    const { worker } = settings;
    const { cache } = foundation;
    const list = (name: string, listName: string, perReplica: number): ScaleTrigger => ({
        type: "redis",
        name,
        metricType: "AverageValue",
        metadata: {
            address: pulumi.interpolate`${cache.host}:${cache.port}`,
            listName,
            listLength: String(perReplica),
            activationListLength: "0",
            databaseIndex: String(queueDatabase),
            enableTLS: String(cache.tls),
        },
        authenticationRef: { name: authenticationName },
    });
    return {
        triggers: [list("queued-tasks", kubernetesNames.taskQueue.pending, worker.queue.tasksPerReplica), list("running-tasks", kubernetesNames.taskQueue.processing, workerConcurrency)],
        idle: { pollingIntervalSeconds: worker.queue.pollingIntervalSeconds, cooldownSeconds: worker.queue.cooldownSeconds },
    };
}

/** Tasks one worker runs at once (the default image's consumer takes one task at a time). */
export const workerConcurrency = 1;
