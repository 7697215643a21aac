import type { Settings } from "../../stacks";

/**
 * Naming and tagging shared by both clouds and the Kubernetes layer, so that every resource of a
 * stack carries the same governance metadata (the policy pack requires it).
 */

/** Prefix for physical names that must be stable and readable, e.g. `ai-platform-prod`. */
export function namePrefix(settings: Pick<Settings, "project" | "environment">): string {
    return `${settings.project}-${settings.environment}`;
}

/** Tags required on every taggable AWS resource. */
export function standardTags(settings: Pick<Settings, "project" | "environment" | "owner" | "costCenter" | "stack">, extra: Record<string, string> = {}): Record<string, string> {
    return {
        project: settings.project,
        environment: settings.environment,
        owner: settings.owner,
        "cost-center": settings.costCenter,
        "managed-by": "pulumi",
        stack: settings.stack,
        ...extra,
    };
}

/** GCP and Kubernetes label values allow only lower-case letters, digits, `_` and `-`, at most 63 characters. */
export function toLabelValue(value: string): string {
    return value
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, "-")
        .replace(/^[^a-z0-9]+/, "")
        .slice(0, 63)
        .replace(/[^a-z0-9]+$/, "");
}

/** The standard tags as GCP labels (same keys, values made label-safe). */
export function standardLabels(settings: Parameters<typeof standardTags>[0], extra: Record<string, string> = {}): Record<string, string> {
    return Object.fromEntries(Object.entries(standardTags(settings, extra)).map(([k, v]) => [k, toLabelValue(v)]));
}
