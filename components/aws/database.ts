import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Settings } from "../../stacks";
import type { Foundation } from "../contract";
import { generatedSecret } from "../shared/credentials";
import { standardTags } from "../shared/naming";
import { managedPolicyArn, serviceTrustPolicy } from "./iam";
import { dailyWindow, weeklyWindow } from "./windows";

export interface DatabaseArgs {
    /**
     * `database` (engine, class, storage, high availability, backups and their window, deletion
     * protection, name, user, port), and the snapshot name and tag parts.
     * @default database: staging db.t4g.small, 20–100 GB, single zone, backups 7 days, no deletion protection; prod db.t3.large, 100–500 GB, Multi-AZ, backups 30 days, deletion protection (stacks/defaults.ts, cloudSizing)
     */
    settings: Pick<Settings, "database" | "project" | "environment" | "owner" | "costCenter" | "stack">;
    /** The VPC of the database's security group. */
    vpcId: pulumi.Input<string>;
    /** The subnet group's subnets: the database is never in a public one. */
    privateSubnetIds: pulumi.Input<string[]>;
    /** The only security group admitted on the PostgreSQL port. */
    nodeSecurityGroupId: pulumi.Input<string>;
    /** Encrypts storage, snapshots and Performance Insights. */
    storageKeyArn: pulumi.Input<string>;
    /** Encrypts the Secrets Manager secret holding the credentials. */
    secretsKeyArn: pulumi.Input<string>;
    /** The account's partition (aws, aws-us-gov, aws-cn), for the monitoring policy's ARN. */
    partition: pulumi.Input<string>;
    /**
     * `protect` on the instance, and a 30-day recovery window on the credentials' secret instead of 7.
     * @default staging false, prod true (`protectData`, stacks/defaults.ts)
     */
    protect: boolean;
}

/**
 * RDS PostgreSQL in the private subnets, reachable only from the nodes' security group, encrypted with
 * a customer key, TLS enforced by its parameter group, with automated backups, enhanced monitoring,
 * Performance Insights and log exports. The master credentials live in Secrets Manager.
 */
export class Database extends pulumi.ComponentResource {
    public readonly instance: aws.rds.Instance;
    public readonly securityGroup: aws.ec2.SecurityGroup;
    /** How clients reach it, as the foundation contract hands it on; `secretRef` is the ARN of the Secrets Manager secret with username, password, host, port and dbname. */
    public readonly connection: Foundation["database"];

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:aws:Database", name, {}, opts);
        const { settings } = args;
        const db = settings.database;
        const tags = (extra: Record<string, string> = {}) => standardTags(settings, extra);

        const subnetGroup = new aws.rds.SubnetGroup(`${name}-subnets`, { description: "Private subnets of the agent database", subnetIds: args.privateSubnetIds, tags: tags() }, { parent: this });

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: "PostgreSQL of ai-platform: only the EKS nodes",
                ingress: [{ description: "PostgreSQL from the EKS nodes", protocol: "tcp", fromPort: db.port, toPort: db.port, securityGroups: [args.nodeSecurityGroupId] }],
                // No egress rules: the database never opens connections.
                tags: tags({ Name: `${name}-postgres` }),
            },
            { parent: this },
        );

        const parameters = new aws.rds.ParameterGroup(
            `${name}-params`,
            {
                family: `postgres${db.engineVersion}`,
                description: `PostgreSQL ${db.engineVersion} for ai-platform: TLS only`,
                parameters: [
                    { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
                    { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" },
                ],
                tags: tags(),
            },
            { parent: this },
        );

        const monitoringRole = new aws.iam.Role(
            `${name}-monitoring`,
            { assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com"), description: "RDS enhanced monitoring", tags: tags() },
            { parent: this },
        );
        const monitoringPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-monitoring`,
            { role: monitoringRole.name, policyArn: managedPolicyArn(args.partition, "service-role/AmazonRDSEnhancedMonitoringRole") },
            { parent: this },
        );

        const password = generatedSecret(`${name}-password`, { parent: this });
        const masterPassword = pulumi.secret(password.result);
        // A fresh suffix per database, so a recreated database's final snapshot never collides with an old one.
        const snapshotSuffix = new random.RandomId(`${name}-final-snapshot`, { byteLength: 4 }, { parent: this });
        const keepFinalSnapshot = db.deletionProtection;

        this.instance = new aws.rds.Instance(
            `${name}-postgres`,
            {
                engine: "postgres",
                engineVersion: db.engineVersion,
                instanceClass: db.instanceClass,
                dbName: db.name,
                username: db.username,
                password: masterPassword,
                port: db.port,
                allocatedStorage: db.storageGb,
                maxAllocatedStorage: db.maxStorageGb,
                storageType: "gp3",
                storageEncrypted: true,
                kmsKeyId: args.storageKeyArn,
                multiAz: db.highAvailability,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [this.securityGroup.id],
                parameterGroupName: parameters.name,
                publiclyAccessible: false,
                caCertIdentifier: "rds-ca-rsa2048-g1",
                backupRetentionPeriod: db.backupRetentionDays,
                backupWindow: dailyWindow(db.backupStartTime, 30),
                maintenanceWindow: weeklyWindow(db.backupStartTime, 60, 60),
                copyTagsToSnapshot: true,
                deletionProtection: db.deletionProtection,
                skipFinalSnapshot: !keepFinalSnapshot,
                finalSnapshotIdentifier: keepFinalSnapshot ? pulumi.interpolate`${settings.project}-${settings.environment}-final-${snapshotSuffix.hex}` : undefined,
                deleteAutomatedBackups: !keepFinalSnapshot,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: args.storageKeyArn,
                performanceInsightsRetentionPeriod: 7,
                monitoringInterval: 60,
                monitoringRoleArn: monitoringRole.arn,
                enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
                autoMinorVersionUpgrade: true,
                allowMajorVersionUpgrade: false,
                tags: tags({ Name: `${name}-postgres` }),
            },
            // The input names the monitoring role; RDS also needs the policy on it, or creation fails.
            { parent: this, protect: args.protect, dependsOn: [monitoringPolicy] },
        );

        const secret = new aws.secretsmanager.Secret(
            `${name}-credentials`,
            { description: "PostgreSQL credentials of ai-platform (username, password, host, port, dbname)", kmsKeyId: args.secretsKeyArn, recoveryWindowInDays: args.protect ? 30 : 7, tags: tags() },
            { parent: this },
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-credentials`,
            {
                secretId: secret.id,
                secretString: pulumi.secret(
                    pulumi.jsonStringify({ engine: "postgres", username: db.username, password: masterPassword, host: this.instance.address, port: this.instance.port, dbname: db.name }),
                ),
            },
            { parent: this },
        );
        this.connection = {
            host: this.instance.address,
            port: this.instance.port,
            name: pulumi.output(db.name),
            username: pulumi.output(db.username),
            password: masterPassword,
            secretRef: secret.arn,
        };

        this.registerOutputs({ host: this.connection.host, port: this.connection.port, secretArn: this.connection.secretRef });
    }
}
