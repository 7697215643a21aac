import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { kubernetesOptions, objectLabels } from "./podSpec";

export interface IngressArgs {
    settings: Settings;
    foundation: Foundation;
    namespace: pulumi.Input<string>;
    /** The API's ClusterIP Service and the name of its HTTP port. */
    serviceName: pulumi.Input<string>;
    servicePort: string;
    /** The ingress controller (its admission webhook validates this Ingress) and the ClusterIssuer. */
    dependsOn?: pulumi.Resource[];
}

/**
 * The API's public entry: an Ingress on `ingress.domain` with a certificate from the cert-manager
 * ClusterIssuer, HTTPS forced, a per-client rate limit, a body-size cap, and read/send timeouts long
 * enough for LLM calls.
 */
export class Ingress extends pulumi.ComponentResource {
    public readonly ingress: k8s.networking.v1.Ingress;
    /** `https://<domain>`, known once the Ingress exists. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: IngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:Ingress", name, {}, opts);
        const { settings, foundation } = args;
        const { ingress } = settings;
        const component = kubernetesNames.components.api;
        const timeout = String(ingress.readTimeoutSeconds);

        this.ingress = new k8s.networking.v1.Ingress(
            name,
            {
                metadata: {
                    name: kubernetesNames.serviceAccounts.api,
                    namespace: args.namespace,
                    labels: objectLabels(settings, component),
                    annotations: {
                        "cert-manager.io/cluster-issuer": ingress.clusterIssuer,
                        "nginx.ingress.kubernetes.io/ssl-redirect": "true",
                        "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
                        "nginx.ingress.kubernetes.io/limit-rps": String(ingress.rateLimitRps),
                        "nginx.ingress.kubernetes.io/proxy-body-size": ingress.bodySize,
                        "nginx.ingress.kubernetes.io/proxy-read-timeout": timeout,
                        "nginx.ingress.kubernetes.io/proxy-send-timeout": timeout,
                    },
                },
                spec: {
                    ingressClassName: ingress.className,
                    tls: [{ hosts: [ingress.domain], secretName: `${kubernetesNames.serviceAccounts.api}-tls` }],
                    rules: [
                        {
                            host: ingress.domain,
                            http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: args.serviceName, port: { name: args.servicePort } } } }] },
                        },
                    ],
                },
            },
            kubernetesOptions(this, foundation, args.dependsOn),
        );
        this.url = this.ingress.metadata.apply(() => `https://${ingress.domain}`);
        this.registerOutputs({ url: this.url });
    }
}
