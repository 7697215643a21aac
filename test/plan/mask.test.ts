import type { RecordedResource } from "../../tools/engine/harness";
import { maskedOutput, maskPaths, maskValue, scrubSecrets, SECRET_MASK, secretStrings } from "../../tools/plan/mask";
import { apiVersionAndKind, isDeclaredKubernetesObject, isKubernetesObject, renderManifests, toKubernetesObject } from "../../tools/plan/renderManifests";

/** A recorded resource as the harness would record it, for the pure functions. */
function recorded(type: string, name: string, inputs: Record<string, any>, secretPaths: string[] = [], custom = true): RecordedResource {
    return {
        urn: `urn:pulumi:prod::ai-platform::${type}::${name}`,
        type,
        name,
        custom,
        inputs,
        secretPaths,
        state: {},
        read: false,
        options: { protect: false, ignoreChanges: [], retainOnDelete: false, deleteBeforeReplace: false, additionalSecretOutputs: [], dependencies: [] },
    };
}

const runOf = (...resources: RecordedResource[]) => ({ resources, outputs: {}, config: {}, secretKeys: [] });

describe("maskPaths", () => {
    test("masks a path through lists and keys that contain dots", () => {
        const inputs = {
            metadata: { annotations: { "checksum/config.sha": "s3cret-1", team: "ai" } },
            spec: {
                containers: [
                    {
                        env: [
                            { name: "A", value: "plain" },
                            { name: "B", value: "s3cret-2" },
                        ],
                    },
                ],
            },
        };
        const masked = maskPaths(inputs, ["metadata.annotations.checksum/config.sha", "spec.containers.0.env.1.value"]);
        expect(masked).toEqual({
            metadata: { annotations: { "checksum/config.sha": SECRET_MASK, team: "ai" } },
            spec: {
                containers: [
                    {
                        env: [
                            { name: "A", value: "plain" },
                            { name: "B", value: SECRET_MASK },
                        ],
                    },
                ],
            },
        });
        expect(inputs.spec.containers[0].env[1].value).toBe("s3cret-2");
    });

    test("prefers the longer key when a dotted key shadows a nested one", () => {
        const masked = maskPaths({ a: { b: { c: "plain" } }, "a.b": { c: "s3cret" } }, ["a.b.c"]);
        expect(masked).toEqual({ a: { b: { c: "plain" } }, "a.b": { c: SECRET_MASK } });
    });

    test("masks every value under a secret object or list but keeps its shape", () => {
        expect(maskPaths({ stringData: { A: "x", B: { C: 1, D: [true, "y"] } } }, ["stringData"])).toEqual({
            stringData: { A: SECRET_MASK, B: { C: SECRET_MASK, D: [SECRET_MASK, SECRET_MASK] } },
        });
        expect(maskValue(null)).toBe(SECRET_MASK);
    });

    test("masks the whole value for the empty path, and fails loudly for a path it cannot find", () => {
        expect(maskPaths({ a: "s3cret" }, [""])).toEqual({ a: SECRET_MASK });
        expect(() => maskPaths({ a: { b: "x" } }, ["a.c"])).toThrow(/cannot locate secret path "a\.c"/);
    });

    test("stack outputs are masked whole when secret", () => {
        expect(maskedOutput({ value: { url: "postgres://u:p@h" }, secret: true })).toBe(SECRET_MASK);
        expect(maskedOutput({ value: { url: "https://api" }, secret: false })).toEqual({ url: "https://api" });
    });
});

describe("scrubbing secrets out of free text", () => {
    const leaky = recorded("kubernetes:core/v1:ConfigMap", "leaky", { data: { URL: "postgres://app:pw-0123456789@db:5432/agents", PASSWORD: "pw-0123456789" } });
    const secret = recorded("kubernetes:core/v1:Secret", "db", { stringData: { PASSWORD: "pw-0123456789", SHORT: "abc" } }, ["stringData"]);
    const run = {
        resources: [leaky, secret],
        outputs: { token: { value: "token-abcdefgh", secret: true }, plain: { value: "not-a-secret", secret: false } },
        config: { "ai-platform:openaiApiKey": "mock-secret-openai", "ai-platform:owner": "platform-team" },
        secretKeys: ["ai-platform:openaiApiKey"],
    };

    test("knows the secret values of inputs, outputs and config, but not short or plain ones", () => {
        expect(secretStrings(run).sort()).toEqual(["mock-secret-openai", "pw-0123456789", "token-abcdefgh"]);
    });

    test("replaces them wherever a string contains them", () => {
        expect(scrubSecrets(leaky.inputs, secretStrings(run))).toEqual({ data: { URL: `postgres://app:${SECRET_MASK}@db:5432/agents`, PASSWORD: SECRET_MASK } });
        expect(scrubSecrets("key mock-secret-openai leaked", secretStrings(run))).toBe(`key ${SECRET_MASK} leaked`);
        expect(renderManifests(run)[0].content).not.toContain("pw-0123456789");
    });
});

describe("manifest objects", () => {
    test("take apiVersion and kind from the type token when the inputs lack them", () => {
        expect(apiVersionAndKind(recorded("kubernetes:core/v1:Service", "svc", {}))).toEqual({ apiVersion: "v1", kind: "Service" });
        expect(apiVersionAndKind(recorded("kubernetes:networking.k8s.io/v1:Ingress", "ing", {}))).toEqual({ apiVersion: "networking.k8s.io/v1", kind: "Ingress" });
        expect(apiVersionAndKind(recorded("kubernetes:cert-manager.io/v1:ClusterIssuer", "ci", { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer" }))).toEqual({
            apiVersion: "cert-manager.io/v1",
            kind: "ClusterIssuer",
        });
    });

    test("leave out Helm, providers and components", () => {
        expect(isKubernetesObject(recorded("kubernetes:helm.sh/v3:Release", "r", {}))).toBe(false);
        expect(isKubernetesObject(recorded("kubernetes:helm.sh/v4:Chart", "c", {}, [], false))).toBe(false);
        expect(isKubernetesObject(recorded("kubernetes:yaml/v2:ConfigGroup", "g", {}, [], false))).toBe(false);
        expect(isKubernetesObject(recorded("pulumi:providers:kubernetes", "p", {}))).toBe(false);
        expect(isKubernetesObject(recorded("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "rules", {}))).toBe(true);
    });

    test("keep a Secret's masked data valid base64 and name auto-named objects after the Pulumi name", () => {
        const secret = recorded(
            "kubernetes:core/v1:Secret",
            "db-credentials",
            { apiVersion: "v1", kind: "Secret", metadata: { namespace: "agents" }, data: { password: "czNjcmV0" }, type: "Opaque" },
            ["data"],
        );
        const object = toKubernetesObject(secret);
        expect(object).toEqual({
            apiVersion: "v1",
            kind: "Secret",
            metadata: { namespace: "agents", name: "db-credentials" },
            data: { password: Buffer.from(SECRET_MASK).toString("base64") },
            type: "Opaque",
        });
        const [manifest] = renderManifests(runOf(secret));
        expect(manifest.fileName).toBe("agents_secret_db-credentials.yaml");
        expect(manifest.content).toContain("provider adds a random suffix");
        expect(manifest.content).not.toContain("czNjcmV0");
    });

    test("leave out objects the program only reads with .get()", () => {
        const declared = recorded("kubernetes:core/v1:Service", "api", { apiVersion: "v1", kind: "Service", metadata: { name: "api", namespace: "agents" } });
        const lookup = { ...recorded("kubernetes:core/v1:Service", "ingress-controller", {}), read: true };
        expect(isDeclaredKubernetesObject(declared)).toBe(true);
        expect(isDeclaredKubernetesObject(lookup)).toBe(false);
        expect(renderManifests(runOf(lookup, declared)).map((m) => m.fileName)).toEqual(["agents_service_api.yaml"]);
    });

    test("give colliding objects distinct file names, and objects without a namespace a scope prefix", () => {
        const role = recorded("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "reader", { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "reader" } });
        const cm = recorded("kubernetes:core/v1:ConfigMap", "cm", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" } });
        expect(renderManifests(runOf(role, role, cm)).map((m) => m.fileName)).toEqual(["_cluster_clusterrole_reader.yaml", "_cluster_clusterrole_reader-2.yaml", "_default_configmap_settings.yaml"]);
    });
});
