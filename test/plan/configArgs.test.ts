import { ConfigArgumentError, parseConfigArgs } from "../../tools/plan/configArgs";
import { stackConfig } from "../../tools/engine/harness";

describe("-c key=value, as `pulumi config set`", () => {
    test("values parse as JSON when they can, else stay text", () => {
        expect(parseConfigArgs(["ai-platform:cluster.minNodes=5", "ai-platform:cluster.deletionProtection=false", "gcp:project=acme-agents", "ai-platform:cluster.publicAccessCidrs=[\"10.0.0.0/8\"]", "ai-platform:owner=", "ai-platform:ingress.domain=a=b.example.com"])).toEqual({
            "ai-platform:cluster.minNodes": 5,
            "ai-platform:cluster.deletionProtection": false,
            "gcp:project": "acme-agents",
            "ai-platform:cluster.publicAccessCidrs": ["10.0.0.0/8"],
            "ai-platform:owner": "",
            "ai-platform:ingress.domain": "a=b.example.com",
        });
    });

    test("a key without a namespace is the project's, and the last value for a key wins", () => {
        expect(parseConfigArgs(["api.replicas=4", "ai-platform:api.replicas=5"])).toEqual({ "ai-platform:api.replicas": 5 });
    });

    test("a dotted key sets one path of the stack's structured config, like --path", () => {
        const { config } = stackConfig({ stack: "prod", config: parseConfigArgs(["ai-platform:cluster.minNodes=5"]) });
        expect(config["ai-platform:cluster"]).toEqual({ publicAccessCidrs: ["203.0.113.0/24"], minNodes: 5 });
    });

    test("malformed arguments are rejected with what was wrong", () => {
        expect(() => parseConfigArgs(["ai-platform:cloud"])).toThrow(ConfigArgumentError);
        expect(() => parseConfigArgs(["=gcp"])).toThrow(/expected key=value/);
        expect(() => parseConfigArgs(["ai-platform:=gcp"])).toThrow(/is not a config key/);
        expect(() => parseConfigArgs(["ai-platform:cluster..minNodes=1"])).toThrow(/is not a config key/);
    });
});
