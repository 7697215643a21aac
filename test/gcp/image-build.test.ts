import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { contentTag } from "../../components/shared/image";
import { runProgram, type ProgramRun } from "../../tools/engine/harness";
import { gcpConfig } from "./gcpStack";

/** With no `image.ref`, the service image is built from `image.buildContext` and pushed to Artifact Registry. */
let run: ProgramRun;
let context: string;

beforeAll(async () => {
    context = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-gcp-image-"));
    fs.writeFileSync(path.join(context, "Dockerfile"), 'FROM node:22-slim\nCOPY server.js .\nCMD ["node", "server.js"]\n');
    fs.writeFileSync(path.join(context, "server.js"), "require('http').createServer((_, res) => res.end('ok')).listen(8080);\n");
    run = await runProgram({ stack: "staging", config: { ...gcpConfig, "ai-platform:image.ref": undefined, "ai-platform:image.buildContext": context } });
});

afterAll(() => fs.rmSync(context, { recursive: true, force: true }));

test("builds the context into the repository with a content tag, never latest", () => {
    const image = run.one("docker:index/image:Image");
    expect(image.inputs.imageName).toBe(`us-central1-docker.pkg.dev/acme-agents/ai-platform-staging/ai-agent:${contentTag(context)}`);
    expect(image.inputs.build).toMatchObject({ context, dockerfile: path.join(context, "Dockerfile"), platform: "linux/amd64" });
    expect(run.dependsOn(image, run.one("gcp:artifactregistry/repository:Repository"))).toBe(true);
});

test("pushes with a short-lived access token as oauth2accesstoken, the token kept secret", () => {
    const image = run.one("docker:index/image:Image");
    expect(image.inputs.registry).toMatchObject({ server: "us-central1-docker.pkg.dev", username: "oauth2accesstoken", password: expect.stringMatching(/^ya29\./) });
    expect(image.secretPaths).toContain("registry.password");
    expect(JSON.stringify(Object.values(run.outputs).filter((o) => !o.secret))).not.toContain(image.inputs.registry.password);
});

test("the stack's imageRef is the pushed digest", () => {
    expect(run.outputs.imageRef.value).toBe(run.one("docker:index/image:Image").state.repoDigest);
    expect(run.outputs.imageRef.value).toMatch(/^us-central1-docker\.pkg\.dev\/acme-agents\/ai-platform-staging\/ai-agent@sha256:[a-f0-9]{64}$/);
});
