import { type Db, type Queryable, inTransaction } from '../../db/kysely.js';
import { type Actor, hasRootScope, requireRole, ADMIN_ROLES } from '../auth/actor.js';
import { recordAudit } from '../audit/audit.js';
import type { Bus } from '../bus/bus.js';
import { badRequest, conflict, forbidden, notFound } from '../errors/errors.js';
import { type CalendarException, type DayInfo, type WorkingCalendar, createCalendar } from './calendar.js';
import { FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR } from './holidays.js';

export interface StoredException extends CalendarException {
  id: number;
}

/**
 * Work a module does when a day changes between working and not, inside the transaction that
 * changes it, with the calendar as it will be: what it derived from the old calendar (a dossier's
 * due date) is derived again, or the change is not made. It says what it changed, for the audit.
 */
/** A day's change: the calendar before it and after it, and the exception's name (added or removed). */
export interface CalendarChange {
  date: string;
  name: string;
  previous: WorkingCalendar;
  calendar: WorkingCalendar;
}
export type CalendarChangeHook = (trx: Queryable, change: CalendarChange) => Promise<Record<string, number>>;

/** RangeErrors of the pure calendar become a 400 the user can read. */
function guard<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof RangeError) {
      throw badRequest('INVALID_DATE', `Ngày không hợp lệ hoặc ngoài khoảng ${FIRST_SUPPORTED_YEAR}–${LAST_SUPPORTED_YEAR} (định dạng YYYY-MM-DD).`);
    }
    throw err;
  }
}

/**
 * The working-day calendar of the locality: Labor Code holidays computed from the lunar
 * calendar, plus the exceptions an administrator records. Cached in memory; any instance that
 * changes an exception tells the others over the bus.
 */
export function createCalendarService(deps: { db: Db; bus: Bus }) {
  const { db, bus } = deps;
  let cached: Promise<{ calendar: WorkingCalendar; exceptions: StoredException[] }> | null = null;
  const hooks: CalendarChangeHook[] = [];

  bus.subscribe((e) => {
    if (e.type === 'calendar.changed') cached = null;
  });

  async function read(q: Queryable) {
    const rows = await q.selectFrom('calendar_exceptions').select(['id', 'date', 'kind', 'name']).orderBy('date').execute();
    const exceptions = rows.map((r) => ({ id: r.id, date: r.date, kind: r.kind as 'off' | 'work', name: r.name }));
    return { calendar: createCalendar(exceptions), exceptions };
  }

  /** Runs the hooks for a change to `date` made in `trx`; what they changed, by what. */
  async function changed(trx: Queryable, previous: WorkingCalendar, date: string, name: string): Promise<Record<string, number>> {
    const change = { date, name, previous, calendar: (await read(trx)).calendar };
    const done: Record<string, number> = {};
    for (const hook of hooks) {
      try {
        Object.assign(done, await hook(trx, change));
      } catch (err) {
        // What was derived cannot be derived again under the new calendar: the change is not made.
        if (err instanceof RangeError) throw conflict('CALENDAR_CHANGE_REFUSED', `Không đổi được lịch: ${err.message}`);
        throw err;
      }
    }
    return done;
  }

  function load() {
    cached ??= read(db)
      .catch((err) => {
        cached = null;
        throw err;
      });
    return cached;
  }

  function requireCalendarAdmin(actor: Actor) {
    requireRole(actor, ADMIN_ROLES);
    // One calendar for the whole locality: only its top administrators edit it.
    if (!hasRootScope(actor, ADMIN_ROLES)) throw forbidden('Chỉ quản trị viên cấp tỉnh được sửa lịch làm việc.');
  }

  return {
    /** The calendar itself, for modules that count deadlines. */
    calendar: async () => (await load()).calendar,

    /** Adds work to every change of a day (see CalendarChangeHook). */
    onChange(hook: CalendarChangeHook) {
      hooks.push(hook);
    },

    async year(year: number): Promise<DayInfo[]> {
      const { calendar } = await load();
      return guard(() => calendar.yearDays(year));
    },

    async exceptions(year?: number): Promise<StoredException[]> {
      const { exceptions } = await load();
      return year ? exceptions.filter((e) => e.date.startsWith(`${year}-`)) : exceptions;
    },

    async addWorkingDays(from: string, days: number): Promise<string> {
      const { calendar } = await load();
      return guard(() => calendar.addWorkingDays(from, days));
    },

    async workingDaysBetween(from: string, to: string): Promise<number> {
      const { calendar } = await load();
      return guard(() => calendar.workingDaysBetween(from, to));
    },

    async addException(actor: Actor, input: CalendarException): Promise<StoredException> {
      requireCalendarAdmin(actor);
      guard(() => createCalendar([input]).dayInfo(input.date));
      const row = await inTransaction(db, async (trx) => {
        const existing = await trx.selectFrom('calendar_exceptions').select('id').where('date', '=', input.date).executeTakeFirst();
        if (existing) throw conflict('EXCEPTION_EXISTS', `Ngày ${input.date.split('-').reverse().join('/')} đã có ngoại lệ; hãy xóa ngoại lệ cũ trước.`);
        const previous = (await read(trx)).calendar;
        const created = await trx
          .insertInto('calendar_exceptions')
          .values({ date: input.date, kind: input.kind, name: input.name.trim(), created_by: actor.userId })
          .returning(['id', 'date', 'kind', 'name'])
          .executeTakeFirstOrThrow();
        const recomputed = await changed(trx, previous, input.date, input.name.trim());
        await recordAudit(trx, actor, { module: 'calendar', action: 'add-exception', entityType: 'calendarException', entityId: created.id, after: { ...input, recomputed } });
        return created;
      });
      cached = null;
      bus.publish({ type: 'calendar.changed', orgUnitId: null, orgUnitPath: null, payload: { date: input.date } });
      return { id: row.id, date: row.date, kind: row.kind as 'off' | 'work', name: row.name };
    },

    async removeException(actor: Actor, id: number): Promise<void> {
      requireCalendarAdmin(actor);
      await inTransaction(db, async (trx) => {
        const before = await trx.selectFrom('calendar_exceptions').select(['id', 'date', 'kind', 'name']).where('id', '=', id).executeTakeFirst();
        if (!before) throw notFound('ngày ngoại lệ');
        const previous = (await read(trx)).calendar;
        await trx.deleteFrom('calendar_exceptions').where('id', '=', id).execute();
        const recomputed = await changed(trx, previous, before.date, before.name);
        await recordAudit(trx, actor, { module: 'calendar', action: 'remove-exception', entityType: 'calendarException', entityId: id, before, after: { recomputed } });
      });
      cached = null;
      bus.publish({ type: 'calendar.changed', orgUnitId: null, orgUnitPath: null, payload: { id } });
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
