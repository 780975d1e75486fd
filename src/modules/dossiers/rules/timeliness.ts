// Where a dossier stands against its deadline at a chosen instant ("as of"), so that any past
// month's figures can be recomputed exactly from the stored history.
//
// RULES.md: on time means the dossier ended (processed, returned, not accepted, stopped,
// withdrawn) on or before its due date, or is still in process before it. Finishing at any time
// on the due date is on time (the date ends at 23:59:59.999 +07:00). More than one supplement
// request makes the dossier late from the moment of the second request.

import type { WorkingCalendar } from '../../../platform/calendar/calendar.js';
import { type DeadlineFacts, type DossierDeadline, MAX_SUPPLEMENT_REQUESTS, dossierDeadline } from './deadline.js';
import { type DossierEvent, type DossierStatus, stateAt } from './statuses.js';

/** đã giải quyết đúng hạn / trễ hạn; đang giải quyết trong hạn / quá hạn; chưa tiếp nhận */
export const TIMELINESS = ['not_received', 'in_process_within', 'in_process_overdue', 'completed_on_time', 'completed_late'] as const;
export type Timeliness = (typeof TIMELINESS)[number];

export const TIMELINESS_LABELS: Record<Timeliness, string> = {
  not_received: 'Chưa tiếp nhận',
  in_process_within: 'Đang giải quyết trong hạn',
  in_process_overdue: 'Đang giải quyết quá hạn',
  completed_on_time: 'Đã giải quyết đúng hạn',
  completed_late: 'Đã giải quyết trễ hạn',
};

/** Why a dossier is late: past its due date, or more than one supplement request. */
export type LateReason = 'past_due' | 'supplements';

export type TimelinessFacts = DeadlineFacts & { events: readonly DossierEvent[] };

export type TimelinessAsOf = {
  timeliness: Timeliness;
  /** The deadline as it stood at the instant judged; null before receipt. */
  deadline: DossierDeadline | null;
  endedAt: Date | null;
  endedWith: DossierStatus | null;
  /** Empty unless late. */
  lateReasons: LateReason[];
};

/**
 * The dossier's timeliness at `asOf`. An ended dossier is judged at its end (pauses and requests
 * after it do not count); an open one at `asOf`, its open supplement pause running to `asOf`.
 */
export function timelinessAsOf(calendar: WorkingCalendar, dossier: TimelinessFacts, asOf: Date): TimelinessAsOf {
  if (asOf.getTime() < dossier.receivedAt.getTime()) {
    return { timeliness: 'not_received', deadline: null, endedAt: null, endedWith: null, lateReasons: [] };
  }
  const { endedAt, endedWith } = stateAt(dossier.events, asOf);
  const judgedAt = endedAt ?? asOf;
  const deadline = dossierDeadline(calendar, dossier, judgedAt);
  const lateReasons: LateReason[] = [];
  if (judgedAt.getTime() > deadline.dueAt.getTime()) lateReasons.push('past_due');
  if (deadline.supplementRequests > MAX_SUPPLEMENT_REQUESTS) lateReasons.push('supplements');
  const late = lateReasons.length > 0;
  const timeliness: Timeliness = endedAt
    ? late
      ? 'completed_late'
      : 'completed_on_time'
    : late
      ? 'in_process_overdue'
      : 'in_process_within';
  return { timeliness, deadline, endedAt, endedWith, lateReasons };
}

/** On time in the Decision 766 sense: ended on time, or still in process within the deadline. */
export function countsAsOnTime(timeliness: Timeliness): boolean {
  return timeliness === 'completed_on_time' || timeliness === 'in_process_within';
}
