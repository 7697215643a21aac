import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import { awsBaseline, gcpBaseline, k8sBaseline, labels, ns, sqlSettings, tags } from "./fixtures";
import { describeViolations, edit, evaluate, provider, res, summary, unknownInput, unset, type ViolationCase } from "./helpers";

const base = k8sBaseline;

const awsCases: ViolationCase[] = [
    { policy: "aws-stateful-resources-protected", what: "a force-destroyed bucket", resources: () => edit(awsBaseline(), aws.s3.Bucket, "backups", { forceDestroy: true }) },
    {
        policy: "aws-stateful-resources-protected",
        what: "an unprotected database",
        resources: () => awsBaseline().map((r) => (r.name === "db" ? { ...r, options: { ...r.options, protect: false } } : r)),
    },
    {
        policy: "aws-required-tags",
        what: "a bucket without owner/cost-center",
        resources: () => edit(awsBaseline(), aws.s3.Bucket, "backups", { tags: { environment: "prod", project: "ai-platform", "managed-by": "pulumi" } }),
    },
    { policy: "aws-required-tags", what: "an untagged ECR repository", resources: () => unset(awsBaseline(), aws.ecr.Repository, "agent", "tags") },
];

const gcpCases: ViolationCase[] = [
    { policy: "gcp-stateful-resources-protected", what: "a force-destroyed bucket", resources: () => edit(gcpBaseline(), gcp.storage.Bucket, "backups", { forceDestroy: true }) },
    { policy: "gcp-stateful-resources-protected", what: "an unprotected Cloud SQL database", resources: () => [...gcpBaseline(), res(gcp.sql.Database, "agents", { instance: "db", name: "agents" })] },
    {
        policy: "gcp-stateful-resources-protected",
        what: "an unprotected bucket",
        resources: () => gcpBaseline().map((r) => (r.name === "backups" ? { ...r, options: { ...r.options, protect: false } } : r)),
    },
    { policy: "gcp-required-labels", what: "a bucket without labels", resources: () => unset(gcpBaseline(), gcp.storage.Bucket, "backups", "labels") },
    { policy: "gcp-required-labels", what: "a GKE cluster without resourceLabels", resources: () => unset(gcpBaseline(), gcp.container.Cluster, "gke", "resourceLabels") },
    {
        policy: "gcp-required-labels",
        what: "Cloud SQL without userLabels",
        resources: () => edit(gcpBaseline(), gcp.sql.DatabaseInstance, "db", { settings: sqlSettings({ userLabels: { environment: "prod" } }) }),
    },
];

const cases: ViolationCase[] = [
    {
        policy: "k8s-required-labels",
        what: "a ConfigMap without governance labels",
        resources: () => [...base(), res(k8s.core.v1.ConfigMap, "config", { metadata: { name: "agent-config", namespace: ns, labels: { app: "agent" } }, data: { LOG_LEVEL: "info" } })],
    },
    {
        policy: "k8s-required-labels",
        what: "a CustomResource without labels",
        resources: () => [
            ...base(),
            res(
                k8s.apiextensions.CustomResource,
                "issuer",
                { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "letsencrypt-prod" }, spec: {} },
                { type: "kubernetes:cert-manager.io/v1:ClusterIssuer" },
            ),
        ],
    },
];

describeViolations("AWS governance policies flag what they must", awsCases);

describeViolations("GCP governance policies flag what they must", gcpCases);

describeViolations("Kubernetes governance policies flag what they must", cases);

describe("AWS governance policies accept the compliant variants", () => {
    it("the provider's defaultTags count toward the required tags", async () => {
        const aws1 = provider("aws", "tagged", { region: "us-east-1", defaultTags: JSON.stringify({ tags }) });
        const encryptionConfigurations = [{ encryptionType: "KMS", kmsKey: unknownInput }];
        const repo = res(aws.ecr.Repository, "untagged", { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations }, { provider: aws1 });
        expect(summary(await evaluate([aws1, repo]))).toEqual([]);
        const bare = res(aws.ecr.Repository, "untagged", { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations });
        expect(summary(await evaluate([bare]))).toEqual(["aws-required-tags @ untagged"]);
    });

    it("non-taggable resources (a security group rule) are not asked for tags", async () => {
        const rule = res(aws.ec2.SecurityGroupRule, "internal", { type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] });
        expect(await evaluate([rule])).toEqual([]);
    });
});

describe("GCP governance policies accept the compliant variants", () => {
    it("the provider's defaultLabels count toward the required labels", async () => {
        const google = provider("gcp", "labelled", { project: "acme-agents", defaultLabels: JSON.stringify(labels) });
        const bucket = res(
            gcp.storage.Bucket,
            "logs",
            {
                location: "US",
                publicAccessPrevention: "enforced",
                uniformBucketLevelAccess: true,
                retentionPolicy: { retentionPeriod: String(30 * 86400), isLocked: true },
                encryption: { defaultKmsKeyName: "k" },
            },
            { provider: google, protect: true },
        );
        expect(summary(await evaluate([google, bucket]))).toEqual([]);
    });

    it("monitoring notification channels are judged on userLabels, not on their channel labels", async () => {
        const channel = res(gcp.monitoring.NotificationChannel, "email", { type: "email", labels: { email_address: "oncall@example.com" }, userLabels: labels });
        expect(await evaluate([channel])).toEqual([]);
    });
});
