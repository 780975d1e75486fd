import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { businessDateOf, endOfBusinessDay } from '../../src/modules/feedback/deadline.js';
import { type CalendarException, createCalendar } from '../../src/platform/calendar/calendar.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { submitReport } from '../helpers/feedback.js';

/**
 * A day recorded as off (or removed again) moves the handling deadlines counted across it, in the
 * same transaction, as it moves the dossiers' due dates: the report, its timeline, its overdue mark
 * and what Open311 says all follow; an extended deadline leaves its chosen date while that day is
 * off, and comes back to it when the day is worked again.
 */

const square = (lng: number, lat: number, d = 0.05) => ({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });

for (const kind of await testBackends()) {
  describe(`a change of the working-day calendar and the feedback deadlines on ${kind}`, () => {
    let t: TestApp;
    let admin: Session;
    let operator: Session;
    let officer: Session;
    let commune: Awaited<ReturnType<typeof makeUnit>>;

    before(async () => {
      t = await buildTestApp(kind);
      const province = await makeUnit(t.db, { name: 'Tỉnh Thử Lịch', code: 'FBC-P' });
      commune = await makeUnit(t.db, { parent: province, kind: 'commune', name: 'Xã Thử Lịch', code: 'FBC-X' });
      await t.db.updateTable('org_units').set({ lat: 21.025, lng: 106.025, boundary: JSON.stringify(square(106.0, 21.0)) }).where('id', '=', commune.id).execute();
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'fbc.admin' });
      await makeUser(t.db, { unit: province, role: 'operator', username: 'fbc.operator' });
      await makeUser(t.db, { unit: commune, role: 'officer', username: 'fbc.officer' });
      [admin, operator, officer] = await Promise.all(['fbc.admin', 'fbc.operator', 'fbc.officer'].map((u) => signIn(t.app, u)));
      for (const [code, name, deadlineDays] of [
        ['DUONG', 'Hư hỏng đường', 3],
        ['DATDAI', 'Đất đai, xây dựng', 10],
      ] as const) {
        const category = await admin.post('/api/v1/feedback/categories', { code, name, deadlineDays });
        assert.equal(category.statusCode, 201, category.body);
      }
    });
    after(() => t.close());

    /** A report submitted and verified now, assigned to the commune: its id, code and deadline. */
    const verifiedReport = async (category = 'DUONG') => {
      const sub = await submitReport(t.app, { category, description: 'Ổ gà lớn giữa đường liên xã', lat: '21.02', lng: '106.02', anonymous: 'true' });
      assert.equal(sub.statusCode, 201, sub.body);
      const { code } = sub.json();
      const { rows } = await sql<{ id: number }>`SELECT id FROM feedback_reports WHERE code = ${code}`.execute(t.db);
      const verified = await operator.post(`/api/v1/feedback/reports/${rows[0].id}/verify`, { unitId: commune.id });
      assert.equal(verified.statusCode, 200, verified.body);
      return { id: rows[0].id, code: code as string, deadline: new Date(verified.json().deadline) };
    };
    const stored = async (id: number) =>
      (await sql<{ deadline: Date; original_deadline: Date | null; overdue_at: Date | null }>`
        SELECT deadline, original_deadline, overdue_at FROM feedback_reports WHERE id = ${id}`.execute(t.db)).rows[0];
    const addOff = async (date: string) => {
      const res = await admin.post('/api/v1/calendar/exceptions', { date, kind: 'off', name: 'Nghỉ đột xuất' });
      assert.equal(res.statusCode, 201, res.body);
      const audit = await sql<{ after: { recomputed: Record<string, number> } }>`
        SELECT after FROM audit_log WHERE module = 'calendar' AND entity_id = ${String(res.json().id)} ORDER BY id DESC LIMIT 1`.execute(t.db);
      return { id: res.json().id as number, recomputed: audit.rows[0].after.recomputed };
    };

    test('a day off inside the count moves the deadline a working day later; removing it moves it back', async () => {
      const counted = await verifiedReport();
      const today = businessDateOf(new Date());
      const before: CalendarException[] = [];
      assert.deepEqual(counted.deadline, endOfBusinessDay(createCalendar(before).addWorkingDays(today, 3)), 'three working days from the verification');

      // An extended report (the commune asks for a date six working days from now, the operator
      // approves it), and an overdue mark on the counted one, as the sweep leaves it.
      const extended = await verifiedReport();
      const chosen = createCalendar(before).addWorkingDays(today, 6);
      const asked = await officer.post(`/api/v1/feedback/reports/${extended.id}/extension`, { proposedDate: chosen, reason: 'Chờ vật tư thay thế' });
      assert.equal(asked.statusCode, 200, asked.body);
      const approved = await operator.post(`/api/v1/feedback/reports/${extended.id}/extension/decision`, { decision: 'approve' });
      assert.equal(approved.statusCode, 200, approved.body);
      assert.deepEqual((await stored(extended.id)).deadline, endOfBusinessDay(chosen));
      await sql`UPDATE feedback_reports SET overdue_at = now() WHERE id = ${counted.id}`.execute(t.db);

      const day = createCalendar(before).addWorkingDays(today, 1);
      const added = await addOff(day);
      const after = createCalendar([{ date: day, kind: 'off', name: 'Nghỉ đột xuất' }]);
      const moved = endOfBusinessDay(after.addWorkingDays(today, 3));
      assert.notDeepEqual(moved, counted.deadline);
      assert.deepEqual((await stored(counted.id)).deadline, moved);
      assert.equal((await stored(counted.id)).overdue_at, null, 'no longer past its deadline: the overdue mark goes');
      assert.deepEqual((await stored(extended.id)).deadline, endOfBusinessDay(chosen), 'a chosen date is not a count of working days');
      assert.equal(added.recomputed.feedback, 1);

      const detail = await operator.get(`/api/v1/feedback/reports/${counted.id}`);
      const entry = detail.json().timeline.find((e: { action: string }) => e.action === 'deadline_moved');
      assert.ok(entry, detail.body);
      assert.equal(entry.details.calendarDate, day);
      assert.equal(entry.details.previousDeadline, counted.deadline.toISOString());
      assert.equal(new Date(detail.json().deadline).getTime(), moved.getTime());

      // What Open311 answers follows (its JSON cache is keyed by the row's version).
      const open311 = await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${counted.code}.json` });
      assert.equal(open311.statusCode, 200, open311.body);
      assert.equal(new Date(open311.json()[0].expected_datetime).getTime(), Math.floor(moved.getTime() / 1000) * 1000);

      // The extended deadline's own day turned off: it goes to the next working day.
      const second = await addOff(chosen);
      const next = createCalendar([
        { date: day, kind: 'off', name: 'x' },
        { date: chosen, kind: 'off', name: 'x' },
      ]).nextWorkingDay(chosen);
      assert.deepEqual((await stored(extended.id)).deadline, endOfBusinessDay(next));
      assert.deepEqual((await stored(counted.id)).deadline, moved, 'after its deadline: not moved');
      assert.equal(second.recomputed.feedback, 1);

      // The first day removed again: the counted deadline comes back; the extended one stays where
      // it went (its chosen day is still off).
      const removed = await admin.request({ method: 'DELETE', url: `/api/v1/calendar/exceptions/${added.id}` });
      assert.equal(removed.statusCode, 204, removed.body);
      assert.deepEqual((await stored(counted.id)).deadline, counted.deadline);
      assert.deepEqual((await stored(extended.id)).deadline, endOfBusinessDay(next));

      // The chosen day worked again: the extended deadline comes back to it, and says so.
      const restored = await admin.request({ method: 'DELETE', url: `/api/v1/calendar/exceptions/${second.id}` });
      assert.equal(restored.statusCode, 204, restored.body);
      assert.deepEqual((await stored(extended.id)).deadline, endOfBusinessDay(chosen));
      assert.deepEqual((await stored(counted.id)).deadline, counted.deadline);
      const timeline = (await operator.get(`/api/v1/feedback/reports/${extended.id}`)).json().timeline as { action: string; details: Record<string, string> }[];
      const moves = timeline.filter((e) => e.action === 'deadline_moved').map((e) => [e.details.previousDeadline, e.details.deadline]);
      assert.deepEqual(moves, [
        [endOfBusinessDay(chosen).toISOString(), endOfBusinessDay(next).toISOString()],
        [endOfBusinessDay(next).toISOString(), endOfBusinessDay(chosen).toISOString()],
      ]);
    });

    test('a day already off (a Sunday) recorded as off moves nothing', async () => {
      // Ten working days: the count spans a Sunday whatever today is.
      const report = await verifiedReport('DATDAI');
      let sunday = nextDay(businessDateOf(new Date()));
      while (new Date(`${sunday}T00:00:00Z`).getUTCDay() !== 0) sunday = nextDay(sunday);
      assert.ok(sunday <= businessDateOf(report.deadline), 'inside the count');
      const { recomputed } = await addOff(sunday);
      assert.equal(recomputed.feedback, 0);
      assert.deepEqual((await stored(report.id)).deadline, report.deadline);
    });
  });
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
