/**
 * The URNs under which the engine finds a resource's earlier state: its own URN and every alias URN,
 * computed the way the Pulumi engine does when the language SDK sends structured aliases
 * (`generateAliases` and `inheritedChildAlias` in pkg/resource/deploy/step_generator.go): each alias
 * spec collapsed to a URN with the resource's own name, type and parent as defaults, then multiplied
 * by every alias of the parent, so renaming a component's type carries all its children along.
 *
 * A rename is safe for a live stack exactly when the old URN is among the new resource's URNs here.
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

/** A URN as the engine builds it: the root stack's type is left out of its children's type chain. */
export function makeUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
    const parentType = parentUrn ? parseUrn(parentUrn).qualifiedType : undefined;
    const qualifiedType = parentType && parentType !== stackType ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

/** The resource's own alias specs as URNs (the engine's `collapseAliasToUrn`). */
function ownAliasUrns(r: AliasedResource): string[] {
    const self = parseUrn(r.urn);
    return (r.aliases ?? r.options?.aliases ?? []).map((alias) => {
        if (alias.urn) return alias.urn;
        const parent = alias.noParent ? undefined : (alias.parentUrn ?? r.parent);
        // Under its own parent, an alias differs from the resource's URN only in its type and name. Kept
        // from that URN, the parent's part stays in whatever form the URNs were made: the engine's (the
        // parent's whole type chain) or the SDK's mock monitor's (the parent's own type only), which the
        // harness and so every recorded plan use.
        if (parent === r.parent && (alias.stack ?? self.stack) === self.stack && (alias.project ?? self.project) === self.project) {
            const chain = self.qualifiedType.split("$");
            chain[chain.length - 1] = alias.type ?? r.type;
            return `urn:pulumi:${self.stack}::${self.project}::${chain.join("$")}::${alias.name ?? r.name}`;
        }
        return makeUrn(alias.stack ?? self.stack, alias.project ?? self.project, parent, alias.type ?? r.type, alias.name ?? r.name);
    });
}

/**
 * A child's alias under one alias of its parent; a name prefixed by the parent's name follows the
 * parent's rename. `wholeChain` says whether the child's URN carries the parent's whole type chain (the
 * engine) or only the parent's own type (the SDK's mock monitor), so the alias is made the same way.
 */
function inheritedChildAlias(childType: string, childName: string, parentName: string, parentAlias: string, wholeChain = true): string {
    const alias = parseUrn(parentAlias);
    const aliasName = childName.startsWith(parentName) ? alias.name + childName.slice(parentName.length) : childName;
    const parentType = wholeChain ? alias.qualifiedType : (alias.qualifiedType.split("$").pop() as string);
    return `urn:pulumi:${alias.stack}::${alias.project}::${parentType}$${childType}::${aliasName}`;
}

/** Every alias URN of every resource, parents first, as the engine computes them during a deployment. */
export function aliasUrns(resources: readonly AliasedResource[]): Map<string, string[]> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const result = new Map<string, string[]>();
    const visit = (r: AliasedResource): string[] => {
        const known = result.get(r.urn);
        if (known) return known;
        const found = new Set(ownAliasUrns(r));
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        if (parent) {
            const { name: parentName, qualifiedType: parentType } = parseUrn(parent.urn);
            const wholeChain = parentType === stackType || parseUrn(r.urn).qualifiedType.startsWith(`${parentType}$`);
            for (const parentAlias of visit(parent)) {
                found.add(inheritedChildAlias(r.type, r.name, parentName, parentAlias, wholeChain));
                for (const own of ownAliasUrns(r)) {
                    const parsed = parseUrn(own);
                    found.add(inheritedChildAlias(parsed.qualifiedType.split("$").pop() as string, parsed.name, parentName, parentAlias, wholeChain));
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
