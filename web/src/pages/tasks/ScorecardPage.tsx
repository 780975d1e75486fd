// Bảng theo dõi nhiệm vụ: for a unit and a period, each unit directly below it (with its subtree)
// and the total: tasks counted, completed on time / late, in progress within / overdue, the on-time
// rate and the rank; exported to .xlsx. Administrators also set "6 rõ" here.
import { FileExcelOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Space, Table, Tag } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, } from 'react';
import { Link } from 'react-router-dom';
import { buildQuery, downloadFile } from '../../api';
import { useAuth } from '../../auth';
import { API_DATE_FORMAT, DATE_FORMAT, formatDate, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { useSearchSetter } from '../../ui/filters';
import { PageHeader } from '../../ui/PageHeader';
import { useApiGet } from '../../ui/useApiGet';
import { TasksNav } from './common';
import { formatPercent } from './labels';
import { SettingsCard } from './settings';
import type { Scorecard, ScorecardRow, UnitRef } from './types';

/** Nulls (nothing judged) sort last whichever way (antd reverses the comparison when descending). */
function byNullable(a: number | null, b: number | null, order?: SortOrder): number {
  if (a !== null && b !== null) return a - b;
  if (a === b) return 0;
  const last = a === null ? 1 : -1;
  return order === 'descend' ? -last : last;
}

type UnitRow = ScorecardRow & { unit: UnitRef };

const COUNTS = [
  ['completedOnTime', 'completed_on_time'],
  ['completedLate', 'completed_late'],
  ['inProgressWithin', 'in_progress_within'],
  ['inProgressOverdue', 'in_progress_overdue'],
] as const;

export default function ScorecardPage() {
  const { t } = useI18n();
  const { isAdmin, user } = useAuth();
  const { selectedId } = useOrgUnits();
  const { search, set } = useSearchSetter();
  const unitId = Number(search.get('unitId')) || selectedId || user?.scope[0]?.id || null;
  const from = search.get('from') ?? dayjs().startOf('year').format(API_DATE_FORMAT);
  const to = search.get('to') ?? dayjs().format(API_DATE_FORMAT);
  const query = useMemo(() => (unitId === null ? null : { unitId, from, to }), [unitId, from, to]);

  const { data: scorecard, loading, error } = useApiGet<Scorecard>('/tasks/scorecard', query, { keepPrevious: true });

  const presets: { label: string; value: [Dayjs, Dayjs] }[] = [
    { label: t('task.period.month'), value: [dayjs().startOf('month'), dayjs()] },
    { label: t('task.period.quarter'), value: [dayjs().month(Math.floor(dayjs().month() / 3) * 3).startOf('month'), dayjs()] },
    { label: t('task.period.year'), value: [dayjs().startOf('year'), dayjs()] },
    { label: t('task.period.lastYear'), value: [dayjs().subtract(1, 'year').startOf('year'), dayjs().subtract(1, 'year').endOf('year')] },
  ];

  /** The tasks behind a row's number: the list filtered to the unit's subtree and that timeliness. */
  const listLink = (row: UnitRow, timeliness?: string) => `/tasks${buildQuery({ unitId: row.unit.id, timeliness, asOf: to })}`;

  const rows = scorecard?.rows.filter((row): row is UnitRow => row.unit !== null) ?? [];
  return (
    <div>
      <TasksNav />
      <PageHeader
        title={t('task.scorecard.title')}
        subtitle={scorecard ? t('task.scorecard.subtitle', { unit: scorecard.unit.name, from: formatDate(scorecard.from), to: formatDate(scorecard.to) }) : t('task.scorecard.pick')}
        extra={
          <Button icon={<FileExcelOutlined />} disabled={!query} onClick={() => query && downloadFile('/tasks/scorecard.xlsx', query)} data-testid="task-scorecard-export">
            {t('table.exportXlsx')}
          </Button>
        }
      />
      <Card size="small" className="section-gap-bottom">
        <Space wrap size={12}>
          <OrgUnitPicker value={unitId} onChange={(id) => id !== null && set({ unitId: id })} placeholder={t('task.list.unit')} className="filter-select-wide" testId="task-scorecard-unit" />
          <DatePicker.RangePicker
            format={DATE_FORMAT}
            allowClear={false}
            value={[dayjs(from), dayjs(to)]}
            presets={presets}
            onChange={(range) => {
              const [start, end] = range ?? [];
              if (start && end) set({ from: start.format(API_DATE_FORMAT), to: end.format(API_DATE_FORMAT) });
            }}
            data-testid="task-scorecard-period"
          />
        </Space>
      </Card>
      {error && <Alert type="error" showIcon title={error} className="section-gap-bottom" />}
      <Table<UnitRow>
        className="data-table"
        size="middle"
        rowKey={(row) => row.unit.id}
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('task.scorecard.empty') }}
        data-testid="task-scorecard"
        summary={() =>
          scorecard && (
            <Table.Summary.Row className="task-scorecard-total" data-testid="task-scorecard-total">
              <Table.Summary.Cell index={0} />
              <Table.Summary.Cell index={1}>
                <strong>{t('task.scorecard.total')}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                <strong>{formatNumber(scorecard.total.total)}</strong>
              </Table.Summary.Cell>
              {COUNTS.map(([field], i) => (
                <Table.Summary.Cell key={field} index={3 + i} align="right">
                  {formatNumber(scorecard.total[field])}
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={7} align="right">
                <strong>{scorecard.total.onTimeRate === null ? '' : formatPercent(scorecard.total.onTimeRate)}</strong>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )
        }
        columns={[
          {
            title: t('task.scorecard.rank'),
            key: 'rank',
            dataIndex: 'rank',
            align: 'center',
            defaultSortOrder: 'ascend',
            sorter: (a, b, order) => byNullable(a.rank, b.rank, order),
            render: (rank: number | null) => (rank === null ? <Tag>{t('task.scorecard.notRanked')}</Tag> : <strong>{rank}</strong>),
          },
          {
            title: t('task.scorecard.unit'),
            key: 'unit',
            sorter: (a, b) => a.unit.name.localeCompare(b.unit.name, 'vi'),
            render: (_, row) => (
              <Link to={`/tasks/scorecard${buildQuery({ unitId: row.unit.id, from, to })}`} data-testid={`task-scorecard-unit-${row.unit.code}`}>
                {row.unit.name}
              </Link>
            ),
          },
          {
            title: t('task.scorecard.count'),
            key: 'total',
            align: 'right',
            sorter: (a, b) => a.total - b.total,
            render: (_, row) => <Link to={listLink(row)}>{formatNumber(row.total)}</Link>,
          },
          ...(['completed', 'inProgress'] as const).map((group) => ({
            title: t(`task.scorecard.${group}`),
            key: group,
            children: COUNTS.filter(([field]) => field.startsWith(group)).map(([field, timeliness]) => ({
              title: t(`task.scorecard.${field}`),
              key: field,
              align: 'right' as const,
              sorter: (a: UnitRow, b: UnitRow) => a[field] - b[field],
              render: (_: unknown, row: UnitRow) => (
                <Link to={listLink(row, timeliness)} className={timeliness === 'in_progress_overdue' && row[field] > 0 ? 'task-late-text' : undefined}>
                  {formatNumber(row[field])}
                </Link>
              ),
            })),
          })),
          {
            title: t('task.scorecard.onTimeRate'),
            key: 'onTimeRate',
            align: 'right',
            sorter: (a, b, order) => byNullable(a.onTimeRate, b.onTimeRate, order),
            render: (_, row) => (row.onTimeRate === null ? <span className="muted">{t('task.scorecard.noData')}</span> : <strong>{formatPercent(row.onTimeRate)}</strong>),
          },
        ]}
      />
      {isAdmin && <SettingsCard />}
    </div>
  );
}
