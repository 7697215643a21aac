import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";

export interface ServiceImageArgs {
    /** Registry repository the image is pushed to, without tag (`<registry>/<repo>`). */
    repositoryUrl: pulumi.Input<string>;
    /** Push credentials from the cloud (ECR authorization token / GCP access token); secrets. */
    registry: { server: pulumi.Input<string>; username: pulumi.Input<string>; password: pulumi.Input<string> };
    /** What to build (context, Dockerfile, platform) or the prebuilt reference to use instead. @default build `app/` (Dockerfile) for linux/amd64, keeping 20 images in staging and 50 in prod (stacks/defaults.ts) */
    image: Settings["image"];
}

/**
 * The service image, shared by both clouds: built from the configured context and pushed with a
 * content-derived tag (never `latest`), or taken from a prebuilt reference. Either way the output is
 * digest-pinned, so a rebuild rolls the Deployments and an unchanged context changes nothing.
 */
export class ServiceImage extends pulumi.ComponentResource {
    /** `repository@sha256:…` */
    public readonly ref: pulumi.Output<string>;
    /** The tag that was pushed (content hash), or the prebuilt reference's tag. */
    public readonly tag: string;

    constructor(name: string, args: ServiceImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:shared:ServiceImage", name, {}, opts);

        if (args.image.ref) {
            const prebuilt = args.image.ref;
            this.tag = prebuilt.includes("@") ? prebuilt.split("@")[1] : prebuilt.slice(prebuilt.lastIndexOf(":") + 1);
            this.ref = prebuilt.includes("@sha256:")
                ? pulumi.output(prebuilt)
                : docker.getRegistryImageOutput({ name: prebuilt }, { parent: this }).apply((img) => `${prebuilt.slice(0, prebuilt.lastIndexOf(":"))}@${img.sha256Digest}`);
        } else {
            const context = path.resolve(args.image.buildContext);
            this.tag = contentTag(context);
            const built = new docker.Image(
                `${name}-build`,
                {
                    imageName: pulumi.interpolate`${args.repositoryUrl}:${this.tag}`,
                    build: { context, dockerfile: path.join(context, args.image.dockerfile), platform: args.image.platform },
                    registry: args.registry,
                },
                { parent: this },
            );
            this.ref = built.repoDigest;
        }
        this.registerOutputs({ ref: this.ref });
    }
}

/** A tag derived from the build context's contents: same files, same tag, no rebuild. */
export function contentTag(context: string): string {
    if (!fs.existsSync(context) || !fs.statSync(context).isDirectory()) {
        throw new Error(`ai-platform:image.buildContext: "${context}" is not a directory; set ai-platform:image.buildContext or ai-platform:image.ref`);
    }
    const hash = crypto.createHash("sha256");
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            if (entry.name === "node_modules" || entry.name === ".git") continue;
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (entry.isFile()) hash.update(path.relative(context, full)).update("\0").update(fs.readFileSync(full));
        }
    };
    walk(context);
    return `c-${hash.digest("hex").slice(0, 16)}`;
}
