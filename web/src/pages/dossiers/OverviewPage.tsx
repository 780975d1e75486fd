// A unit's overview: the Decision 766 scorecard for a period (the total out of 100 over the points
// measured, each group and each measure), the dossiers handled by timeliness, and the trend by month.
import { FileExcelOutlined, OrderedListOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Row, Space, Spin, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { buildQuery, downloadXlsx } from '../../api';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { PageHeader } from '../../ui/PageHeader';
import { useApiGet } from '../../ui/useApiGet';
import { GroupBars, TrendChart } from './charts';
import { DossiersNav, periodLabel, periodQuery, useReportParams } from './common';
import { formatPoints, labelOr } from './labels';
import { PeriodPicker } from './PeriodPicker';
import { CountLink, ScorecardTable } from './ScorecardTable';
import type { Scorecard, Trend } from './types';

function TotalCard({ card }: { card: Scorecard }) {
  const { t } = useI18n();
  const unmeasured = card.unmeasured.map((m) => m.id).join(', ');
  return (
    <Card className="dos-total-card" title={t('dos.overview.total')}>
      {card.outOf100 === null ? (
        <div className="dos-total" data-testid="dos-total" data-value="">
          <span className="dos-total-none">{t('dos.noData')}</span>
        </div>
      ) : (
        <div className="dos-total" data-testid="dos-total" data-value={card.outOf100}>
          <span className="dos-total-value">{formatPoints(card.outOf100)}</span>
          <span className="dos-total-scale">{t('dos.overview.outOf100')}</span>
        </div>
      )}
      <Typography.Paragraph type="secondary" className="dos-total-note">
        {card.outOf100 === null
          ? t('dos.overview.noneMeasured')
          : t('dos.overview.measured', { earned: formatPoints(card.earned), available: formatPoints(card.available) })}
      </Typography.Paragraph>
      {card.complete ? (
        <Alert type="success" showIcon title={t('dos.overview.complete')} />
      ) : (
        <Alert type="warning" showIcon title={t('dos.overview.incomplete', { ids: unmeasured })} data-testid="dos-incomplete" />
      )}
    </Card>
  );
}

function TimelinessCard({ card }: { card: Scorecard }) {
  const { t } = useI18n();
  return (
    <Card
      title={card.period.asOf < card.period.end ? t('dos.overview.timelinessNow', { at: formatDateTime(card.period.asOf) }) : t('dos.overview.timeliness')}
      className="dos-fill-card"
      data-testid="dos-timeliness"
    >
      <div className="dos-tiles">
        {card.timeliness.map((count) => (
          <div key={count.name} className={`dos-tile dos-tile-${count.name}`}>
            <div className="dos-tile-value">
              <CountLink count={count} t={t} testId={`dos-tl-${count.name}`} />
            </div>
            <div className="muted">{labelOr(t, `dos.tl.${count.name}`, count.label)}</div>
          </div>
        ))}
      </div>
      <Typography.Paragraph type="secondary" className="section-gap">
        {t('dos.overview.linkHint')}
      </Typography.Paragraph>
    </Card>
  );
}

export default function OverviewPage() {
  const { t } = useI18n();
  const { unitId, period, update } = useReportParams();
  const query = unitId === null ? null : { unitId, ...periodQuery(period) };
  const trendYear = period.period === 'range' && period.from ? Number(period.from.slice(0, 4)) : period.year;
  const scorecard = useApiGet<Scorecard>('/dossiers/scorecard', query);
  const trend = useApiGet<Trend>('/dossiers/trend', unitId === null ? null : { unitId, year: trendYear });
  const card = scorecard.data;

  return (
    <div data-testid="dos-overview">
      <DossiersNav />
      <PageHeader
        title={t('dos.overview.title')}
        subtitle={card ? `${card.unit.name} · ${periodLabel(t, card.period)}` : undefined}
        extra={
          <Space wrap>
            {unitId !== null && (
              <Link to={`/dossiers/ranking${buildQuery({ parentId: unitId, ...periodQuery(period) })}`}>
                <Button icon={<OrderedListOutlined />} data-testid="dos-overview-ranking">
                  {t('dos.overview.ranking')}
                </Button>
              </Link>
            )}
            <Button icon={<FileExcelOutlined />} disabled={!query} onClick={() => query && downloadXlsx('/dossiers/scorecard', query)} data-testid="dos-overview-export">
              {t('dos.exportXlsx')}
            </Button>
          </Space>
        }
      />
      <Card size="small" className="section-gap-bottom">
        <Space wrap size={12}>
          <OrgUnitPicker value={unitId} onChange={(id) => id !== null && update({ unitId: id })} placeholder={t('dos.unit')} className="filter-select-wide" testId="dos-overview-unit" />
          <PeriodPicker value={period} onChange={(next) => update({ period: next })} />
        </Space>
      </Card>
      {scorecard.error && <Alert type="error" showIcon title={scorecard.error} className="section-gap-bottom" />}
      {!card && !scorecard.error && (
        <div className="dos-loading">
          <Spin size="large" />
        </div>
      )}
      {card && (
        <>
          {card.method === 'direct' && <Alert type="info" showIcon title={t('dos.overview.method.direct')} className="section-gap-bottom" />}
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={8}>
              <TotalCard card={card} />
            </Col>
            <Col xs={24} lg={16}>
              <TimelinessCard card={card} />
            </Col>
            <Col xs={24} lg={10}>
              <Card title={t('dos.overview.groups')} className="dos-fill-card">
                <GroupBars groups={card.groups} />
              </Card>
            </Col>
            <Col xs={24} lg={14}>
              <Card title={t('dos.overview.trend', { year: trendYear })} className="dos-fill-card">
                {trend.error && <Alert type="error" showIcon title={trend.error} />}
                {!trend.data && !trend.error && <Spin />}
                {trend.data && trend.data.months.length === 0 && <Typography.Text type="secondary">{t('dos.overview.trendEmpty', { year: trendYear })}</Typography.Text>}
                {trend.data && trend.data.months.length > 0 && (
                  <TrendChart
                    months={trend.data.months}
                    year={trend.data.year}
                    selected={period.period === 'month' ? `${period.year}-${String(period.index).padStart(2, '0')}` : undefined}
                    onSelect={(month) => update({ period: { period: 'month', year: trendYear, index: month } })}
                  />
                )}
              </Card>
            </Col>
            <Col span={24}>
              <Card title={t('dos.overview.scorecard')}>
                <ScorecardTable groups={card.groups} />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
