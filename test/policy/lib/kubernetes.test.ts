import { imagePinProblem, looksLikeCredential, looksSensitive } from "../../../policy/lib/kubernetes";

describe("Kubernetes helpers", () => {
    it.each([
        ["ghcr.io/acme/agent@sha256:" + "0".repeat(64), undefined],
        ["ghcr.io/acme/agent:v1.0.0", undefined],
        ["localhost:5000/agent:1.2", undefined],
        ["localhost:5000/agent", "no tag"],
        ["postgres", "no tag"],
        ["redis:latest", "latest"],
        ["", "no image"],
    ])("imagePinProblem(%j)", (image, problem) => {
        const found = imagePinProblem(image);
        if (problem === undefined) expect(found).toBeUndefined();
        else expect(found).toContain(problem);
    });

    it.each([
        ["OPENAI_API_KEY", true],
        ["DB_PASSWORD", true],
        ["SECRET_KEY_BASE", true],
        ["AWS_ACCESS_KEY_ID", true],
        ["SLACK_WEBHOOK_URL", true],
        ["SENTRY_DSN", true],
        ["LOG_LEVEL", false],
        ["CACHE_KEY_PREFIX", false],
        ["REDIS_URL", false],
        ["DEFAULT_MODEL", false],
    ])("looksSensitive(%s) is %s", (name, expected) => {
        expect(looksSensitive(name)).toBe(expected);
    });

    it("recognises credentials in values", () => {
        expect(looksLikeCredential("postgresql://app:pw@db:5432/x")).toBe(true);
        expect(looksLikeCredential("sk-ant-" + "a".repeat(20))).toBe(true);
        expect(looksLikeCredential("redis://cache:6379/0")).toBe(false);
        expect(looksLikeCredential("info")).toBe(false);
    });
});
