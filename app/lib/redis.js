"use strict";
const Redis = require("ioredis");

/**
 * A Redis connection that never holds the process hostage: commands fail at once while it is down
 * (no offline queue), it reconnects in the background, and its errors are logged, not thrown. TLS
 * with the cache's CA when the URL says `rediss://` (Memorystore hands its CA in REDIS_CA_CERT).
 */
function connectRedis(config, log, name) {
    const tls = config.redisUrl.startsWith("rediss://") ? { ...(config.redisCa ? { ca: config.redisCa } : {}) } : undefined;
    const redis = new Redis(config.redisUrl, {
        tls,
        connectionName: name,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 3000,
        retryStrategy: (attempt) => Math.min(attempt * 250, 3000),
    });
    let lastLogged = 0;
    redis.on("error", (e) => {
        // A dead cache produces an error per reconnect attempt; one line every 30 s is enough.
        if (Date.now() - lastLogged > 30000) {
            lastLogged = Date.now();
            log.warning("redis unavailable", { connection: name, error: e.message });
        }
    });
    return redis;
}

/** Rejects after `ms` unless the promise settles first. */
function withTimeout(promise, ms, what) {
    let timer;
    return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

module.exports = { connectRedis, withTimeout };
