// The dossiers' vocabulary on screen: statuses, channels, timeliness, the scorecard's names, numbers.
import './dossiers.css';
import { Tag } from 'antd';
import { formatNumber } from '../../format';
import type { MessageKey, Translate } from '../../i18n';
import type { DossierChannel, DossierStatus, LateReason, Timeliness } from './types';

/** A translation when the dictionary has the key, else the server's own (Vietnamese) label. */
export function labelOr(t: Translate, key: string, fallback: string): string {
  const text = t(key as MessageKey);
  return text === key ? fallback : text;
}

export const statusLabel = (t: Translate, status: DossierStatus) => t(`dos.status.${status}` as MessageKey);
export const channelLabel = (t: Translate, channel: DossierChannel) => t(`dos.channel.${channel}` as MessageKey);
export const timelinessLabel = (t: Translate, value: Timeliness) => t(`dos.tl.${value}` as MessageKey);
export const lateReasonLabel = (t: Translate, reason: LateReason) => t(`dos.late.${reason}` as MessageKey);

const TIMELINESS_COLORS: Record<Timeliness, string> = {
  not_received: 'default',
  in_process_within: 'blue',
  in_process_overdue: 'red',
  completed_on_time: 'green',
  completed_late: 'volcano',
};

export function TimelinessTag({ value, t, testId }: { value: Timeliness; t: Translate; testId?: string }) {
  return (
    <Tag color={TIMELINESS_COLORS[value]} data-testid={testId} data-timeliness={value}>
      {timelinessLabel(t, value)}
    </Tag>
  );
}

const ENDED_OK: ReadonlySet<DossierStatus> = new Set(['processed', 'returned']);
const ENDED_WITHOUT: ReadonlySet<DossierStatus> = new Set(['not_accepted', 'withdrawn', 'stopped']);

export function StatusTag({ status, t }: { status: DossierStatus; t: Translate }) {
  const color = ENDED_OK.has(status) ? 'green' : ENDED_WITHOUT.has(status) ? 'default' : status === 'supplement_requested' ? 'gold' : 'processing';
  return (
    <Tag color={color} data-status={status}>
      {statusLabel(t, status)}
    </Tag>
  );
}

/** A rate 0–1 as "87,5 %"; null as an empty string. */
export function formatRate(rate: number | null): string {
  return rate === null ? '' : `${formatNumber(Math.round(rate * 1000) / 10)} %`;
}

/** Points with at most two decimals, in vi-VN digits. */
export function formatPoints(points: number | null): string {
  return points === null ? '' : formatNumber(Math.round(points * 100) / 100);
}

/** Working days left of an open dossier, or how far past its deadline it is. */
export function daysLeftText(t: Translate, days: number | null): string {
  if (days === null) return '';
  if (days > 0) return t('dos.daysLeft.value', { n: formatNumber(days) });
  if (days === 0) return t('dos.daysLeft.today');
  return t('dos.daysLeft.over', { n: formatNumber(-days) });
}

export const yesNo = (t: Translate, value: boolean | null) => (value === null ? t('dos.list.unknownValue') : value ? t('dos.yes') : t('dos.no'));
