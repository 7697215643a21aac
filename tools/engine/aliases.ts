/**
 * The URNs under which the engine finds a resource's earlier state: its own URN and every alias URN,
 * computed the way the Pulumi engine does when the language SDK sends structured aliases
 * (`generateAliases` and `inheritedChildAlias` in pkg/resource/deploy/step_generator.go): each alias
 * spec collapsed to a URN with the resource's own name, type and parent as defaults, then multiplied
 * by every alias of the parent, so renaming a component's type carries all its children along.
 *
 * A rename is safe for a live stack exactly when the old URN is among the new resource's URNs here.
 *
 * Pulumi's mocks (`MockMonitor.newUrn`), which the harness and the recorded plans run on, qualify a
 * child's type with its parent's own type only, not the parent's whole chain as the engine does. An
 * alias URN is built the way the resource's own URN was, so the rules hold for both kinds of record
 * (a child of a renamed component inside the foundation is otherwise reported created and deleted).
 */

/** An alias as the SDK sends it: a whole URN, or a spec whose missing parts default to the resource's own. */
export interface AliasRecord {
    urn?: string;
    name?: string;
    type?: string;
    /** The parent's URN; with `noParent` the alias has no parent at all. */
    parentUrn?: string;
    noParent?: boolean;
    stack?: string;
    project?: string;
}

export interface AliasedResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    aliases?: AliasRecord[];
    /** Where the harness and the plan's JSON keep them. */
    options?: { aliases?: AliasRecord[] };
}

interface ParsedUrn {
    stack: string;
    project: string;
    /** The parent's type chain and the type, joined by `$`. */
    qualifiedType: string;
    name: string;
}

const stackType = "pulumi:pulumi:Stack";

export function parseUrn(urn: string): ParsedUrn {
    const match = /^urn:pulumi:([^:]*)::([^:]*)::(.*?)::(.*)$/.exec(urn);
    if (!match) throw new Error(`not a URN: ${urn}`);
    return { stack: match[1], project: match[2], qualifiedType: match[3], name: match[4] };
}

/** How a child's type is qualified: by the parent's whole type chain (the engine) or its own type only (the mocks). */
type Qualification = "chain" | "parentType";

/** A child's qualified type under a parent of `parentType` (a qualified type itself). */
function qualify(parentType: string, type: string, by: Qualification): string {
    return `${by === "chain" ? parentType : (parentType.split("$").pop() as string)}$${type}`;
}

/**
 * A URN as the engine builds it: the root stack's type is left out of its children's type chain.
 * `by: "parentType"` builds it as the mocks do.
 */
export function makeUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string, by: Qualification = "chain"): string {
    const parentType = parentUrn ? parseUrn(parentUrn).qualifiedType : undefined;
    const qualifiedType = parentType && parentType !== stackType ? qualify(parentType, type, by) : type;
    return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

/** How the resource's own URN was qualified by its parent's: the mocks' way only when the two differ, as they do below a chain. */
function qualificationOf(r: AliasedResource): Qualification {
    if (!r.parent) return "chain";
    const parentType = parseUrn(r.parent).qualifiedType;
    return parentType.includes("$") && parseUrn(r.urn).qualifiedType === qualify(parentType, r.type, "parentType") ? "parentType" : "chain";
}

/** The resource's own alias specs as URNs (the engine's `collapseAliasToUrn`). */
function ownAliasUrns(r: AliasedResource, by: Qualification): string[] {
    const self = parseUrn(r.urn);
    return (r.aliases ?? r.options?.aliases ?? []).map((alias) => {
        if (alias.urn) return alias.urn;
        const parent = alias.noParent ? undefined : (alias.parentUrn ?? r.parent);
        return makeUrn(alias.stack ?? self.stack, alias.project ?? self.project, parent, alias.type ?? r.type, alias.name ?? r.name, by);
    });
}

/** A child's alias under one alias of its parent; a name prefixed by the parent's name follows the parent's rename. */
function inheritedChildAlias(childType: string, childName: string, parentName: string, parentAlias: string, by: Qualification): string {
    const alias = parseUrn(parentAlias);
    const aliasName = childName.startsWith(parentName) ? alias.name + childName.slice(parentName.length) : childName;
    return `urn:pulumi:${alias.stack}::${alias.project}::${qualify(alias.qualifiedType, childType, by)}::${aliasName}`;
}

/** Every alias URN of every resource, parents first, as the engine computes them during a deployment. */
export function aliasUrns(resources: readonly AliasedResource[]): Map<string, string[]> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const result = new Map<string, string[]>();
    const visit = (r: AliasedResource): string[] => {
        const known = result.get(r.urn);
        if (known) return known;
        const by = qualificationOf(r);
        const ownAliases = ownAliasUrns(r, by);
        const found = new Set(ownAliases);
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        if (parent) {
            const parentName = parseUrn(parent.urn).name;
            for (const parentAlias of visit(parent)) {
                found.add(inheritedChildAlias(r.type, r.name, parentName, parentAlias, by));
                for (const own of ownAliases) {
                    const parsed = parseUrn(own);
                    found.add(inheritedChildAlias(parsed.qualifiedType.split("$").pop() as string, parsed.name, parentName, parentAlias, by));
                }
            }
        }
        found.delete(r.urn);
        const list = [...found];
        result.set(r.urn, list);
        return list;
    };
    resources.forEach(visit);
    return result;
}

/** What a deployment over a stack recorded in `before` would do by URN: resources kept (by URN or alias), created, deleted. */
export function urnChanges(before: readonly string[], after: readonly AliasedResource[]): { kept: Map<string, string>; created: string[]; deleted: string[] } {
    const aliases = aliasUrns(after);
    const old = new Set(before);
    const kept = new Map<string, string>();
    const created: string[] = [];
    for (const r of after) {
        const match = [r.urn, ...(aliases.get(r.urn) ?? [])].find((u) => old.has(u) && !kept.has(u));
        if (match) kept.set(match, r.urn);
        else created.push(r.urn);
    }
    return { kept, created, deleted: before.filter((u) => !kept.has(u)) };
}
