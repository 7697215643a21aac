import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesNames, type IdentityRole } from "../contract";
import { namePrefix } from "../shared/naming";
import type { Settings } from "../../stacks";
import { serviceAccountId } from "./locations";
import { childOptions } from "../shared/options";

export interface IdentityArgs {
    /** `gcpProject` (the Workload Identity pool and the accounts' project) and the name parts of the accounts. */
    settings: Pick<Settings, "gcpProject" | "project" | "environment">;
    /** The database password's secret; only the app may read it. */
    databaseSecret: gcp.secretmanager.Secret;
    /** The backups bucket; only the backup job may write to it. */
    backupBucket: gcp.storage.Bucket;
}

/** Kubernetes service accounts (in the app namespace) that act as each Google service account. */
export const kubernetesAccountsOf: Record<IdentityRole, string[]> = {
    app: [kubernetesNames.serviceAccounts.api, kubernetesNames.serviceAccounts.worker],
    backup: [kubernetesNames.serviceAccounts.backup],
};

/** The annotation that binds a Kubernetes service account to a Google service account. */
export const workloadIdentityAnnotation = "iam.gke.io/gcp-service-account";

/**
 * One Google service account per workload role, bound through Workload Identity to its Kubernetes
 * service accounts, each with only what its pods need: the app reads the database secret and connects
 * to Cloud SQL; the backup job creates objects in the backups bucket.
 *
 * The cluster must exist before the bindings: GKE creates the `<project>.svc.id.goog` identity pool.
 */
export class Identity extends pulumi.ComponentResource {
    public readonly accounts: Record<IdentityRole, gcp.serviceaccount.Account>;
    /** Annotations for the Kubernetes service accounts of each role. */
    public readonly annotations: Record<IdentityRole, pulumi.Output<Record<string, string>>>;

    constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        // Named WorkloadIdentities until both clouds took one name per concern; the alias keeps live stacks' accounts.
        super("ai-platform:gcp:Identity", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "ai-platform:gcp:WorkloadIdentities" }] });
        const { settings } = args;
        const project = settings.gcpProject!;
        const prefix = namePrefix(settings);
        const child = () => childOptions(this, opts);

        const account = (role: IdentityRole) => {
            const gsa = new gcp.serviceaccount.Account(
                `${name}-${role}`,
                { accountId: serviceAccountId(prefix, role), displayName: `ai-platform ${settings.environment} ${role} workloads`, project },
                child(),
            );
            for (const ksa of kubernetesAccountsOf[role]) {
                new gcp.serviceaccount.IAMMember(
                    `${name}-${role}-${ksa}`,
                    { serviceAccountId: gsa.name, role: "roles/iam.workloadIdentityUser", member: `serviceAccount:${project}.svc.id.goog[${kubernetesNames.appNamespace}/${ksa}]` },
                    child(),
                );
            }
            return gsa;
        };
        this.accounts = { app: account("app"), backup: account("backup") };

        new gcp.secretmanager.SecretIamMember(`${name}-app-db-secret`, { secretId: args.databaseSecret.id, role: "roles/secretmanager.secretAccessor", member: this.accounts.app.member }, child());
        new gcp.projects.IAMMember(`${name}-app-cloudsql-client`, { project, role: "roles/cloudsql.client", member: this.accounts.app.member }, child());
        new gcp.storage.BucketIAMMember(`${name}-backup-writer`, { bucket: args.backupBucket.name, role: "roles/storage.objectCreator", member: this.accounts.backup.member }, child());

        const annotate = (gsa: gcp.serviceaccount.Account) => gsa.email.apply((email): Record<string, string> => ({ [workloadIdentityAnnotation]: email }));
        this.annotations = { app: annotate(this.accounts.app), backup: annotate(this.accounts.backup) };
        this.registerOutputs({ appAccount: this.accounts.app.email, backupAccount: this.accounts.backup.email });
    }
}
