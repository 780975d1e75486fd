import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { submitReport } from '../helpers/feedback.js';

/**
 * The statistics come from rollups a trigger keeps (migration 004) plus the reports of the months
 * a period cuts. Whatever happens to the reports, they must say what a plain count over the
 * reports themselves says: exactly for the counts, and for the median the grouped median of the
 * stored handling hours in whole-hour buckets (docs/feedback-api.md).
 */

type Unit = Awaited<ReturnType<typeof makeUnit>>;
type GroupBy = 'unit' | 'category' | 'month';
const square = (lng: number, lat: number, d = 0.05) => ({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });
const DAY = 86_400_000;
const HOUR = 3_600_000;

interface StoredReport {
  id: number;
  code: string;
  received_at: Date;
  unit_id: number | null;
  area_unit_id: number | null;
  category_id: number;
  status: string;
  verified_at: Date | null;
  resolved_at: Date | null;
  deadline: Date | null;
  rating: string | null;
  handling_hours: number | null;
}

interface Row {
  key: string;
  label: string;
  received: number;
  verified: number;
  rejected: number;
  resolved: number;
  resolvedOnTime: number;
  resolvedLate: number;
  overdueOpen: number;
  medianHandlingHours: number | null;
  rated: number;
  satisfied: number;
  satisfactionRate: number | null;
}

/** A small deterministic random source (mulberry32), so that a failing sequence can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] };
}

/** 'YYYY-MM-DD' in Vietnam (UTC+7) of an instant, and back to the instant its day starts. */
const localDate = (at: Date) => new Date(at.getTime() + 7 * HOUR).toISOString().slice(0, 10);
const dayStart = (date: string) => new Date(Date.parse(`${date}T00:00:00+07:00`));
const addDays = (date: string, days: number) => localDate(new Date(dayStart(date).getTime() + days * DAY));
const monthStart = (date: string, monthsBack: number) => {
  const [y, m] = date.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 - monthsBack, 1));
  return d.toISOString().slice(0, 10);
};

/** The median handling time as the documented rule has it, from the stored hours themselves. */
function expectedMedian(hours: number[]): number | null {
  if (hours.length === 0) return null;
  const buckets = hours.map((h) => Math.max(0, Math.floor(h))).sort((a, b) => a - b);
  const half = buckets.length / 2;
  const middle = buckets[Math.ceil(half) - 1];
  const below = buckets.filter((b) => b < middle).length;
  const inside = buckets.filter((b) => b === middle).length;
  return Math.round((middle + (half - below) / inside) * 10) / 10;
}

/** The statistics straight from the reports, as the documentation states them. */
function expectedStatistics(
  reports: StoredReport[],
  q: { from: string; to: string; groupBy: GroupBy; categoryId?: number; unitIds?: Set<number>; visible: (r: StoredReport) => boolean },
  names: { unit: Map<number, string>; category: Map<number, string> },
  at: Date,
): Row[] {
  const from = dayStart(q.from).getTime();
  const to = dayStart(q.to).getTime() + DAY;
  const groups = new Map<string, Row & { hours: number[] }>();
  for (const r of reports) {
    const received = r.received_at.getTime();
    if (received < from || received >= to || !q.visible(r)) continue;
    if (q.categoryId !== undefined && r.category_id !== q.categoryId) continue;
    const unit = r.unit_id ?? r.area_unit_id ?? 0;
    if (q.unitIds && !q.unitIds.has(unit)) continue;
    const month = localDate(r.received_at).slice(0, 7);
    const [key, label] =
      q.groupBy === 'unit'
        ? [String(unit), names.unit.get(unit) ?? 'Chưa xác định']
        : q.groupBy === 'category'
          ? [String(r.category_id), names.category.get(r.category_id) ?? '?']
          : [month, `${month.slice(5)}/${month.slice(0, 4)}`];
    let g = groups.get(key);
    if (!g) {
      g = { key, label, received: 0, verified: 0, rejected: 0, resolved: 0, resolvedOnTime: 0, resolvedLate: 0, overdueOpen: 0, medianHandlingHours: null, rated: 0, satisfied: 0, satisfactionRate: null, hours: [] };
      groups.set(key, g);
    }
    g.received++;
    if (r.verified_at) g.verified++;
    if (r.status === 'rejected') g.rejected++;
    if (r.resolved_at) {
      g.resolved++;
      if (r.deadline && r.resolved_at.getTime() > r.deadline.getTime()) g.resolvedLate++;
      else g.resolvedOnTime++;
      if (r.handling_hours !== null) g.hours.push(r.handling_hours);
    }
    if (['verified', 'assigned', 'in_progress'].includes(r.status) && r.deadline && r.deadline.getTime() < at.getTime()) g.overdueOpen++;
    if (r.rating) g.rated++;
    if (r.rating === 'satisfied') g.satisfied++;
  }
  return [...groups.values()]
    .map(({ hours, ...g }) => ({ ...g, medianHandlingHours: expectedMedian(hours), satisfactionRate: g.rated ? Math.round((g.satisfied / g.rated) * 1000) / 1000 : null }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

for (const kind of await testBackends()) {
  describe(`feedback statistics on ${kind}`, () => {
    let t: TestApp;
    let province: Unit;
    let communeA: Unit;
    let communeB: Unit;
    let agency: Unit;
    let operator: Session;
    let officers: Map<number, Session>;
    let officerA: Session;
    const categories: { id: number; code: string }[] = [];
    const tokens = new Map<number, string>();
    const names = { unit: new Map<number, string>(), category: new Map<number, string>() };
    let address = 0;
    const places = { a: { lat: '21.02', lng: '106.02' }, b: { lat: '21.12', lng: '106.12' } };

    async function stored(): Promise<StoredReport[]> {
      const { rows } = await sql<StoredReport>`
        SELECT id, code, received_at, unit_id, area_unit_id, category_id, status, verified_at, resolved_at, deadline, rating, handling_hours
        FROM feedback_reports ORDER BY id`.execute(t.db);
      return rows;
    }

    /** Both rollups, without the rows and trailing zeros that reports leave behind when they move. */
    async function rollups() {
      const trim = (hours: string) => hours.replace(/(,0)+}$/, '}').replace(/^\{0}$/, '{}');
      const { rows: monthly } = await sql<Record<string, unknown> & { received: number; hours: string }>`
        SELECT month::text, unit_id, assigned, category_id, received, verified, rejected, resolved, resolved_late, rated, satisfied, hours::text
        FROM feedback_stats_monthly ORDER BY month, unit_id, assigned, category_id`.execute(t.db);
      const { rows: units } = await sql<Record<string, unknown> & { received: number; hours: string }>`
        SELECT month::text, unit_id, assigned, received, verified, rejected, resolved, resolved_late, rated, satisfied, hours::text
        FROM feedback_stats_units ORDER BY month, unit_id, assigned`.execute(t.db);
      const kept = (rows: (Record<string, unknown> & { received: number; hours: string })[]) =>
        rows.map((r) => ({ ...r, hours: trim(r.hours) })).filter((r) => r.received !== 0 || r.hours !== '{}');
      return { monthly: kept(monthly), units: kept(units) };
    }

    async function statistics(session: Session, params: Record<string, string | number | undefined>): Promise<Row[]> {
      const query = Object.entries(params)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${v}`)
        .join('&');
      const res = await session.get(`/api/v1/feedback/statistics?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return (res.json().items as Row[]).sort((a, b) => a.key.localeCompare(b.key));
    }

    /** Every period and grouping below, for the operator of the province: the API equals the recount. */
    async function assertStatisticsMatch(what: string) {
      const today = localDate(new Date());
      const periods: { from: string; to: string; note: string }[] = [
        { from: `${today.slice(0, 4)}-01-01`, to: `${today.slice(0, 4)}-12-31`, note: 'this year' },
        { from: addDays(today, -100), to: today, note: 'the last 100 days' },
        { from: addDays(monthStart(today, 2), 3), to: addDays(monthStart(today, 2), 11), note: 'days inside a month' },
        { from: addDays(monthStart(today, 2), 1), to: addDays(monthStart(today, 1), -2), note: 'a month but its first and last days' },
        { from: monthStart(today, 3), to: addDays(monthStart(today, 0), -1), note: 'three whole months' },
        { from: addDays(today, -40), to: addDays(today, -10), note: 'from 40 to 10 days ago' },
      ];
      const reports = await stored();
      const at = new Date();
      const all = () => true;
      for (const p of periods) {
        for (const groupBy of ['unit', 'category', 'month'] as const) {
          const actual = await statistics(operator, { from: p.from, to: p.to, groupBy });
          assert.deepEqual(actual, expectedStatistics(reports, { ...p, groupBy, visible: all }, names, at), `${what}: ${p.note} (${p.from} … ${p.to}) by ${groupBy}`);
        }
      }
      const p = { from: periods[1].from, to: periods[1].to };
      for (const groupBy of ['unit', 'month'] as const) {
        const c = categories[1].id;
        assert.deepEqual(await statistics(operator, { ...p, groupBy, categoryId: c }), expectedStatistics(reports, { ...p, groupBy, categoryId: c, visible: all }, names, at), `${what}: one category by ${groupBy}`);
        assert.deepEqual(
          await statistics(operator, { ...p, groupBy, unitId: communeA.id }),
          expectedStatistics(reports, { ...p, groupBy, unitIds: new Set([communeA.id]), visible: all }, names, at),
          `${what}: commune A by ${groupBy}`,
        );
        assert.deepEqual(
          await statistics(operator, { ...p, groupBy, unitId: province.id }),
          expectedStatistics(reports, { ...p, groupBy, unitIds: new Set([province.id, communeA.id, communeB.id, agency.id]), visible: all }, names, at),
          `${what}: the province by ${groupBy}`,
        );
        // An officer of commune A counts what commune A handles, not the unassigned reports of its area.
        assert.deepEqual(
          await statistics(officerA, { ...p, groupBy }),
          expectedStatistics(reports, { ...p, groupBy, visible: (r) => r.unit_id === communeA.id }, names, at),
          `${what}: the officer of A by ${groupBy}`,
        );
      }
    }

    async function assertRebuildChangesNothing(what: string) {
      const incremental = await rollups();
      await sql`SELECT feedback_stats_rebuild()`.execute(t.db);
      assert.deepEqual(await rollups(), incremental, `${what}: the rollups the trigger kept equal those rebuilt from the reports`);
    }

    const reporter = (code: string, action: 'rating' | 'reopen', payload: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: `/api/v1/public/feedback/${code}/${action}`, payload, remoteAddress: `10.88.${(++address >> 8) & 255}.${address & 255}` });

    async function submit(category: string, where: keyof typeof places): Promise<StoredReport> {
      const res = await submitReport(t.app, { category, description: `Phản ánh thống kê số ${++address}`, ...places[where] });
      assert.equal(res.statusCode, 201, res.body);
      const report = (await stored()).find((r) => r.code === res.json().code);
      assert.ok(report);
      tokens.set(report.id, res.json().token);
      return report;
    }

    before(async () => {
      t = await buildTestApp(kind);
      province = await makeUnit(t.db, { name: 'Tỉnh Thống Kê', code: 'ST-P' });
      communeA = await makeUnit(t.db, { parent: province, kind: 'commune', name: 'Xã An Thống', code: 'ST-A' });
      communeB = await makeUnit(t.db, { parent: province, kind: 'commune', name: 'Xã Bình Thống', code: 'ST-B' });
      agency = await makeUnit(t.db, { parent: province, kind: 'agency', name: 'Sở Xây dựng Thống Kê', code: 'ST-C' });
      for (const [u, lng, lat] of [[communeA, 106.0, 21.0], [communeB, 106.1, 21.1]] as const) {
        await t.db.updateTable('org_units').set({ lat: lat + 0.025, lng: lng + 0.025, boundary: JSON.stringify(square(lng, lat)) }).where('id', '=', u.id).execute();
      }
      for (const u of [province, communeA, communeB, agency]) names.unit.set(u.id, u.name);
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'st.admin' });
      await makeUser(t.db, { unit: province, role: 'operator', username: 'st.operator' });
      for (const u of [communeA, communeB, agency]) await makeUser(t.db, { unit: u, role: 'officer', username: `st.officer.${u.id}` });
      const admin = await signIn(t.app, 'st.admin');
      operator = await signIn(t.app, 'st.operator');
      officers = new Map();
      for (const u of [communeA, communeB, agency]) officers.set(u.id, await signIn(t.app, `st.officer.${u.id}`));
      officerA = officers.get(communeA.id)!;
      for (const [code, name] of [['ST-RAC', 'Rác thải (thống kê)'], ['ST-DEN', 'Đèn đường (thống kê)']]) {
        const res = await admin.post('/api/v1/feedback/categories', { code, name, deadlineDays: 3 });
        assert.equal(res.statusCode, 201, res.body);
        categories.push({ id: res.json().id, code });
        names.category.set(res.json().id, name);
      }
    });
    after(() => t.close());

    test('after a random sequence of lifecycle actions, the statistics equal a recount of the reports', async () => {
      const rnd = random(20261126);
      const units = [communeA.id, communeB.id, agency.id];
      const ok = (res: { statusCode: number; body: string }, what: string) => assert.equal(res.statusCode, 200, `${what}: ${res.body}`);
      for (let i = 0; i < 36; i++) {
        const r = await submit(rnd.pick(categories).code, rnd.pick(['a', 'b'] as const));
        // Received over the last four months, so that periods cut months and months are whole.
        const back = rnd.int(120 * 24) * HOUR + rnd.int(HOUR);
        await sql`UPDATE feedback_reports SET received_at = received_at - ${`${back} milliseconds`}::interval WHERE id = ${r.id}`.execute(t.db);
      }
      for (let step = 0; step < 220; step++) {
        const reports = await stored();
        const r = rnd.pick(reports);
        const url = `/api/v1/feedback/reports/${r.id}`;
        const officer = r.unit_id ? officers.get(r.unit_id) : undefined;
        const choice = rnd.next();
        if (choice < 0.06) {
          // The data changes under the statistics: the place moves to another commune (or out of every area).
          const area = rnd.pick([communeA.id, communeB.id, null]);
          await sql`UPDATE feedback_reports SET area_unit_id = ${area} WHERE id = ${r.id}`.execute(t.db);
        } else if (choice < 0.12 && r.deadline) {
          // A deadline that has passed: overdue while open, late once resolved.
          await sql`UPDATE feedback_reports SET deadline = now() - ${`${rnd.int(30 * 24)} hours`}::interval WHERE id = ${r.id}`.execute(t.db);
        } else if (r.status === 'received') {
          const what = rnd.next();
          if (what < 0.6) {
            const unitId = rnd.next() < 0.5 ? rnd.pick(units) : undefined;
            ok(await operator.post(`${url}/verify`, unitId ? { unitId } : {}), 'verify');
            // Verified some time ago: the handling time counts working hours from then.
            await sql`UPDATE feedback_reports SET verified_at = verified_at - ${`${rnd.int(96 * 60)} minutes`}::interval WHERE id = ${r.id}`.execute(t.db);
          } else if (what < 0.8) {
            ok(await operator.post(`${url}/reject`, { reason: 'spam', text: 'Không phải phản ánh' }), 'reject');
          } else {
            const target = reports.find((x) => x.id !== r.id && ['received', 'verified', 'assigned'].includes(x.status));
            if (target) ok(await operator.post(`${url}/merge`, { targetId: target.id }), 'merge');
          }
        } else if (r.status === 'verified') {
          ok(await operator.post(`${url}/assign`, { unitId: rnd.pick(units) }), 'assign');
        } else if ((r.status === 'assigned' || r.status === 'in_progress') && officer) {
          const what = rnd.next();
          if (what < 0.55) ok(await officer.post(`${url}/resolve`, { answer: 'Đã xử lý xong.' }), 'resolve');
          else if (what < 0.75 && r.status === 'assigned') ok(await officer.post(`${url}/start`), 'start');
          else ok(await officer.post(`${url}/send-back`, { reason: 'Không thuộc thẩm quyền' }), 'send back');
        } else if (r.status === 'resolved' && !r.rating) {
          const satisfied = rnd.next() < 0.6;
          const res = await reporter(r.code, 'rating', { rating: satisfied ? 'satisfied' : 'not_satisfied', ...(satisfied ? {} : { comment: 'Chưa xong' }), token: tokens.get(r.id)! });
          ok(res, 'rate');
        } else if ((r.status === 'resolved' || r.status === 'closed') && r.rating === 'not_satisfied') {
          if (rnd.next() < 0.7) ok(await reporter(r.code, 'reopen', { token: tokens.get(r.id)! }), 'reopen');
          else if (r.status === 'resolved') ok(await operator.post(`${url}/close`), 'close');
        }
      }
      const { rows: done } = await sql<{ action: string }>`SELECT DISTINCT action FROM feedback_events`.execute(t.db);
      for (const a of ['submit', 'verify', 'assign', 'start', 'send_back', 'resolve', 'rate', 'reopen', 'reject', 'merge', 'close']) {
        assert.ok(done.some((d) => d.action === a), `the sequence took the action ${a}`);
      }
      const reports = await stored();
      const count = (s: string) => reports.filter((r) => r.status === s).length;
      for (const s of ['rejected', 'merged', 'assigned', 'resolved', 'closed']) assert.ok(count(s) > 0, `the sequence left some ${s} reports`);
      assert.ok(reports.some((r) => r.rating === 'not_satisfied') && reports.some((r) => r.rating === 'satisfied'), 'both ratings occur');
      assert.ok(new Set(reports.filter((r) => r.handling_hours !== null).map((r) => Math.floor(r.handling_hours!))).size > 3, 'handling times spread over several hours');

      // Reports resolved before handling times were stored: the first statistics compute them.
      const legacy = reports.filter((r) => r.handling_hours !== null).slice(0, 3);
      await sql`UPDATE feedback_reports SET handling_hours = NULL WHERE id IN (${sql.join(legacy.map((r) => r.id))})`.execute(t.db);
      await statistics(operator, {});
      const again = await stored();
      for (const r of legacy) assert.ok(Math.abs((again.find((x) => x.id === r.id)?.handling_hours ?? -1) - r.handling_hours!) < 1e-9, `report ${r.id} has its handling time again`);
      await assertStatisticsMatch('after the random sequence');
      await assertRebuildChangesNothing('after the random sequence');
    });

    test('a report removed from the database leaves the rollups too', async () => {
      const r = await submit(categories[0].code, 'a');
      ok(await operator.post(`/api/v1/feedback/reports/${r.id}/verify`, { unitId: communeA.id }));
      ok(await officerA.post(`/api/v1/feedback/reports/${r.id}/resolve`, { answer: 'Xong' }));
      await sql`DELETE FROM feedback_events WHERE report_id = ${r.id}`.execute(t.db);
      await sql`DELETE FROM feedback_reports WHERE id = ${r.id}`.execute(t.db);
      await assertStatisticsMatch('after a delete');
      await assertRebuildChangesNothing('after a delete');

      function ok(res: { statusCode: number; body: string }) {
        assert.equal(res.statusCode, 200, res.body);
      }
    });

    test('concurrent submissions and actions leave the rollups equal to a rebuild', { skip: kind !== 'postgres' && 'PGlite has one connection' }, async () => {
      const submitted = await Promise.all(Array.from({ length: 40 }, (_, i) => submit(categories[i % 2].code, i % 3 ? 'a' : 'b')));
      const rnd = random(7);
      // Each report goes to its own commune or to the agency, as operators do; see docs/feedback-api.md on deadlocks.
      const verified = await Promise.all(
        submitted.map((r) => operator.post(`/api/v1/feedback/reports/${r.id}/verify`, { unitId: rnd.next() < 0.5 ? agency.id : (r.area_unit_id ?? agency.id) })),
      );
      for (const res of verified) assert.equal(res.statusCode, 200, res.body);
      const now = await stored();
      const actions = now
        .filter((r) => submitted.some((s) => s.id === r.id))
        .map((r, i) => {
          const officer = officers.get(r.unit_id!)!;
          const url = `/api/v1/feedback/reports/${r.id}`;
          return i % 4 === 0 ? officer.post(`${url}/send-back`, { reason: 'Trả lại' }) : officer.post(`${url}/resolve`, { answer: 'Xong' });
        });
      const more = Array.from({ length: 20 }, (_, i) => submit(categories[i % 2].code, i % 2 ? 'a' : 'b').then(() => ({ statusCode: 200, body: '' })));
      for (const res of await Promise.all([...actions, ...more])) assert.equal(res.statusCode, 200, res.body);
      await assertStatisticsMatch('after concurrent work');
      await assertRebuildChangesNothing('after concurrent work');
    });
  });
}
