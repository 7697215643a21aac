import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames } from "../contract";
import type { LabelSettingKeys } from "./labels";
import { serviceDeployment, serviceDeploymentOptions, type ServiceWorkloadArgs } from "./serviceDeployment";
import { probe, serviceContainer } from "./podSpec";

export interface WorkerArgs extends ServiceWorkloadArgs {
    /** Governance labels, the metrics port, commands and probes (`app`), the worker's replicas, resources and grace period (`worker`). Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys | "app" | "worker">;
}

/** Name of the worker's Deployment (the same as its service account). */
export const workerName = kubernetesNames.serviceAccounts.worker;

/**
 * The background worker: the same image running the queue consumer. A consumer has no request path
 * that proves it is alive, so its probes run `app.workerProbeCommand`, which by default checks that the
 * consume loop has touched `$WORKER_HEARTBEAT_FILE` within the last minute. It serves metrics on the
 * metrics port for Prometheus. Long agent tasks get `worker.terminationGracePeriodSeconds` to finish
 * after SIGTERM. The HPA owns `replicas` after creation, so Pulumi ignores changes to it.
 */
export class Worker extends pulumi.ComponentResource {
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly deploymentName: pulumi.Output<string>;

    constructor(name: string, args: WorkerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:Worker", name, {}, opts);
        const { settings, foundation } = args;
        const component = kubernetesNames.components.worker;
        const { app, worker } = settings;
        const heartbeat = { exec: { command: app.workerProbeCommand } };

        const container = serviceContainer(foundation, {
            name: component,
            command: app.workerCommand,
            ports: [{ name: "metrics", containerPort: app.metricsPort, protocol: "TCP" }],
            resources: worker.resources,
            startupProbe: probe(app.probes.startup, heartbeat),
            livenessProbe: probe(app.probes.liveness, heartbeat),
            readinessProbe: probe(app.probes.readiness, heartbeat),
        });

        // Children are named `${name}-<role>`; the alias keeps the earlier bare name's state.
        this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, serviceDeployment(args, { name: workerName, component, workload: worker, container }), {
            ...serviceDeploymentOptions(this, args),
            aliases: [{ name }],
        });
        this.deploymentName = this.deployment.metadata.name;
        this.registerOutputs({ deploymentName: this.deploymentName });
    }
}
