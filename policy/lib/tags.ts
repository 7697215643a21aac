import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/**
 * Governance metadata, cloud-neutral: a requirement is a list of interchangeable keys (for example
 * `owner` or `cost-center`), one of which must be present with a non-empty value.
 */
export type TagRequirement = string[];

/** The governance keys every environment requires (`components/shared/naming.ts` writes them). */
export const defaultTagRequirements: TagRequirement[] = [["environment"], ["project"], ["owner", "cost-center"], ["managed-by"]];

export function tagRequirementsSchema(defaults: TagRequirement[]): PolicyConfigJSONSchema {
    return {
        type: "array",
        description: "Required keys; each entry lists interchangeable keys, one of which must be set to a non-empty value.",
        items: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
        minItems: 1,
        default: defaults,
    };
}

/**
 * The requirements a set of tags does not meet, rendered as `owner|cost-center`. A key whose value is
 * not known yet counts as present.
 */
export function unmetRequirements(tags: Record<string, unknown>, requirements: TagRequirement[], unknownKeys: ReadonlySet<string> = new Set()): string[] {
    const present = (key: string) => unknownKeys.has(key) || (typeof tags[key] === "string" ? (tags[key] as string).trim() !== "" : tags[key] !== undefined && tags[key] !== null);
    return requirements.filter((alternatives) => !alternatives.some(present)).map((alternatives) => alternatives.join("|"));
}
