import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Scorecard } from '../../src/modules/dossiers/report-schemas.js';
import type { DossierFacts, ProcedureFacts } from '../../src/modules/dossiers/rules/scorecardCounts.js';
import type { DossierStatus } from '../../src/modules/dossiers/rules/statuses.js';
import { directCounts } from '../../src/modules/dossiers/scorecard-repo.js';
import { createCalendar } from '../../src/platform/calendar/calendar.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { makeProcedures, makeSource, storeDossiers } from '../helpers/dossiers.js';

/**
 * A period still under way is judged now, not at its end: a dossier due later in the month is in
 * process within its deadline today, though the rollups (monthly, judged at each month's end) would
 * already count it late. The same dossiers as the month ends, and once it has ended, are judged at
 * the end. Every count equals the direct aggregate at the same instant and its list.
 */

const calendar = createCalendar([]);
const vn = (local: string) => new Date(`${local}+07:00`);
const ev = (status: DossierStatus, local: string) => ({ status, at: vn(local) });
const procedures: ProcedureFacts[] = [
  { code: 'NOW-TT', unitKinds: ['commune'], processingWorkingDays: 5, online: 'partial', effectiveOn: '2025-01-01', announcedOn: '2024-12-01', publishedOn: '2024-12-10' },
];
const base = { procedureCode: 'NOW-TT', channel: 'in_person', supplements: [], payment: null, syncedToNationalPortal: null, digitised: true, electronicResult: null, reusedDigitisedData: null, complaint: false } as const;
// Now is Tue 10 March 2026, 10:00 in Vietnam.
const NOW = '2026-03-10T10:00:00';
const dossiers: DossierFacts[] = [
  // Due Fri 20 March, open: within now; late at the month's end.
  { ...base, code: 'N-A', receivedAt: vn('2026-03-02T09:00:00'), promisedReturnDate: '2026-03-20', events: [ev('accepted', '2026-03-02T09:00:00')] },
  // Due Thu 5 March, open: late now.
  { ...base, code: 'N-B', receivedAt: vn('2026-03-02T09:30:00'), promisedReturnDate: '2026-03-05', events: [ev('accepted', '2026-03-02T09:30:00')] },
  // Processed at 18:00 today, stamped ahead of our clock by its source: in process now, on time at the end.
  { ...base, code: 'N-C', receivedAt: vn('2026-03-03T08:00:00'), promisedReturnDate: '2026-03-20', events: [ev('accepted', '2026-03-03T08:00:00'), ev('processed', '2026-03-10T18:00:00')] },
  // Received at 15:00 today, ahead of our clock: not received yet now; within at the end (due 31 March).
  { ...base, code: 'N-D', receivedAt: vn('2026-03-10T15:00:00'), promisedReturnDate: '2026-03-31', events: [ev('accepted', '2026-03-10T15:00:00')] },
  // Received in February, due Thu 12 March, open: within now, late at the end; handled in March, not received in it.
  { ...base, code: 'N-E', receivedAt: vn('2026-02-20T09:00:00'), promisedReturnDate: '2026-03-12', events: [ev('accepted', '2026-02-20T09:00:00')] },
  // Received yesterday, due Wed 15 April: within now and at the end of March; late at the end of the year.
  { ...base, code: 'N-G', receivedAt: vn('2026-03-09T14:00:00'), promisedReturnDate: '2026-04-15', events: [ev('accepted', '2026-03-09T14:00:00')] },
  // Received in February, processed on time on 4 March.
  { ...base, code: 'N-F', receivedAt: vn('2026-02-10T09:00:00'), promisedReturnDate: '2026-03-06', events: [ev('accepted', '2026-02-10T09:00:00'), ev('processed', '2026-03-04T16:00:00')] },
];

const timelinessOf = (card: Scorecard) => Object.fromEntries(card.timeliness.map((c) => [c.name, c.value]));
const countOf = (card: Scorecard, name: string) => card.groups.flatMap((g) => g.measures.flatMap((m) => m.counts)).find((c) => c.name === name)?.value;

for (const kind of await testBackends()) {
  describe(`the scorecard of a period under way on ${kind}`, () => {
    let t: TestApp;
    let commune: Awaited<ReturnType<typeof makeUnit>>;
    let admin: Session;
    const march = 'period=month&year=2026&index=3';

    before(async () => {
      t = await buildTestApp(kind, { TEST_CLOCK: '1' });
      const province = await makeUnit(t.db, { name: 'Tỉnh Thử Kỳ Dở Dang', code: 'NOW-P' });
      const district = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Thử Kỳ Dở Dang', code: 'NOW-D' });
      commune = await makeUnit(t.db, { parent: district, kind: 'commune', name: 'Xã Thử Kỳ Dở Dang', code: 'NOW-C' });
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'now.admin' });
      admin = await signIn(t.app, 'now.admin');
      const ids = await makeProcedures(t.db, procedures);
      await storeDossiers(t.db, calendar, await makeSource(t.db, 'NOW-SRC'), { ids, facts: procedures }, dossiers.map((facts) => ({ facts, unitId: commune.id })));
    });
    after(() => t.close());

    const setClock = async (local: string) =>
      assert.equal((await admin.request({ method: 'PUT', url: '/api/v1/test/clock', payload: { now: vn(local).toISOString() } })).statusCode, 200);
    const card = async (query: string) => {
      const res = await admin.get(`/api/v1/dossiers/scorecard?unitId=${commune.id}&${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Scorecard;
    };
    /** The direct aggregate over the rows for March judged at `asOf` (exclusive end), summed over units. */
    const direct = async (asOf: Date, from = '2026-03-01') => {
      const sums: Record<string, number> = {};
      for (const row of await directCounts(t.db, vn(`${from}T00:00:00`), asOf, null)) {
        for (const [k, v] of Object.entries(row)) if (typeof v === 'number' && k !== 'unitId') sums[k] = (sums[k] ?? 0) + v;
      }
      return sums;
    };
    /** Every count's list holds as many dossiers as the count says. */
    const listsAgree = async (c: Scorecard) => {
      for (const x of [...c.groups.flatMap((g) => g.measures.flatMap((m) => m.counts)), ...c.timeliness]) {
        for (const [query, expected] of [[x.list, x.value], [x.unknownList, x.unknown]] as const) {
          if (!query) continue;
          const res = await admin.get(`/api/v1/dossiers?${new URLSearchParams({ ...query, pageSize: '100' })}`);
          assert.equal(res.statusCode, 200, res.body);
          assert.equal(res.json().total, expected, `${x.name}: ${JSON.stringify(query)}`);
        }
      }
    };

    test('on 10 March the month is judged now: due later this month is within, stamped ahead of our clock is not counted yet', async () => {
      await setClock(NOW);
      const c = await card(march);
      assert.equal(c.method, 'rollup');
      assert.equal(c.period.asOf, vn(NOW).toISOString());
      assert.deepEqual(timelinessOf(c), { completed_on_time: 1, completed_late: 0, in_process_within: 4, in_process_overdue: 1 });
      assert.equal(countOf(c, 'dossiersReceived'), 4);
      assert.equal(countOf(c, 'dossiersHandled'), 6);
      assert.equal(countOf(c, 'dossiersHandledOnTime'), 5);
      const reference = await direct(new Date(vn(NOW).getTime() + 1));
      assert.deepEqual(
        [reference.received, reference.handled, reference.completedOnTime, reference.completedLate, reference.inProcessWithin, reference.inProcessOverdue],
        [4, 6, 1, 0, 4, 1],
      );
      await listsAgree(c);
      const overdue = c.timeliness.find((x) => x.name === 'in_process_overdue');
      const listed = (await admin.get(`/api/v1/dossiers?${new URLSearchParams({ ...(overdue?.list ?? {}), sort: 'code' })}`)).json().items as { code: string }[];
      assert.deepEqual(listed.map((x) => x.code), ['N-B']);
    });

    test('the quarter, a custom range (read from the rows) and the month in the trend agree on the same instant', async () => {
      await setClock(NOW);
      const month = await card(march);
      const quarter = await card('period=quarter&year=2026&index=1');
      assert.equal(quarter.period.asOf, vn(NOW).toISOString());
      assert.equal(timelinessOf(quarter).in_process_overdue, 1);
      assert.equal(timelinessOf(quarter).in_process_within, 4);
      const range = await card('period=range&from=2026-03-01&to=2026-03-30');
      assert.equal(range.method, 'direct');
      assert.deepEqual(timelinessOf(range), timelinessOf(month));
      const trend = await admin.get(`/api/v1/dossiers/trend?unitId=${commune.id}&year=2026`);
      assert.equal(trend.statusCode, 200, trend.body);
      const months = trend.json().months as { month: string; outOf100: number | null }[];
      assert.deepEqual(months.map((m) => m.month), ['2026-01', '2026-02', '2026-03']);
      assert.equal(months[2].outOf100, month.outOf100);
    });

    test('the year under way, whose later months the rollups judge too: every count as the rows give it now', async () => {
      await setClock(NOW);
      const year = await card('period=year&year=2026');
      const reference = await direct(new Date(vn(NOW).getTime() + 1), '2026-01-01');
      // G turns late in April, D (received ahead of our clock) too: at the end of the year both count late; now G is within and D not received.
      assert.deepEqual(timelinessOf(year), {
        completed_on_time: reference.completedOnTime,
        completed_late: reference.completedLate,
        in_process_within: reference.inProcessWithin,
        in_process_overdue: reference.inProcessOverdue,
      });
      assert.deepEqual(timelinessOf(year), { completed_on_time: 1, completed_late: 0, in_process_within: 4, in_process_overdue: 1 });
      assert.deepEqual([countOf(year, 'dossiersReceived'), countOf(year, 'dossiersHandled')], [reference.received, reference.handled]);
      await listsAgree(year);
    });

    test('once March has ended it is judged at its end, as the rollups give it', async () => {
      await setClock('2026-04-02T09:00:00');
      const c = await card(march);
      assert.equal(c.period.asOf, c.period.end);
      assert.deepEqual(timelinessOf(c), { completed_on_time: 2, completed_late: 0, in_process_within: 2, in_process_overdue: 3 });
      assert.equal(countOf(c, 'dossiersReceived'), 5);
      const reference = await direct(new Date(vn('2026-04-01T00:00:00')));
      assert.deepEqual([reference.completedOnTime, reference.inProcessWithin, reference.inProcessOverdue, reference.received], [2, 2, 3, 5]);
      await listsAgree(c);
    });
  });
}
