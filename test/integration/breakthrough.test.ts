import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import JSZip from 'jszip';
import { sql } from 'kysely';
import { businessDateOf } from '../../src/platform/calendar/businessTime.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { readXlsx } from '../helpers/xlsx.js';

/**
 * Breakthrough tasks (công việc đột phá): a district registers its list for a year, submits it
 * to the province (its superior Standing Committee), which returns it with comments or approves
 * it; approval issues every item as a task in one transaction; the province's table and files.
 */

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
type Res = LightMyRequestResponse;
type Unit = Awaited<ReturnType<typeof makeUnit>>;

// Next year: every deadline in it is after today, whatever day the suite runs.
const YEAR = Number(businessDateOf(new Date()).slice(0, 4)) + 1;

function ok(res: Res, status = 200) {
  assert.equal(res.statusCode, status, res.body);
  return res.json();
}

function refused(res: Res, status: number, code: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.json().code, code, res.body);
  return res.json();
}

async function docxText(res: Res): Promise<string> {
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], DOCX_TYPE);
  const zip = await JSZip.loadAsync(res.rawPayload);
  const xml = await zip.file('word/document.xml')?.async('string');
  assert.ok(xml, 'the .docx has its document part');
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(' ');
}

for (const kind of await testBackends()) {
  describe(`breakthrough tasks on ${kind}`, () => {
    let t: TestApp;
    let province: Unit;
    let namSach: Unit;
    let anBinh: Unit;
    let tuKy: Unit;
    const ids = {} as { nsOfficer: number; abOfficer: number; tkOfficer: number };
    const s = {} as Record<'provLeader' | 'nsLeader' | 'nsOperator' | 'nsOfficer' | 'abLeader' | 'tkLeader', Session>;

    /** A clear item led by Nam Sách itself. */
    const clearItem = () => ({
      title: 'Xây dựng 6 đoạn tuyến đường trục Đông - Tây huyện',
      description: 'Đường giao thông liên xã phục vụ phát triển kinh tế - xã hội',
      targetValue: 9.2,
      targetUnit: 'km',
      leadUnitId: namSach.id,
      assigneeUserId: ids.nsOfficer,
      dueOn: `${YEAR}-12-15`,
      expectedResult: 'Hoàn thành thi công 6 đoạn tuyến, đưa vào sử dụng',
    });

    async function newList(session: Session, unitId: number, year = YEAR) {
      return ok(await session.post('/api/v1/breakthrough/registrations', { unitId, year }), 201);
    }
    async function addItem(session: Session, list: { id: number; version: number }, item: object) {
      return session.post(`/api/v1/breakthrough/registrations/${list.id}/items`, { version: list.version, ...item });
    }

    before(async () => {
      t = await buildTestApp(kind);
      province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương' });
      namSach = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Nam Sách' });
      anBinh = await makeUnit(t.db, { parent: namSach, kind: 'commune', name: 'Xã An Bình' });
      tuKy = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Tứ Kỳ' });
      await makeUser(t.db, { unit: province, role: 'leader', username: 'bt.prov' });
      await makeUser(t.db, { unit: namSach, role: 'leader', username: 'bt.ns.leader' });
      await makeUser(t.db, { unit: namSach, role: 'operator', username: 'bt.ns.operator' });
      ids.nsOfficer = (await makeUser(t.db, { unit: namSach, role: 'officer', username: 'bt.ns.officer', fullName: 'Lê Văn Sách' })).id;
      await makeUser(t.db, { unit: anBinh, role: 'leader', username: 'bt.ab.leader' });
      ids.abOfficer = (await makeUser(t.db, { unit: anBinh, role: 'officer', username: 'bt.ab.officer' })).id;
      await makeUser(t.db, { unit: tuKy, role: 'leader', username: 'bt.tk.leader' });
      ids.tkOfficer = (await makeUser(t.db, { unit: tuKy, role: 'officer', username: 'bt.tk.officer' })).id;
      s.provLeader = await signIn(t.app, 'bt.prov');
      s.nsLeader = await signIn(t.app, 'bt.ns.leader');
      s.nsOperator = await signIn(t.app, 'bt.ns.operator');
      s.nsOfficer = await signIn(t.app, 'bt.ns.officer');
      s.abLeader = await signIn(t.app, 'bt.ab.leader');
      s.tkLeader = await signIn(t.app, 'bt.tk.leader');
    });
    after(() => t.close());

    test('submit is refused naming each item’s missing clears; returned with comments; resubmitted; approved into tasks', async () => {
      let list = await newList(s.nsLeader, namSach.id);
      assert.equal(list.status, 'draft');
      assert.equal(list.superiorUnit.id, province.id);
      list = ok(await addItem(s.nsLeader, list, clearItem()), 201);
      // The second item names no person and no deadline; the operator of the unit may edit too.
      list = ok(await addItem(s.nsOperator, list, { title: 'Chuyển đổi số', leadUnitId: anBinh.id, expectedResult: 'Trung tâm điều hành đi vào hoạt động' }), 201);
      assert.deepEqual(list.items[1].clarity.missing, ['nguoi', 'thoiGian']);

      const unclear = refused(await s.nsLeader.post(`/api/v1/breakthrough/registrations/${list.id}/submit`, { version: list.version }), 422, 'BREAKTHROUGH_NOT_CLEAR');
      assert.deepEqual(
        unclear.details.items.map((i: { position: number; missing: string[] }) => [i.position, i.missing]),
        [[2, ['nguoi', 'thoiGian']]],
      );
      assert.match(unclear.message, /công việc số 2 .*chưa rõ người, rõ thời gian/);
      assert.equal(ok(await s.nsLeader.get(`/api/v1/breakthrough/registrations/${list.id}`)).status, 'draft', 'nothing changed');

      const second = list.items[1];
      list = ok(await s.nsLeader.patch(`/api/v1/breakthrough/registrations/${list.id}/items/${second.id}`, { version: list.version, assigneeUserId: ids.abOfficer, dueOn: `${YEAR}-03-31` }));
      assert.deepEqual(list.items[1].clarity.missing, []);
      assert.equal(list.items[1].title, 'Chuyển đổi số', 'a patch keeps the fields it does not name');
      list = ok(await s.nsLeader.post(`/api/v1/breakthrough/registrations/${list.id}/submit`, { version: list.version }));
      assert.equal(list.status, 'submitted');
      assert.equal(list.can.edit, false);
      refused(await addItem(s.nsLeader, list, clearItem()), 409, 'BREAKTHROUGH_NOT_EDITABLE');

      // The district cannot approve its own list; the province sees it waiting.
      refused(await s.nsLeader.post(`/api/v1/breakthrough/registrations/${list.id}/approve`, { version: list.version }), 403, 'FORBIDDEN');
      const waiting = ok(await s.provLeader.get('/api/v1/breakthrough/registrations?toReview=true'));
      assert.deepEqual(waiting.items.map((r: { id: number }) => r.id), [list.id]);
      assert.deepEqual(ok(await s.nsLeader.get('/api/v1/breakthrough/registrations?toReview=true')).items, []);

      refused(await s.provLeader.post(`/api/v1/breakthrough/registrations/${list.id}/return`, { version: list.version, comments: '   ' }), 400, 'COMMENTS_REQUIRED');
      list = ok(await s.provLeader.post(`/api/v1/breakthrough/registrations/${list.id}/return`, { version: list.version, comments: 'Bổ sung chỉ tiêu vốn đầu tư (tỷ đồng).' }));
      assert.equal(list.status, 'returned');
      assert.equal(list.returnComments, 'Bổ sung chỉ tiêu vốn đầu tư (tỷ đồng).');
      assert.deepEqual(
        list.events.map((e: { type: string; comments: string | null }) => [e.type, e.comments]),
        [['created', null], ['submitted', null], ['returned', 'Bổ sung chỉ tiêu vốn đầu tư (tỷ đồng).']],
      );

      list = ok(await addItem(s.nsLeader, list, { ...clearItem(), title: 'Huy động vốn đầu tư đường trục', targetValue: 140, targetUnit: 'tỷ đồng' }), 201);
      list = ok(await s.nsLeader.post(`/api/v1/breakthrough/registrations/${list.id}/submit`, { version: list.version }));
      assert.equal(list.status, 'resubmitted');
      assert.equal(list.round, 2);

      const stale = list.version;
      list = ok(await s.provLeader.post(`/api/v1/breakthrough/registrations/${list.id}/approve`, { version: list.version }));
      assert.equal(list.status, 'approved');
      refused(await s.provLeader.post(`/api/v1/breakthrough/registrations/${list.id}/approve`, { version: stale }), 409, 'BREAKTHROUGH_NOT_SUBMITTED');

      // Each item is now a task of the province, led by the item's lead unit, in progress.
      const tasks = await sql<{ id: number; kind: string; issuer_unit_id: number; lead_unit_id: number; assignee_user_id: number; status: string; source_id: string; title: string; due_on: string }>`
        SELECT id::int, kind, issuer_unit_id, lead_unit_id, assignee_user_id, status, source_id::text, title, due_on
        FROM tasks WHERE source_kind = 'breakthrough' ORDER BY id`.execute(t.db);
      assert.equal(tasks.rows.length, 3);
      for (const [n, item] of list.items.entries()) {
        const task = tasks.rows.find((x) => Number(x.source_id) === item.id);
        assert.ok(task, `item ${n + 1} became a task`);
        assert.equal(item.task.id, task.id);
        assert.deepEqual([task.kind, task.issuer_unit_id, task.lead_unit_id, task.assignee_user_id, task.status, task.title], [
          'breakthrough',
          province.id,
          item.leadUnit.id,
          item.assignee.id,
          'in_progress',
          item.title,
        ]);
        assert.equal(item.task.status, 'in_progress');
        assert.equal(item.task.timeliness, 'in_progress_within');
      }
      refused(await s.nsLeader.patch(`/api/v1/breakthrough/registrations/${list.id}/items/${second.id}`, { version: list.version, title: 'Đổi' }), 409, 'BREAKTHROUGH_NOT_EDITABLE');

      const audit = await sql<{ action: string }>`SELECT action FROM audit_log WHERE module = 'breakthrough' AND org_unit_id = ${namSach.id} ORDER BY id`.execute(t.db);
      assert.deepEqual(audit.rows.map((a) => a.action), ['create', 'item.create', 'item.create', 'item.update', 'submit', 'return', 'item.create', 'submit', 'approve']);
    });

    test('a commune cannot approve its own list; its district (the superior) approves it and issues the tasks', async () => {
      let list = await newList(s.abLeader, anBinh.id);
      list = ok(await addItem(s.abLeader, list, { ...clearItem(), leadUnitId: anBinh.id, assigneeUserId: ids.abOfficer, title: 'Giải phóng mặt bằng đường trục qua xã' }), 201);
      list = ok(await s.abLeader.post(`/api/v1/breakthrough/registrations/${list.id}/submit`, { version: list.version }));
      assert.equal(list.can.review, false);
      refused(await s.abLeader.post(`/api/v1/breakthrough/registrations/${list.id}/approve`, { version: list.version }), 403, 'FORBIDDEN');
      refused(await s.abLeader.post(`/api/v1/breakthrough/registrations/${list.id}/return`, { version: list.version, comments: 'Tự trả' }), 403, 'FORBIDDEN');
      refused(await s.nsOfficer.post(`/api/v1/breakthrough/registrations/${list.id}/approve`, { version: list.version }), 403, 'FORBIDDEN');
      list = ok(await s.nsLeader.post(`/api/v1/breakthrough/registrations/${list.id}/approve`, { version: list.version }));
      const issuer = await sql<{ issuer_unit_id: number }>`SELECT issuer_unit_id FROM tasks WHERE id = ${list.items[0].task.id}`.execute(t.db);
      assert.equal(issuer.rows[0].issuer_unit_id, namSach.id);
    });

    test('another district neither sees nor edits Nam Sách’s list', async () => {
      let list = await newList(s.nsLeader, namSach.id, YEAR - 1);
      list = ok(await addItem(s.nsLeader, list, { ...clearItem(), dueOn: `${YEAR}-06-30` }), 201);
      const base = `/api/v1/breakthrough/registrations/${list.id}`;
      const item = list.items[0].id;
      for (const res of [
        await s.tkLeader.get(base),
        await s.tkLeader.patch(`${base}/items/${item}`, { version: list.version, title: 'Chen vào' }),
        await s.tkLeader.post(`${base}/items`, { version: list.version, title: 'Chen vào' }),
        await s.tkLeader.delete(`${base}/items/${item}?version=${list.version}`),
        await s.tkLeader.post(`${base}/submit`, { version: list.version }),
        await s.tkLeader.post(`${base}/approve`, { version: list.version }),
        await s.tkLeader.post(`${base}/return`, { version: list.version, comments: 'x' }),
        await s.tkLeader.request({ method: 'PUT', url: `${base}/items/${item}/review`, payload: { version: list.version, result: 'achieved' } }),
      ]) {
        refused(res, 404, 'NOT_FOUND');
      }
      assert.deepEqual(ok(await s.tkLeader.get(`/api/v1/breakthrough/registrations?year=${YEAR - 1}`)).items, []);
      refused(await s.tkLeader.get(`/api/v1/breakthrough/registrations?unitId=${namSach.id}`), 404, 'NOT_FOUND');
      refused(await s.tkLeader.get(`/api/v1/breakthrough/overview?year=${YEAR - 1}&unitId=${namSach.id}`), 404, 'NOT_FOUND');
      refused(await s.tkLeader.post('/api/v1/breakthrough/registrations', { unitId: namSach.id, year: YEAR }), 404, 'NOT_FOUND');
      const own = ok(await s.tkLeader.get(`/api/v1/breakthrough/overview?year=${YEAR - 1}`));
      assert.deepEqual(own.rows, [], 'Tứ Kỳ’s own table holds nothing of Nam Sách');
      // An officer of Nam Sách reads the list but cannot change it.
      assert.equal(ok(await s.nsOfficer.get(base)).can.edit, false);
      refused(await s.nsOfficer.patch(`${base}/items/${item}`, { version: list.version, title: 'Đổi' }), 403, 'FORBIDDEN');
      // Deleting renumbers; a stale version is a conflict.
      list = ok(await addItem(s.nsLeader, list, { title: 'Thứ hai' }), 201);
      list = ok(await s.nsLeader.delete(`${base}/items/${item}?version=${list.version}`));
      assert.deepEqual(list.items.map((i: { position: number; title: string }) => [i.position, i.title]), [[1, 'Thứ hai']]);
      refused(await s.nsLeader.patch(`${base}/items/${list.items[0].id}`, { version: list.version - 1, title: 'Cũ' }), 409, 'BREAKTHROUGH_VERSION_CONFLICT');
    });

    test('bad input is a 4xx naming the problem', async () => {
      refused(await s.nsLeader.post('/api/v1/breakthrough/registrations', { unitId: namSach.id, year: 1999 }), 400, 'VALIDATION_FAILED');
      refused(await s.nsLeader.post('/api/v1/breakthrough/registrations', { unitId: namSach.id, year: 2101 }), 400, 'VALIDATION_FAILED');
      refused(await s.nsLeader.post('/api/v1/breakthrough/registrations', { unitId: namSach.id, year: YEAR + 1 }), 400, 'YEAR_OUT_OF_RANGE');
      refused(await s.nsLeader.post('/api/v1/breakthrough/registrations', { unitId: 987654, year: YEAR }), 404, 'NOT_FOUND');
      refused(await s.nsOfficer.post('/api/v1/breakthrough/registrations', { unitId: namSach.id, year: YEAR - 2 }), 403, 'FORBIDDEN');
      refused(await s.nsLeader.post('/api/v1/breakthrough/registrations', { unitId: namSach.id, year: YEAR }), 409, 'BREAKTHROUGH_EXISTS');

      const list = await newList(s.nsLeader, namSach.id, YEAR - 3);
      const bad: [object, number, string][] = [
        [{ targetValue: -5, targetUnit: 'km' }, 400, 'VALIDATION_FAILED'],
        [{ targetValue: 5 }, 400, 'TARGET_INCOMPLETE'],
        [{ targetUnit: 'hộ' }, 400, 'TARGET_INCOMPLETE'],
        [{ targetValue: 120, targetUnit: '%' }, 400, 'TARGET_PERCENT_OVER_100'],
        [{ leadUnitId: 987654 }, 400, 'UNKNOWN_UNIT'],
        [{ leadUnitId: tuKy.id }, 400, 'LEAD_UNIT_OUTSIDE'],
        [{ leadUnitId: province.id }, 400, 'LEAD_UNIT_OUTSIDE'],
        [{ assigneeUserId: 987654 }, 400, 'UNKNOWN_USER'],
        [{ assigneeUserId: ids.tkOfficer }, 400, 'ASSIGNEE_OUTSIDE'],
        [{ leadUnitId: anBinh.id, assigneeUserId: ids.nsOfficer }, 400, 'ASSIGNEE_OUTSIDE'],
        [{ dueOn: `${YEAR - 4}-12-31` }, 400, 'DUE_BEFORE_YEAR'],
        [{ dueOn: '2024-02-30' }, 400, 'VALIDATION_FAILED'],
        [{ title: 'x'.repeat(1001) }, 400, 'VALIDATION_FAILED'],
        [{ unknownField: 1 }, 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, code] of bad) refused(await addItem(s.nsLeader, list, body), status, code);
      refused(await s.nsLeader.post(`/api/v1/breakthrough/registrations/${list.id}/submit`, { version: list.version }), 422, 'BREAKTHROUGH_EMPTY');
      refused(await s.nsLeader.post(`/api/v1/breakthrough/registrations/${list.id}/submit`, {}), 400, 'VALIDATION_FAILED');
      assert.equal(ok(await s.nsLeader.get(`/api/v1/breakthrough/registrations/${list.id}`)).version, list.version, 'no refused change moved the version');
      // The province is the top: it has no superior to submit to.
      const top = await newList(s.provLeader, province.id);
      const withItem = ok(await addItem(s.provLeader, top, { ...clearItem(), leadUnitId: province.id, assigneeUserId: null }), 201);
      refused(await s.provLeader.post(`/api/v1/breakthrough/registrations/${top.id}/submit`, { version: withItem.version }), 409, 'NO_SUPERIOR_UNIT');
    });

    test('approval issues all the tasks or none', async () => {
      const list0 = await newList(s.nsLeader, namSach.id, YEAR - 4);
      let list = ok(await addItem(s.nsLeader, list0, { ...clearItem(), dueOn: `${YEAR}-06-30` }), 201);
      list = ok(await addItem(s.nsLeader, list, { ...clearItem(), title: 'Không có thẩm quyền', dueOn: `${YEAR}-07-31` }), 201);
      list = ok(await s.nsLeader.post(`/api/v1/breakthrough/registrations/${list.id}/submit`, { version: list.version }));
      // "6 rõ" is turned on after the list was submitted: neither item names its authority, so the first item's task would be issued
      // and the second refused; the approval must leave no task behind.
      await sql`UPDATE task_settings SET six_clears = true`.execute(t.db);
      try {
        const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tasks`.execute(t.db);
        refused(await s.provLeader.post(`/api/v1/breakthrough/registrations/${list.id}/approve`, { version: list.version }), 422, 'TASK_NOT_CLEAR');
        const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tasks`.execute(t.db);
        assert.equal(after.rows[0].n, before.rows[0].n, 'no task was left behind');
        const now = ok(await s.provLeader.get(`/api/v1/breakthrough/registrations/${list.id}`));
        assert.equal(now.status, 'submitted');
        assert.equal(now.version, list.version);
        assert.deepEqual(now.items.map((i: { task: unknown }) => i.task), [null, null]);
      } finally {
        await sql`UPDATE task_settings SET six_clears = false`.execute(t.db);
      }
      list = ok(await s.provLeader.post(`/api/v1/breakthrough/registrations/${list.id}/approve`, { version: list.version }));
      assert.equal(list.items.filter((i: { task: unknown }) => i.task !== null).length, 2);
    });

    test('the year-end review, the province’s table and its .xlsx and .docx files', async () => {
      const lists = ok(await s.provLeader.get(`/api/v1/breakthrough/registrations?year=${YEAR}&status=approved`));
      const ns = lists.items.find((r: { unit: { id: number } }) => r.unit.id === namSach.id);
      let list = ok(await s.provLeader.get(`/api/v1/breakthrough/registrations/${ns.id}`));
      assert.equal(list.can.assess, true);
      const first = list.items[0];
      refused(await s.nsLeader.request({ method: 'PUT', url: `/api/v1/breakthrough/registrations/${ns.id}/items/${first.id}/review`, payload: { version: list.version, result: 'achieved' } }), 403, 'FORBIDDEN');
      refused(
        await s.provLeader.request({ method: 'PUT', url: `/api/v1/breakthrough/registrations/${ns.id}/items/${first.id}/review`, payload: { version: list.version, result: 'done' } }),
        400,
        'VALIDATION_FAILED',
      );
      refused(
        await s.provLeader.request({ method: 'PUT', url: `/api/v1/breakthrough/registrations/${ns.id}/items/${first.id}/review`, payload: { version: list.version, result: 'partly', achievedValue: -1 } }),
        400,
        'VALIDATION_FAILED',
      );
      const reviewed = await s.provLeader.request({
        method: 'PUT',
        url: `/api/v1/breakthrough/registrations/${ns.id}/items/${first.id}/review`,
        payload: { version: list.version, result: 'partly', achievedValue: 7.1, note: 'Một số đoạn đạt 70-80% khối lượng' },
      });
      const read = list.version;
      list = ok(reviewed);
      assert.deepEqual([list.items[0].review.result, list.items[0].review.achievedValue], ['partly', 7.1]);
      // A second reviewer who read the list before that save is told, not silently overwriting it.
      refused(
        await s.provLeader.request({ method: 'PUT', url: `/api/v1/breakthrough/registrations/${ns.id}/items/${first.id}/review`, payload: { version: read, result: 'achieved' } }),
        409,
        'BREAKTHROUGH_VERSION_CONFLICT',
      );
      assert.equal(ok(await s.provLeader.get(`/api/v1/breakthrough/registrations/${ns.id}`)).items[0].review.result, 'partly');

      const overview = ok(await s.provLeader.get(`/api/v1/breakthrough/overview?year=${YEAR}`));
      assert.equal(overview.unit.id, province.id, 'by default the actor’s own top unit');
      assert.deepEqual(
        overview.rows.map((r: { unit: { id: number } }) => r.unit.id),
        [province.id, namSach.id, namSach.id, namSach.id, anBinh.id],
        'the province’s own draft first, then each list in the order of the tree',
      );
      assert.equal(overview.totals.items, 5);
      assert.equal(overview.totals.inProgressWithin, 4);
      assert.equal(overview.totals.partly, 1);
      assert.deepEqual(
        overview.units.map((u: { unit: { id: number }; status: string | null }) => [u.unit.id, u.status]),
        [[namSach.id, 'approved'], [tuKy.id, null]],
      );

      const sheet = await readXlsx(await s.provLeader.get(`/api/v1/breakthrough/overview.xlsx?year=${YEAR}`));
      assert.equal(sheet[0][3], 'Công việc đột phá');
      assert.equal(sheet.length, 6);
      assert.ok(sheet[2].includes('Xây dựng 6 đoạn tuyến đường trục Đông - Tây huyện'), sheet[2].join(' | '));
      assert.ok(sheet[2].includes('Hoàn thành một phần'));

      const text = await docxText(await s.provLeader.get(`/api/v1/breakthrough/overview.docx?year=${YEAR}`));
      assert.match(text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
      assert.match(text, new RegExp(`các công việc đột phá năm ${YEAR}`));
      assert.match(text, /Xây dựng 6 đoạn tuyến đường trục Đông - Tây huyện/);
      assert.match(text, /1\/2 đơn vị trực thuộc Tỉnh Hải Dương đã đăng ký/);
      // The district's own files hold only its subtree.
      const nsSheet = await readXlsx(await s.nsLeader.get(`/api/v1/breakthrough/overview.xlsx?year=${YEAR}`));
      assert.equal(nsSheet.length, 5);
      refused(await s.tkLeader.get(`/api/v1/breakthrough/overview.docx?year=${YEAR}&unitId=${province.id}`), 404, 'NOT_FOUND');
    });
  });
}
