// Handling deadlines (hạn xử lý) of citizen reports, counted on the working-day calendar.
//
// Decisions:
// - Time zone: Vietnam has kept UTC+7 without daylight saving since 1975, so business dates and
//   wall-clock times use a fixed +07:00 offset instead of a time-zone database.
// - A deadline of n working days is the n-th working day after the day of verification (the
//   period starts the next day, Civil Code 2015 art. 147) and ends at the end of that day,
//   23:59:59.999 +07:00 (art. 148: "the end of the last day"), not at the close of office hours.
// - Working hours, for handling-time statistics: 08:00–12:00 and 13:00–17:00 on working days
//   (8 hours a day, Decision 188/1999 keeps 40 hours a week); a locality may configure others.

import type { WorkingCalendar } from '../../platform/calendar/calendar.js';
import { formatIsoDate, parseIsoDate } from '../../platform/calendar/isoDate.js';
import type { FeedbackReport } from './lifecycle.js';

/** Đà Nẵng's rule, the default of every category until an administrator sets another. */
export const DEFAULT_HANDLING_WORKING_DAYS = 3;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const VIETNAM_OFFSET_MS = 7 * HOUR_MS;

/** The Asia/Ho_Chi_Minh business date ('YYYY-MM-DD') of an instant. */
export function businessDateOf(at: Date): string {
  return formatIsoDate(Math.floor((at.getTime() + VIETNAM_OFFSET_MS) / DAY_MS));
}

/** 23:59:59.999 in Asia/Ho_Chi_Minh on `date`: the last instant a deadline on that day is met. */
export function endOfBusinessDay(date: string): Date {
  return new Date((parseIsoDate(date) + 1) * DAY_MS - VIETNAM_OFFSET_MS - 1);
}

/** The end of the local day that comes `days` calendar days after the day of `at`. */
export function endOfDayAfter(at: Date, days: number): Date {
  return endOfBusinessDay(formatIsoDate(parseIsoDate(businessDateOf(at)) + days));
}

/** Ms since local midnight in Asia/Ho_Chi_Minh. */
function timeOfDay(at: Date): number {
  const local = at.getTime() + VIETNAM_OFFSET_MS;
  return ((local % DAY_MS) + DAY_MS) % DAY_MS;
}

/** 'YYYY-MM-DD' as Vietnamese readers write it: dd/mm/yyyy. */
export function formatDateVi(date: string): string {
  const [year, month, day] = date.split('-');
  return `${day}/${month}/${year}`;
}

/** trong hạn / sắp đến hạn / quá hạn / xử lý đúng hạn / xử lý trễ hạn */
export type DeadlineStatus = 'within' | 'due_tomorrow' | 'overdue' | 'done_on_time' | 'done_late';

export const DEADLINE_STATUS_LABELS: Record<DeadlineStatus, string> = {
  within: 'Trong hạn',
  due_tomorrow: 'Sắp đến hạn',
  overdue: 'Quá hạn',
  done_on_time: 'Xử lý đúng hạn',
  done_late: 'Xử lý trễ hạn',
};

/** A period of the working day, 'HH:MM' to 'HH:MM' local time. */
export type WorkingPeriod = { start: string; end: string };

export const DEFAULT_WORKING_PERIODS: readonly WorkingPeriod[] = [
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '17:00' },
];

export type DeadlineReport = Pick<FeedbackReport, 'state' | 'deadline' | 'resolvedAt'>;

export function createFeedbackDeadlines(deps: {
  calendar: WorkingCalendar;
  workingPeriods?: readonly WorkingPeriod[];
}) {
  const { calendar } = deps;
  const periods = parsePeriods(deps.workingPeriods ?? DEFAULT_WORKING_PERIODS);
  const workingDayMs = periods.reduce((sum, [start, end]) => sum + end - start, 0);

  /** Working time in ms between two times of day (ms since local midnight) of a working day. */
  function workedWithin(from: number, to: number): number {
    let sum = 0;
    for (const [start, end] of periods) sum += Math.max(0, Math.min(to, end) - Math.max(from, start));
    return sum;
  }

  function workingMsBetween(a: Date, b: Date): number {
    const dayA = businessDateOf(a);
    const dayB = businessDateOf(b);
    const timeA = timeOfDay(a);
    const timeB = timeOfDay(b);
    if (dayA === dayB) return calendar.isWorkingDay(dayA) ? workedWithin(timeA, timeB) : 0;
    const first = calendar.isWorkingDay(dayA) ? workedWithin(timeA, DAY_MS) : 0;
    const lastWorked = calendar.isWorkingDay(dayB);
    const last = lastWorked ? workedWithin(0, timeB) : 0;
    const fullDays = calendar.workingDaysBetween(dayA, dayB) - (lastWorked ? 1 : 0);
    return first + fullDays * workingDayMs + last;
  }

  return {
    /**
     * The deadline of a report verified at `verifiedAt`: the end of the `workingDays`-th working
     * day after the day of verification. `workingDays` is the category's setting.
     */
    handlingDeadline(verifiedAt: Date, workingDays: number = DEFAULT_HANDLING_WORKING_DAYS): Date {
      if (!Number.isSafeInteger(workingDays) || workingDays < 1) {
        throw new RangeError(`Invalid handling time ${workingDays}: expected a whole number of working days >= 1`);
      }
      return endOfBusinessDay(calendar.addWorkingDays(businessDateOf(verifiedAt), workingDays));
    },

    /** A deadline set on a chosen date (an extension): it ends with the next working day if that date is off (art. 148). */
    deadlineOn(date: string): Date {
      return endOfBusinessDay(calendar.nextWorkingDay(date));
    },

    /**
     * Where a report stands against its deadline at `asOf`; null when no handling deadline
     * applies (not verified yet, rejected, merged). "Due tomorrow" means not overdue and the
     * deadline falls on or before the next working day, so a report due today keeps the flag
     * until the end of its deadline day, when it turns overdue.
     */
    deadlineStatus(report: DeadlineReport, asOf: Date): DeadlineStatus | null {
      const { state, deadline, resolvedAt } = report;
      if (!deadline || state === 'received' || state === 'rejected' || state === 'merged') return null;
      if (state === 'resolved' || state === 'closed') {
        if (!resolvedAt) return null;
        return resolvedAt.getTime() <= deadline.getTime() ? 'done_on_time' : 'done_late';
      }
      if (asOf.getTime() > deadline.getTime()) return 'overdue';
      const nextWorkingDay = calendar.addWorkingDays(businessDateOf(asOf), 1);
      return businessDateOf(deadline) <= nextWorkingDay ? 'due_tomorrow' : 'within';
    },

    /** Working hours from `a` to `b` (fractional; negative when `b` is before `a`). */
    workingHoursBetween(a: Date, b: Date): number {
      if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) throw new RangeError('Invalid Date in workingHoursBetween');
      const ms = a.getTime() <= b.getTime() ? workingMsBetween(a, b) : -workingMsBetween(b, a);
      return ms / HOUR_MS;
    },
  };
}

export type FeedbackDeadlines = ReturnType<typeof createFeedbackDeadlines>;

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Periods as [start, end) in ms since local midnight, checked to be ordered and disjoint. */
function parsePeriods(periods: readonly WorkingPeriod[]): [number, number][] {
  const toMs = (time: string) => {
    if (!TIME_OF_DAY.test(time)) throw new RangeError(`Invalid time of day ${JSON.stringify(time)}: expected HH:MM`);
    const [hours, minutes] = time.split(':').map(Number);
    return (hours * 60 + minutes) * 60_000;
  };
  const parsed = periods.map(({ start, end }) => [toMs(start), toMs(end)] as [number, number]);
  parsed.forEach(([start, end], i) => {
    const previousEnd = i === 0 ? 0 : parsed[i - 1][1];
    if (start >= end || start < previousEnd) {
      throw new RangeError('Invalid working periods: expected ordered, non-overlapping periods with start < end');
    }
  });
  return parsed;
}
