import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Settings, WorkloadSettings } from "../../stacks";
import type { Foundation } from "../contract";
import { selectorLabels, type Component } from "../shared/kubernetes";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, type LabelSettingKeys } from "./labels";
import { restrictedPodSpec, scrapeAnnotations, zoneAndHostSpread, type ServiceContainer } from "./podSpec";

/** What a Deployment of the service image (the API, the worker) is built from. */
export interface ServiceWorkloadArgs {
    /** Governance labels and the metrics port the scrape annotations name (`app`). Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys | "app">;
    /** The foundation: its cluster provider and ready resources, which every object waits for; the image the containers run. */
    foundation: Foundation;
    /** The app namespace. */
    namespace: pulumi.Input<string>;
    /** The service account the pods run as. */
    serviceAccountName: pulumi.Input<string>;
    /** Hash of the ConfigMap and Secret; a change rolls the pods. */
    configChecksum: pulumi.Input<string>;
    /**
     * What must be done before the Deployment rolls out: the migration Job above all.
     * @default [] (only the foundation's ready resources)
     */
    dependsOn?: pulumi.Resource[];
}

/**
 * A Deployment of the service image: it rolls one extra pod at a time and never drops below the
 * desired count, spreads across zones and hosts, restarts when the config changes, and runs under the
 * restricted profile. `replicas` is the starting count; the HPA owns it afterwards (see
 * `serviceDeploymentOptions`).
 */
export function serviceDeployment(args: ServiceWorkloadArgs, deployment: { name: string; component: Component; workload: WorkloadSettings; container: ServiceContainer }): k8s.apps.v1.DeploymentArgs {
    const { settings } = args;
    const { component, workload } = deployment;
    return {
        metadata: { name: deployment.name, namespace: args.namespace, labels: objectLabels(settings, component) },
        spec: {
            replicas: workload.replicas,
            selector: { matchLabels: selectorLabels(component) },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
            template: {
                metadata: {
                    labels: objectLabels(settings, component),
                    annotations: { ...scrapeAnnotations(settings), "ai-platform/config-checksum": args.configChecksum },
                },
                spec: restrictedPodSpec({
                    serviceAccountName: args.serviceAccountName,
                    terminationGracePeriodSeconds: workload.terminationGracePeriodSeconds,
                    topologySpreadConstraints: zoneAndHostSpread(component),
                    containers: [deployment.container],
                }),
            },
        },
    };
}

/** Options of a service Deployment: after its dependencies, and with `replicas` left to the HPA. */
export function serviceDeploymentOptions(parent: pulumi.Resource, args: ServiceWorkloadArgs): pulumi.CustomResourceOptions {
    return kubernetesOptions(parent, args.foundation, args.dependsOn, { ignoreChanges: ["spec.replicas"] });
}
