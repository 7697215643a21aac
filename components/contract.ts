import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/**
 * The cloud-neutral contract a foundation (AWS or GCP) hands to everything above it. Workloads,
 * add-ons, observability and backups consume only this; they never import a cloud SDK and never ask
 * which cloud they run on. Anything a cloud needs to say about itself (an annotation, an add-on, a
 * CLI image) is expressed here as data.
 */
export interface Foundation {
    network: {
        /** VPC ID (AWS) or VPC network self-link / ID (GCP). */
        id: pulumi.Output<string>;
        /** Private subnet IDs (AWS) or the subnetwork ID (GCP), where nodes and data stores live. */
        privateSubnetIds: pulumi.Output<string[]>;
        /** The network's primary CIDR. */
        cidr: string;
        /**
         * Where the managed database and cache get their private addresses, for NetworkPolicy egress:
         * the VPC range on AWS (RDS, ElastiCache), the private services access range on GCP.
         */
        dataStoreCidrs: string[];
        /**
         * Node-local endpoints pods must reach to obtain their cloud identity's tokens (GKE's metadata
         * server); empty where the identity needs none (IRSA projects its token into the pod).
         */
        workloadIdentityEgress: { cidr: string; ports: number[] }[];
    };
    cluster: {
        name: pulumi.Output<string>;
        /** Kubeconfig that authenticates through the cloud CLI (no static credentials); a secret. */
        kubeconfig: pulumi.Output<string>;
        /** Provider every Kubernetes resource above the foundation is created with. */
        provider: k8s.Provider;
        /**
         * What a pod needs to be scheduled and to reach Services and DNS: the node group / node pool and
         * the networking add-ons the foundation installs. Every Kubernetes object above the foundation
         * waits for these (so it is deleted before them), since its readiness means running pods.
         */
        readyResources: pulumi.Resource[];
        /**
         * What a PersistentVolumeClaim of `addons.storageClass` needs besides the nodes: the CSI driver and
         * StorageClass the foundation installs (empty where the cluster brings its own, as GKE does). Only
         * objects that claim volumes wait for these, so nothing else waits for the storage add-on.
         */
        storageResources: pulumi.Resource[];
    };
    database: {
        host: pulumi.Output<string>;
        port: pulumi.Output<number>;
        name: pulumi.Output<string>;
        username: pulumi.Output<string>;
        /** Master / application password; always a secret. */
        password: pulumi.Output<string>;
        /** Where the password lives in the cloud's secret store (Secrets Manager ARN / Secret Manager ID). */
        secretRef: pulumi.Output<string>;
    };
    cache: {
        host: pulumi.Output<string>;
        port: pulumi.Output<number>;
        /** True when clients must speak TLS (`rediss://`). */
        tls: boolean;
        /** AUTH token; always a secret. */
        authToken: pulumi.Output<string>;
        /** PEM CA bundle clients must trust, when the cache uses a private CA (Memorystore). */
        caCertificate?: pulumi.Output<string>;
    };
    image: {
        /** Digest-pinned reference (`repo@sha256:…`) of the service image. */
        ref: pulumi.Output<string>;
    };
    backups: {
        /** Bucket name. */
        bucket: pulumi.Output<string>;
        /** Bucket URL with scheme, `s3://name` or `gs://name`. */
        url: pulumi.Output<string>;
        /** Container image with the cloud's storage CLI, pinned by tag or digest. */
        uploaderImage: string;
        /**
         * Shell command that streams stdin to `<url>/<object>`; the object key is in `$BACKUP_OBJECT`.
         * Authenticates through the pod's workload identity, never static keys.
         */
        uploadCommand: pulumi.Output<string>;
    };
    /**
     * Annotations that bind Kubernetes service accounts to their cloud identity (IRSA / Workload
     * Identity): `app` for the API and worker accounts, `backup` for the backup job's account.
     */
    identity: Record<IdentityRole, pulumi.Output<Record<string, string>>>;
    /** Cloud-specific cluster add-ons and the knobs cloud-neutral add-ons need. */
    addons: {
        /** Annotations for the ingress controller's LoadBalancer Service (e.g. NLB on AWS). */
        ingressServiceAnnotations: Record<string, string>;
        /** Whether the cloud already runs metrics-server (GKE does, EKS does not). */
        providesMetricsServer: boolean;
        /** StorageClass for persistent volumes (Prometheus, Alertmanager). */
        storageClass: string;
        /** Helm releases only this cloud needs (cluster-autoscaler and Fluent Bit on AWS), values resolved. */
        extraReleases: HelmAddon[];
    };
}

/** The cloud identities the foundation creates. */
export type IdentityRole = "app" | "backup";

/** A pinned Helm chart the foundation asks the add-ons layer to install. */
export interface HelmAddon {
    name: string;
    namespace: string;
    chart: string;
    repository: string;
    version: string;
    values: pulumi.Input<Record<string, unknown>>;
}

/** Well-known names shared by the foundation (identity bindings) and the workloads (service accounts). */
export const kubernetesNames = {
    appNamespace: "ai-agents",
    monitoringNamespace: "monitoring",
    ingressNamespace: "ingress-nginx",
    /** Kubernetes service accounts; `api` and `worker` carry the `app` identity, `backup` the `backup` one. */
    serviceAccounts: { api: "agent-api", worker: "agent-worker", backup: "agent-backup" },
    /** ConfigMap and Secret the API, worker, migration and backup pods read their environment from. */
    appConfigMap: "agent-config",
    appSecret: "agent-secrets",
    /** `app.kubernetes.io/name` of every pod of the service; `app.kubernetes.io/component` tells them apart. */
    appName: "ai-agent",
    components: { api: "api", worker: "worker", migrate: "migrate", backup: "backup" },
    clusterAutoscaler: { namespace: "kube-system", serviceAccount: "cluster-autoscaler" },
    fluentBit: { namespace: "logging", serviceAccount: "fluent-bit" },
} as const;
