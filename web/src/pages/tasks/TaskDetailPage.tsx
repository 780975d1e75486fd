// One task: its status and timeliness, the clears it was issued with, the progress and the actions
// open to the user (from the detail's `can` flags), the sub-tasks with their weights and shares of the
// roll-up, the progress reports and extension requests, comments, watchers and the history.
import { ApartmentOutlined, ArrowLeftOutlined, EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Result, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api } from '../../api';
import { formatDate, formatDateTime, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { errorText, useApiError } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { clearLabel, DueDate, formatPercent, ProgressBar, StatusTag, sourceKindLabel, TimelinessTag } from './labels';
import { useTaskSettings } from './settings';
import { ReportFileLinks } from './ReportFiles';
import { SplitDialog } from './SplitDialog';
import { TaskActions } from './TaskActions';
import { TaskConversation, TaskHistory } from './TaskActivity';
import type { ClearKey, Task, TaskDetail } from './types';

function ClearValue({ clear, missing, children }: { clear: ClearKey; missing: boolean; children: ReactNode }) {
  const { t } = useI18n();
  return missing ? (
    <Tag color="warning" data-testid={`task-detail-missing-${clear}`}>
      {t('task.detail.missing')}
    </Tag>
  ) : (
    children
  );
}

export default function TaskDetailPage() {
  const { t, lang } = useI18n();
  const { id } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useApiError();
  const { settings } = useTaskSettings();
  const [task, setTask] = useState<TaskDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [splitting, setSplitting] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [watchBusy, setWatchBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setTask(await api.get<TaskDetail>(`/tasks/${id}`));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [id]);
  useEffect(() => {
    setRefusal(null);
    void load();
  }, [load]);

  const toggleWatch = async () => {
    if (!task) return;
    setWatchBusy(true);
    try {
      if (task.watching) await api.delete(`/tasks/${task.id}/watch`);
      else await api.put(`/tasks/${task.id}/watch`);
      message.success(task.watching ? t('task.watch.stopped') : t('task.watch.started'));
      await load();
    } catch (err) {
      showError(err);
    } finally {
      setWatchBusy(false);
    }
  };

  if (error) {
    return (
      <Result
        status={error instanceof ApiError && error.status === 404 ? '404' : error instanceof ApiError && error.status === 403 ? '403' : 'error'}
        title={errorText(error, lang, t)}
        extra={
          <Link to="/tasks">
            <Button>{t('task.backToList')}</Button>
          </Link>
        }
      />
    );
  }
  if (!task) {
    return (
      <div className="full-page-spin">
        <Spin size="large" />
      </div>
    );
  }

  const missing = new Set(task.clarity.missing);
  const sixClears = settings?.sixClears ?? false;
  const shares = new Map(task.rollup.parts.map((p) => [p.taskId, p]));

  return (
    <div data-testid="task-detail" data-status={task.status} data-timeliness={task.timeliness ?? ''}>
      <PageHeader
        title={`${task.code} · ${task.title ?? t('task.untitled')}`}
        subtitle={
          <Space size={4} wrap>
            <StatusTag status={task.status} t={t} />
            <TimelinessTag value={task.timeliness} t={t} testId="task-detail-timeliness" />
            {task.kind !== 'task' && <Tag color="purple">{t(`task.kind.${task.kind}`)}</Tag>}
          </Space>
        }
        extra={
          <Space wrap>
            <Button
              icon={task.watching ? <EyeInvisibleOutlined /> : <EyeOutlined />}
              loading={watchBusy}
              onClick={() => void toggleWatch()}
              data-testid="task-watch"
              data-watching={task.watching}
            >
              {task.watching ? t('task.watch.stop') : t('task.watch.start')}
            </Button>
            <Button icon={<ArrowLeftOutlined />} onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/tasks'))}>
              {t('task.back')}
            </Button>
          </Space>
        }
      />
      {task.parentId !== null && (
        <Alert
          type="info"
          className="section-gap-bottom"
          title={
            <span>
              {t('task.detail.subtaskOf')} <Link to={`/tasks/${task.parentId}`}>{t('task.detail.parentLink')}</Link>
            </span>
          }
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card size="small" title={t('task.detail.progress')}>
            <div className="task-progress-large">
              <ProgressBar task={task} t={t} />
            </div>
            {task.childCount > 0 && <div className="muted">{t('task.progress.rolled', { own: formatPercent(task.progress) })}</div>}
            {refusal && <Alert type="error" showIcon title={refusal} className="section-gap" data-testid="task-issue-refusal" />}
            <div className="section-gap">
              <TaskActions task={task} onChanged={() => void load()} onRefused={setRefusal} />
            </div>
          </Card>

          <Card size="small" title={sixClears ? t('task.detail.sixClears') : t('task.detail.fiveClears')} className="section-gap">
            <Descriptions column={1} size="small" bordered data-testid="task-detail-clears">
              <Descriptions.Item label={clearLabel(t, 'viec')}>
                <ClearValue clear="viec" missing={missing.has('viec')}>
                  <strong>{task.title}</strong>
                  {task.description && <Typography.Paragraph className="task-description">{task.description}</Typography.Paragraph>}
                </ClearValue>
              </Descriptions.Item>
              <Descriptions.Item label={clearLabel(t, 'nguoi')}>
                <ClearValue clear="nguoi" missing={missing.has('nguoi')}>
                  <span data-testid="task-detail-assignee">{task.assignee?.fullName}</span>
                </ClearValue>
              </Descriptions.Item>
              <Descriptions.Item label={clearLabel(t, 'trachNhiem')}>
                <ClearValue clear="trachNhiem" missing={missing.has('trachNhiem')}>
                  <div>
                    {t('task.leadUnit')}: <strong data-testid="task-detail-lead">{task.leadUnit?.name}</strong>
                  </div>
                  {task.supportUnits.length > 0 && (
                    <div>
                      {t('task.supportUnits')}: {task.supportUnits.map((u) => u.name).join(', ')}
                    </div>
                  )}
                </ClearValue>
              </Descriptions.Item>
              <Descriptions.Item label={clearLabel(t, 'thoiGian')}>
                <ClearValue clear="thoiGian" missing={missing.has('thoiGian')}>
                  <DueDate task={task} t={t} />
                </ClearValue>
              </Descriptions.Item>
              <Descriptions.Item label={clearLabel(t, 'ketQua')}>
                <ClearValue clear="ketQua" missing={missing.has('ketQua')}>
                  {task.expectedResult}
                </ClearValue>
              </Descriptions.Item>
              {(sixClears || task.authority) && (
                <Descriptions.Item label={clearLabel(t, 'thamQuyen')}>
                  <ClearValue clear="thamQuyen" missing={missing.has('thamQuyen')}>
                    {task.authority}
                  </ClearValue>
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('task.issuerUnit')}>{task.issuerUnit.name}</Descriptions.Item>
              <Descriptions.Item label={t('task.source')}>
                {task.source ? `${sourceKindLabel(t, task.source.kind)}${task.source.ref ? `: ${task.source.ref}` : ''}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('task.issuedAt')}>{formatDateTime(task.issuedAt)}</Descriptions.Item>
              {task.completedAt && <Descriptions.Item label={t('task.completedAt')}>{formatDateTime(task.completedAt)}</Descriptions.Item>}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <TaskConversation task={task} onChanged={() => void load()} />
        </Col>
      </Row>
      <Card
        size="small"
        title={t('task.detail.children')}
        className="section-gap"
        extra={
          task.can.split && (
            <Button type="primary" icon={<ApartmentOutlined />} onClick={() => setSplitting(true)} data-testid="task-split-open">
              {t('task.action.split')}
            </Button>
          )
        }
      >
        <Table<Task>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={task.children}
          scroll={{ x: 'max-content' }}
          data-testid="task-children"
          locale={{ emptyText: t('task.detail.noChildren') }}
          columns={[
            {
              title: t('task.title'),
              key: 'code',
              render: (_, child) => (
                <div className="task-cell-title">
                  <Link to={`/tasks/${child.id}`} data-testid={`task-child-${child.code}`}>
                    {child.code}
                  </Link>
                  <div>{child.title ?? <span className="muted">{t('task.untitled')}</span>}</div>
                </div>
              ),
            },
            {
              title: t('task.leadAndAssignee'),
              key: 'lead',
              render: (_, child) => (
                <div className="task-cell-unit">
                  {child.leadUnit?.name ?? ''}
                  {child.assignee && <div className="muted">{child.assignee.fullName}</div>}
                </div>
              ),
            },
            {
              title: t('task.dueAndState'),
              key: 'due',
              render: (_, child) => (
                <div>
                  <DueDate task={child} t={t} />
                  <div className="task-state">
                    {child.timeliness ? <TimelinessTag value={child.timeliness} t={t} /> : <StatusTag status={child.status} t={t} />}
                  </div>
                </div>
              ),
            },
            { title: t('task.weight'), key: 'weight', align: 'right', render: (_, child) => formatNumber(child.weight) },
            {
              title: t('task.share'),
              key: 'share',
              align: 'right',
              render: (_, child) => {
                const part = shares.get(child.id);
                return part ? <span data-testid={`task-share-${child.code}`}>{formatPercent(part.share * 100)}</span> : <span className="muted">{t('task.detail.notCounted')}</span>;
              },
            },
            { title: t('task.progress'), key: 'progress', width: 140, render: (_, child) => <ProgressBar task={child} t={t} /> },
          ]}
        />
        {task.rollup.parts.length > 0 && (
          <div className="muted section-gap">{t('task.detail.rollupHint', { total: formatNumber(task.rollup.weightTotal) })}</div>
        )}
      </Card>
      <Row gutter={[16, 16]} className="section-gap">
        <Col xs={24} xl={15}>
          <Card size="small" title={t('task.detail.reports')}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={task.reports}
              data-testid="task-reports"
              locale={{ emptyText: t('task.detail.noReports') }}
              columns={[
                { title: t('task.report.reportedOn'), key: 'on', render: (_, r) => formatDate(r.reportedOn) },
                { title: t('task.report.percent'), key: 'percent', align: 'right', render: (_, r) => <span data-testid="task-report-percent-value">{formatPercent(r.percent)}</span> },
                {
                  title: t('task.report.text'),
                  key: 'text',
                  render: (_, r) => (
                    <div className="task-cell-title">
                      {r.text}
                      {r.reason && <div className="muted">{t('task.report.reasonShown', { reason: r.reason })}</div>}
                      <ReportFileLinks taskId={task.id} report={r} />
                    </div>
                  ),
                },
                { title: t('task.report.by'), key: 'by', render: (_, r) => r.reportedBy?.fullName ?? '' },
              ]}
            />
          </Card>

          <Card size="small" title={t('task.detail.extensions')} className="section-gap">
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={task.extensions}
              data-testid="task-extensions"
              locale={{ emptyText: t('task.detail.noExtensions') }}
              columns={[
                { title: t('task.extension.requestedAt'), key: 'at', render: (_, e) => formatDateTime(e.requestedAt) },
                { title: t('task.extension.change'), key: 'change', render: (_, e) => `${formatDate(e.previousDueOn)} → ${formatDate(e.requestedDueOn)}` },
                { title: t('task.reason'), key: 'reason', render: (_, e) => <div className="task-cell-title">{e.reason}</div> },
                {
                  title: t('task.status'),
                  key: 'status',
                  render: (_, e) => (
                    <Tag color={e.status === 'approved' ? 'green' : e.status === 'refused' ? 'red' : 'gold'} data-status={e.status}>
                      {t(`task.extension.${e.status}`)}
                    </Tag>
                  ),
                },
                { title: t('task.decision.note'), key: 'note', render: (_, e) => e.note ?? '' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <TaskHistory task={task} />
        </Col>
      </Row>
      {task.can.split && <SplitDialog open={splitting} parent={task} sixClears={sixClears} onClose={() => setSplitting(false)} onDone={() => void load()} />}
    </div>
  );
}
