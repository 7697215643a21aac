import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { namePrefix, standardLabels } from "../shared/naming";
import type { Settings } from "../../stacks";
import { childOptions } from "../shared/options";

/** What each customer-managed key protects. */
export type KeyPurpose = "gke-secrets" | "gke-nodes" | "backups" | "registry";

export interface KeysArgs {
    /** Names and labels the ring and keys (`project`, `environment`, `owner`, `costCenter`, `stack`); places them in `gcpProject` and `region`. */
    settings: Pick<Settings, "project" | "environment" | "owner" | "costCenter" | "stack" | "gcpProject" | "region">;
    /** One key per purpose, created in the ring. */
    purposes: readonly KeyPurpose[];
    /**
     * `protect` on the key ring and keys: losing a key loses the data it encrypts.
     * @default staging false, prod true (`protectData`, stacks/defaults.ts)
     */
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
export class Keys extends pulumi.ComponentResource {
    public readonly keyRing: gcp.kms.KeyRing;
    public readonly keys: Record<KeyPurpose, gcp.kms.CryptoKey>;

    constructor(name: string, args: KeysArgs, opts?: pulumi.ComponentResourceOptions) {
        // Named EncryptionKeys until both clouds took one name per concern; the alias keeps live stacks' keys.
        super("ai-platform:gcp:Keys", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "ai-platform:gcp:EncryptionKeys" }] });
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
