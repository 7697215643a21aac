import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** The Google APIs the foundation calls; a fresh project has most of them off. */
export const requiredApis = [
    "compute.googleapis.com",
    "container.googleapis.com",
    "sqladmin.googleapis.com",
    "servicenetworking.googleapis.com",
    "redis.googleapis.com",
    "artifactregistry.googleapis.com",
    "cloudkms.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
    "iam.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "binaryauthorization.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
] as const;

export interface ProjectServicesArgs {
    /** The project (`gcp:project`) the APIs are enabled in. */
    project: string;
}

/**
 * Enables the APIs the foundation needs. They stay enabled when the stack is destroyed: other stacks
 * and people in the same project may use them.
 */
export class ProjectServices extends pulumi.ComponentResource {
    public readonly services: gcp.projects.Service[];

    constructor(name: string, args: ProjectServicesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:gcp:ProjectServices", name, {}, opts);
        this.services = requiredApis.map((api) => new gcp.projects.Service(`${name}-${api.split(".")[0]}`, { project: args.project, service: api, disableOnDestroy: false }, { parent: this }));
        this.registerOutputs({});
    }
}
