import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { namePrefix, standardLabels } from "../shared/naming";
import { gkeRegionalClusterZones, type Settings } from "../../stacks";
import { serviceAccountId } from "./locations";
import { childOptions } from "../shared/options";
import { rbacSecurityGroup } from "./tenantAccess";

export interface ClusterArgs {
    /**
     * `cluster` (version, channel, machine shape, node counts, control-plane CIDRs, maintenance window,
     * deletion protection; per-environment defaults in stacks/defaults.ts), `tenants` (Google Groups for
     * RBAC), the name and label parts, `gcpProject` and `region`.
     * @default cluster: staging e2-custom-2-6144 nodes 1–4 REGULAR, prod n2-standard-4 nodes 2–10 STABLE with deletion protection (stacks/defaults.ts, cloudSizing)
     */
    settings: Pick<Settings, "cluster" | "tenants" | "project" | "environment" | "owner" | "costCenter" | "stack" | "gcpProject" | "region">;
    /** The VPC network the cluster is attached to. */
    networkId: pulumi.Input<string>;
    /** The regional subnetwork the nodes take addresses from. */
    subnetworkId: pulumi.Input<string>;
    /** Secondary range of the subnetwork for pods. */
    podsRangeName: string;
    /** Secondary range of the subnetwork for Services. */
    servicesRangeName: string;
    /** Network tag the firewall's health-check rule targets. */
    nodeTag: string;
    /** Cloud KMS key for application-layer encryption of Kubernetes Secrets in etcd. */
    secretsKey: gcp.kms.CryptoKey;
    /** Cloud KMS key of the nodes' boot disks (image layers, logs, pods' scratch space). */
    nodesKey: gcp.kms.CryptoKey;
    /** Project number, to name the GKE service agent. */
    projectNumber: pulumi.Input<string>;
    /**
     * How the private nodes reach the internet (the Cloud NAT). Only the node pool waits for it: the
     * control plane and the nodes' system images (Google's registries, through Private Google Access)
     * do not need it, but pods pulling public images do.
     */
    egress: pulumi.Resource[];
}

/** What the nodes may do and nothing more: write logs and metrics, read images. */
export const nodeRoles = ["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/monitoring.viewer", "roles/stackdriver.resourceMetadata.writer", "roles/artifactregistry.reader"] as const;

/** A regional cluster uses three zones of its region. */
const zonesPerRegionalCluster = gkeRegionalClusterZones;

/**
 * A regional, private-node GKE Standard cluster with Workload Identity, Dataplane V2, shielded nodes,
 * Binary Authorization and KMS-encrypted Secrets, and one autoscaling node pool run by a dedicated
 * least-privilege service account. Also builds the kubeconfig (exec through gke-gcloud-auth-plugin,
 * no static credentials) and the Kubernetes provider everything above the foundation uses.
 */
export class Cluster extends pulumi.ComponentResource {
    public readonly cluster: gcp.container.Cluster;
    public readonly nodePool: gcp.container.NodePool;
    public readonly nodeServiceAccount: gcp.serviceaccount.Account;
    public readonly name: pulumi.Output<string>;
    /** A secret, though it holds no credentials: it names the cluster's endpoint and CA. */
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly provider: k8s.Provider;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        // Named GkeCluster until both clouds took one name per concern; the alias keeps live stacks' cluster.
        super("ai-platform:gcp:Cluster", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "ai-platform:gcp:GkeCluster" }] });
        const { settings } = args;
        const c = settings.cluster;
        const prefix = namePrefix(settings);
        const project = settings.gcpProject!;
        const securityGroup = rbacSecurityGroup(settings.tenants);
        const labels = standardLabels(settings);
        const child = (extra: pulumi.CustomResourceOptions = {}) => childOptions(this, opts, extra);

        this.nodeServiceAccount = new gcp.serviceaccount.Account(`${name}-nodes`, { accountId: serviceAccountId(prefix, "nodes"), displayName: `GKE nodes of ${prefix}`, project }, child());
        const nodeRoleBindings = nodeRoles.map(
            (role) => new gcp.projects.IAMMember(`${name}-nodes-${role.split("/")[1].replace(/\./g, "-")}`, { project, role, member: this.nodeServiceAccount.member }, child()),
        );

        // GKE's own service agent encrypts and decrypts the Secrets' data keys with the KMS key.
        const secretsKeyGrant = new gcp.kms.CryptoKeyIAMMember(
            `${name}-secrets-key`,
            {
                cryptoKeyId: args.secretsKey.id,
                role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
                member: pulumi.interpolate`serviceAccount:service-${args.projectNumber}@container-engine-robot.iam.gserviceaccount.com`,
            },
            child(),
        );

        // Compute Engine creates the boot disks, on GKE's behalf, so both service agents use the nodes' key.
        // Source: https://cloud.google.com/kubernetes-engine/docs/how-to/using-cmek (2026-11).
        const serviceAgents = { gke: "container-engine-robot", compute: "compute-system" };
        const nodesKeyGrants = Object.entries(serviceAgents).map(
            ([agent, domain]) =>
                new gcp.kms.CryptoKeyIAMMember(
                    `${name}-nodes-key-${agent}`,
                    {
                        cryptoKeyId: args.nodesKey.id,
                        role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
                        member: pulumi.interpolate`serviceAccount:service-${args.projectNumber}@${domain}.iam.gserviceaccount.com`,
                    },
                    child(),
                ),
        );

        const shieldedInstanceConfig = { enableSecureBoot: true, enableIntegrityMonitoring: true };
        const nodeConfig = {
            machineType: c.machineType,
            diskSizeGb: c.diskSizeGb,
            diskType: "pd-balanced",
            bootDiskKmsKey: args.nodesKey.id,
            imageType: "COS_CONTAINERD",
            serviceAccount: this.nodeServiceAccount.email,
            // Access is governed by the service account's IAM roles, not by legacy scopes.
            oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
            shieldedInstanceConfig,
            // Pods see the GKE metadata server (Workload Identity), never the node's credentials.
            workloadMetadataConfig: { mode: "GKE_METADATA" },
            metadata: { "disable-legacy-endpoints": "true" },
            resourceLabels: labels,
            tags: [args.nodeTag],
        };

        this.cluster = new gcp.container.Cluster(
            `${name}-gke`,
            {
                name: prefix,
                project,
                location: settings.region,
                description: `ai-platform ${settings.environment}`,
                network: args.networkId,
                subnetwork: args.subnetworkId,
                networkingMode: "VPC_NATIVE",
                ipAllocationPolicy: { clusterSecondaryRangeName: args.podsRangeName, servicesSecondaryRangeName: args.servicesRangeName },
                // The default pool cannot be configured like a managed pool; it only exists while the cluster is created.
                removeDefaultNodePool: true,
                initialNodeCount: 1,
                nodeConfig,
                minMasterVersion: c.kubernetesVersion,
                releaseChannel: { channel: c.releaseChannel },
                // No public node IPs. Without a control-plane CIDR GKE connects the control plane over Private Service Connect.
                privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false },
                masterAuthorizedNetworksConfig: {
                    cidrBlocks: c.publicAccessCidrs.map((cidrBlock, i) => ({ cidrBlock, displayName: `pulumi-operators-${i + 1}` })),
                    gcpPublicCidrsAccessEnabled: false,
                },
                masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
                enableLegacyAbac: false,
                workloadIdentityConfig: { workloadPool: workloadPool(project) },
                // Google Groups for RBAC, when a tenant's principal is a group. The provider updates it in place
                // (GoogleCloudPlatform/magic-modules#6755, 2022; checked 2026-11-27), no new cluster.
                ...(securityGroup ? { authenticatorGroupsConfig: { securityGroup } } : {}),
                datapathProvider: "ADVANCED_DATAPATH",
                enableShieldedNodes: true,
                databaseEncryption: { state: "ENCRYPTED", keyName: args.secretsKey.id },
                binaryAuthorization: { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" },
                // Control-plane logs (the API server's is the audit trail the checklist asks for) besides system and workload logs.
                loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "WORKLOADS"] },
                monitoringConfig: {
                    enableComponents: ["SYSTEM_COMPONENTS", "APISERVER", "SCHEDULER", "CONTROLLER_MANAGER", "STORAGE", "POD", "DEPLOYMENT", "STATEFULSET", "DAEMONSET", "HPA"],
                    managedPrometheus: { enabled: true },
                },
                // The platform installs the Gateway API CRDs itself (Envoy Gateway's CRD chart); GKE-managed
                // ones would collide with that release.
                gatewayApiConfig: { channel: "CHANNEL_DISABLED" },
                addonsConfig: {
                    httpLoadBalancing: { disabled: false },
                    horizontalPodAutoscaling: { disabled: false },
                    gcePersistentDiskCsiDriverConfig: { enabled: true },
                },
                maintenancePolicy: { dailyMaintenanceWindow: { startTime: c.maintenanceStartTime } },
                deletionProtection: c.deletionProtection,
                resourceLabels: labels,
            },
            // The provider reads the removed default pool's config back differently from what was sent.
            // The keys are carried by the inputs, GKE's and Compute Engine's grants on them are not: without them creation fails.
            child({ dependsOn: [secretsKeyGrant, ...nodesKeyGrants], ignoreChanges: ["nodeConfig"] }),
        );

        this.nodePool = new gcp.container.NodePool(
            `${name}-pool`,
            {
                project,
                cluster: this.cluster.name,
                location: settings.region,
                // Per zone; the autoscaler owns the count afterwards.
                initialNodeCount: Math.max(1, Math.ceil(c.desiredNodes / zonesPerRegionalCluster)),
                autoscaling: { totalMinNodeCount: c.minNodes, totalMaxNodeCount: c.maxNodes, locationPolicy: "BALANCED" },
                management: { autoRepair: true, autoUpgrade: true },
                upgradeSettings: { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 },
                nodeConfig,
            },
            // initialNodeCount forces a replacement when changed. The nodes' account and boot-disk key are
            // carried by the inputs, their role bindings and key grants are not: nodes must be able to log,
            // pull and boot before they run pods; and everything above waits for this pool, so it is where
            // the pods' egress (NAT) is awaited.
            child({ dependsOn: [...nodeRoleBindings, ...nodesKeyGrants, ...args.egress], ignoreChanges: ["initialNodeCount"] }),
        );

        this.name = this.cluster.name;
        this.kubeconfig = pulumi.secret(
            pulumi
                .all([this.cluster.name, this.cluster.endpoint, this.cluster.masterAuth])
                .apply(([clusterName, endpoint, auth]) => gkeKubeconfig({ project, region: settings.region, clusterName, endpoint, caCertificate: auth.clusterCaCertificate! })),
        );
        this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { parent: this });

        this.registerOutputs({ name: this.name, kubeconfig: this.kubeconfig });
    }
}

/** The Workload Identity pool of a project: Kubernetes service accounts appear in IAM as `serviceAccount:<pool>[<namespace>/<name>]`. */
export const workloadPool = (project: string) => `${project}.svc.id.goog`;

/** A kubeconfig like `gcloud container clusters get-credentials` writes: short-lived tokens from the CLI plugin. */
export function gkeKubeconfig(a: { project: string; region: string; clusterName: string; endpoint: string; caCertificate: string }): string {
    const context = `gke_${a.project}_${a.region}_${a.clusterName}`;
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: context, cluster: { server: `https://${a.endpoint}`, "certificate-authority-data": a.caCertificate } }],
        contexts: [{ name: context, context: { cluster: context, user: context } }],
        "current-context": context,
        users: [
            {
                name: context,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "gke-gcloud-auth-plugin",
                        installHint: "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
                        provideClusterInfo: true,
                        interactiveMode: "Never",
                    },
                },
            },
        ],
    });
}
