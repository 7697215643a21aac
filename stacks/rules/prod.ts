import { getAtPath } from "../configPath";
import { clusterZones } from "../defaults";
import { prodMinimums, prodReleaseChannels, prodRequiredFlags, stagingIssuerPattern } from "../facts/prod";
import type { RuleContext } from "./context";

/** Prod may not weaken durability or exposure (facts/prod.ts); staging may. */
export function prodRules(ctx: RuleContext): void {
    if (ctx.environment !== "prod") return;
    const s = ctx.settings;
    const floor = (path: string, value: number, minimum: number, why: string) => value < minimum && ctx.problem(path, `must be at least ${minimum} in prod (${why})`);
    floor("observability.logRetentionDays", s.observability.logRetentionDays, prodMinimums.logRetentionDays, "days of logs for incident review");
    if (ctx.cloud === "aws") floor("network.flowLogRetentionDays", s.network.flowLogRetentionDays, prodMinimums.flowLogRetentionDays, "days of VPC flow logs");
    floor("database.backupRetentionDays", s.database.backupRetentionDays, prodMinimums.databaseBackupRetentionDays, "days of database backups; the prod policy pack requires the same");
    floor("backup.retentionDays", s.backup.retentionDays, prodMinimums.dumpRetentionDays, "days of logical dumps");
    if (ctx.cloud === "aws") floor("cache.snapshotRetentionDays", s.cache.snapshotRetentionDays, prodMinimums.cacheSnapshotRetentionDays, "day of cache snapshots");
    floor("cluster.minNodes", s.cluster.minNodes, prodMinimums.minNodes, "nodes, so one node failing keeps the API up");
    floor("api.minReplicas", s.api.minReplicas, prodMinimums.apiMinReplicas, "API replicas, so a rollout or node drain keeps the API up");
    for (const { path, why } of prodRequiredFlags) {
        if (path === "network.natGatewayPerZone" && ctx.cloud !== "aws") continue;
        if (getAtPath(s, path.split(".")) !== true) ctx.problem(path, `must be true in prod: ${why}`);
    }
    if (stagingIssuerPattern.test(s.ingress.clusterIssuer))
        ctx.problem("ingress.clusterIssuer", "must not be a staging ACME issuer in prod: Let's Encrypt's staging directory issues certificates no client trusts (use letsencrypt-prod)");
    floor("addons.controllerReplicas", s.addons.controllerReplicas, prodMinimums.addonControllerReplicas, "add-on controllers, so cert-manager's and KEDA's webhooks answer through a node drain");
    floor("ingress.proxyReplicas", s.ingress.proxyReplicas, prodMinimums.edgeProxyReplicas, "edge proxies, so the edge survives a node or zone going away");
    floor("worker.minReplicas", s.worker.minReplicas, clusterZones(ctx.cloud, s.network), "workers, one per zone of the cluster");
    if (ctx.cloud === "gcp" && !prodReleaseChannels.includes(s.cluster.releaseChannel))
        ctx.problem("cluster.releaseChannel", `must be ${prodReleaseChannels.join(" or ")} in prod: the RAPID channel is not covered by the GKE SLA`);
}
