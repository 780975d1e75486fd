import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { reportingPeriod } from '../../src/modules/dossiers/rules/period.js';
import { dossiers as handDossiers, procedures as handProcedures, unitKinds } from '../../src/modules/dossiers/rules/handComputed.fixture.js';
import { COUNT_NAMES, type ScorecardCounts } from '../../src/modules/dossiers/rules/scorecard766.js';
import { type DossierFacts, PROCEDURE_COUNTS, procedureSets, scorecardCounts } from '../../src/modules/dossiers/rules/scorecardCounts.js';
import type { Scorecard } from '../../src/modules/dossiers/report-schemas.js';
import { businessDateOf } from '../../src/platform/calendar/businessTime.js';
import { createCalendar } from '../../src/platform/calendar/calendar.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { makeProcedures, makeSource, storeDossiers } from '../helpers/dossiers.js';
import { readXlsx } from '../helpers/xlsx.js';

/**
 * The scorecard through the API equals the reference (rules/scorecardCounts.ts) and the figures
 * worked out by hand (rules/handComputed.test.ts) for the hand-computed dossiers stored in the
 * database; every number's drill-down lists exactly that many dossiers; the lists as of three
 * instants give the hand tallies.
 */

type Unit = Awaited<ReturnType<typeof makeUnit>>;
const calendar = createCalendar([]);
const vn = (local: string) => encodeURIComponent(`${local}+07:00`);
const close = (actual: number | null, expected: number, message: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${message}: expected ${expected}, got ${actual}`);

/** Every count as the API gives it, by name. */
function countsOf(card: Scorecard): ScorecardCounts {
  const out: Partial<ScorecardCounts> = {};
  for (const g of card.groups) for (const m of g.measures) for (const c of m.counts) out[c.name as keyof ScorecardCounts] = c.value;
  assert.deepEqual(Object.keys(out).sort(), [...COUNT_NAMES].sort(), 'every count appears in some measure');
  return out as ScorecardCounts;
}

/** Procedures of TT-XD and TT-HKD are the district's; TT-CT and TT-KH its commune's. */
const unitOf = (d: DossierFacts, district: Unit, commune: Unit) => (['TT-XD', 'TT-HKD'].includes(d.procedureCode) ? district.id : commune.id);

for (const kind of await testBackends()) {
  describe(`the Decision 766 scorecard of the hand-computed dossiers on ${kind}`, () => {
    let t: TestApp;
    let province: Unit;
    let district: Unit;
    let commune: Unit;
    let otherDistrict: Unit;
    let admin: Session;
    let otherOfficer: Session;
    const feb = 'period=month&year=2026&index=2';

    before(async () => {
      t = await buildTestApp(kind);
      province = await makeUnit(t.db, { name: 'Tỉnh Thử Chỉ Số', code: 'SC766-P' });
      district = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Nam Sách thử', code: 'SC766-NS' });
      commune = await makeUnit(t.db, { parent: district, kind: 'commune', name: 'Xã An Bình thử', code: 'SC766-AB' });
      otherDistrict = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Tứ Kỳ thử', code: 'SC766-TK' });
      await makeUnit(t.db, { parent: otherDistrict, kind: 'commune', name: 'Xã Kỳ Sơn thử', code: 'SC766-KS' });
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'sc766.admin' });
      await makeUser(t.db, { unit: otherDistrict, role: 'officer', username: 'sc766.other' });
      admin = await signIn(t.app, 'sc766.admin');
      otherOfficer = await signIn(t.app, 'sc766.other');
      const source = await makeSource(t.db);
      const ids = await makeProcedures(t.db, handProcedures);
      await storeDossiers(t.db, calendar, source, { ids, facts: handProcedures }, handDossiers.map((facts, i) => ({ facts, unitId: unitOf(facts, district, commune), handler: `Cán bộ ${i % 3}` })));
    });
    after(() => t.close());

    test('February 2026: every count equals the reference and the hand figures; 5.1 and 1.2 have no data', async () => {
      const res = await admin.get(`/api/v1/dossiers/scorecard?unitId=${district.id}&${feb}`);
      assert.equal(res.statusCode, 200, res.body);
      const card = res.json() as Scorecard;
      assert.equal(card.method, 'rollup');
      assert.deepEqual([card.period.from, card.period.to, card.period.label], ['2026-02-01', '2026-02-28', 'Tháng 02/2026']);
      const period = reportingPeriod({ kind: 'month', year: 2026, month: 2 });
      const reference = scorecardCounts({ calendar, period, dossiers: handDossiers, procedures: handProcedures, unitKinds, feedback: null });
      assert.deepEqual(countsOf(card), reference);
      // The hand figures (handComputed.test.ts), without the feedback source.
      assert.deepEqual(
        [reference.dossiersReceived, reference.dossiersHandled, reference.dossiersHandledOnTime, reference.resultsIssued, reference.dossiersSynced, reference.feedbackDue],
        [10, 11, 7, 7, null, null],
      );
      close(card.earned, 4157 / 77, 'earned');
      close(card.available, 82, 'available');
      close(card.outOf100, 207850 / 3157, 'out of 100');
      assert.equal(card.complete, false);
      assert.deepEqual(card.unmeasured, [{ id: '1.2', status: 'no_data' }, { id: '5.1', status: 'no_data' }]);
      const m12 = card.groups[0].measures[1];
      assert.deepEqual([m12.status, m12.score, m12.counts[0].value, m12.counts[0].unknown], ['no_data', null, null, 10], '1.2: no data, never 0 nor full marks');
      // Handled as of 28 Feb: on time D01 D03 D06 D07 D12 D13, late D02 D04 D05, within D09, overdue D08.
      assert.deepEqual(Object.fromEntries(card.timeliness.map((c) => [c.name, c.value])), {
        completed_on_time: 6,
        completed_late: 3,
        in_process_within: 1,
        in_process_overdue: 1,
      });
    });

    test('each number lists exactly the dossiers behind it', async () => {
      const card = (await admin.get(`/api/v1/dossiers/scorecard?unitId=${district.id}&${feb}`)).json() as Scorecard;
      const values = [...card.groups.flatMap((g) => g.measures.flatMap((m) => m.counts)), ...card.timeliness];
      let listed = 0;
      for (const c of values) {
        for (const [query, expected] of [[c.list, c.value], [c.unknownList, c.unknown]] as const) {
          if (!query) continue;
          const res = await admin.get(`/api/v1/dossiers?${new URLSearchParams({ ...query, pageSize: '500' })}`);
          assert.equal(res.statusCode, 200, res.body);
          assert.equal(res.json().total, expected, `${c.name}: ${JSON.stringify(query)}`);
          assert.equal(res.json().items.length, expected);
          listed++;
        }
      }
      assert.ok(listed >= 18, `drill-downs checked: ${listed}`);
      const codes = async (query: Record<string, string>) =>
        ((await admin.get(`/api/v1/dossiers?${new URLSearchParams({ ...query, sort: 'code' })}`)).json().items as { code: string }[]).map((x) => x.code);
      const onTime = values.find((c) => c.name === 'dossiersHandledOnTime');
      assert.deepEqual(await codes(onTime?.list ?? {}), ['D01', 'D03', 'D06', 'D07', 'D09', 'D12', 'D13']);
      const complaints = values.find((c) => c.name === 'dossiersHandledWithComplaint');
      assert.deepEqual(await codes(complaints?.list ?? {}), ['D02', 'D08']);
      const electronic = values.find((c) => c.name === 'resultsElectronic');
      assert.deepEqual(await codes(electronic?.list ?? {}), ['D01', 'D03', 'D05', 'D13']);
      // Procedures are not dossiers: their counts list the procedures of the catalogue instead.
      const sets = procedureSets({ calendar, period: reportingPeriod({ kind: 'month', year: 2026, month: 2 }), procedures: handProcedures, unitKinds });
      for (const name of PROCEDURE_COUNTS) {
        const c = values.find((v) => v.name === name);
        assert.ok(c?.procedures && c.list === null, name);
        const res = await admin.get(`/api/v1/dossiers/procedures?${new URLSearchParams({ ...c.procedures, sort: 'code', pageSize: '100' })}`);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().total, c.value, name);
        assert.deepEqual(res.json().items.map((p: { code: string }) => p.code), sets[name].map((p) => p.code).sort(), name);
        if (name === 'proceduresInForce') {
          const sheet = await readXlsx(await admin.get(`/api/v1/dossiers/procedures?${new URLSearchParams({ ...c.procedures, sort: 'code', format: 'xlsx' })}`));
          assert.deepEqual(sheet.slice(1).map((row) => row[0]), sets[name].map((p) => p.code).sort());
        }
      }
      assert.ok(sets.proceduresInForce.length > sets.proceduresFullyOnline.length && sets.proceduresFullyOnline.length > 0, 'the fixture tells the sets apart');
      // Feedback on procedures has no source: no number, nothing to list.
      const feedback = values.find((c) => c.name === 'feedbackDue');
      assert.deepEqual([feedback?.value, feedback?.list, feedback?.procedures], [null, null, null]);
      // Out of scope: another district's officer cannot list this district's procedures by its scorecard.
      const outside = await otherOfficer.get(`/api/v1/dossiers/procedures?scorecardCount=proceduresInForce&unitId=${district.id}&${feb}`);
      assert.equal(outside.statusCode, 403, outside.body);
    });

    test('the lists as of three instants give the hand tallies', async () => {
      const tally = async (asOf: string) => {
        const out: Record<string, number> = {};
        for (const t of ['completed_on_time', 'completed_late', 'in_process_within', 'in_process_overdue']) {
          const res = await admin.get(`/api/v1/dossiers?unitId=${district.id}&asOf=${asOf}&timeliness=${t}&pageSize=100`);
          assert.equal(res.statusCode, 200, res.body);
          if (res.json().total) out[t] = res.json().total;
          for (const item of res.json().items) assert.equal(item.timeliness, t);
        }
        return out;
      };
      assert.deepEqual(await tally(vn('2026-02-13T17:00:00')), { completed_on_time: 4, completed_late: 2, in_process_within: 2, in_process_overdue: 1 });
      assert.deepEqual(await tally(vn('2026-02-28T23:59:59.999')), { completed_on_time: 7, completed_late: 3, in_process_within: 1, in_process_overdue: 1 });
      assert.deepEqual(await tally('2026-03-10'), { completed_on_time: 8, completed_late: 4, in_process_overdue: 1 });
      const within = await admin.get(`/api/v1/dossiers?unitId=${district.id}&asOf=${vn('2026-02-13T17:00:00')}&timeliness=in_process_within&sort=code`);
      assert.deepEqual(within.json().items.map((x: { code: string }) => x.code), ['D03', 'D04']);
      // Open then: D08 has not ended yet, D03 and D04 ended later; paged across both.
      const open = (page: number) => admin.get(`/api/v1/dossiers?unitId=${district.id}&asOf=${vn('2026-02-13T17:00:00')}&timeliness=in_process_within,in_process_overdue&sort=-code&pageSize=2&page=${page}`);
      assert.deepEqual([(await open(1)).json().items.map((x: { code: string }) => x.code), (await open(1)).json().total], [['D08', 'D04'], 3]);
      assert.deepEqual([(await open(2)).json().items.map((x: { code: string }) => x.code), (await open(2)).json().total], [['D03'], 3]);
      assert.deepEqual((await open(3)).json(), { items: [], total: 3, page: 3, pageSize: 2 });
      // Now (D08 has been open since January): the overdue list, with its handler.
      const overdue = await admin.get(`/api/v1/dossiers?unitId=${district.id}&timeliness=in_process_overdue`);
      assert.deepEqual(overdue.json().items.map((x: { code: string; handler: string }) => [x.code, x.handler]), [['D08', 'Cán bộ 1']]);
      assert.ok(overdue.json().items[0].workingDaysLeft < -150, 'D08 is months past its due date');
    });

    test("a dossier's detail: the ordered timeline, the deadline and how it was counted, now and as of a date", async () => {
      const id = (await admin.get(`/api/v1/dossiers?q=D09`)).json().items[0].id;
      const res = await admin.get(`/api/v1/dossiers/${id}?asOf=2026-02-28`);
      assert.equal(res.statusCode, 200, res.body);
      const d = res.json();
      assert.deepEqual(
        d.timeline.map((e: { kind: string; status: string | null }) => e.status ?? e.kind),
        ['accepted', 'supplement_requested', 'supplement_requested', 'supplement_answered', 'in_process', 'processed'],
      );
      assert.equal(d.timeline.find((e: { kind: string }) => e.kind === 'supplement_answered').pausedWorkingDays, 3);
      // Once answered: paused (27 Feb, 4 Mar] = 3 wd → due Fri 6 Mar; processed Mon 9 Mar → late.
      assert.deepEqual([d.now.timeliness, d.now.deadline.basis, d.now.deadline.baseDueDate, d.now.deadline.pausedWorkingDays, d.now.deadline.dueDate], [
        'completed_late',
        'promised',
        '2026-03-03',
        3,
        '2026-03-06',
      ]);
      assert.deepEqual(d.now.lateReasons, ['past_due']);
      // As of 28 Feb: paused (27, 28] = {} → due 3 Mar → within.
      assert.deepEqual([d.asOf.timeliness, d.asOf.deadline.dueDate], ['in_process_within', '2026-03-03']);
      // D06's "processed" stamped before its "accepted" stays first.
      const d06 = (await admin.get(`/api/v1/dossiers/${(await admin.get('/api/v1/dossiers?q=D06')).json().items[0].id}`)).json();
      assert.deepEqual(d06.timeline.map((e: { status: string }) => e.status), ['processed', 'accepted', 'in_process', 'returned']);
      assert.equal(d06.now.timeliness, 'completed_on_time');
    });

    test('a custom range made of whole months comes from the rollups; any other range from the dossiers, with the same definitions', async () => {
      const range = (await admin.get(`/api/v1/dossiers/scorecard?unitId=${district.id}&period=range&from=2026-02-01&to=2026-02-28`)).json() as Scorecard;
      const month = (await admin.get(`/api/v1/dossiers/scorecard?unitId=${district.id}&${feb}`)).json() as Scorecard;
      assert.equal(range.method, 'rollup');
      assert.deepEqual(countsOf(range), countsOf(month));
      for (const [from, to] of [['2026-02-02', '2026-02-27'], ['2026-01-15', '2026-03-04'], ['2026-02-13', '2026-02-13']]) {
        const res = await admin.get(`/api/v1/dossiers/scorecard?unitId=${district.id}&period=range&from=${from}&to=${to}`);
        assert.equal(res.statusCode, 200, res.body);
        const card = res.json() as Scorecard;
        assert.equal(card.method, 'direct');
        const period = reportingPeriod({ kind: 'range', from, to });
        assert.deepEqual(countsOf(card), scorecardCounts({ calendar, period, dossiers: handDossiers, procedures: handProcedures, unitKinds, feedback: null }), `${from}..${to}`);
      }
      for (const q of ['quarter&index=1', 'half&index=1', 'year']) {
        const card = (await admin.get(`/api/v1/dossiers/scorecard?unitId=${district.id}&year=2026&period=${q}`)).json() as Scorecard;
        const spec = q === 'year' ? ({ kind: 'year', year: 2026 } as const) : q.startsWith('quarter') ? ({ kind: 'quarter', year: 2026, quarter: 1 } as const) : ({ kind: 'half', year: 2026, half: 1 } as const);
        assert.deepEqual(countsOf(card), scorecardCounts({ calendar, period: reportingPeriod(spec), dossiers: handDossiers, procedures: handProcedures, unitKinds, feedback: null }), q);
      }
      const bad = await admin.get(`/api/v1/dossiers/scorecard?unitId=${district.id}&period=range&from=2026-03-01&to=2026-02-01`);
      assert.deepEqual([bad.statusCode, bad.json().code], [400, 'INVALID_PERIOD']);
    });

    test('the trend by month and the ranking of the districts agree with the scorecards', async () => {
      const trend = await admin.get(`/api/v1/dossiers/trend?unitId=${district.id}&year=2026`);
      assert.equal(trend.statusCode, 200, trend.body);
      const months = trend.json().months as { month: string; outOf100: number | null; groups: { id: number; score: number | null }[] }[];
      assert.ok(months.length >= 3 && months[0].month === '2026-01');
      for (const m of months.slice(0, 3)) {
        const card = (await admin.get(`/api/v1/dossiers/scorecard?unitId=${district.id}&period=month&year=2026&index=${Number(m.month.slice(5))}`)).json() as Scorecard;
        assert.equal(m.outOf100, card.outOf100, m.month);
        assert.deepEqual(m.groups.map((g) => g.score), card.groups.map((g) => g.score));
      }
      const ranking = await admin.get(`/api/v1/dossiers/ranking?unitId=${district.id}&${feb}`);
      assert.equal(ranking.statusCode, 200, ranking.body);
      assert.equal(ranking.json().parent.id, province.id);
      const items = ranking.json().items as { rank: number | null; unit: { id: number }; outOf100: number | null }[];
      assert.deepEqual(items.map((x) => x.unit.id).sort(), [district.id, otherDistrict.id].sort());
      const own = items.find((x) => x.unit.id === district.id);
      close(own?.outOf100 ?? null, 207850 / 3157, 'the district in the ranking');
      // The other district has no dossiers: only its procedures are measured.
      const other = (await admin.get(`/api/v1/dossiers/scorecard?unitId=${otherDistrict.id}&${feb}`)).json() as Scorecard;
      assert.equal(items.find((x) => x.unit.id === otherDistrict.id)?.outOf100, other.outOf100);
      assert.deepEqual(items.map((x) => x.rank), (items[0].outOf100 ?? 0) > (items[1].outOf100 ?? 0) ? [1, 2] : [1, 1]);
      const same = await admin.get(`/api/v1/dossiers/ranking?parentId=${province.id}&${feb}`);
      assert.deepEqual(same.json().items, items);
    });

    test('exports: the scorecard, the ranking, the trend and the list as .xlsx', async () => {
      const card = await readXlsx(await admin.get(`/api/v1/dossiers/scorecard?unitId=${district.id}&${feb}&format=xlsx`));
      assert.deepEqual(card[0].slice(0, 3), ['Nhóm', 'Mã', 'Chỉ số']);
      assert.ok(card.some((row) => row[1] === '1.2' && row[9] === 'Không có dữ liệu'));
      assert.equal(card.length, 1 + 11 + 6 + 1);
      const ranking = await readXlsx(await admin.get(`/api/v1/dossiers/ranking?parentId=${province.id}&${feb}&format=xlsx`));
      assert.equal(ranking.length, 3);
      const trend = await readXlsx(await admin.get(`/api/v1/dossiers/trend?unitId=${district.id}&year=2026&format=xlsx`));
      assert.equal(trend[1][0], '01/2026');
      const list = await readXlsx(await admin.get(`/api/v1/dossiers?unitId=${district.id}&format=xlsx&sort=code`));
      assert.deepEqual(list.slice(1).map((row) => row[0]), handDossiers.map((d) => d.code));
    });

    test('scope: another district sees nothing of this one', async () => {
      const denied = await otherOfficer.get(`/api/v1/dossiers/scorecard?unitId=${district.id}&${feb}`);
      assert.deepEqual([denied.statusCode, denied.json().code], [403, 'FORBIDDEN']);
      assert.equal((await otherOfficer.get(`/api/v1/dossiers/ranking?parentId=${province.id}&${feb}`)).statusCode, 403);
      assert.equal((await otherOfficer.get(`/api/v1/dossiers/trend?unitId=${district.id}`)).statusCode, 403);
      const list = await otherOfficer.get(`/api/v1/dossiers?unitId=${district.id}`);
      assert.deepEqual([list.statusCode, list.json().total], [200, 0]);
      assert.equal((await otherOfficer.get('/api/v1/dossiers')).json().total, 0);
      const id = (await admin.get('/api/v1/dossiers?q=D01')).json().items[0].id;
      assert.equal((await otherOfficer.get(`/api/v1/dossiers/${id}`)).statusCode, 404);
      // Their own district: its scorecard (no dossiers) and the ranking of its communes.
      assert.equal((await otherOfficer.get(`/api/v1/dossiers/scorecard?${feb}`)).json().unit.id, otherDistrict.id);
      assert.equal((await otherOfficer.get(`/api/v1/dossiers/ranking?${feb}`)).json().parent.id, otherDistrict.id);
    });

    test('the rollups follow every change of the dossiers and of the procedures, and equal a rebuild', async () => {
      const snapshot = () =>
        sql`SELECT * FROM dossier_scorecard_monthly WHERE (dossiers, online_capable, online_capable_online, complaint, ended_late, results) <> (0, 0, 0, 0, 0, 0)
            ORDER BY subtree_id, received_month, ended_month, overdue_month`.execute(t.db).then((r) => r.rows);
      await sql`UPDATE dossiers SET complaint = NOT complaint WHERE code IN ('D01', 'D02', 'D09')`.execute(t.db);
      await sql`UPDATE dossiers SET unit_id = ${commune.id} WHERE code IN ('D03', 'D04')`.execute(t.db);
      await sql`UPDATE dossier_procedures SET online = 'none' WHERE code = 'TT-HKD'`.execute(t.db);
      await sql`UPDATE dossier_procedures SET online = 'partial' WHERE code = 'TT-CT'`.execute(t.db);
      await sql`UPDATE dossier_procedures SET name = name || ' (sửa)'`.execute(t.db);
      await sql`UPDATE dossiers SET ended_at = NULL, ended_status = NULL WHERE code = 'D05'`.execute(t.db);
      await sql`DELETE FROM dossiers WHERE code = 'D11'`.execute(t.db);
      const card = (await admin.get(`/api/v1/dossiers/scorecard?unitId=${district.id}&${feb}`)).json() as Scorecard;
      const maintained = await snapshot();
      await sql`SELECT dossier_scorecard_rebuild()`.execute(t.db);
      assert.deepEqual(await snapshot(), maintained);
      assert.deepEqual(countsOf((await admin.get(`/api/v1/dossiers/scorecard?unitId=${district.id}&${feb}`)).json()), countsOf(card));
      // D05 reopened and past due: overdue as of 28 Feb; TT-HKD (D01 D05 D09 D12 D13) no longer online.
      assert.equal(card.timeliness.find((c) => c.name === 'in_process_overdue')?.value, 2);
      assert.equal(countsOf(card).dossiersReceivedOnlineCapable, 8 - 5 + 2);
    });

    test('due within N working days: open, not overdue, not waiting for the citizen, due by then', async () => {
      const now = new Date();
      const today = businessDateOf(now);
      const hourAgo = new Date(now.getTime() - 3_600_000);
      const base = { ...handDossiers[0], procedureCode: 'TT-XD', receivedAt: hourAgo, events: [{ status: 'accepted' as const, at: hourAgo }] };
      const fresh: DossierFacts[] = [
        { ...base, code: 'DW1', promisedReturnDate: calendar.addWorkingDays(today, 1) },
        { ...base, code: 'DW2', promisedReturnDate: calendar.addWorkingDays(today, 5) },
        // Waiting for the citizen: the clock is stopped.
        { ...base, code: 'DW3', promisedReturnDate: calendar.addWorkingDays(today, 1), supplements: [{ askedAt: new Date(now.getTime() - 1_800_000), answeredAt: null }] },
        // Already processed.
        { ...base, code: 'DW4', promisedReturnDate: calendar.addWorkingDays(today, 1), events: [...base.events, { status: 'processed' as const, at: new Date(now.getTime() - 600_000) }] },
        // Received 20 working days ago, 5 working days to process: overdue, not "due soon".
        { ...base, code: 'DW5', promisedReturnDate: null, receivedAt: new Date(`${calendar.addWorkingDays(today, -20)}T09:00:00+07:00`) },
      ];
      const ids = new Map((await sql<{ id: number; code: string }>`SELECT id, code FROM dossier_procedures`.execute(t.db)).rows.map((r) => [r.code, r.id]));
      const source = (await sql<{ id: number }>`SELECT id FROM dossier_sources`.execute(t.db)).rows[0].id;
      await storeDossiers(t.db, calendar, source, { ids, facts: handProcedures }, fresh.map((facts) => ({ facts, unitId: district.id })));
      const due = async (n: number) =>
        (await admin.get(`/api/v1/dossiers?unitId=${district.id}&dueWithin=${n}&sort=dueOn`)).json().items.map((x: { code: string; workingDaysLeft: number }) => [x.code, x.workingDaysLeft]);
      assert.deepEqual(await due(2), [['DW1', 1]]);
      assert.deepEqual(await due(5), [['DW1', 1], ['DW2', 5]]);
      const overdue = await admin.get(`/api/v1/dossiers?unitId=${district.id}&timeliness=in_process_overdue&sort=overdueFrom`);
      assert.deepEqual(overdue.json().items.map((x: { code: string }) => x.code), ['D08', 'D05', 'DW5']);
      const waiting = (await admin.get(`/api/v1/dossiers?unitId=${district.id}&q=DW3`)).json().items[0];
      assert.deepEqual([waiting.waitingForCitizen, waiting.workingDaysLeft, waiting.timeliness], [true, null, 'in_process_within']);
    });
  });
}
