import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { foundationOutputs, type Foundation } from "../contract";
import type { Settings } from "../../stacks";
import { BackupBucket } from "./backupBucket";
import { Budget } from "./budget";
import { Cache } from "./cache";
import { Cluster, workloadPool } from "./cluster";
import { Database } from "./database";
import { Identity } from "./identity";
import { Keys } from "./keys";
import { ClusterLogs } from "./logs";
import { Network, secondaryRangeNames } from "./network";
import { dumpBucketLocation } from "./locations";
import { Registry } from "./registry";
import { ProjectServices } from "./services";
import { gkeTenantSubjects } from "./tenantAccess";

export interface GcpFoundationArgs {
    /**
     * The stack's settings, but for the AI provider keys and alerting receivers, which no part of the
     * foundation uses. `protectData` decides `protect` on the data stores, key rings, keys and bucket.
     */
    settings: Omit<Settings, "providerApiKeys" | "alerting">;
}

/**
 * Where GKE Workload Identity serves tokens to pods: the metadata server at 169.254.169.254 (80, and
 * 8080 with Dataplane V2) and 169.254.169.252 (987, 988 where the node runs it for Calico clusters).
 */
export const gkeMetadataEndpoints = [
    { cidr: "169.254.169.254/32", ports: [80, 8080] },
    { cidr: "169.254.169.252/32", ports: [987, 988] },
];

/**
 * The GCP foundation: network, GKE, Cloud SQL, Memorystore, Artifact Registry and the service image,
 * the backup bucket and Workload Identity, handed to the layers above as the cloud-neutral
 * `Foundation` contract. Nothing above it knows it runs on GCP. Its public children carry the same
 * names as the AWS foundation's for the concerns both clouds have.
 */
export class GcpFoundation extends pulumi.ComponentResource {
    /** What every layer above consumes. */
    public readonly contract: Foundation;
    /** The Cloud KMS key ring of the region and its keys (the dumps' key may live in a second ring, with the bucket). */
    public readonly keys: Keys;
    /** The VPC, its subnetwork, Cloud NAT, private services access and firewall rules. */
    public readonly network: Network;
    /** GKE, its node pool and the Kubernetes provider. */
    public readonly cluster: Cluster;
    /** Cloud SQL for PostgreSQL. */
    public readonly database: Database;
    /** Memorystore for Redis. */
    public readonly cache: Cache;
    /** Artifact Registry and the service image. */
    public readonly registry: Registry;
    /** The Cloud Storage bucket of database dumps. */
    public readonly backups: BackupBucket;
    /** The workloads' Google service accounts, bound through Workload Identity. */
    public readonly identity: Identity;
    /** The Cloud Billing budget, when `budget.monthlyUsd` is set. */
    public readonly budget?: Budget;
    /** GCP only: the Google APIs every other part waits for. */
    public readonly services: ProjectServices;
    /** GCP only: where the cluster's logs are kept (AWS keeps them in the cluster's log groups). */
    public readonly logs: ClusterLogs;

    constructor(name: string, args: GcpFoundationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:gcp:Foundation", name, {}, opts);
        const { settings } = args;
        const project = settings.gcpProject!;
        const protectData = settings.protectData;

        this.services = new ProjectServices(`${name}-apis`, { project }, { parent: this });
        // A Google API must be on before its first call, which no input shows the engine. Every part waits
        // for all of them rather than its own few: they are enabled in parallel (about a minute for the
        // slowest), so naming each part's subset would save nothing and one missed API fails the deploy.
        const after = (...more: pulumi.Resource[]): pulumi.ComponentResourceOptions => ({ parent: this, dependsOn: [this.services, ...more] });
        const projectNumber = gcp.organizations.getProjectOutput({ projectId: project }, { parent: this }).number;

        // The dumps' key lives where the dumps bucket does: the region, or the multi-region around it.
        const dumps = dumpBucketLocation(settings);
        const dumpsElsewhere = dumps.key !== settings.region;
        this.keys = new Keys(`${name}-keys`, { settings, purposes: ["gke-secrets", "gke-nodes", "registry", ...(dumpsElsewhere ? [] : ["backups" as const])], protect: protectData }, after());
        const backupsKey = dumpsElsewhere
            ? new Keys(`${name}-keys-${dumps.key}`, { settings, purposes: ["backups"], protect: protectData, location: dumps.key }, after()).keys.backups
            : this.keys.keys.backups;
        this.network = new Network(`${name}-network`, { settings }, after());
        this.cluster = new Cluster(
            `${name}-cluster`,
            {
                settings,
                networkId: this.network.network.id,
                subnetworkId: this.network.subnetwork.id,
                podsRangeName: secondaryRangeNames.pods,
                servicesRangeName: secondaryRangeNames.services,
                nodeTag: this.network.nodeTag,
                secretsKey: this.keys.keys["gke-secrets"],
                nodesKey: this.keys.keys["gke-nodes"],
                projectNumber,
                // Pods on the private nodes pull public images through Cloud NAT; the control plane does not
                // need it, so only the node pool waits for it (the cluster starts about 40 s earlier).
                egress: [this.network.nat],
            },
            after(),
        );
        const dataStore = {
            settings,
            networkId: this.network.network.id,
            privateServicesRangeName: this.network.privateServicesRange.name,
            privateServicesConnection: this.network.privateServicesConnection,
            protect: protectData,
        };
        this.database = new Database(`${name}-database`, dataStore, after());
        this.cache = new Cache(`${name}-cache`, dataStore, after());
        this.registry = new Registry(`${name}-registry`, { settings, key: this.keys.keys.registry, projectNumber }, after());
        // `-backup`, as on AWS; the alias keeps the component (and the children named after it) of live stacks.
        this.backups = new BackupBucket(`${name}-backup`, { settings, key: backupsKey, location: dumps.bucket, protect: protectData }, { ...after(), aliases: [{ name: `${name}-backups` }] });
        this.logs = new ClusterLogs(`${name}-logs`, { settings, clusterName: this.cluster.name }, after());
        if (settings.budget.monthlyUsd !== undefined) this.budget = new Budget(`${name}-budget`, { settings, projectNumber }, after());
        this.identity = new Identity(`${name}-identity`, { settings, databaseSecret: this.database.secret, backupBucket: this.backups.bucket }, after(this.cluster.cluster));
        const { network, cluster, database, cache, registry, backups, identity } = this;

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
            database: database.connection,
            cache: cache.connection,
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
        this.registerOutputs(foundationOutputs(this.contract));
    }
}
