import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation, type HelmAddon } from "../contract";
import { kubernetesOptions, objectLabels, podSecurityLabels, type PodSecurityLevel } from "./podSpec";

export interface ClusterAddonsArgs {
    settings: Settings;
    foundation: Foundation;
}

/** Chart repositories of the add-ons the workloads install themselves. */
export const chartRepositories = {
    ingressNginx: "https://kubernetes.github.io/ingress-nginx",
    certManager: "https://charts.jetstack.io",
    metricsServer: "https://kubernetes-sigs.github.io/metrics-server/",
} as const;

/** Helm release names (and so the prefix of what the charts create, e.g. the `ingress-nginx-controller` Service). */
export const releaseNames = { ingressNginx: "ingress-nginx", certManager: "cert-manager", metricsServer: "metrics-server" } as const;

export const certManagerNamespace = "cert-manager";

/** Let's Encrypt's ACME directories; an issuer whose name mentions staging uses the staging one (untrusted certificates, generous rate limits). */
export const acmeServers = {
    production: "https://acme-v02.api.letsencrypt.org/directory",
    staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
} as const;

export function acmeServerFor(clusterIssuer: string): string {
    return /staging/.test(clusterIssuer) ? acmeServers.staging : acmeServers.production;
}

/** The address to point DNS at: a load balancer's hostname (AWS NLB) or, failing that, its IP (GCP). Empty while none is assigned. */
export function loadBalancerAddress(status: k8s.types.output.core.v1.ServiceStatus | undefined): string {
    const first = status?.loadBalancer?.ingress?.[0];
    return first?.hostname ?? first?.ip ?? "";
}

/**
 * The cluster add-ons every cloud needs, as pinned Helm releases: ingress-nginx behind a cloud load
 * balancer, cert-manager with a Let's Encrypt ClusterIssuer, metrics-server where the cloud does not
 * run one, and whatever releases the foundation says its cloud needs (`addons.extraReleases`). Every
 * release is atomic (a failed install or upgrade rolls back) and time-boxed.
 *
 * Namespaces: cert-manager runs under the restricted Pod Security profile. ingress-nginx enforces
 * baseline and only audits/warns on restricted: the controller keeps its own security context, which
 * adds NET_BIND_SERVICE and, depending on the chart version, allows privilege escalation for it.
 * metrics-server goes to kube-system. The foundation's releases get their namespace created by Helm
 * without Pod Security labels (privileged), because the contract does not say what they need and log
 * collectors mount host paths.
 */
export class ClusterAddons extends pulumi.ComponentResource {
    public readonly ingressController: k8s.helm.v3.Release;
    public readonly certManager: k8s.helm.v3.Release;
    public readonly clusterIssuer: k8s.apiextensions.CustomResource;
    public readonly metricsServer?: k8s.helm.v3.Release;
    public readonly extraReleases: k8s.helm.v3.Release[];
    /** Hostname or IP of the ingress controller's load balancer, to point the API's DNS name at. */
    public readonly ingressHostname: pulumi.Output<string>;

    constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:ClusterAddons", name, {}, opts);
        const { settings, foundation } = args;
        const prod = settings.environment === "prod";
        const highlyAvailable = prod ? 2 : 1;

        const namespace = (resourceName: string, namespaceName: string, enforce: PodSecurityLevel, auditAndWarn: PodSecurityLevel) =>
            new k8s.core.v1.Namespace(
                resourceName,
                { metadata: { name: namespaceName, labels: { ...objectLabels(settings), name: namespaceName, ...podSecurityLabels(enforce, settings.cluster.kubernetesVersion, auditAndWarn) } } },
                kubernetesOptions(this, foundation),
            );

        const release = (resourceName: string, addon: HelmAddon, createNamespace: boolean, dependsOn: pulumi.Resource[] = []) => {
            // OCI charts are addressed by URL; classic repositories by name plus repository URL.
            const oci = addon.repository.startsWith("oci://");
            return new k8s.helm.v3.Release(
                resourceName,
                {
                    name: addon.name,
                    namespace: addon.namespace,
                    chart: oci ? `${addon.repository.replace(/\/$/, "")}/${addon.chart}` : addon.chart,
                    repositoryOpts: oci ? undefined : { repo: addon.repository },
                    version: addon.version,
                    values: addon.values,
                    createNamespace,
                    atomic: true,
                    cleanupOnFail: true,
                    timeout: settings.addons.timeoutSeconds,
                },
                kubernetesOptions(this, foundation, dependsOn),
            );
        };

        const ingressNamespace = namespace(`${name}-ingress-nginx`, kubernetesNames.ingressNamespace, "baseline", "restricted");
        this.ingressController = release(
            `${name}-ingress-nginx`,
            {
                name: releaseNames.ingressNginx,
                namespace: kubernetesNames.ingressNamespace,
                chart: "ingress-nginx",
                repository: chartRepositories.ingressNginx,
                version: settings.addons.ingressNginx,
                values: {
                    controller: {
                        replicaCount: highlyAvailable,
                        // The chart creates a PodDisruptionBudget with this floor once there is more than one replica.
                        minAvailable: 1,
                        ingressClass: settings.ingress.className,
                        ingressClassResource: { name: settings.ingress.className, enabled: true, default: false },
                        service: {
                            type: "LoadBalancer",
                            annotations: foundation.addons.ingressServiceAnnotations,
                            // Keeps the client's source IP, which the per-client rate limit keys on.
                            externalTrafficPolicy: "Local",
                        },
                        metrics: { enabled: true },
                        podAnnotations: { "prometheus.io/scrape": "true", "prometheus.io/port": "10254" },
                        topologySpreadConstraints: [
                            {
                                maxSkew: 1,
                                topologyKey: "topology.kubernetes.io/zone",
                                whenUnsatisfiable: "ScheduleAnyway",
                                labelSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": releaseNames.ingressNginx, "app.kubernetes.io/component": "controller" } },
                            },
                        ],
                    },
                },
            },
            false,
            [ingressNamespace],
        );

        const certManagerNs = namespace(`${name}-cert-manager`, certManagerNamespace, "restricted", "restricted");
        this.certManager = release(
            `${name}-cert-manager`,
            {
                name: releaseNames.certManager,
                namespace: certManagerNamespace,
                chart: "cert-manager",
                repository: chartRepositories.certManager,
                version: settings.addons.certManager,
                values: {
                    // CRDs come with the chart and stay when it is uninstalled (crds.keep), so certificates survive a reinstall.
                    crds: { enabled: true, keep: true },
                    replicaCount: highlyAvailable,
                    podDisruptionBudget: { enabled: prod },
                    webhook: { replicaCount: highlyAvailable, podDisruptionBudget: { enabled: prod } },
                },
            },
            false,
            // The release installs into its namespace by name, which no input carries.
            [certManagerNs],
        );

        this.clusterIssuer = new k8s.apiextensions.CustomResource(
            `${name}-cluster-issuer`,
            {
                apiVersion: "cert-manager.io/v1",
                kind: "ClusterIssuer",
                metadata: { name: settings.ingress.clusterIssuer, labels: objectLabels(settings) },
                spec: {
                    acme: {
                        server: acmeServerFor(settings.ingress.clusterIssuer),
                        email: settings.ingress.acmeEmail,
                        privateKeySecretRef: { name: `${settings.ingress.clusterIssuer}-account-key` },
                        solvers: [{ http01: { ingress: { ingressClassName: settings.ingress.className } } }],
                    },
                },
            },
            // The ClusterIssuer CRD and the webhook that admits it come with the release, which no input names.
            kubernetesOptions(this, foundation, [this.certManager]),
        );

        if (!foundation.addons.providesMetricsServer) {
            this.metricsServer = release(
                `${name}-metrics-server`,
                {
                    name: releaseNames.metricsServer,
                    namespace: "kube-system",
                    chart: "metrics-server",
                    repository: chartRepositories.metricsServer,
                    version: settings.addons.metricsServer,
                    values: { replicas: highlyAvailable, podDisruptionBudget: { enabled: prod, maxUnavailable: 1 } },
                },
                false,
            );
        }

        this.extraReleases = foundation.addons.extraReleases.map((addon) => release(`${name}-foundation-${addon.name}`, addon, true));

        // The chart names the controller's Service `<release>-controller`; `atomic` waits until its load balancer has an address.
        const controllerService = k8s.core.v1.Service.get(
            `${name}-ingress-controller-service`,
            pulumi.interpolate`${this.ingressController.status.namespace}/${this.ingressController.status.name}-controller`,
            { parent: this, provider: foundation.cluster.provider, dependsOn: [this.ingressController] },
        );
        this.ingressHostname = controllerService.status.apply(loadBalancerAddress);

        this.registerOutputs({ ingressHostname: this.ingressHostname });
    }
}
