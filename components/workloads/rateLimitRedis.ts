import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { rateLimitRedisImage } from "../../stacks/facts/versions";
import { kubernetesNames, type Foundation } from "../contract";
import { generatedSecret } from "../shared/credentials";
import { restrictedContainerProfile, restrictedPodProfile } from "../shared/podSecurity";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, type LabelSettingKeys } from "./labels";

/** Names Envoy Gateway's configuration and the NetworkPolicies refer to. */
export const rateLimitRedis = {
    name: "envoy-ratelimit-redis",
    port: 6379,
    /** The Secret and key holding the password; the rate limit service reads it as REDIS_AUTH (envoyproxy/ratelimit settings). */
    passwordSecret: "envoy-ratelimit-redis",
    passwordKey: "password",
    podLabels: { "app.kubernetes.io/name": "envoy-ratelimit-redis", "app.kubernetes.io/component": "ratelimit-store" },
} as const;

/**
 * The labels and ports Envoy Gateway v1.9 gives the rate limit service it runs once a Global rate limit
 * exists (internal/infrastructure/kubernetes/ratelimit/resource.go): gRPC for the proxies on 8081, and
 * its configuration from the controller's xDS server on 18001.
 */
export const envoyRateLimit = {
    podLabels: { "app.kubernetes.io/name": "envoy-ratelimit", "app.kubernetes.io/component": "ratelimit", "app.kubernetes.io/managed-by": "envoy-gateway" },
    grpcPort: 8081,
    controllerXdsPort: 18001,
} as const;

/** `host:port` as the rate limit service's REDIS_URL takes it (no scheme: radix dials TCP). */
export const rateLimitRedisUrl = `${rateLimitRedis.name}.${kubernetesNames.gateway.namespace}.svc.cluster.local:${rateLimitRedis.port}`;

export interface RateLimitRedisArgs {
    /** Governance labels and the Redis' requests and limits (`llmGateway.rateLimitRedisResources`). Per-environment defaults in stacks/defaults.ts. */
    settings: Pick<Settings, LabelSettingKeys | "llmGateway">;
    /** The foundation: its cluster provider and ready resources, which every object waits for. */
    foundation: Foundation;
    /** Envoy Gateway's namespace, which the Redis lives in and no input names. */
    dependsOn: pulumi.Resource[];
}

/**
 * The Redis that holds the LLM budgets' counters, in Envoy Gateway's namespace beside the rate limit
 * service, and nothing else: not the service's cache and queue, so a flush, an eviction or an outage
 * here never touches tasks, and a rate-limit flood never slows the service's Redis. AUTH with a
 * generated password (a Secret the rate limit service reads as REDIS_AUTH); no persistence, since the
 * counters last an hour (a restart forgives the current hour's spend); one replica, since the rate
 * limiter talks to one Redis URL and two would split the counters. When it is down the proxies let
 * requests through (Envoy Gateway's `failClosed: false`): budgets pause, LLM calls do not.
 */
export class RateLimitRedis extends pulumi.ComponentResource {
    public readonly secret: k8s.core.v1.Secret;
    public readonly service: k8s.core.v1.Service;

    constructor(name: string, args: RateLimitRedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:RateLimitRedis", name, {}, opts);
        const { settings, foundation } = args;
        const namespace = kubernetesNames.gateway.namespace;
        const labels = { ...objectLabels(settings), ...rateLimitRedis.podLabels };
        const options = (...more: pulumi.Resource[]) => kubernetesOptions(this, foundation, [...args.dependsOn, ...more]);

        const password = generatedSecret(`${name}-password`, { parent: this });
        this.secret = new k8s.core.v1.Secret(
            `${name}-secret`,
            { metadata: { name: rateLimitRedis.passwordSecret, namespace, labels }, type: "Opaque", stringData: { [rateLimitRedis.passwordKey]: password.result } },
            options(),
        );
        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-service-account`,
            { metadata: { name: rateLimitRedis.name, namespace, labels }, automountServiceAccountToken: false },
            options(),
        );
        const deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: { name: rateLimitRedis.name, namespace, labels },
                spec: {
                    replicas: 1,
                    // Never two at once: each would count on its own.
                    strategy: { type: "Recreate" },
                    selector: { matchLabels: { ...rateLimitRedis.podLabels } },
                    template: {
                        metadata: { labels },
                        spec: {
                            serviceAccountName: rateLimitRedis.name,
                            automountServiceAccountToken: false,
                            securityContext: restrictedPodProfile(rateLimitRedisImage.uid),
                            containers: [
                                {
                                    name: "redis",
                                    image: rateLimitRedisImage.ref,
                                    // Kubernetes expands $(REDIS_PASSWORD) from the env below; no RDB or AOF files.
                                    args: ["redis-server", "--requirepass", "$(REDIS_PASSWORD)", "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
                                    env: [{ name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: rateLimitRedis.passwordSecret, key: rateLimitRedis.passwordKey } } }],
                                    ports: [{ name: "redis", containerPort: rateLimitRedis.port, protocol: "TCP" }],
                                    startupProbe: { tcpSocket: { port: rateLimitRedis.port }, periodSeconds: 2, failureThreshold: 30 },
                                    readinessProbe: { tcpSocket: { port: rateLimitRedis.port }, periodSeconds: 5 },
                                    livenessProbe: { tcpSocket: { port: rateLimitRedis.port }, periodSeconds: 10, failureThreshold: 3 },
                                    resources: settings.llmGateway.rateLimitRedisResources,
                                    securityContext: { ...restrictedContainerProfile, runAsUser: rateLimitRedisImage.uid, runAsGroup: rateLimitRedisImage.uid },
                                    volumeMounts: [{ name: "data", mountPath: "/data" }],
                                },
                            ],
                            volumes: [{ name: "data", emptyDir: { sizeLimit: "64Mi" } }],
                        },
                    },
                },
            },
            options(this.secret, serviceAccount),
        );
        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: { name: rateLimitRedis.name, namespace, labels },
                spec: { type: "ClusterIP", selector: { ...rateLimitRedis.podLabels }, ports: [{ name: "redis", port: rateLimitRedis.port, targetPort: "redis", protocol: "TCP" }] },
            },
            options(deployment),
        );
        this.registerOutputs({});
    }
}
