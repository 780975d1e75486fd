// The ranking of the units below a parent unit on the Decision 766 scorecard for a period: the
// total out of 100 over the points measured and each group's points; sortable, exported to .xlsx.
import { FileExcelOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Tag } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { Link } from 'react-router-dom';
import { buildQuery, downloadXlsx } from '../../api';
import { useI18n } from '../../i18n';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { PageHeader } from '../../ui/PageHeader';
import { useApiGet } from '../../ui/useApiGet';
import { DossiersNav, periodLabel, periodQuery, useReportParams } from './common';
import { formatPoints, labelOr } from './labels';
import { PeriodPicker } from './PeriodPicker';
import type { Ranking, RankingRow } from './types';

const GROUP_IDS = [1, 2, 3, 4, 5, 6];

/** Nulls (nothing measured) sort last whichever way (antd reverses the comparison when descending). */
function byNullable(a: number | null, b: number | null, order?: SortOrder): number {
  if (a !== null && b !== null) return a - b;
  if (a === b) return 0;
  const last = a === null ? 1 : -1;
  return order === 'descend' ? -last : last;
}

export default function RankingPage() {
  const { t } = useI18n();
  const { unitId: parentId, period, update } = useReportParams('parentId');
  const query = parentId === null ? null : { parentId, ...periodQuery(period) };
  const { data: ranking, loading, error } = useApiGet<Ranking>('/dossiers/ranking', query, { keepPrevious: true });

  const overviewLink = (row: RankingRow) => `/dossiers${buildQuery({ unitId: row.unit.id, ...periodQuery(period) })}`;

  return (
    <div>
      <DossiersNav />
      <PageHeader
        title={t('dos.ranking.title')}
        subtitle={ranking ? t('dos.ranking.subtitle', { parent: ranking.parent.name, period: periodLabel(t, ranking.period) }) : t('dos.ranking.pick')}
        extra={
          <Button icon={<FileExcelOutlined />} disabled={!query} onClick={() => query && downloadXlsx('/dossiers/ranking', query)} data-testid="dos-ranking-export">
            {t('dos.exportXlsx')}
          </Button>
        }
      />
      <Card size="small" className="section-gap-bottom">
        <Space wrap size={12}>
          <OrgUnitPicker
            value={parentId}
            onChange={(id) => id !== null && update({ unitId: id })}
            placeholder={t('dos.ranking.parent')}
            className="filter-select-wide"
            testId="dos-ranking-parent"
          />
          <PeriodPicker value={period} onChange={(next) => update({ period: next })} />
        </Space>
      </Card>
      {error && <Alert type="error" showIcon title={error} className="section-gap-bottom" />}
      <Table<RankingRow>
        className="data-table"
        size="middle"
        rowKey={(row) => row.unit.id}
        loading={loading}
        dataSource={ranking?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('dos.ranking.empty') }}
        data-testid="dos-ranking-table"
        columns={[
          {
            title: t('dos.ranking.rank'),
            key: 'rank',
            dataIndex: 'rank',
            align: 'center',
            defaultSortOrder: 'ascend',
            sorter: (a, b, order) => byNullable(a.rank, b.rank, order),
            render: (rank: number | null) => (rank === null ? <Tag>{t('dos.ranking.notRanked')}</Tag> : <strong>{rank}</strong>),
          },
          {
            title: t('dos.ranking.unit'),
            key: 'unit',
            sorter: (a, b) => a.unit.name.localeCompare(b.unit.name, 'vi'),
            render: (_, row) => (
              <Link to={overviewLink(row)} data-testid={`dos-ranking-unit-${row.unit.code}`}>
                {row.unit.name}
              </Link>
            ),
          },
          {
            title: t('dos.ranking.outOf100'),
            key: 'outOf100',
            dataIndex: 'outOf100',
            align: 'right',
            sorter: (a, b, order) => byNullable(a.outOf100, b.outOf100, order),
            render: (value: number | null, row) => (
              <Space size={4}>
                <strong>{value === null ? t('dos.noData') : formatPoints(value)}</strong>
                {!row.complete && value !== null && <Tag color="warning">{t('dos.ranking.incomplete')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('dos.ranking.earned'),
            key: 'earned',
            align: 'right',
            sorter: (a, b) => a.earned - b.earned,
            render: (_, row) => t('dos.pointsOf', { score: formatPoints(row.earned), points: formatPoints(row.available) }),
          },
          ...GROUP_IDS.map((id) => ({
            title: (
              <div className="dos-ranking-group">
                {id}. {labelOr(t, `dos.group.${id}`, '')}
              </div>
            ),
            key: `group-${id}`,
            align: 'right' as const,
            sorter: (a: RankingRow, b: RankingRow, order?: SortOrder) =>
              byNullable(a.groups.find((g) => g.id === id)?.score ?? null, b.groups.find((g) => g.id === id)?.score ?? null, order),
            render: (_: unknown, row: RankingRow) => {
              const group = row.groups.find((g) => g.id === id);
              if (!group || group.score === null) return <span className="muted">{t('dos.noData')}</span>;
              return t('dos.pointsOf', { score: formatPoints(group.score), points: formatPoints(group.available) });
            },
          })),
        ]}
      />
    </div>
  );
}
