/** The working-day calendar as the bench seeds read it in SQL. */
import type pg from 'pg';
import { type CalendarException, type WorkingCalendar, createCalendar } from '../../src/platform/calendar/calendar.js';
import { formatIsoDate, parseIsoDate } from '../../src/platform/calendar/isoDate.js';

/**
 * Working days as SQL reads them, from `before` days before `today` to `after` days after it, on
 * the locality's calendar (its exceptions included): bench_days gives each day the number of
 * working days up to it (its rank), bench_wd the working day of each rank. addWorkingDays(d, n)
 * is then the working day of rank(d) + n, and workingDaysBetween(a, b) is rank(b) − rank(a).
 * Temporary tables of `client`'s session; the calendar they were made from.
 */
export async function seedWorkingDays(client: pg.PoolClient, today: string, span: { before: number; after: number }): Promise<WorkingCalendar> {
  const { rows: exceptions } = await client.query<CalendarException>(`SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM calendar_exceptions`);
  const calendar = createCalendar(exceptions);
  const days: string[] = [];
  const working: string[] = [];
  let rank = 0;
  for (let d = parseIsoDate(today) - span.before; d <= parseIsoDate(today) + span.after; d++) {
    const date = formatIsoDate(d);
    if (calendar.isWorkingDay(date)) {
      rank++;
      working.push(`(${rank}, '${date}')`);
    }
    days.push(`('${date}', ${rank})`);
  }
  await client.query(`
    CREATE TEMP TABLE bench_days (day date PRIMARY KEY, rank int NOT NULL);
    INSERT INTO bench_days VALUES ${days.join(', ')};
    CREATE TEMP TABLE bench_wd (rank int PRIMARY KEY, day date NOT NULL);
    INSERT INTO bench_wd VALUES ${working.join(', ')};
    ANALYZE bench_days; ANALYZE bench_wd;`);
  return calendar;
}
