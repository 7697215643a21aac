"use strict";

/** How long a claimed task stays owned without its worker renewing the lease. */
const leaseMs = 60000;

/**
 * The task queue: a reliable queue on two Redis lists. The API pushes task IDs onto the left of
 * `pending`; a worker atomically moves the rightmost (oldest) one onto `processing` (BLMOVE) and holds
 * a lease key while it works. A finished task leaves `processing`; a task given back (SIGTERM, a lost
 * database) goes back to the right of `pending`, first in line. A task whose worker died without
 * either, found in `processing` without a lease on two sweeps in a row, is given back by any worker.
 * KEDA's Redis list scaler reads the lengths of these same two lists.
 */
function createQueue(redis, config, blocking = redis) {
    const { pending, processing } = config.queue;
    const lease = (id) => `${config.keyPrefix}lease:${id}`;

    // Give back only what is still in `processing`, and, for the orphan sweep, only without a lease.
    redis.defineCommand("giveBackTask", {
        numberOfKeys: 3,
        lua: `if ARGV[2] == "1" and redis.call("EXISTS", KEYS[3]) == 1 then return 0 end
              if redis.call("LREM", KEYS[1], 1, ARGV[1]) == 0 then return 0 end
              redis.call("RPUSH", KEYS[2], ARGV[1])
              redis.call("DEL", KEYS[3])
              return 1`,
    });

    return {
        names: { pending, processing },
        enqueue: (id) => redis.lpush(pending, id),
        /** The next task ID, or null when none arrived within `timeoutSeconds`. */
        claim: async (timeoutSeconds) => {
            const id = await blocking.blmove(pending, processing, "RIGHT", "LEFT", timeoutSeconds);
            if (id) await redis.set(lease(id), "1", "PX", leaseMs);
            return id;
        },
        renew: (id) => redis.set(lease(id), "1", "PX", leaseMs),
        complete: (id) => redis.multi().lrem(processing, 1, id).del(lease(id)).exec(),
        giveBack: (id) => redis.giveBackTask(processing, pending, lease(id), id, "0"),
        depth: () => redis.llen(pending),
        running: () => redis.llen(processing),
        /**
         * Gives back tasks whose worker is gone. `suspects` are the IDs seen without a lease last time;
         * returns this sweep's, so a task moved a moment ago (lease not yet written) is never taken.
         */
        recoverOrphans: async (suspects) => {
            const ids = await redis.lrange(processing, 0, -1);
            const next = new Set();
            for (const id of ids) {
                if (await redis.exists(lease(id))) continue;
                if (suspects.has(id)) await redis.giveBackTask(processing, pending, lease(id), id, "1");
                else next.add(id);
            }
            return next;
        },
    };
}

module.exports = { createQueue, leaseMs };
