import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import sharp from 'sharp';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { gpsPhoto, multipart } from '../helpers/feedback.js';
import { readXlsx } from '../helpers/xlsx.js';

/**
 * Key projects and their site clearance: the rules on the figures entered (disbursement within the
 * capital, percentages 0–100, paid within approved, handed over within affected, GeoJSON), who may
 * see and change a project, obstacles issued as tasks, and the province view computed by hand.
 */

type Unit = Awaited<ReturnType<typeof makeUnit>>;
type Res = LightMyRequestResponse;
const BILLION = 1_000_000_000;

function refusedWith(res: Res, status: number, code: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.json().code, code, res.body);
  assert.ok(res.json().message.length > 10, 'a message people can read');
}

for (const kind of await testBackends()) {
  describe(`key projects and site clearance on ${kind}`, () => {
    let t: TestApp;
    let province: Unit;
    let districtA: Unit;
    let districtB: Unit;
    let communeA1: Unit;
    let communeA2: Unit;
    let communeB1: Unit;
    const as = {} as Record<'admin' | 'provinceLeader' | 'operatorA' | 'officerA' | 'officerB' | 'operatorB', Session>;
    const ids = {} as { communeOfficerA1: number; projectA: number; projectB: number; segmentLong: number; segmentShort: number };

    const counts = async () =>
      (
        await sql<Record<string, string>>`SELECT (SELECT count(*) FROM projects) AS projects, (SELECT count(*) FROM project_disbursements) AS disbursements,
          (SELECT count(*) FROM project_progress_entries) AS progress, (SELECT count(*) FROM project_clearances) AS clearances,
          (SELECT count(*) FROM project_obstacles) AS obstacles, (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM project_photos) AS photos`.execute(t.db)
      ).rows[0];

    const road = { type: 'LineString', coordinates: [[106.3, 21.0], [106.36, 21.01], [106.4, 21.02]] };
    const projectBody = (code: string, managingUnitId: number, totalCapital: number) => ({
      code,
      name: `Đường trục Đông - Tây ${code}`,
      investor: 'UBND huyện',
      managingUnitId,
      totalCapital,
      capitalSources: [
        { source: 'Ngân sách huyện', amount: totalCapital / 2 },
        { source: 'Ngân sách xã', amount: totalCapital / 2 },
      ],
      location: road,
      totalLengthKm: 4,
      status: 'in_progress',
      startOn: '2021-03-01',
      endOn: '2026-12-31',
    });

    before(async () => {
      t = await buildTestApp(kind, { TEST_CLOCK: '1' });
      province = await makeUnit(t.db, { name: 'Tỉnh Thử Dự Án', code: 'PJ-P' });
      districtA = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện A', code: 'PJ-A' });
      districtB = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện B', code: 'PJ-B' });
      communeA1 = await makeUnit(t.db, { parent: districtA, kind: 'commune', name: 'Xã An Bình thử', code: 'PJ-A1' });
      communeA2 = await makeUnit(t.db, { parent: districtA, kind: 'commune', name: 'Xã An Lâm thử', code: 'PJ-A2' });
      communeB1 = await makeUnit(t.db, { parent: districtB, kind: 'commune', name: 'Xã Bờ Bên Kia', code: 'PJ-B1' });
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'pj.admin' });
      await makeUser(t.db, { unit: province, role: 'leader', username: 'pj.province.leader' });
      await makeUser(t.db, { unit: districtA, role: 'operator', username: 'pj.operator.a' });
      await makeUser(t.db, { unit: districtA, role: 'officer', username: 'pj.officer.a' });
      await makeUser(t.db, { unit: districtB, role: 'officer', username: 'pj.officer.b' });
      await makeUser(t.db, { unit: districtB, role: 'operator', username: 'pj.operator.b' });
      ids.communeOfficerA1 = (await makeUser(t.db, { unit: communeA1, role: 'officer', username: 'pj.officer.a1', fullName: 'Cán bộ địa chính xã An Bình' })).id;
      as.admin = await signIn(t.app, 'pj.admin');
      as.provinceLeader = await signIn(t.app, 'pj.province.leader');
      as.operatorA = await signIn(t.app, 'pj.operator.a');
      as.officerA = await signIn(t.app, 'pj.officer.a');
      as.officerB = await signIn(t.app, 'pj.officer.b');
      as.operatorB = await signIn(t.app, 'pj.operator.b');
      // "Today" is 15/12/2021 (the article's month), so the dates below are in the past or the future as they read.
      assert.equal((await as.admin.request({ method: 'PUT', url: '/api/v1/test/clock', payload: { now: '2021-12-15T03:00:00Z' } })).statusCode, 200);

      const created = await as.operatorA.post('/api/v1/projects', projectBody('NS-DT-01', districtA.id, 100 * BILLION));
      assert.equal(created.statusCode, 201, created.body);
      ids.projectA = created.json().id;
      const segment = async (name: string, lengthKm: number) => {
        const res = await as.operatorA.post(`/api/v1/projects/${ids.projectA}/segments`, { name, lengthKm, communeUnitId: communeA1.id });
        assert.equal(res.statusCode, 200, res.body);
        return res.json().segments.find((s: { name: string }) => s.name === name).id as number;
      };
      ids.segmentLong = await segment('Đoạn 1 (qua xã An Bình)', 3);
      ids.segmentShort = await segment('Đoạn 2', 1);
      const projB = await as.operatorB.post('/api/v1/projects', projectBody('BB-01', districtB.id, 50 * BILLION));
      assert.equal(projB.statusCode, 201, projB.body);
      ids.projectB = projB.json().id;
    });
    after(() => t?.close());

    test('a project is created with its place on the map and its capital sources, and audited', async () => {
      const res = await as.operatorA.get(`/api/v1/projects/${ids.projectA}`);
      assert.equal(res.statusCode, 200, res.body);
      const p = res.json();
      assert.deepEqual(p.location, road);
      assert.deepEqual([p.totalCapital, p.capitalSources.length, p.managingUnit.id, p.can.edit], [100 * BILLION, 2, districtA.id, true]);
      const audit = await sql<{ action: string }>`
        SELECT action FROM audit_log WHERE module = 'projects' AND entity_type = 'project' AND entity_id = ${String(ids.projectA)} ORDER BY id`.execute(t.db);
      assert.deepEqual(audit.rows.map((r) => r.action), ['create']);
    });

    test('bad GeoJSON is refused with INVALID_GEOJSON and nothing is stored', async () => {
      const before = await counts();
      for (const location of [
        { type: 'Polygon', coordinates: [[[106, 21], [107, 21], [107, 22], [106, 21]]] },
        { type: 'LineString', coordinates: [[106.3, 21.0]] },
        { type: 'Point', coordinates: [21.0, 206.3] },
        { type: 'Point', coordinates: ['106', '21'] },
        'LINESTRING(106 21, 107 21)',
      ]) {
        refusedWith(await as.operatorA.post('/api/v1/projects', { ...projectBody('NS-BAD', districtA.id, BILLION), location }), 400, 'INVALID_GEOJSON');
      }
      refusedWith(await as.operatorA.patch(`/api/v1/projects/${ids.projectA}`, { location: { type: 'MultiLineString', coordinates: [] } }), 400, 'INVALID_GEOJSON');
      assert.deepEqual(await counts(), before);
      assert.deepEqual((await as.operatorA.get(`/api/v1/projects/${ids.projectA}`)).json().location, road);
    });

    test('capital sources that do not add up to the total capital are refused', async () => {
      const body = { ...projectBody('NS-SRC', districtA.id, 10 * BILLION), capitalSources: [{ source: 'Ngân sách tỉnh', amount: 9 * BILLION }] };
      refusedWith(await as.operatorA.post('/api/v1/projects', body), 422, 'CAPITAL_SOURCES_MISMATCH');
    });

    test('a project entered by mistake is deleted by its editors while nothing is entered on it; then it is closed instead', async () => {
      const created = await as.operatorA.post('/api/v1/projects', { ...projectBody('NS-NHAM', districtA.id, BILLION), location: null });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id;
      refusedWith(await as.officerA.delete(`/api/v1/projects/${id}`), 403, 'FORBIDDEN');
      refusedWith(await as.operatorB.delete(`/api/v1/projects/${id}`), 403, 'FORBIDDEN');
      assert.equal((await as.operatorA.delete(`/api/v1/projects/${id}`)).statusCode, 204);
      refusedWith(await as.operatorA.get(`/api/v1/projects/${id}`), 404, 'NOT_FOUND');
      refusedWith(await as.operatorA.delete(`/api/v1/projects/${ids.projectA}`), 409, 'PROJECT_HAS_ENTRIES');
      const audit = await sql<{ action: string }>`SELECT action FROM audit_log WHERE module = 'projects' AND entity_type = 'project' AND entity_id = ${String(id)} ORDER BY id`.execute(t.db);
      assert.deepEqual(audit.rows.map((r) => r.action), ['create', 'delete']);
    });

    test('disbursement above the total capital is refused, and the capital cannot drop below what is disbursed', async () => {
      const url = `/api/v1/projects/${ids.projectA}/disbursements`;
      assert.equal((await as.operatorA.post(url, { year: 2021, quarter: 3, amount: 30 * BILLION })).statusCode, 200);
      const ok = await as.operatorA.post(url, { year: 2021, quarter: 4, amount: 15 * BILLION, note: 'Quý IV' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(ok.json().disbursements.map((d: { cumulative: number }) => d.cumulative), [30 * BILLION, 45 * BILLION]);
      const before = await counts();
      const above = await as.operatorA.post(url, { year: 2022, amount: 56 * BILLION });
      refusedWith(above, 422, 'DISBURSEMENT_ABOVE_CAPITAL');
      assert.deepEqual(above.json().details, { totalCapital: 100 * BILLION, disbursed: 45 * BILLION, amount: 56 * BILLION, remaining: 55 * BILLION });
      refusedWith(await as.operatorA.post(url, { year: 2021, quarter: 4, amount: BILLION }), 409, 'PERIOD_TAKEN');
      refusedWith(await as.operatorA.post(url, { year: 2021, month: 12, amount: BILLION }), 409, 'PERIOD_OVERLAP');
      refusedWith(await as.operatorA.post(url, { year: 2021, quarter: 1, month: 12, amount: BILLION }), 422, 'PERIOD_INVALID');
      refusedWith(await as.operatorA.patch(`/api/v1/projects/${ids.projectA}`, { totalCapital: 40 * BILLION, capitalSources: [] }), 422, 'CAPITAL_BELOW_DISBURSED');
      assert.deepEqual(await counts(), before);
      // Exactly the remaining amount is accepted, and deleting an entry gives it back.
      const full = await as.operatorA.post(url, { year: 2022, amount: 55 * BILLION });
      assert.equal(full.statusCode, 200, full.body);
      assert.equal(full.json().figures.disbursementRate, 100);
      const entry = full.json().disbursements.find((d: { year: number }) => d.year === 2022).id;
      const deleted = await as.operatorA.delete(`${url}/${entry}`);
      assert.equal(deleted.statusCode, 200, deleted.body);
      assert.equal(deleted.json().figures.disbursed, 45 * BILLION);

      // Two entries at once that each fit but together exceed the capital: one of them is refused.
      const both = await Promise.all([2023, 2024].map((year) => as.operatorA.post(url, { year, amount: 30 * BILLION })));
      assert.deepEqual(both.map((r) => r.statusCode).sort(), [200, 422], both.map((r) => r.body).join('\n'));
      const kept = both.find((r) => r.statusCode === 200)?.json().disbursements.find((d: { amount: number; year: number }) => d.amount === 30 * BILLION && d.year > 2022).id;
      assert.equal((await as.operatorA.delete(`${url}/${kept}`)).json().figures.disbursed, 45 * BILLION);
    });

    test('physical progress outside 0–100% is refused; the latest dated entry of a segment counts', async () => {
      const url = (segmentId: number) => `/api/v1/projects/${ids.projectA}/segments/${segmentId}/progress`;
      const before = await counts();
      for (const percent of [-1, 100.5, 250]) refusedWith(await as.operatorA.post(url(ids.segmentLong), { onDate: '2021-12-01', percent }), 422, 'PERCENT_OUT_OF_RANGE');
      refusedWith(await as.operatorA.post(url(ids.segmentLong), { onDate: '2022-01-10', percent: 50 }), 422, 'DATE_IN_FUTURE');
      assert.deepEqual(await counts(), before);
      assert.equal((await as.operatorA.post(url(ids.segmentLong), { onDate: '2021-12-10', percent: 80 })).statusCode, 200);
      // Entered later, but for an earlier day: the segment keeps the 80% of 10/12.
      assert.equal((await as.operatorA.post(url(ids.segmentLong), { onDate: '2021-11-01', percent: 55 })).statusCode, 200);
      const res = await as.operatorA.post(url(ids.segmentShort), { onDate: '2021-12-10', percent: 40 });
      assert.equal(res.statusCode, 200, res.body);
      const segments = res.json().segments as { id: number; progress: number; entries: unknown[] }[];
      assert.deepEqual(segments.map((s) => [s.progress, s.entries.length]), [[80, 2], [40, 1]]);
      // (3 km × 80% + 1 km × 40%) / 4 km
      assert.equal(res.json().figures.physicalProgress, 70);
      refusedWith(await as.operatorA.post(url(ids.segmentShort), { onDate: '2021-12-11', percent: 100.01 }), 422, 'PERCENT_OUT_OF_RANGE');
    });

    test('site clearance: paid above approved, handed over above affected and agreed above affected households are refused', async () => {
      const url = (communeId: number) => `/api/v1/projects/${ids.projectA}/clearances/${communeId}`;
      const body = { affectedHouseholds: 40, affectedAreaM2: 10_000, agreedHouseholds: 30, compensationApproved: 12 * BILLION, compensationPaid: 8 * BILLION, handedOverAreaM2: 6_000 };
      const before = await counts();
      refusedWith(await as.operatorA.request({ method: 'PUT', url: url(communeA1.id), payload: { ...body, compensationPaid: 12 * BILLION + 1 } }), 422, 'PAID_ABOVE_APPROVED');
      refusedWith(await as.operatorA.request({ method: 'PUT', url: url(communeA1.id), payload: { ...body, handedOverAreaM2: 10_000.5 } }), 422, 'HANDED_OVER_ABOVE_AFFECTED');
      refusedWith(await as.operatorA.request({ method: 'PUT', url: url(communeA1.id), payload: { ...body, agreedHouseholds: 41 } }), 422, 'AGREED_ABOVE_AFFECTED');
      assert.deepEqual(await counts(), before);
      const a1 = await as.operatorA.request({ method: 'PUT', url: url(communeA1.id), payload: body });
      assert.equal(a1.statusCode, 200, a1.body);
      const a2 = await as.operatorA.request({ method: 'PUT', url: url(communeA2.id), payload: { ...body, affectedHouseholds: 10, agreedHouseholds: 10, affectedAreaM2: 5_000, handedOverAreaM2: 3_000 } });
      assert.equal(a2.statusCode, 200, a2.body);
      assert.deepEqual(a2.json().clearances.map((c: { handedOverRate: number }) => c.handedOverRate).sort(), [60, 60]);
      assert.equal(a2.json().figures.clearanceRate, 60);
      // The same commune again updates its row.
      const again = await as.operatorA.request({ method: 'PUT', url: url(communeA2.id), payload: { ...body, affectedHouseholds: 10, agreedHouseholds: 10, affectedAreaM2: 5_000, handedOverAreaM2: 3_000, note: 'Cập nhật' } });
      assert.equal(again.json().clearances.length, 2);
    });

    test('scope: another district’s staff get 403 on the project, see none of it in lists, and change nothing', async () => {
      const before = await counts();
      for (const s of [as.officerB, as.operatorB]) {
        refusedWith(await s.get(`/api/v1/projects/${ids.projectA}`), 403, 'FORBIDDEN');
        refusedWith(await s.patch(`/api/v1/projects/${ids.projectA}`, { name: 'Bị sửa' }), 403, 'FORBIDDEN');
        refusedWith(await s.post(`/api/v1/projects/${ids.projectA}/disbursements`, { year: 2023, amount: BILLION }), 403, 'FORBIDDEN');
        refusedWith(await s.post(`/api/v1/projects/${ids.projectA}/segments/${ids.segmentLong}/progress`, { onDate: '2021-12-01', percent: 10 }), 403, 'FORBIDDEN');
        refusedWith(await s.request({ method: 'PUT', url: `/api/v1/projects/${ids.projectA}/clearances/${communeA1.id}`, payload: { affectedHouseholds: 1, affectedAreaM2: 1, agreedHouseholds: 0, compensationApproved: 0, compensationPaid: 0, handedOverAreaM2: 0 } }), 403, 'FORBIDDEN');
        const list = await s.get('/api/v1/projects');
        assert.deepEqual(list.json().items.map((p: { id: number }) => p.id), [ids.projectB]);
        refusedWith(await s.get(`/api/v1/projects?unitId=${districtA.id}`), 403, 'FORBIDDEN');
        assert.deepEqual((await s.get('/api/v1/projects/overview')).json().items.map((p: { id: number }) => p.id), [ids.projectB]);
      }
      // B's operator may not move a project of B under A, nor create one there.
      refusedWith(await as.operatorB.patch(`/api/v1/projects/${ids.projectB}`, { managingUnitId: districtA.id }), 403, 'FORBIDDEN');
      refusedWith(await as.operatorB.post('/api/v1/projects', projectBody('BB-IN-A', districtA.id, BILLION)), 403, 'FORBIDDEN');
      // A's officer sees A's project but is no editor; A's operator may not name B's commune.
      assert.equal((await as.officerA.get(`/api/v1/projects/${ids.projectA}`)).json().can.edit, false);
      refusedWith(await as.officerA.post(`/api/v1/projects/${ids.projectA}/milestones`, { name: 'Khởi công', plannedOn: '2021-03-01' }), 403, 'FORBIDDEN');
      refusedWith(await as.operatorA.request({ method: 'PUT', url: `/api/v1/projects/${ids.projectA}/clearances/${communeB1.id}`, payload: { affectedHouseholds: 1, affectedAreaM2: 1, agreedHouseholds: 0, compensationApproved: 0, compensationPaid: 0, handedOverAreaM2: 0 } }), 403, 'FORBIDDEN');
      refusedWith(await as.officerB.get('/api/v1/projects/987654'), 404, 'NOT_FOUND');
      assert.deepEqual(await counts(), before);
    });

    test('a commune the project crosses sees it, read only, in its lists and overview; a commune it does not cross does not', async () => {
      const commune = await signIn(t.app, 'pj.officer.a1');
      const detail = await commune.get(`/api/v1/projects/${ids.projectA}`);
      assert.equal(detail.statusCode, 200, detail.body);
      assert.equal(detail.json().can.edit, false);
      assert.ok((await commune.get('/api/v1/projects')).json().items.some((p: { id: number }) => p.id === ids.projectA), 'in its list');
      assert.ok((await commune.get('/api/v1/projects/overview')).json().items.some((p: { id: number }) => p.id === ids.projectA), 'in its overview');
      refusedWith(await commune.patch(`/api/v1/projects/${ids.projectA}`, { name: 'Bị sửa' }), 403, 'FORBIDDEN');
      refusedWith(await commune.post(`/api/v1/projects/${ids.projectA}/milestones`, { name: 'Mốc', plannedOn: '2030-01-01' }), 403, 'FORBIDDEN');

      const elsewhere = await makeUnit(t.db, { parent: districtA, kind: 'commune', name: 'Xã không có đoạn nào', code: 'PJ-A9' });
      await makeUser(t.db, { unit: elsewhere, role: 'leader', username: 'pj.leader.a9' });
      const outside = await signIn(t.app, 'pj.leader.a9');
      refusedWith(await outside.get(`/api/v1/projects/${ids.projectA}`), 403, 'FORBIDDEN');
      assert.deepEqual((await outside.get('/api/v1/projects')).json().items, []);
      assert.deepEqual((await outside.get('/api/v1/projects/overview')).json().items, []);
    });

    test('an obstacle becomes a task issued to its responsible unit; without a person to do it, nothing is stored', async () => {
      const url = `/api/v1/projects/${ids.projectA}/obstacles`;
      const before = await counts();
      const unclear = await as.operatorA.post(url, { description: '3 hộ chưa nhận tiền bồi thường', communeUnitId: communeA1.id, responsibleUnitId: communeA1.id, dueOn: '2021-12-24' });
      refusedWith(unclear, 422, 'TASK_NOT_CLEAR');
      assert.deepEqual(await counts(), before);
      const res = await as.operatorA.post(url, {
        description: '3 hộ chưa nhận tiền bồi thường',
        communeUnitId: communeA1.id,
        responsibleUnitId: communeA1.id,
        assigneeUserId: ids.communeOfficerA1,
        dueOn: '2021-12-24',
      });
      assert.equal(res.statusCode, 200, res.body);
      const obstacle = res.json().obstacles[0];
      assert.deepEqual([obstacle.status, obstacle.overdue, obstacle.responsibleUnit.id, obstacle.commune.id], ['open', false, communeA1.id, communeA1.id]);
      assert.match(obstacle.task.code, /^NV-2021-/);
      assert.deepEqual([obstacle.task.status, obstacle.task.timeliness, obstacle.task.dueOn], ['in_progress', 'in_progress_within', '2021-12-24']);
      assert.deepEqual(res.json().figures.obstaclesOpen, 1);
      // The task, as the tasks module shows it to the commune's officer.
      const commune = await signIn(t.app, 'pj.officer.a1');
      const task = await commune.get(`/api/v1/tasks/${obstacle.task.id}`);
      assert.equal(task.statusCode, 200, task.body);
      assert.deepEqual(
        [task.json().kind, task.json().leadUnit.id, task.json().issuerUnit.id, task.json().assignee.id, task.json().source.kind, task.json().source.id, task.json().source.ref],
        ['obstacle', communeA1.id, districtA.id, ids.communeOfficerA1, 'project', obstacle.id, 'NS-DT-01'],
      );
      assert.match(task.json().title, /3 hộ chưa nhận tiền bồi thường/);
    });

    test('the province view: rates and overdue obstacles computed by hand, in scope, exported as .xlsx', async () => {
      // Project B: 50 billion, 5 disbursed; one 2 km segment at 10%; no clearance.
      const segB = await as.operatorB.post(`/api/v1/projects/${ids.projectB}/segments`, { name: 'Đoạn B', lengthKm: 2 });
      const segBId = segB.json().segments[0].id;
      assert.equal((await as.operatorB.post(`/api/v1/projects/${ids.projectB}/segments/${segBId}/progress`, { onDate: '2021-12-01', percent: 10 })).statusCode, 200);
      assert.equal((await as.operatorB.post(`/api/v1/projects/${ids.projectB}/disbursements`, { year: 2021, amount: 5 * BILLION })).statusCode, 200);

      // A month later, the obstacle due 24/12/2021 is overdue.
      assert.equal((await as.admin.request({ method: 'PUT', url: '/api/v1/test/clock', payload: { now: '2022-01-14T03:00:00Z' } })).statusCode, 200);
      const res = await as.provinceLeader.get('/api/v1/projects/overview');
      assert.equal(res.statusCode, 200, res.body);
      const { items, totals } = res.json();
      const a = items.find((p: { id: number }) => p.id === ids.projectA).figures;
      const b = items.find((p: { id: number }) => p.id === ids.projectB).figures;
      // A: 45 of 100 billion; (3×80 + 1×40)/4 = 70%; 9,000 of 15,000 m² handed over; 1 obstacle overdue.
      assert.deepEqual([a.disbursementRate, a.physicalProgress, a.clearanceRate, a.obstaclesOpen, a.obstaclesOverdue], [45, 70, 60, 1, 1]);
      // B: 5 of 50 billion; 10%; nothing to clear.
      assert.deepEqual([b.disbursementRate, b.physicalProgress, b.clearanceRate, b.obstaclesOverdue], [10, 10, null, 0]);
      // All: 50 of 150 billion = 33.33%; (3×80 + 1×40 + 2×10)/6 km = 50%; 60%; 1 overdue.
      assert.deepEqual(
        [totals.projects, totals.totalCapital, totals.disbursed, totals.disbursementRate, totals.segmentsLengthKm, totals.physicalProgress, totals.clearanceRate, totals.obstaclesOverdue],
        [2, 150 * BILLION, 50 * BILLION, 33.33, 6, 50, 60, 1],
      );
      assert.equal((await as.operatorA.get(`/api/v1/projects/${ids.projectA}`)).json().obstacles[0].overdue, true);
      // District A's own view holds only its project.
      assert.deepEqual((await as.operatorA.get('/api/v1/projects/overview')).json().totals.projects, 1);

      const sheet = await readXlsx(await as.provinceLeader.get('/api/v1/projects/overview?format=xlsx'));
      assert.equal(sheet.length, 4, 'header, two projects, totals');
      assert.deepEqual([sheet[1][0], sheet[2][0]], ['BB-01', 'NS-DT-01'], 'by code');
      assert.equal(sheet[3][0], 'Tổng cộng');

      // Resolving it takes it off the count.
      const obstacleId = (await as.operatorA.get(`/api/v1/projects/${ids.projectA}`)).json().obstacles[0].id;
      const resolved = await as.operatorA.post(`/api/v1/projects/${ids.projectA}/obstacles/${obstacleId}/resolve`, { resolution: 'Các hộ đã nhận tiền, bàn giao mặt bằng.' });
      assert.equal(resolved.statusCode, 200, resolved.body);
      assert.deepEqual([resolved.json().figures.obstaclesOpen, resolved.json().figures.obstaclesOverdue], [0, 0]);
      refusedWith(await as.operatorA.post(`/api/v1/projects/${ids.projectA}/obstacles/${obstacleId}/resolve`, { resolution: 'Lần nữa' }), 409, 'OBSTACLE_RESOLVED');
      assert.equal((await as.admin.request({ method: 'DELETE', url: '/api/v1/test/clock' })).statusCode, 200);
    });

    test('an obstacle whose task the managing unit accepts as done counts as removed', async () => {
      const raised = await as.operatorA.post(`/api/v1/projects/${ids.projectA}/obstacles`, {
        description: 'Chưa di dời xong đường điện hạ thế',
        responsibleUnitId: communeA1.id,
        assigneeUserId: ids.communeOfficerA1,
        dueOn: '2099-12-30',
      });
      assert.equal(raised.statusCode, 200, raised.body);
      const obstacle = raised.json().obstacles.find((o: { description: string }) => o.description.startsWith('Chưa di dời'));
      assert.deepEqual([obstacle.status, raised.json().figures.obstaclesOpen], ['open', 1]);
      const commune = await signIn(t.app, 'pj.officer.a1');
      const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
      const report = await commune.post(`/api/v1/tasks/${obstacle.task.id}/reports`, { percent: 100, text: 'Đã di dời xong.', reportedOn: today, submit: true });
      assert.equal(report.statusCode, 201, report.body);
      const accepted = await as.operatorA.post(`/api/v1/tasks/${obstacle.task.id}/accept`, { version: report.json().version });
      assert.equal(accepted.statusCode, 200, accepted.body);
      const after = (await as.operatorA.get(`/api/v1/projects/${ids.projectA}`)).json();
      const shown = after.obstacles.find((o: { id: number }) => o.id === obstacle.id);
      assert.deepEqual([shown.status, shown.overdue, shown.task.status, after.figures.obstaclesOpen], ['resolved', false, 'completed', 0]);
    });

    test('the list filters, sorts and pages; its export holds the same rows', async () => {
      const list = await as.provinceLeader.get('/api/v1/projects?sort=-disbursementRate&pageSize=1');
      assert.equal(list.statusCode, 200, list.body);
      assert.deepEqual([list.json().total, list.json().items[0].id], [2, ids.projectA]);
      // Without diacritics, and in any case, the search finds "Đường trục Đông - Tây NS-DT-01".
      assert.deepEqual((await as.provinceLeader.get(`/api/v1/projects?q=${encodeURIComponent('tay ns-dt')}`)).json().items.map((p: { id: number }) => p.id), [ids.projectA]);
      assert.deepEqual((await as.provinceLeader.get(`/api/v1/projects?unitId=${districtB.id}`)).json().items.map((p: { id: number }) => p.id), [ids.projectB]);
      refusedWith(await as.provinceLeader.get('/api/v1/projects?sort=secret'), 400, 'INVALID_SORT');
      const sheet = await readXlsx(await as.provinceLeader.get('/api/v1/projects?format=xlsx&status=in_progress'));
      assert.equal(sheet.length, 3);
    });

    test('site photos are re-encoded without their EXIF location and served to those who see the project', async () => {
      const photo = await gpsPhoto(80, 60);
      assert.ok((await sharp(photo).metadata()).exif, 'the upload carries EXIF');
      const body = multipart([
        { name: 'takenOn', value: '2021-12-10' },
        { name: 'caption', value: 'Thi công nền đường qua xã An Bình' },
        { name: 'segmentId', value: String(ids.segmentLong) },
        { name: 'photos', file: photo, fileName: 'anh.jpg', type: 'image/jpeg' },
      ]);
      const refused = await as.officerA.request({ method: 'POST', url: `/api/v1/projects/${ids.projectA}/photos`, ...body });
      refusedWith(refused, 403, 'FORBIDDEN');
      const res = await as.operatorA.request({ method: 'POST', url: `/api/v1/projects/${ids.projectA}/photos`, ...body });
      assert.equal(res.statusCode, 200, res.body);
      const shown = res.json().photos[0];
      assert.deepEqual([shown.takenOn, shown.segmentId, shown.width], ['2021-12-10', ids.segmentLong, 80]);
      const image = await as.officerA.get(shown.url);
      assert.equal(image.statusCode, 200);
      assert.equal(image.headers['content-type'], 'image/jpeg');
      assert.equal((await sharp(image.rawPayload).metadata()).exif, undefined, 'no EXIF kept');
      refusedWith(await as.officerB.get(shown.url), 403, 'FORBIDDEN');
      const notImage = multipart([{ name: 'takenOn', value: '2021-12-10' }, { name: 'photos', file: Buffer.from('not an image at all'), fileName: 'x.jpg', type: 'image/jpeg' }]);
      refusedWith(await as.operatorA.request({ method: 'POST', url: `/api/v1/projects/${ids.projectA}/photos`, ...notImage }), 415, 'NOT_AN_IMAGE');
    });

    test('entries entered by mistake are deleted: a segment with its progress, a progress entry, a milestone, a commune’s clearance, an obstacle with its task', async () => {
      const base = `/api/v1/projects/${ids.projectA}`;
      const start = (await as.operatorA.get(base)).json();
      // A segment with two progress entries: the latest one deleted, then the whole segment.
      const added = await as.operatorA.post(`${base}/segments`, { name: 'Đoạn nhập nhầm', lengthKm: 2 });
      assert.equal(added.statusCode, 200, added.body);
      const segment = added.json().segments.find((s: { name: string }) => s.name === 'Đoạn nhập nhầm');
      for (const [onDate, percent] of [['2021-12-01', 20], ['2021-12-10', 90]] as const) {
        assert.equal((await as.operatorA.post(`${base}/segments/${segment.id}/progress`, { onDate, percent })).statusCode, 200);
      }
      const entries = (await as.operatorA.get(base)).json().segments.find((s: { id: number }) => s.id === segment.id).entries as { id: number; percent: number }[];
      const latest = entries.find((e) => e.percent === 90);
      const without = await as.operatorA.delete(`${base}/segments/${segment.id}/progress/${latest?.id}`);
      assert.equal(without.statusCode, 200, without.body);
      assert.equal(without.json().segments.find((s: { id: number }) => s.id === segment.id).progress, 20, 'the latest remaining entry counts');
      refusedWith(await as.operatorA.delete(`${base}/segments/${segment.id}/progress/${latest?.id}`), 404, 'NOT_FOUND');
      const beforeSegment = await counts();
      const gone = await as.operatorA.delete(`${base}/segments/${segment.id}`);
      assert.equal(gone.statusCode, 200, gone.body);
      assert.equal(gone.json().segments.some((s: { id: number }) => s.id === segment.id), false);
      assert.equal(Number((await counts()).progress), Number(beforeSegment.progress) - 1, 'its progress entry went with it');
      assert.equal(gone.json().figures.physicalProgress, start.figures.physicalProgress, 'the figures are as before it was entered');

      // A milestone.
      const withMilestone = (await as.operatorA.post(`${base}/milestones`, { name: 'Mốc nhập nhầm', plannedOn: '2022-06-30' })).json();
      const milestone = withMilestone.milestones.find((m: { name: string }) => m.name === 'Mốc nhập nhầm');
      const noMilestone = await as.operatorA.delete(`${base}/milestones/${milestone.id}`);
      assert.equal(noMilestone.statusCode, 200, noMilestone.body);
      assert.equal(noMilestone.json().milestones.some((m: { id: number }) => m.id === milestone.id), false);

      // A commune's clearance figures: the project's rate follows.
      const clearanceBefore = start.clearances.length;
      const noClearance = await as.operatorA.delete(`${base}/clearances/${communeA2.id}`);
      assert.equal(noClearance.statusCode, 200, noClearance.body);
      assert.equal(noClearance.json().clearances.length, clearanceBefore - 1);
      refusedWith(await as.operatorA.delete(`${base}/clearances/${communeA2.id}`), 404, 'NOT_FOUND');

      // Another district's staff and a non-editor change nothing.
      const untouched = await counts();
      for (const s of [as.operatorB, as.officerA]) {
        refusedWith(await s.delete(`${base}/segments/${ids.segmentShort}`), 403, 'FORBIDDEN');
        refusedWith(await s.delete(`${base}/clearances/${communeA1.id}`), 403, 'FORBIDDEN');
      }
      assert.deepEqual(await counts(), untouched);

      // An open obstacle: deleted with its task cancelled.
      const raised = await as.operatorA.post(`${base}/obstacles`, { description: 'Vướng mắc nhập nhầm', responsibleUnitId: communeA1.id, assigneeUserId: ids.communeOfficerA1, dueOn: '2099-12-30' });
      assert.equal(raised.statusCode, 200, raised.body);
      const obstacle = raised.json().obstacles.find((o: { description: string }) => o.description === 'Vướng mắc nhập nhầm');
      const noObstacle = await as.operatorA.delete(`${base}/obstacles/${obstacle.id}`);
      assert.equal(noObstacle.statusCode, 200, noObstacle.body);
      assert.equal(noObstacle.json().obstacles.some((o: { id: number }) => o.id === obstacle.id), false);
      const task = (await as.operatorA.get(`/api/v1/tasks/${obstacle.task.id}`)).json();
      assert.equal(task.status, 'cancelled');
      assert.match(task.events.find((e: { type: string }) => e.type === 'cancelled').data.reason, /Vướng mắc được xóa/);
      // One whose task was completed was dealt with: it stays.
      const done = noObstacle.json().obstacles.find((o: { task: { status: string } | null }) => o.task?.status === 'completed');
      assert.ok(done, 'the obstacle resolved through its task (an earlier test)');
      const keep = await counts();
      refusedWith(await as.operatorA.delete(`${base}/obstacles/${done.id}`), 409, 'OBSTACLE_TASK_COMPLETED');
      assert.deepEqual(await counts(), keep);
      assert.equal((await as.operatorA.get(`/api/v1/tasks/${done.task.id}`)).json().status, 'completed');
    });

    test('every change is in the audit log with the managing unit', async () => {
      const { rows } = await sql<{ action: string; org_unit_id: number }>`
        SELECT DISTINCT action, org_unit_id FROM audit_log WHERE module = 'projects' AND org_unit_id = ${districtA.id} ORDER BY action`.execute(t.db);
      const actions = rows.map((r) => r.action);
      for (const a of [
        'create', 'segment.create', 'progress.create', 'disbursement.create', 'disbursement.delete', 'clearance.update', 'obstacle.create', 'obstacle.resolve', 'photo.create',
        'segment.delete', 'progress.delete', 'milestone.delete', 'clearance.delete', 'obstacle.delete',
      ]) {
        assert.ok(actions.includes(a), `${a} audited (${actions.join(', ')})`);
      }
    });
  });
}
