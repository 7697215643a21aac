import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { namePrefix, standardLabels } from "../shared/naming";
import type { Settings } from "../../stacks";
import { childOptions } from "../shared/options";

/** What each customer-managed key protects. */
export type KeyPurpose = "gke-secrets" | "gke-nodes" | "backups" | "registry";

export interface EncryptionKeysArgs {
    settings: Settings;
    purposes: readonly KeyPurpose[];
    /** `protect` on the key ring and keys: losing a key loses the data it encrypts. */
    protect: boolean;
    /**
     * Cloud KMS location of the ring: the stack's region unless a resource elsewhere needs a key (a
     * multi-region bucket's key lives in the multi-region).
     * @default settings.region
     */
    location?: string;
}

/** Rotate key material every 90 days; old versions stay to decrypt what they encrypted. */
export const keyRotationPeriod = `${90 * 24 * 3600}s`;

/**
 * Cloud KMS keys for customer-managed encryption, one per purpose, in the stack's region (GKE and
 * Artifact Registry require the key in the resource's location). Granting a service agent on a key is
 * left to the component that uses it, next to the resource that needs the grant.
 */
export class EncryptionKeys extends pulumi.ComponentResource {
    public readonly keyRing: gcp.kms.KeyRing;
    public readonly keys: Record<KeyPurpose, gcp.kms.CryptoKey>;

    constructor(name: string, args: EncryptionKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:gcp:EncryptionKeys", name, {}, opts);
        const { settings } = args;
        // Key rings can never be deleted on GCP, so a fixed name would block re-creating a destroyed stack.
        const suffix = new random.RandomId(`${name}-suffix`, { byteLength: 2 }, childOptions(this, opts));
        this.keyRing = new gcp.kms.KeyRing(
            `${name}-ring`,
            { name: pulumi.interpolate`${namePrefix(settings)}-${suffix.hex}`, location: args.location ?? settings.region, project: settings.gcpProject },
            childOptions(this, opts, { protect: args.protect }),
        );
        const keys: Partial<Record<KeyPurpose, gcp.kms.CryptoKey>> = {};
        for (const purpose of args.purposes) {
            keys[purpose] = new gcp.kms.CryptoKey(
                `${name}-${purpose}`,
                {
                    name: purpose,
                    keyRing: this.keyRing.id,
                    purpose: "ENCRYPT_DECRYPT",
                    rotationPeriod: keyRotationPeriod,
                    labels: standardLabels(settings, { purpose }),
                },
                childOptions(this, opts, { protect: args.protect }),
            );
        }
        this.keys = keys as Record<KeyPurpose, gcp.kms.CryptoKey>;
        this.registerOutputs({ keyRingId: this.keyRing.id });
    }
}
