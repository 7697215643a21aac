import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { generatedSecret } from "../shared/credentials";
import { namePrefix, standardLabels } from "../shared/naming";
import type { Settings } from "../../stacks";
import type { Foundation } from "../contract";
import { databaseBackupLocation } from "./locations";
import { childOptions } from "../shared/options";
import { fixedPorts } from "../../stacks/facts/ports";

export interface DatabaseArgs {
    /**
     * `database` (engine version, tier, storage, high availability, backups and their retention,
     * deletion protection; per-environment defaults in stacks/defaults.ts), `backup` and `region` (where
     * automated backups are kept), `cluster.maintenanceStartTime` (the weekly maintenance hour), the
     * name and label parts.
     * @default database: staging db-custom-1-3840 zonal 20 GB 7 backups, prod db-custom-4-16384 regional 100 GB 30 backups (stacks/defaults.ts, cloudSizing)
     */
    settings: Pick<Settings, "database" | "backup" | "region" | "cluster" | "project" | "environment" | "owner" | "costCenter" | "stack">;
    /** The VPC network the instance gets its private IP in. */
    networkId: pulumi.Input<string>;
    /** Name of the private services access range the instance takes its address from. */
    privateServicesRangeName: pulumi.Input<string>;
    /** The instance cannot get a private IP before the peering exists. */
    privateServicesConnection: pulumi.Resource;
    /**
     * `protect` on the instance and the database.
     * @default staging false, prod true (`protectData`, stacks/defaults.ts)
     */
    protect: boolean;
}

/** Cloud SQL listens on the standard Postgres port, whatever a client would prefer. */
export const cloudSqlPort = fixedPorts.cloudSql;

/**
 * Cloud SQL for PostgreSQL on a private IP only, TLS required, with automated backups and
 * point-in-time recovery (kept in another location when `backup.crossRegion`), plus the application's
 * database and user. The user's password is generated and kept in Secret Manager.
 */
export class Database extends pulumi.ComponentResource {
    public readonly instance: gcp.sql.DatabaseInstance;
    public readonly secret: gcp.secretmanager.Secret;
    /** How clients reach it, as the foundation contract hands it on; `secretRef` is the Secret Manager secret ID (`projects/<project>/secrets/<id>`). */
    public readonly connection: Foundation["database"];
    /** The instance's `project:region:name`, for the Cloud SQL Auth Proxy. */
    public readonly connectionName: pulumi.Output<string>;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        // Named CloudSqlDatabase until both clouds took one name per concern; the alias keeps live stacks' database.
        super("ai-platform:gcp:Database", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "ai-platform:gcp:CloudSqlDatabase" }] });
        const { settings } = args;
        const db = settings.database;
        const prefix = namePrefix(settings);
        const labels = standardLabels(settings);
        const child = (extra: pulumi.CustomResourceOptions = {}) => childOptions(this, opts, extra);
        // Cloud SQL takes a weekly hour; use the platform's maintenance hour, on Sundays.
        const hour = Number(settings.cluster.maintenanceStartTime.split(":")[0]);

        // Cloud SQL keeps a deleted instance's name reserved for about a week.
        const suffix = new random.RandomId(`${name}-suffix`, { byteLength: 2 }, child());
        this.instance = new gcp.sql.DatabaseInstance(
            `${name}-postgres`,
            {
                name: pulumi.interpolate`${prefix}-pg-${suffix.hex}`,
                region: settings.region,
                databaseVersion: `POSTGRES_${db.engineVersion}`,
                deletionProtection: db.deletionProtection,
                settings: {
                    // Postgres 16+ would default to Enterprise Plus, which takes no db-custom-* tiers.
                    edition: "ENTERPRISE",
                    tier: db.instanceClass,
                    availabilityType: db.highAvailability ? "REGIONAL" : "ZONAL",
                    diskType: "PD_SSD",
                    diskSize: db.storageGb,
                    diskAutoresize: true,
                    diskAutoresizeLimit: db.maxStorageGb,
                    deletionProtectionEnabled: db.deletionProtection,
                    retainBackupsOnDelete: db.deletionProtection,
                    ipConfiguration: {
                        ipv4Enabled: false,
                        privateNetwork: args.networkId,
                        allocatedIpRange: args.privateServicesRangeName,
                        // Encrypted connections without client certificates: the app's sslmode=require works.
                        sslMode: "ENCRYPTED_ONLY",
                    },
                    backupConfiguration: {
                        enabled: true,
                        startTime: db.backupStartTime,
                        pointInTimeRecoveryEnabled: db.pointInTimeRecovery,
                        // Enterprise edition keeps at most 7 days of write-ahead log.
                        transactionLogRetentionDays: Math.min(7, db.backupRetentionDays),
                        backupRetentionSettings: { retainedBackups: db.backupRetentionDays, retentionUnit: "COUNT" },
                        location: databaseBackupLocation(settings),
                    },
                    insightsConfig: { queryInsightsEnabled: true, queryStringLength: 1024, recordApplicationTags: true, recordClientAddress: false },
                    maintenanceWindow: { day: 7, hour, updateTrack: "stable" },
                    databaseFlags: [
                        { name: "log_checkpoints", value: "on" },
                        { name: "log_connections", value: "on" },
                        { name: "log_disconnections", value: "on" },
                        { name: "log_lock_waits", value: "on" },
                        { name: "log_temp_files", value: "0" },
                    ],
                    userLabels: labels,
                },
            },
            // The input names the network; a private IP also needs the peering, which no input names.
            child({ dependsOn: [args.privateServicesConnection], protect: args.protect }),
        );

        const database = new gcp.sql.Database(`${name}-database`, { name: db.name, instance: this.instance.name }, child({ protect: args.protect }));

        const generated = generatedSecret(`${name}-password`, child());
        const password = pulumi.secret(generated.result);
        const user = new gcp.sql.User(
            `${name}-user`,
            {
                name: db.username,
                instance: this.instance.name,
                password,
                // Postgres refuses to drop a role that owns objects; leave it with the instance.
                deletionPolicy: "ABANDON",
            },
            child(),
        );

        this.secret = new gcp.secretmanager.Secret(`${name}-password`, { secretId: `${prefix}-db-password`, replication: { auto: {} }, labels }, child());
        new gcp.secretmanager.SecretVersion(`${name}-password`, { secret: this.secret.id, secretData: password }, child());

        this.connection = { host: this.instance.privateIpAddress, port: pulumi.output(cloudSqlPort), name: database.name, username: user.name, password, secretRef: this.secret.id };
        this.connectionName = this.instance.connectionName;
        this.registerOutputs({ host: this.connection.host, port: this.connection.port, secretRef: this.connection.secretRef, connectionName: this.connectionName });
    }
}
