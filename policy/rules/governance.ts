import { awsTypes as t } from "../lib/aws";
import { resourcePolicy } from "../lib/define";
import { isLabelledKubernetesObject } from "../lib/kubernetes";
import { requireProtect } from "../lib/protect";
import { defaultTagRequirements, tagRequirementsSchema, unmetRequirements, type TagRequirement } from "../lib/tags";
import { UNKNOWN, knownEntries, parseMaybeJson, read, readPath } from "../lib/values";
import { awsTaggableTypes } from "./generated/awsTaggable";
import { gcpLabelledTypes } from "./generated/gcpLabelled";

/**
 * Rules over every resource of a platform rather than one service: the governance tags/labels
 * (AWS, GCP and Kubernetes objects) and `protect` on the resource types that hold data. The tag and
 * label lists are generated from the pinned SDKs (policy/rules/generated/).
 */

// ---------------------------------------------------------------- AWS: protect

export const awsStatefulTypes: Readonly<Record<string, string>> = {
    "aws:rds/instance:Instance": "RDS instance",
    "aws:rds/cluster:Cluster": "RDS cluster",
    "aws:elasticache/replicationGroup:ReplicationGroup": "ElastiCache replication group",
    "aws:s3/bucket:Bucket": "S3 bucket",
    "aws:s3/bucketV2:BucketV2": "S3 bucket",
    "aws:kms/key:Key": "KMS key",
    "aws:efs/fileSystem:FileSystem": "EFS file system",
    "aws:ebs/volume:Volume": "EBS volume",
};

export const awsProtectStateful = resourcePolicy({
    name: "aws-stateful-resources-protected",
    description: "Resources that hold data carry Pulumi's `protect` option.",
    severity: "high",
    category: "durability",
    resources: Object.keys(awsStatefulTypes)
        .map((k) => k.replace(/^aws:(\w+)\/\w+:(\w+)$/, "aws.$1.$2"))
        .filter((v, i, a) => a.indexOf(v) === i)
        .join(", "),
    checks: "`opts.protect` is true, and a bucket is not `forceDestroy` (which empties it on delete).",
    seed: "000 Disaster Recovery plan; 001 Backup & Recovery",
    remediation: "Create the resource with { protect: true } and buckets with forceDestroy: false (the environment decides: prod protects its data, staging tears down).",
    validateResource: requireProtect(awsStatefulTypes, t.buckets),
});

// ---------------------------------------------------------------- AWS: tags

export const awsRequiredTags = resourcePolicy({
    name: "aws-required-tags",
    description: "Every taggable AWS resource carries the governance tags.",
    severity: "medium",
    category: "governance",
    resources: "every AWS resource whose Args have `tags` (generated list, policy/rules/generated/awsTaggable.ts)",
    checks: "`tags`, merged over the provider's `defaultTags`, have environment, project, owner or cost-center, and managed-by.",
    seed: "001 Operations › team access / cost tracking (governance tags)",
    remediation: "Pass standardTags(settings) from components/shared/naming.ts as tags, or set them once as the AWS provider's defaultTags.",
    configSchema: { properties: { requiredTags: tagRequirementsSchema(defaultTagRequirements) } },
    validateResource: (args, report) => {
        if (!awsTaggableTypes.has(args.type)) return;
        const { requiredTags } = args.getConfig<{ requiredTags: TagRequirement[] }>();
        const own = knownEntries(() => args.props.tags);
        const rawDefaults = args.provider ? read(() => args.provider!.props.defaultTags) : undefined;
        if (rawDefaults === UNKNOWN) return;
        const providerDefaults = parseMaybeJson(rawDefaults) as { tags?: Record<string, unknown> } | undefined;
        const defaults = providerDefaults && typeof providerDefaults === "object" ? knownEntries(() => providerDefaults.tags) : undefined;
        if (own.unknown || defaults?.unknown) return;
        const missing = unmetRequirements({ ...defaults?.entries, ...own.entries }, requiredTags, new Set([...own.unknownKeys, ...(defaults?.unknownKeys ?? [])]));
        if (missing.length > 0) report(`${args.type} "${args.name}" is missing tag(s) ${missing.join(", ")}.`);
    },
});

// ---------------------------------------------------------------- GCP: protect

export const gcpStatefulTypes: Readonly<Record<string, string>> = {
    "gcp:sql/databaseInstance:DatabaseInstance": "Cloud SQL instance",
    "gcp:sql/database:Database": "Cloud SQL database",
    "gcp:redis/instance:Instance": "Memorystore instance",
    "gcp:storage/bucket:Bucket": "Cloud Storage bucket",
    "gcp:kms/cryptoKey:CryptoKey": "Cloud KMS key",
    "gcp:kms/keyRing:KeyRing": "Cloud KMS key ring",
    "gcp:filestore/instance:Instance": "Filestore instance",
};

export const gcpProtectStateful = resourcePolicy({
    name: "gcp-stateful-resources-protected",
    description: "Resources that hold data carry Pulumi's `protect` option.",
    severity: "high",
    category: "durability",
    resources: "gcp.sql.DatabaseInstance, gcp.sql.Database, gcp.redis.Instance, gcp.storage.Bucket, gcp.kms.CryptoKey, gcp.kms.KeyRing, gcp.filestore.Instance",
    checks: "`opts.protect` is true, and a bucket is not `forceDestroy` (which empties it on delete).",
    seed: "000 Disaster Recovery plan; 001 Backup & Recovery",
    remediation: "Create the resource with { protect: true } (stack settings database.deletionProtection / cluster.deletionProtection decide it per environment).",
    validateResource: requireProtect(gcpStatefulTypes, ["gcp:storage/bucket:Bucket"]),
});

// ---------------------------------------------------------------- GCP: labels

export const gcpRequiredLabels = resourcePolicy({
    name: "gcp-required-labels",
    description: "Every labelled GCP resource carries the governance labels.",
    severity: "medium",
    category: "governance",
    resources: "every GCP resource with `labels` (and `effectiveLabels`), `resourceLabels` or `userLabels` (generated list, policy/rules/generated/gcpLabelled.ts)",
    checks: "The label map, merged over the provider's `defaultLabels`, has environment, project, owner or cost-center, and managed-by.",
    seed: "001 Operations › team access / cost tracking (governance labels)",
    remediation:
        "Pass standardLabels(settings) from components/shared/naming.ts as labels (resourceLabels on GKE clusters, settings.userLabels on Cloud SQL, nodeConfig.resourceLabels on node pools), or set them as the provider's defaultLabels.",
    configSchema: { properties: { requiredLabels: tagRequirementsSchema(defaultTagRequirements) } },
    validateResource: (args, report) => {
        const path = gcpLabelledTypes[args.type];
        if (path === undefined) return;
        const { requiredLabels } = args.getConfig<{ requiredLabels: TagRequirement[] }>();
        const own = knownEntries(() => readPath(args.props, path) as Record<string, unknown> | undefined);
        const rawDefaults = path === "labels" && args.provider ? read(() => args.provider!.props.defaultLabels) : undefined;
        if (own.unknown || rawDefaults === UNKNOWN) return;
        const defaults = parseMaybeJson(rawDefaults);
        const defaultEntries = defaults && typeof defaults === "object" ? knownEntries(() => defaults as Record<string, unknown>) : undefined;
        const missing = unmetRequirements({ ...defaultEntries?.entries, ...own.entries }, requiredLabels, new Set([...own.unknownKeys, ...(defaultEntries?.unknownKeys ?? [])]));
        if (missing.length > 0) report(`${args.type} "${args.name}" is missing label(s) ${missing.join(", ")} (at ${path}).`);
    },
});

// ---------------------------------------------------------------- Kubernetes: labels

export const defaultKubernetesLabelRequirements: TagRequirement[] = [
    ["environment"],
    ["project", "app.kubernetes.io/part-of"],
    ["owner", "cost-center"],
    ["managed-by", "app.kubernetes.io/managed-by"],
];

export const kubernetesRequiredLabels = resourcePolicy({
    name: "k8s-required-labels",
    description: "Every Kubernetes object the program declares carries the governance labels.",
    severity: "low",
    category: "governance",
    resources: "every Kubernetes object declared directly, CustomResources included (Helm releases, YAML/Kustomize groups and *Patch types excluded)",
    checks: "`metadata.labels` has environment, project (or app.kubernetes.io/part-of), owner or cost-center, and managed-by (or app.kubernetes.io/managed-by).",
    seed: "001 Operations › team access configured (ownership labels)",
    remediation: "Add standardLabels(settings) from components/shared/naming.ts to metadata.labels.",
    configSchema: { properties: { requiredLabels: tagRequirementsSchema(defaultKubernetesLabelRequirements) } },
    validateResource: (args, report) => {
        if (!isLabelledKubernetesObject(args.type)) return;
        const { requiredLabels: required } = args.getConfig<{ requiredLabels: TagRequirement[] }>();
        const labels = knownEntries(() => args.props.metadata?.labels);
        if (labels.unknown) return;
        const missing = unmetRequirements(labels.entries, required, labels.unknownKeys);
        if (missing.length > 0) report(`${args.type.slice(args.type.lastIndexOf(":") + 1)} "${args.name}" is missing label(s) ${missing.join(", ")}.`);
    },
});
