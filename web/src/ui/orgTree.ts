// Builds the nested org-unit tree from the flat /org-units/tree list once, in O(n).
import { foldText } from '../format';
import type { OrgUnitNode } from '../types';

export interface OrgTreeNode {
  key: number;
  value: number;
  title: string;
  /** folded "name code" for diacritic-insensitive search */
  search: string;
  unit: OrgUnitNode;
  children?: OrgTreeNode[];
}

export interface OrgTree {
  roots: OrgTreeNode[];
  byId: Map<number, OrgTreeNode>;
}

export function buildOrgTree(units: OrgUnitNode[]): OrgTree {
  const byId = new Map<number, OrgTreeNode>();
  for (const unit of units) {
    byId.set(unit.id, {
      key: unit.id,
      value: unit.id,
      title: unit.name,
      search: foldText(`${unit.name} ${unit.code}`),
      unit,
    });
  }
  const roots: OrgTreeNode[] = [];
  for (const unit of units) {
    const node = byId.get(unit.id)!;
    const parent = unit.parentId === null ? undefined : byId.get(unit.parentId);
    if (!parent) roots.push(node);
    else if (parent.children) parent.children.push(node);
    else parent.children = [node];
  }
  const byName = (a: OrgTreeNode, b: OrgTreeNode) => a.title.localeCompare(b.title, 'vi');
  const sortDeep = (nodes: OrgTreeNode[]) => {
    nodes.sort(byName);
    for (const node of nodes) if (node.children) sortDeep(node.children);
  };
  sortDeep(roots);
  return { roots, byId };
}

/** Ids of a unit's ancestors (root first), from the parent links. */
export function ancestorIds(tree: OrgTree, id: number): number[] {
  const ids: number[] = [];
  let current = tree.byId.get(id)?.unit.parentId ?? null;
  while (current !== null) {
    ids.unshift(current);
    current = tree.byId.get(current)?.unit.parentId ?? null;
  }
  return ids;
}

/** Ids of a unit and its whole subtree. */
export function subtreeIds(node: OrgTreeNode): Set<number> {
  const ids = new Set<number>();
  const stack = [node];
  while (stack.length) {
    const current = stack.pop()!;
    ids.add(current.key);
    if (current.children) stack.push(...current.children);
  }
  return ids;
}

/**
 * Keeps the units whose name or code matches the folded query, with their ancestors; a matching
 * unit keeps its whole subtree (collapsed) so it can still be browsed. Returns the pruned copy and
 * the keys to expand so every match is visible.
 */
export function filterOrgTree(roots: OrgTreeNode[], query: string): { roots: OrgTreeNode[]; expanded: number[] } {
  const needle = foldText(query.trim());
  if (!needle) return { roots, expanded: [] };
  const expanded: number[] = [];
  const visit = (nodes: OrgTreeNode[]): OrgTreeNode[] => {
    const kept: OrgTreeNode[] = [];
    for (const node of nodes) {
      const matchingChildren = node.children ? visit(node.children) : [];
      if (matchingChildren.length) expanded.push(node.key);
      if (node.search.includes(needle)) kept.push(node);
      else if (matchingChildren.length) kept.push({ ...node, children: matchingChildren });
    }
    return kept;
  };
  return { roots: visit(roots), expanded };
}
