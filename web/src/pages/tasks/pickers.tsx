// The people a task can be given to (rõ người), and several supporting units at once.
import { Select, TreeSelect } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api';
import { foldText } from '../../format';
import { useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import type { Assignee } from './types';

interface AssigneePickerProps {
  /** the lead unit: the people of its subtree; none picked yet, nobody to choose */
  unitId: number | null | undefined;
  value?: number | null;
  onChange?: (value: number | null) => void;
  /** the person already on the task, shown even before the list arrives */
  current?: { id: number; fullName: string } | null;
  allowClear?: boolean;
  disabled?: boolean;
  placeholder?: string;
  className?: string;
  testId?: string;
}

export function AssigneePicker(props: AssigneePickerProps) {
  const t = useT();
  const { unitId, current } = props;
  const [people, setPeople] = useState<Assignee[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!unitId) {
      setPeople([]);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    api
      .get<{ items: Assignee[] }>('/users/directory', { unitId }, controller.signal)
      .then((result) => setPeople(result.items))
      .catch((error) => {
        if (!controller.signal.aborted) console.error(error);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [unitId]);

  const options = useMemo(() => {
    const list = people.map((p) => ({
      value: p.id,
      label: `${p.fullName} · ${p.unitName}`,
      search: foldText(`${p.fullName} ${p.username} ${p.unitName}`),
      username: p.username,
    }));
    if (current && !list.some((o) => o.value === current.id)) {
      list.unshift({ value: current.id, label: current.fullName, search: foldText(current.fullName), username: '' });
    }
    return list;
  }, [people, current]);

  return (
    <Select<number | null>
      showSearch={{ filterOption: (input, option) => (option?.search ?? '').includes(foldText(input)) }}
      allowClear={props.allowClear}
      value={props.value ?? undefined}
      onChange={(value) => props.onChange?.(value ?? null)}
      options={options}
      loading={loading}
      disabled={props.disabled}
      placeholder={props.placeholder ?? (unitId ? t('task.field.assigneePick') : t('task.field.assigneeFirstUnit'))}
      notFoundContent={unitId ? t('task.field.assigneeNone') : t('task.field.assigneeFirstUnit')}
      className={props.className}
      data-testid={props.testId}
      optionRender={(option) => <span data-testid={`task-assignee-option-${option.data.username}`}>{option.label}</span>}
    />
  );
}

interface UnitsPickerProps {
  value?: number[];
  onChange?: (value: number[]) => void;
  placeholder?: string;
  disabled?: boolean;
  testId?: string;
}

/** Several units from the tree the user can see (the supporting units of a task). */
export function UnitsPicker(props: UnitsPickerProps) {
  const { tree, loading } = useOrgUnits();
  return (
    <TreeSelect<number[]>
      multiple
      showSearch
      allowClear
      treeCheckStrictly={false}
      value={props.value ?? []}
      onChange={(value) => props.onChange?.(value ?? [])}
      treeData={tree.roots}
      placeholder={props.placeholder}
      disabled={props.disabled}
      loading={loading}
      data-testid={props.testId}
      treeDefaultExpandedKeys={tree.roots.map((node) => node.key)}
      filterTreeNode={(input, node) => ((node as unknown as { search?: string }).search ?? '').includes(foldText(input))}
      popupMatchSelectWidth={false}
      listHeight={360}
      treeNodeLabelProp="title"
      maxTagCount="responsive"
    />
  );
}
