import type { RecordedResource } from "../engine/harness";

export interface TreeNode {
    resource: RecordedResource;
    children: TreeNode[];
}

/** One line of the resource tree: the resource, its depth, and the box-drawing prefix that shows it. */
export interface TreeLine {
    resource: RecordedResource;
    depth: number;
    /** `├─ `, `│  └─ ` and so on; empty at the root. */
    prefix: string;
}

export interface TypeCount {
    type: string;
    count: number;
}

/**
 * The resources as a forest, from their `parent` URNs, siblings in the order the run recorded them.
 * A resource whose parent is not among the recorded resources (the stack itself, which the mocked
 * engine does not register) is a root.
 */
export function buildTree(resources: readonly RecordedResource[]): TreeNode[] {
    const nodes = new Map<string, TreeNode>(resources.map((resource) => [resource.urn, { resource, children: [] }]));
    const roots: TreeNode[] = [];
    for (const resource of resources) {
        const node = nodes.get(resource.urn)!;
        const parent = resource.parent !== undefined && resource.parent !== resource.urn ? nodes.get(resource.parent) : undefined;
        (parent ? parent.children : roots).push(node);
    }
    return roots;
}

/**
 * The forest as lines in display order (depth first), with the tree-drawing prefix of each. With
 * `underStack`, the roots hang under a stack line the caller prints first, as `pulumi preview` shows them.
 */
export function treeLines(roots: readonly TreeNode[], options: { underStack?: boolean } = {}): TreeLine[] {
    const lines: TreeLine[] = [];
    const visit = (node: TreeNode, ancestorsLast: boolean[]) => {
        const depth = ancestorsLast.length;
        const guides = ancestorsLast
            .slice(0, -1)
            .map((last) => (last ? "   " : "│  "))
            .join("");
        const prefix = depth === 0 ? "" : guides + (ancestorsLast[depth - 1] ? "└─ " : "├─ ");
        lines.push({ resource: node.resource, depth, prefix });
        node.children.forEach((child, i) => visit(child, [...ancestorsLast, i === node.children.length - 1]));
    };
    roots.forEach((root, i) => visit(root, options.underStack ? [i === roots.length - 1] : []));
    return lines;
}

/** How many resources of each type, most numerous first (ties by type token), and the total. */
export function countByType(resources: readonly RecordedResource[]): { byType: TypeCount[]; total: number; components: number; custom: number } {
    const counts = new Map<string, number>();
    for (const resource of resources) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
    const byType = [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
    const custom = resources.filter((r) => r.custom).length;
    return { byType, total: resources.length, components: resources.length - custom, custom };
}
