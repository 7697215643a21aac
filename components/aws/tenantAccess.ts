import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { tenantGroup, type TenantSettings } from "../../stacks/tenants";
import type { RbacSubject } from "../contract";
import { standardTags } from "../shared/naming";

export interface TenantAccessArgs {
    /**
     * `tenants` (each tenant's name and IAM role) and the tag parts.
     * @default tenants: none on both environments (stacks/defaults.ts)
     */
    settings: Pick<Settings, "tenants" | "project" | "environment" | "owner" | "costCenter" | "stack">;
    /** The EKS cluster the access entries are made on. */
    clusterName: pulumi.Input<string>;
}

/**
 * EKS access entries for the tenants' IAM roles (the cluster authenticates with access entries, mode
 * API). Each entry maps the role to one Kubernetes group and to no EKS access policy, so the role can
 * do exactly what RBAC grants that group: `edit` in its own namespace (the workloads' RoleBinding).
 */
export class TenantAccess extends pulumi.ComponentResource {
    public readonly entries: aws.eks.AccessEntry[];

    constructor(name: string, args: TenantAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:aws:TenantAccess", name, {}, opts);
        const { settings } = args;
        this.entries = settings.tenants.map(
            (tenant) =>
                new aws.eks.AccessEntry(
                    `${name}-${tenant.name}`,
                    { clusterName: args.clusterName, principalArn: tenant.principal, type: "STANDARD", kubernetesGroups: [tenantGroup(tenant.name)], tags: standardTags(settings) },
                    { parent: this },
                ),
        );
        this.registerOutputs({ entries: this.entries.map((e) => e.accessEntryArn) });
    }
}

/** The subject a tenant's RoleBinding names on EKS: the group its access entry maps the role to. */
export function eksTenantSubjects(tenant: TenantSettings): RbacSubject[] {
    return [{ kind: "Group", name: tenantGroup(tenant.name), apiGroup: "rbac.authorization.k8s.io" }];
}
