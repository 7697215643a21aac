import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { oldestSupportedKubernetesVersion } from "../../stacks/facts/versions";

/** Kubernetes minor versions ("1.31", "1.31.2-gke.100", "v1.31") as [major, minor]. */
export function parseMinor(version: unknown): [number, number] | undefined {
    if (typeof version !== "string") return undefined;
    const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
    return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export function isAtLeast(version: unknown, minimum: string): boolean {
    const v = parseMinor(version);
    const min = parseMinor(minimum);
    if (!v || !min) return false;
    return v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);
}

export const minimumVersionSchema: PolicyConfigJSONSchema = {
    type: "string",
    pattern: "^\\d+\\.\\d+$",
    description: "Oldest Kubernetes minor version still in standard support.",
    default: oldestSupportedKubernetesVersion,
};
