// The derived columns of a dossier (migration 007): what the rules conclude from its own facts,
// written with it on every change so that lists and the scorecard read columns instead of
// replaying every history. A dossier is classified at any instant T from them alone:
//   received_at > T                    → not received;
//   ended_at <= T                      → on time iff overdue_from is NULL or ended_at < overdue_from;
//   otherwise (open at T)              → overdue iff overdue_from <= T.
// derive.test.ts checks that this agrees with rules/timeliness.ts (timelinessAsOf) at many instants.
//
// How overdue_from is found. Past due is a matter of business dates: on date d, with P(d) the
// working days paused up to d, the rules say "late" when d > addWorkingDays(base, P(d)). With C(d)
// the working days up to d that count for the office (not paused), that is C(d) > C(base), or
// C(d) = C(base) on a day off. So, with D1 the day C first reaches C(base) (the due date as far as
// pauses before it go) and D2 the next day that counts, the dossier is late on D2 and every day
// after, and also on the days off strictly between D1 and D2. Those days off are where the rules
// are not monotone: a supplement asked on the due date itself (or on the day off right after it)
// makes the dossier late on the weekend, on time again on the next working day, for as long as the
// citizen holds it. One column cannot say "late on Saturday, on time on Monday": overdue_from is
// the start of the stretch of lateness that lasts (for an open dossier: to the end of time; for an
// ended one: the stretch holding its end), so every ended dossier and every open one outside such
// a weekend is classified exactly as the rules say; inside it the columns say "within" where the
// rules say "overdue" (derive.test.ts measures how often). The second supplement request makes
// the dossier late from that instant, for good.

import type { WorkingCalendar } from '../../platform/calendar/calendar.js';
import { businessDateOf, endOfBusinessDay, startOfBusinessDay } from '../../platform/calendar/businessTime.js';
import { formatIsoDate, parseIsoDate } from '../../platform/calendar/isoDate.js';
import { type SupplementRequest, MAX_SUPPLEMENT_REQUESTS, baseDueDate } from './rules/deadline.js';
import { type DossierEvent, type DossierStatus, ENDING_STATUSES, orderEvents } from './rules/statuses.js';

/** What the derived columns are computed from: the dossier's facts and its procedure's time. */
export interface DerivationFacts {
  receivedAt: Date;
  /** 'YYYY-MM-DD' (ngày hẹn trả), or null. */
  promisedReturnDate: string | null;
  /** The procedure's legal processing time in working days; null when the catalogue gives none. */
  processingWorkingDays: number | null;
  events: readonly DossierEvent[];
  supplements: readonly SupplementRequest[];
}

export interface DerivedColumns {
  /** The latest status by its own time; "accepted" at receipt while no event is known. */
  status: DossierStatus;
  statusAt: Date;
  /** The first ending event (3, 7, 8, 9, 10), or null while open. */
  endedAt: Date | null;
  endedStatus: DossierStatus | null;
  /**
   * The last day the dossier is on time, as far as its facts go (for an ended dossier: as judged
   * at its end); null while a supplement request that stops the clock is unanswered.
   */
  dueOn: string | null;
  /** The first instant of the lateness that lasts (see above); null when nothing known makes it late. */
  overdueFrom: Date | null;
}

/**
 * The derived columns. Throws a RangeError where the rules do: no promised date and no
 * processing time, a supplement answered before it was asked, an event without a real instant.
 */
export function deriveDossier(calendar: WorkingCalendar, facts: DerivationFacts): DerivedColumns {
  const ordered = orderEvents(facts.events);
  const latest = ordered.length > 0 ? ordered[ordered.length - 1] : null;
  const ending = ordered.find((e) => ENDING_STATUSES.has(e.status)) ?? null;
  const endedAt = ending?.at ?? null;
  const base = cachedBaseDueDate(calendar, facts);
  for (const { askedAt, answeredAt } of facts.supplements) {
    if (answeredAt && answeredAt.getTime() < askedAt.getTime()) {
      throw new RangeError(`A supplement answered (${answeredAt.toISOString()}) before it was asked (${askedAt.toISOString()})`);
    }
  }
  const judged = facts.supplements.length === 0 ? withoutPauses(base, endedAt) : withPauses(calendar, base.date, facts.supplements, endedAt);
  return {
    status: latest?.status ?? 'accepted',
    statusAt: latest?.at ?? facts.receivedAt,
    endedAt,
    endedStatus: ending?.status ?? null,
    dueOn: judged.dueOn,
    overdueFrom: judged.overdueFrom,
  };
}

type Judged = Pick<DerivedColumns, 'dueOn' | 'overdueFrom'>;

/**
 * baseDueDate, remembered per calendar: a file's million dossiers share a few thousand (day of
 * receipt, processing time) and promised dates, and the calendar's answer for each never changes.
 */
const baseDueDates = new WeakMap<WorkingCalendar, Map<string | number, BaseDue>>();
/** A base due date and the first instant after it (the end of its day + 1 ms). */
type BaseDue = { date: string; lateFrom: number };
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

function cachedBaseDueDate(calendar: WorkingCalendar, facts: DerivationFacts): BaseDue {
  let cache = baseDueDates.get(calendar);
  if (!cache) {
    cache = new Map();
    baseDueDates.set(calendar, cache);
  }
  const days = facts.processingWorkingDays;
  const key =
    facts.promisedReturnDate ??
    (days !== null && Number.isSafeInteger(days) && days >= 0 && days <= 1000
      ? Math.floor((facts.receivedAt.getTime() + VIETNAM_OFFSET_MS) / 86_400_000) * 1001 + days
      : null);
  const hit = key === null ? undefined : cache.get(key);
  if (hit !== undefined) return hit;
  const date = baseDueDate(calendar, facts);
  const base = { date, lateFrom: endOfBusinessDay(date).getTime() + 1 };
  if (key !== null) {
    if (cache.size >= 100_000) cache.clear();
    cache.set(key, base);
  }
  return base;
}

/** Most dossiers: late from the day after the due date, for good. */
function withoutPauses(base: BaseDue, endedAt: Date | null): Judged {
  if (endedAt && endedAt.getTime() < base.lateFrom) return { dueOn: base.date, overdueFrom: null };
  return { dueOn: base.date, overdueFrom: new Date(base.lateFrom) };
}

/** Pauses as business dates (from, to]; `to` null while unanswered and nothing caps it. */
type Pause = { from: string; to: string | null };

function withPauses(calendar: WorkingCalendar, base: string, supplements: readonly SupplementRequest[], endedAt: Date | null): Judged {
  // An ended dossier is judged at its end: requests after it do not count, and one still open
  // then pauses up to that day (as dossierDeadline does with `until` = the end).
  const end = endedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const endDate = endedAt ? businessDateOf(endedAt) : null;
  const requests = supplements.filter((s) => s.askedAt.getTime() <= end).sort((a, b) => a.askedAt.getTime() - b.askedAt.getTime());
  const pauses = mergedPauses(requests, endedAt, endDate);

  // D1: the due date as far as pauses that begin before it go; null when one of them never ends.
  let d1: string | null = base;
  let next = 0;
  for (; next < pauses.length; next++) {
    const { from, to } = pauses[next];
    if (from >= d1) break;
    if (to === null) {
      d1 = null;
      break;
    }
    d1 = calendar.addWorkingDays(d1, calendar.workingDaysBetween(from, to));
  }
  // D2: the first day after D1 that counts for the office; L: the last working day before it.
  let d2: string | null = null;
  if (d1 !== null) {
    d2 = calendar.addWorkingDays(d1, 1);
    for (let i = next; i < pauses.length && d2 !== null; i++) {
      const { from, to } = pauses[i];
      if (d2 <= from) break;
      if (to === null) d2 = null;
      else if (d2 <= to) d2 = calendar.addWorkingDays(to, 1);
    }
  }
  const days: LateDays = { calendar, d1, d2, last: d2 === null ? null : calendar.addWorkingDays(d2, -1) };

  const second = requests.length > MAX_SUPPLEMENT_REQUESTS ? requests[MAX_SUPPLEMENT_REQUESTS].askedAt.getTime() : null;
  let overdueFrom: number | null;
  if (second !== null) {
    // Late for good from the second request; the lateness may have begun earlier, on a late day
    // running up to it (a day that ends exactly when the request is made counts as running up).
    overdueFrom = pastDueFrom(days, second) ?? pastDueFrom(days, second - 1) ?? second;
    if (endedAt === null && d2 !== null) overdueFrom = Math.min(overdueFrom, runStart(days, d2));
  } else if (endedAt) {
    overdueFrom = pastDueFrom(days, end);
  } else {
    overdueFrom = d2 === null ? null : runStart(days, d2);
  }
  return { dueOn: days.last, overdueFrom: overdueFrom === null ? null : new Date(overdueFrom) };
}

/** D1, D2 and L of a dossier with pauses (see withPauses): which days are late. */
interface LateDays {
  calendar: WorkingCalendar;
  d1: string | null;
  d2: string | null;
  last: string | null;
}

function pastDue({ calendar, d1, d2 }: LateDays, date: string): boolean {
  return (d2 !== null && date >= d2) || (d1 !== null && date > d1 && (d2 === null || date < d2) && !calendar.isWorkingDay(date));
}

/** The first instant of the run of late days holding `date` (pastDue(date) must hold). */
function runStart(days: LateDays, date: string): number {
  const previousWorking = days.last !== null && date > days.last ? days.last : days.calendar.addWorkingDays(date, -1);
  return startOfBusinessDay(nextDay(previousWorking)).getTime();
}

/** The start of the lateness that holds `at`, when `at` is past due; else null. */
function pastDueFrom(days: LateDays, at: number): number | null {
  const date = businessDateOf(new Date(at));
  return pastDue(days, date) ? runStart(days, date) : null;
}

/**
 * The requests' pauses as the rules count them, merged where they overlap and in order: a request
 * answered before the end resumes on the day of its answer; one not answered by then runs to the
 * end's day (an ended dossier) or on (an open one).
 */
function mergedPauses(requests: readonly SupplementRequest[], endedAt: Date | null, endDate: string | null): Pause[] {
  const raw: Pause[] = requests.map(({ askedAt, answeredAt }) => ({
    from: businessDateOf(askedAt),
    to: answeredAt && (!endedAt || answeredAt.getTime() < endedAt.getTime()) ? businessDateOf(answeredAt) : endDate,
  }));
  raw.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const merged: Pause[] = [];
  for (const pause of raw) {
    const current = merged[merged.length - 1];
    if (current && (current.to === null || pause.from < current.to)) {
      if (current.to !== null && (pause.to === null || pause.to > current.to)) current.to = pause.to;
      continue;
    }
    merged.push({ ...pause });
  }
  return merged;
}

const nextDay = (date: string) => formatIsoDate(parseIsoDate(date) + 1);
