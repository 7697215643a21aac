import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { contentTag } from "../../components/shared/image";
import { namePrefix, standardLabels, standardTags, toLabelValue } from "../../components/shared/naming";
import { restrictedContainerProfile, restrictedPodProfile } from "../../components/shared/podSecurity";
import { recordedSoFar, runProgram } from "../../tools/engine/harness";

const identity = { project: "ai-platform", environment: "prod" as const, owner: "Platform Team", costCenter: "AI.Platform/EU", stack: "prod" };

describe("naming and governance metadata", () => {
    test("every resource is tagged with the governance keys the policy pack requires", () => {
        expect(standardTags(identity)).toEqual({ project: "ai-platform", environment: "prod", owner: "Platform Team", "cost-center": "AI.Platform/EU", "managed-by": "pulumi", stack: "prod" });
        expect(standardTags(identity, { component: "db" })).toMatchObject({ component: "db", "managed-by": "pulumi" });
        expect(namePrefix(identity)).toBe("ai-platform-prod");
    });

    test("labels keep the same keys with values GCP and Kubernetes accept", () => {
        const labels = standardLabels(identity);
        expect(Object.keys(labels)).toEqual(Object.keys(standardTags(identity)));
        expect(labels).toMatchObject({ owner: "platform-team", "cost-center": "ai-platform-eu" });
        for (const value of Object.values(labels)) expect(value).toMatch(/^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$/);
    });

    test.each([
        ["Platform Team", "platform-team"],
        ["--leading and trailing--", "leading-and-trailing"],
        ["x".repeat(80), "x".repeat(63)],
        ["ends-with-cut-" + "y".repeat(48) + "-z", "ends-with-cut-" + "y".repeat(48)],
    ])("toLabelValue(%p) is %p", (input, expected) => {
        expect(toLabelValue(input)).toBe(expected);
        expect(toLabelValue(input).length).toBeLessThanOrEqual(63);
    });
});

describe("content tags of the service image", () => {
    let context: string;
    beforeEach(() => {
        context = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-tag-"));
        fs.writeFileSync(path.join(context, "Dockerfile"), "FROM scratch\n");
        fs.mkdirSync(path.join(context, "src"));
        fs.writeFileSync(path.join(context, "src", "server.js"), "console.log(1)\n");
    });
    afterEach(() => fs.rmSync(context, { recursive: true, force: true }));

    test("the same files give the same tag, never latest", () => {
        const tag = contentTag(context);
        expect(tag).toMatch(/^c-[0-9a-f]{16}$/);
        expect(contentTag(context)).toBe(tag);
    });

    test("a changed, added or renamed file changes the tag; node_modules and .git do not", () => {
        const before = contentTag(context);
        fs.mkdirSync(path.join(context, "node_modules"));
        fs.writeFileSync(path.join(context, "node_modules", "x.js"), "ignored\n");
        fs.mkdirSync(path.join(context, ".git"));
        fs.writeFileSync(path.join(context, ".git", "HEAD"), "ref\n");
        expect(contentTag(context)).toBe(before);
        fs.writeFileSync(path.join(context, "src", "server.js"), "console.log(2)\n");
        const edited = contentTag(context);
        expect(edited).not.toBe(before);
        fs.renameSync(path.join(context, "src", "server.js"), path.join(context, "src", "main.js"));
        expect(contentTag(context)).not.toBe(edited);
    });

    test("a missing build context names the settings that fix it", () => {
        expect(() => contentTag(path.join(context, "nope"))).toThrow(/ai-platform:image\.buildContext.*ai-platform:image\.ref/);
    });

    test("an image reference on the latest tag is refused before anything is declared", async () => {
        const error = await runProgram({ stack: "staging", config: { "ai-platform:image.ref": "ghcr.io/acme/agent:latest" } }).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(error?.message).toContain('ai-platform:image.ref = "ghcr.io/acme/agent:latest": must not use the "latest" tag');
        expect(recordedSoFar()).toEqual([]);
    });
});

describe("the restricted Pod Security profile", () => {
    test("containers: no privilege, nothing added, read-only root, RuntimeDefault seccomp", () => {
        expect(restrictedContainerProfile).toEqual({
            runAsNonRoot: true,
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
    });

    test("pods: a fixed non-root user that also owns the volumes", () => {
        expect(restrictedPodProfile(10001)).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
    });
});
