// The unit tree: built once from the flat list, filtered by a diacritic-insensitive search, virtual scroll.
import { Empty, Input, Tag, Tree } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { type ComponentRef, type Key, useEffect, useMemo, useRef, useState } from 'react';
import { useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import { ancestorIds, filterOrgTree, type OrgTreeNode } from '../../ui/orgTree';

interface Props {
  selectedId: number | null;
  onSelect: (id: number) => void;
  height: number;
}

export function OrgUnitTreePanel({ selectedId, onSelect, height }: Props) {
  const t = useT();
  const { tree } = useOrgUnits();
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState<Key[]>([]);
  const treeRef = useRef<ComponentRef<typeof Tree>>(null);

  // Open the roots and the path to the chosen unit whenever either changes.
  useEffect(() => {
    const path = selectedId === null ? [] : ancestorIds(tree, selectedId);
    setExpanded((current) => [...new Set([...current, ...tree.roots.map((n) => n.key), ...path])]);
  }, [tree, selectedId]);

  // Bring the chosen unit into view once its ancestors are open (the list is virtual); the wait
  // lets the expand animation finish, during which the rows are not in the list yet.
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll again after the tree reloads
  useEffect(() => {
    if (selectedId === null) return;
    const timer = setTimeout(() => treeRef.current?.scrollTo({ key: selectedId, align: 'auto' }), 400);
    return () => clearTimeout(timer);
  }, [selectedId, tree]);

  const filtered = useMemo(() => filterOrgTree(tree.roots, query), [tree, query]);
  const searching = query.trim() !== '';

  return (
    <div className="org-tree-panel">
      <Input.Search
        allowClear
        placeholder={t('orgUnit.treeSearch')}
        onChange={(event) => setQuery(event.target.value)}
        data-testid="org-units-tree-search"
      />
      <div className="org-tree" data-testid="org-units-tree">
        {filtered.roots.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('orgUnit.treeEmpty')} />
        ) : (
          <Tree
            ref={treeRef}
            blockNode
            showLine
            height={height}
            treeData={filtered.roots as unknown as DataNode[]}
            expandedKeys={searching ? filtered.expanded : expanded}
            onExpand={(keys) => {
              if (!searching) setExpanded(keys);
            }}
            selectedKeys={selectedId === null ? [] : [selectedId]}
            onSelect={(_, info) => onSelect(Number(info.node.key))}
            titleRender={(data) => {
              const node = data as unknown as OrgTreeNode;
              return (
                <span
                  className={node.unit.active ? 'org-tree-title' : 'org-tree-title inactive'}
                  data-testid={`org-unit-node-${node.unit.code}`}
                >
                  {node.title} <span className="muted">({node.unit.code})</span>
                  {!node.unit.active && <Tag className="org-tree-tag">{t('common.inactive')}</Tag>}
                </span>
              );
            }}
          />
        )}
      </div>
    </div>
  );
}
