import { execFileSync, spawnSync, type SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { kubernetesNames } from "../../components/contract";
import { disasterRecoveryKey } from "../../components/operations/runbook";
import { repoRoot, type ProgramRun } from "../../tools/engine/harness";
import { byMetadata, cases, operationsOne, recordedBackupBucket, runOperations, types, type Case } from "./run";

/**
 * A proven restore: the backup CronJob's own scripts and the runbook's own restore commands, taken
 * from the evaluated program, run against the real PostgreSQL on this machine. Only what a pod or an
 * operator's shell would reach outside it is stood in for, first on PATH: the cloud CLI (a directory
 * per bucket) and kubectl (the restore pod's filesystem is a directory). pg_dump, gzip and psql are real.
 */

const postgres = { host: "127.0.0.1", port: 5432, user: "postgres" };
const adminUrl = (database: string) => `postgresql://${postgres.user}@${postgres.host}:${postgres.port}/${database}`;
/** The test's own psql: notices (DROP … IF EXISTS of nothing) stay out of the test output. */
const quiet = { ...process.env, PGOPTIONS: "--client-min-messages=warning" };
const psql = (database: string, sql: string) => execFileSync("psql", [adminUrl(database), "-v", "ON_ERROR_STOP=1", "-Atq", "-c", sql], { encoding: "utf8", env: quiet }).trim();

function requirePostgres(): void {
    const probe = spawnSync("psql", [adminUrl("test"), "-Atc", "select 1"], { encoding: "utf8" });
    if (probe.status !== 0) {
        throw new Error(
            `PostgreSQL at ${postgres.host}:${postgres.port} (user ${postgres.user}, trust auth) is unreachable, and the restore tests need it: ` +
                `start it (e.g. \`service postgresql start\`) and run them again.\n${probe.stderr}`,
        );
    }
}

/** The stand-in cloud CLI: `cp - <scheme>://b/k` stores stdin as $BUCKETS/b/k (whole or not at all, as S3 and Cloud Storage do), `cp <scheme>://b/k -` prints it. */
const cliStandIn = `#!/bin/bash
set -euo pipefail
printf '%s\\n' "$*" >> "$CLI_LOG"
locations=()
for a in "$@"; do case "$a" in -|*://*) locations+=("$a");; esac; done
src="\${locations[0]}"; dst="\${locations[1]}"
if [ "$src" = - ]; then
    target="$BUCKETS/\${dst#*://}"
    mkdir -p "$(dirname "$target")"
    if [ -n "\${FAIL_UPLOAD_AFTER_BYTES:-}" ]; then head -c "$FAIL_UPLOAD_AFTER_BYTES" > "$target.partial"; echo "upload failed: connection reset" >&2; exit 1; fi
    cat > "$target.partial"
    mv "$target.partial" "$target"
else
    cat "$BUCKETS/\${src#*://}"
fi
`;

/** The stand-in kubectl: the restore pod's filesystem is $POD_ROOT; \`exec … sh -c\` runs the script with its /tmp there. */
const kubectlStandIn = `#!/bin/bash
set -euo pipefail
printf '%s\\n' "$*" >> "$KUBECTL_LOG"
[ "$1" = -n ] && shift 2
verb="$1"; shift
case "$verb" in
    run) for a in "$@"; do case "$a" in --overrides=*) printf '%s' "\${a#--overrides=}" > "$POD_ROOT/overrides.json";; esac; done; mkdir -p "$POD_ROOT/tmp" ;;
    wait|delete) ;;
    cp) mkdir -p "$POD_ROOT/tmp"; cp "$1" "$POD_ROOT\${2#*:}" ;;
    exec) shift; [ "$1" = -- ] && shift; [ "$1" = sh ] && [ "$2" = -c ]; script="$3"; exec bash -c "\${script//\\/tmp\\//$POD_ROOT/tmp/}" ;;
    *) echo "kubectl stand-in: unexpected $verb" >&2; exit 2 ;;
esac
`;

/** A pg_dump that dies half-way (the connection drops): real output, cut short, exit 1. */
const pgDumpDying = `#!/bin/bash\n/usr/bin/pg_dump "$@" | head -c 4000\nexit 1\n`;
/** A pg_dump whose output is cut short but which exits 0 (a stream truncated without an error). */
const pgDumpTruncated = `#!/bin/bash\n/usr/bin/pg_dump "$@" | head -c 4000\nexit 0\n`;

const seedSql = `
CREATE TABLE agents (id serial PRIMARY KEY, name text NOT NULL, config jsonb NOT NULL, created timestamptz NOT NULL DEFAULT '2026-01-01T00:00:00Z');
CREATE TABLE messages (id bigserial PRIMARY KEY, agent_id int NOT NULL REFERENCES agents(id), body text, tokens int NOT NULL);
CREATE INDEX messages_agent ON messages(agent_id);
INSERT INTO agents (name, config) SELECT 'agent-' || g, jsonb_build_object('model', 'claude', 'n', g) FROM generate_series(1, 40) g;
INSERT INTO agents (name, config) VALUES (E'quote '' tab \\t newline \\n unicode é ✓', '{"edge": true}');
INSERT INTO messages (agent_id, body, tokens) SELECT 1 + g % 41, repeat(md5(g::text), 1 + g % 5), g * 7 FROM generate_series(1, 3000) g;
INSERT INTO messages (agent_id, body, tokens) VALUES (41, NULL, 0);
`;

/** Row counts and an order-independent checksum of every row of the seeded tables. */
function fingerprint(database: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const table of ["agents", "messages"]) {
        out[table] = psql(database, `SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY t.id)) FROM ${table} t`);
    }
    return out;
}

interface Script {
    status: number | null;
    stdout: string;
    stderr: string;
}
const result = (r: SpawnSyncReturns<string>): Script => ({ status: r.status, stdout: r.stdout, stderr: r.stderr });

/** The shell block of the runbook's §2, as an operator would paste it. */
function restoreBlock(doc: string): string {
    const section = doc.slice(doc.indexOf("## 2. Restore a dump from the bucket"), doc.indexOf("## 3."));
    const blocks = [...section.matchAll(/^```sh\n([\s\S]*?)\n```$/gm)].map((m) => m[1]);
    if (blocks.length !== 1) throw new Error(`expected one sh block in the runbook's restore section, found ${blocks.length}`);
    return blocks[0];
}

const tag = `i15_${process.pid}`;

describe.each(cases)("backup and restore against PostgreSQL: $stack on $cloud", (c: Case) => {
    const db = { source: `${tag}_${c.stack}_${c.cloud}_src`, restored: `${tag}_${c.stack}_${c.cloud}_restored` };
    let run: ProgramRun;
    let work: string;
    let bin: string;
    let pod: { dump: string; upload: string };
    let runbook: string;
    let bucket: { name: string; url: string };
    const cli = c.cloud === "aws" ? "aws" : "gcloud";

    beforeAll(async () => {
        requirePostgres();
        run = await runOperations(c);
        const spec = operationsOne(run, types.cronJob).inputs.spec.jobTemplate.spec.template.spec;
        pod = { dump: spec.initContainers[0].command.at(-1), upload: spec.containers[0].command.at(-1) };
        runbook = operationsOne(run, types.configMap, /runbook/).inputs.data[disasterRecoveryKey];
        bucket = recordedBackupBucket(run, c);

        work = fs.mkdtempSync(path.join(os.tmpdir(), "i15-restore-"));
        bin = path.join(work, "bin");
        fs.mkdirSync(bin);
        fs.writeFileSync(path.join(bin, cli), cliStandIn, { mode: 0o755 });
        fs.writeFileSync(path.join(bin, "kubectl"), kubectlStandIn, { mode: 0o755 });
        for (const [name, script] of Object.entries({ dying: pgDumpDying, truncated: pgDumpTruncated })) {
            fs.mkdirSync(path.join(work, name));
            fs.writeFileSync(path.join(work, name, "pg_dump"), script, { mode: 0o755 });
        }

        for (const name of Object.values(db)) psql("test", `DROP DATABASE IF EXISTS ${name}`);
        psql("test", `CREATE DATABASE ${db.source}`);
        execFileSync("psql", [adminUrl(db.source), "-v", "ON_ERROR_STOP=1", "-q"], { input: seedSql, env: quiet });
    });

    afterAll(() => {
        for (const name of Object.values(db)) spawnSync("psql", [adminUrl("test"), "-qc", `DROP DATABASE IF EXISTS ${name}`], { env: quiet });
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    /** One run of the backup pod: the dump container, then (if it succeeded) the upload container, each with its own /backup under `dir`. */
    function backupPod(dir: string, env: Record<string, string> = {}, pgDump?: "dying" | "truncated"): { dump: Script; upload?: Script; buckets: string } {
        const buckets = path.join(dir, "buckets");
        fs.mkdirSync(path.join(dir, "backup"), { recursive: true });
        // The pod's own /backup and /tmp move under `dir`; a bucket name that contains "/backup" is left alone.
        const local = (script: string) => script.replace(/(^|[\s(])\/(backup|tmp)\//g, `$1${dir}/$2/`);
        const PATH = [pgDump ? path.join(work, pgDump) : undefined, bin, process.env.PATH].filter(Boolean).join(":");
        const base = { PATH, HOME: dir, DATABASE_URL: adminUrl(db.source), BUCKETS: buckets, CLI_LOG: path.join(dir, "cli.log"), ...env };
        // bash stands in for the images' busybox sh (both know `pipefail`; this machine's dash does not).
        const dump = result(spawnSync("bash", ["-c", local(pod.dump)], { env: base, encoding: "utf8" }));
        if (dump.status !== 0) return { dump, buckets };
        const upload = result(spawnSync("bash", ["-c", local(pod.upload)], { env: base, encoding: "utf8" }));
        return { dump, upload, buckets };
    }

    /** The runbook's restore block, run as is in an operator's shell, restoring BACKUP_OBJECT into `database`. */
    function restore(dir: string, buckets: string, object: string, database: string): Script {
        const podRoot = path.join(dir, "pod");
        fs.mkdirSync(podRoot, { recursive: true });
        const env = {
            PATH: `${bin}:${process.env.PATH}`,
            HOME: dir,
            BUCKETS: buckets,
            CLI_LOG: path.join(dir, "cli.log"),
            KUBECTL_LOG: path.join(dir, "kubectl.log"),
            POD_ROOT: podRoot,
            BACKUP_OBJECT: object,
            // In the pod DATABASE_URL comes from the app Secret (the overrides say so; see the runbook tests).
            DATABASE_URL: adminUrl(database),
        };
        return result(spawnSync("bash", ["-e", "-c", restoreBlock(runbook)], { cwd: dir, env, encoding: "utf8" }));
    }

    const objects = (buckets: string) =>
        fs.existsSync(buckets)
            ? execFileSync("find", [buckets, "-type", "f"], { encoding: "utf8" })
                  .trim()
                  .split("\n")
                  .filter(Boolean)
                  .map((f) => path.relative(buckets, f))
            : [];

    let uploaded: { dir: string; buckets: string; object: string };

    test("the backup job's scripts dump the database and upload one complete, gzipped dump to <bucket>/postgres/<db>-<UTC timestamp>.sql.gz", () => {
        const dir = fs.mkdtempSync(path.join(work, "backup-"));
        const { dump, upload, buckets } = backupPod(dir);
        expect(dump).toMatchObject({ status: 0 });
        expect(upload).toMatchObject({ status: 0 });
        const stored = objects(buckets);
        expect(stored).toEqual([expect.stringMatching(new RegExp(`^${bucket.name}/postgres/agents-\\d{8}T\\d{6}Z\\.sql\\.gz$`))]);
        const sql = zlib.gunzipSync(fs.readFileSync(path.join(buckets, stored[0]))).toString();
        expect(sql).toContain("-- PostgreSQL database dump complete");
        expect(sql).toContain("DROP TABLE IF EXISTS public.messages");
        expect(upload!.stdout).toContain(`uploaded ${stored[0].slice(bucket.name.length + 1)} to ${bucket.url}`);
        // The CLI was given stdin and the bucket's URL, with the foundation's options.
        expect(fs.readFileSync(path.join(dir, "cli.log"), "utf8")).toMatch(new RegExp(`^(s3|storage) cp - "?${bucket.url.replace(/[/.]/g, "\\$&")}/postgres/`));
        uploaded = { dir, buckets, object: stored[0].slice(bucket.name.length + 1) };
    });

    test("the runbook's restore commands bring every row back into a new database, replacing what was there", () => {
        psql("test", `CREATE DATABASE ${db.restored}`);
        // Something already there, as in a damaged primary: the dump's --clean replaces it.
        psql(db.restored, "CREATE TABLE agents (id int PRIMARY KEY, name text); INSERT INTO agents VALUES (999, 'stale')");
        const restored = restore(uploaded.dir, uploaded.buckets, uploaded.object, db.restored);
        expect(restored).toMatchObject({ status: 0, stderr: "" });
        expect(fingerprint(db.restored)).toEqual(fingerprint(db.source));
        expect(fingerprint(db.source).messages).toMatch(/^3001:/);
        // A second run (the operator repeats the block) is harmless: same data.
        expect(restore(uploaded.dir, uploaded.buckets, uploaded.object, db.restored).status).toBe(0);
        expect(fingerprint(db.restored)).toEqual(fingerprint(db.source));
        // The restore pod is the runbook's: backup ServiceAccount, DATABASE_URL from the app Secret.
        const overrides = JSON.parse(fs.readFileSync(path.join(uploaded.dir, "pod", "overrides.json"), "utf8"));
        expect(overrides.spec.serviceAccountName).toBe(kubernetesNames.serviceAccounts.backup);
        expect(overrides.spec.containers[0].env).toContainEqual({ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: kubernetesNames.appSecret, key: "DATABASE_URL" } } });
    });

    test("a restore from a damaged dump fails and leaves the database as it was (one transaction)", () => {
        const dir = fs.mkdtempSync(path.join(work, "damaged-"));
        const buckets = path.join(dir, "buckets");
        const whole = fs.readFileSync(path.join(uploaded.buckets, bucket.name, uploaded.object));
        const damaged = `${bucket.name}/postgres/damaged.sql.gz`;
        fs.mkdirSync(path.dirname(path.join(buckets, damaged)), { recursive: true });
        // A gzip stream of the dump's first half: valid SQL up to a point, then it stops.
        const sql = zlib.gunzipSync(whole);
        fs.writeFileSync(path.join(buckets, damaged), zlib.gzipSync(sql.subarray(0, Math.floor(sql.length / 2))));
        const before = fingerprint(db.restored);
        const attempt = restore(dir, buckets, "postgres/damaged.sql.gz", db.restored);
        expect(attempt.status).not.toBe(0);
        expect(fingerprint(db.restored)).toEqual(before);
    });

    test.each([
        ["pg_dump dies half-way", "dying" as const],
        ["pg_dump's output is cut short although it exits 0", "truncated" as const],
    ])("no partial dump is ever uploaded: %s", (_what, pgDump) => {
        const dir = fs.mkdtempSync(path.join(work, `${pgDump}-`));
        const { dump, upload, buckets } = backupPod(dir, {}, pgDump);
        expect(dump.status).not.toBe(0);
        expect(upload).toBeUndefined();
        expect(objects(buckets)).toEqual([]);
    });

    test("an upload that fails half-way fails the job and stores no object", () => {
        const dir = fs.mkdtempSync(path.join(work, "upload-fails-"));
        const { dump, upload, buckets } = backupPod(dir, { FAIL_UPLOAD_AFTER_BYTES: "1000" });
        expect(dump.status).toBe(0);
        expect(upload?.status).not.toBe(0);
        expect(upload?.stdout).not.toContain("uploaded");
        expect(objects(buckets).filter((o) => !o.endsWith(".partial"))).toEqual([]);
    });

    test("the backup pod reads DATABASE_URL from the platform's Secret, which is what the dump connected to here", () => {
        const secret = byMetadata(run, types.secret, kubernetesNames.appSecret, kubernetesNames.appNamespace);
        expect(new URL(secret.inputs.stringData.DATABASE_URL).protocol).toBe("postgresql:");
    });
});

describe("docs/operations.md", () => {
    test("shows the restore commands the runbook prints and the tests run", async () => {
        const docs = fs.readFileSync(path.join(repoRoot, "docs", "operations.md"), "utf8");
        for (const c of cases.filter((k) => k.stack === "prod")) {
            const run = await runOperations(c);
            const bucket = recordedBackupBucket(run, c);
            const block = restoreBlock(operationsOne(run, types.configMap, /runbook/).inputs.data[disasterRecoveryKey])
                .split(bucket.name)
                .join("<backups bucket>");
            const [download, ...rest] = block.split("\n").filter((l) => !l.startsWith(":") && l !== "export BACKUP_OBJECT");
            expect(docs).toContain(download);
            if (c.cloud === "aws") expect(docs).toContain(rest.join("\n"));
        }
    });
});
