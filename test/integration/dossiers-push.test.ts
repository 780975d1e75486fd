import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { inTransaction } from '../../src/db/kysely.js';
import { deriveDossier } from '../../src/modules/dossiers/derive.js';
import { writeDossiers } from '../../src/modules/dossiers/writer.js';
import { createCalendar } from '../../src/platform/calendar/calendar.js';
import { type TestApp, buildTestApp } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { FIXTURE_PROCEDURE, FIXTURE_PROCEDURE_2, FIXTURE_UNIT_A, FIXTURE_UNIT_B, type IngestLocality, ingestLocality, pushBatch, storedDossiers } from '../helpers/dossier-ingest.js';

/**
 * The batch push of the one-stop systems (POST /api/v1/dossiers/batch) with a source's API key:
 * per-item results, idempotence, out-of-order events, a bad item never stopping the others, the
 * key's scope; and a procedure's new processing time reaching its dossiers.
 */

const calendar = createCalendar([]);
const vn = (local: string) => `${local}+07:00`;

/** A dossier of commune A as the one-stop system sends it. */
const item = (code: string, overrides: Record<string, unknown> = {}) => ({
  code,
  procedureCode: FIXTURE_PROCEDURE,
  receivingUnitCode: FIXTURE_UNIT_A,
  channel: 'online',
  receivedAt: vn('2026-03-02T09:00:00'),
  events: [{ status: 'accepted', at: vn('2026-03-02T09:00:00') }],
  ...overrides,
});

for (const kind of await testBackends()) {
  describe(`dossier batch push on ${kind}`, () => {
    let t: TestApp;
    let L: IngestLocality;
    before(async () => {
      t = await buildTestApp(kind);
      L = await ingestLocality(t, 'DP');
    });
    after(() => t.close());

    test('a batch answers each item; the same batch again changes nothing', async () => {
      const batch = [item('P-1'), item('P-2', { promisedReturnDate: '2026-03-06', fee: 50_000, paidOnline: true, handler: 'Nguyễn Văn A' }), item('P-3', { channel: 1 })];
      const first = await pushBatch(t.app, L.keyA, batch);
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(
        first.json().results.map((r: { index: number; code: string; result: string }) => [r.index, r.code, r.result]),
        [
          [0, 'P-1', 'created'],
          [1, 'P-2', 'created'],
          [2, 'P-3', 'created'],
        ],
      );
      assert.deepEqual([first.json().created, first.json().sourceCode], [3, 'DP_MOTCUA']);
      const before = await storedDossiers(t.db, L.sourceId);

      const again = await pushBatch(t.app, L.keyA, batch);
      assert.deepEqual(again.json().results.map((r: { result: string }) => r.result), ['unchanged', 'unchanged', 'unchanged']);
      assert.deepEqual(await storedDossiers(t.db, L.sourceId), before, 'not a column touched, updated_at included');

      // P-1: no promised date, 3 working days from Mon 2 March → Thu 5, overdue from Fri 6 00:00.
      const p1 = before.get('P-1')!;
      assert.deepEqual([p1.due_on, p1.overdue_from, p1.status, p1.ended_at], ['2026-03-05', new Date(vn('2026-03-06T00:00:00')), 2, null]);
      const audit = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'batch.push'`.execute(t.db);
      assert.equal(Number(audit.rows[0].n), 1, 'the batch that changed something is audited, the one that did not is not');
    });

    test('events out of order are kept and read by their own times; the same event twice is kept once', async () => {
      // The "processed" arrives first, stamped Thursday; then the history, "processed" again among it.
      const processed = { status: 'processed', at: vn('2026-03-05T16:00:00') };
      assert.equal((await pushBatch(t.app, L.keyA, [item('OOO-1', { events: [processed] })])).json().results[0].result, 'created');
      const history = [{ status: 'accepted', at: vn('2026-03-02T09:00:00') }, { status: 4, at: vn('2026-03-03T08:00:00') }, processed];
      assert.equal((await pushBatch(t.app, L.keyA, [item('OOO-1', { events: history })])).json().results[0].result, 'updated');
      let d = (await storedDossiers(t.db, L.sourceId)).get('OOO-1')!;
      assert.deepEqual(d.event_statuses, [9, 2, 4], 'kept as received, each once');
      assert.deepEqual([d.status, d.status_at, d.ended_at, d.ended_status], [9, new Date(processed.at), new Date(processed.at), 9]);
      assert.equal(d.overdue_from, null, 'processed on its due day: on time');

      // An "accepted" entered after the end shows as the latest status, and does not reopen it.
      const late = { status: 'accepted', at: vn('2026-03-06T10:00:00') };
      assert.equal((await pushBatch(t.app, L.keyA, [item('OOO-1', { events: [late] })])).json().results[0].result, 'updated');
      d = (await storedDossiers(t.db, L.sourceId)).get('OOO-1')!;
      assert.deepEqual([d.status, d.ended_at], [2, new Date(processed.at)]);

      // The stored columns are the rules' conclusion from the whole history.
      const expected = deriveDossier(calendar, {
        receivedAt: new Date(vn('2026-03-02T09:00:00')),
        promisedReturnDate: null,
        processingWorkingDays: 3,
        events: d.event_statuses.map((s, i) => ({ status: (['registered', 'accepted', 'not_accepted', 'in_process', 'supplement_requested', 'payment_requested', 'withdrawn', 'stopped', 'processed', 'returned'] as const)[s - 1], at: d.event_times[i] })),
        supplements: [],
      });
      assert.deepEqual([d.due_on, d.overdue_from, d.ended_at], [expected.dueOn, expected.overdueFrom, expected.endedAt]);
    });

    test('a batch carries a dossier and then its changes: items of one code apply in order', async () => {
      const res = await pushBatch(t.app, L.keyA, [
        item('SEQ-1'),
        item('SEQ-1', { events: [{ status: 'supplement_requested', at: vn('2026-03-03T10:00:00') }], supplements: [{ askedAt: vn('2026-03-03T10:00:00') }] }),
        item('SEQ-1', { supplements: [{ askedAt: vn('2026-03-03T10:00:00'), answeredAt: vn('2026-03-09T08:00:00') }] }),
        item('SEQ-1', { supplements: [{ askedAt: vn('2026-03-03T10:00:00'), answeredAt: vn('2026-03-09T08:00:00') }] }),
      ]);
      assert.deepEqual(res.json().results.map((r: { result: string }) => r.result), ['created', 'updated', 'updated', 'unchanged']);
      const d = (await storedDossiers(t.db, L.sourceId)).get('SEQ-1')!;
      assert.deepEqual([d.supplement_asked.length, d.supplement_answered[0]], [1, new Date(vn('2026-03-09T08:00:00'))]);
      // (3, 9] pauses Wed 4, Thu 5, Fri 6, Mon 9: Thu 5 + 4 → Wed 11.
      assert.equal(d.due_on, '2026-03-11');
    });

    test('a bad item is answered with its problems and never stops the others', async () => {
      const res = await pushBatch(t.app, L.keyA, [
        item('OK-1'),
        item('BAD-PROC', { procedureCode: '9.999.H23' }),
        item('BAD-STATUS', { events: [{ status: 11, at: vn('2026-03-03T10:00:00') }, { status: 'paused', at: vn('2026-03-03T11:00:00') }] }),
        item('BAD-DATES', { supplements: [{ askedAt: vn('2026-03-05T10:00:00'), answeredAt: vn('2026-03-04T10:00:00') }], promisedReturnDate: '2026-02-27' }),
        item('BAD-END', { events: [{ status: 'processed', at: vn('2026-03-01T10:00:00') }] }),
        item('BAD-FUTURE', { receivedAt: '2099-01-01T00:00:00Z' }),
        item('BAD-FIELD', { colour: 'red', channel: 'fax' }),
        'not a dossier',
        item('BAD-DEADLINE', { procedureCode: FIXTURE_PROCEDURE_2 }),
        item('OK-2', { receivingUnitCode: FIXTURE_UNIT_A.toLowerCase(), procedureCode: FIXTURE_PROCEDURE.toLowerCase() }),
      ]);
      assert.equal(res.statusCode, 200, res.body);
      const results = res.json().results as { index: number; code: string | null; result: string; problems: { field: string; code: string }[] }[];
      const codes = (i: number) => results[i].problems.map((p) => `${p.field}:${p.code}`).sort();
      assert.deepEqual(results.map((r) => r.result), ['created', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'created']);
      assert.deepEqual(codes(1), ['procedureCode:UNKNOWN_PROCEDURE']);
      assert.deepEqual(codes(2), ['events[0].status:INVALID_STATUS', 'events[1].status:INVALID_STATUS']);
      assert.deepEqual(codes(3), ['promisedReturnDate:DATE_ORDER', 'supplements[0].answeredAt:DATE_ORDER']);
      assert.deepEqual(codes(4), ['events[0].at:DATE_ORDER']);
      assert.deepEqual(codes(5), ['receivedAt:DATE_IN_FUTURE']);
      assert.deepEqual(codes(6), ['channel:INVALID_CHANNEL', 'colour:UNKNOWN_FIELD']);
      assert.deepEqual([results[7].code, codes(7)], [null, ['null:INVALID_ITEM']]);
      assert.deepEqual(codes(8), ['promisedReturnDate:NO_DEADLINE']);
      assert.deepEqual([res.json().created, res.json().rejected], [2, 8]);
      const stored = await storedDossiers(t.db, L.sourceId);
      assert.ok(stored.has('OK-1') && stored.has('OK-2'));
      for (const code of ['BAD-PROC', 'BAD-STATUS', 'BAD-DATES', 'BAD-END', 'BAD-FUTURE', 'BAD-FIELD', 'BAD-DEADLINE']) assert.equal(stored.has(code), false, code);
    });

    test('a later item whose receipt comes after an ending already stored is refused; the dossier stays as it was', async () => {
      const first = await pushBatch(t.app, L.keyA, [item('MERGE-1', { events: [{ status: 'processed', at: vn('2026-03-03T10:00:00') }] })]);
      assert.deepEqual(first.json().results.map((r: { result: string }) => r.result), ['created']);
      const before = await storedDossiers(t.db, L.sourceId);
      // Alone, this item is valid (no ending in it); merged with the stored ending it is not.
      const later = await pushBatch(t.app, L.keyA, [item('MERGE-1', { receivedAt: vn('2026-03-04T09:00:00'), events: [] })]);
      assert.equal(later.statusCode, 200, later.body);
      const [result] = later.json().results as { result: string; problems: { field: string; code: string; message: string }[] }[];
      assert.equal(result.result, 'rejected');
      assert.deepEqual(result.problems.map((p) => `${p.field}:${p.code}`), ['receivedAt:DATE_ORDER']);
      assert.match(result.problems[0].message, /ngày tiếp nhận sau thời điểm hồ sơ đã kết thúc/);
      assert.deepEqual((await storedDossiers(t.db, L.sourceId)).get('MERGE-1'), before.get('MERGE-1'));
    });

    test('the unit must be in the key’s scope, for a new dossier and for one already stored', async () => {
      const res = await pushBatch(t.app, L.keyA, [item('SCOPE-B', { receivingUnitCode: FIXTURE_UNIT_B })]);
      assert.deepEqual(res.json().results[0].problems.map((p: { code: string }) => p.code), ['UNIT_OUT_OF_SCOPE']);
      // A dossier of district B, recorded under the same source by its province-wide writer …
      await inTransaction(t.db, (trx) => writeDossiers(trx, L.sourceId, [{ ...inputOfB('SHARED-1') }], { calendar }));
      // … cannot be taken over by district A's key, by moving it to A.
      const takeover = await pushBatch(t.app, L.keyA, [item('SHARED-1')]);
      assert.deepEqual(takeover.json().results[0].problems.map((p: { code: string }) => p.code), ['UNIT_OUT_OF_SCOPE']);
      assert.equal((await storedDossiers(t.db, L.sourceId)).get('SHARED-1')?.unit_id, L.communeB.id);
      assert.equal((await storedDossiers(t.db, L.sourceId)).has('SCOPE-B'), false);
    });

    test('only a source’s key pushes: a session, a key of no source, no key at all are refused', async () => {
      const asUser = await L.adminA.post('/api/v1/dossiers/batch', { items: [item('U-1')] });
      assert.deepEqual([asUser.statusCode, asUser.json().code], [403, 'FORBIDDEN']);
      const loose = await L.root.post('/api/v1/api-keys', { name: 'Khóa không nguồn', role: 'officer', orgUnitId: L.districtA.id });
      const noSource = await pushBatch(t.app, loose.json().secret, [item('U-2')]);
      assert.deepEqual([noSource.statusCode, noSource.json().code], [403, 'FORBIDDEN']);
      const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers/batch', payload: { items: [item('U-3')] } });
      assert.equal(anonymous.statusCode, 401);
      const tooMany = await pushBatch(t.app, L.keyA, Array.from({ length: 1001 }, (_, i) => item(`MANY-${i}`)));
      assert.equal(tooMany.statusCode, 400);
      // A deactivated source's key stops working.
      await L.root.post(`/api/v1/dossiers/sources/${L.sourceId}/deactivate`);
      assert.equal((await pushBatch(t.app, L.keyA, [item('U-4')])).statusCode, 403);
      await L.root.post(`/api/v1/dossiers/sources/${L.sourceId}/activate`);
      assert.equal((await pushBatch(t.app, L.keyA, [item('U-4')])).json().results[0].result, 'created');
    });

    test('a procedure’s new processing time moves the deadlines of its dossiers without a promised date', async () => {
      const id = L.procedureIds.get(FIXTURE_PROCEDURE)!;
      const before = (await storedDossiers(t.db, L.sourceId)).get('P-1')!;
      assert.equal(before.due_on, '2026-03-05');
      const res = await L.root.patch(`/api/v1/dossiers/procedures/${id}`, { processingDays: 5 });
      assert.equal(res.statusCode, 200, res.body);
      const stored = await storedDossiers(t.db, L.sourceId);
      assert.deepEqual([stored.get('P-1')!.due_on, stored.get('P-1')!.overdue_from], ['2026-03-09', new Date(vn('2026-03-10T00:00:00'))]);
      assert.equal(stored.get('P-2')!.due_on, '2026-03-06', 'a promised date stays the deadline');
      const none = await L.root.patch(`/api/v1/dossiers/procedures/${id}`, { processingDays: null });
      assert.deepEqual([none.statusCode, none.json().code], [409, 'PROCEDURE_DOSSIERS_WITHOUT_DEADLINE']);
      assert.equal((await L.root.get(`/api/v1/dossiers/procedures/${id}`)).json().processingDays, 5, 'refused whole');
    });
  });
}

function inputOfB(code: string) {
  return {
    code,
    procedureCode: FIXTURE_PROCEDURE,
    receivingUnitCode: FIXTURE_UNIT_B,
    channel: 'in_person' as const,
    receivedAt: new Date(vn('2026-03-02T09:00:00')),
    promisedReturnDate: null,
    handler: null,
    events: [],
    supplements: [],
    fee: null,
    paidOnline: null,
    synced: null,
    digitised: null,
    electronicResult: null,
    reusedData: null,
    rating: null,
    complaint: null,
  };
}
