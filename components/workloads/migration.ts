import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, type LabelSettingKeys } from "./labels";
import { restrictedPodSpec, serviceContainer } from "./podSpec";

/** The settings the migration Job reads: governance labels, its command and limits (`app`), the API's resources (`api`). */
export type MigrationSettings = Pick<Settings, LabelSettingKeys | "app" | "api">;

export interface MigrationJobArgs {
    /** Governance labels, the migrate command and the Job's limits (`app.migrateCommand`, `app.migration`), the API's resources, which the Job borrows (`api.resources`). Per-environment defaults in stacks/defaults.ts. */
    settings: MigrationSettings;
    /** The foundation: its cluster provider and ready resources, which every object waits for; the image the Job runs. */
    foundation: Foundation;
    /** The app namespace. */
    namespace: pulumi.Input<string>;
    /** The service account the Job runs as (the API's: the same database access). */
    serviceAccountName: pulumi.Input<string>;
    /**
     * What must exist before the Job's pod starts (its ConfigMap, Secret, service account, network policies).
     * @default [] (only the foundation's ready resources)
     */
    dependsOn?: pulumi.Resource[];
}

/**
 * The schema migration, run as a Job before the API and worker roll out. Its name carries a hash of
 * the image reference and the Job's own settings: a new image (or command) replaces the Job, which
 * Pulumi waits for to succeed before it updates the Deployments that depend on it. The same image is the
 * same Job, so an unchanged `pulumi up` does not run it again.
 * Migrations must be idempotent: a `pulumi refresh` after `ttlSecondsAfterFinished` has removed the
 * finished Job makes the next `pulumi up` create it again.
 */
/**
 * `ai-agent-migrate-<hash>`: the hash covers the image reference and everything else in the Job's pod
 * template that settings decide, so a change to any of them is a new Job (the template of an existing
 * Job cannot be changed in place) and the same image and settings keep the same Job.
 */
export function migrationJobName(imageRef: string, settings: MigrationSettings): string {
    const { migrateCommand, migration } = settings.app;
    const fingerprint = JSON.stringify({ imageRef, migrateCommand, resources: settings.api.resources, migration, labels: objectLabels(settings, kubernetesNames.components.migrate) });
    return `${kubernetesNames.appName}-migrate-${crypto.createHash("sha256").update(fingerprint).digest("hex").slice(0, 10)}`;
}

export class MigrationJob extends pulumi.ComponentResource {
    public readonly job: k8s.batch.v1.Job;
    public readonly jobName: pulumi.Output<string>;

    constructor(name: string, args: MigrationJobArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:MigrationJob", name, {}, opts);
        const { settings, foundation } = args;
        const component = kubernetesNames.components.migrate;
        const { migration } = settings.app;
        const container = serviceContainer(foundation, { name: component, command: settings.app.migrateCommand, resources: settings.api.resources });

        const jobName = foundation.image.ref.apply((ref) => migrationJobName(ref, settings));

        this.job = new k8s.batch.v1.Job(
            `${name}-job`,
            {
                metadata: { name: jobName, namespace: args.namespace, labels: objectLabels(settings, component) },
                spec: {
                    backoffLimit: migration.backoffLimit,
                    activeDeadlineSeconds: migration.activeDeadlineSeconds,
                    ttlSecondsAfterFinished: migration.ttlSecondsAfterFinished,
                    template: {
                        metadata: { labels: objectLabels(settings, component) },
                        spec: restrictedPodSpec({ serviceAccountName: args.serviceAccountName, restartPolicy: "Never", containers: [container] }),
                    },
                },
            },
            // A Job's pod template is immutable, so any change replaces it; deleting first also covers a
            // change the name's hash does not see (a new version of this code). Named `${name}-<role>` like
            // every child; the alias keeps the earlier bare name's state.
            kubernetesOptions(this, foundation, args.dependsOn, { deleteBeforeReplace: true, aliases: [{ name }] }),
        );
        this.jobName = this.job.metadata.name;
        this.registerOutputs({ jobName: this.jobName });
    }
}
