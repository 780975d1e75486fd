// One report for the staff: the details, photos (operators mark which ones the public may see),
// the map point, the whole timeline (internal steps too) and the actions allowed now.
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Image, Result, Row, Space, Spin, Switch, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, api } from '../../api';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';
import { errorText, useApiError } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { FeedbackMap } from './FeedbackMap';
import { actionLabel, DeadlineTag, ratingLabel, ReportTimeline, StatusTag, UrgentTag } from './labels';
import { ReportActions } from './ReportActions';
import type { Photo, Report } from './types';

const OPERATOR_ROLES = new Set(['operator', 'leader', 'administrator']);

export default function ReportDetailPage() {
  const { t, lang } = useI18n();
  const { id } = useParams();
  const { user } = useAuth();
  const showError = useApiError();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const canVerifyPhotos = !!user?.grants.some((g) => OPERATOR_ROLES.has(g.role));

  const load = useCallback(async () => {
    try {
      setReport(await api.get<Report>(`/feedback/reports/${id}`));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const verifyPhoto = async (photo: Photo, verified: boolean) => {
    try {
      const updated = await api.post<Photo>(`/feedback/reports/${id}/photos/${photo.id}/verify`, { verified });
      setReport((current) =>
        current ? { ...current, photos: current.photos.map((p) => (p.id === updated.id ? updated : p)) } : current,
      );
    } catch (err) {
      showError(err);
    }
  };

  if (error) {
    return (
      <Result
        status={error instanceof ApiError && error.status === 404 ? '404' : 'error'}
        title={errorText(error, lang, t)}
        extra={
          <Link to="/feedback/queue">
            <Button>{t('fb.backToQueue')}</Button>
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

  const photoBlock = (photos: Photo[]) =>
    photos.length ? (
      <Image.PreviewGroup>
        <div className="fb-photo-grid">
          {photos.map((photo) => (
            <div key={photo.id} className="fb-photo-cell" data-testid="fb-photo">
              <Image src={photo.url} width={120} height={120} className="fb-photo-img" alt="" />
              {photo.kind === 'report' && canVerifyPhotos && (
                <div className="fb-photo-verify">
                  <Switch
                    size="small"
                    checked={photo.verified}
                    onChange={(checked) => void verifyPhoto(photo, checked)}
                    data-testid={`fb-photo-verify-${photo.id}`}
                  />{' '}
                  <span className="muted">{t('fb.photo.public')}</span>
                </div>
              )}
            </div>
          ))}
        </div>
      </Image.PreviewGroup>
    ) : null;

  return (
    <div data-testid="fb-detail">
      <PageHeader
        title={`${t('fb.report')} ${report.code}`}
        subtitle={
          <Space size={4} wrap>
            <StatusTag status={report.status} t={t} />
            <UrgentTag urgent={report.urgent} t={t} />
            <DeadlineTag value={report.deadlineStatus} t={t} />
          </Space>
        }
        extra={
          <Space wrap>
            <Link to={`/phan-anh/${encodeURIComponent(report.code)}`} target="_blank">
              {t('fb.publicPage')}
            </Link>
            <Link to="/feedback/queue">
              <Button icon={<ArrowLeftOutlined />}>{t('fb.backToQueue')}</Button>
            </Link>
          </Space>
        }
      />
      <Card className="section-gap-bottom" size="small" title={t('fb.actions')}>
        <ReportActions report={report} onChanged={setReport} />
        {report.pendingExtension && (
          <Alert
            className="section-gap"
            type="warning"
            showIcon
            title={t('fb.extension.pending', {
              date: formatDateTime(report.pendingExtension.proposedDeadline),
              reason: report.pendingExtension.reason,
            })}
          />
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t('fb.details')}>
            <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
              <Descriptions.Item label={t('fb.category')}>{report.categoryName}</Descriptions.Item>
              <Descriptions.Item label={t('fb.source')}>{t(`fb.source.${report.source}`)}</Descriptions.Item>
              <Descriptions.Item label={t('fb.receivedAt')}>{formatDateTime(report.receivedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('fb.verifiedAt')}>{formatDateTime(report.verifiedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('fb.area')}>{report.areaUnitName}</Descriptions.Item>
              <Descriptions.Item label={t('fb.unit')}>
                <span data-testid="fb-detail-unit">{report.unitName}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('fb.deadline')}>
                <span data-testid="fb-detail-deadline">{formatDateTime(report.deadline)}</span>
                {report.originalDeadline && (
                  <div className="muted">
                    {t('fb.originalDeadline')}: {formatDateTime(report.originalDeadline)}
                  </div>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('fb.resolvedAt')}>{formatDateTime(report.resolvedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('fb.address')} span={2}>
                {report.address}
                {report.lat !== null && report.lng !== null && (
                  <div className="muted">
                    {report.lat.toFixed(5)}, {report.lng.toFixed(5)}
                  </div>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('fb.reporter')} span={2}>
                {[report.reporterName, report.reporterPhone, report.reporterEmail].filter(Boolean).join(' · ') || (
                  <span className="muted">{t('fb.noContact')}</span>
                )}
                {report.anonymous && <div className="muted">{t('fb.anonymous')}</div>}
              </Descriptions.Item>
              {Object.keys(report.attributes ?? {}).length > 0 && (
                <Descriptions.Item label={t('fb.attributes')} span={2}>
                  {Object.entries(report.attributes).map(([key, value]) => (
                    <div key={key}>
                      {key}: {Array.isArray(value) ? value.join(', ') : String(value)}
                    </div>
                  ))}
                </Descriptions.Item>
              )}
            </Descriptions>
            <Typography.Title level={5} className="section-gap">
              {t('fb.description')}
            </Typography.Title>
            <Typography.Paragraph className="pub-description" data-testid="fb-detail-description">
              {report.description}
            </Typography.Paragraph>
            {photoBlock(report.photos.filter((p) => p.kind === 'report'))}
            {report.answer && (
              <>
                <Typography.Title level={5} className="section-gap">
                  {t('fb.answer')}
                </Typography.Title>
                <Typography.Paragraph className="pub-description" data-testid="fb-detail-answer">
                  {report.answer}
                </Typography.Paragraph>
                {photoBlock(report.photos.filter((p) => p.kind === 'answer'))}
              </>
            )}
            {report.rating && (
              <Typography.Paragraph data-testid="fb-detail-rating">
                <strong>{t('fb.ratingLabel')}:</strong> {ratingLabel(t, report.rating)}
                {report.ratingComment && <> — “{report.ratingComment}”</>}
              </Typography.Paragraph>
            )}
          </Card>
          {report.lat !== null && report.lng !== null && (
            <Card title={t('fb.map')} className="section-gap">
              <FeedbackMap points={[{ lat: report.lat, lng: report.lng, label: report.code }]} height={280} testId="fb-detail-map" />
            </Card>
          )}
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('fb.timeline')}>
            <ReportTimeline
              t={t}
              entries={report.timeline.map((event) => ({
                key: event.id,
                action: event.action,
                label: actionLabel(t, event.action),
                to: event.to,
                at: event.at,
                actor: event.actorLabel,
                internal: !event.public,
                details: event.details ?? {},
              }))}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
