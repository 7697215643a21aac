import { ConfigArgumentError, parseConfigArgs } from "../../tools/plan/configArgs";
import { stackConfig } from "../../tools/engine/harness";

describe("-c key=value, as `pulumi config set`", () => {
    test("values are stored as pulumi config set stores them: text without a path; booleans and integers with --path", () => {
        expect(
            parseConfigArgs([
                "ai-platform:cluster.minNodes=5",
                "ai-platform:cluster.deletionProtection=false",
                "gcp:project=acme-agents",
                'ai-platform:cluster.publicAccessCidrs=["10.0.0.0/8"]',
                "ai-platform:owner=",
                "ai-platform:ingress.domain=a=b.example.com",
                "ai-platform:costCenter=4711",
                "ai-platform:cluster.kubernetesVersion=1.30",
                "ai-platform:database.name=0123",
            ]),
        ).toEqual({
            "ai-platform:cluster.minNodes": 5,
            "ai-platform:cluster.deletionProtection": false,
            "gcp:project": "acme-agents",
            "ai-platform:cluster.publicAccessCidrs": '["10.0.0.0/8"]',
            "ai-platform:owner": "",
            "ai-platform:ingress.domain": "a=b.example.com",
            "ai-platform:costCenter": "4711",
            "ai-platform:cluster.kubernetesVersion": "1.30",
            "ai-platform:database.name": "0123",
        });
    });

    test("[n] indexes set list items, as pulumi config set --path does, and may append but not skip", () => {
        const { config } = stackConfig({ stack: "prod", config: parseConfigArgs(["ai-platform:cluster.publicAccessCidrs[1]=198.51.100.0/24", 'ai-platform:app["apiCommand"][0]=node']) });
        expect(config["ai-platform:cluster"]).toEqual({ publicAccessCidrs: ["203.0.113.0/24", "198.51.100.0/24"] });
        expect(config["ai-platform:app"]).toEqual({ apiCommand: ["node"] });
        expect(() => stackConfig({ stack: "prod", config: parseConfigArgs(["ai-platform:cluster.publicAccessCidrs[5]=198.51.100.0/24"]) })).toThrow(/out of range/);
    });

    test("--secret values are always text and mark the key secret; -c over a secure key makes it plain text", () => {
        const { secretKeys } = stackConfig({
            stack: "prod",
            config: parseConfigArgs(["ai-platform:openaiApiKey=sk-plain"]),
            secrets: parseConfigArgs(["geminiApiKey=123"], "--secret", { secret: true }) as Record<string, string>,
        });
        expect(secretKeys.has("ai-platform:geminiApiKey")).toBe(true);
        expect(secretKeys.has("ai-platform:openaiApiKey")).toBe(false);
        expect(secretKeys.has("ai-platform:anthropicApiKey")).toBe(true);
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
        expect(() => parseConfigArgs(["ai-platform:cluster..minNodes=1"])).toThrow(/not a valid path/);
        expect(() => parseConfigArgs(["ai-platform:cluster.list[x]=1"])).toThrow(/neither an index/);
    });
});
