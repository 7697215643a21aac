import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, podSecurityLabels, type LabelSettingKeys } from "./labels";

export interface AppNamespaceArgs {
    /** Governance labels and the Kubernetes version the Pod Security labels pin (`cluster.kubernetesVersion`). Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys | "cluster">;
    /** The foundation: its cluster provider and ready resources, which every object waits for. */
    foundation: Foundation;
}

/**
 * The service's namespace. Pod Security Admission enforces, audits and warns on the restricted profile,
 * so a pod that would run as root or with extra privileges is refused at admission. The `name` label
 * lets other namespaces' NetworkPolicies select it on clusters older than the automatic
 * `kubernetes.io/metadata.name` label.
 */
export class AppNamespace extends pulumi.ComponentResource {
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: AppNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:AppNamespace", name, {}, opts);
        const { settings, foundation } = args;
        const namespaceName = kubernetesNames.appNamespace;

        const namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: namespaceName,
                    labels: {
                        ...objectLabels(settings),
                        name: namespaceName,
                        // The API's routes attach to the shared Gateway's HTTPS listener, like the tenants'.
                        [kubernetesNames.edgeRoutesLabel]: "true",
                        ...podSecurityLabels("restricted", settings.cluster.kubernetesVersion),
                    },
                },
            },
            // Named `${name}-<role>` like every child; the alias keeps the earlier bare name's state.
            kubernetesOptions(this, foundation, [], { aliases: [{ name }] }),
        );
        this.name = namespace.metadata.name;
        this.registerOutputs({ name: this.name });
    }
}
