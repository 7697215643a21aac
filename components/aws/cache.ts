import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import type { Foundation } from "../contract";
import { generatedSecret } from "../shared/credentials";
import { standardTags } from "../shared/naming";
import { dailyWindow, weeklyWindow } from "./windows";

export interface CacheArgs {
    /**
     * `cache` (engine, node type and count, failover, snapshots, port), `database.backupStartTime` (the
     * snapshot and maintenance windows follow the database's), `observability.logRetentionDays` (the
     * slow log), and the description and tag parts.
     * @default cache: staging one cache.t4g.small node, snapshots 1 day; prod 3 cache.r6g.large nodes with failover, snapshots 7 days; slow log staging 7 days, prod 30 (stacks/defaults.ts, cloudSizing)
     */
    settings: Pick<Settings, "cache" | "database" | "observability" | "project" | "environment" | "owner" | "costCenter" | "stack">;
    /** Physical name prefix of the slow-log group. */
    clusterName: string;
    /** The VPC of the cache's security group. */
    vpcId: pulumi.Input<string>;
    /** The subnet group's subnets: the cache is never in a public one. */
    privateSubnetIds: pulumi.Input<string[]>;
    /** The only security group admitted on the Redis port. */
    nodeSecurityGroupId: pulumi.Input<string>;
    /** Encrypts the data at rest and the snapshots. */
    dataKeyArn: pulumi.Input<string>;
    /** Encrypts the Secrets Manager secret holding the AUTH token. */
    secretsKeyArn: pulumi.Input<string>;
    /** Encrypts the slow-log group. */
    logsKeyArn: pulumi.Input<string>;
    /**
     * `protect` on the replication group, and a 30-day recovery window on the token's secret instead of 7.
     * @default staging false, prod true (`protectData`, stacks/defaults.ts)
     */
    protect: boolean;
}

/** ElastiCache's parameter group family of a Redis version: "7.1" → "default.redis7". */
export function redisParameterGroup(engineVersion: string): string {
    return `default.redis${engineVersion.split(".")[0]}`;
}

/**
 * ElastiCache Redis 7 (cluster mode off) in the private subnets, reachable only from the nodes: TLS in
 * transit with an AUTH token, KMS at rest, daily snapshots, the slow log in CloudWatch. With
 * `cache.highAvailability` the replicas spread over zones with automatic failover.
 */
export class Cache extends pulumi.ComponentResource {
    public readonly replicationGroup: aws.elasticache.ReplicationGroup;
    public readonly securityGroup: aws.ec2.SecurityGroup;
    /** How clients reach it, as the foundation contract hands it on: TLS, AUTH token always a secret. */
    public readonly connection: Foundation["cache"];
    /** Secrets Manager ARN of the AUTH token. */
    public readonly secretArn: pulumi.Output<string>;

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:aws:Cache", name, {}, opts);
        const { settings } = args;
        const cache = settings.cache;
        const tags = (extra: Record<string, string> = {}) => standardTags(settings, extra);

        const subnetGroup = new aws.elasticache.SubnetGroup(`${name}-subnets`, { description: "Private subnets of the agent cache", subnetIds: args.privateSubnetIds, tags: tags() }, { parent: this });
        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: "Redis of ai-platform: only the EKS nodes",
                ingress: [{ description: "Redis from the EKS nodes", protocol: "tcp", fromPort: cache.port, toPort: cache.port, securityGroups: [args.nodeSecurityGroupId] }],
                tags: tags({ Name: `${name}-redis` }),
            },
            { parent: this },
        );

        const token = generatedSecret(`${name}-auth-token`, { parent: this });
        const authToken = pulumi.secret(token.result);

        const slowLog = new aws.cloudwatch.LogGroup(
            `${name}-slow-log`,
            { name: `/aws/elasticache/${args.clusterName}/slow-log`, retentionInDays: settings.observability.logRetentionDays, kmsKeyId: args.logsKeyArn, tags: tags() },
            { parent: this },
        );

        this.replicationGroup = new aws.elasticache.ReplicationGroup(
            `${name}-redis`,
            {
                description: `Redis of ${settings.project} ${settings.environment}: sessions, rate limits, response cache, task queue`,
                engine: "redis",
                engineVersion: cache.engineVersion,
                parameterGroupName: redisParameterGroup(cache.engineVersion),
                nodeType: cache.nodeType,
                numCacheClusters: cache.nodes,
                port: cache.port,
                automaticFailoverEnabled: cache.highAvailability,
                multiAzEnabled: cache.highAvailability,
                subnetGroupName: subnetGroup.name,
                securityGroupIds: [this.securityGroup.id],
                atRestEncryptionEnabled: true,
                kmsKeyId: args.dataKeyArn,
                transitEncryptionEnabled: true,
                authToken,
                snapshotRetentionLimit: cache.snapshotRetentionDays,
                snapshotWindow: dailyWindow(settings.database.backupStartTime, 60),
                maintenanceWindow: weeklyWindow(settings.database.backupStartTime, 120, 60),
                autoMinorVersionUpgrade: true,
                logDeliveryConfigurations: [{ destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }],
                tags: tags({ Name: `${name}-redis` }),
            },
            { parent: this, protect: args.protect },
        );
        this.connection = {
            host: this.replicationGroup.primaryEndpointAddress,
            port: this.replicationGroup.port.apply((p) => p ?? cache.port),
            tls: true,
            authToken,
        };

        const secret = new aws.secretsmanager.Secret(
            `${name}-auth-token`,
            { description: "Redis AUTH token of ai-platform", kmsKeyId: args.secretsKeyArn, recoveryWindowInDays: args.protect ? 30 : 7, tags: tags() },
            { parent: this },
        );
        new aws.secretsmanager.SecretVersion(`${name}-auth-token`, { secretId: secret.id, secretString: authToken }, { parent: this });
        this.secretArn = secret.arn;

        this.registerOutputs({ host: this.connection.host, port: this.connection.port, secretArn: this.secretArn });
    }
}
