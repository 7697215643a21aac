import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { namePrefix } from "../shared/naming";
import { childOptions } from "../shared/options";

export interface ClusterLogsArgs {
    /**
     * `observability.logRetentionDays`, `gcpProject`, `region` and the name parts.
     * @default observability.logRetentionDays staging 7, prod 30 (stacks/defaults.ts)
     */
    settings: Pick<Settings, "observability" | "gcpProject" | "region" | "project" | "environment">;
    /** Name of the GKE cluster whose logs are kept. */
    clusterName: pulumi.Input<string>;
}

/** The Kubernetes resource types GKE's built-in Cloud Logging writes container, pod, node and cluster logs as. */
export const kubernetesLogTypes = ["k8s_container", "k8s_pod", "k8s_node", "k8s_cluster"] as const;

/**
 * GKE ships container logs to Cloud Logging itself (no Fluent Bit to run); this keeps them for
 * `observability.logRetentionDays`: a Cloud Logging bucket in the stack's region with that retention,
 * and a sink routing this cluster's logs into it. The project's `_Default` bucket is left alone, since
 * other workloads of the project may rely on it.
 */
export class ClusterLogs extends pulumi.ComponentResource {
    public readonly bucket: gcp.logging.ProjectBucketConfig;
    public readonly sink: gcp.logging.ProjectSink;

    constructor(name: string, args: ClusterLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:gcp:ClusterLogs", name, {}, opts);
        const { settings } = args;
        const project = settings.gcpProject!;
        const child = (extra: pulumi.CustomResourceOptions = {}) => childOptions(this, opts, extra);

        this.bucket = new gcp.logging.ProjectBucketConfig(
            `${name}-bucket`,
            {
                project,
                location: settings.region,
                bucketId: `${namePrefix(settings)}-cluster-logs`,
                retentionDays: settings.observability.logRetentionDays,
                description: `Logs of the ai-platform ${settings.environment} GKE cluster, kept ${settings.observability.logRetentionDays} days`,
            },
            child(),
        );

        const types = kubernetesLogTypes.map((t) => `"${t}"`).join(" OR ");
        this.sink = new gcp.logging.ProjectSink(
            `${name}-sink`,
            {
                project,
                name: `${namePrefix(settings)}-cluster-logs`,
                destination: pulumi.interpolate`logging.googleapis.com/${this.bucket.id}`,
                filter: pulumi.interpolate`resource.type=(${types}) AND resource.labels.cluster_name="${args.clusterName}"`,
                // A bucket in the sink's own project needs no writer grant with the shared writer identity.
                uniqueWriterIdentity: false,
                description: "Routes the cluster's logs to the bucket that keeps them for the configured retention",
            },
            child(),
        );

        this.registerOutputs({ bucketId: this.bucket.id });
    }
}
