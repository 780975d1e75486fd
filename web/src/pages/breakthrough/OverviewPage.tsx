// The province's table (or any unit's, of its subtree): every unit's breakthrough tasks for a year,
// the progress and timeliness of the tasks they became, the year-end review; .xlsx and .docx.
import { FileExcelOutlined, FileWordOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Progress, Statistic, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, downloadFile } from '../../api';
import { formatDate } from '../../format';
import { useT } from '../../i18n';
import { useOrgUnits } from '../../orgUnits';
import { useApiError } from '../../ui/errors';
import { useSearchSetter } from '../../ui/filters';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { PageHeader } from '../../ui/PageHeader';
import { TimelinessTag } from '../tasks/labels';
import { BreakthroughNav } from './BreakthroughRoutes';
import { ListStatusTag, ReviewTag, targetText, YearPicker } from './labels';
import type { Overview, OverviewRow } from './types';

export default function OverviewPage() {
  const t = useT();
  const showError = useApiError();
  const { filterUnitId } = useOrgUnits();
  const { search, set } = useSearchSetter();
  const year = Number(search.get('year')) || new Date().getFullYear();
  const unitId = Number(search.get('unitId')) || filterUnitId || null;
  const [data, setData] = useState<Overview | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .get<Overview>('/breakthrough/overview', { year, unitId }, controller.signal)
      .then(setData)
      .catch((error) => {
        if (!controller.signal.aborted) showError(error);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [year, unitId, showError]);

  const columns = [
    { title: t('bt.col.no'), key: 'no', width: 56, render: (_: unknown, __: OverviewRow, i: number) => i + 1 },
    {
      title: t('bt.col.unit'),
      key: 'unit',
      width: 170,
      render: (_: unknown, r: OverviewRow) => (
        <>
          <Link to={`/breakthrough/lists/${r.registrationId}`}>{r.unit.name}</Link>
          <div>
            <ListStatusTag status={r.registrationStatus} t={t} />
          </div>
        </>
      ),
    },
    { title: t('bt.col.title'), key: 'title', width: 340, render: (_: unknown, r: OverviewRow) => r.item.title },
    { title: t('bt.col.target'), key: 'target', width: 110, render: (_: unknown, r: OverviewRow) => targetText(r.item.targetValue, r.item.targetUnit) },
    { title: t('bt.col.lead'), key: 'lead', width: 160, render: (_: unknown, r: OverviewRow) => r.item.leadUnit?.name },
    { title: t('bt.col.due'), key: 'due', width: 100, render: (_: unknown, r: OverviewRow) => formatDate(r.item.task?.dueOn ?? r.item.dueOn) },
    {
      title: t('bt.col.progress'),
      key: 'progress',
      width: 190,
      render: (_: unknown, r: OverviewRow) =>
        r.item.task ? (
          <>
            <Link to={`/tasks/${r.item.task.id}`} data-testid="bt-task-link">
              {r.item.task.code}
            </Link>
            <Progress percent={Math.round(r.item.task.progress * 10) / 10} size="small" />
            <TimelinessTag value={r.item.task.timeliness} t={t} />
          </>
        ) : (
          <Tag>{t('bt.notIssued')}</Tag>
        ),
    },
    { title: t('bt.col.review'), key: 'review', width: 170, render: (_: unknown, r: OverviewRow) => <ReviewTag item={r.item} t={t} /> },
  ];

  const totals = data?.totals;
  return (
    <div data-testid="bt-overview-page">
      <PageHeader
        title={t('bt.title')}
        subtitle={t('bt.overview.subtitle')}
        extra={
          <div className="bt-toolbar">
            <YearPicker value={year} onChange={(y) => set({ year: y })} testId="bt-year" />
            <OrgUnitPicker value={unitId} onChange={(id) => set({ unitId: id })} placeholder={t('bt.unit')} className="unit-picker" testId="bt-unit" />
            <Button icon={<FileExcelOutlined />} onClick={() => downloadFile('/breakthrough/overview.xlsx', { year, unitId })} data-testid="bt-export-xlsx">
              {t('bt.export.xlsx')}
            </Button>
            <Button icon={<FileWordOutlined />} onClick={() => downloadFile('/breakthrough/overview.docx', { year, unitId })} data-testid="bt-export-docx">
              {t('bt.export.docx')}
            </Button>
          </div>
        }
      />
      <BreakthroughNav />
      {totals && (
        <div className="bt-totals section-gap-bottom" data-testid="bt-totals">
          <Card size="small">
            <Statistic title={t('bt.totals.items')} value={totals.items} />
          </Card>
          <Card size="small">
            <Statistic title={t('bt.totals.approved')} value={totals.approved} />
          </Card>
          <Card size="small">
            <Statistic title={t('bt.totals.onTime')} value={totals.completedOnTime} />
          </Card>
          <Card size="small">
            <Statistic title={t('bt.totals.late')} value={totals.completedLate} />
          </Card>
          <Card size="small">
            <Statistic title={t('bt.totals.within')} value={totals.inProgressWithin} />
          </Card>
          <Card size="small">
            <Statistic title={t('bt.totals.overdue')} value={totals.inProgressOverdue} />
          </Card>
        </div>
      )}
      {totals && (
        <Typography.Paragraph type="secondary">
          {t('bt.totals.review', { achieved: totals.achieved, partly: totals.partly, not: totals.notAchieved })}
        </Typography.Paragraph>
      )}
      {data && data.units.length > 0 && (
        <Card size="small" title={t('bt.overview.units')} className="section-gap-bottom">
          <div className="bt-toolbar" data-testid="bt-units">
            {data.units.map((u) =>
              u.registrationId ? (
                <Link key={u.unit.id} to={`/breakthrough/lists/${u.registrationId}`}>
                  <Tag>
                    {u.unit.name}: {u.status ? t(`bt.status.${u.status}`) : ''} ({u.itemCount})
                  </Tag>
                </Link>
              ) : (
                <Tag key={u.unit.id} color="default" className="bt-muted">
                  {u.unit.name}: {t('bt.overview.notRegistered')}
                </Tag>
              ),
            )}
          </div>
        </Card>
      )}
      <Card size="small" title={t('bt.overview.items')}>
        <Table<OverviewRow>
          rowKey={(r) => r.item.id}
          loading={loading}
          dataSource={data?.rows ?? []}
          columns={columns}
          pagination={false}
          size="small"
          scroll={{ x: 1340 }}
          locale={{ emptyText: <Empty description={t('bt.overview.empty')} /> }}
          data-testid="bt-overview-table"
        />
      </Card>
    </div>
  );
}
