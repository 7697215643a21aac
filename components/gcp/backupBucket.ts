import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { namePrefix, standardLabels } from "../shared/naming";
import type { Settings } from "../../stacks";
import { childOptions } from "../shared/options";

export interface BackupBucketArgs {
    /**
     * `backup` (`retentionDays`, `immutable`; per-environment defaults in stacks/defaults.ts), `gcpProject`
     * (bucket names are global), the name and label parts.
     * @default backup: staging 7 days, not immutable; prod 30 days, immutable (stacks/defaults.ts)
     */
    settings: Pick<Settings, "backup" | "gcpProject" | "project" | "environment" | "owner" | "costCenter" | "stack">;
    /** Cloud KMS key objects are encrypted with by default. */
    key: gcp.kms.CryptoKey;
    /** Cloud Storage location: the region, or a multi-region when dumps must outlive the region (the key lives there too). */
    location: string;
    /**
     * `protect` on the bucket, and no force-destroy.
     * @default staging false, prod true (`protectData`, stacks/defaults.ts)
     */
    protect: boolean;
}

/** The Cloud SDK image the backup job streams dumps with: `-stable`, the minimal Debian image the Cloud SDK team recommends, has `gcloud storage`. */
export const uploaderImage = "gcr.io/google.com/cloudsdktool/google-cloud-cli:545.0.0-stable";
/** Older versions of an object kept after it is overwritten or deleted. */
export const noncurrentVersionsKept = 3;

/**
 * The Cloud Storage bucket the backup job writes to: private (uniform access, public access
 * prevention enforced), CMEK-encrypted, objects deleted after `backup.retentionDays`, in a region or
 * (with `backup.crossRegion`) a multi-region. With `backup.immutable` a locked retention policy keeps
 * every dump for its retention: nobody can delete or replace it, and the policy can only grow. Cloud
 * Storage does not allow a retention policy and Object Versioning on one bucket, so such a bucket is not
 * versioned (retention already keeps what versioning would); otherwise it is.
 */
export class BackupBucket extends pulumi.ComponentResource {
    public readonly bucket: gcp.storage.Bucket;
    public readonly name: pulumi.Output<string>;
    /** `gs://<bucket>` */
    public readonly url: pulumi.Output<string>;
    public readonly uploaderImage = uploaderImage;
    /** Streams stdin to `gs://<bucket>/$BACKUP_OBJECT` with the pod's Workload Identity. */
    public readonly uploadCommand: pulumi.Output<string>;
    /** Streams `gs://<bucket>/$BACKUP_OBJECT` to stdout. */
    public readonly downloadCommand: pulumi.Output<string>;

    constructor(name: string, args: BackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:gcp:BackupBucket", name, {}, opts);
        const { settings } = args;
        const retentionDays = settings.backup.retentionDays;
        const immutable = settings.backup.immutable;
        const child = (extra: pulumi.CustomResourceOptions = {}) => childOptions(this, opts, extra);

        // The Cloud Storage service agent encrypts objects with the key; this call also makes sure it exists.
        const storageAgent = gcp.storage.getProjectServiceAccountOutput({ project: settings.gcpProject }, { parent: this });
        const keyGrant = new gcp.kms.CryptoKeyIAMMember(`${name}-key`, { cryptoKeyId: args.key.id, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member: storageAgent.member }, child());

        this.bucket = new gcp.storage.Bucket(
            `${name}-backups`,
            {
                // Bucket names are global: the project ID keeps them unique.
                name: `${settings.gcpProject}-${namePrefix(settings)}-backups`,
                location: args.location,
                storageClass: "STANDARD",
                uniformBucketLevelAccess: true,
                publicAccessPrevention: "enforced",
                versioning: { enabled: !immutable },
                // Locked: like S3 Object Lock in compliance mode, a retention that stolen credentials cannot shorten.
                retentionPolicy: immutable ? { retentionPeriod: String(retentionDays * 24 * 3600), isLocked: true } : undefined,
                encryption: { defaultKmsKeyName: args.key.id },
                forceDestroy: !args.protect,
                lifecycleRules: [
                    // Live backups past retention go (become noncurrent, when versioned)...
                    { action: { type: "Delete" }, condition: { age: retentionDays, withState: "LIVE" } },
                    // ...and noncurrent versions go once a few newer ones exist or they are as old as the retention.
                    ...(immutable
                        ? []
                        : [
                              { action: { type: "Delete" }, condition: { numNewerVersions: noncurrentVersionsKept, withState: "ARCHIVED" } },
                              { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: retentionDays, withState: "ARCHIVED" } },
                          ]),
                ],
                labels: standardLabels(settings),
            },
            // The input names the key, not the service agent's grant on it, without which creation fails.
            // `-backups` is the dumps bucket's role word on both clouds; the alias keeps the bucket of live stacks.
            child({ dependsOn: [keyGrant], protect: args.protect, aliases: [{ name: `${name}-bucket` }] }),
        );

        this.name = this.bucket.name;
        this.url = this.bucket.url;
        this.uploadCommand = pulumi.interpolate`gcloud storage cp - "gs://${this.bucket.name}/$BACKUP_OBJECT"`;
        this.downloadCommand = pulumi.interpolate`gcloud storage cp "gs://${this.bucket.name}/$BACKUP_OBJECT" -`;
        this.registerOutputs({ name: this.name, url: this.url });
    }
}
