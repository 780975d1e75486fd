// The due date of a dossier (ngày hẹn trả kết quả), counted on the locality's working-day calendar.
//
// Decisions (RULES.md, "Administrative-procedure dossiers" and "Working days and holidays"):
// - The base due date is the promised return date when the one-stop system gave one, otherwise
//   the n-th working day after the day of receipt, n being the procedure's legal processing time
//   (the period starts the next day, Civil Code 2015 art. 147; n = 0, "trong ngày", is the day of
//   receipt itself, or the next working day when received on a day off). A promised date that is
//   not a working day moves to the next working day (art. 148). The deadline is met until the end
//   of the due date, 23:59:59.999 +07:00; the promised date is a date, any time of day given with
//   it by the source is dropped.
// - Waiting for the citizen to supplement documents (bổ sung hồ sơ) does not count against the
//   office. Each request pauses the clock for the working days d with
//       business date of the request < d <= business date of the answer,
//   so the day the request is made still counts for the office (it worked that day) and the day of
//   the answer counts for the citizen (the office resumes the next day, as a period starts the day
//   after its event, art. 147). Asked and answered the same day: nothing paused. Days off inside
//   a pause (Tết, weekends) were never working time, so they add nothing. The due date moves by
//   the paused working days: due = addWorkingDays(base, paused). Overlapping requests are counted
//   once. A request still unanswered pauses up to the instant judged (the dossier's end, or "as
//   of"), so a dossier never turns overdue while the citizen holds it.
// - The promised date is the one given at receipt; if a source re-issues it after a supplement,
//   the import keeps the first one, or the pause would be counted twice.
// - More than one supplement request makes the dossier late whatever its dates
//   (MAX_SUPPLEMENT_REQUESTS, applied in timeliness.ts). Waiting for payment (status 6) does not
//   pause the clock: RULES.md names only supplements.

import type { WorkingCalendar } from '../../../platform/calendar/calendar.js';
import { businessDateOf, endOfBusinessDay } from '../../../platform/calendar/businessTime.js';

/** One request to supplement the dossier: when it was asked, when the citizen answered (null: not yet). */
export type SupplementRequest = { askedAt: Date; answeredAt: Date | null };

/** A dossier makes more requests than this and it is late (RULES.md). */
export const MAX_SUPPLEMENT_REQUESTS = 1;

/** What the deadline is computed from. */
export type DeadlineFacts = {
  receivedAt: Date;
  /** 'YYYY-MM-DD': the promised return date given at receipt (ngày hẹn trả), or null. */
  promisedReturnDate: string | null;
  /** The procedure's legal processing time in working days, used when no date was promised. */
  processingWorkingDays: number | null;
  supplements: readonly SupplementRequest[];
};

export type DossierDeadline = {
  /** The due date before any pause. */
  baseDueDate: string;
  /** Working days paused for supplements, counted up to `until`. */
  pausedWorkingDays: number;
  /** Supplement requests made at or before `until`. */
  supplementRequests: number;
  dueDate: string;
  /** The last instant the dossier is on time: the end of `dueDate` in Asia/Ho_Chi_Minh. */
  dueAt: Date;
};

/** The due date before pauses: the promised date (moved off a day off), or receipt + processing time. */
export function baseDueDate(calendar: WorkingCalendar, facts: Omit<DeadlineFacts, 'supplements'>): string {
  if (facts.promisedReturnDate !== null) return calendar.nextWorkingDay(facts.promisedReturnDate);
  const days = facts.processingWorkingDays;
  if (days === null) {
    throw new RangeError('A dossier needs a promised return date or its procedure\'s processing time in working days');
  }
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new RangeError(`Invalid processing time ${days}: expected a whole number of working days >= 0`);
  }
  return calendar.addWorkingDays(businessDateOf(facts.receivedAt), days);
}

/** Supplement requests made at or before `until`. */
export function supplementRequestsBy(supplements: readonly SupplementRequest[], until: Date): number {
  return supplements.filter((s) => s.askedAt.getTime() <= until.getTime()).length;
}

/**
 * Working days paused for supplements up to `until`: the union over requests asked by then of the
 * working days in (date asked, date answered], an unanswered request running to the date of `until`.
 */
export function pausedWorkingDays(calendar: WorkingCalendar, supplements: readonly SupplementRequest[], until: Date): number {
  const intervals: [string, string][] = [];
  for (const { askedAt, answeredAt } of supplements) {
    if (answeredAt && answeredAt.getTime() < askedAt.getTime()) {
      throw new RangeError(`A supplement answered (${answeredAt.toISOString()}) before it was asked (${askedAt.toISOString()})`);
    }
    if (askedAt.getTime() > until.getTime()) continue;
    const resumed = answeredAt && answeredAt.getTime() < until.getTime() ? answeredAt : until;
    intervals.push([businessDateOf(askedAt), businessDateOf(resumed)]);
  }
  intervals.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

  let paused = 0;
  let current: [string, string] | null = null;
  for (const [from, to] of intervals) {
    if (current && from < current[1]) {
      if (to > current[1]) current[1] = to;
      continue;
    }
    if (current) paused += calendar.workingDaysBetween(current[0], current[1]);
    current = [from, to];
  }
  if (current) paused += calendar.workingDaysBetween(current[0], current[1]);
  return paused;
}

/**
 * The dossier's deadline with its supplement pauses counted up to `until` (the instant judged:
 * "as of", or the dossier's end when it ended before that).
 */
export function dossierDeadline(calendar: WorkingCalendar, facts: DeadlineFacts, until: Date): DossierDeadline {
  const base = baseDueDate(calendar, facts);
  const paused = pausedWorkingDays(calendar, facts.supplements, until);
  // The base is a working day, so adding 0 keeps it.
  const dueDate = calendar.addWorkingDays(base, paused);
  return {
    baseDueDate: base,
    pausedWorkingDays: paused,
    supplementRequests: supplementRequestsBy(facts.supplements, until),
    dueDate,
    dueAt: endOfBusinessDay(dueDate),
  };
}
