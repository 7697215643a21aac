import * as fs from "fs";
import * as path from "path";
import { apiAccessTooWide } from "../apiAccess";
import { insideAny, overlaps, parseCidr } from "../cidr";
import { privateIpv4Ranges, networkPrefixLimits, type PrefixLimits } from "../facts/network";
import type { RuleContext } from "./context";

/** Rules that span fields or hold on both clouds, on top of the per-field schema. */
export function commonRules(ctx: RuleContext): void {
    const s = ctx.settings;
    const atMost = (p: string, value: number, limitName: string, limit: number) => value > limit && ctx.problem(p, `must be ≤ ${limitName} (${limit})`);
    const atLeast = (p: string, value: number, limitName: string, limit: number) => value < limit && ctx.problem(p, `must be ≥ ${limitName} (${limit})`);
    atMost("cluster.minNodes", s.cluster.minNodes, "cluster.maxNodes", s.cluster.maxNodes);
    atLeast("cluster.desiredNodes", s.cluster.desiredNodes, "cluster.minNodes", s.cluster.minNodes);
    atMost("cluster.desiredNodes", s.cluster.desiredNodes, "cluster.maxNodes", s.cluster.maxNodes);
    atMost("database.storageGb", s.database.storageGb, "database.maxStorageGb", s.database.maxStorageGb);
    for (const w of ["api", "worker"] as const) {
        atMost(`${w}.minReplicas`, s[w].minReplicas, `${w}.maxReplicas`, s[w].maxReplicas);
        atLeast(`${w}.replicas`, s[w].replicas, `${w}.minReplicas`, s[w].minReplicas);
        atMost(`${w}.replicas`, s[w].replicas, `${w}.maxReplicas`, s[w].maxReplicas);
        for (const kind of ["cpu", "memory"] as const) {
            if (quantity(s[w].resources.requests[kind]) > quantity(s[w].resources.limits[kind])) {
                ctx.problem(`${w}.resources.requests.${kind}`, `must not exceed ${w}.resources.limits.${kind} (${s[w].resources.limits[kind]}); Kubernetes rejects such a pod`);
            }
        }
    }
    for (const kind of ["cpu", "memory"] as const) {
        if (quantity(s.backup.resources.requests[kind]) > quantity(s.backup.resources.limits[kind])) {
            ctx.problem(`backup.resources.requests.${kind}`, `must not exceed backup.resources.limits.${kind} (${s.backup.resources.limits[kind]}); Kubernetes rejects such a pod`);
        }
    }
    if (s.app.port === s.app.metricsPort) ctx.problem("app.metricsPort", `must differ from app.port (${s.app.port})`);
    if (s.ingress.requestTimeoutSeconds < s.app.responseTimeoutSeconds) {
        ctx.problem("ingress.requestTimeoutSeconds", `must be at least app.responseTimeoutSeconds (${s.app.responseTimeoutSeconds}), or the edge cuts off LLM calls the API still waits for`);
    }
    if (s.api.inFlightRequestsTarget > s.app.maxConcurrentAgents) {
        ctx.problem("api.inFlightRequestsTarget", `must be at most app.maxConcurrentAgents (${s.app.maxConcurrentAgents}), or the API would refuse work before it scales out`);
    }
    const drain = s.app.preStopSleepSeconds + s.app.responseTimeoutSeconds;
    if (s.api.terminationGracePeriodSeconds < drain) {
        ctx.problem("api.terminationGracePeriodSeconds", `must be at least app.preStopSleepSeconds + app.responseTimeoutSeconds (${drain}), so requests in flight finish after the endpoints drain`);
    }
    for (const [name, probe] of Object.entries(s.app.probes)) {
        if (probe.timeoutSeconds > probe.periodSeconds) ctx.problem(`app.probes.${name}.timeoutSeconds`, `must be at most app.probes.${name}.periodSeconds (${probe.periodSeconds})`);
    }
    if (!s.image.ref) {
        const context = path.resolve(ctx.root, s.image.buildContext);
        if (!fs.existsSync(context) || !fs.statSync(context).isDirectory()) ctx.problem("image.buildContext", `must be a directory (${context} is not); or set image.ref to a prebuilt image`);
        else if (!fs.existsSync(path.join(context, s.image.dockerfile)))
            ctx.problem("image.dockerfile", `must be a file in image.buildContext (${path.join(context, s.image.dockerfile)} does not exist)`);
    }
    networkRules(ctx);
    const tooWide = apiAccessTooWide(s.cluster.publicAccessCidrs, ctx.environment);
    if (tooWide) ctx.problem("cluster.publicAccessCidrs", `${tooWide}`);
}

/** Every range private, sized as the cloud allows, and no two of the ranges the cloud uses overlapping. */
function networkRules(ctx: RuleContext): void {
    const net = ctx.settings.network;
    const limits: Record<string, PrefixLimits> = networkPrefixLimits[ctx.cloud];
    // On AWS pods take VPC addresses (VPC CNI) and there is no private services range; GKE uses all four.
    const used: [string, string, PrefixLimits | undefined][] =
        ctx.cloud === "aws"
            ? [
                  ["network.cidr", net.cidr, limits.vpc],
                  ["network.servicesCidr", net.servicesCidr, limits.services],
              ]
            : [
                  ["network.cidr", net.cidr, limits.vpc],
                  ["network.podsCidr", net.podsCidr, limits.pods],
                  ["network.servicesCidr", net.servicesCidr, limits.services],
                  ["network.privateServicesCidr", net.privateServicesCidr, limits.privateServices],
              ];
    const ranges = used.map(([key, text, limit]) => ({ key, text, limit, cidr: parseCidr(text) }));
    // Ranges this cloud does not use must still be private: they are declared, and may be used after a move.
    const unused = (["network.podsCidr", "network.privateServicesCidr"] as const).filter((k) => !ranges.some((r) => r.key === k));
    for (const key of unused) {
        const cidr = parseCidr(net[key.split(".")[1] as "podsCidr" | "privateServicesCidr"]);
        if (cidr && !insideAny(cidr, privateIpv4Ranges)) ctx.problem(key, `must be a private range inside ${privateIpv4Ranges.join(", ")} (RFC 1918)`);
    }
    for (const r of ranges) {
        if (!r.cidr) continue;
        if (!insideAny(r.cidr, privateIpv4Ranges)) ctx.problem(r.key, `must be a private range inside ${privateIpv4Ranges.join(", ")} (RFC 1918); a public range shadows real internet hosts`);
        if (r.limit && (r.cidr.prefix < r.limit.largest || r.cidr.prefix > r.limit.smallest)) {
            ctx.problem(r.key, `must be a /${r.limit.largest} to /${r.limit.smallest} range on ${ctx.cloud.toUpperCase()}`);
        }
    }
    for (let i = 0; i < ranges.length; i++) {
        for (let j = i + 1; j < ranges.length; j++) {
            const [a, b] = [ranges[i], ranges[j]];
            if (a.cidr && b.cidr && overlaps(a.cidr, b.cidr)) ctx.problem(b.key, `must not overlap ${a.key} (${a.text})`);
        }
    }
}

/** A CPU ("500m", "2") or memory ("512Mi") quantity as a number of millicores or bytes; the schema has vetted the format. */
export function quantity(q: string): number {
    const units: Record<string, number> = { m: 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti)?$/.exec(q) ?? [undefined, "NaN", undefined];
    return unit ? Number(amount) * units[unit] : Number(amount) * 1000;
}

/**
 * The machine families the nodes may be of. We build for `image.platform`, so the nodes must run it;
 * a prebuilt `image.ref` may be multi-arch, so either family goes. `what` names the architecture asked for.
 */
export function nodeFamiliesFor(image: { platform: string; ref?: string }, x86: readonly string[], arm: readonly string[], armName: string): { families: readonly string[]; what: string } {
    if (image.ref !== undefined) return { families: [...x86, ...arm], what: "" };
    return image.platform === "linux/arm64" ? { families: arm, what: `${armName} (image.platform linux/arm64) ` } : { families: x86, what: "x86_64 (image.platform linux/amd64) " };
}
