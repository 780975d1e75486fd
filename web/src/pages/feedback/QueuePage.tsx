// The staff lists of reports: the operator's queue (new, sent back, extension requests), the unit's
// queue (assigned and in progress, for the unit chosen in the header), and every report in scope.
import { DatePicker, Select, Space, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { API_DATE_FORMAT, DATE_FORMAT, formatDateTime } from '../../format';
import { type MessageKey, useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import { DataTable } from '../../ui/DataTable';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { PageHeader } from '../../ui/PageHeader';
import { FeedbackNav, useCategories } from './common';
import { DeadlineTag, StatusTag, statusLabel, UrgentTag } from './labels';
import { REPORT_STATUSES, type ReportListItem, type ReportStatus } from './types';

export type QueueView = 'operator' | 'unit' | 'all';

const TITLES: Record<QueueView, MessageKey> = {
  operator: 'fb.queue.operator',
  unit: 'fb.queue.unit',
  all: 'fb.queue.all',
};
const SUBTITLES: Record<QueueView, MessageKey> = {
  operator: 'fb.queue.operatorHint',
  unit: 'fb.queue.unitHint',
  all: 'fb.queue.allHint',
};

export default function QueuePage({ view }: { view: QueueView }) {
  const t = useT();
  const { selectedId, filterUnitId } = useOrgUnits();
  const categories = useCategories();
  const [statuses, setStatuses] = useState<ReportStatus[]>([]);
  const [categoryId, setCategoryId] = useState<number | undefined>();
  const [unitId, setUnitId] = useState<number | null>(null);
  const [deadlineStatus, setDeadlineStatus] = useState<'due_tomorrow' | 'overdue' | undefined>();
  const [urgent, setUrgent] = useState(false);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);

  const params = useMemo(
    () => ({
      queue: view === 'all' ? undefined : view,
      status: statuses.join(','),
      categoryId,
      // The unit's queue follows the header's unit; the other lists take the filter (or the header's).
      unitId: view === 'unit' ? (unitId ?? selectedId) : (unitId ?? undefined),
      areaUnitId: view !== 'unit' && unitId === null ? (filterUnitId ?? undefined) : undefined,
      deadlineStatus,
      urgent: urgent ? 'true' : undefined,
      from: range?.[0]?.format(API_DATE_FORMAT),
      to: range?.[1]?.format(API_DATE_FORMAT),
    }),
    [view, statuses, categoryId, unitId, selectedId, filterUnitId, deadlineStatus, urgent, range],
  );

  return (
    <div>
      <FeedbackNav />
      <PageHeader title={t(TITLES[view])} subtitle={t(SUBTITLES[view])} />
      <DataTable<ReportListItem>
        key={view}
        path="/feedback/reports"
        rowKey="id"
        testId="fb-queue-table"
        params={params}
        defaultSort={view === 'unit' ? 'deadline' : '-receivedAt'}
        searchPlaceholder={t('fb.queue.search')}
        filters={
          <>
            <Select<ReportStatus[]>
              mode="multiple"
              allowClear
              maxTagCount="responsive"
              placeholder={t('common.status')}
              value={statuses}
              onChange={setStatuses}
              options={REPORT_STATUSES.map((s) => ({ value: s, label: statusLabel(t, s) }))}
              className="filter-select-wide"
              data-testid="fb-queue-status"
            />
            <Select<number>
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('fb.category')}
              value={categoryId}
              onChange={setCategoryId}
              options={categories.map((c) => ({ value: c.id, label: c.name }))}
              className="filter-select-wide"
              data-testid="fb-queue-category"
            />
            <OrgUnitPicker
              allowClear
              value={unitId}
              onChange={setUnitId}
              placeholder={t('fb.unit')}
              className="filter-select-wide"
              testId="fb-queue-unit"
            />
            <Select
              allowClear
              placeholder={t('fb.deadline')}
              value={deadlineStatus}
              onChange={setDeadlineStatus}
              options={[
                { value: 'due_tomorrow', label: t('fb.deadline.due_tomorrow') },
                { value: 'overdue', label: t('fb.deadline.overdue') },
              ]}
              className="filter-select"
              data-testid="fb-queue-deadline"
            />
            <DatePicker.RangePicker
              format={DATE_FORMAT}
              value={range}
              onChange={setRange}
              placeholder={[t('audit.from'), t('audit.to')]}
              data-testid="fb-queue-dates"
            />
            <Space size={6}>
              <Switch size="small" checked={urgent} onChange={setUrgent} data-testid="fb-queue-urgent" />
              <span>{t('fb.urgentOnly')}</span>
            </Space>
          </>
        }
        columns={[
          {
            title: t('fb.code'),
            dataIndex: 'code',
            key: 'code',
            sorter: true,
            render: (code: string, row) => (
              <Link to={`/feedback/reports/${row.id}`} data-testid={`fb-row-${code}`}>
                {code}
              </Link>
            ),
          },
          {
            title: t('common.status'),
            dataIndex: 'status',
            key: 'status',
            sorter: true,
            render: (status: ReportStatus, row) => (
              <Space size={[0, 4]} wrap>
                <StatusTag status={status} t={t} />
                <UrgentTag urgent={row.urgent} t={t} />
                <DeadlineTag value={row.deadlineStatus} t={t} />
              </Space>
            ),
          },
          { title: t('fb.category'), dataIndex: 'categoryName', key: 'categoryName' },
          {
            title: t('fb.description'),
            dataIndex: 'description',
            key: 'description',
            render: (text: string) => <div className="fb-cell-text">{text}</div>,
          },
          {
            title: t('fb.area'),
            key: 'area',
            render: (_, row) => (
              <div className="fb-cell-text">
                {row.areaUnitName}
                {row.address && <div className="muted">{row.address}</div>}
              </div>
            ),
          },
          { title: t('fb.unit'), dataIndex: 'unitName', key: 'unitName' },
          {
            title: t('fb.receivedAt'),
            dataIndex: 'receivedAt',
            key: 'receivedAt',
            sorter: true,
            defaultSortOrder: view === 'unit' ? undefined : 'descend',
            render: formatDateTime,
          },
          {
            title: t('fb.deadline'),
            dataIndex: 'deadline',
            key: 'deadline',
            sorter: true,
            defaultSortOrder: view === 'unit' ? 'ascend' : undefined,
            render: (deadline: string | null) => formatDateTime(deadline),
          },
        ]}
      />
    </div>
  );
}
