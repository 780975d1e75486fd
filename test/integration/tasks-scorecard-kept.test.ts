// The scorecard of a period that ends today, read from the counts kept by migration 015
// (task_status_counts, task_completions_monthly/daily), must give the figures the per-row
// statement gives. tasks.test.ts moves its clock back and forth, so its scorecard takes the
// per-row statement; here the clock only moves forward, so no task changed after "now" and
// scorecardCounts reads the kept counts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startOfBusinessDay } from '../../src/platform/calendar/businessTime.js';
import { scorecardCounts } from '../../src/modules/tasks/repo.js';
import { type TestApp, buildTestApp } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { type TaskLocality, clearTask, issueTask, ok, setClock, taskLocality } from '../helpers/tasks.js';

const vn = (local: string) => new Date(`${local}+07:00`);
const FIGURES = ['completedOnTime', 'completedLate', 'inProgressWithin', 'inProgressOverdue', 'total'] as const;
type Figures = Record<(typeof FIGURES)[number], number>;
type Row = { unit: { id: number } | null } & Figures;

const figures = (r: Figures) => Object.fromEntries(FIGURES.map((k) => [k, r[k]]));
const fig = (completedOnTime: number, completedLate: number, inProgressWithin: number, inProgressOverdue: number): Figures => ({
  completedOnTime,
  completedLate,
  inProgressWithin,
  inProgressOverdue,
  total: completedOnTime + completedLate + inProgressWithin + inProgressOverdue,
});
/** scorecardCounts' rows as a map "lead unit/timeliness" → n, without the uncounted ones. */
const keyed = (rows: { lead_unit_id: number; timeliness: string | null; n: number }[]) =>
  Object.fromEntries(
    rows
      .filter((r) => r.timeliness !== null && r.n !== 0)
      .map((r) => [`${r.lead_unit_id}/${r.timeliness}`, r.n] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

for (const kind of await testBackends()) {
  describe(`tasks scorecard from the kept counts on ${kind}`, () => {
    let t: TestApp;
    let l: TaskLocality;
    // The period: from 15 February (the days of February from task_completions_daily, March from
    // task_completions_monthly) to today, Wednesday 18 March 2026, 09:00.
    const from = '2026-02-15';
    const today = '2026-03-18';
    const now = vn(`${today}T09:00:00`);
    const end = vn(`${today}T23:59:59.999`);
    const url = (unitId: number) => `/api/v1/tasks/scorecard?unitId=${unitId}&from=${from}&to=${today}`;

    const kept = async () =>
      (
        await sql<{ status: unknown; monthly: unknown; daily: unknown }>`SELECT
          (SELECT json_agg(c ORDER BY c.lead_unit_id, c.status) FROM task_status_counts c WHERE c.n <> 0) AS status,
          (SELECT json_agg(c ORDER BY c.month, c.lead_unit_id) FROM task_completions_monthly c WHERE c.on_time <> 0 OR c.late <> 0) AS monthly,
          (SELECT json_agg(c ORDER BY c.day, c.lead_unit_id) FROM task_completions_daily c WHERE c.on_time <> 0 OR c.late <> 0) AS daily`.execute(t.db)
      ).rows[0];

    before(async () => {
      t = await buildTestApp(kind, { TEST_CLOCK: '1' });
      l = await taskLocality(t, 'sk');
      const { namSach: ns, anBinh: ab, tuKy: tk } = l.units;
      const leader = l.as.provinceLeader;
      // Issued on Tuesday 10 February with a deadline at the end of March; then each task is put
      // in its state with an UPDATE (the kept counts follow through the statement triggers),
      // every change before "now".
      await setClock(l.as.admin, '2026-02-10T09:00');
      const to = { ns: { leadUnitId: ns.id, assigneeUserId: l.ids.nsOfficer }, ab: { leadUnitId: ab.id, assigneeUserId: l.ids.abOfficer }, tk: { leadUnitId: tk.id, assigneeUserId: l.ids.tkOfficer } };
      type State = { unit: keyof typeof to; status: string; dueOn: string; completedAt?: string; cancelledAt?: string; extended?: [string, string] };
      const states: State[] = [
        // Nam Sách
        { unit: 'ns', status: 'completed', dueOn: '2026-03-13', completedAt: '2026-03-12T15:00:00' }, // on time, March
        { unit: 'ns', status: 'completed', dueOn: '2026-03-05', completedAt: '2026-03-09T10:00:00' }, // late, March
        // Extended on 10 March to the 20th, completed on the 9th: late against the deadline in force then (the 6th).
        { unit: 'ns', status: 'completed', dueOn: '2026-03-20', completedAt: '2026-03-09T11:00:00', extended: ['2026-03-10T10:00:00', '2026-03-06'] },
        { unit: 'ns', status: 'in_progress', dueOn: '2026-03-31' }, // within
        { unit: 'ns', status: 'in_progress', dueOn: today }, // within: due today
        { unit: 'ns', status: 'cancelled', dueOn: '2026-03-31', cancelledAt: '2026-03-01T10:00:00' }, // not counted
        // An Bình (in Nam Sách)
        { unit: 'ab', status: 'completed', dueOn: '2026-02-27', completedAt: '2026-02-20T10:00:00' }, // on time, February (daily)
        { unit: 'ab', status: 'completed', dueOn: '2026-02-13', completedAt: '2026-02-15T00:10:00' }, // late, the period's first minutes
        { unit: 'ab', status: 'completed', dueOn: '2026-02-13', completedAt: '2026-02-14T23:50:00' }, // before the period: not counted
        { unit: 'ab', status: 'in_progress', dueOn: '2026-03-17' }, // overdue since this morning
        // Tứ Kỳ
        { unit: 'tk', status: 'completed', dueOn: '2026-02-24', completedAt: '2026-02-28T23:30:00' }, // late, last day of February
        { unit: 'tk', status: 'completed', dueOn: '2026-03-02', completedAt: '2026-03-01T00:30:00' }, // on time, first minutes of March
        { unit: 'tk', status: 'submitted', dueOn: '2026-03-06' }, // overdue, awaiting acceptance
        { unit: 'tk', status: 'submitted', dueOn: '2026-03-20' }, // within, awaiting acceptance
      ];
      for (const [i, s] of states.entries()) {
        const task = await issueTask(leader, clearTask(l, { ...to[s.unit], title: `Nhiệm vụ xếp hạng ${i + 1}` }));
        await sql`UPDATE tasks SET status = ${s.status}, due_on = ${s.dueOn}::date,
            completed_at = ${s.completedAt ? vn(s.completedAt) : null}::timestamptz, cancelled_at = ${s.cancelledAt ? vn(s.cancelledAt) : null}::timestamptz,
            due_changed_at = ${s.extended ? [vn(s.extended[0])] : []}::timestamptz[], due_before = ${s.extended ? [s.extended[1]] : []}::date[],
            updated_at = ${vn('2026-03-18T08:00:00')}::timestamptz, version = version + 1
          WHERE id = ${task.id}`.execute(t.db);
      }
      // A draft for Nam Sách: in task_status_counts, never in the scorecard.
      ok(await leader.post('/api/v1/tasks', clearTask(l, { title: 'Bản nháp' })), 201);
      await setClock(l.as.admin, `${today}T09:00`);
    });
    after(() => t.close());

    test('the kept counts are what task_counts_rebuild() computes from the rows', async () => {
      const before = await kept();
      assert.ok(before.status && before.monthly && before.daily, 'the triggers filled the three tables');
      await sql`SELECT task_counts_rebuild()`.execute(t.db);
      assert.deepEqual(await kept(), before);
    });

    test('a period ending today: the hand-computed figures, through the kept counts', async () => {
      const { province, namSach, anBinh, anSon, tuKy } = l.units;
      // The fast path's condition: judged before the period's end, no task changed after that instant.
      const { rows } = await sql<{ latest: Date }>`SELECT max(updated_at) AS latest FROM tasks`.execute(t.db);
      assert.ok(new Date(rows[0].latest).getTime() <= now.getTime(), 'no task changed after now');

      const card = ok(await l.as.provinceLeader.get(url(province.id)));
      assert.equal(card.asOf, now.toISOString());
      assert.ok(now.getTime() < end.getTime());
      const row = (c: { rows: Row[] }, id: number) => figures(c.rows.find((r) => r.unit?.id === id) as Row);
      assert.deepEqual(row(card, namSach.id), fig(2, 3, 2, 1), 'Nam Sách with An Bình');
      assert.deepEqual(row(card, tuKy.id), fig(1, 1, 1, 1), 'Tứ Kỳ');
      assert.deepEqual(figures(card.total), fig(3, 4, 3, 2), 'the province');

      // A subtree (the units named, not every unit): Nam Sách's communes.
      const nsCard = ok(await l.as.provinceLeader.get(url(namSach.id)));
      assert.deepEqual(row(nsCard, anBinh.id), fig(1, 1, 0, 1), 'An Bình');
      assert.deepEqual(row(nsCard, anSon.id), fig(0, 0, 0, 0), 'An Sơn');
      assert.deepEqual(figures(nsCard.total), fig(2, 3, 2, 1), 'Nam Sách’s own tasks count in its total');
    });

    test('the kept counts and the per-row statement agree, for every unit and for a subtree', async () => {
      const { namSach, anBinh, anSon } = l.units;
      const start = startOfBusinessDay(from);
      for (const unitIds of [null, [namSach.id, anBinh.id, anSon.id], [anBinh.id]]) {
        const fast = keyed(await scorecardCounts(t.db, { unitIds, start, end, at: now }));
        // Judged at the period's end (at = end): the per-row statement, same tasks and instant.
        const slow = keyed(await scorecardCounts(t.db, { unitIds, start, end: now, at: now }));
        assert.ok(Object.keys(slow).length > 0);
        assert.deepEqual(fast, slow, `units ${JSON.stringify(unitIds)}`);
      }
    });

    test('the API reads the kept counts; a change after now sends it to the rows; the rebuild repairs them', async () => {
      const { province, tuKy } = l.units;
      const tkRow = async () => figures((ok(await l.as.provinceLeader.get(url(province.id))).rows as Row[]).find((r) => r.unit?.id === tuKy.id) as Row);
      const before = await kept();
      // Spoil one kept count: the scorecard shows it, so it was read from the kept counts.
      await sql`UPDATE task_completions_monthly SET on_time = on_time + 100 WHERE lead_unit_id = ${tuKy.id} AND month = '2026-03-01'`.execute(t.db);
      try {
        assert.deepEqual(await tkRow(), fig(101, 1, 1, 1), 'through the kept counts');
        // A task changed after now (as after a clock set back): the rows, untouched by the spoilt count.
        const { rows } = await sql<{ id: number; updated_at: Date }>`SELECT id::int AS id, updated_at FROM tasks WHERE lead_unit_id = ${tuKy.id} ORDER BY id LIMIT 1`.execute(t.db);
        await sql`UPDATE tasks SET updated_at = ${new Date(now.getTime() + 3600_000)} WHERE id = ${rows[0].id}`.execute(t.db);
        assert.deepEqual(await tkRow(), fig(1, 1, 1, 1), 'through the rows');
        await sql`UPDATE tasks SET updated_at = ${rows[0].updated_at} WHERE id = ${rows[0].id}`.execute(t.db);
        assert.deepEqual(await tkRow(), fig(101, 1, 1, 1), 'back on the kept counts');
      } finally {
        await sql`SELECT task_counts_rebuild()`.execute(t.db);
      }
      assert.deepEqual(await kept(), before, 'the rebuild gives back the counts the triggers kept');
      assert.deepEqual(await tkRow(), fig(1, 1, 1, 1));
    });
  });
}
