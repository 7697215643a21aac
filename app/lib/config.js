"use strict";
/**
 * The service's settings, read once from the environment: the ConfigMap and Secret the platform hands
 * every pod (`envFrom`), so the names here are the ConfigMap's and the Secret's keys.
 */

function number(env, name, fallback) {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${JSON.stringify(raw)}: must be a number ≥ 0`);
    return value;
}

/** The provider key to send: the one of the provider whose host the base URL names, else the OpenAI key (gateways and self-hosted servers speak OpenAI's API). */
function providerKey(env, baseUrl) {
    if (env.LLM_API_KEY) return env.LLM_API_KEY;
    const host = new URL(baseUrl).hostname;
    if (host.endsWith("anthropic.com")) return env.ANTHROPIC_API_KEY;
    if (host.endsWith("googleapis.com")) return env.GEMINI_API_KEY;
    return env.OPENAI_API_KEY;
}

function loadConfig(env = process.env) {
    const llmBaseUrl = (env.LLM_BASE_URL || "https://api.anthropic.com/v1").replace(/\/+$/, "");
    const queue = env.TASK_QUEUE || "agent:tasks";
    return {
        environment: env.ENVIRONMENT || "development",
        logLevel: env.LOG_LEVEL || "info",
        port: number(env, "PORT", 8080),
        metricsPort: number(env, "METRICS_PORT", 9090),
        databaseUrl: env.DATABASE_URL || "postgresql://localhost:5432/agents",
        redisUrl: env.REDIS_URL || "redis://localhost:6379/0",
        redisCa: env.REDIS_CA_CERT || undefined,
        queue: { pending: queue, processing: env.TASK_QUEUE_PROCESSING || `${queue}:processing` },
        /** Prefix of every other key the service keeps in Redis (response cache, rate limits, task leases). */
        keyPrefix: env.REDIS_KEY_PREFIX || "agent:",
        llm: {
            baseUrl: llmBaseUrl,
            apiKey: providerKey(env, llmBaseUrl),
            defaultModel: env.DEFAULT_MODEL || "claude-sonnet-4-5",
            timeoutMs: number(env, "RESPONSE_TIMEOUT_SECONDS", 120) * 1000,
            retries: number(env, "LLM_RETRIES", 2),
            /** First back-off between retries; it doubles, capped at 10 s. */
            retryBaseMs: number(env, "LLM_RETRY_BASE_MS", 500),
        },
        cacheTtlSeconds: number(env, "CACHE_TTL_SECONDS", 3600),
        rateLimitPerMinute: number(env, "RATE_LIMIT_PER_MINUTE", 60),
        maxConcurrentAgents: number(env, "MAX_CONCURRENT_AGENTS", 10),
        heartbeatFile: env.WORKER_HEARTBEAT_FILE || "/tmp/worker-heartbeat",
        drainSeconds: number(env, "WORKER_DRAIN_SECONDS", 0),
    };
}

module.exports = { loadConfig, providerKey };
