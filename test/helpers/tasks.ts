import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { type Session, type TestApp, makeUnit, makeUser, signIn } from './app.js';

type Unit = Awaited<ReturnType<typeof makeUnit>>;

/**
 * A small locality for the tasks module: the province, Nam Sách district with An Bình commune,
 * and Tứ Kỳ district beside it; a leader, an operator and officers at each level; the province's
 * administrator (the test clock, settings). Codes and usernames carry `prefix` so that several
 * localities can live in one database.
 */
export async function taskLocality(t: TestApp, prefix = 'tk') {
  const province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: `${prefix}-HD` });
  const namSach = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Nam Sách', code: `${prefix}-NS` });
  const anBinh = await makeUnit(t.db, { parent: namSach, kind: 'commune', name: 'Xã An Bình', code: `${prefix}-NS-AB` });
  const anSon = await makeUnit(t.db, { parent: namSach, kind: 'commune', name: 'Xã An Sơn', code: `${prefix}-NS-AS` });
  const tuKy = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Tứ Kỳ', code: `${prefix}-TK` });
  const people = {
    admin: { unit: province, role: 'administrator' as const },
    provinceLeader: { unit: province, role: 'leader' as const },
    provinceOperator: { unit: province, role: 'operator' as const },
    nsLeader: { unit: namSach, role: 'leader' as const },
    nsOfficer: { unit: namSach, role: 'officer' as const },
    abLeader: { unit: anBinh, role: 'leader' as const },
    abOfficer: { unit: anBinh, role: 'officer' as const },
    tkOfficer: { unit: tuKy, role: 'officer' as const },
    tkLeader: { unit: tuKy, role: 'leader' as const },
  };
  type Name = keyof typeof people;
  const ids = {} as Record<Name, number>;
  const as = {} as Record<Name, Session>;
  for (const [name, p] of Object.entries(people) as [Name, (typeof people)[Name]][]) {
    ids[name] = (await makeUser(t.db, { unit: p.unit, role: p.role, username: `${prefix}.${name}`, fullName: `Người ${name}` })).id;
    as[name] = await signIn(t.app, `${prefix}.${name}`);
  }
  return { units: { province, namSach, anBinh, anSon, tuKy } as Record<string, Unit>, ids, as };
}

export type TaskLocality = Awaited<ReturnType<typeof taskLocality>>;

/** Sets the server's clock (TEST_CLOCK=1) to a Vietnam wall-clock time, e.g. '2026-02-10T09:00'. */
export async function setClock(admin: Session, local: string) {
  const res = await admin.request({ method: 'PUT', url: '/api/v1/test/clock', payload: { now: new Date(`${local}:00+07:00`).toISOString() } });
  assert.equal(res.statusCode, 200, res.body);
}

export function ok(res: LightMyRequestResponse, status = 200) {
  assert.equal(res.statusCode, status, res.body);
  return res.body ? res.json() : null;
}

/** A task issued by the province to Nam Sách, clear on the five points. */
export function clearTask(l: TaskLocality, overrides: Record<string, unknown> = {}) {
  return {
    issuerUnitId: l.units.province.id,
    leadUnitId: l.units.namSach.id,
    assigneeUserId: l.ids.nsOfficer,
    title: 'Hoàn thành tuyến đường trục Đông – Tây',
    expectedResult: 'Thông xe 9 km đường',
    dueOn: '2026-03-31',
    ...overrides,
  };
}

/** Drafts and issues; returns the issued task. */
export async function issueTask(issuer: Session, body: Record<string, unknown>, moveToWorkingDay?: boolean) {
  const draft = ok(await issuer.post('/api/v1/tasks', body), 201);
  return ok(await issuer.post(`/api/v1/tasks/${draft.id}/issue`, { version: draft.version, ...(moveToWorkingDay ? { moveToWorkingDay } : {}) }));
}

// ---- the scope test's block (test/integration/scope.test.ts) ----

type Res = LightMyRequestResponse;
type Who = 'adminA' | 'officerA';

/** What the scope test lends the tasks block: its actors, its units and its assertions. */
export interface ScopeKit {
  as: (who: Who) => Session;
  assertDenied: (res: Res, what: string) => void;
  assertDeniedOrEmpty: (res: Res, what: string) => void;
  assertNoB: (res: Res, what: string) => void;
  assertExportHasNoB: (res: Res, what: string, mustContainA: boolean) => Promise<void>;
}

export interface ScopeWorld {
  t: TestApp;
  province: Unit;
  districtA: Unit;
  districtB: Unit;
  officerA: number;
  userB: number;
}

/**
 * Tasks in the permission test: the province issues one task to district A ("AMARK", assigned to
 * A's officer) and one to district B ("BMARK"), the latter with a report, a comment and a pending
 * extension; A's administrator and A's officer must reach none of B's.
 */
export function taskScope(kit: ScopeKit) {
  const w = {} as ScopeWorld & { taskA: number; taskB: number; codeB: string; extensionB: number; versionA: number };
  const { as, assertDenied, assertDeniedOrEmpty, assertNoB, assertExportHasNoB } = kit;
  const url = (id: number, rest = '') => `/api/v1/tasks/${id}${rest}`;

  async function setup(world: ScopeWorld) {
    Object.assign(w, world);
    const { t } = world;
    await makeUser(t.db, { unit: world.province, role: 'leader', username: 'sc.tasks.leader', fullName: 'Lãnh đạo tỉnh' });
    const leader = await signIn(t.app, 'sc.tasks.leader');
    const calendar = await t.app.services.calendar.calendar();
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const dueOn = calendar.addWorkingDays(today, 20);
    const common = { issuerUnitId: world.province.id, dueOn };
    const a = await issueTask(leader, { ...common, leadUnitId: world.districtA.id, assigneeUserId: world.officerA, title: 'Nhiệm vụ AMARK', expectedResult: 'Kết quả AMARK' });
    const b = await issueTask(leader, { ...common, leadUnitId: world.districtB.id, assigneeUserId: world.userB, title: 'Nhiệm vụ BMARK', expectedResult: 'Kết quả BMARK' });
    ok(await leader.post(url(b.id, '/reports'), { percent: 30, text: 'Báo cáo BMARK', reportedOn: today }), 201);
    ok(await leader.post(url(b.id, '/comments'), { text: 'Bình luận BMARK' }), 201);
    const extension = ok(await leader.post(url(b.id, '/extensions'), { dueOn: calendar.addWorkingDays(dueOn, 5), reason: 'Gia hạn BMARK' }), 201);
    Object.assign(w, { taskA: a.id, versionA: a.version, taskB: b.id, codeB: b.code, extensionB: extension.id });
  }

  /** Everything of tasks a probe could change. */
  async function state(db: TestApp['db']) {
    const { sql } = await import('kysely');
    return (
      await sql`SELECT (SELECT json_agg(x ORDER BY x.id) FROM (SELECT id, status, version, title, due_on, progress, rolled_progress, assignee_user_id, lead_unit_id FROM tasks) x) AS tasks,
        (SELECT count(*) FROM task_events) AS events, (SELECT count(*) FROM task_reports) AS reports, (SELECT count(*) FROM task_comments) AS comments,
        (SELECT json_agg(e ORDER BY e.id) FROM (SELECT id, status, requested_due_on FROM task_extensions) e) AS extensions,
        (SELECT json_agg(v ORDER BY v.task_id, v.user_id) FROM task_watchers v) AS watchers,
        (SELECT json_agg(s) FROM (SELECT six_clears, reminder_days_before FROM task_settings) s) AS settings`.execute(db)
    ).rows;
  }

  const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

  const probes: Record<string, (who: Who) => Promise<void>> = {
    'GET /api/v1/tasks': async (who) => {
      const s = as(who);
      const all = await s.get('/api/v1/tasks?pageSize=200');
      assert.equal(all.statusCode, 200, all.body);
      assertNoB(all, 'the whole list');
      assert.deepEqual(all.json().items.map((x: { id: number }) => x.id), [w.taskA], 'A sees its own task, and only it');
      assertDeniedOrEmpty(await s.get(`/api/v1/tasks?unitId=${w.districtB.id}`), 'unitId=B');
      assertDeniedOrEmpty(await s.get(`/api/v1/tasks?q=${w.codeB}`), 'q=B’s code');
      assertDeniedOrEmpty(await s.get(`/api/v1/tasks?unitId=${w.province.id}&q=bmark`), 'unitId=province, q=B');
      assertDeniedOrEmpty(await s.get(`/api/v1/tasks?role=issued&unitId=${w.districtB.id}`), 'issued to B');
      assertDeniedOrEmpty(await s.get(`/api/v1/tasks?assigneeId=${w.userB}`), 'B’s assignee');
      assertDeniedOrEmpty(await s.get(`/api/v1/tasks?parentId=${w.taskB}`), 'B’s sub-tasks');
    },
    'GET /api/v1/tasks/export.xlsx': async (who) => {
      await assertExportHasNoB(await as(who).get('/api/v1/tasks/export.xlsx'), 'export', true);
      await assertExportHasNoB(await as(who).get(`/api/v1/tasks/export.xlsx?unitId=${w.districtB.id}`), 'export unitId=B', false);
    },
    'GET /api/v1/tasks/:id': async (who) => {
      assertDenied(await as(who).get(url(w.taskB)), 'B’s task');
      assert.equal((await as(who).get(url(w.taskA))).statusCode, 200, 'A’s own task');
    },
    'GET /api/v1/tasks/scorecard': async (who) => {
      const s = as(who);
      for (const unitId of [w.districtB.id, w.province.id]) assertDenied(await s.get(`/api/v1/tasks/scorecard?unitId=${unitId}`), `scorecard of ${unitId}`);
      const own = await s.get('/api/v1/tasks/scorecard');
      assert.equal(own.statusCode, 200, own.body);
      assertNoB(own, 'A’s scorecard');
      assert.equal(own.json().unit.id, w.districtA.id);
    },
    'GET /api/v1/tasks/scorecard.xlsx': async (who) => {
      assertDenied(await as(who).get(`/api/v1/tasks/scorecard.xlsx?unitId=${w.districtB.id}`), 'B’s scorecard export');
      await assertExportHasNoB(await as(who).get('/api/v1/tasks/scorecard.xlsx'), 'scorecard export', true);
    },
    'GET /api/v1/tasks/settings': async (who) => {
      const res = await as(who).get('/api/v1/tasks/settings');
      assert.equal(res.statusCode, 200, res.body);
      assertNoB(res, 'settings');
    },
    'PUT /api/v1/tasks/settings': async (who) => {
      assertDenied(await as(who).request({ method: 'PUT', url: '/api/v1/tasks/settings', payload: { sixClears: true, reminderDaysBefore: 5 } }), 'the locality’s settings');
    },
    'POST /api/v1/tasks': async (who) => {
      const body = { title: 'Giao việc BMARK', leadUnitId: w.districtB.id };
      assertDenied(await as(who).post('/api/v1/tasks', { ...body, issuerUnitId: w.districtB.id }), 'issued by B');
      assertDenied(await as(who).post('/api/v1/tasks', { ...body, issuerUnitId: w.province.id }), 'issued by the province');
    },
    'PATCH /api/v1/tasks/:id': async (who) => {
      assertDenied(await as(who).patch(url(w.taskB), { version: 1, title: 'Đổi BMARK' }), 'edit B’s task');
    },
    'POST /api/v1/tasks/:id/issue': async (who) => assertDenied(await as(who).post(url(w.taskB, '/issue'), { version: 1 }), 'issue B’s'),
    'POST /api/v1/tasks/:id/subtasks': async (who) => assertDenied(await as(who).post(url(w.taskB, '/subtasks'), { title: 'Con BMARK' }), 'split B’s'),
    'POST /api/v1/tasks/:id/reports': async (who) =>
      assertDenied(await as(who).post(url(w.taskB, '/reports'), { percent: 90, text: 'Báo cáo hộ', reportedOn: today() }), 'report on B’s'),
    'POST /api/v1/tasks/:id/accept': async (who) => assertDenied(await as(who).post(url(w.taskB, '/accept'), { version: 1 }), 'accept B’s'),
    'POST /api/v1/tasks/:id/return': async (who) => assertDenied(await as(who).post(url(w.taskB, '/return'), { version: 1, reason: 'x' }), 'return B’s'),
    'POST /api/v1/tasks/:id/cancel': async (who) => assertDenied(await as(who).post(url(w.taskB, '/cancel'), { version: 1, reason: 'x' }), 'cancel B’s'),
    'POST /api/v1/tasks/:id/extensions': async (who) =>
      assertDenied(await as(who).post(url(w.taskB, '/extensions'), { dueOn: '2030-01-02', reason: 'x' }), 'extend B’s'),
    'POST /api/v1/tasks/:id/extensions/:extensionId/decision': async (who) => {
      assertDenied(await as(who).post(url(w.taskB, `/extensions/${w.extensionB}/decision`), { approve: true }), 'decide B’s extension');
      assertDenied(await as(who).post(url(w.taskA, `/extensions/${w.extensionB}/decision`), { approve: true }), 'B’s extension through A’s task');
    },
    'POST /api/v1/tasks/:id/comments': async (who) => assertDenied(await as(who).post(url(w.taskB, '/comments'), { text: 'Xem trộm' }), 'comment on B’s'),
    'PUT /api/v1/tasks/:id/watch': async (who) => assertDenied(await as(who).request({ method: 'PUT', url: url(w.taskB, '/watch') }), 'watch B’s'),
    'DELETE /api/v1/tasks/:id/watch': async (who) => assertDenied(await as(who).delete(url(w.taskB, '/watch')), 'unwatch B’s'),
  };

  /** The directing writes an officer of A may not do even on A's own task. */
  function officerWrites(officer: Session): Record<string, () => Promise<Res>> {
    return {
      'POST /api/v1/tasks': () => officer.post('/api/v1/tasks', { issuerUnitId: w.districtA.id, title: 'Tự giao' }),
      'PATCH /api/v1/tasks/:id': () => officer.patch(url(w.taskA), { version: w.versionA, title: 'Đổi' }),
      'POST /api/v1/tasks/:id/issue': () => officer.post(url(w.taskA, '/issue'), { version: w.versionA }),
      'POST /api/v1/tasks/:id/subtasks': () => officer.post(url(w.taskA, '/subtasks'), { title: 'Con' }),
      'POST /api/v1/tasks/:id/accept': () => officer.post(url(w.taskA, '/accept'), { version: w.versionA }),
      'POST /api/v1/tasks/:id/return': () => officer.post(url(w.taskA, '/return'), { version: w.versionA, reason: 'x' }),
      'POST /api/v1/tasks/:id/cancel': () => officer.post(url(w.taskA, '/cancel'), { version: w.versionA, reason: 'x' }),
      'PUT /api/v1/tasks/settings': () => officer.request({ method: 'PUT', url: '/api/v1/tasks/settings', payload: { sixClears: true, reminderDaysBefore: 5 } }),
    };
  }

  /** Reporting, asking for more time, commenting and following are an officer's work on their own tasks. */
  const work = ['POST /api/v1/tasks/:id/reports', 'POST /api/v1/tasks/:id/extensions', 'POST /api/v1/tasks/:id/comments', 'PUT /api/v1/tasks/:id/watch', 'DELETE /api/v1/tasks/:id/watch'];

  return { setup, state, probes, officerWrites, work };
}
