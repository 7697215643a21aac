import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { namePrefix, standardLabels } from "../shared/naming";
import type { Settings } from "../../stacks";
import type { Foundation } from "../contract";
import { memorystoreRedisVersion } from "./locations";
import { childOptions } from "../shared/options";

export interface CacheArgs {
    /**
     * `cache` (tier, memory, nodes, Redis version; per-environment defaults in stacks/defaults.ts),
     * `cluster.maintenanceStartTime` (the weekly maintenance window), `region`, the name and label parts.
     * @default cache: staging BASIC 1 GB 1 node, prod STANDARD_HA 5 GB 3 nodes (stacks/defaults.ts, cloudSizing)
     */
    settings: Pick<Settings, "cache" | "cluster" | "region" | "project" | "environment" | "owner" | "costCenter" | "stack">;
    /** The VPC network the instance is authorized on. */
    networkId: pulumi.Input<string>;
    /** Name of the private services access range the instance takes its addresses from. */
    privateServicesRangeName: pulumi.Input<string>;
    /** The instance cannot connect over private services access before the peering exists. */
    privateServicesConnection: pulumi.Resource;
    /**
     * `protect` on the instance.
     * @default staging false, prod true (`protectData`, stacks/defaults.ts)
     */
    protect: boolean;
}

export const memorystoreTiers = ["BASIC", "STANDARD_HA"] as const;

/**
 * Memorystore for Redis 7 on private services access, with AUTH and in-transit encryption (clients
 * trust the instance's own CA, handed over as `caCertificate`). Highly available instances get read
 * replicas up to `cache.nodes` and RDB snapshots.
 */
export class Cache extends pulumi.ComponentResource {
    public readonly instance: gcp.redis.Instance;
    /** How clients reach it, as the foundation contract hands it on: port 6378 with in-transit encryption (as Memorystore assigns it), TLS against the instance's own CA. */
    public readonly connection: Foundation["cache"];

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        // Named MemorystoreCache until both clouds took one name per concern; the alias keeps live stacks' cache.
        super("ai-platform:gcp:Cache", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "ai-platform:gcp:MemorystoreCache" }] });
        const { settings } = args;
        const cache = settings.cache;
        const shape = cacheShape(cache);
        const [hours, minutes] = settings.cluster.maintenanceStartTime.split(":").map(Number);

        this.instance = new gcp.redis.Instance(
            `${name}-redis`,
            {
                name: `${namePrefix(settings)}-cache`,
                displayName: `ai-platform ${settings.environment} cache`,
                region: settings.region,
                tier: shape.tier,
                memorySizeGb: cache.memorySizeGb,
                redisVersion: memorystoreRedisVersion(cache.engineVersion),
                replicaCount: shape.replicaCount,
                readReplicasMode: shape.readReplicasMode,
                connectMode: "PRIVATE_SERVICE_ACCESS",
                authorizedNetwork: args.networkId,
                reservedIpRange: args.privateServicesRangeName,
                authEnabled: true,
                transitEncryptionMode: "SERVER_AUTHENTICATION",
                persistenceConfig: shape.snapshots ? { persistenceMode: "RDB", rdbSnapshotPeriod: "TWELVE_HOURS" } : { persistenceMode: "DISABLED" },
                maintenancePolicy: { weeklyMaintenanceWindows: [{ day: "SUNDAY", startTime: { hours, minutes } }] },
                labels: standardLabels(settings),
            },
            // The input names the network; PRIVATE_SERVICE_ACCESS also needs the peering, which no input names.
            childOptions(this, opts, { dependsOn: [args.privateServicesConnection], protect: args.protect }),
        );

        const caCertificate = this.instance.serverCaCerts.apply((certs) => {
            const cert = certs?.[0]?.cert;
            if (!cert && !pulumi.runtime.isDryRun()) throw new Error(`Memorystore instance ${name} reported no server CA certificate`);
            return cert ?? "";
        });
        this.connection = { host: this.instance.host, port: this.instance.port, tls: true, authToken: pulumi.secret(this.instance.authString), caCertificate };
        this.registerOutputs({ host: this.connection.host, port: this.connection.port });
    }
}

interface CacheShape {
    tier: (typeof memorystoreTiers)[number];
    replicaCount?: number;
    readReplicasMode?: string;
    snapshots: boolean;
}

/** The Memorystore shape `cache.*` asks for; the settings have refused shapes Memorystore would reject. */
export function cacheShape(cache: Settings["cache"]): CacheShape {
    const tier = cache.nodeType as CacheShape["tier"];
    const replicas = cache.nodes - 1;
    if (tier === "BASIC") return { tier, snapshots: false };
    // More than one replica needs read-replica mode; Memorystore fails over to a replica either way.
    return replicas > 1 ? { tier, replicaCount: replicas, readReplicasMode: "READ_REPLICAS_ENABLED", snapshots: true } : { tier, replicaCount: 1, snapshots: true };
}
