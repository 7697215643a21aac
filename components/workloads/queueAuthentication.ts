import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import type { Foundation } from "../contract";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, type LabelSettingKeys } from "./labels";

export interface QueueAuthenticationArgs {
    /** Governance labels. Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys>;
    /** The foundation: its cluster provider and ready resources, which every object waits for; the cache's AUTH token and CA. */
    foundation: Foundation;
    /** The app namespace. */
    namespace: pulumi.Input<string>;
    /** The KEDA release, which installs the TriggerAuthentication CRD. */
    dependsOn: pulumi.Resource[];
}

/** Names of the Secret and the TriggerAuthentication KEDA reads the queue's credentials from. */
export const queueAuthenticationNames = { secret: "keda-queue-auth", triggerAuthentication: "agent-queue" } as const;

/**
 * The credentials KEDA's Redis scaler uses to read the task queue: the cache's AUTH token and, when the
 * cache uses a private CA (Memorystore), that CA, in a Secret of their own, so KEDA never reads the
 * service's Secret with its database password and provider keys. The TriggerAuthentication maps them
 * onto the scaler's `password` and `ca` parameters; TLS itself is switched on by the trigger.
 */
export class QueueAuthentication extends pulumi.ComponentResource {
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: QueueAuthenticationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:QueueAuthentication", name, {}, opts);
        const { settings, foundation } = args;
        const { cache } = foundation;
        const labels = objectLabels(settings);

        const stringData: Record<string, pulumi.Output<string>> = { password: pulumi.secret(cache.authToken) };
        if (cache.caCertificate) stringData.ca = pulumi.secret(cache.caCertificate);
        const secret = new k8s.core.v1.Secret(
            `${name}-secret`,
            { metadata: { name: queueAuthenticationNames.secret, namespace: args.namespace, labels }, type: "Opaque", stringData },
            kubernetesOptions(this, foundation),
        );

        const authentication = new k8s.apiextensions.CustomResource(
            `${name}-trigger-authentication`,
            {
                apiVersion: "keda.sh/v1alpha1",
                kind: "TriggerAuthentication",
                metadata: { name: queueAuthenticationNames.triggerAuthentication, namespace: args.namespace, labels },
                spec: { secretTargetRef: Object.keys(stringData).map((parameter) => ({ parameter, name: queueAuthenticationNames.secret, key: parameter })) },
            },
            kubernetesOptions(this, foundation, [secret, ...args.dependsOn]),
        );
        this.name = authentication.metadata.name;
        this.registerOutputs({ name: this.name });
    }
}
