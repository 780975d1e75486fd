// Small pieces every projects screen uses: the status tag, a rate as a bar, money in billions.
import { Progress, Tag, Tooltip } from 'antd';
import { formatNumber } from '../../format';
import { type MessageKey, useT } from '../../i18n';
import type { ProjectStatus } from './types';

export const STATUS_COLORS: Record<ProjectStatus, string> = { preparing: 'default', in_progress: 'processing', suspended: 'warning', completed: 'success' };

export const statusKey = (status: ProjectStatus) => `pj.status.${status}` as MessageKey;

export function StatusTag({ status }: { status: ProjectStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]}>{t(statusKey(status))}</Tag>;
}

const billions = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 0, maximumFractionDigits: 2 });

/** Đồng shown in billions (tỷ đồng), as reports write capital. */
export function formatBillions(amount: number | null | undefined): string {
  return amount === null || amount === undefined ? '' : billions.format(amount / 1e9);
}

/** A rate in percent as a thin bar; "—" when there is nothing to measure. */
export function RateBar({ value, testId, danger }: { value: number | null; testId?: string; danger?: boolean }) {
  const t = useT();
  if (value === null) {
    return (
      <Tooltip title={t('pj.noData')}>
        <span className="pj-none" data-testid={testId}>
          —
        </span>
      </Tooltip>
    );
  }
  return (
    <div className="pj-rate" data-testid={testId} data-value={value}>
      <Progress percent={value} size="small" status={danger ? 'exception' : value >= 100 ? 'success' : 'normal'} format={(p) => `${formatNumber(p ?? 0)}%`} />
    </div>
  );
}
