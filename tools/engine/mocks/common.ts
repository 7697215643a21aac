import * as crypto from "crypto";
import type { CallMock, ResourceMock } from "./index";

/** A stable fake value derived from a resource's name, so runs are deterministic. */
export const fakeHash = (seed: string, length = 64) => crypto.createHash("sha256").update(seed).digest("hex").slice(0, length);

export const commonResources: Record<string, ResourceMock> = {
    "random:index/randomPassword:RandomPassword": ({ name, inputs }) => ({ result: `pw${fakeHash(name, Math.max(8, (inputs.length ?? 32) - 2))}` }),
    "random:index/randomId:RandomId": ({ name }) => ({ hex: fakeHash(name, 8), b64Url: fakeHash(name, 11) }),
    "docker:index/image:Image": ({ inputs }) => ({
        repoDigest: `${String(inputs.imageName).replace(/:[^:/]+$/, "")}@sha256:${fakeHash(String(inputs.imageName))}`,
        baseImageName: inputs.imageName,
    }),
};

export const commonCalls: Record<string, CallMock> = {
    "docker:index/getRegistryImage:getRegistryImage": ({ name }) => ({ name, sha256Digest: `sha256:${fakeHash(String(name))}` }),
};
