// Màn hình điều hành: the figures that matter of every module for a unit (with its subtree) and a
// period, one tile per module, each the same figures as the module's own page and a link to it.
// Read from GET /api/v1/dashboard, again every minute and on "Làm mới".
import { FileExcelOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Row, Space, Spin, Tag, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { buildQuery, downloadXlsx } from '../../api';
import { formatDateTime, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { OrgUnitPicker } from '../../ui/OrgUnitPicker';
import { PageHeader } from '../../ui/PageHeader';
import { useApiGet } from '../../ui/useApiGet';
import { drillDownPath, periodLabel, periodQuery, useReportParams } from '../dossiers/common';
import { PeriodPicker } from '../dossiers/PeriodPicker';
import type { PeriodOut, UnitRef } from '../dossiers/types';
import { formatBillions } from '../projects/common';
import './dashboard.css';

interface Dashboard {
  unit: UnitRef;
  period: PeriodOut;
  readAt: string;
  feedback: { received: number; resolved: number; resolvedOnTime: number; resolvedLate: number; overdueOpen: number; onTimeRate: number | null; rated: number; satisfied: number; satisfactionRate: number | null };
  dossiers: {
    outOf100: number | null;
    complete: boolean;
    received: number;
    handled: number;
    completedOnTime: number;
    completedLate: number;
    inProcessWithin: number;
    inProcessOverdue: number;
    onTimeRate: number | null;
  };
  tasks: { total: number; completedOnTime: number; completedLate: number; inProgressWithin: number; inProgressOverdue: number; onTimeRate: number | null };
  breakthrough: { year: number; items: number; approved: number; completedOnTime: number; completedLate: number; inProgressWithin: number; inProgressOverdue: number };
  projects: { projects: number; totalCapital: number; disbursed: number; disbursementRate: number | null; physicalProgress: number | null; clearanceRate: number | null; obstaclesOpen: number; obstaclesOverdue: number };
}

const REFRESH_MS = 60_000;
const percentText = (value: number | null) => (value === null ? '—' : `${formatNumber(value)}%`);

/** One figure of a tile: its label, its value (data-value for tests and tools), red when it needs attention. */
function Figure({ label, value, text, testId, alert, to }: { label: string; value: number | null; text?: string; testId: string; alert?: boolean; to?: string }) {
  const shown = text ?? (value === null ? '—' : formatNumber(value));
  const strong = (
    <span className={alert && value ? 'dash-figure-value dash-alert' : 'dash-figure-value'} data-testid={testId} data-value={value ?? ''}>
      {shown}
    </span>
  );
  return (
    <div className="dash-figure">
      <span className="muted">{label}</span>
      {to && value ? <Link to={to}>{strong}</Link> : strong}
    </div>
  );
}

/** A module's tile: its headline figure, its other figures and the way to the module's page. */
function Tile({ area, title, headline, to, children }: { area: string; title: string; headline: ReactNode; to: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Card
      title={title}
      className="dash-tile"
      data-testid={`dash-${area}`}
      extra={
        <Link to={to} data-testid={`dash-${area}-more`}>
          {t('dash.more')}
        </Link>
      }
    >
      <div className="dash-headline">{headline}</div>
      {children}
    </Card>
  );
}

function Headline({ value, text, label, testId }: { value: number | null; text: string; label: string; testId: string }) {
  return (
    <>
      <div className="dash-headline-value" data-testid={testId} data-value={value ?? ''}>
        {text}
      </div>
      <div className="muted">{label}</div>
    </>
  );
}

export default function DashboardPage() {
  const { t } = useI18n();
  const { unitId, period, update } = useReportParams();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const query = unitId === null ? null : { unitId, ...periodQuery(period) };
  const answer = useApiGet<Dashboard>('/dashboard', query, { keepPrevious: true, reloadKey: tick });
  const d = answer.data;

  return (
    <div data-testid="dashboard">
      <PageHeader
        title={t('module.dashboard')}
        subtitle={d ? t('dash.subtitle', { unit: d.unit.name, period: periodLabel(t, d.period), at: formatDateTime(d.readAt) }) : undefined}
        extra={
          <Space wrap>
            <Button icon={<ReloadOutlined />} loading={answer.loading} onClick={() => setTick((n) => n + 1)} data-testid="dash-refresh">
              {t('dash.refresh')}
            </Button>
            <Button icon={<FileExcelOutlined />} disabled={!query} onClick={() => query && downloadXlsx('/dashboard', { ...query, format: 'xlsx' })} data-testid="dash-export">
              {t('dash.export')}
            </Button>
          </Space>
        }
      />
      <Card size="small" className="section-gap-bottom">
        <Space wrap size={12}>
          <OrgUnitPicker value={unitId} onChange={(id) => id !== null && update({ unitId: id })} placeholder={t('dash.unit')} className="filter-select-wide" testId="dash-unit" />
          <PeriodPicker value={period} onChange={(next) => update({ period: next })} />
        </Space>
        <Typography.Paragraph type="secondary" className="dash-hint">
          {t('dash.autoRefresh')}
        </Typography.Paragraph>
      </Card>
      {answer.error && <Alert type="error" showIcon title={answer.error} className="section-gap-bottom" data-testid="dash-error" />}
      {!d && !answer.error && (
        <div className="dash-loading">
          <Spin size="large" />
        </div>
      )}
      {d && (
        <Row gutter={[16, 16]} data-testid="dash-tiles" data-unit={d.unit.id} data-from={d.period.from} data-to={d.period.to}>
          <Col xs={24} md={12} xl={8}>
            <Tile area="feedback" title={t('dash.feedback.title')} to="/feedback/statistics" headline={<Headline value={d.feedback.received} text={formatNumber(d.feedback.received)} label={t('dash.feedback.received')} testId="dash-feedback-received" />}>
              <Figure label={t('dash.feedback.resolved')} value={d.feedback.resolved} testId="dash-feedback-resolved" />
              <Figure label={t('dash.feedback.onTimeRate')} value={d.feedback.onTimeRate} text={percentText(d.feedback.onTimeRate)} testId="dash-feedback-onTimeRate" />
              <Figure label={t('dash.feedback.overdueOpen')} value={d.feedback.overdueOpen} testId="dash-feedback-overdueOpen" alert to="/feedback/all" />
              <Figure label={t('dash.feedback.satisfactionRate')} value={d.feedback.satisfactionRate} text={percentText(d.feedback.satisfactionRate)} testId="dash-feedback-satisfactionRate" />
            </Tile>
          </Col>
          <Col xs={24} md={12} xl={8}>
            <Tile
              area="dossiers"
              title={t('dash.dossiers.title')}
              to={`/dossiers${buildQuery({ unitId: d.unit.id, ...periodQuery(period) })}`}
              headline={
                <>
                  <Headline value={d.dossiers.outOf100} text={d.dossiers.outOf100 === null ? '—' : formatNumber(d.dossiers.outOf100)} label={t('dash.dossiers.outOf100')} testId="dash-dossiers-outOf100" />
                  {!d.dossiers.complete && <Tag color="warning">{t('dash.dossiers.incomplete')}</Tag>}
                </>
              }
            >
              <Figure label={t('dash.dossiers.received')} value={d.dossiers.received} testId="dash-dossiers-received" />
              <Figure label={t('dash.dossiers.handled')} value={d.dossiers.handled} testId="dash-dossiers-handled" />
              <Figure label={t('dash.dossiers.onTimeRate')} value={d.dossiers.onTimeRate} text={percentText(d.dossiers.onTimeRate)} testId="dash-dossiers-onTimeRate" />
              <Figure
                label={t('dash.dossiers.inProcessOverdue')}
                value={d.dossiers.inProcessOverdue}
                testId="dash-dossiers-inProcessOverdue"
                alert
                to={drillDownPath({ unitId: String(d.unit.id), from: d.period.from, to: d.period.to, basis: 'handled', asOf: d.period.asOf, timeliness: 'in_process_overdue' })}
              />
            </Tile>
          </Col>
          <Col xs={24} md={12} xl={8}>
            <Tile
              area="tasks"
              title={t('dash.tasks.title')}
              to={`/tasks/scorecard${buildQuery({ unitId: d.unit.id, from: d.period.from, to: d.period.to })}`}
              headline={<Headline value={d.tasks.onTimeRate} text={percentText(d.tasks.onTimeRate)} label={t('dash.tasks.onTimeRate')} testId="dash-tasks-onTimeRate" />}
            >
              <Figure label={t('dash.tasks.total')} value={d.tasks.total} testId="dash-tasks-total" />
              <Figure label={t('dash.tasks.completed')} value={d.tasks.completedOnTime + d.tasks.completedLate} testId="dash-tasks-completed" />
              <Figure label={t('dash.tasks.inProgressWithin')} value={d.tasks.inProgressWithin} testId="dash-tasks-inProgressWithin" />
              <Figure
                label={t('dash.tasks.inProgressOverdue')}
                value={d.tasks.inProgressOverdue}
                testId="dash-tasks-inProgressOverdue"
                alert
                to={`/tasks${buildQuery({ unitId: d.unit.id, timeliness: 'in_progress_overdue' })}`}
              />
            </Tile>
          </Col>
          <Col xs={24} md={12} xl={12}>
            <Tile
              area="breakthrough"
              title={t('dash.breakthrough.title', { year: d.breakthrough.year })}
              to={`/breakthrough${buildQuery({ year: d.breakthrough.year, unitId: d.unit.id })}`}
              headline={<Headline value={d.breakthrough.items} text={formatNumber(d.breakthrough.items)} label={t('dash.breakthrough.items')} testId="dash-breakthrough-items" />}
            >
              <Figure label={t('dash.breakthrough.approved')} value={d.breakthrough.approved} testId="dash-breakthrough-approved" />
              <Figure label={t('dash.breakthrough.completed')} value={d.breakthrough.completedOnTime + d.breakthrough.completedLate} testId="dash-breakthrough-completed" />
              <Figure label={t('dash.breakthrough.inProgressOverdue')} value={d.breakthrough.inProgressOverdue} testId="dash-breakthrough-inProgressOverdue" alert />
            </Tile>
          </Col>
          <Col xs={24} md={24} xl={12}>
            <Tile
              area="projects"
              title={t('dash.projects.title')}
              to="/projects"
              headline={<Headline value={d.projects.projects} text={formatNumber(d.projects.projects)} label={`${t('dash.projects.projects')} · ${formatBillions(d.projects.totalCapital)} ${t('pj.billionDong')}`} testId="dash-projects-projects" />}
            >
              <Figure label={t('dash.projects.disbursementRate')} value={d.projects.disbursementRate} text={percentText(d.projects.disbursementRate)} testId="dash-projects-disbursementRate" />
              <Figure label={t('dash.projects.physicalProgress')} value={d.projects.physicalProgress} text={percentText(d.projects.physicalProgress)} testId="dash-projects-physicalProgress" />
              <Figure label={t('dash.projects.clearanceRate')} value={d.projects.clearanceRate} text={percentText(d.projects.clearanceRate)} testId="dash-projects-clearanceRate" />
              <Figure label={t('dash.projects.obstaclesOverdue')} value={d.projects.obstaclesOverdue} testId="dash-projects-obstaclesOverdue" alert />
            </Tile>
          </Col>
        </Row>
      )}
    </div>
  );
}
