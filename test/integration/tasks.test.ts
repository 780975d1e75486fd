import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { type TestApp, buildTestApp } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { type TaskLocality, clearTask, issueTask, ok, setClock, taskLocality } from '../helpers/tasks.js';
import { readXlsx } from '../helpers/xlsx.js';
import { type TimelinessFacts, timelinessAt } from '../../src/modules/tasks/rules/timeliness.js';

for (const kind of await testBackends()) {
  describe(`tasks on ${kind}`, () => {
    let t: TestApp;
    let l: TaskLocality;

    before(async () => {
      t = await buildTestApp(kind, { TEST_CLOCK: '1' });
      l = await taskLocality(t);
      // Tuesday 10 February 2026, the week before Tết (16–20 February off).
      await setClock(l.as.admin, '2026-02-10T09:00');
    });
    after(() => t.close());

    const events = async (id: number) => (await sql<{ type: string }>`SELECT type FROM task_events WHERE task_id = ${id} ORDER BY at, id`.execute(t.db)).rows.map((r) => r.type);
    const audits = async (id: number) =>
      (await sql<{ action: string }>`SELECT action FROM audit_log WHERE module = 'tasks' AND entity_id = ${String(id)} ORDER BY id`.execute(t.db)).rows.map((r) => r.action);

    test('the SQL twin task_timeliness() agrees with rules/timeliness.ts on every case, instant by instant', async () => {
      const vn = (local: string) => new Date(`${local}+07:00`);
      const base = { issuedAt: vn('2026-03-02T09:00:00'), completedAt: null, cancelledAt: null, dueOn: '2026-03-13', dueChangedAt: [] as Date[], dueBefore: [] as string[] };
      const cases: TimelinessFacts[] = [
        base,
        { ...base, issuedAt: null },
        { ...base, completedAt: vn('2026-03-13T23:59:59.999') },
        { ...base, completedAt: vn('2026-03-14T00:00:00') },
        { ...base, cancelledAt: vn('2026-03-10T08:00:00') },
        { ...base, dueOn: '2026-03-20', dueChangedAt: [vn('2026-03-12T10:00:00')], dueBefore: ['2026-03-13'] },
        { ...base, dueOn: '2026-03-27', dueChangedAt: [vn('2026-03-12T10:00:00'), vn('2026-03-19T10:00:00')], dueBefore: ['2026-03-13', '2026-03-20'] },
        { ...base, dueOn: '2026-03-20', dueChangedAt: [vn('2026-03-16T10:00:00')], dueBefore: ['2026-03-13'], completedAt: vn('2026-03-14T09:00:00') },
        { ...base, dueOn: '2026-03-20', dueChangedAt: [vn('2026-03-12T10:00:00')], dueBefore: ['2026-03-13'], completedAt: vn('2026-03-18T09:00:00') },
      ];
      const instants = ['2026-03-01T12:00:00', '2026-03-02T09:00:00', '2026-03-10T08:00:00', '2026-03-12T09:59:59.999', '2026-03-13T23:59:59.999', '2026-03-14T00:00:00', '2026-03-16T12:00:00', '2026-03-21T00:00:00', '2026-03-28T00:00:00'].map(vn);
      for (const [i, c] of cases.entries()) {
        for (const at of instants) {
          const { rows } = await sql<{ tl: string | null }>`SELECT task_timeliness(${c.issuedAt}::timestamptz, ${c.completedAt}::timestamptz, ${c.cancelledAt}::timestamptz,
            ${c.dueOn}::date, ${c.dueChangedAt}::timestamptz[], ${c.dueBefore}::date[], ${at}::timestamptz) AS tl`.execute(t.db);
          assert.equal(rows[0].tl, timelinessAt(c, at), `case ${i} at ${at.toISOString()}`);
        }
      }
    });

    test('a task without a deadline is refused, naming "rõ thời gian"; with it, it is issued', async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      const draft = ok(await l.as.provinceLeader.post('/api/v1/tasks', clearTask(l, { dueOn: null, assigneeUserId: null })), 201);
      assert.equal(draft.status, 'draft');
      assert.match(draft.code, /^NV-2026-\d{6}$/);
      assert.deepEqual(draft.clarity, { missing: ['nguoi', 'thoiGian'], labels: ['rõ người', 'rõ thời gian'] });

      const refused = await l.as.provinceLeader.post(`/api/v1/tasks/${draft.id}/issue`, { version: draft.version });
      assert.equal(refused.statusCode, 422, refused.body);
      assert.equal(refused.json().code, 'TASK_NOT_CLEAR');
      assert.deepEqual(refused.json().details.missing, ['nguoi', 'thoiGian']);
      assert.equal(refused.json().message, 'Chưa thể ban hành: nhiệm vụ chưa rõ người, rõ thời gian.');

      const edited = ok(await l.as.provinceLeader.patch(`/api/v1/tasks/${draft.id}`, { version: draft.version, dueOn: '2026-03-31', assigneeUserId: l.ids.nsOfficer }));
      assert.deepEqual(edited.clarity.missing, []);
      const issued = ok(await l.as.provinceLeader.post(`/api/v1/tasks/${draft.id}/issue`, { version: edited.version }));
      assert.equal(issued.status, 'in_progress');
      assert.equal(issued.timeliness, 'in_progress_within');
      assert.equal(issued.dueOn, '2026-03-31');
      assert.equal(issued.originalDueOn, '2026-03-31');
      assert.equal(issued.issuedAt, new Date('2026-02-10T02:00:00Z').toISOString(), 'issued at the test clock’s now');
      assert.deepEqual(await events(draft.id), ['created', 'updated', 'issued']);
      assert.deepEqual(await audits(draft.id), ['create', 'update', 'issue']);
    });

    test('"6 rõ" on: the authority becomes a clear; only a root administrator turns it on', async () => {
      const refusedSettings = await l.as.provinceLeader.request({ method: 'PUT', url: '/api/v1/tasks/settings', payload: { sixClears: true, reminderDaysBefore: 3 } });
      assert.equal(refusedSettings.statusCode, 403);
      ok(await l.as.admin.request({ method: 'PUT', url: '/api/v1/tasks/settings', payload: { sixClears: true, reminderDaysBefore: 3 } }));
      try {
        assert.deepEqual(ok(await l.as.nsOfficer.get('/api/v1/tasks/settings')), { sixClears: true, reminderDaysBefore: 3 });
        const draft = ok(await l.as.provinceLeader.post('/api/v1/tasks', clearTask(l)), 201);
        const refused = await l.as.provinceLeader.post(`/api/v1/tasks/${draft.id}/issue`, { version: draft.version });
        assert.equal(refused.statusCode, 422);
        assert.deepEqual(refused.json().details.missing, ['thamQuyen']);
        assert.match(refused.json().message, /rõ thẩm quyền/);
      } finally {
        ok(await l.as.admin.request({ method: 'PUT', url: '/api/v1/tasks/settings', payload: { sixClears: false, reminderDaysBefore: 3 } }));
      }
    });

    test('bad deadlines: before the issue date refused; on Tết warned with the next working day, moved only when confirmed', async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      const past = ok(await l.as.provinceLeader.post('/api/v1/tasks', clearTask(l, { dueOn: '2026-02-09' })), 201);
      const refused = await l.as.provinceLeader.post(`/api/v1/tasks/${past.id}/issue`, { version: past.version });
      assert.equal(refused.statusCode, 422, refused.body);
      assert.equal(refused.json().code, 'DUE_BEFORE_ISSUE');

      const tet = ok(await l.as.provinceLeader.post('/api/v1/tasks', clearTask(l, { dueOn: '2026-02-17' })), 201);
      const warned = await l.as.provinceLeader.post(`/api/v1/tasks/${tet.id}/issue`, { version: tet.version });
      assert.equal(warned.statusCode, 409, warned.body);
      assert.equal(warned.json().code, 'DUE_NOT_WORKING_DAY');
      assert.equal(warned.json().details.suggestedDueOn, '2026-02-23');
      assert.equal(ok(await l.as.provinceLeader.get(`/api/v1/tasks/${tet.id}`)).status, 'draft', 'nothing issued by the warning');
      const moved = ok(await l.as.provinceLeader.post(`/api/v1/tasks/${tet.id}/issue`, { version: tet.version, moveToWorkingDay: true }));
      assert.equal(moved.status, 'in_progress');
      assert.equal(moved.dueOn, '2026-02-23');
      assert.equal(moved.originalDueOn, '2026-02-23');

      const invalid = await l.as.provinceLeader.post('/api/v1/tasks', clearTask(l, { dueOn: '2026-02-30' }));
      assert.equal(invalid.statusCode, 400, invalid.body);
      assert.equal(invalid.json().code, 'INVALID_DATE');
    });

    test('placement: the lead unit lies in the issuer’s subtree, the assignee in the lead unit’s; only leaders and operators issue', async () => {
      const outside = await l.as.nsLeader.post('/api/v1/tasks', clearTask(l, { issuerUnitId: l.units.namSach.id, leadUnitId: l.units.tuKy.id, assigneeUserId: l.ids.tkOfficer }));
      assert.equal(outside.statusCode, 422, outside.body);
      assert.equal(outside.json().code, 'LEAD_UNIT_OUTSIDE_ISSUER');
      const assignee = await l.as.provinceLeader.post('/api/v1/tasks', clearTask(l, { assigneeUserId: l.ids.tkOfficer }));
      assert.equal(assignee.json().code, 'ASSIGNEE_OUTSIDE_LEAD_UNIT');
      const byOfficer = await l.as.nsOfficer.post('/api/v1/tasks', clearTask(l, { issuerUnitId: l.units.namSach.id, leadUnitId: l.units.anBinh.id, assigneeUserId: l.ids.abOfficer }));
      assert.equal(byOfficer.statusCode, 403);
      const upward = await l.as.nsLeader.post('/api/v1/tasks', clearTask(l));
      assert.equal(upward.statusCode, 403, 'a district does not issue in the province’s name');
      ok(await l.as.provinceOperator.post('/api/v1/tasks', clearTask(l)), 201);
    });

    test('split to An Bình, report 50%: the roll-up shows on the province’s list with the weights', async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      const parent = await issueTask(l.as.provinceLeader, clearTask(l, { title: 'Đường liên xã cuộn' }));
      const tooLate = await l.as.nsLeader.post(`/api/v1/tasks/${parent.id}/subtasks`, { title: 'Đoạn 1', leadUnitId: l.units.anBinh.id, dueOn: '2026-04-01' });
      assert.equal(tooLate.statusCode, 422, tooLate.body);
      assert.equal(tooLate.json().code, 'SUBTASK_DUE_AFTER_PARENT');
      const notLead = await l.as.tkLeader.post(`/api/v1/tasks/${parent.id}/subtasks`, { title: 'Đoạn 1' });
      assert.equal(notLead.statusCode, 404, 'Tứ Kỳ does not see the task');
      const byOfficer = await l.as.nsOfficer.post(`/api/v1/tasks/${parent.id}/subtasks`, { title: 'Đoạn 1' });
      assert.equal(byOfficer.statusCode, 403, 'the split is for the lead unit’s leaders and operators');

      const sub = { expectedResult: 'Xong mặt đường', dueOn: '2026-03-20' };
      const a = ok(await l.as.nsLeader.post(`/api/v1/tasks/${parent.id}/subtasks`, { ...sub, title: 'Đoạn qua An Bình', leadUnitId: l.units.anBinh.id, assigneeUserId: l.ids.abOfficer, weight: 2 }), 201);
      const b = ok(await l.as.nsLeader.post(`/api/v1/tasks/${parent.id}/subtasks`, { ...sub, title: 'Đoạn nội thị', leadUnitId: l.units.namSach.id, assigneeUserId: l.ids.nsOfficer, weight: 1 }), 201);
      assert.equal(a.issuerUnit.id, l.units.namSach.id, 'the sub-task is issued by the parent’s lead unit');
      assert.equal(a.parentId, parent.id);
      ok(await l.as.nsLeader.post(`/api/v1/tasks/${a.id}/issue`, { version: a.version }));
      ok(await l.as.nsLeader.post(`/api/v1/tasks/${b.id}/issue`, { version: b.version }));

      const reported = ok(await l.as.abOfficer.post(`/api/v1/tasks/${a.id}/reports`, { percent: 50, text: 'Xong nền đường', reportedOn: '2026-02-10' }), 201);
      assert.equal(reported.progress, 50);
      // (2 × 50 + 1 × 0) / 3 = 33.33
      const list = ok(await l.as.provinceLeader.get(`/api/v1/tasks?unitId=${l.units.namSach.id}&parentId=root&q=lien xa cuon`));
      assert.equal(list.total, 1);
      assert.equal(list.items[0].rolledProgress, 33.33);
      assert.equal(list.items[0].childCount, 2);
      const detail = ok(await l.as.provinceLeader.get(`/api/v1/tasks/${parent.id}`));
      assert.equal(detail.rollup.weightTotal, 3);
      assert.deepEqual(
        detail.rollup.parts.map((p: { code: string; weight: number; share: number; rolledProgress: number }) => [p.code, p.weight, p.share, p.rolledProgress]),
        [
          [a.code, 2, 0.6667, 50],
          [b.code, 1, 0.3333, 0],
        ],
      );
      assert.ok(detail.events.some((e: { type: string }) => e.type === 'rolled_up'));

      // A cancelled sub-task leaves the roll-up: 50%.
      const bNow = ok(await l.as.nsLeader.get(`/api/v1/tasks/${b.id}`));
      ok(await l.as.nsLeader.post(`/api/v1/tasks/${b.id}/cancel`, { version: bNow.version, reason: 'Gộp vào đoạn An Bình' }));
      assert.equal(ok(await l.as.provinceLeader.get(`/api/v1/tasks/${parent.id}`)).rolledProgress, 50);
    });

    test('cancelling a task cancels its open sub-tasks at every depth, not the completed ones; everyone concerned is told', async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      const parent = await issueTask(l.as.provinceLeader, clearTask(l, { title: 'Chỉnh trang đô thị' }));
      const sub = { expectedResult: 'Xong', dueOn: '2026-03-20' };
      const split = async (session: typeof l.as.nsLeader, of: number, body: Record<string, unknown>) => ok(await session.post(`/api/v1/tasks/${of}/subtasks`, { ...sub, ...body }), 201);
      const done = await split(l.as.nsLeader, parent.id, { title: 'Đoạn đã xong', leadUnitId: l.units.namSach.id, assigneeUserId: l.ids.nsOfficer });
      const open = await split(l.as.nsLeader, parent.id, { title: 'Đoạn đang làm', leadUnitId: l.units.anBinh.id, assigneeUserId: l.ids.abOfficer });
      const draft = await split(l.as.nsLeader, parent.id, { title: 'Đoạn còn dự thảo', leadUnitId: l.units.namSach.id });
      ok(await l.as.nsLeader.post(`/api/v1/tasks/${done.id}/issue`, { version: done.version }));
      ok(await l.as.nsLeader.post(`/api/v1/tasks/${open.id}/issue`, { version: open.version }));
      const deeper = await split(l.as.abLeader, open.id, { title: 'Thôn 1', leadUnitId: l.units.anBinh.id, assigneeUserId: l.ids.abOfficer, dueOn: '2026-03-10' });
      ok(await l.as.abLeader.post(`/api/v1/tasks/${deeper.id}/issue`, { version: deeper.version }));
      ok(await l.as.nsOfficer.post(`/api/v1/tasks/${done.id}/reports`, { percent: 100, text: 'Xong', reportedOn: '2026-02-10', submit: true }), 201);
      const submitted = ok(await l.as.nsLeader.get(`/api/v1/tasks/${done.id}`));
      ok(await l.as.nsLeader.post(`/api/v1/tasks/${done.id}/accept`, { version: submitted.version }));

      const before = ok(await l.as.provinceLeader.get(`/api/v1/tasks/${parent.id}`));
      const cancelled = ok(await l.as.provinceLeader.post(`/api/v1/tasks/${parent.id}/cancel`, { version: before.version, reason: 'Đổi phương án' }));
      assert.equal(cancelled.status, 'cancelled');
      const status = async (id: number) => ok(await l.as.provinceLeader.get(`/api/v1/tasks/${id}`)).status;
      assert.deepEqual(
        [await status(done.id), await status(open.id), await status(draft.id), await status(deeper.id)],
        ['completed', 'cancelled', 'cancelled', 'cancelled'],
      );
      const detail = ok(await l.as.provinceLeader.get(`/api/v1/tasks/${parent.id}`));
      const cascade = detail.events.find((e: { type: string }) => e.type === 'subtasks_cancelled');
      assert.deepEqual(cascade?.data.codes, [open.code, draft.code, deeper.code]);
      const child = ok(await l.as.provinceLeader.get(`/api/v1/tasks/${deeper.id}`));
      assert.equal(child.events.find((e: { type: string }) => e.type === 'cancelled')?.data.withParent, parent.code);
      // The assignee of the deepest one hears of it (a draft's people are not told).
      const { rows } = await sql<{ message: string }>`
        SELECT n.message FROM notifications n WHERE n.user_id = ${l.ids.abOfficer} AND n.kind = 'task_cancelled' ORDER BY n.id`.execute(t.db);
      assert.ok(rows.some((r) => r.message.includes(deeper.code) && r.message.includes(parent.code)), JSON.stringify(rows));
      const audits = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE module = 'tasks' AND action = 'cancel' AND entity_id = ANY(${[open.id, draft.id, deeper.id].map(String)}::text[])`.execute(t.db);
      assert.equal(audits.rows[0].n, 3);
    });

    test('progress reports: 0–100 only, lower than the last only with a reason; an officer outside the scope gets 403', async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      const task = await issueTask(l.as.provinceLeader, clearTask(l));
      const url = `/api/v1/tasks/${task.id}/reports`;
      for (const percent of [120, -5, 50.5]) {
        const res = await l.as.nsOfficer.post(url, { percent, text: 'Báo cáo', reportedOn: '2026-02-10' });
        assert.equal(res.statusCode, 422, res.body);
        assert.equal(res.json().code, 'PERCENT_OUT_OF_RANGE', String(percent));
      }
      ok(await l.as.nsOfficer.post(url, { percent: 60, text: 'Đạt 60%', reportedOn: '2026-02-10' }), 201);
      const lower = await l.as.nsOfficer.post(url, { percent: 40, text: 'Tính lại', reportedOn: '2026-02-10' });
      assert.equal(lower.statusCode, 422);
      assert.equal(lower.json().code, 'PROGRESS_DECREASE_NEEDS_REASON');
      ok(await l.as.nsOfficer.post(url, { percent: 40, text: 'Tính lại', reason: 'Đo đạc lại khối lượng', reportedOn: '2026-02-10' }), 201);

      const outside = await l.as.tkOfficer.post(url, { percent: 70, text: 'Không phải việc của tôi', reportedOn: '2026-02-10' });
      assert.equal(outside.statusCode, 403, outside.body);
      assert.equal(outside.json().code, 'FORBIDDEN');
      const reports = await sql<{ n: number }>`SELECT count(*)::int AS n FROM task_reports WHERE task_id = ${task.id}`.execute(t.db);
      assert.equal(reports.rows[0].n, 2, 'the refused reports wrote nothing');
      const future = await l.as.nsOfficer.post(url, { percent: 50, text: 'Sớm', reportedOn: '2026-02-11' });
      assert.equal(future.json().code, 'REPORTED_ON_IN_FUTURE');
    });

    test('the lifecycle: submit at 100%, return with a reason, submit again, accept; illegal steps refused', async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      const task = await issueTask(l.as.provinceLeader, clearTask(l));
      const early = await l.as.provinceLeader.post(`/api/v1/tasks/${task.id}/accept`, { version: task.version });
      assert.equal(early.statusCode, 409);
      assert.equal(early.json().code, 'TASK_INVALID_STATE');
      const notFull = await l.as.nsOfficer.post(`/api/v1/tasks/${task.id}/reports`, { percent: 90, text: 'Gần xong', reportedOn: '2026-02-10', submit: true });
      assert.equal(notFull.json().code, 'SUBMIT_NEEDS_FULL_PROGRESS');
      const submitted = ok(await l.as.nsOfficer.post(`/api/v1/tasks/${task.id}/reports`, { percent: 100, text: 'Xong', reportedOn: '2026-02-10', submit: true }), 201);
      assert.equal(submitted.status, 'submitted');
      const byOfficer = await l.as.nsOfficer.post(`/api/v1/tasks/${task.id}/accept`, { version: submitted.version });
      assert.equal(byOfficer.statusCode, 403, 'the result is accepted by the issuer');
      const returned = ok(await l.as.provinceLeader.post(`/api/v1/tasks/${task.id}/return`, { version: submitted.version, reason: 'Thiếu biên bản nghiệm thu' }));
      assert.equal(returned.status, 'in_progress');
      const stale = await l.as.provinceLeader.post(`/api/v1/tasks/${task.id}/cancel`, { version: submitted.version, reason: 'x' });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().code, 'TASK_VERSION_CONFLICT');
      const again = ok(await l.as.nsOfficer.post(`/api/v1/tasks/${task.id}/reports`, { percent: 100, text: 'Bổ sung biên bản', reportedOn: '2026-02-10', submit: true }), 201);
      await setClock(l.as.admin, '2026-02-12T15:00');
      const accepted = ok(await l.as.provinceLeader.post(`/api/v1/tasks/${task.id}/accept`, { version: again.version }));
      assert.equal(accepted.status, 'completed');
      assert.equal(accepted.timeliness, 'completed_on_time');
      assert.equal(accepted.rolledProgress, 100);
      const cancelDone = await l.as.provinceLeader.post(`/api/v1/tasks/${task.id}/cancel`, { version: accepted.version, reason: 'x' });
      assert.equal(cancelDone.json().code, 'TASK_INVALID_STATE');
      const locked = await l.as.provinceLeader.patch(`/api/v1/tasks/${task.id}`, { version: accepted.version, title: 'Đổi' });
      assert.equal(locked.json().code, 'TASK_INVALID_STATE');
      assert.deepEqual(await events(task.id), ['created', 'issued', 'reported', 'submitted', 'returned', 'reported', 'submitted', 'accepted']);
      const notices = await sql<{ kind: string; user_id: number }>`SELECT kind, user_id FROM notifications WHERE task_id = ${task.id} ORDER BY id`.execute(t.db);
      assert.ok(notices.rows.some((n) => n.kind === 'task_issued' && n.user_id === l.ids.nsOfficer), 'the assignee was told of the task');
      assert.ok(notices.rows.some((n) => n.kind === 'task_returned' && n.user_id === l.ids.nsOfficer));
      assert.ok(notices.rows.some((n) => n.kind === 'task_submitted' && n.user_id === l.ids.provinceLeader));
    });

    test('two people accept the same result at once: exactly one wins, the other gets 409 TASK_VERSION_CONFLICT', { skip: kind !== 'postgres' && 'PGlite has one connection: requests cannot overlap there' }, async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      for (let round = 0; round < 5; round++) {
        const task = await issueTask(l.as.provinceLeader, clearTask(l, { title: `Nghiệm thu đồng thời ${round}` }));
        const submitted = ok(await l.as.nsOfficer.post(`/api/v1/tasks/${task.id}/reports`, { percent: 100, text: 'Xong', reportedOn: '2026-02-10', submit: true }), 201);
        const answers = await Promise.all([l.as.provinceLeader, l.as.provinceOperator].map((s) => s.post(`/api/v1/tasks/${task.id}/accept`, { version: submitted.version })));
        const codes = answers.map((a) => a.statusCode).sort();
        assert.deepEqual(codes, [200, 409], answers.map((a) => a.body).join('\n'));
        assert.equal(answers.find((a) => a.statusCode === 409)?.json().code, 'TASK_VERSION_CONFLICT');
        assert.deepEqual((await events(task.id)).filter((e) => e === 'accepted'), ['accepted'], 'accepted once');
        assert.equal((await audits(task.id)).filter((a) => a === 'accept').length, 1);
      }
    });

    test('issued tasks keep their deadline, lead unit and result: only title, description, support units and assignee change', async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      const task = await issueTask(l.as.provinceLeader, clearTask(l));
      const locked = await l.as.provinceLeader.patch(`/api/v1/tasks/${task.id}`, { version: task.version, dueOn: '2026-04-30' });
      assert.equal(locked.statusCode, 422);
      assert.equal(locked.json().code, 'FIELD_LOCKED_AFTER_ISSUE');
      const renamed = ok(await l.as.provinceLeader.patch(`/api/v1/tasks/${task.id}`, { version: task.version, title: 'Tên mới', supportUnitIds: [l.units.anSon.id] }));
      assert.equal(renamed.title, 'Tên mới');
      assert.deepEqual(renamed.supportUnits.map((u: { id: number }) => u.id), [l.units.anSon.id]);
      assert.equal(renamed.version, task.version + 1);
    });

    test('timeliness as of a date: within before the deadline, overdue after it, and the SQL filter agrees', async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      const task = await issueTask(l.as.provinceLeader, clearTask(l, { title: 'Mốc hạn 13/02', dueOn: '2026-02-13' }));
      await setClock(l.as.admin, '2026-02-14T00:00');
      const now = ok(await l.as.provinceLeader.get(`/api/v1/tasks/${task.id}`));
      assert.equal(now.timeliness, 'in_progress_overdue');
      const asOf = (date: string, timeliness: string) =>
        l.as.provinceLeader.get(`/api/v1/tasks?q=${encodeURIComponent('Mốc hạn 13/02')}&asOf=${date}&timeliness=${timeliness}`);
      const within = ok(await asOf('2026-02-13', 'in_progress_within'));
      assert.deepEqual([within.total, within.items[0]?.timeliness], [1, 'in_progress_within']);
      assert.equal(ok(await asOf('2026-02-13', 'in_progress_overdue')).total, 0);
      const overdue = ok(await asOf('2026-02-14', 'in_progress_overdue'));
      assert.deepEqual([overdue.total, overdue.items[0]?.timeliness], [1, 'in_progress_overdue']);
      assert.equal(ok(await asOf('2026-02-09', 'in_progress_within,in_progress_overdue')).total, 0, 'not issued yet on the 9th');
      const wrong = await l.as.provinceLeader.get('/api/v1/tasks?timeliness=late');
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().code, 'INVALID_FILTER');
    });

    test('extensions: one pending at a time; approval moves the deadline, keeps the original and the history as of before', async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      const task = await issueTask(l.as.provinceLeader, clearTask(l, { dueOn: '2026-02-13' }));
      const url = `/api/v1/tasks/${task.id}/extensions`;
      const tet = await l.as.nsOfficer.post(url, { dueOn: '2026-02-18', reason: 'Vướng Tết' });
      assert.equal(tet.statusCode, 409);
      assert.equal(tet.json().code, 'DUE_NOT_WORKING_DAY');
      const outside = await l.as.tkOfficer.post(url, { dueOn: '2026-02-27', reason: 'x' });
      assert.equal(outside.statusCode, 403);
      const ext = ok(await l.as.nsOfficer.post(url, { dueOn: '2026-02-27', reason: 'Chờ vật liệu sau Tết' }), 201);
      assert.equal(ext.status, 'pending');
      const second = await l.as.nsOfficer.post(url, { dueOn: '2026-03-06', reason: 'Thêm' });
      assert.equal(second.statusCode, 409);
      assert.equal(second.json().code, 'EXTENSION_PENDING');
      // Approved on the 16th (Tết), after the old deadline passed.
      await setClock(l.as.admin, '2026-02-16T10:00');
      const approved = ok(await l.as.provinceLeader.post(`/api/v1/tasks/${task.id}/extensions/${ext.id}/decision`, { approve: true, note: 'Đồng ý' }));
      assert.equal(approved.dueOn, '2026-02-27');
      assert.equal(approved.originalDueOn, '2026-02-13');
      assert.equal(approved.timeliness, 'in_progress_within');
      const twice = await l.as.provinceLeader.post(`/api/v1/tasks/${task.id}/extensions/${ext.id}/decision`, { approve: false });
      assert.equal(twice.json().code, 'EXTENSION_DECIDED');
      // As of the 14th the old deadline was in force: overdue then.
      const then = ok(await l.as.provinceLeader.get(`/api/v1/tasks?q=${task.code}&asOf=2026-02-14`));
      assert.equal(then.items[0].timeliness, 'in_progress_overdue');
      const sqlThen = await sql<{ tl: string }>`SELECT task_timeliness(issued_at, completed_at, cancelled_at, due_on, due_changed_at, due_before, ${new Date('2026-02-14T12:00:00+07:00')}::timestamptz) AS tl FROM tasks WHERE id = ${task.id}`.execute(t.db);
      assert.equal(sqlThen.rows[0].tl, 'in_progress_overdue');
      const detail = ok(await l.as.nsOfficer.get(`/api/v1/tasks/${task.id}`));
      assert.deepEqual(detail.extensions.map((x: { status: string; previousDueOn: string }) => [x.status, x.previousDueOn]), [['approved', '2026-02-13']]);
    });

    test('comments and watchers: a watcher from outside the scope sees the task; the history holds every change', async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      const task = await issueTask(l.as.provinceLeader, clearTask(l));
      assert.equal((await l.as.tkOfficer.get(`/api/v1/tasks/${task.id}`)).statusCode, 404);
      assert.equal((await l.as.tkOfficer.request({ method: 'PUT', url: `/api/v1/tasks/${task.id}/watch` })).statusCode, 404);
      assert.equal((await l.as.nsLeader.request({ method: 'PUT', url: `/api/v1/tasks/${task.id}/watch` })).statusCode, 204);
      const comment = ok(await l.as.provinceLeader.post(`/api/v1/tasks/${task.id}/comments`, { text: 'Đề nghị đẩy nhanh tiến độ' }), 201);
      assert.equal(comment.text, 'Đề nghị đẩy nhanh tiến độ');
      const detail = ok(await l.as.nsLeader.get(`/api/v1/tasks/${task.id}`));
      assert.equal(detail.watching, true);
      assert.deepEqual(detail.comments.map((c: { text: string }) => c.text), ['Đề nghị đẩy nhanh tiến độ']);
      assert.equal(detail.can.split, true);
      assert.equal(detail.can.accept, false);
      const watching = ok(await l.as.nsLeader.get('/api/v1/tasks?role=watching'));
      assert.deepEqual(watching.items.map((x: { id: number }) => x.id), [task.id]);
      const notes = ok(await l.as.nsLeader.get('/api/v1/feedback/notifications'));
      const note = notes.items.find((n: { taskId: number | null }) => n.taskId === task.id);
      assert.ok(note, JSON.stringify(notes.items));
      assert.equal(note.taskCode, task.code);
      assert.equal((await l.as.nsLeader.request({ method: 'DELETE', url: `/api/v1/tasks/${task.id}/watch` })).statusCode, 204);
      assert.equal(ok(await l.as.nsLeader.get(`/api/v1/tasks/${task.id}`)).watching, false);
    });

    test('reminders: 3 working days before the deadline across Tết, and each working day overdue, once each', async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      // Due Monday 23 February: 3 working days before is Wednesday 11 February (12, 13, 23 remain).
      const task = await issueTask(l.as.provinceLeader, clearTask(l, { title: 'Nhắc hạn qua Tết', dueOn: '2026-02-23' }));
      ok(await l.as.nsLeader.request({ method: 'PUT', url: `/api/v1/tasks/${task.id}/watch` }), 204);
      const sweep = t.app.services.taskSweep;
      const notices = async (kind: string) =>
        (await sql<{ user_id: number }>`SELECT user_id FROM notifications WHERE task_id = ${task.id} AND kind = ${kind} ORDER BY user_id`.execute(t.db)).rows.map((r) => r.user_id);
      await sweep.run(new Date('2026-02-10T09:00:00+07:00'));
      assert.deepEqual(await notices('task_due_soon'), [], 'four working days before: not yet');
      await sweep.run(new Date('2026-02-11T08:00:00+07:00'));
      assert.deepEqual(await notices('task_due_soon'), [l.ids.nsLeader, l.ids.nsOfficer].sort((a, b) => a - b), 'the assignee, Nam Sách’s leader (also a watcher) once');
      await sweep.run(new Date('2026-02-11T09:00:00+07:00'));
      await sweep.run(new Date('2026-02-12T09:00:00+07:00'));
      assert.equal((await notices('task_due_soon')).length, 2, 'once per deadline');
      await sweep.run(new Date('2026-02-24T09:00:00+07:00'));
      await sweep.run(new Date('2026-02-24T15:00:00+07:00'));
      assert.equal((await notices('task_overdue')).length, 2, 'overdue: once on the 24th');
      await sweep.run(new Date('2026-02-28T09:00:00+07:00'));
      assert.equal((await notices('task_overdue')).length, 2, 'Saturday: no reminder');
      await sweep.run(new Date('2026-03-02T09:00:00+07:00'));
      assert.equal((await notices('task_overdue')).length, 4, 'Monday: again');
      const { rows } = await sql<{ kind: string; on_date: string }>`SELECT kind, on_date FROM task_reminders WHERE task_id = ${task.id} ORDER BY kind, on_date`.execute(t.db);
      assert.deepEqual(rows.map((r) => [r.kind, r.on_date]), [['due_soon', '2026-02-23'], ['overdue', '2026-02-24'], ['overdue', '2026-03-02']]);
    });

    test('the scorecard counts each district’s subtree and ranks by the on-time rate; exports are spreadsheets', async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      const card = ok(await l.as.provinceLeader.get(`/api/v1/tasks/scorecard?unitId=${l.units.province.id}&from=2026-01-01&to=2026-12-31`));
      const ns = card.rows.find((r: { unit: { id: number } }) => r.unit.id === l.units.namSach.id);
      const tk = card.rows.find((r: { unit: { id: number } }) => r.unit.id === l.units.tuKy.id);
      const inDb = await sql<{ tl: string | null; n: number }>`
        SELECT task_timeliness(t.issued_at, t.completed_at, t.cancelled_at, t.due_on, t.due_changed_at, t.due_before, ${new Date(card.asOf)}::timestamptz) AS tl, count(*)::int AS n
        FROM tasks t JOIN org_units o ON o.id = t.lead_unit_id WHERE o.path LIKE ${`${l.units.namSach.path}%`} AND t.issued_at IS NOT NULL GROUP BY 1`.execute(t.db);
      const expected = Object.fromEntries(inDb.rows.filter((r) => r.tl !== null).map((r) => [r.tl, r.n]));
      assert.ok(ns.total > 0);
      assert.deepEqual(
        { completed_on_time: ns.completedOnTime, completed_late: ns.completedLate, in_progress_within: ns.inProgressWithin, in_progress_overdue: ns.inProgressOverdue },
        { completed_on_time: 0, completed_late: 0, in_progress_within: 0, in_progress_overdue: 0, ...expected },
      );
      assert.equal(ns.completedOnTime, expected.completed_on_time ?? 0);
      assert.equal(ns.inProgressWithin, expected.in_progress_within ?? 0);
      assert.equal(ns.total, Object.values(expected).reduce((a: number, b) => a + (b as number), 0));
      assert.deepEqual([tk.total, tk.onTimeRate, tk.rank], [0, null, null]);
      assert.equal(card.total.total, ns.total + tk.total);
      const denied = await l.as.nsLeader.get(`/api/v1/tasks/scorecard?unitId=${l.units.tuKy.id}`);
      assert.equal(denied.statusCode, 403);
      const sheet = await readXlsx(await l.as.provinceLeader.get(`/api/v1/tasks/scorecard.xlsx?unitId=${l.units.province.id}&from=2026-01-01&to=2026-12-31`));
      assert.equal(sheet[0][0], 'Đơn vị');
      assert.ok(sheet.some((row) => row[0] === 'Huyện Nam Sách' && row[1] === String(ns.total)));
      const list = await readXlsx(await l.as.provinceLeader.get(`/api/v1/tasks/export.xlsx?unitId=${l.units.namSach.id}&parentId=root`));
      const json = ok(await l.as.provinceLeader.get(`/api/v1/tasks?unitId=${l.units.namSach.id}&parentId=root&pageSize=200`));
      assert.equal(list.length - 1, json.total);
      assert.equal(list[0][0], 'Mã');
    });

    test('lists: scope, filters, sort and paging', async () => {
      const tkList = ok(await l.as.tkOfficer.get('/api/v1/tasks'));
      assert.equal(tkList.total, 0, 'Tứ Kỳ sees none of Nam Sách’s tasks');
      assert.equal(ok(await l.as.tkOfficer.get(`/api/v1/tasks?unitId=${l.units.namSach.id}`)).total, 0);
      const all = ok(await l.as.nsOfficer.get('/api/v1/tasks?pageSize=200&sort=-dueOn'));
      assert.ok(all.total > 3);
      const dues = all.items.map((x: { dueOn: string | null }) => x.dueOn).filter(Boolean);
      assert.deepEqual(dues, [...dues].sort().reverse());
      const page2 = ok(await l.as.nsOfficer.get('/api/v1/tasks?pageSize=2&page=2&sort=code'));
      assert.deepEqual(page2.items.map((x: { id: number }) => x.id), [...all.items].sort((a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code)).slice(2, 4).map((x: { id: number }) => x.id));
      const drafts = ok(await l.as.provinceLeader.get('/api/v1/tasks?status=draft&pageSize=200'));
      assert.ok(drafts.items.every((x: { status: string; timeliness: string | null }) => x.status === 'draft' && x.timeliness === null));
      const assigned = ok(await l.as.abOfficer.get('/api/v1/tasks?role=assigned'));
      assert.ok(assigned.items.length > 0 && assigned.items.every((x: { assignee: { id: number } }) => x.assignee.id === l.ids.abOfficer));
      assert.equal((await l.as.nsOfficer.get('/api/v1/tasks?sort=secret')).json().code, 'INVALID_SORT');
      assert.equal((await l.as.nsOfficer.get('/api/v1/tasks?pageSize=500')).statusCode, 400);
    });

    test('the test clock is for administrators, and exists only with TEST_CLOCK=1', async () => {
      const res = await l.as.provinceLeader.request({ method: 'PUT', url: '/api/v1/test/clock', payload: { now: new Date().toISOString() } });
      assert.equal(res.statusCode, 403);
      const plain = await buildTestApp(kind);
      try {
        assert.deepEqual(plain.app.printRoutes().includes('clock'), false);
      } finally {
        await plain.close();
      }
    });

    test('other modules: issueFromSource issues in the caller’s transaction; bySource reads the task back', async () => {
      await setClock(l.as.admin, '2026-02-10T09:00');
      const tasks = t.app.services.tasks;
      const actor = { kind: 'user' as const, userId: l.ids.provinceLeader, apiKeyId: null, username: 'tk.provinceLeader', grants: [], sessionId: null, csrfToken: null, ip: '127.0.0.1' };
      const input = {
        kind: 'breakthrough' as const, sourceKind: 'breakthrough' as const, sourceId: 4242, sourceRef: 'ĐP-2026-01', issuerUnitId: l.units.province.id,
        leadUnitId: l.units.namSach.id, assigneeUserId: l.ids.nsOfficer, title: 'Công việc đột phá: đường liên xã', expectedResult: '9 km', dueOn: '2026-02-17',
      };
      const { id, code } = await t.db.transaction().execute((trx) => tasks.issueFromSource(trx, actor, input));
      assert.match(code, /^NV-2026-/);
      const bySource = await tasks.bySource('breakthrough', [4242, 99]);
      assert.deepEqual([...bySource.keys()], [4242]);
      const task = bySource.get(4242);
      assert.deepEqual([task?.id, task?.status, task?.kind, task?.dueOn], [id, 'in_progress', 'breakthrough', '2026-02-23']);
      await assert.rejects(
        t.db.transaction().execute((trx) => tasks.issueFromSource(trx, actor, { ...input, sourceId: 4343, dueOn: null })),
        (err: { code?: string }) => err.code === 'TASK_NOT_CLEAR',
      );
      assert.equal((await tasks.bySource('breakthrough', [4343])).size, 0, 'rolled back with the caller');
    });
  });
}
