// Tags and the timeline shared by the staff pages and the public pages.
import './feedback.css';
import { Tag, Timeline, Typography } from 'antd';
import { formatDate, formatDateTime } from '../../format';
import type { MessageKey, Translate } from '../../i18n';
import type { DeadlineStatus, Rating, RejectionReason, ReportStatus, TimelineAction } from './types';

const STATUS_COLORS: Record<ReportStatus, string> = {
  received: 'blue',
  verified: 'cyan',
  rejected: 'red',
  assigned: 'geekblue',
  in_progress: 'orange',
  resolved: 'green',
  closed: 'default',
  merged: 'purple',
};

export const STATUS_MAP_COLORS: Record<ReportStatus, string> = {
  received: '#1677ff',
  verified: '#13c2c2',
  rejected: '#f5222d',
  assigned: '#2f54eb',
  in_progress: '#fa8c16',
  resolved: '#52c41a',
  closed: '#8c8c8c',
  merged: '#722ed1',
};

export const statusLabel = (t: Translate, status: ReportStatus) => t(`fb.status.${status}` as MessageKey);
export const actionLabel = (t: Translate, action: string) => t(`fb.action.${action}` as MessageKey);
export const reasonLabel = (t: Translate, reason: RejectionReason) => t(`fb.reason.${reason}` as MessageKey);
export const ratingLabel = (t: Translate, rating: Rating) => t(`fb.rating.${rating}` as MessageKey);

export function StatusTag({ status, t }: { status: ReportStatus; t: Translate }) {
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="fb-status" data-status={status}>
      {statusLabel(t, status)}
    </Tag>
  );
}

const DEADLINE_COLORS: Partial<Record<DeadlineStatus, string>> = {
  due_tomorrow: 'orange',
  overdue: 'red',
  done_on_time: 'green',
  done_late: 'volcano',
};

/** due tomorrow and overdue are the flags the queues need; the finished kinds show quietly. */
export function DeadlineTag({ value, t }: { value: DeadlineStatus | null; t: Translate }) {
  if (!value || value === 'within') return null;
  return (
    <Tag color={DEADLINE_COLORS[value]} data-testid={`fb-deadline-${value}`}>
      {t(`fb.deadline.${value}` as MessageKey)}
    </Tag>
  );
}

export function UrgentTag({ urgent, t }: { urgent: boolean; t: Translate }) {
  return urgent ? (
    <Tag color="magenta" data-testid="fb-urgent">
      {t('fb.urgent')}
    </Tag>
  ) : null;
}

export interface TimelineEntry {
  key: string | number;
  action: TimelineAction;
  label: string;
  to: ReportStatus;
  at: string;
  actor?: string;
  internal?: boolean;
  details: Record<string, unknown>;
}

const TIMELINE_COLORS: Partial<Record<TimelineAction, string>> = {
  reject: 'red',
  overdue: 'red',
  send_back: 'orange',
  resolve: 'green',
  close: 'gray',
};

/** The details worth showing to a reader, in plain text (React escapes it). */
function detailLines(t: Translate, details: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const text = (value: unknown) => (typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value));
  if (details.reason && typeof details.reason === 'string') {
    const known = ['spam', 'not_enough_information', 'out_of_scope'].includes(details.reason);
    lines.push(`${t('fb.detail.reason')}: ${known ? reasonLabel(t, details.reason as RejectionReason) : details.reason}`);
  }
  if (details.text) lines.push(text(details.text));
  if (details.deadline) lines.push(`${t('fb.deadline')}: ${formatDateTime(text(details.deadline))}`);
  if (details.calendarDate) {
    lines.push(`${t('fb.detail.calendarDay')}: ${formatDate(text(details.calendarDate))}${details.calendarName ? ` (${text(details.calendarName)})` : ''}`);
  }
  if (details.previousDeadline && details.calendarDate) lines.push(`${t('fb.detail.previousDeadline')}: ${formatDateTime(text(details.previousDeadline))}`);
  if (details.proposedDeadline) lines.push(`${t('fb.detail.proposed')}: ${formatDateTime(text(details.proposedDeadline))}`);
  if (details.proposedDate) lines.push(`${t('fb.detail.proposed')}: ${formatDate(text(details.proposedDate))}`);
  if (details.decision === 'approve' || details.decision === 'refuse') {
    lines.push(t(details.decision === 'approve' ? 'fb.extension.approve' : 'fb.extension.refuse'));
  }
  if (details.unitName) lines.push(`${t('fb.unit')}: ${text(details.unitName)}`);
  if (details.targetCode) lines.push(`${t('fb.detail.mergedInto')}: ${text(details.targetCode)}`);
  if (details.rating === 'satisfied' || details.rating === 'not_satisfied') {
    lines.push(ratingLabel(t, details.rating));
  }
  if (details.comment) lines.push(`“${text(details.comment)}”`);
  if (details.answer) lines.push(text(details.answer));
  return lines;
}

export function ReportTimeline({ entries, t }: { entries: TimelineEntry[]; t: Translate }) {
  return (
    <Timeline
      data-testid="fb-timeline"
      items={entries.map((entry) => ({
        key: entry.key,
        color: TIMELINE_COLORS[entry.action] ?? 'blue',
        title: formatDateTime(entry.at),
        content: (
          <div data-testid="fb-timeline-item" data-action={entry.action} data-to={entry.to}>
            <Typography.Text strong>{entry.label}</Typography.Text>
            {entry.internal && (
              <Tag className="fb-inline-tag" bordered={false}>
                {t('fb.internal')}
              </Tag>
            )}
            {entry.actor && <div className="muted">{entry.actor}</div>}
            {detailLines(t, entry.details).map((line, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the lines of one event never reorder
              <div key={index} className="fb-timeline-detail">
                {line}
              </div>
            ))}
          </div>
        ),
      }))}
    />
  );
}

/** Photo checks before upload: the server re-checks (and re-encodes) every file. */
export const PHOTO_MAX_FILES = 5;
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/heic', 'image/heif'];
export const DESCRIPTION_MAX = 4000;
