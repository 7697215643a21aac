import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { foundationOutputs, kubernetesNames, type Foundation, type HelmAddon } from "../contract";
import { namePrefix } from "../shared/naming";
import { BackupBucket } from "./backupBucket";
import { BackupReplication, recoveryRegion } from "./backupReplication";
import { Budget } from "./budget";
import { Cache } from "./cache";
import { Cluster, storageClassName } from "./cluster";
import { Database } from "./database";
import { Identity, roleArnAnnotation } from "./identity";
import { Keys } from "./keys";
import { Network } from "./network";
import { Registry } from "./registry";
import { eksTenantSubjects, TenantAccess } from "./tenantAccess";

/** The AWS CLI image the backup job streams dumps to S3 with; pinned, never `latest`. */
export const awsCliImage = "public.ecr.aws/aws-cli/aws-cli:2.31.0";

/**
 * Annotations for the ingress controller's LoadBalancer Service. They address the service controller
 * EKS runs in its control plane (no AWS Load Balancer Controller to install): an NLB, spread across
 * zones, in the subnets tagged `kubernetes.io/role/elb`. Because that controller lives outside the
 * cluster's nodes, deleting the Service always removes the NLB, even while nodes are going away.
 */
export const nlbServiceAnnotations: Record<string, string> = {
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
};

export interface AwsFoundationArgs {
    /**
     * The stack's settings, but for the AI provider keys and alerting receivers, which no part of the
     * foundation uses. `protectData` decides `protect` on the data stores, keys and buckets.
     */
    settings: Omit<Settings, "providerApiKeys" | "alerting">;
}

/**
 * The AWS foundation of one environment: network, EKS, PostgreSQL, Redis, ECR and the service image,
 * the backup bucket, IRSA identities, KMS keys, and (with `backup.crossRegion`, on in prod) cross-region
 * copies of the database backups. `contract` is what every layer above consumes.
 */
export class AwsFoundation extends pulumi.ComponentResource {
    /** What every layer above consumes. */
    public readonly contract: Foundation;
    /** The customer-managed KMS keys, one per purpose. */
    public readonly keys: Keys;
    /** The VPC, its subnets, NAT, flow logs and the nodes' security group. */
    public readonly network: Network;
    /** EKS, its node group and add-ons, and the Kubernetes provider. */
    public readonly cluster: Cluster;
    /** RDS for PostgreSQL. */
    public readonly database: Database;
    /** ElastiCache for Redis. */
    public readonly cache: Cache;
    /** The ECR repository and the service image. */
    public readonly registry: Registry;
    /** The S3 bucket of database dumps (and its replica in the recovery region, with `backup.crossRegion`). */
    public readonly backups: BackupBucket;
    /** The workloads' IRSA roles. */
    public readonly identity: Identity;
    /** AWS only: cross-region copies of the RDS automated backups, with `backup.crossRegion`. */
    public readonly backupReplication?: BackupReplication;
    /** The AWS Budgets cost budget, when `budget.monthlyUsd` is set. */
    public readonly budget?: Budget;
    /** The tenants' EKS access entries. */
    public readonly tenantAccess: TenantAccess;

    constructor(name: string, args: AwsFoundationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:aws:Foundation", name, {}, opts);
        const { settings } = args;
        // What AWS would reject (regions, ranges, shapes) was refused by the settings before any component ran.
        // Data that outlives a mistaken `pulumi destroy` (prod); without it the stack tears down cleanly (staging).
        const protect = settings.protectData;
        const clusterName = namePrefix(settings);
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;

        this.keys = new Keys(`${name}-keys`, { settings, accountId, partition, protect }, { parent: this });
        const key = this.keys.keys;

        this.network = new Network(`${name}-network`, { settings, clusterName, logsKeyArn: key.logs.arn }, { parent: this });
        const net = this.network;

        this.cluster = new Cluster(
            `${name}-cluster`,
            {
                settings,
                clusterName,
                privateSubnetIds: net.privateSubnetIds,
                nodeSecurityGroupId: net.nodeSecurityGroup.id,
                secretsKeyArn: key.cluster.arn,
                nodesKeyArn: key.nodes.arn,
                logsKeyArn: key.logs.arn,
                partition,
            },
            { parent: this },
        );

        // The data stores admit the nodes' own security group by ID, so they are built alongside the cluster, not after it.
        this.database = new Database(
            `${name}-database`,
            {
                settings,
                vpcId: net.vpcId,
                privateSubnetIds: net.privateSubnetIds,
                nodeSecurityGroupId: net.nodeSecurityGroup.id,
                storageKeyArn: key.database.arn,
                secretsKeyArn: key.secrets.arn,
                partition,
                protect,
            },
            { parent: this },
        );
        this.cache = new Cache(
            `${name}-cache`,
            {
                settings,
                clusterName,
                vpcId: net.vpcId,
                privateSubnetIds: net.privateSubnetIds,
                nodeSecurityGroupId: net.nodeSecurityGroup.id,
                dataKeyArn: key.cache.arn,
                secretsKeyArn: key.secrets.arn,
                logsKeyArn: key.logs.arn,
                protect,
            },
            { parent: this },
        );
        this.registry = new Registry(`${name}-registry`, { settings, keyArn: key.registry.arn, forceDelete: !protect }, { parent: this });
        const dumpsRecoveryRegion = settings.backup.crossRegion ? recoveryRegion(settings.region, settings.backup.region) : undefined;
        this.backups = new BackupBucket(`${name}-backup`, { settings, keyArn: key.backups.arn, protect, recoveryRegion: dumpsRecoveryRegion }, { parent: this });

        this.identity = new Identity(
            `${name}-identity`,
            {
                settings,
                clusterName,
                oidcProviderArn: this.cluster.oidcProviderArn,
                oidcIssuerUrl: this.cluster.oidcIssuerUrl,
                appSecretArns: [this.database.connection.secretRef, this.cache.secretArn],
                secretsKeyArn: key.secrets.arn,
                backupBucketArn: this.backups.arn,
                backupKeyArn: key.backups.arn,
                containerLogGroupArn: this.cluster.containerLogGroup.arn,
            },
            { parent: this },
        );

        this.tenantAccess = new TenantAccess(`${name}-tenant-access`, { settings, clusterName: this.cluster.name }, { parent: this });

        if (settings.backup.crossRegion) {
            this.backupReplication = new BackupReplication(`${name}-dr`, { settings, sourceDbInstanceArn: this.database.instance.arn, protect }, { parent: this });
        }

        if (settings.budget.monthlyUsd !== undefined) this.budget = new Budget(`${name}-budget`, { settings }, { parent: this });

        const annotate = (role: aws.iam.Role) => role.arn.apply((arn): Record<string, string> => ({ [roleArnAnnotation]: arn }));
        // A dump can be as large as the database may grow; the CLI sizes multipart chunks of a stream from this.
        const maxDumpBytes = settings.database.maxStorageGb * 1024 ** 3;

        this.contract = {
            // RDS and ElastiCache sit in the private subnets; IRSA needs no metadata endpoint (and the
            // IMDS hop limit of 1 keeps pods away from the node's role).
            network: { id: net.vpcId, privateSubnetIds: net.privateSubnetIds, cidr: net.cidr, dataStoreCidrs: [net.cidr], controlPlaneCidrs: [net.cidr], workloadIdentityEgress: [] },
            cluster: {
                name: this.cluster.name,
                kubeconfig: this.cluster.kubeconfig,
                provider: this.cluster.provider,
                readyResources: this.cluster.readyResources,
                storageResources: this.cluster.storageResources,
            },
            database: this.database.connection,
            cache: this.cache.connection,
            // The registry host of the account and region (the repository URL without its path).
            image: { ref: this.registry.ref, registryUrl: this.registry.repository.repositoryUrl.apply((url) => url.split("/")[0]) },
            backups: {
                bucket: this.backups.bucketName,
                url: pulumi.interpolate`s3://${this.backups.bucketName}`,
                uploaderImage: awsCliImage,
                // A checksum on every part: S3 refuses uploads without one into a bucket with Object Lock retention.
                uploadCommand: pulumi.interpolate`aws s3 cp - "s3://${this.backups.bucketName}/$BACKUP_OBJECT" --sse aws:kms --sse-kms-key-id ${key.backups.arn} --checksum-algorithm CRC32 --expected-size ${maxDumpBytes} --only-show-errors`,
                downloadCommand: pulumi.interpolate`aws s3 cp "s3://${this.backups.bucketName}/$BACKUP_OBJECT" - --only-show-errors`,
            },
            identity: { app: annotate(this.identity.app), backup: annotate(this.identity.backup) },
            workloadIdentity: pulumi
                .all([this.cluster.oidcIssuerUrl, this.cluster.oidcProviderArn])
                .apply(([oidcIssuerUrl, oidcProviderArn]) => ({ mechanism: "eks-irsa" as const, oidcIssuerUrl, oidcProviderArn, workloadPool: "" })),
            tenantAccess: { subjects: eksTenantSubjects, dependsOn: this.tenantAccess.entries },
            addons: {
                ingressServiceAnnotations: nlbServiceAnnotations,
                providesMetricsServer: false,
                storageClass: storageClassName,
                extraReleases: [this.clusterAutoscalerRelease(settings), this.fluentBitRelease(settings)],
            },
        };

        this.registerOutputs(foundationOutputs(this.contract));
    }

    private clusterAutoscalerRelease(settings: Pick<Settings, "addons" | "region" | "cluster">): HelmAddon {
        const names = kubernetesNames.clusterAutoscaler;
        return {
            name: "cluster-autoscaler",
            namespace: names.namespace,
            chart: "cluster-autoscaler",
            repository: "https://kubernetes.github.io/autoscaler",
            version: settings.addons.clusterAutoscaler,
            values: pulumi.output({
                cloudProvider: "aws",
                awsRegion: settings.region,
                autoDiscovery: { clusterName: this.cluster.name },
                // The autoscaler's minor version must match the cluster's; the chart's default image follows
                // the chart's release, not the cluster, so it is pinned to the cluster's minor here.
                image: { tag: `v${settings.cluster.kubernetesVersion}.0` },
                rbac: { serviceAccount: { create: true, name: names.serviceAccount, annotations: { [roleArnAnnotation]: this.identity.clusterAutoscaler.arn } } },
                extraArgs: { "balance-similar-node-groups": true, "skip-nodes-with-system-pods": false, expander: "least-waste" },
            }),
        };
    }

    private fluentBitRelease(settings: Pick<Settings, "addons" | "region">): HelmAddon {
        const names = kubernetesNames.fluentBit;
        return {
            name: "aws-for-fluent-bit",
            namespace: names.namespace,
            chart: "aws-for-fluent-bit",
            repository: "https://aws.github.io/eks-charts",
            version: settings.addons.fluentBit,
            values: pulumi.output({
                serviceAccount: { create: true, name: names.serviceAccount, annotations: { [roleArnAnnotation]: this.identity.fluentBit.arn } },
                cloudWatchLogs: {
                    enabled: true,
                    region: settings.region,
                    logGroupName: this.cluster.containerLogGroup.name,
                    // One group, made (with retention and KMS) by the foundation: no per-namespace groups, no auto-creation.
                    logGroupTemplate: "",
                    autoCreateGroup: false,
                    logStreamTemplate: "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']",
                },
                cloudWatch: { enabled: false },
                firehose: { enabled: false },
                kinesis: { enabled: false },
                elasticsearch: { enabled: false },
            }),
        };
    }
}
