import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { awsRecoveryRegionPairs } from "../../stacks/facts/recoveryRegions";
import { standardTags } from "../shared/naming";

/** Where cross-region copies go when `backup.region` is not set (the settings have checked there is one). */
export const recoveryRegionPairs = awsRecoveryRegionPairs;

/** The recovery region for a primary region: the configured one, or the documented pairing (the settings have vetted both). */
export function recoveryRegion(primary: string, configured: string | undefined): string {
    return configured?.trim() || recoveryRegionPairs[primary];
}

export interface BackupReplicationArgs {
    /**
     * `region` and `backup.region` (where the copies go), `database.backupRetentionDays` (how long they
     * are kept there too), and the description and tag parts.
     * @default backup.region: unset, the region's pairing (stacks/facts/recoveryRegions.ts); database.backupRetentionDays: staging 7, prod 30 (stacks/defaults.ts)
     */
    settings: Pick<Settings, "region" | "backup" | "database" | "project" | "environment" | "owner" | "costCenter" | "stack">;
    /** ARN of the (encrypted) source DB instance. */
    sourceDbInstanceArn: pulumi.Input<string>;
    /**
     * `protect` on the recovery region's key, with a 30-day deletion window instead of 7.
     * @default staging false, prod true (`protectData`, stacks/defaults.ts)
     */
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
