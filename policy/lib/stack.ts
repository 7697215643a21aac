import type { PolicyResource } from "@pulumi/policy";
import { isKnown, read } from "./values";

/**
 * Cross-resource lookups for stack policies. During preview most identifiers (IDs, ARNs, generated
 * names) are unknown, so a link is established, in order of preference, by the engine's property
 * dependencies, by any dependency, or by equal known values.
 */

/** A resource's known property value, or undefined. */
export function knownProp(r: PolicyResource, key: string): unknown {
    const v = read(() => r.props[key]);
    return isKnown(v) ? v : undefined;
}

/** True when `from` refers to `to`: through `prop`'s dependencies, any dependency, or a matching value. */
export function refersTo(from: PolicyResource, to: PolicyResource, prop: string, targetKeys: readonly string[] = ["id"]): boolean {
    const byProperty = from.propertyDependencies?.[prop];
    if (byProperty && byProperty.length > 0) {
        if (byProperty.includes(to)) return true;
    } else if (from.dependencies.includes(to)) {
        return true;
    }
    const value = knownProp(from, prop);
    if (value === undefined || value === null || value === "") return false;
    const values = Array.isArray(value) ? value : [value];
    return targetKeys.some((k) => {
        const target = knownProp(to, k);
        return target !== undefined && target !== "" && values.some((v) => v === target || (typeof v === "string" && typeof target === "string" && v.endsWith(`/${target}`)));
    });
}

/** The resources of the given types that refer to `target` through `prop`. */
export function referrers(resources: PolicyResource[], target: PolicyResource, types: readonly string[], prop: string, targetKeys?: readonly string[]): PolicyResource[] {
    return resources.filter((r) => types.includes(r.type) && refersTo(r, target, prop, targetKeys));
}

export function ofTypes(resources: PolicyResource[], types: readonly string[]): PolicyResource[] {
    return resources.filter((r) => types.includes(r.type));
}

export function label(r: PolicyResource): string {
    return `${r.type.slice(r.type.lastIndexOf(":") + 1)} "${r.name}"`;
}
