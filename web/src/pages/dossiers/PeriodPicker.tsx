// Kỳ báo cáo: a month, a quarter, a half-year, a year or a custom range of dates.
import { DatePicker, Segmented, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { API_DATE_FORMAT, DATE_FORMAT } from '../../format';
import { type MessageKey, useT } from '../../i18n';
import type { PeriodValue } from './common';
import { PERIOD_KINDS, type PeriodKind } from './types';

/** The first day of the period (for the pickers), and the same moment as another kind of period. */
function startOf(value: PeriodValue): Dayjs {
  if (value.period === 'range' && value.from) return dayjs(value.from);
  const index = value.index ?? 1;
  const month = value.period === 'month' ? index : value.period === 'quarter' ? (index - 1) * 3 + 1 : value.period === 'half' ? (index - 1) * 6 + 1 : 1;
  return dayjs(`${value.year}-${String(month).padStart(2, '0')}-01`);
}

function asKind(kind: PeriodKind, value: PeriodValue): PeriodValue {
  const start = startOf(value);
  const month = start.month() + 1;
  const year = start.year();
  if (kind === 'month') return { period: kind, year, index: month };
  if (kind === 'quarter') return { period: kind, year, index: Math.ceil(month / 3) };
  if (kind === 'half') return { period: kind, year, index: month <= 6 ? 1 : 2 };
  if (kind === 'year') return { period: kind, year };
  const from = start.format(API_DATE_FORMAT);
  return { period: 'range', year, from, to: start.add(1, 'month').subtract(1, 'day').format(API_DATE_FORMAT) };
}

export function PeriodPicker({ value, onChange }: { value: PeriodValue; onChange: (value: PeriodValue) => void }) {
  const t = useT();
  const start = startOf(value);
  const pick = (date: Dayjs | null, kind: PeriodKind) => {
    if (!date) return;
    const month = date.month() + 1;
    const index = kind === 'month' ? month : kind === 'quarter' ? Math.ceil(month / 3) : value.index;
    onChange({ period: kind, year: date.year(), index: kind === 'year' ? undefined : index });
  };

  let picker: ReactNode;
  if (value.period === 'month' || value.period === 'quarter' || value.period === 'year') {
    picker = (
      <DatePicker
        picker={value.period}
        value={start}
        allowClear={false}
        format={value.period === 'month' ? 'MM/YYYY' : value.period === 'year' ? 'YYYY' : undefined}
        onChange={(date) => pick(date, value.period)}
        data-testid="dos-period-value"
      />
    );
  } else if (value.period === 'half') {
    picker = (
      <Space.Compact>
        <DatePicker picker="year" value={start} allowClear={false} onChange={(date) => pick(date, 'half')} data-testid="dos-period-value" />
        <Select<number>
          value={value.index ?? 1}
          onChange={(index) => onChange({ ...value, index })}
          options={[
            { value: 1, label: t('dos.period.half1') },
            { value: 2, label: t('dos.period.half2') },
          ]}
          className="filter-select"
          data-testid="dos-period-half"
        />
      </Space.Compact>
    );
  } else {
    picker = (
      <DatePicker.RangePicker
        format={DATE_FORMAT}
        allowClear={false}
        value={[value.from ? dayjs(value.from) : null, value.to ? dayjs(value.to) : null]}
        placeholder={[t('dos.period.from'), t('dos.period.to')]}
        onChange={(range) => {
          const [from, to] = range ?? [];
          if (from && to) onChange({ period: 'range', year: from.year(), from: from.format(API_DATE_FORMAT), to: to.format(API_DATE_FORMAT) });
        }}
        data-testid="dos-period-value"
      />
    );
  }

  return (
    <Space wrap size={8} className="dos-period">
      <Segmented<PeriodKind>
        value={value.period}
        onChange={(kind) => onChange(asKind(kind, value))}
        options={PERIOD_KINDS.map((kind) => ({ value: kind, label: <span data-testid={`dos-period-${kind}`}>{t(`dos.period.${kind}` as MessageKey)}</span> }))}
      />
      {picker}
    </Space>
  );
}
