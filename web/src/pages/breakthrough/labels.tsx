// The breakthrough vocabulary on screen: list statuses, review results, targets, the clears of an item.
import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Select, Tag, Tooltip } from 'antd';
import { formatNumber } from '../../format';
import type { MessageKey, Translate } from '../../i18n';
import { clearList } from '../tasks/labels';
import type { Item, RegistrationStatus, ReviewResult } from './types';

const STATUS_COLORS: Record<RegistrationStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  returned: 'warning',
  resubmitted: 'processing',
  approved: 'green',
};

export const statusLabel = (t: Translate, status: RegistrationStatus) => t(`bt.status.${status}` as MessageKey);
export const reviewLabel = (t: Translate, result: ReviewResult) => t(`bt.review.${result}` as MessageKey);

export function ListStatusTag({ status, t }: { status: RegistrationStatus; t: Translate }) {
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="bt-status" data-status={status}>
      {statusLabel(t, status)}
    </Tag>
  );
}

const REVIEW_COLORS: Record<ReviewResult, string> = { achieved: 'green', partly: 'gold', not: 'red' };

export function ReviewTag({ item, t }: { item: Item; t: Translate }) {
  if (!item.review) return null;
  const { result, achievedValue, note } = item.review;
  const value = achievedValue !== null && item.targetUnit ? ` · ${targetText(achievedValue, item.targetUnit)}` : '';
  return (
    <Tooltip title={note}>
      <Tag color={REVIEW_COLORS[result]} data-testid="bt-review" data-result={result}>
        {reviewLabel(t, result)}
        {value}
      </Tag>
    </Tooltip>
  );
}

/** "9 km", "140 tỷ đồng". */
export function targetText(value: number | null, unit: string | null): string {
  return value === null || unit === null ? '' : `${formatNumber(value)} ${unit}`;
}

/** Ticked when the item is clear on every point, else the clears it lacks. */
export function ClarityTag({ item, t }: { item: Item; t: Translate }) {
  if (item.clarity.missing.length === 0) {
    return (
      <Tag color="success" icon={<CheckCircleFilled />} data-testid="bt-clear" data-clear="ok">
        {t('bt.clear.ok')}
      </Tag>
    );
  }
  return (
    <Tag color="warning" icon={<ExclamationCircleFilled />} data-testid="bt-clear" data-clear="missing" className="wrap-tag">
      {clearList(t, item.clarity.missing)}
    </Tag>
  );
}

/** The years a list can be for: a few back, this year and the next. */
export function YearPicker({ value, onChange, testId }: { value: number; onChange: (year: number) => void; testId?: string }) {
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: thisYear + 2 - 2020 }, (_, i) => thisYear + 1 - i);
  return (
    <Select<number>
      value={value}
      onChange={onChange}
      options={years.map((y) => ({ value: y, label: String(y) }))}
      style={{ width: 100 }}
      data-testid={testId}
    />
  );
}
