"use strict";
/** The schema migration (the platform runs it as a Job before each rollout): applies what is missing; running it again is harmless. */
const { loadConfig } = require("./lib/config");
const { createPool, migrate } = require("./lib/db");
const { createLogger } = require("./lib/log");

const config = loadConfig();
const log = createLogger(config.logLevel, { component: "migrate" });
const pool = createPool(config, log);

migrate(pool)
    .then(async (applied) => {
        log.info(applied.length ? "migrations applied" : "schema up to date", { applied });
        await pool.end();
        process.exit(0);
    })
    .catch((e) => {
        log.error("migration failed", { error: e.message });
        process.exit(1);
    });
