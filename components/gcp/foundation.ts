import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Foundation } from "../contract";
import type { Settings } from "../../stacks";
import { BackupBucket } from "./backups";
import { Budget } from "./budget";
import { MemorystoreCache } from "./cache";
import { GkeCluster, workloadPool } from "./cluster";
import { CloudSqlDatabase } from "./database";
import { WorkloadIdentities } from "./identity";
import { ClusterLogs } from "./logs";
import { EncryptionKeys } from "./kms";
import { Network, secondaryRangeNames } from "./network";
import { dumpBucketLocation } from "./locations";
import { ImageRegistry } from "./registry";
import { ProjectServices } from "./services";
import { gkeTenantSubjects } from "./tenantAccess";

export interface GcpFoundationArgs {
    settings: Settings;
}

/**
 * The GCP foundation: network, GKE, Cloud SQL, Memorystore, Artifact Registry and the service image,
 * the backups bucket and Workload Identity, handed to the layers above as the cloud-neutral
 * `Foundation` contract. Nothing above it knows it runs on GCP.
 */
/**
 * Where GKE Workload Identity serves tokens to pods: the metadata server at 169.254.169.254 (80, and
 * 8080 with Dataplane V2) and 169.254.169.252 (987, 988 where the node runs it for Calico clusters).
 */
export const gkeMetadataEndpoints = [
    { cidr: "169.254.169.254/32", ports: [80, 8080] },
    { cidr: "169.254.169.252/32", ports: [987, 988] },
];

export class GcpFoundation extends pulumi.ComponentResource {
    public readonly contract: Foundation;

    constructor(name: string, args: GcpFoundationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:gcp:Foundation", name, {}, opts);
        const { settings } = args;
        const project = settings.gcpProject!;
        // Data that cannot be re-created is protected from `pulumi destroy` and replacements in prod.
        const protectData = settings.environment === "prod";

        const apis = new ProjectServices(`${name}-apis`, { project }, { parent: this });
        // A Google API must be on before its first call, which no input shows the engine. Every part waits
        // for all of them rather than its own few: they are enabled in parallel (about a minute for the
        // slowest), so naming each part's subset would save nothing and one missed API fails the deploy.
        const after = (...more: pulumi.Resource[]): pulumi.ComponentResourceOptions => ({ parent: this, dependsOn: [apis, ...more] });
        const projectNumber = gcp.organizations.getProjectOutput({ projectId: project }, { parent: this }).number;

        // The dumps' key lives where the dumps bucket does: the region, or the multi-region around it.
        const dumps = dumpBucketLocation(settings);
        const dumpsElsewhere = dumps.key !== settings.region;
        const keys = new EncryptionKeys(
            `${name}-keys`,
            { settings, purposes: ["gke-secrets", "gke-nodes", "registry", ...(dumpsElsewhere ? [] : ["backups" as const])], protect: protectData },
            after(),
        );
        const backupsKey = dumpsElsewhere
            ? new EncryptionKeys(`${name}-keys-${dumps.key}`, { settings, purposes: ["backups"], protect: protectData, location: dumps.key }, after()).keys.backups
            : keys.keys.backups;
        const network = new Network(`${name}-network`, { settings }, after());
        const cluster = new GkeCluster(
            `${name}-cluster`,
            {
                settings,
                networkId: network.network.id,
                subnetworkId: network.subnetwork.id,
                podsRangeName: secondaryRangeNames.pods,
                servicesRangeName: secondaryRangeNames.services,
                nodeTag: network.nodeTag,
                secretsKey: keys.keys["gke-secrets"],
                nodesKey: keys.keys["gke-nodes"],
                projectNumber,
                // Pods on the private nodes pull public images through Cloud NAT; the control plane does not
                // need it, so only the node pool waits for it (the cluster starts about 40 s earlier).
                egress: [network.nat],
            },
            after(),
        );
        const dataStore = {
            settings,
            networkId: network.network.id,
            privateServicesRangeName: network.privateServicesRange.name,
            privateServicesConnection: network.privateServicesConnection,
            protect: protectData,
        };
        const database = new CloudSqlDatabase(`${name}-database`, dataStore, after());
        const cache = new MemorystoreCache(`${name}-cache`, dataStore, after());
        const registry = new ImageRegistry(`${name}-registry`, { settings, key: keys.keys.registry, projectNumber }, after());
        const backups = new BackupBucket(`${name}-backups`, { settings, key: backupsKey, location: dumps.bucket, protect: protectData }, after());
        new ClusterLogs(`${name}-logs`, { settings, clusterName: cluster.name }, after());
        if (settings.budget.monthlyUsd !== undefined) new Budget(`${name}-budget`, { settings, projectNumber }, after());
        const identity = new WorkloadIdentities(`${name}-identity`, { settings, databaseSecret: database.secret, backupBucket: backups.bucket }, after(cluster.cluster));

        this.contract = {
            network: {
                id: network.network.id,
                privateSubnetIds: pulumi.output(network.subnetwork.id).apply((id) => [id]),
                cidr: settings.network.cidr,
                // Cloud SQL and Memorystore get addresses from the private services access range.
                dataStoreCidrs: [settings.network.privateServicesCidr],
                // The cluster sets no control-plane CIDR, so GKE connects its control plane over Private
                // Service Connect, with an endpoint address from the nodes' subnet.
                controlPlaneCidrs: [settings.network.cidr],
                workloadIdentityEgress: gkeMetadataEndpoints,
            },
            cluster: { name: cluster.name, kubeconfig: cluster.kubeconfig, provider: cluster.provider, readyResources: [cluster.nodePool], storageResources: [] },
            database: {
                host: database.host,
                port: database.port,
                name: database.name,
                username: database.username,
                password: database.password,
                secretRef: database.secretRef,
            },
            cache: { host: cache.host, port: cache.port, tls: true, authToken: cache.authToken, caCertificate: cache.caCertificate },
            image: { ref: registry.image.ref, registryUrl: registry.repository.registryUri },
            backups: { bucket: backups.name, url: backups.url, uploaderImage: backups.uploaderImage, uploadCommand: backups.uploadCommand, downloadCommand: backups.downloadCommand },
            identity: identity.annotations,
            workloadIdentity: pulumi.output({ mechanism: "gke-workload-identity" as const, oidcIssuerUrl: "", oidcProviderArn: "", workloadPool: workloadPool(project) }),
            // GKE authenticates Google identities itself: nothing to create per tenant.
            tenantAccess: { subjects: gkeTenantSubjects, dependsOn: [] },
            addons: {
                // The Envoy proxies behind GKE's default external passthrough Network Load Balancer need no annotation.
                ingressServiceAnnotations: {},
                providesMetricsServer: true,
                storageClass: "standard-rwo",
                // GKE autoscales node pools and ships logs to Cloud Logging itself.
                extraReleases: [],
            },
        };
        this.registerOutputs({ vpcId: this.contract.network.id, clusterName: this.contract.cluster.name, imageRef: this.contract.image.ref });
    }
}
