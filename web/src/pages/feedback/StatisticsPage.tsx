// Thống kê: received, verified, resolved on time / late, median handling time, satisfaction — per
// unit, category or month; .xlsx export; a heat map of the report points.
import { FileExcelOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Segmented, Select, Space, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, downloadXlsx } from '../../api';
import { API_DATE_FORMAT, DATE_FORMAT, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import { errorText } from '../../ui/errors';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { PageHeader } from '../../ui/PageHeader';
import { FeedbackNav, useCategories } from './common';
import { FeedbackMap, type MapPoint } from './FeedbackMap';
import type { StatisticsRow } from './types';

type GroupBy = 'unit' | 'category' | 'month';

export default function StatisticsPage() {
  const { t, lang } = useI18n();
  const { filterUnitId } = useOrgUnits();
  const categories = useCategories();
  const [groupBy, setGroupBy] = useState<GroupBy>('unit');
  const [unitId, setUnitId] = useState<number | null>(null);
  const [categoryId, setCategoryId] = useState<number | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>([dayjs().startOf('year'), dayjs()]);
  const [rows, setRows] = useState<StatisticsRow[]>([]);
  const [heat, setHeat] = useState<MapPoint[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [heatError, setHeatError] = useState<string | null>(null);

  const params = useMemo(
    () => ({
      groupBy,
      unitId: unitId ?? filterUnitId ?? undefined,
      categoryId,
      from: range?.[0]?.format(API_DATE_FORMAT),
      to: range?.[1]?.format(API_DATE_FORMAT),
    }),
    [groupBy, unitId, filterUnitId, categoryId, range],
  );

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    // Loaded separately: the table does not wait for (or fail with) the heat map.
    api
      .get<{ items: StatisticsRow[] }>('/feedback/statistics', params, controller.signal)
      .then((stats) => {
        setRows(stats.items);
        setError(null);
      })
      .catch((err) => {
        if (!controller.signal.aborted) setError(errorText(err, lang, t));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    api
      .get<{ items: { lat: number; lng: number; count: number }[] }>(
        '/feedback/heatmap',
        { from: params.from, to: params.to, categoryId: params.categoryId },
        controller.signal,
      )
      .then((heatmap) => {
        // Several translucent circles per busy cell: the colour builds up where reports gather.
        setHeat(
          heatmap.items.flatMap((cell, index) =>
            Array.from({ length: Math.min(cell.count, 8) }, (_, i) => ({ key: `${index}-${i}`, lat: cell.lat, lng: cell.lng })),
          ),
        );
        setHeatError(null);
      })
      .catch((err) => {
        if (!controller.signal.aborted) setHeatError(errorText(err, lang, t));
      });
    return () => controller.abort();
  }, [params, lang, t]);

  const percent = (value: number | null) => (value === null ? '—' : `${formatNumber(Math.round(value * 1000) / 10)} %`);
  const groupTitle = groupBy === 'unit' ? t('fb.unit') : groupBy === 'category' ? t('fb.category') : t('fb.stats.month');

  return (
    <div>
      <FeedbackNav />
      <PageHeader title={t('fb.nav.statistics')} subtitle={t('fb.stats.subtitle')} />
      <Card className="section-gap-bottom" size="small">
        <Space wrap>
          <Segmented<GroupBy>
            value={groupBy}
            onChange={setGroupBy}
            options={[
              { value: 'unit', label: t('fb.stats.byUnit') },
              { value: 'category', label: t('fb.stats.byCategory') },
              { value: 'month', label: t('fb.stats.byMonth') },
            ]}
            data-testid="fb-stats-group"
          />
          <OrgUnitPicker allowClear value={unitId} onChange={setUnitId} placeholder={t('fb.unit')} className="filter-select-wide" testId="fb-stats-unit" />
          <Select<number>
            allowClear
            placeholder={t('fb.category')}
            value={categoryId}
            onChange={setCategoryId}
            options={categories.map((c) => ({ value: c.id, label: c.name }))}
            className="filter-select-wide"
            data-testid="fb-stats-category"
          />
          <DatePicker.RangePicker format={DATE_FORMAT} value={range} onChange={setRange} data-testid="fb-stats-dates" />
          <Button icon={<FileExcelOutlined />} onClick={() => downloadXlsx('/feedback/statistics', params)} data-testid="fb-stats-export">
            {t('table.exportXlsx')}
          </Button>
        </Space>
      </Card>
      {error && <Alert type="error" showIcon title={error} className="section-gap-bottom" />}
      <Table<StatisticsRow>
        className="data-table"
        size="middle"
        rowKey="key"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="fb-stats-table"
        columns={[
          { title: groupTitle, dataIndex: 'label', key: 'label' },
          { title: t('fb.stats.received'), dataIndex: 'received', key: 'received', align: 'right', render: formatNumber },
          { title: t('fb.stats.verified'), dataIndex: 'verified', key: 'verified', align: 'right', render: formatNumber },
          { title: t('fb.stats.rejected'), dataIndex: 'rejected', key: 'rejected', align: 'right', render: formatNumber },
          { title: t('fb.stats.resolved'), dataIndex: 'resolved', key: 'resolved', align: 'right', render: formatNumber },
          { title: t('fb.stats.onTime'), dataIndex: 'resolvedOnTime', key: 'resolvedOnTime', align: 'right', render: formatNumber },
          { title: t('fb.stats.late'), dataIndex: 'resolvedLate', key: 'resolvedLate', align: 'right', render: formatNumber },
          { title: t('fb.stats.overdueOpen'), dataIndex: 'overdueOpen', key: 'overdueOpen', align: 'right', render: formatNumber },
          {
            title: t('fb.stats.median'),
            dataIndex: 'medianHandlingHours',
            key: 'medianHandlingHours',
            align: 'right',
            render: (h: number | null) => (h === null ? '—' : formatNumber(Math.round(h * 10) / 10)),
          },
          { title: t('fb.stats.rated'), dataIndex: 'rated', key: 'rated', align: 'right', render: formatNumber },
          { title: t('fb.stats.satisfaction'), dataIndex: 'satisfactionRate', key: 'satisfactionRate', align: 'right', render: percent },
        ]}
      />
      <Card title={t('fb.stats.heatmap')} className="section-gap">
        {heatError && <Alert type="error" showIcon title={heatError} className="section-gap-bottom" />}
        <FeedbackMap points={heat} heat height={420} testId="fb-stats-heatmap" />
      </Card>
    </div>
  );
}
