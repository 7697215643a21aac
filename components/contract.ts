import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { TenantSettings } from "../stacks/tenants";

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
         * Where the managed control plane's calls to pods (admission webhooks, aggregated APIs) come
         * from, for NetworkPolicy ingress: on AWS the EKS control plane's cross-account ENIs, placed in
         * the cluster's subnets, so the VPC range; on GCP the Private Service Connect endpoint GKE gives
         * the control plane in the cluster's subnet, so the subnet's primary range.
         */
        controlPlaneCidrs: string[];
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
        /**
         * Where teams push their images: the ECR registry of the account and region
         * (`<account>.dkr.ecr.<region>.amazonaws.com`, one repository per image) or the Artifact
         * Registry repository (`<region>-docker.pkg.dev/<project>/<repository>`).
         */
        registryUrl: pulumi.Output<string>;
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
        /**
         * Shell command that streams `<url>/<object>` to stdout, `$BACKUP_OBJECT` naming the object; the
         * runbook runs it with an operator's credentials (the backup identity may only write).
         */
        downloadCommand: pulumi.Output<string>;
    };
    /**
     * Annotations that bind Kubernetes service accounts to their cloud identity (IRSA / Workload
     * Identity): `app` for the API and worker accounts, `backup` for the backup job's account.
     */
    identity: Record<IdentityRole, pulumi.Output<Record<string, string>>>;
    /** What another team needs to give its own pods a cloud identity (a stack output, same shape on both clouds). */
    workloadIdentity: pulumi.Output<WorkloadIdentityFacts>;
    /**
     * How a tenant's principal reaches its namespace: the RBAC subjects its `edit` RoleBinding names
     * (the access entry's Kubernetes group on EKS, the Google identity itself on GKE), and the cloud
     * resources that must exist before the binding means anything (EKS access entries).
     */
    tenantAccess: {
        subjects(tenant: TenantSettings): RbacSubject[];
        dependsOn: pulumi.Resource[];
    };
    /** Cloud-specific cluster add-ons and the knobs cloud-neutral add-ons need. */
    addons: {
        /**
         * Annotations for the public edge's L4 LoadBalancer Service (the Envoy proxy's, e.g. an NLB on
         * AWS). The load balancer must pass TCP through with the client's address (no L7, no SNAT
         * beyond what `externalTrafficPolicy: Local` keeps), so the per-client rate limit sees clients.
         */
        ingressServiceAnnotations: Record<string, string>;
        /** Whether the cloud already runs metrics-server (GKE does, EKS does not). */
        providesMetricsServer: boolean;
        /** StorageClass for persistent volumes (Prometheus, Alertmanager). */
        storageClass: string;
        /** Helm releases only this cloud needs (cluster-autoscaler and Fluent Bit on AWS), values resolved. */
        extraReleases: HelmAddon[];
    };
}

/**
 * Workload identity facts: IRSA on AWS (the cluster's OIDC issuer and IAM OIDC provider a role's trust
 * policy names), GKE Workload Identity on GCP (the pool `<project>.svc.id.goog` an IAM binding names).
 * Fields that do not apply to the cloud are empty strings, so the shape is the same on both.
 */
export interface WorkloadIdentityFacts {
    mechanism: "eks-irsa" | "gke-workload-identity";
    oidcIssuerUrl: string;
    oidcProviderArn: string;
    workloadPool: string;
}

/** An RBAC subject (rbac.authorization.k8s.io/v1 Subject). */
export interface RbacSubject {
    kind: "Group" | "User";
    name: string;
    apiGroup: "rbac.authorization.k8s.io";
}

/** The cloud identities the foundation creates. */
export type IdentityRole = "app" | "backup";

/** A pinned Helm chart the foundation asks the add-ons layer to install, through the one release builder (components/shared/helmRelease.ts): atomic and time-boxed like every release, its namespace created by Helm. */
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
    /** The label every tenant namespace carries, with the tenant's name as value. */
    tenantLabel: "ai-platform/tenant",
    /**
     * Namespaces with this label (`"true"`) may attach HTTPRoutes to the shared Gateway's HTTPS
     * listener: the app namespace and every tenant namespace, nothing else.
     */
    edgeRoutesLabel: "ai-platform/edge-routes",
    /**
     * Pods in a tenant namespace with this label (`"true"`) receive traffic from the shared Gateway's
     * proxies, on the tenant's declared ports; every other pod there gets none from the edge.
     */
    edgeBackendLabel: "ai-platform/edge-backend",
    /** Pods in a tenant namespace with this label (`"true"`) may reach the node-local workload-identity endpoints (GKE's metadata server). */
    cloudIdentityLabel: "ai-platform/cloud-identity",
    /** Pods in a tenant namespace with this label (`"true"`) may call the internal LLM gateway (docs/ai-gateway.md). */
    llmClientLabel: "ai-platform/llm-client",
    monitoringNamespace: "monitoring",
    /**
     * The public edge: Envoy Gateway's controller and the Envoy proxies it runs (in the controller's
     * namespace), and the Gateway, routes and certificate in the app namespace. Labels are the ones
     * Envoy Gateway v1.9 puts on the proxy pods (internal/infrastructure/kubernetes/proxy) and its chart on the controller.
     */
    gateway: {
        namespace: "envoy-gateway-system",
        gatewayName: "agent-edge",
        httpListener: "http",
        httpsListener: "https",
        // The owning-gateway labels keep the edge's rules (the internet on the listener ports) off the LLM gateway's proxies, which run in the same namespace.
        proxyPodLabels: {
            "app.kubernetes.io/name": "envoy",
            "app.kubernetes.io/component": "proxy",
            "app.kubernetes.io/managed-by": "envoy-gateway",
            "gateway.envoyproxy.io/owning-gateway-name": "agent-edge",
            "gateway.envoyproxy.io/owning-gateway-namespace": "ai-agents",
        },
        controllerPodLabels: { "control-plane": "envoy-gateway" },
        /** The chart's pre-install Job that writes the controller's and proxies' xDS certificates. */
        certgenPodLabels: { app: "certgen" },
        /** Envoy's Prometheus endpoint on the proxy pods (container port `metrics`). */
        proxyMetricsPort: 19001,
        proxyMetricsPath: "/stats/prometheus",
    },
    /**
     * The internal LLM gateway (Envoy AI Gateway on Envoy Gateway, docs/ai-gateway.md): its controller's
     * namespace and Service (Envoy Gateway's extension manager calls it on `controllerGrpcPort`), and the
     * namespace that holds the Gateway, the AIGatewayRoute, the provider backends and the provider keys,
     * nothing else. Its Envoy proxies run in Envoy Gateway's namespace behind the ClusterIP Service
     * `serviceName`, labelled with the owning Gateway's name.
     */
    llmGateway: {
        namespace: "llm-gateway",
        controllerNamespace: "envoy-ai-gateway-system",
        controllerService: "ai-gateway-controller",
        controllerGrpcPort: 1063,
        controllerPodLabels: { "app.kubernetes.io/name": "ai-gateway-helm" },
        gatewayName: "llm-gateway",
        routeName: "llm-models",
        serviceName: "llm-gateway",
        /** The service's listener; each tenant gets one of its own (`tenant-<name>`, components/workloads/llmGateway.ts). */
        listenerName: "http",
        listenerPort: 80,
        proxyPodLabels: { "gateway.envoyproxy.io/owning-gateway-name": "llm-gateway", "gateway.envoyproxy.io/owning-gateway-namespace": "llm-gateway" },
        /** The AI gateway's external processor beside each proxy serves the `gen_ai_*` metrics here (internal/controller/extproc_builder.go, v1.1.0). */
        metricsPortName: "aigw-admin",
        metricsPort: 1064,
        metricsPath: "/metrics",
    },
    /** Kubernetes service accounts; `api` and `worker` carry the `app` identity, `backup` the `backup` one. */
    serviceAccounts: { api: "agent-api", worker: "agent-worker", backup: "agent-backup" },
    /** ConfigMap and Secret the API, worker, migration and backup pods read their environment from. */
    appConfigMap: "agent-config",
    appSecret: "agent-secrets",
    /** `app.kubernetes.io/name` of every pod of the service; `app.kubernetes.io/component` tells them apart. */
    appName: "ai-agent",
    components: { api: "api", worker: "worker", migrate: "migrate", backup: "backup" },
    /** Namespace of KEDA, the autoscaler of the API and the worker. */
    kedaNamespace: "keda",
    /**
     * The Redis lists of the task queue: the API pushes task IDs onto `pending`, a worker moves one to
     * `processing` while it runs it. The service reads both names from its ConfigMap and the worker's
     * ScaledObject reads the same lists, so what KEDA counts is what the service queues.
     */
    taskQueue: { pending: "agent:tasks", processing: "agent:tasks:processing" },
    clusterAutoscaler: { namespace: "kube-system", serviceAccount: "cluster-autoscaler" },
    fluentBit: { namespace: "logging", serviceAccount: "fluent-bit" },
} as const;

/** What a foundation registers as its own outputs, the same keys on both clouds. */
export function foundationOutputs(contract: Foundation): pulumi.Inputs {
    return {
        vpcId: contract.network.id,
        clusterName: contract.cluster.name,
        databaseHost: contract.database.host,
        cacheHost: contract.cache.host,
        imageRef: contract.image.ref,
        backupBucket: contract.backups.bucket,
    };
}
