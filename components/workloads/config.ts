import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import { llmGatewayBaseUrl } from "./llmGateway";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, type LabelSettingKeys } from "./labels";

export interface AppConfigArgs {
    /** Governance labels and the service's environment (`app`, and `worker.terminationGracePeriodSeconds` for the drain time). Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys | "app" | "worker">;
    /** The foundation: its cluster provider and ready resources, which every object waits for; the database and cache whose connection strings go into the Secret. */
    foundation: Foundation;
    /** The app namespace. */
    namespace: pulumi.Input<string>;
}

/** Redis database of the task queue (and everything else the service keeps in Redis). */
export const queueDatabase = 0;

/** Seconds a terminating worker keeps for handing its task back and closing its connections, after it stops waiting for the task. */
export const workerShutdownMarginSeconds = 15;

/** The service settings every pod reads, as environment variables. Nothing secret goes here. */
export function serviceEnvironment(settings: Pick<Settings, "environment" | "app" | "worker">): Record<string, string> {
    const app = settings.app;
    return {
        ENVIRONMENT: settings.environment,
        LOG_LEVEL: app.logLevel,
        DEFAULT_MODEL: app.defaultModel,
        MAX_CONCURRENT_AGENTS: String(app.maxConcurrentAgents),
        RESPONSE_TIMEOUT_SECONDS: String(app.responseTimeoutSeconds),
        LLM_RETRIES: String(app.llmRetries),
        CACHE_TTL_SECONDS: String(app.cacheTtlSeconds),
        RATE_LIMIT_PER_MINUTE: String(app.rateLimitPerMinute),
        PORT: String(app.port),
        METRICS_PORT: String(app.metricsPort),
        WORKER_HEARTBEAT_FILE: app.workerHeartbeatFile,
        TASK_QUEUE: kubernetesNames.taskQueue.pending,
        TASK_QUEUE_PROCESSING: kubernetesNames.taskQueue.processing,
        // The internal LLM gateway, which adds the provider's key: the service holds none (docs/ai-gateway.md).
        LLM_BASE_URL: llmGatewayBaseUrl(),
        // A terminating worker finishes its task if it can before the kubelet's SIGKILL, else hands it back.
        WORKER_DRAIN_SECONDS: String(Math.max(0, settings.worker.terminationGracePeriodSeconds - workerShutdownMarginSeconds)),
    };
}

/**
 * The ConfigMap and Secret the API, worker, migration and backup pods take their environment from.
 * Connection strings are built from the foundation's secret outputs and each value stays
 * a Pulumi secret, so it is encrypted in the state and never shown in a preview. `checksum` changes
 * whenever either changes; the Deployments carry it on their pod template so new settings roll them.
 */
export class AppConfig extends pulumi.ComponentResource {
    public readonly configMap: k8s.core.v1.ConfigMap;
    public readonly secret: k8s.core.v1.Secret;
    /** Hash of everything the pods read from the ConfigMap and Secret; a secret itself, since it is derived from secrets. */
    public readonly checksum: pulumi.Output<string>;

    constructor(name: string, args: AppConfigArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:AppConfig", name, {}, opts);
        const { settings, foundation } = args;
        const { database, cache } = foundation;
        const labels = objectLabels(settings);

        const environment = serviceEnvironment(settings);
        this.configMap = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            { metadata: { name: kubernetesNames.appConfigMap, namespace: args.namespace, labels }, data: environment },
            kubernetesOptions(this, foundation),
        );

        const secretValues: Record<string, pulumi.Output<string>> = {
            DATABASE_URL: pulumi.secret(
                pulumi.interpolate`postgresql://${database.username.apply(encodeURIComponent)}:${database.password.apply(encodeURIComponent)}@${database.host}:${database.port}/${database.name}?sslmode=require`,
            ),
            REDIS_URL: pulumi.secret(pulumi.interpolate`${cache.tls ? "rediss" : "redis"}://:${cache.authToken.apply(encodeURIComponent)}@${cache.host}:${cache.port}/${queueDatabase}`),
        };
        if (cache.caCertificate) secretValues.REDIS_CA_CERT = pulumi.secret(cache.caCertificate);

        this.secret = new k8s.core.v1.Secret(
            `${name}-secret`,
            { metadata: { name: kubernetesNames.appSecret, namespace: args.namespace, labels }, type: "Opaque", stringData: secretValues },
            kubernetesOptions(this, foundation),
        );

        this.checksum = pulumi.secret(
            pulumi.all(secretValues).apply((secrets) =>
                crypto
                    .createHash("sha256")
                    .update(JSON.stringify({ environment, secrets: Object.entries(secrets).sort(([a], [b]) => a.localeCompare(b)) }))
                    .digest("hex"),
            ),
        );
        this.registerOutputs({ checksum: this.checksum });
    }
}
