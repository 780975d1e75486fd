// A day turned off (or worked) moves the handling deadlines counted across it, in the calendar
// change's transaction, as it moves the dossiers' due dates (dossiers/writer.ts recomputeDossiers):
// - a deadline counted in working days from its verification, or from its latest reopening
//   (deadline.ts handlingDeadline), keeps its number of working days: counted on the calendar
//   before the change, then counted again on the new one;
// - an extended deadline (a date chosen at the extension, deadlineOn) only moves off a day that is
//   now off, to the next working day (art. 148): the date chosen is not kept, so a day turned
//   worked cannot bring it back earlier.
// A report whose deadline moves gets a staff timeline entry saying from when to when and why; one
// no longer past its deadline loses its overdue mark (the sweep sets it again if it passes).

import { sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';
import type { CalendarChange } from '../../platform/calendar/service.js';
import { businessDateOf, endOfBusinessDay } from './deadline.js';
import * as repo from './repo.js';

interface Candidate {
  id: number;
  status: string;
  unit_id: number | null;
  deadline: Date;
  original_deadline: Date | null;
  overdue_at: Date | null;
  counted_from: Date | null;
}

const BATCH = 2000;

/**
 * The deadline the report has after `change` (its day turned working or not); null when it does
 * not move.
 */
export function movedDeadline(change: CalendarChange, r: Pick<Candidate, 'deadline' | 'original_deadline' | 'counted_from'>): Date | null {
  const { date, previous, calendar } = change;
  const due = businessDateOf(r.deadline);
  if (due < date || previous.isWorkingDay(date) === calendar.isWorkingDay(date)) return null;
  let moved: string;
  if (r.original_deadline !== null) {
    moved = calendar.nextWorkingDay(due);
  } else {
    if (r.counted_from === null) return null;
    const from = businessDateOf(r.counted_from);
    if (from >= date) return null;
    const days = previous.workingDaysBetween(from, due);
    if (days < 1) return null;
    moved = calendar.addWorkingDays(from, days);
  }
  return moved === due ? null : endOfBusinessDay(moved);
}

/**
 * Moves the deadlines the change moves, in the caller's transaction; how many moved. The timeline
 * entry names the day and its exception.
 */
export async function recomputeFeedbackDeadlines(q: Queryable, change: CalendarChange, at: Date): Promise<number> {
  if (change.previous.isWorkingDay(change.date) === change.calendar.isWorkingDay(change.date)) return 0;
  let after = 0;
  let moved = 0;
  const from = endOfBusinessDay(change.date);
  for (;;) {
    // Deadlines on the day or later (the day's last instant minus one day is before it).
    const { rows } = await sql<Candidate>`
      SELECT r.id, r.status, r.unit_id, r.deadline, r.original_deadline, r.overdue_at,
        coalesce((SELECT e.at FROM feedback_events e WHERE e.report_id = r.id AND e.action IN ('verify', 'reopen') ORDER BY e.id DESC LIMIT 1), r.verified_at) AS counted_from
      FROM feedback_reports r
      WHERE r.deadline > ${new Date(from.getTime() - 86_400_000)} AND r.id > ${after}
      ORDER BY r.id LIMIT ${BATCH}`.execute(q);
    if (rows.length === 0) return moved;
    after = rows[rows.length - 1].id;
    for (const r of rows) {
      const deadline = movedDeadline(change, r);
      if (deadline === null) continue;
      moved++;
      const overdue = r.overdue_at !== null && deadline.getTime() <= at.getTime() ? r.overdue_at : null;
      await sql`UPDATE feedback_reports SET deadline = ${deadline}, overdue_at = ${overdue} WHERE id = ${r.id}`.execute(q);
      await repo.insertEvent(q, {
        report_id: r.id,
        action: 'deadline_moved',
        from_status: r.status,
        to_status: r.status,
        at,
        public: false,
        actor_role: 'system',
        user_id: null,
        unit_id: r.unit_id,
        details: { deadline: deadline.toISOString(), previousDeadline: r.deadline.toISOString(), calendarDate: change.date, calendarName: change.name },
      });
    }
  }
}
