/**
 * Upper bounds on sizes and rates: values above these are typos (an extra zero), not plans. Cloud
 * quotas are quoted where one exists; everything else is our ceiling (2026-11-27), set a factor of
 * about five above the prod defaults, and may be raised here on purpose.
 *
 * - EKS managed node groups hold at most 450 nodes (https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html);
 *   GKE node pools 1,000 per zone (https://cloud.google.com/kubernetes-engine/quotas). Ceiling: 100 nodes.
 * - Kubernetes Deployments: ceiling 200 replicas per workload (the HPA's maxReplicas).
 * - A pod's terminationGracePeriodSeconds, probe timings and LLM response timeout: at most an hour.
 */
export const upperBounds = {
    nodes: 100,
    replicas: 200,
    maxConcurrentAgents: 1000,
    responseTimeoutSeconds: 3600,
    llmRetries: 10,
    /** LLM tokens per hour in one budget: five times the prod service's default of 20 million. */
    llmTokensPerHour: 100_000_000,
    /** AIGatewayRoute rules: at most 15, one reserved for the controller's catch-all (Envoy AI Gateway CRD v1.1.0). */
    llmModels: 14,
    /** Backends per model: every provider the gateway knows once. */
    llmBackendsPerModel: 3,
    /** Failed reads of the API's request metric before KEDA's fallback holds the replica count. */
    metricFailureThreshold: 100,
    /** Waiting tasks per worker the queue scaler aims for. */
    tasksPerReplica: 10_000,
    cacheTtlSeconds: 30 * 24 * 3600,
    rateLimitPerMinute: 100_000,
    rateLimitRps: 10_000,
    seconds: 3600,
    scalingPercent: 1000,
    prometheusStorageGb: 16_384,
    keepImages: 1000,
    /** Ten years; also well within S3 Object Lock's 100-year maximum, so a locked retention is always one S3 accepts. */
    retentionDays: 3653,
    /** The edge's request-body limit: 1 GiB; LLM requests are JSON prompts, not uploads. */
    bodySizeBytes: 1024 ** 3,
    addonTimeoutSeconds: 3600,
    alertSeconds: 7 * 24 * 3600,
    tokenCostPerHourUsd: 100_000,
    /** A monthly budget above ten million dollars is a typo (an extra zero), not a plan. */
    monthlyBudgetUsd: 10_000_000,
} as const;
