// Validates Kubernetes objects against the upstream schemas the published packages ship:
// @kubernetes-models/gateway-api (Gateway API, from sigs.k8s.io/gateway-api) and
// @kubernetes-models/envoy-gateway (Envoy Gateway's CRDs, from github.com/envoyproxy/gateway), and
// kubernetes-models (the built-in kinds, from the Kubernetes OpenAPI schema) for every other group.
// The packages are ES modules for Node >= 22, which jest's CommonJS runtime cannot load, so the
// tests run this file with node: objects as a JSON array on stdin, one result per object on stdout.
import { readFileSync } from "node:fs";

const packages = {
    "gateway.networking.k8s.io": "@kubernetes-models/gateway-api/gateway.networking.k8s.io",
    "gateway.envoyproxy.io": "@kubernetes-models/envoy-gateway/gateway.envoyproxy.io",
};

const objects = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const object of objects) {
    const parts = String(object.apiVersion).split("/");
    // The core group is spelled "v1", without a group.
    const [group, version] = parts.length === 1 ? ["", parts[0]] : parts;
    const base = packages[group] ?? (group === "" ? "kubernetes-models" : group.includes(".") || ["apps", "batch", "policy", "autoscaling"].includes(group) ? `kubernetes-models/${group}` : undefined);
    if (!base) {
        results.push({ kind: object.kind, name: object.metadata?.name, error: `no published schema package for ${object.apiVersion}` });
        continue;
    }
    try {
        const models = await import(`${base}/${version}/${object.kind}`);
        const Model = models[object.kind];
        if (typeof Model !== "function") throw new Error(`${base}/${version} has no ${object.kind}`);
        new Model(object).validate();
        results.push({ kind: object.kind, name: object.metadata?.name, error: null });
    } catch (e) {
        results.push({ kind: object.kind, name: object.metadata?.name, error: String(e?.message ?? e) });
    }
}
process.stdout.write(JSON.stringify(results));
