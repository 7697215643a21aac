import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesNames } from "../contract";
import { ServiceImage } from "../shared/image";
import { namePrefix, standardLabels } from "../shared/naming";
import type { Settings } from "../../stacks";
import { childOptions } from "../shared/options";

export interface RegistryArgs {
    /**
     * `image` (build or prebuilt reference, `keepImages`), `region`, the name and label parts.
     * @default image.keepImages staging 20, prod 50 (stacks/defaults.ts)
     */
    settings: Pick<Settings, "image" | "region" | "project" | "environment" | "owner" | "costCenter" | "stack">;
    /** Cloud KMS key the repository's contents are encrypted with. */
    key: gcp.kms.CryptoKey;
    /** Project number, to name the Artifact Registry service agent. */
    projectNumber: pulumi.Input<string>;
}

/**
 * An Artifact Registry Docker repository (immutable tags, CMEK, cleanup keeping the newest
 * `image.keepImages` versions) and the service image built into it, or the prebuilt one, digest-pinned.
 */
export class Registry extends pulumi.ComponentResource {
    public readonly repository: gcp.artifactregistry.Repository;
    /** `<region>-docker.pkg.dev/<project>/<repository>/<image>` */
    public readonly imageRepositoryUrl: pulumi.Output<string>;
    public readonly image: ServiceImage;

    constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        // Named ImageRegistry until both clouds took one name per concern; the alias keeps live stacks' repository.
        super("ai-platform:gcp:Registry", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "ai-platform:gcp:ImageRegistry" }] });
        const { settings } = args;
        const child = (extra: pulumi.CustomResourceOptions = {}) => childOptions(this, opts, extra);

        const keyGrant = new gcp.kms.CryptoKeyIAMMember(
            `${name}-key`,
            {
                cryptoKeyId: args.key.id,
                role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
                member: pulumi.interpolate`serviceAccount:service-${args.projectNumber}@gcp-sa-artifactregistry.iam.gserviceaccount.com`,
            },
            child(),
        );

        this.repository = new gcp.artifactregistry.Repository(
            `${name}-repository`,
            {
                repositoryId: namePrefix(settings),
                location: settings.region,
                format: "DOCKER",
                description: `ai-platform ${settings.environment} service images`,
                dockerConfig: { immutableTags: true },
                kmsKeyName: args.key.id,
                cleanupPolicyDryRun: false,
                cleanupPolicies: [
                    { id: "keep-newest", action: "KEEP", mostRecentVersions: { keepCount: settings.image.keepImages } },
                    // KEEP wins over DELETE: everything but the newest versions goes.
                    { id: "delete-older", action: "DELETE", condition: { tagState: "ANY" } },
                ],
                labels: standardLabels(settings),
            },
            // The input names the key, not the service agent's grant on it, without which creation fails.
            child({ dependsOn: [keyGrant] }),
        );

        this.imageRepositoryUrl = pulumi.interpolate`${this.repository.registryUri}/${kubernetesNames.appName}`;
        const token = gcp.organizations.getClientConfigOutput({ parent: this });
        this.image = new ServiceImage(
            `${name}-image`,
            {
                repositoryUrl: this.imageRepositoryUrl,
                registry: { server: `${settings.region}-docker.pkg.dev`, username: "oauth2accesstoken", password: pulumi.secret(token.accessToken) },
                image: settings.image,
            },
            // The repository URL carries the repository to the image's build and push.
            { parent: this },
        );
        this.registerOutputs({ imageRef: this.image.ref });
    }
}
