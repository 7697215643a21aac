import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { standardTags } from "../shared/naming";
import { policyDocument, type PolicyStatement } from "./iam";

/** What each customer-managed key encrypts; one key per purpose so a grant on one never opens another. */
export const keyPurposes = ["cluster", "nodes", "database", "cache", "secrets", "registry", "backups", "logs"] as const;
export type KeyPurpose = (typeof keyPurposes)[number];

const descriptions: Record<KeyPurpose, string> = {
    cluster: "EKS envelope encryption of Kubernetes secrets",
    nodes: "EBS volumes of the nodes (root disks) and of persistent volumes",
    database: "RDS storage, snapshots and Performance Insights",
    cache: "ElastiCache data at rest and snapshots",
    secrets: "Secrets Manager secrets of the database and cache",
    registry: "ECR repository of the service image",
    backups: "S3 bucket of database dumps",
    logs: "CloudWatch log groups (VPC flow logs, EKS control plane, containers, Redis slow log)",
};

export interface KeysArgs {
    /** `region` (the logs key admits CloudWatch Logs of this region only), and the description and tag parts. */
    settings: Pick<Settings, "region" | "project" | "environment" | "owner" | "costCenter" | "stack">;
    /** The account whose IAM policies decide who may use the keys. */
    accountId: pulumi.Input<string>;
    /** The account's partition (aws, aws-us-gov, aws-cn), for the key policies' ARNs. */
    partition: pulumi.Input<string>;
    /**
     * Keep keys from being deleted by `pulumi destroy`, with a 30-day deletion window instead of 7.
     * @default staging false, prod true (`protectData`, stacks/defaults.ts)
     */
    protect: boolean;
}

/**
 * The customer-managed KMS keys of the foundation, rotated yearly. Each key policy delegates to IAM
 * in this account (so role policies decide who may use it); the logs key also lets CloudWatch Logs
 * use it for this account's log groups in this region, which log-group encryption requires.
 */
export class Keys extends pulumi.ComponentResource {
    public readonly keys: Record<KeyPurpose, aws.kms.Key>;

    constructor(name: string, args: KeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:aws:Keys", name, {}, opts);
        const { settings, accountId, partition } = args;
        const rootAccess: PolicyStatement = {
            Sid: "AccountAdministersKeyThroughIam",
            Effect: "Allow",
            Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
            Action: "kms:*",
            Resource: "*",
        };
        const logsAccess: PolicyStatement = {
            Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
            Effect: "Allow",
            Principal: { Service: `logs.${settings.region}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${partition}:logs:${settings.region}:${accountId}:log-group:*` } },
        };

        // EC2 Auto Scaling launches the node group's instances with its service-linked role, which has no access to
        // customer-managed keys of its own: without these two statements nodes with encrypted volumes never start.
        // Source: https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html (2026-11).
        // The role is named by condition rather than as the principal: AWS creates it with the account's first Auto
        // Scaling group, and KMS refuses a key policy whose principal does not exist yet (a fresh account).
        const autoScalingRole = pulumi.interpolate`arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
        const asAutoScaling = { "aws:PrincipalArn": autoScalingRole, "kms:CallerAccount": accountId };
        const nodeVolumesAccess: PolicyStatement[] = [
            {
                Sid: "AutoScalingUsesKeyForNodeVolumes",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: "*",
                Condition: { StringEquals: asAutoScaling },
            },
            {
                Sid: "AutoScalingAttachesNodeVolumes",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { StringEquals: asAutoScaling, Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        ];
        const statements: Partial<Record<KeyPurpose, PolicyStatement[]>> = { logs: [logsAccess], nodes: nodeVolumesAccess };

        const keys = {} as Record<KeyPurpose, aws.kms.Key>;
        for (const purpose of keyPurposes) {
            keys[purpose] = new aws.kms.Key(
                `${name}-${purpose}`,
                {
                    description: `${settings.project} ${settings.environment}: ${descriptions[purpose]}`,
                    enableKeyRotation: true,
                    deletionWindowInDays: args.protect ? 30 : 7,
                    policy: policyDocument([rootAccess, ...(statements[purpose] ?? [])]),
                    tags: standardTags(settings, { Name: `${name}-${purpose}`, purpose }),
                },
                { parent: this, protect: args.protect },
            );
        }
        this.keys = keys;
        this.registerOutputs(Object.fromEntries(keyPurposes.map((p) => [p, keys[p].arn])));
    }
}
