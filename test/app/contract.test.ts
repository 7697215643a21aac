import * as fs from "fs";
import * as path from "path";
import { metricsContract, queries } from "../../components/operations/metrics";
import { alertDefinitions } from "../../components/operations/alerts";
import { environmentDefaults } from "../../stacks";
import { repoRoot } from "../../tools/engine/harness";

/**
 * The reference service keeps the platform's contracts: it registers every metric family the
 * dashboards and alerts read, with the labels they read, and it runs from a fresh clone with the
 * root's `npm ci`, because the root pins the very versions of the app's dependencies.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createMetrics } = require("../../app/lib/metrics");

const labelsAddedByPrometheus = new Set(["namespace", "pod", "component", "container", "job", "le"]);

/** The label names a PromQL text reads from a metric (matchers and `by (...)` groupings). */
function labelsRead(promql: string, metric: string): string[] {
    const read = new Set<string>();
    for (const m of promql.matchAll(new RegExp(`${metric}(?:_bucket|_count|_sum)?\\{([^}]*)\\}`, "g"))) {
        for (const [, label] of m[1].matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)) read.add(label);
    }
    if (promql.includes(metric)) for (const m of promql.matchAll(/by \(([^)]*)\)/g)) m[1].split(",").forEach((l) => read.add(l.trim()));
    return [...read].filter((l) => !labelsAddedByPrometheus.has(l));
}

describe("the app's metrics and the contract the dashboards and alerts read", () => {
    const registry = createMetrics().registry;
    const families = Object.values(metricsContract);

    test.each(families)("%s is registered", (name) => {
        expect(registry.getSingleMetric(name)).toBeDefined();
    });

    test("every label a dashboard query or alert rule reads is a label the metric has (status, not code)", () => {
        const promql = [...Object.values(queries), ...alertDefinitions(environmentDefaults.prod).map((a) => a.expr)];
        for (const name of families) {
            const labelNames: string[] = (registry.getSingleMetric(name) as unknown as { labelNames: string[] }).labelNames;
            for (const text of promql) {
                for (const label of labelsRead(text, name)) expect({ name, label, known: labelNames.includes(label) }).toEqual({ name, label, known: true });
            }
        }
        expect(labelsRead(queries.errorRatePercent, metricsContract.httpRequests)).toEqual(["status"]);
        expect((registry.getSingleMetric(metricsContract.httpRequests) as unknown as { labelNames: string[] }).labelNames).toEqual(["method", "route", "status"]);
    });
});

test.each(["docs/operations.md"])("%s (where the README points service authors) lists every metric family of the contract", (file) => {
    const text = fs.readFileSync(path.join(repoRoot, file), "utf8");
    for (const name of Object.values(metricsContract))
        expect({ name, listed: text.includes(`| \`${name}\``) || text.includes(`\`${name}\` |`) || text.includes(`, \`${name}\``) }).toEqual({ name, listed: true });
});

describe("the app's dependencies", () => {
    const app = JSON.parse(fs.readFileSync(path.join(repoRoot, "app/package.json"), "utf8"));
    const appLock = JSON.parse(fs.readFileSync(path.join(repoRoot, "app/package-lock.json"), "utf8"));
    const root = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
    const rootLock = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8"));

    test("are pinned exactly, and the root pins the same versions, so the root's `npm ci` lets the tests run the app's code", () => {
        const deps = Object.entries(app.dependencies as Record<string, string>);
        expect(deps.length).toBeGreaterThan(0);
        for (const [name, version] of deps) {
            expect({ name, version }).toEqual({ name, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
            expect({ name, root: root.devDependencies[name] }).toEqual({ name, root: version });
        }
    });

    test("resolve to the same versions in both lock files", () => {
        for (const name of Object.keys(app.dependencies)) {
            const inApp = appLock.packages[`node_modules/${name}`]?.version;
            expect({ name, inApp }).toEqual({ name, inApp: app.dependencies[name] });
            expect({ name, inRoot: rootLock.packages[`node_modules/${name}`]?.version }).toEqual({ name, inRoot: inApp });
        }
    });

    test("the image builds from the app's own manifest and lock file, and ships only the service's files", () => {
        const dockerfile = fs.readFileSync(path.join(repoRoot, "app/Dockerfile"), "utf8");
        expect(dockerfile).toMatch(/COPY package\.json package-lock\.json \.\/\nRUN npm ci --omit=dev/);
        expect(dockerfile).toMatch(/^FROM node:20[\w.-]*-alpine[\w.]*$/m);
        expect(dockerfile).toMatch(/adduser .*-u 10001/);
        expect(dockerfile).toMatch(/^USER 10001:10001$/m);
        expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/health/m);
        expect(dockerfile).toMatch(/^CMD \["node", "server\.js"\]$/m);
        // The heartbeat, the only file the service writes, defaults under /tmp (an emptyDir; the root filesystem is read-only).
        expect(dockerfile).toMatch(/WORKER_HEARTBEAT_FILE=\/tmp\//);
        const ignore = fs.readFileSync(path.join(repoRoot, "app/.dockerignore"), "utf8").split("\n");
        expect(ignore[0]).toBe("*");
        expect(ignore).toEqual(expect.arrayContaining(["!package.json", "!package-lock.json", "!lib/"]));
    });
});
