import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames } from "../contract";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, type LabelSettingKeys } from "./labels";
import { selectorLabels } from "../shared/kubernetes";
import { serviceDeployment, serviceDeploymentOptions, type ServiceWorkloadArgs } from "./serviceDeployment";
import { probe, serviceContainer } from "./podSpec";

export interface ApiDeploymentArgs extends ServiceWorkloadArgs {
    /** Governance labels, ports, commands, probes and drain time (`app`), the API's replicas, resources and grace period (`api`). Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys | "app" | "api">;
}

/** Name of the API's Deployment and Service (the same as its service account). */
export const apiName = kubernetesNames.serviceAccounts.api;
/** The Service's HTTP port, which the Gateway's route sends to. */
export const apiServicePort = 80;

/**
 * The API: a Deployment that rolls one extra pod at a time and never drops below the desired count,
 * spread across zones and hosts, probed on /health and /ready, and drained gracefully (a preStop sleep
 * keeps a terminating pod serving until the endpoints and load balancer have let go of it), plus its
 * ClusterIP Service. The HPA owns `replicas` after creation, so Pulumi ignores changes to it.
 */
export class ApiDeployment extends pulumi.ComponentResource {
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly service: k8s.core.v1.Service;
    public readonly deploymentName: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;

    constructor(name: string, args: ApiDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:ApiDeployment", name, {}, opts);
        const { settings, foundation } = args;
        const component = kubernetesNames.components.api;
        const { app, api } = settings;
        const http = { path: "/health", port: "http" };

        const container = serviceContainer(foundation, {
            name: component,
            command: app.apiCommand,
            ports: [
                { name: "http", containerPort: app.port, protocol: "TCP" },
                { name: "metrics", containerPort: app.metricsPort, protocol: "TCP" },
            ],
            resources: api.resources,
            startupProbe: probe(app.probes.startup, { httpGet: http }),
            livenessProbe: probe(app.probes.liveness, { httpGet: http }),
            readinessProbe: probe(app.probes.readiness, { httpGet: { path: "/ready", port: "http" } }),
            lifecycle: { preStop: { sleep: { seconds: app.preStopSleepSeconds } } },
        });

        // Children are named `${name}-<role>`; the aliases keep the earlier bare names' state.
        this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, serviceDeployment(args, { name: apiName, component, workload: api, container }), {
            ...serviceDeploymentOptions(this, args),
            aliases: [{ name }],
        });

        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: { name: apiName, namespace: args.namespace, labels: objectLabels(settings, component) },
                spec: {
                    type: "ClusterIP",
                    selector: selectorLabels(component),
                    ports: [
                        { name: "http", port: apiServicePort, targetPort: "http", protocol: "TCP" },
                        { name: "metrics", port: app.metricsPort, targetPort: "metrics", protocol: "TCP" },
                    ],
                },
            },
            kubernetesOptions(this, foundation, [], { aliases: [{ name }] }),
        );

        this.deploymentName = this.deployment.metadata.name;
        this.serviceName = this.service.metadata.name;
        this.registerOutputs({ deploymentName: this.deploymentName, serviceName: this.serviceName });
    }
}
