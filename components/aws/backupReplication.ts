import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { standardTags } from "../shared/naming";

/**
 * Where cross-region copies go when `backup.region` is not set: a nearby region of the same
 * geography, far enough to survive a regional outage. Any other primary region must name its
 * recovery region with `ai-platform:backup.region`.
 */
export const recoveryRegionPairs: Readonly<Record<string, string>> = {
    "us-east-1": "us-west-2",
    "us-east-2": "us-west-2",
    "us-west-1": "us-east-1",
    "us-west-2": "us-east-1",
    "ca-central-1": "us-east-1",
    "eu-west-1": "eu-central-1",
    "eu-west-2": "eu-west-1",
    "eu-west-3": "eu-central-1",
    "eu-central-1": "eu-west-1",
    "eu-north-1": "eu-central-1",
    "ap-southeast-1": "ap-southeast-2",
    "ap-southeast-2": "ap-southeast-1",
    "ap-northeast-1": "ap-northeast-3",
    "ap-northeast-2": "ap-northeast-1",
    "ap-south-1": "ap-southeast-1",
    "sa-east-1": "us-east-1",
};

/** The recovery region for a primary region: the configured one, or the documented pairing. */
export function recoveryRegion(primary: string, configured: string | undefined): string {
    const region = configured?.trim() || recoveryRegionPairs[primary];
    if (!region) {
        throw new Error(
            `ai-platform:backup.region is not set and there is no default recovery region for ${primary}: ` +
                `set it with \`pulumi config set --path ai-platform:backup.region <region>\` (a region other than ${primary}), ` +
                `or turn cross-region backups off with \`pulumi config set --path ai-platform:backup.crossRegion false\``,
        );
    }
    if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) throw new Error(`ai-platform:backup.region = "${region}": must be an AWS region name such as us-west-2`);
    if (region === primary) throw new Error(`ai-platform:backup.region = "${region}": must differ from the primary region (aws:region), or the copies share its fate`);
    return region;
}

export interface BackupReplicationArgs {
    settings: Settings;
    /** ARN of the (encrypted) source DB instance. */
    sourceDbInstanceArn: pulumi.Input<string>;
    /** `protect` on the recovery region's key (prod). */
    protect: boolean;
}

/**
 * Disaster recovery of the database: automated backups (snapshots and transaction logs, so
 * point-in-time restore works there too) replicated to a second region, encrypted there with a key
 * of that region. Resources in the recovery region go through an explicit provider for it.
 */
export class BackupReplication extends pulumi.ComponentResource {
    public readonly region: string;
    public readonly key: aws.kms.Key;
    public readonly replication: aws.rds.InstanceAutomatedBackupsReplication;

    constructor(name: string, args: BackupReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:aws:BackupReplication", name, {}, opts);
        const { settings } = args;
        this.region = recoveryRegion(settings.region, settings.backup.region);
        const tags = standardTags(settings, { purpose: "disaster-recovery" });

        const provider = new aws.Provider(`${name}-${this.region}`, { region: this.region, defaultTags: { tags } }, { parent: this });
        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `${settings.project} ${settings.environment}: replicated RDS backups from ${settings.region}`,
                enableKeyRotation: true,
                deletionWindowInDays: args.protect ? 30 : 7,
                tags,
            },
            { parent: this, provider, protect: args.protect },
        );
        this.replication = new aws.rds.InstanceAutomatedBackupsReplication(
            `${name}-rds`,
            { sourceDbInstanceArn: args.sourceDbInstanceArn, kmsKeyId: this.key.arn, retentionPeriod: settings.database.backupRetentionDays },
            { parent: this, provider },
        );

        this.registerOutputs({ region: this.region, replication: this.replication.id });
    }
}
