// A day turned off (or worked) moves the handling deadlines counted across it, in the calendar
// change's transaction, as it moves the dossiers' due dates (dossiers/writer.ts recomputeDossiers):
// - a deadline counted in working days from its verification, or from its latest reopening
//   (deadline.ts handlingDeadline), keeps its number of working days: counted on the calendar
//   before the change, then counted again on the new one;
// - an extended deadline is the date chosen at the extension (its approval's timeline entry), or
//   the next working day when that date is off (art. 148): a day turned off moves it on, and the
//   same day turned working again brings it back.
// A report whose deadline moves gets a staff timeline entry saying from when to when and why; one
// no longer past its deadline loses its overdue mark (the sweep sets it again if it passes). The
// reports are read and written a batch at a time, a statement for each.

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
  /** The date chosen by the extension in force (its approval's deadline). */
  chosen: Date | null;
}

const BATCH = 2000;

/**
 * The deadline the report has after `change` (its day turned working or not); null when it does
 * not move.
 */
export function movedDeadline(change: CalendarChange, r: Pick<Candidate, 'deadline' | 'original_deadline' | 'counted_from' | 'chosen'>): Date | null {
  const { date, previous, calendar } = change;
  const due = businessDateOf(r.deadline);
  if (due < date || previous.isWorkingDay(date) === calendar.isWorkingDay(date)) return null;
  let moved: string;
  if (r.original_deadline !== null) {
    moved = calendar.nextWorkingDay(r.chosen === null ? due : businessDateOf(r.chosen));
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
        coalesce((SELECT e.at FROM feedback_events e WHERE e.report_id = r.id AND e.action IN ('verify', 'reopen') ORDER BY e.id DESC LIMIT 1), r.verified_at) AS counted_from,
        CASE WHEN r.original_deadline IS NOT NULL THEN (
          SELECT (e.details->>'deadline')::timestamptz FROM feedback_events e
          WHERE e.report_id = r.id AND e.action = 'decide_extension' AND e.details->>'decision' = 'approve' ORDER BY e.id DESC LIMIT 1) END AS chosen
      FROM feedback_reports r
      WHERE r.deadline > ${new Date(from.getTime() - 86_400_000)} AND r.id > ${after}
      ORDER BY r.id LIMIT ${BATCH}`.execute(q);
    if (rows.length === 0) return moved;
    after = rows[rows.length - 1].id;
    const moves = rows.flatMap((r) => {
      const deadline = movedDeadline(change, r);
      if (deadline === null) return [];
      const overdue = r.overdue_at !== null && deadline.getTime() <= at.getTime() ? r.overdue_at : null;
      return [{ r, deadline, overdue }];
    });
    if (moves.length === 0) continue;
    moved += moves.length;
    await sql`
      UPDATE feedback_reports r SET deadline = m.deadline, overdue_at = m.overdue
      FROM unnest(${moves.map((m) => m.r.id)}::integer[], ${moves.map((m) => m.deadline)}::timestamptz[], ${moves.map((m) => m.overdue)}::timestamptz[])
        AS m(id, deadline, overdue)
      WHERE r.id = m.id`.execute(q);
    await repo.insertEvents(
      q,
      moves.map(({ r, deadline }) => ({
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
      })),
    );
  }
}
