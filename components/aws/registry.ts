import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { ServiceImage } from "../shared/image";
import { standardTags } from "../shared/naming";

export interface RegistryArgs {
    /**
     * `image` (build context, Dockerfile, platform, or a prebuilt `ref`; how many images to keep) and
     * the tag parts.
     * @default image.keepImages: staging 20, prod 50 (stacks/defaults.ts)
     */
    settings: Pick<Settings, "image" | "project" | "environment" | "owner" | "costCenter" | "stack">;
    /** Encrypts the repository. */
    keyArn: pulumi.Input<string>;
    /**
     * Let `pulumi destroy` delete a repository that still holds images.
     * @default staging true, prod false (the opposite of `protectData`, stacks/defaults.ts)
     */
    forceDelete: boolean;
}

/** ECR lifecycle policy: keep the newest `keep` images, expire the rest. */
export function keepNewestImages(keep: number): string {
    return JSON.stringify({
        rules: [
            {
                rulePriority: 1,
                description: `Keep the newest ${keep} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
                action: { type: "expire" },
            },
        ],
    });
}

/**
 * The ECR repository of the service image (immutable tags, scanned on push, KMS-encrypted, pruned to
 * `image.keepImages`) and the image itself, built from `image.buildContext` and pushed with a
 * short-lived ECR token, or taken from `image.ref`. `ref` is always digest-pinned.
 */
export class Registry extends pulumi.ComponentResource {
    public readonly repository: aws.ecr.Repository;
    public readonly image: ServiceImage;
    /** `repository@sha256:…` */
    public readonly ref: pulumi.Output<string>;

    constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:aws:Registry", name, {}, opts);
        const { settings } = args;

        this.repository = new aws.ecr.Repository(
            `${name}-repo`,
            {
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.keyArn }],
                forceDelete: args.forceDelete,
                tags: standardTags(settings),
            },
            { parent: this },
        );
        new aws.ecr.LifecyclePolicy(`${name}-lifecycle`, { repository: this.repository.name, policy: keepNewestImages(settings.image.keepImages) }, { parent: this });

        const token = aws.ecr.getAuthorizationTokenOutput({ registryId: this.repository.registryId }, { parent: this });
        this.image = new ServiceImage(
            `${name}-image`,
            {
                repositoryUrl: this.repository.repositoryUrl,
                registry: { server: token.proxyEndpoint, username: token.userName, password: pulumi.secret(token.password) },
                image: settings.image,
            },
            { parent: this },
        );
        this.ref = this.image.ref;

        this.registerOutputs({ repositoryUrl: this.repository.repositoryUrl, ref: this.ref });
    }
}
