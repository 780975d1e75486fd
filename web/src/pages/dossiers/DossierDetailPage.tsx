// One dossier: its fields, the timeline in the order things happened (status events, supplement
// requests and answers with the days they paused the clock), the due date and how it was counted,
// its timeliness now and as of a chosen date, and for a late dossier the apology letter.
import { ArrowLeftOutlined, FileWordOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Result, Row, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api } from '../../api';
import { formatDate, formatDateTime, formatNumber } from '../../format';
import { type MessageKey, type Translate, useI18n } from '../../i18n';
import { DateFilter, useSearchSetter } from '../../ui/filters';
import { errorText } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { ApologyLetterModal } from './ApologyLetterModal';
import { channelLabel, lateReasonLabel, StatusTag, statusLabel, TimelinessTag, yesNo } from './labels';
import type { DossierDetail, Judged, TimelineEntry } from './types';

/** Late now and not over yet: a new return date can still be promised (the server checks it again). */
export function canWriteLetter(d: DossierDetail): boolean {
  const late = d.now.timeliness === 'in_process_overdue' || d.now.timeliness === 'completed_late';
  const open = d.endedStatus === null || (d.endedStatus === 'processed' && d.status !== 'returned');
  return late && open;
}

function DeadlineExplained({ dossier, judged, t }: { dossier: DossierDetail; judged: Judged; t: Translate }) {
  const d = judged.deadline;
  if (!d) return <Typography.Paragraph type="secondary">{t('dos.detail.noDeadline')}</Typography.Paragraph>;
  return (
    <ul className="dos-deadline-steps" data-testid="dos-deadline">
      <li>
        {d.basis === 'promised'
          ? t('dos.detail.basis.promised', { date: formatDate(d.promisedOn) })
          : t('dos.detail.basis.processing_time', { days: formatNumber(d.processingWorkingDays ?? 0), date: formatDate(d.baseDueDate) })}
        {d.basis === 'processing_time' && <span className="muted"> ({formatDateTime(dossier.receivedAt)})</span>}
      </li>
      <li>{d.pausedWorkingDays > 0 ? t('dos.detail.pausedTotal', { n: formatNumber(d.pausedWorkingDays), requests: formatNumber(d.supplementRequests) }) : t('dos.detail.noPause')}</li>
      <li>
        <strong data-testid="dos-due-date">{t('dos.detail.dueDate', { date: formatDate(d.dueDate) })}</strong>
      </li>
    </ul>
  );
}

function JudgedLine({ judged, t, testId }: { judged: Judged; t: Translate; testId: string }) {
  return (
    <div data-testid={testId}>
      <TimelinessTag value={judged.timeliness} t={t} testId={`${testId}-tag`} />
      {judged.lateReasons.length > 0 && (
        <Typography.Text type="danger">{t('dos.detail.lateBecause', { reasons: judged.lateReasons.map((r) => lateReasonLabel(t, r)).join(', ') })}</Typography.Text>
      )}
    </div>
  );
}

type TimelineItem = Omit<TimelineEntry, 'kind'> & { kind: TimelineEntry['kind'] | 'received' };

/**
 * The timeline with the receipt itself, where no status event stands for it (a file row gives the
 * latest status only): the dossier's receipt is a fact of its own, shown in its place by time.
 */
function withReceipt(d: DossierDetail): TimelineItem[] {
  const received = Date.parse(d.receivedAt);
  const stated = d.timeline.some((e) => e.kind === 'status' && (e.status === 'accepted' || e.status === 'registered') && Date.parse(e.at) === received);
  if (stated) return d.timeline;
  const after = d.timeline.findIndex((e) => Date.parse(e.at) > received);
  const at = after === -1 ? d.timeline.length : after;
  const receipt: TimelineItem = { at: d.receivedAt, kind: 'received', status: null, label: '', pausedWorkingDays: null };
  return [...d.timeline.slice(0, at), receipt, ...d.timeline.slice(at)];
}

function timelineLabel(t: Translate, entry: TimelineItem): string {
  if (entry.kind === 'status' && entry.status) return statusLabel(t, entry.status);
  if (entry.kind === 'received') return t('dos.detail.received');
  return entry.kind === 'supplement_requested' ? t('dos.detail.supplementRequested') : t('dos.detail.supplementAnswered');
}

const TIMELINE_COLORS: Record<TimelineItem['kind'], string> = { received: 'gray', status: 'blue', supplement_requested: 'orange', supplement_answered: 'green' };

export default function DossierDetailPage() {
  const { t, lang } = useI18n();
  const { id } = useParams();
  const navigate = useNavigate();
  const { search, set } = useSearchSetter();
  const asOf = search.get('asOf');
  const [dossier, setDossier] = useState<DossierDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [writing, setWriting] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<DossierDetail>(`/dossiers/${id}`, { asOf: asOf ?? undefined }, controller.signal)
      .then((result) => {
        setDossier(result);
        setError(null);
      })
      .catch((err) => {
        if (!controller.signal.aborted) setError(err);
      });
    return () => controller.abort();
  }, [id, asOf]);

  const back = () => (window.history.length > 1 ? navigate(-1) : navigate('/dossiers/list'));

  if (error) {
    return (
      <Result
        status={error instanceof ApiError && error.status === 404 ? '404' : 'error'}
        title={errorText(error, lang, t)}
        extra={
          <Link to="/dossiers/list">
            <Button>{t('dos.detail.back')}</Button>
          </Link>
        }
      />
    );
  }
  if (!dossier) {
    return (
      <div className="full-page-spin">
        <Spin size="large" />
      </div>
    );
  }

  const d = dossier;
  return (
    <div data-testid="dos-detail" data-timeliness={d.now.timeliness}>
      <PageHeader
        title={t('dos.detail.title', { code: d.code })}
        subtitle={
          <Space size={4} wrap>
            <StatusTag status={d.status} t={t} />
            <TimelinessTag value={d.now.timeliness} t={t} />
            {d.waitingForCitizen && <Tag color="gold">{t('dos.waitingForCitizen')}</Tag>}
          </Space>
        }
        extra={
          <Space wrap>
            {canWriteLetter(d) && (
              <Button type="primary" icon={<FileWordOutlined />} onClick={() => setWriting(true)} data-testid="dos-letter-open">
                {t('dos.letter.open')}
              </Button>
            )}
            <Button icon={<ArrowLeftOutlined />} onClick={back}>
              {t('dos.detail.back')}
            </Button>
          </Space>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t('dos.detail.fields')}>
            <Descriptions column={{ xs: 1, md: 2, xl: 1, xxl: 2 }} size="small" bordered>
              <Descriptions.Item label={t('dos.code')}>
                <span data-testid="dos-detail-code">{d.code}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('dos.source')}>{d.sourceName}</Descriptions.Item>
              <Descriptions.Item label={t('dos.procedure')} span={2}>
                {d.procedureName}
                <div className="muted">
                  {d.procedureCode}
                  {' · '}
                  {d.procedureProcessingDays === null
                    ? ''
                    : d.procedureProcessingDays === 0
                      ? t('dos.processingDaysSameDay')
                      : t('dos.processingDays', { n: d.procedureProcessingDays })}
                  {' · '}
                  {t(`dos.online.${d.procedureOnline}` as MessageKey)}
                </div>
              </Descriptions.Item>
              <Descriptions.Item label={t('dos.receivingUnit')}>{d.unitName}</Descriptions.Item>
              <Descriptions.Item label={t('dos.channel')}>{channelLabel(t, d.channel)}</Descriptions.Item>
              <Descriptions.Item label={t('dos.receivedAt')}>{formatDateTime(d.receivedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('dos.promisedOn')}>{formatDate(d.promisedOn)}</Descriptions.Item>
              <Descriptions.Item label={t('dos.dueOn')}>{formatDate(d.dueOn)}</Descriptions.Item>
              <Descriptions.Item label={t('dos.endedAt')}>{formatDateTime(d.endedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('dos.handler')}>{d.handler}</Descriptions.Item>
              <Descriptions.Item label={t('dos.status')}>
                {statusLabel(t, d.status)} <span className="muted">{formatDateTime(d.statusAt)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('dos.fee')}>{d.fee === null ? '' : t('dos.feeValue', { amount: formatNumber(d.fee) })}</Descriptions.Item>
              <Descriptions.Item label={t('dos.paidOnline')}>{yesNo(t, d.paidOnline)}</Descriptions.Item>
              <Descriptions.Item label={t('dos.synced')}>{yesNo(t, d.synced)}</Descriptions.Item>
              <Descriptions.Item label={t('dos.digitised')}>{yesNo(t, d.digitised)}</Descriptions.Item>
              <Descriptions.Item label={t('dos.electronicResult')}>{yesNo(t, d.electronicResult)}</Descriptions.Item>
              <Descriptions.Item label={t('dos.reusedData')}>{yesNo(t, d.reusedData)}</Descriptions.Item>
              <Descriptions.Item label={t('dos.rating')}>{d.rating ? t(`dos.rating.${d.rating}` as MessageKey) : ''}</Descriptions.Item>
              <Descriptions.Item label={t('dos.complaint')}>{yesNo(t, d.complaint)}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t('dos.detail.deadline')} className="section-gap">
            <DeadlineExplained dossier={d} judged={d.now} t={t} />
            <Typography.Title level={5}>{t('dos.detail.now')}</Typography.Title>
            <JudgedLine judged={d.now} t={t} testId="dos-now" />
            <Typography.Title level={5} className="section-gap">
              {t('dos.detail.asOf')}
            </Typography.Title>
            <Space wrap align="center">
              <DateFilter placeholder={t('dos.detail.asOfPick')} value={asOf} onChange={(date) => set({ asOf: date })} testId="dos-asof" />
              {d.asOf && asOf && (
                <>
                  <span className="muted">{t('dos.detail.asOfAt', { date: formatDate(asOf) })}</span>
                  <JudgedLine judged={d.asOf} t={t} testId="dos-asof-result" />
                </>
              )}
            </Space>
            {d.asOf?.deadline && d.asOf.deadline.dueDate !== d.now.deadline?.dueDate && (
              <div className="section-gap">
                <DeadlineExplained dossier={d} judged={d.asOf} t={t} />
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('dos.detail.timeline')}>
            {d.timeline.length === 0 ? (
              <Typography.Text type="secondary">{t('dos.detail.timelineEmpty')}</Typography.Text>
            ) : (
              <Timeline
                data-testid="dos-timeline"
                items={withReceipt(d).map((entry, index) => ({
                  key: `${entry.at}-${index}`,
                  color: TIMELINE_COLORS[entry.kind],
                  title: formatDateTime(entry.at),
                  content: (
                    <div data-testid="dos-timeline-item" data-kind={entry.kind} data-status={entry.status ?? ''}>
                      <Typography.Text strong>{timelineLabel(t, entry)}</Typography.Text>
                      {entry.pausedWorkingDays !== null && entry.pausedWorkingDays > 0 && (
                        <div className="dos-paused">{t('dos.detail.paused', { n: formatNumber(entry.pausedWorkingDays) })}</div>
                      )}
                    </div>
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
      </Row>
      {writing && <ApologyLetterModal dossier={d} open={writing} onClose={() => setWriting(false)} />}
    </div>
  );
}
