// Reporting periods (kỳ báo cáo): month, quarter, half-year, year or a custom range of business
// dates, each running from 00:00:00.000 on its first day to 23:59:59.999 on its last, +07:00.

import { endOfBusinessDay, startOfBusinessDay } from '../../../platform/calendar/businessTime.js';
import { daysInMonth, formatIsoDate, parseIsoDate } from '../../../platform/calendar/isoDate.js';

export type PeriodSpec =
  | { kind: 'month'; year: number; month: number }
  | { kind: 'quarter'; year: number; quarter: number }
  | { kind: 'half'; year: number; half: number }
  | { kind: 'year'; year: number }
  | { kind: 'range'; from: string; to: string };

export type Period = {
  /** First and last business dates, 'YYYY-MM-DD', both included. */
  from: string;
  to: string;
  /** The first and the last instant of the period. */
  start: Date;
  end: Date;
};

export function reportingPeriod(spec: PeriodSpec): Period {
  switch (spec.kind) {
    case 'month':
      return months(spec.year, checked(spec.month, 1, 12, 'month'), 1);
    case 'quarter':
      return months(spec.year, (checked(spec.quarter, 1, 4, 'quarter') - 1) * 3 + 1, 3);
    case 'half':
      return months(spec.year, (checked(spec.half, 1, 2, 'half') - 1) * 6 + 1, 6);
    case 'year':
      return months(spec.year, 1, 12);
    case 'range': {
      const from = formatIsoDate(parseIsoDate(spec.from));
      const to = formatIsoDate(parseIsoDate(spec.to));
      if (to < from) throw new RangeError(`Invalid period ${from}..${to}: the last day is before the first`);
      return bounds(from, to);
    }
  }
}

/** start <= at <= end */
export function inPeriod(period: Period, at: Date): boolean {
  return at.getTime() >= period.start.getTime() && at.getTime() <= period.end.getTime();
}

function months(year: number, firstMonth: number, count: number): Period {
  checked(year, 1900, 2199, 'year');
  const lastMonth = firstMonth + count - 1;
  const pad = (n: number) => String(n).padStart(2, '0');
  return bounds(`${year}-${pad(firstMonth)}-01`, `${year}-${pad(lastMonth)}-${pad(daysInMonth(year, lastMonth))}`);
}

function bounds(from: string, to: string): Period {
  return { from, to, start: startOfBusinessDay(from), end: endOfBusinessDay(to) };
}

function checked(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`Invalid ${name} ${value}: expected a whole number ${min}–${max}`);
  }
  return value;
}
