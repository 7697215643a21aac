"use strict";
const { Pool } = require("pg");

/**
 * Postgres: the history of every task. `sslmode` is honoured as libpq does: `require` encrypts
 * without verifying the server (RDS and Cloud SQL certificates come from private CAs), `verify-ca` and
 * `verify-full` verify it against the system's CAs.
 */
function createPool(config, log) {
    const url = new URL(config.databaseUrl);
    const sslmode = url.searchParams.get("sslmode");
    url.searchParams.delete("sslmode");
    const ssl = sslmode === "require" || sslmode === "prefer" ? { rejectUnauthorized: false } : sslmode === "verify-ca" || sslmode === "verify-full" ? { rejectUnauthorized: true } : undefined;
    const pool = new Pool({ connectionString: url.toString(), ssl, max: 10, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30000 });
    // An idle client whose connection drops emits here; without a listener the process would crash.
    pool.on("error", (e) => log.warning("postgres connection lost", { error: e.message }));
    return pool;
}

/** Ordered, append-only: a migration is never edited once released, only followed by a new one. */
const migrations = [
    {
        version: 1,
        name: "tasks",
        sql: `CREATE TABLE IF NOT EXISTS tasks (
                  id uuid PRIMARY KEY,
                  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
                  model text NOT NULL,
                  prompt text NOT NULL,
                  result text,
                  error text,
                  attempts integer NOT NULL DEFAULT 0,
                  input_tokens integer,
                  output_tokens integer,
                  created_at timestamptz NOT NULL DEFAULT now(),
                  updated_at timestamptz NOT NULL DEFAULT now()
              );
              CREATE INDEX IF NOT EXISTS tasks_status_created_at ON tasks (status, created_at);`,
    },
];

/** Arbitrary, fixed: the advisory lock that serialises concurrent migration runs. */
const migrationLock = 7341301;

/** Applies the migrations not yet applied, in one transaction; running it again changes nothing. */
async function migrate(pool) {
    const client = await pool.connect();
    try {
        await client.query("BEGIN");
        await client.query("SELECT pg_advisory_xact_lock($1)", [migrationLock]);
        await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        const done = new Set((await client.query("SELECT version FROM schema_migrations")).rows.map((r) => r.version));
        const applied = [];
        for (const m of migrations) {
            if (done.has(m.version)) continue;
            await client.query(m.sql);
            await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
            applied.push(m.version);
        }
        await client.query("COMMIT");
        return applied;
    } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
    } finally {
        client.release();
    }
}

const columns = "id, status, model, prompt, result, error, attempts, input_tokens, output_tokens, created_at, updated_at";

const tasks = {
    create: (pool, { id, model, prompt }) => pool.query(`INSERT INTO tasks (id, status, model, prompt) VALUES ($1, 'queued', $2, $3) RETURNING ${columns}`, [id, model, prompt]).then((r) => r.rows[0]),
    get: (pool, id) => pool.query(`SELECT ${columns} FROM tasks WHERE id = $1`, [id]).then((r) => r.rows[0]),
    remove: (pool, id) => pool.query("DELETE FROM tasks WHERE id = $1", [id]),
    /** Marks a claimed task running; undefined when it is unknown or already finished (a duplicate delivery). */
    start: (pool, id) =>
        pool
            .query(`UPDATE tasks SET status = 'running', attempts = attempts + 1, updated_at = now() WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${columns}`, [id])
            .then((r) => r.rows[0]),
    succeed: (pool, id, result, usage) =>
        pool.query("UPDATE tasks SET status = 'succeeded', result = $2, error = NULL, input_tokens = $3, output_tokens = $4, updated_at = now() WHERE id = $1", [
            id,
            result,
            usage?.input ?? null,
            usage?.output ?? null,
        ]),
    fail: (pool, id, error) => pool.query("UPDATE tasks SET status = 'failed', error = $2, updated_at = now() WHERE id = $1", [id, error]),
    requeue: (pool, id) => pool.query("UPDATE tasks SET status = 'queued', updated_at = now() WHERE id = $1 AND status = 'running'", [id]),
};

/** A task as the API returns it. */
function taskView(row) {
    return {
        id: row.id,
        status: row.status,
        model: row.model,
        result: row.result,
        error: row.error,
        attempts: row.attempts,
        usage: row.input_tokens === null ? null : { inputTokens: row.input_tokens, outputTokens: row.output_tokens },
        createdAt: row.created_at,
        updatedAt: row.updated_at,
    };
}

module.exports = { createPool, migrate, migrations, tasks, taskView };
