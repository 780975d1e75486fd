// A TreeSelect over the units the user can see; searching ignores diacritics.
import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useOrgUnits } from '../orgUnits';
import { foldText } from '../format';
import type { OrgTreeNode } from './orgTree';

interface OrgUnitPickerProps {
  value?: number | null;
  onChange?: (value: number | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  /** units that cannot be chosen, e.g. a unit's own subtree when moving it */
  excludeIds?: Set<number>;
  /** hide deactivated units */
  activeOnly?: boolean;
  className?: string;
  testId?: string;
  variant?: 'outlined' | 'borderless' | 'filled';
}

interface PickerNode {
  value: number;
  title: string;
  search: string;
  disabled?: boolean;
  children?: PickerNode[];
}

function toPickerNodes(nodes: OrgTreeNode[], exclude?: Set<number>, activeOnly?: boolean): PickerNode[] {
  const result: PickerNode[] = [];
  for (const node of nodes) {
    if (activeOnly && !node.unit.active) continue;
    result.push({
      value: node.key,
      title: node.title,
      search: node.search,
      disabled: exclude?.has(node.key),
      children: node.children ? toPickerNodes(node.children, exclude, activeOnly) : undefined,
    });
  }
  return result;
}

export function OrgUnitPicker(props: OrgUnitPickerProps) {
  const { tree, loading } = useOrgUnits();
  const { excludeIds, activeOnly } = props;
  const treeData = useMemo(() => {
    // Untouched tree nodes already carry value/title/search: reuse them when nothing is filtered.
    if (!excludeIds?.size && !activeOnly) return tree.roots as unknown as PickerNode[];
    return toPickerNodes(tree.roots, excludeIds, activeOnly);
  }, [tree, excludeIds, activeOnly]);

  return (
    <TreeSelect<number | null>
      showSearch
      allowClear={props.allowClear}
      value={props.value ?? undefined}
      onChange={(value) => props.onChange?.(value ?? null)}
      treeData={treeData}
      placeholder={props.placeholder}
      disabled={props.disabled}
      loading={loading}
      className={props.className}
      variant={props.variant}
      data-testid={props.testId}
      treeDefaultExpandedKeys={tree.roots.map((node) => node.key)}
      filterTreeNode={(input, node) => ((node as unknown as PickerNode).search ?? '').includes(foldText(input))}
      popupMatchSelectWidth={false}
      listHeight={360}
      treeNodeLabelProp="title"
    />
  );
}
