// /phan-anh/:code: one report as the public sees it — status, timeline, unit, deadline, the answer
// with photos; the reporter rates it and, when not satisfied, may reopen it within 7 days.
import { Alert, App, Button, Card, Descriptions, Form, Image, Input, Radio, Result, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, api } from '../../api';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { errorText } from '../../ui/errors';
import { useFormSubmit } from '../../ui/forms';
import { FeedbackMap } from '../feedback/FeedbackMap';
import { actionLabel, DESCRIPTION_MAX, ratingLabel, ReportTimeline, reasonLabel, StatusTag, UrgentTag } from '../feedback/labels';
import type { PublicReport, Rating } from '../feedback/types';
import { reporterToken } from './reporterToken';

const REOPEN_DAYS = 7;

/** Until the end of the 7th day after the resolution day (Vietnam time): the server decides; this only hides the button after. */
function canReopen(report: PublicReport): boolean {
  if (report.rating !== 'not_satisfied' || !report.resolvedAt) return false;
  if (report.status !== 'resolved' && report.status !== 'closed') return false;
  const end = new Date(report.resolvedAt).getTime() + (REOPEN_DAYS + 1) * 24 * 3600 * 1000;
  return Date.now() <= end;
}

interface RateValues {
  rating: Rating;
  comment?: string;
  contact?: string;
}

function ProofField({ hasToken }: { hasToken: boolean }) {
  const { t } = useI18n();
  if (hasToken) return null;
  return (
    <Form.Item
      name="contact"
      label={t('pub.rate.contact')}
      extra={t('pub.rate.contactHint')}
      rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
    >
      <Input data-testid="fb-rate-contact" />
    </Form.Item>
  );
}

function RatingCard({ report, onDone }: { report: PublicReport; onDone: (r: PublicReport) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<RateValues>();
  const token = reporterToken(report.code);
  const rating = Form.useWatch('rating', form);
  const { save, saving } = useFormSubmit(form, async (values: RateValues) => {
    const updated = await api.post<PublicReport>(`/public/feedback/${encodeURIComponent(report.code)}/rating`, {
      rating: values.rating,
      comment: values.comment?.trim() || undefined,
      token: token ?? undefined,
      contact: token ? undefined : values.contact?.trim(),
    });
    onDone(updated);
    return t('pub.rate.thanks');
  });
  return (
    <Card title={t('pub.rate.title')} className="section-gap" data-testid="fb-rate">
      <Form form={form} layout="vertical" onFinish={(values) => void save(values)}>
        <Form.Item name="rating" rules={[{ required: true, message: t('pub.rate.choose') }]}>
          <Radio.Group className="pub-rate-options" optionType="button" buttonStyle="solid" size="large">
            <Radio.Button value="satisfied">
              <span data-testid="fb-rate-satisfied">{t('fb.rating.satisfied')}</span>
            </Radio.Button>
            <Radio.Button value="not_satisfied">
              <span data-testid="fb-rate-not-satisfied">{t('fb.rating.not_satisfied')}</span>
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="comment"
          label={t('pub.rate.comment')}
          rules={[
            { required: rating === 'not_satisfied', whitespace: true, message: t('pub.rate.commentRequired') },
            { max: DESCRIPTION_MAX, message: t('validation.maxLength', { max: DESCRIPTION_MAX }) },
          ]}
        >
          <Input.TextArea rows={3} showCount maxLength={DESCRIPTION_MAX} data-testid="fb-rate-comment" />
        </Form.Item>
        <ProofField hasToken={!!token} />
        <Button type="primary" htmlType="submit" loading={saving} block size="large" data-testid="fb-rate-submit">
          {t('pub.rate.submit')}
        </Button>
      </Form>
    </Card>
  );
}

function ReopenCard({ report, onDone }: { report: PublicReport; onDone: (r: PublicReport) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ contact?: string }>();
  const token = reporterToken(report.code);
  const { save, saving } = useFormSubmit(form, async (values: { contact?: string }) => {
    const updated = await api.post<PublicReport>(`/public/feedback/${encodeURIComponent(report.code)}/reopen`, {
      token: token ?? undefined,
      contact: token ? undefined : values.contact?.trim(),
    });
    onDone(updated);
    return t('pub.reopen.done');
  });
  return (
    <Card title={t('pub.reopen.title')} className="section-gap" data-testid="fb-reopen">
      <Typography.Paragraph type="secondary">{t('pub.reopen.hint', { days: REOPEN_DAYS })}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(values) => void save(values)}>
        <ProofField hasToken={!!token} />
        <Button danger htmlType="submit" loading={saving} block data-testid="fb-reopen-submit">
          {t('pub.reopen.submit')}
        </Button>
      </Form>
    </Card>
  );
}

export default function TrackPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { code = '' } = useParams();
  const [report, setReport] = useState<PublicReport | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setReport(await api.get<PublicReport>(`/public/feedback/${encodeURIComponent(code)}`));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [code]);

  useEffect(() => {
    setReport(null);
    void load();
  }, [load]);

  if (error) {
    const notFound = error instanceof ApiError && error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('pub.track.notFound', { code }) : errorText(error, lang, t)}
        extra={
          <Link to="/phan-anh">
            <Button type="primary">{t('pub.nav.submit')}</Button>
          </Link>
        }
      />
    );
  }
  if (!report) {
    return (
      <div className="full-page-spin">
        <Spin size="large" />
      </div>
    );
  }

  const reportPhotos = report.photos.filter((p) => p.kind === 'report');
  const answerPhotos = report.photos.filter((p) => p.kind === 'answer');
  const updated = (next: PublicReport) => {
    setReport(next);
    message.success(t('common.saved'));
  };

  return (
    <div className="pub-track" data-testid="fb-track">
      <div className="pub-track-head">
        <Typography.Title level={3} className="pub-title" data-testid="fb-track-code">
          {report.code}
        </Typography.Title>
        <Space size={4} wrap>
          <StatusTag status={report.status} t={t} />
          <UrgentTag urgent={report.urgent} t={t} />
        </Space>
      </div>

      {report.rejection && (
        <Alert
          type="error"
          showIcon
          className="section-gap-bottom"
          title={`${t('pub.track.rejected')}: ${reasonLabel(t, report.rejection.reason)}`}
          description={report.rejection.text}
          data-testid="fb-track-rejection"
        />
      )}
      {report.mergedIntoCode && (
        <Alert
          type="info"
          showIcon
          className="section-gap-bottom"
          title={
            <>
              {t('pub.track.merged')}{' '}
              <Link to={`/phan-anh/${encodeURIComponent(report.mergedIntoCode)}`}>{report.mergedIntoCode}</Link>
            </>
          }
        />
      )}

      <Card>
        <Descriptions column={1} size="small" colon={false} className="pub-facts">
          <Descriptions.Item label={t('fb.category')}>{report.categoryName}</Descriptions.Item>
          <Descriptions.Item label={t('fb.receivedAt')}>{formatDateTime(report.receivedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('fb.unit')}>
            <span data-testid="fb-track-unit">{report.unitName ?? <span className="muted">{t('pub.track.noUnit')}</span>}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('fb.deadline')}>
            <span data-testid="fb-track-deadline">{report.deadline ? formatDateTime(report.deadline) : '—'}</span>
          </Descriptions.Item>
          {report.resolvedAt && (
            <Descriptions.Item label={t('fb.resolvedAt')}>{formatDateTime(report.resolvedAt)}</Descriptions.Item>
          )}
          {report.address && <Descriptions.Item label={t('fb.address')}>{report.address}</Descriptions.Item>}
          {report.reporterName && <Descriptions.Item label={t('fb.reporter')}>{report.reporterName}</Descriptions.Item>}
        </Descriptions>
        <Typography.Paragraph className="pub-description" data-testid="fb-track-description">
          {report.description}
        </Typography.Paragraph>
        {reportPhotos.length > 0 && (
          <Image.PreviewGroup>
            <div className="fb-photo-grid">
              {reportPhotos.map((photo) => (
                <Image key={photo.url} src={photo.url} width={96} height={96} className="fb-photo-img" alt="" />
              ))}
            </div>
          </Image.PreviewGroup>
        )}
        {report.lat !== null && report.lng !== null && (
          <FeedbackMap points={[{ lat: report.lat, lng: report.lng }]} height={200} className="section-gap" />
        )}
      </Card>

      {report.answer && (
        <Card title={t('pub.track.answer')} className="section-gap" data-testid="fb-track-answer">
          <Typography.Paragraph className="pub-description">{report.answer}</Typography.Paragraph>
          {answerPhotos.length > 0 && (
            <Image.PreviewGroup>
              <div className="fb-photo-grid">
                {answerPhotos.map((photo) => (
                  <Image key={photo.url} src={photo.url} width={96} height={96} className="fb-photo-img" alt="" />
                ))}
              </div>
            </Image.PreviewGroup>
          )}
          {report.rating && (
            <Typography.Paragraph className="section-gap" data-testid="fb-track-rating">
              {t('pub.track.yourRating')}: <strong>{ratingLabel(t, report.rating)}</strong>
            </Typography.Paragraph>
          )}
        </Card>
      )}

      {report.status === 'resolved' && !report.rating && <RatingCard report={report} onDone={updated} />}
      {canReopen(report) && <ReopenCard report={report} onDone={updated} />}

      <Card title={t('fb.timeline')} className="section-gap">
        <ReportTimeline
          t={t}
          entries={report.timeline.map((event, index) => ({
            key: `${event.at}-${index}`,
            action: event.action,
            label: lang === 'vi' && event.label ? event.label : actionLabel(t, event.action),
            to: event.to,
            at: event.at,
            details: event.details ?? {},
          }))}
        />
      </Card>
    </div>
  );
}
