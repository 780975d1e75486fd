import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Scorecard } from '../../src/modules/dossiers/report-schemas.js';
import type { DossierFacts, ProcedureFacts } from '../../src/modules/dossiers/rules/scorecardCounts.js';
import type { DossierStatus } from '../../src/modules/dossiers/rules/statuses.js';
import { createCalendar } from '../../src/platform/calendar/calendar.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { makeProcedures, makeSource, storeDossiers } from '../helpers/dossiers.js';

/**
 * A day recorded as off (or removed again) moves the due dates counted across it, in the same
 * transaction: the stored derived columns, the scorecard's rollups and the lists follow at once,
 * and dossiers whose deadline does not span the day are not rewritten.
 */

const vn = (local: string) => new Date(`${local}+07:00`);
const ev = (status: DossierStatus, local: string) => ({ status, at: vn(local) });
const procedures: ProcedureFacts[] = [
  { code: 'CAL-TT', unitKinds: ['commune'], processingWorkingDays: 5, online: 'none', effectiveOn: '2025-01-01', announcedOn: '2024-12-01', publishedOn: '2024-12-10' },
];
const base = { procedureCode: 'CAL-TT', channel: 'in_person', supplements: [], payment: null, syncedToNationalPortal: null, digitised: true, electronicResult: null, reusedDigitisedData: null, complaint: false, promisedReturnDate: null } as const;
const dossiers: DossierFacts[] = [
  // Mon 2 March + 5 working days = Mon 9 March; processed Tue 10 March: late by a day.
  { ...base, code: 'CAL-A', receivedAt: vn('2026-03-02T09:00:00'), events: [ev('accepted', '2026-03-02T09:00:00'), ev('processed', '2026-03-10T10:00:00')] },
  // Promised for Thu 5 March, still open.
  { ...base, code: 'CAL-B', receivedAt: vn('2026-03-02T10:00:00'), promisedReturnDate: '2026-03-05', events: [ev('accepted', '2026-03-02T10:00:00')] },
  // Received after the day: Wed 11 + 5 = Wed 18 March, whatever 5 March is.
  { ...base, code: 'CAL-C', receivedAt: vn('2026-03-11T09:00:00'), events: [ev('accepted', '2026-03-11T09:00:00')] },
  // Due before the day: Mon 23 Feb + 2 working days… processed on time on 25 February.
  { ...base, code: 'CAL-D', receivedAt: vn('2026-02-23T09:00:00'), promisedReturnDate: '2026-02-27', events: [ev('accepted', '2026-02-23T09:00:00'), ev('processed', '2026-02-25T09:00:00')] },
];

for (const kind of await testBackends()) {
  describe(`a change of the working-day calendar and the dossiers' due dates on ${kind}`, () => {
    let t: TestApp;
    let commune: Awaited<ReturnType<typeof makeUnit>>;
    let admin: Session;

    before(async () => {
      t = await buildTestApp(kind);
      const province = await makeUnit(t.db, { name: 'Tỉnh Thử Lịch', code: 'CAL-P' });
      const district = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Thử Lịch', code: 'CAL-H' });
      commune = await makeUnit(t.db, { parent: district, kind: 'commune', name: 'Xã Thử Lịch', code: 'CAL-X' });
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'cal.admin' });
      admin = await signIn(t.app, 'cal.admin');
      const ids = await makeProcedures(t.db, procedures);
      await storeDossiers(t.db, createCalendar([]), await makeSource(t.db, 'CAL-SRC'), { ids, facts: procedures }, dossiers.map((facts) => ({ facts, unitId: commune.id })));
    });
    after(() => t.close());

    const stored = async () => {
      const { rows } = await sql<{ code: string; due_on: string; updated_at: Date }>`
        SELECT code, to_char(due_on, 'YYYY-MM-DD') AS due_on, updated_at FROM dossiers ORDER BY code`.execute(t.db);
      return rows;
    };
    /** The rollups kept through the updates are those a rebuild from the rows gives. */
    const rollupsAsRebuilt = async () => {
      const rollups = async () => (await sql<{ r: string }>`SELECT r::text AS r FROM dossier_scorecard_monthly r WHERE dossiers <> 0 ORDER BY 1`.execute(t.db)).rows.map((x) => x.r);
      const kept = await rollups();
      await sql`SELECT dossier_scorecard_rebuild()`.execute(t.db);
      assert.deepEqual(await rollups(), kept);
      assert.ok(kept.length > 0);
    };
    const marchTimeliness = async () => {
      const res = await admin.get(`/api/v1/dossiers/scorecard?unitId=${commune.id}&period=month&year=2026&index=3`);
      assert.equal(res.statusCode, 200, res.body);
      return Object.fromEntries((res.json() as Scorecard).timeliness.map((c) => [c.name, c.value]));
    };

    test('5 March recorded as a day off: the due dates across it move a day, the others stay as they were', async () => {
      const before = await stored();
      assert.deepEqual(before.map((r) => [r.code, r.due_on]), [['CAL-A', '2026-03-09'], ['CAL-B', '2026-03-05'], ['CAL-C', '2026-03-18'], ['CAL-D', '2026-02-27']]);
      // At the end of March, B and C are still open past their due dates.
      assert.deepEqual(await marchTimeliness(), { completed_on_time: 0, completed_late: 1, in_process_within: 0, in_process_overdue: 2 });

      const res = await admin.post('/api/v1/calendar/exceptions', { date: '2026-03-05', kind: 'off', name: 'Nghỉ thử nghiệm' });
      assert.equal(res.statusCode, 201, res.body);
      const now = await stored();
      // A: 3, 4, 6, 9, 10 → Tue 10 March, processed that day: on time. B: its promised day is off → the next working day.
      assert.deepEqual(now.map((r) => [r.code, r.due_on]), [['CAL-A', '2026-03-10'], ['CAL-B', '2026-03-06'], ['CAL-C', '2026-03-18'], ['CAL-D', '2026-02-27']]);
      assert.deepEqual(
        now.filter((r, i) => r.updated_at.getTime() === before[i].updated_at.getTime()).map((r) => r.code),
        ['CAL-C', 'CAL-D'],
        'only the dossiers whose due date moved are rewritten',
      );
      assert.deepEqual(await marchTimeliness(), { completed_on_time: 1, completed_late: 0, in_process_within: 0, in_process_overdue: 2 });
      const listed = await admin.get(`/api/v1/dossiers?unitId=${commune.id}&basis=handled&from=2026-03-01&to=2026-03-31&asOf=${encodeURIComponent(vn('2026-03-31T23:59:59').toISOString())}&timeliness=completed_on_time`);
      assert.deepEqual((listed.json().items as { code: string }[]).map((x) => x.code), ['CAL-A']);
      const { rows: audit } = await sql<{ after: { recomputed: Record<string, number> } }>`
        SELECT after FROM audit_log WHERE module = 'calendar' AND action = 'add-exception' ORDER BY id DESC LIMIT 1`.execute(t.db);
      assert.deepEqual(audit[0].after.recomputed, { dossiers: 2, feedback: 0 });
      await rollupsAsRebuilt();
    });

    test('the day removed again: the due dates go back, and the rollups with them', async () => {
      const { rows } = await sql<{ id: number }>`SELECT id FROM calendar_exceptions WHERE date = '2026-03-05'`.execute(t.db);
      const res = await admin.request({ method: 'DELETE', url: `/api/v1/calendar/exceptions/${rows[0].id}` });
      assert.equal(res.statusCode, 204, res.body);
      assert.deepEqual((await stored()).map((r) => [r.code, r.due_on]), [['CAL-A', '2026-03-09'], ['CAL-B', '2026-03-05'], ['CAL-C', '2026-03-18'], ['CAL-D', '2026-02-27']]);
      assert.deepEqual(await marchTimeliness(), { completed_on_time: 0, completed_late: 1, in_process_within: 0, in_process_overdue: 2 });
      await rollupsAsRebuilt();
    });
  });
}
