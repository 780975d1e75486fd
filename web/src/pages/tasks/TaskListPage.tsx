// Danh sách nhiệm vụ: the tasks in the user's scope, filtered by unit subtree, status, timeliness
// (as of a chosen date), source, assignee, deadline range and text; the filters live in the address.
// Each row shows the deadline in force (and the original one when extended), the rolled-up
// progress and the timeliness.
import { PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Select, Space } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { QueryParams } from '../../api';
import { useAuth } from '../../auth';
import { useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import { DataTable } from '../../ui/DataTable';
import { DateFilter, DateRangeFilter, listParam, MultiSelectFilter, useSearchSetter } from '../../ui/filters';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { PageHeader } from '../../ui/PageHeader';
import { TasksNav, useIssuerUnits } from './common';
import { DueDate, ProgressBar, StatusTag, sourceKindLabel, statusLabel, TimelinessTag, timelinessLabel } from './labels';
import { AssigneePicker } from './pickers';
import { SOURCE_KINDS, type SourceKind, TASK_STATUSES, TIMELINESS, type Task, type TaskStatus, type TaskTimeliness } from './types';

const ROLES = ['lead', 'issued', 'assigned', 'watching'] as const;

function useColumns() {
  const t = useT();
  return [
    {
      title: t('task.code'),
      dataIndex: 'code',
      key: 'code',
      sorter: true,
      fixed: 'left' as const,
      render: (code: string, row: Task) => (
        <Link to={`/tasks/${row.id}`} data-testid={`task-row-${code}`}>
          {code}
        </Link>
      ),
    },
    {
      title: t('task.title'),
      dataIndex: 'title',
      key: 'title',
      render: (title: string | null, row: Task) => (
        <div className="task-cell-title">
          {title ?? <span className="muted">{t('task.untitled')}</span>}
          <div className="muted">
            {t('task.issuedBy', { unit: row.issuerUnit.name })}
            {row.childCount > 0 && ` · ${t('task.childCount', { n: row.childCount })}`}
          </div>
        </div>
      ),
    },
    {
      title: t('task.leadAndAssignee'),
      key: 'leadUnit',
      render: (_: unknown, row: Task) => (
        <div className="task-cell-unit">
          {row.leadUnit?.name ?? ''}
          {row.assignee && <div className="muted">{row.assignee.fullName}</div>}
        </div>
      ),
    },
    {
      title: t('task.dueAndState'),
      dataIndex: 'dueOn',
      key: 'dueOn',
      sorter: true,
      render: (_: unknown, row: Task) => (
        <div>
          <DueDate task={row} t={t} />
          <Space size={4} wrap data-testid={`task-state-${row.code}`} className="task-state">
            {row.timeliness ? <TimelinessTag value={row.timeliness} t={t} /> : <StatusTag status={row.status} t={t} />}
            {row.status === 'submitted' && <StatusTag status={row.status} t={t} />}
          </Space>
        </div>
      ),
    },
    {
      title: t('task.progress'),
      dataIndex: 'rolledProgress',
      key: 'rolledProgress',
      sorter: true,
      width: 150,
      render: (_: unknown, row: Task) => <ProgressBar task={row} t={t} />,
    },
  ];
}

export default function TaskListPage() {
  const t = useT();
  const navigate = useNavigate();
  const { filterUnitId } = useOrgUnits();
  const { search, set } = useSearchSetter();
  const columns = useColumns();
  const canCreate = useIssuerUnits().length > 0;
  const { user } = useAuth();

  const unitId = Number(search.get('unitId')) || filterUnitId;
  const params = useMemo<QueryParams>(() => {
    const fromAddress = Object.fromEntries([...search.entries()].filter(([key]) => key !== 'unitId'));
    return { ...fromAddress, unitId: unitId ?? undefined };
  }, [search, unitId]);

  const status = listParam(search.get('status')) as TaskStatus[];
  const timeliness = listParam(search.get('timeliness')) as TaskTimeliness[];
  const asOf = search.get('asOf');
  const dueFrom = search.get('dueFrom');
  const dueTo = search.get('dueTo');

  return (
    <div>
      <TasksNav />
      <PageHeader
        title={t('task.list.title')}
        subtitle={t('task.list.hint')}
        extra={
          canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/tasks/new')} data-testid="task-create">
              {t('task.create')}
            </Button>
          )
        }
      />
      <DataTable<Task>
        path="/tasks"
        exportPath="/tasks/export.xlsx"
        rowKey="id"
        testId="task-list"
        params={params}
        defaultSort="-updatedAt"
        searchPlaceholder={t('task.list.search')}
        columns={columns}
        filters={
          <>
            <OrgUnitPicker
              allowClear
              value={unitId}
              onChange={(id) => set({ unitId: id })}
              placeholder={t('task.list.unit')}
              className="filter-select-wide"
              testId="task-list-unit"
            />
            <Select
              allowClear
              placeholder={t('task.list.role')}
              value={search.get('role') ?? undefined}
              onChange={(role) => set({ role })}
              options={ROLES.map((role) => ({ value: role, label: t(`task.role.${role}`) }))}
              className="filter-select"
              data-testid="task-list-role"
            />
            <MultiSelectFilter<TaskStatus>
              placeholder={t('task.status')}
              value={status}
              options={TASK_STATUSES}
              label={(value) => statusLabel(t, value)}
              onChange={(values) => set({ status: values.join(',') })}
              testId="task-list-status"
            />
            <MultiSelectFilter<TaskTimeliness>
              placeholder={t('task.tl')}
              value={timeliness}
              options={TIMELINESS}
              label={(value) => timelinessLabel(t, value)}
              onChange={(values) => set({ timeliness: values.join(',') })}
              testId="task-list-timeliness"
            />
            <DateFilter placeholder={t('task.list.asOf')} value={asOf} onChange={(date) => set({ asOf: date })} testId="task-list-asof" />
            <Select<SourceKind>
              allowClear
              placeholder={t('task.list.source')}
              value={(search.get('sourceKind') as SourceKind | null) ?? undefined}
              onChange={(sourceKind) => set({ sourceKind })}
              options={SOURCE_KINDS.map((kind) => ({ value: kind, label: sourceKindLabel(t, kind) }))}
              className="filter-select"
              data-testid="task-list-source"
            />
            <AssigneePicker
              allowClear
              unitId={unitId ?? user?.scope[0]?.id}
              value={Number(search.get('assigneeId')) || null}
              onChange={(id) => set({ assigneeId: id })}
              placeholder={t('task.list.assignee')}
              className="filter-select-wide"
              testId="task-list-assignee"
            />
            <DateRangeFilter
              from={dueFrom}
              to={dueTo}
              placeholder={[t('task.list.dueFrom'), t('task.list.dueTo')]}
              onChange={(from, to) => set({ dueFrom: from, dueTo: to })}
              testId="task-list-due"
            />
            <Checkbox checked={search.get('parentId') === 'root'} onChange={(e) => set({ parentId: e.target.checked ? 'root' : null })} data-testid="task-list-root">
              {t('task.list.rootOnly')}
            </Checkbox>
          </>
        }
      />
    </div>
  );
}
