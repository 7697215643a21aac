/**
 * How long the clouds typically take to create each kind of resource on a first `pulumi up`, in
 * minutes: the wait from the provider's create call until the provider reports the resource ready
 * (what the engine waits for before it starts anything that depends on it). The offline plan models
 * the first deploy's duration and critical path from these figures and the program's dependencies.
 *
 * Typical, not worst case: the providers' create timeouts (Pulumi `customTimeouts`,
 * https://www.pulumi.com/docs/iac/concepts/options/customtimeouts/) are upper bounds, several times
 * these. Figures are medians of what the providers' and clouds' documentation and public reports say
 * the create calls take; quick control-plane calls (a subnet, a role, a ConfigMap) are seconds.
 *
 * Plain data without dependencies, so the settings, the policy pack and the plan can all read it.
 */

/** When the figures below were last checked. */
export const creationTimesCheckedOn = "2026-11-27";

/** A typical creation time and where the figure comes from. */
export interface CreationTime {
    minutes: number;
    source: string;
}

/** A longer or shorter figure for resources of a type whose input at `input` (a dotted path) equals `equals`. */
export interface CreationTimeVariant extends CreationTime {
    /** A dotted path into the inputs, or its keys when one holds a dot (an annotation's name). */
    input: string | readonly string[];
    equals: string | number | boolean;
}

export interface TypeCreationTime extends CreationTime {
    /** Checked in order; the first that matches the resource's inputs wins over the type's figure. */
    variants?: CreationTimeVariant[];
}

/**
 * For a type the table does not list: a plain API call that returns at once. The plan names the
 * types that fell back to it; a test keeps every type the program declares in the table.
 */
export const defaultCreationTime: CreationTime = { minutes: 0.25, source: "default for a type not in the table: one API call that returns once accepted" };

const seconds = (n: number) => Math.round((n / 60) * 1000) / 1000;

const quick = (source: string): TypeCreationTime => ({ minutes: seconds(5), source });
const apiCall = "one control-plane API call, ready when it returns (seconds)";
const iam = "IAM is eventually consistent; the provider retries until the binding is visible (seconds)";
const kubernetesObject = "one Kubernetes API call; pulumi-kubernetes considers it ready on creation (seconds)";
const helmWait = "Helm install with wait (Pulumi `helm.v3.Release` waits unless `skipAwait`): image pulls and readiness of the chart's pods";

/** Typical creation minutes per Pulumi type token. */
export const creationTimes: Record<string, TypeCreationTime> = {
    // AWS: network
    "aws:ec2/vpc:Vpc": quick(apiCall),
    "aws:ec2/subnet:Subnet": quick(apiCall),
    "aws:ec2/internetGateway:InternetGateway": quick(apiCall),
    "aws:ec2/eip:Eip": quick(apiCall),
    "aws:ec2/natGateway:NatGateway": {
        minutes: 2,
        source: "AWS VPC user guide, NAT gateways: created in `pending`, `available` after 1–3 min; the provider waits for `available`",
    },
    "aws:ec2/routeTable:RouteTable": quick(apiCall),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": quick(apiCall),
    "aws:ec2/securityGroup:SecurityGroup": quick(apiCall),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": quick(apiCall),
    "aws:ec2/vpcEndpoint:VpcEndpoint": { minutes: 1, source: "AWS PrivateLink guide: a gateway endpoint goes from `pending` to `available` within about a minute" },
    "aws:ec2/flowLog:FlowLog": quick(apiCall),
    "aws:ec2/launchTemplate:LaunchTemplate": quick(apiCall),
    "aws:cloudwatch/logGroup:LogGroup": quick(apiCall),
    // AWS: identity and keys
    "aws:iam/role:Role": { minutes: seconds(10), source: iam },
    "aws:iam/rolePolicy:RolePolicy": quick(iam),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": quick(iam),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": quick(iam),
    "aws:kms/key:Key": { minutes: seconds(10), source: "AWS KMS: CreateKey returns at once; the provider waits for the key policy to propagate (seconds)" },
    "aws:secretsmanager/secret:Secret": quick(apiCall),
    "aws:secretsmanager/secretVersion:SecretVersion": quick(apiCall),
    // AWS: cluster
    "aws:eks/cluster:Cluster": {
        minutes: 10,
        source: "Amazon EKS user guide (create cluster: 'takes several minutes'); aws/containers-roadmap#1227: control plane averaged 15 min, since reduced to about 10",
    },
    "aws:eks/nodeGroup:NodeGroup": { minutes: 4, source: "Amazon EKS managed node groups: instances launch and join, the group turns ACTIVE after 3–5 min" },
    "aws:eks/addon:Addon": { minutes: 1.5, source: "Amazon EKS add-ons: ACTIVE once the add-on's pods are ready, typically 1–2 min" },
    // AWS: data stores
    "aws:rds/instance:Instance": {
        minutes: 10,
        source: "Amazon RDS user guide: a Single-AZ PostgreSQL instance is `available` after about 8–12 min",
        variants: [{ input: "multiAz", equals: true, minutes: 18, source: "Amazon RDS Multi-AZ: the standby is created and synchronised before `available`, 15–20 min" }],
    },
    "aws:rds/parameterGroup:ParameterGroup": quick(apiCall),
    "aws:rds/subnetGroup:SubnetGroup": quick(apiCall),
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {
        minutes: 5,
        source: "Amazon RDS cross-Region automated backups: replication starts once the first snapshot is copied, several minutes",
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        minutes: 8,
        source: "Amazon ElastiCache user guide: a single-node Redis replication group is `available` after about 5–10 min",
        variants: [{ input: "automaticFailoverEnabled", equals: true, minutes: 13, source: "Amazon ElastiCache: a group with replicas and automatic failover across AZs, 10–15 min" }],
    },
    "aws:elasticache/subnetGroup:SubnetGroup": quick(apiCall),
    // AWS: registry and buckets
    "aws:ecr/repository:Repository": quick(apiCall),
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": quick(apiCall),
    "aws:s3/bucket:Bucket": quick(apiCall),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": quick(apiCall),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": quick(apiCall),
    "aws:s3/bucketPolicy:BucketPolicy": quick(apiCall),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": quick(apiCall),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": quick(apiCall),
    "aws:s3/bucketVersioning:BucketVersioning": quick(apiCall),
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": quick(apiCall),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": quick(apiCall),
    "aws:budgets/budget:Budget": quick(apiCall),

    // GCP
    "gcp:billing/budget:Budget": quick(apiCall),
    "gcp:monitoring/notificationChannel:NotificationChannel": quick(apiCall),
    "gcp:projects/service:Service": { minutes: 1, source: "Service Usage API: enabling a service is a long-running operation, typically under a minute or two" },
    "gcp:projects/iAMMember:IAMMember": { minutes: seconds(15), source: iam },
    "gcp:compute/network:Network": { minutes: 0.5, source: "Compute Engine: a custom-mode VPC network is a global operation of about 20–40 s" },
    "gcp:compute/subnetwork:Subnetwork": { minutes: 0.5, source: "Compute Engine: a subnetwork with secondary ranges, about 20–40 s" },
    "gcp:compute/firewall:Firewall": { minutes: seconds(15), source: apiCall },
    "gcp:compute/globalAddress:GlobalAddress": { minutes: seconds(15), source: apiCall },
    "gcp:compute/router:Router": { minutes: seconds(20), source: apiCall },
    "gcp:compute/routerNat:RouterNat": { minutes: 0.5, source: "Cloud NAT: updates the router, about 30 s" },
    "gcp:servicenetworking/connection:Connection": { minutes: 1.5, source: "Private services access: the peering with servicenetworking takes about 1–2 min" },
    "gcp:container/cluster:Cluster": {
        minutes: 10,
        source: "GKE: a regional cluster (three zonal control-plane replicas, the default pool created then removed) takes about 8–12 min",
    },
    "gcp:container/nodePool:NodePool": { minutes: 4, source: "GKE node pools: VMs in each of the region's zones, ready after 3–5 min" },
    "gcp:sql/databaseInstance:DatabaseInstance": {
        minutes: 10,
        source: "Cloud SQL for PostgreSQL: a zonal instance with a private IP is ready after about 8–12 min",
        variants: [{ input: "settings.availabilityType", equals: "REGIONAL", minutes: 14, source: "Cloud SQL high availability (REGIONAL): primary and standby, about 12–15 min" }],
    },
    "gcp:sql/database:Database": { minutes: seconds(20), source: "Cloud SQL admin API operation (seconds)" },
    "gcp:sql/user:User": { minutes: seconds(20), source: "Cloud SQL admin API operation (seconds)" },
    "gcp:redis/instance:Instance": {
        minutes: 5,
        source: "Memorystore for Redis: a BASIC instance is READY after about 4–6 min",
        variants: [{ input: "tier", equals: "STANDARD_HA", minutes: 8, source: "Memorystore for Redis STANDARD_HA: primary and replica in two zones, about 6–10 min" }],
    },
    "gcp:kms/keyRing:KeyRing": quick(apiCall),
    "gcp:kms/cryptoKey:CryptoKey": quick(apiCall),
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": { minutes: seconds(10), source: iam },
    "gcp:artifactregistry/repository:Repository": { minutes: seconds(10), source: apiCall },
    "gcp:storage/bucket:Bucket": quick(apiCall),
    "gcp:storage/bucketIAMMember:BucketIAMMember": { minutes: seconds(10), source: iam },
    "gcp:serviceaccount/account:Account": { minutes: seconds(10), source: iam },
    "gcp:serviceaccount/iAMMember:IAMMember": { minutes: seconds(10), source: iam },
    "gcp:secretmanager/secret:Secret": quick(apiCall),
    "gcp:secretmanager/secretVersion:SecretVersion": quick(apiCall),
    "gcp:secretmanager/secretIamMember:SecretIamMember": { minutes: seconds(10), source: iam },
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": { minutes: seconds(15), source: apiCall },
    "gcp:logging/projectSink:ProjectSink": { minutes: seconds(10), source: apiCall },

    // Both clouds
    "docker:index/image:Image": { minutes: 2, source: "building the service image from its Dockerfile and pushing it: a small Node image, about 1–3 min on a CI runner" },
    "random:index/randomId:RandomId": { minutes: 0, source: "computed locally by the provider" },
    "random:index/randomPassword:RandomPassword": { minutes: 0, source: "computed locally by the provider" },
    "pulumi:providers:aws": { minutes: 0, source: "a provider is configured, not created" },
    "pulumi:providers:gcp": { minutes: 0, source: "a provider is configured, not created" },
    "pulumi:providers:kubernetes": { minutes: 0, source: "a provider is configured, not created" },

    // Kubernetes
    "kubernetes:core/v1:Namespace": quick(kubernetesObject),
    "kubernetes:core/v1:ConfigMap": quick(kubernetesObject),
    "kubernetes:core/v1:Secret": quick(kubernetesObject),
    "kubernetes:core/v1:ServiceAccount": quick(kubernetesObject),
    "kubernetes:core/v1:Service": {
        ...quick("pulumi-kubernetes waits for a ClusterIP Service's endpoints only when pods select it; created at once"),
        variants: [{ input: "spec.type", equals: "LoadBalancer", minutes: 2.5, source: "a cloud load balancer (NLB / GCP passthrough) is provisioned before the Service has an address, 2–3 min" }],
    },
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": quick(kubernetesObject),
    "kubernetes:policy/v1:PodDisruptionBudget": quick(kubernetesObject),
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": quick(kubernetesObject),
    "kubernetes:storage.k8s.io/v1:StorageClass": quick(kubernetesObject),
    "kubernetes:batch/v1:CronJob": quick(kubernetesObject),
    "kubernetes:batch/v1:Job": { minutes: 1, source: "pulumi-kubernetes waits for the Job to complete: image pull on a fresh node plus the schema migration, about 1 min" },
    "kubernetes:apps/v1:Deployment": { minutes: 1.5, source: "pulumi-kubernetes waits for the rollout: image pulls on fresh nodes and readiness probes, 1–2 min" },
    "kubernetes:apps/v1:StatefulSet": { minutes: 2, source: "pulumi-kubernetes waits for every replica in order, with its volume" },
    "kubernetes:apps/v1:DaemonSet": { minutes: 1, source: "pulumi-kubernetes waits for a pod on every node" },
    "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition": { minutes: seconds(10), source: "pulumi-kubernetes waits for the CRD to be Established (seconds)" },
    "kubernetes:cert-manager.io/v1:ClusterIssuer": { minutes: seconds(10), source: "cert-manager registers the ACME account (seconds)" },
    "kubernetes:cert-manager.io/v1:Certificate": { minutes: 1, source: "ACME HTTP-01 issuance, about a minute once DNS points at the load balancer" },
    "kubernetes:monitoring.coreos.com/v1:PodMonitor": quick(kubernetesObject),
    "kubernetes:gateway.networking.k8s.io/v1:GatewayClass": quick("Envoy Gateway accepts the class at once"),
    "kubernetes:gateway.networking.k8s.io/v1:Gateway": {
        ...quick("without pulumi.com/waitFor pulumi-kubernetes does not wait for a Gateway (a custom resource); Envoy Gateway provisions its proxies afterwards"),
        variants: [
            {
                input: ["metadata", "annotations", "pulumi.com/waitFor"],
                equals: "condition=Programmed",
                minutes: 2.5,
                source: "the Gateway carries pulumi.com/waitFor condition=Programmed: Envoy Gateway provisions the proxy Deployment and its LoadBalancer Service, whose cloud load balancer takes 2–3 min",
            },
        ],
    },
    "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": quick(kubernetesObject),
    "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy": quick(kubernetesObject),
    "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy": quick(kubernetesObject),
    "kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy": quick(kubernetesObject),
    "kubernetes:gateway.envoyproxy.io/v1alpha1:Backend": quick(kubernetesObject),
    "kubernetes:aigateway.envoyproxy.io/v1beta1:AIGatewayRoute": quick("a custom resource without await logic in pulumi-kubernetes; the AI gateway controller writes its HTTPRoute afterwards"),
    "kubernetes:aigateway.envoyproxy.io/v1beta1:AIServiceBackend": quick(kubernetesObject),
    "kubernetes:aigateway.envoyproxy.io/v1beta1:BackendSecurityPolicy": quick(kubernetesObject),
    "kubernetes:keda.sh/v1alpha1:ScaledObject": quick("a custom resource without await logic in pulumi-kubernetes; KEDA creates its HPA afterwards"),
    "kubernetes:keda.sh/v1alpha1:TriggerAuthentication": quick(kubernetesObject),
    "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": quick(kubernetesObject),
    "kubernetes:monitoring.coreos.com/v1:PrometheusRule": quick(kubernetesObject),
    "kubernetes:helm.sh/v3:Release": {
        minutes: 1.5,
        source: `${helmWait}; a chart of one or two Deployments, 1–2 min`,
        variants: [
            { input: "chart", equals: "kube-prometheus-stack", minutes: 4, source: `${helmWait}; a dozen images, Prometheus and Alertmanager wait for their volumes to bind, 3–5 min` },
            { input: "chart", equals: "cert-manager", minutes: 2, source: `${helmWait}; three Deployments and the webhook's certificate, about 2 min` },
        ],
    },
};
