import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames } from "../contract";
import { standardTags } from "../shared/naming";
import { irsaTrustPolicy, policyDocument, serviceAccountSubject, type PolicyStatement } from "./iam";

export interface IdentityArgs {
    /** `region` (the KMS `kms:ViaService` conditions) and the tag parts. */
    settings: Pick<Settings, "region" | "project" | "environment" | "owner" | "costCenter" | "stack">;
    /** The EKS cluster whose node groups' Auto Scaling groups the cluster-autoscaler may resize (by their tag). */
    clusterName: string;
    /** The cluster's IRSA OIDC provider, the only one every role trusts. */
    oidcProviderArn: pulumi.Input<string>;
    /** Its issuer, whose `sub` and `aud` claims the trust policies pin. */
    oidcIssuerUrl: pulumi.Input<string>;
    /** Secrets Manager secrets the app may read (database and cache credentials). */
    appSecretArns: pulumi.Input<string>[];
    /** The key of those secrets, which the app may decrypt through Secrets Manager only. */
    secretsKeyArn: pulumi.Input<string>;
    /** The bucket the backup job writes dumps into. */
    backupBucketArn: pulumi.Input<string>;
    /** The dumps' key, which the backup job may encrypt with through S3 only. */
    backupKeyArn: pulumi.Input<string>;
    /** The log group Fluent Bit ships container logs to. */
    containerLogGroupArn: pulumi.Input<string>;
}

/** The IRSA annotation that binds a Kubernetes service account to an IAM role. */
export const roleArnAnnotation = "eks.amazonaws.com/role-arn";

/**
 * IRSA roles, one per workload identity, each trusted only by its service accounts on this cluster
 * and allowed only what that workload does: the app reads its two secrets, the backup job writes
 * dumps into the bucket, cluster-autoscaler resizes this cluster's node groups, Fluent Bit writes to
 * its log group.
 */
export class Identity extends pulumi.ComponentResource {
    public readonly app: aws.iam.Role;
    public readonly backup: aws.iam.Role;
    public readonly clusterAutoscaler: aws.iam.Role;
    public readonly fluentBit: aws.iam.Role;

    constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:aws:Identity", name, {}, opts);
        const { settings, clusterName } = args;
        const names = kubernetesNames;
        const region = settings.region;

        const role = (suffix: string, subjects: string[], statements: PolicyStatement[]) => {
            const r = new aws.iam.Role(
                `${name}-${suffix}`,
                { assumeRolePolicy: irsaTrustPolicy(args.oidcProviderArn, args.oidcIssuerUrl, subjects), description: `IRSA for ${subjects.join(", ")}`, tags: standardTags(settings) },
                { parent: this },
            );
            new aws.iam.RolePolicy(`${name}-${suffix}`, { role: r.id, policy: policyDocument(statements) }, { parent: this });
            return r;
        };

        this.app = role(
            "app",
            [serviceAccountSubject(names.appNamespace, names.serviceAccounts.api), serviceAccountSubject(names.appNamespace, names.serviceAccounts.worker)],
            [
                { Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: args.appSecretArns },
                {
                    Sid: "DecryptOwnSecrets",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: args.secretsKeyArn,
                    Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
                },
            ],
        );

        this.backup = role(
            "backup",
            [serviceAccountSubject(names.appNamespace, names.serviceAccounts.backup)],
            [
                // Write-only: a compromised backup job can add dumps but not read or delete them (versioning keeps overwritten ones).
                { Sid: "WriteDumps", Effect: "Allow", Action: ["s3:PutObject", "s3:AbortMultipartUpload"], Resource: pulumi.interpolate`${args.backupBucketArn}/*` },
                {
                    Sid: "EncryptDumps",
                    Effect: "Allow",
                    // Decrypt too: S3 needs it to complete a multipart upload, which a streamed dump always is.
                    Action: ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"],
                    Resource: args.backupKeyArn,
                    Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
                },
            ],
        );

        this.clusterAutoscaler = role(
            "cluster-autoscaler",
            [serviceAccountSubject(names.clusterAutoscaler.namespace, names.clusterAutoscaler.serviceAccount)],
            [
                {
                    Sid: "DiscoverNodeGroups",
                    Effect: "Allow",
                    Action: [
                        "autoscaling:DescribeAutoScalingGroups",
                        "autoscaling:DescribeAutoScalingInstances",
                        "autoscaling:DescribeLaunchConfigurations",
                        "autoscaling:DescribeScalingActivities",
                        "autoscaling:DescribeTags",
                        "ec2:DescribeImages",
                        "ec2:DescribeInstanceTypes",
                        "ec2:DescribeLaunchTemplateVersions",
                        "ec2:GetInstanceTypesFromInstanceRequirements",
                        "eks:DescribeNodegroup",
                    ],
                    Resource: "*",
                },
                {
                    Sid: "ResizeOnlyThisClustersGroups",
                    Effect: "Allow",
                    Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                    Resource: "*",
                    // EKS tags the Auto Scaling groups of its managed node groups this way.
                    Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
                },
            ],
        );

        this.fluentBit = role(
            "fluent-bit",
            [serviceAccountSubject(names.fluentBit.namespace, names.fluentBit.serviceAccount)],
            [
                {
                    Sid: "ShipContainerLogs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: [args.containerLogGroupArn, pulumi.interpolate`${args.containerLogGroupArn}:*`],
                },
            ],
        );

        this.registerOutputs({ app: this.app.arn, backup: this.backup.arn, clusterAutoscaler: this.clusterAutoscaler.arn, fluentBit: this.fluentBit.arn });
    }
}
