// Reminders in the app: `reminderDaysBefore` working days before the deadline (once per
// deadline), and on each working day a task is overdue (once per day), to the assignee, the lead
// unit's leaders and the watchers. The sweep records each reminder in task_reminders first
// (INSERT … ON CONFLICT DO NOTHING RETURNING), in the transaction that writes the notifications,
// so it is safe to run on every instance and as often as one likes.

import { type Db, type Queryable, inTransaction } from '../../db/kysely.js';
import { businessDateOf } from '../../platform/calendar/businessTime.js';
import type { CalendarService } from '../../platform/calendar/service.js';
import type { Clock } from '../../platform/clock/clock.js';
import * as repo from './repo.js';
import { formatDateVi } from './rules/deadline.js';

export function createTaskSweep(deps: { db: Db; calendar: CalendarService; clock: Clock }) {
  const { db, calendar, clock } = deps;

  async function remind(trx: Queryable, rows: repo.ReminderRow[], kind: 'due_soon' | 'overdue', message: (r: repo.ReminderRow) => string, at: Date) {
    for (const r of rows) {
      const ids = new Set<number>();
      if (r.assignee_user_id !== null) ids.add(r.assignee_user_id);
      if (r.lead_unit_id !== null) for (const id of await repo.usersWithRoleOn(trx, r.lead_unit_id, 'leader')) ids.add(id);
      for (const id of await repo.watcherIds(trx, r.id)) ids.add(id);
      await repo.insertNotifications(trx, { userIds: [...ids], unitId: r.lead_unit_id, kind: `task_${kind}`, taskId: r.id, message: message(r), at });
      await repo.insertEvent(trx, { taskId: r.id, at, actorUserId: null, type: 'reminded', data: { kind, dueOn: r.due_on, recipients: ids.size } });
    }
  }

  return {
    /** One pass as of `at`; returns how many tasks were reminded of each kind. */
    async run(at: Date = clock.now()): Promise<{ dueSoon: number; overdue: number }> {
      const cal = await calendar.calendar();
      const today = businessDateOf(at);
      // Reminders go out on working days only: a weekend pass leaves them to Monday.
      if (!cal.isWorkingDay(today)) return { dueSoon: 0, overdue: 0 };
      const { reminder_days_before: days } = await repo.readSettings(db);
      const horizon = cal.addWorkingDays(today, days);
      const counts = await inTransaction(db, async (trx) => {
        const soon = await repo.takeReminders(trx, { kind: 'due_soon', dueFrom: today, dueTo: horizon, onDate: null });
        await remind(trx, soon, 'due_soon', (r) => `Nhiệm vụ ${r.code}${r.title ? ` "${r.title}"` : ''} sắp đến hạn (${formatDateVi(r.due_on)}).`, at);
        const overdue = await repo.takeReminders(trx, { kind: 'overdue', dueFrom: null, dueTo: dayBefore(today), onDate: today });
        await remind(trx, overdue, 'overdue', (r) => `Nhiệm vụ ${r.code}${r.title ? ` "${r.title}"` : ''} đã quá hạn (hạn ${formatDateVi(r.due_on)}).`, at);
        return { dueSoon: soon.length, overdue: overdue.length };
      });
      return counts;
    },
  };
}

/** The calendar day before `date` ('YYYY-MM-DD'). */
function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export type TaskSweep = ReturnType<typeof createTaskSweep>;
