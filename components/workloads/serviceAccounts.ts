import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation, type IdentityRole } from "../contract";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, type LabelSettingKeys } from "./labels";

export interface ServiceAccountsArgs {
    /** Governance labels. Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys>;
    /** The foundation: its cluster provider and ready resources, which every object waits for; the cloud identities the accounts are annotated with. */
    foundation: Foundation;
    /** The app namespace. */
    namespace: pulumi.Input<string>;
}

type Account = keyof typeof kubernetesNames.serviceAccounts;

/** Which cloud identity each account is bound to. */
const identityOf: Record<Account, IdentityRole> = { api: "app", worker: "app", backup: "backup" };

/**
 * The service accounts of the API, the worker and the backup job, annotated with the cloud identity the
 * foundation created for them (IRSA role ARN / GKE Workload Identity service account). None mounts a
 * Kubernetes API token: no pod of the service calls the Kubernetes API, and the cloud identity token is
 * projected by the IRSA webhook / served by the GKE metadata server independently of the automount.
 */
export class ServiceAccounts extends pulumi.ComponentResource {
    public readonly api: pulumi.Output<string>;
    public readonly worker: pulumi.Output<string>;
    public readonly backup: pulumi.Output<string>;

    constructor(name: string, args: ServiceAccountsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:ServiceAccounts", name, {}, opts);
        const { settings, foundation } = args;

        const account = (which: Account) =>
            new k8s.core.v1.ServiceAccount(
                `${name}-${which}`,
                {
                    metadata: {
                        name: kubernetesNames.serviceAccounts[which],
                        namespace: args.namespace,
                        labels: objectLabels(settings, kubernetesNames.components[which]),
                        annotations: foundation.identity[identityOf[which]],
                    },
                    automountServiceAccountToken: false,
                },
                kubernetesOptions(this, foundation),
            ).metadata.name;

        this.api = account("api");
        this.worker = account("worker");
        this.backup = account("backup");
        this.registerOutputs({ api: this.api, worker: this.worker, backup: this.backup });
    }
}
