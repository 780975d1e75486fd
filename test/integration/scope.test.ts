import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { inTransaction } from '../../src/db/kysely.js';
import { writeDossiers } from '../../src/modules/dossiers/writer.js';
import { businessDateOf } from '../../src/platform/calendar/businessTime.js';
import { type Session, TEST_PASSWORD, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { upload as uploadDossiers, waitForRun } from '../helpers/dossier-ingest.js';
import { gpsPhoto, submitReport } from '../helpers/feedback.js';
import { apiRouteKeys } from '../helpers/routes.js';
import { taskScope } from '../helpers/tasks.js';
import { multipartFile, readXlsx } from '../helpers/xlsx.js';

/**
 * THE permission test. A province with two districts: A's administrator and A's officer try
 * every /api/v1 route against district B's records (by id, by list filter, by export, by the
 * live event stream) and must get a refusal or nothing, with nothing anywhere changed.
 *
 * Everything of B carries the marker "BMARK" in its names, so "nothing of B in this answer" is
 * checked on the whole body (JSON, error message or spreadsheet), not only on the fields a test
 * thought of; A's records carry "AMARK", so an answer that is empty by mistake fails too.
 */

type Unit = Awaited<ReturnType<typeof makeUnit>>;
type Res = LightMyRequestResponse;
type ActorName = 'adminA' | 'officerA';

const B_MARK = 'bmark';
const A_MARK = 'amark';

/** The answer holds nothing of B: no marker in the body, whatever its shape. */
function assertNoB(res: Res, what: string) {
  assert.ok(res.statusCode < 500, `${what}: ${res.statusCode} ${res.body}`);
  assert.equal(res.body.toLowerCase().includes(B_MARK), false, `${what} leaks B: ${res.body.slice(0, 500)}`);
}

/** Refused: 403 or 404, in the error shape, without echoing anything of B. */
function assertDenied(res: Res, what: string) {
  assert.ok(res.statusCode === 403 || res.statusCode === 404, `${what}: expected 403/404, got ${res.statusCode} ${res.body}`);
  assert.ok(['FORBIDDEN', 'NOT_FOUND'].includes(res.json().code), `${what}: ${res.body}`);
  assertNoB(res, what);
}

/** Refused, or an empty list: never B's rows. */
function assertDeniedOrEmpty(res: Res, what: string) {
  if (res.statusCode === 200) {
    assert.deepEqual([res.json().items.length, res.json().total ?? 0], [0, 0], `${what}: ${res.body.slice(0, 500)}`);
    return;
  }
  assertDenied(res, what);
}

for (const kind of await testBackends()) {
  describe(`scope: district A cannot reach district B on ${kind}`, () => {
    let t: TestApp;
    let province: Unit;
    let districtA: Unit;
    let districtB: Unit;
    let communeA: Unit;
    let communeB: Unit;
    let root: Session;
    const actors = {} as Record<ActorName | 'citizenA' | 'userB', Session>;
    const ids = {} as { adminA: number; officerA: number; citizenA: number; userA: number; userB: number; root: number; keyA: number; keyB: number; exception: number };
    /** Citizen reports (feedback): A's and B's, each assigned to its own commune; B's has a photo and a notification. */
    const fb = {} as { categoryId: number; reportA: number; reportB: number; codeB: string; photoB: number; photoKeyB: string; notificationB: number };
    /** Administrative dossiers: one in each commune, late (received 40 working days ago, due 30 ago) and still open. */
    const dsr = {} as { lateA: number; lateB: number; sourceId: number; procedureId: number; importA: number; importB: number; keyASecret: string };
    let userBGrantId: number;
    let rootAdminGrantId: number;
    let bUnitIds: Set<number>;

    const usernames: Record<ActorName | 'citizenA', string> = { adminA: 'sc.admin.a', officerA: 'sc.officer.a', citizenA: 'sc.citizen.a' };
    const actorIds = () => [ids.adminA, ids.officerA, ids.citizenA];

    /**
     * What any probe could have changed: every unit, account, grant, key, lock, calendar
     * exception and other people's sessions (columns that move by themselves left out).
     */
    async function state() {
      const db = t.db;
      return {
        units: await db.selectFrom('org_units').select(['id', 'code', 'name', 'kind', 'parent_id', 'path', 'level', 'active', 'lat', 'lng', 'boundary']).orderBy('id').execute(),
        users: (await db.selectFrom('users').select(['id', 'username', 'full_name', 'email', 'phone', 'org_unit_id', 'active', 'password_hash']).orderBy('id').execute()).map(
          // The probing actors may change their own password; nobody else's may change.
          (u) => (actorIds().includes(u.id) ? { ...u, password_hash: 'own' } : u),
        ),
        grants: await db.selectFrom('user_grants').select(['id', 'user_id', 'role', 'org_unit_id']).orderBy('id').execute(),
        keys: await db.selectFrom('api_keys').select(['id', 'name', 'prefix', 'secret_hash', 'role', 'org_unit_id', 'revoked_at']).orderBy('id').execute(),
        throttle: await db.selectFrom('login_throttle').select(['username', 'failures', 'locked_until']).orderBy('username').execute(),
        exceptions: await db.selectFrom('calendar_exceptions').select(['id', 'date', 'kind', 'name']).orderBy('id').execute(),
        sessions: await db.selectFrom('sessions').select(['id', 'user_id', 'expires_at']).where('user_id', 'not in', actorIds()).orderBy('id').execute(),
        feedback: (
          await sql`SELECT (SELECT json_agg(r ORDER BY r.id) FROM (SELECT id, status, unit_id, urgent, deadline, rating, merged_into, answer FROM feedback_reports) r) AS reports,
            (SELECT json_agg(c ORDER BY c.id) FROM (SELECT id, code, name, active, deadline_days FROM feedback_categories) c) AS categories,
            (SELECT json_agg(p ORDER BY p.id) FROM (SELECT id, verified FROM feedback_photos) p) AS photos,
            (SELECT count(*) FROM feedback_events) AS events, (SELECT count(*) FROM feedback_extensions) AS extensions,
            (SELECT json_agg(n ORDER BY n.id) FROM (SELECT id, read_at FROM notifications WHERE user_id IS DISTINCT FROM ${ids.adminA} AND user_id IS DISTINCT FROM ${ids.officerA}) n) AS notifications`.execute(db)
        ).rows,
        // Dossiers, the catalogue and the imports of anyone but A's own actors.
        dossiers: (
          await sql`SELECT (SELECT json_agg(d ORDER BY d.id) FROM (SELECT id, source_id, code, unit_id, data_hash FROM dossiers) d) AS dossiers,
            (SELECT json_agg(p ORDER BY p.id) FROM (SELECT id, code, name, processing_days, active FROM dossier_procedures) p) AS procedures,
            (SELECT json_agg(s ORDER BY s.id) FROM (SELECT id, code, name, api_key_id, active FROM dossier_sources) s) AS sources,
            (SELECT json_agg(i ORDER BY i.id) FROM (SELECT id, state, mapping, rows_read FROM dossier_imports
              WHERE created_by IS DISTINCT FROM ${ids.adminA} AND created_by IS DISTINCT FROM ${ids.officerA}) i) AS imports`.execute(db)
        ).rows,
        breakthrough: (
          await sql`SELECT (SELECT json_agg(r ORDER BY r.id) FROM (SELECT id, unit_id, year, status, round, version, return_comments FROM breakthrough_registrations) r) AS lists,
            (SELECT json_agg(i ORDER BY i.id) FROM (SELECT id, registration_id, position, title, task_id, review_result FROM breakthrough_items) i) AS items`.execute(db)
        ).rows,
        // Key projects and everything entered on them.
        projects: (
          await sql`SELECT (SELECT json_agg(p ORDER BY p.id) FROM (SELECT id, code, name, managing_unit_id, total_capital, location, status FROM projects) p) AS projects,
            (SELECT json_agg(g ORDER BY g.id) FROM (SELECT id, project_id, name, length_km, commune_unit_id FROM project_segments) g) AS segments,
            (SELECT count(*) FROM project_progress_entries) AS progress, (SELECT json_agg(d ORDER BY d.id) FROM (SELECT id, amount FROM project_disbursements) d) AS disbursements,
            (SELECT json_agg(m ORDER BY m.id) FROM (SELECT id, name, planned_on, actual_on FROM project_milestones) m) AS milestones,
            (SELECT json_agg(c ORDER BY c.id) FROM (SELECT id, project_id, commune_unit_id, handed_over_area_m2, compensation_paid FROM project_clearances) c) AS clearances,
            (SELECT json_agg(o ORDER BY o.id) FROM (SELECT id, status, task_id FROM project_obstacles) o) AS obstacles, (SELECT count(*) FROM project_photos) AS photos`.execute(db)
        ).rows,
        tasks: await tsk.state(db),
      };
    }

    const as = (name: ActorName | 'citizenA' | 'userB') => actors[name];
    const bUnitsIn = (items: { id: number }[]) => items.filter((u) => bUnitIds.has(u.id));

    async function assertExportHasNoB(res: Res, what: string, mustContainA: boolean) {
      if (res.statusCode !== 200) return assertDenied(res, what);
      const text = (await readXlsx(res)).flat().join(' ').toLowerCase();
      assert.equal(text.includes(B_MARK), false, `${what}: the spreadsheet holds B's rows`);
      if (mustContainA) assert.ok(text.includes(A_MARK), `${what}: the spreadsheet lacks A's own rows`);
    }

    /** Breakthrough lists for next year: A's draft and B's, submitted to the province, one item each. */
    const btr = {} as { year: number; listA: number; itemA: number; versionA: number; listB: number; itemB: number; versionB: number };
    /** Key projects: A's and B's, B's with a segment, a disbursement, a milestone, a clearance, an obstacle and a photo. */
    const prj = {} as { projectA: number; segmentA: number; projectB: number; segmentB: number; disbursementB: number; milestoneB: number; obstacleB: number; photoB: number };
    /** A file on B's progress report (made once, straight in the store and the table: A may not send one). */
    let fileOfB: Promise<{ taskA: number; taskB: number; reportB: number; fileB: number }> | undefined;
    const taskFileOfB = () =>
      (fileOfB ??= (async () => {
        const { rows } = await sql<{ taskA: number; taskB: number; reportB: number }>`SELECT
          (SELECT id::int FROM tasks WHERE title = 'Nhiệm vụ AMARK') AS "taskA", (SELECT id::int FROM tasks WHERE title = 'Nhiệm vụ BMARK') AS "taskB",
          (SELECT r.id::int FROM task_reports r JOIN tasks x ON x.id = r.task_id WHERE x.title = 'Nhiệm vụ BMARK' LIMIT 1) AS "reportB"`.execute(t.db);
        const data = Buffer.from('%PDF-1.4 BMARK\n');
        const { key } = await t.app.services.files.put(data);
        const file = await sql<{ id: number }>`INSERT INTO task_report_files (report_id, file_key, name, size, content_type)
          VALUES (${rows[0].reportB}, ${key}, 'BMARK.pdf', ${data.length}, 'application/pdf') RETURNING id::int`.execute(t.db);
        return { ...rows[0], fileB: file.rows[0].id };
      })());

    /** A site photo upload (multipart) for a project. */
    const projectPhotoUpload = (projectId: number) => {
      const boundary = '----dieuhanh-scope-photo';
      const payload = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="takenOn"\r\n\r\n2021-12-10\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\nnot-really-a-jpeg\r\n--${boundary}--\r\n`,
      );
      return { method: 'POST' as const, url: `/api/v1/projects/${projectId}/photos`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
    };
    /** Directed tasks: the province's task to A and its task to B (test/helpers/tasks.ts). */
    const tsk = taskScope({ as: (who) => as(who), assertDenied, assertDeniedOrEmpty, assertNoB, assertExportHasNoB });
    /** One probe per /api/v1 route: how A's administrator and A's officer try to reach B through it. */
    const probes: Record<string, (who: ActorName) => Promise<void>> = {
      'GET /api/v1/org-units': async (who) => {
        const s = as(who);
        const all = await s.get('/api/v1/org-units?pageSize=500');
        assert.equal(all.statusCode, 200, all.body);
        assertNoB(all, 'the whole list');
        assert.deepEqual(bUnitsIn(all.json().items), []);
        assert.ok(all.json().items.some((u: { id: number }) => u.id === districtA.id), 'A sees its own district');
        assert.equal(all.json().items.some((u: { id: number }) => u.id === province.id), false, 'nor the province above it');
        assertDeniedOrEmpty(await s.get(`/api/v1/org-units?parentId=${districtB.id}`), 'parentId=B');
        assertDeniedOrEmpty(await s.get(`/api/v1/org-units?rootId=${districtB.id}`), 'rootId=B');
        assertDeniedOrEmpty(await s.get(`/api/v1/org-units?rootId=${province.id}&kind=commune`), 'rootId=province');
        assertDeniedOrEmpty(await s.get(`/api/v1/org-units?q=${B_MARK}`), 'q=B’s name');
        assertDeniedOrEmpty(await s.get(`/api/v1/org-units?parentId=${province.id}&kind=district&q=${B_MARK}`), 'siblings of A');
        await assertExportHasNoB(await s.get('/api/v1/org-units?format=xlsx'), 'export', true);
        await assertExportHasNoB(await s.get(`/api/v1/org-units?format=xlsx&parentId=${districtB.id}`), 'export parentId=B', false);
        await assertExportHasNoB(await s.get(`/api/v1/org-units?format=xlsx&rootId=${districtB.id}`), 'export rootId=B', false);
      },
      'GET /api/v1/org-units/tree': async (who) => {
        const s = as(who);
        const tree = await s.get('/api/v1/org-units/tree');
        assert.equal(tree.statusCode, 200, tree.body);
        assertNoB(tree, 'the tree');
        const treeIds = tree.json().items.map((u: { id: number }) => u.id).sort((a: number, b: number) => a - b);
        assert.deepEqual(treeIds, [districtA.id, communeA.id].sort((a, b) => a - b));
        assertDeniedOrEmpty(await s.get(`/api/v1/org-units/tree?rootId=${districtB.id}`), 'tree rootId=B');
        assertDeniedOrEmpty(await s.get(`/api/v1/org-units/tree?rootId=${province.id}`), 'tree rootId=province');
      },
      'GET /api/v1/org-units/:id': async (who) => {
        for (const id of [districtB.id, communeB.id, province.id]) assertDenied(await as(who).get(`/api/v1/org-units/${id}`), `unit ${id}`);
      },
      'POST /api/v1/org-units': async (who) => {
        const s = as(who);
        for (const parentId of [districtB.id, communeB.id, province.id]) {
          assertDenied(await s.post('/api/v1/org-units', { code: `SC-X-${who}-${parentId}`, name: 'Xã chen vào', kind: 'commune', parentId }), `create under ${parentId}`);
        }
        const rootUnit = await s.post('/api/v1/org-units', { code: `SC-ROOT-${who}`, name: 'Tỉnh mới', kind: 'province', parentId: null });
        assert.ok([400, 403].includes(rootUnit.statusCode), `a district may not create a new root: ${rootUnit.statusCode}`);
      },
      'PATCH /api/v1/org-units/:id': async (who) => {
        for (const id of [districtB.id, communeB.id, province.id]) {
          assertDenied(await as(who).patch(`/api/v1/org-units/${id}`, { name: 'Đã bị sửa' }), `patch ${id}`);
        }
      },
      'POST /api/v1/org-units/:id/move': async (who) => {
        const s = as(who);
        assertDenied(await s.post(`/api/v1/org-units/${communeB.id}/move`, { parentId: districtA.id }), 'move B’s commune into A');
        assertDenied(await s.post(`/api/v1/org-units/${communeA.id}/move`, { parentId: districtB.id }), 'move A’s commune into B');
        assertDenied(await s.post(`/api/v1/org-units/${districtA.id}/move`, { parentId: districtB.id }), 'move A itself under B');
      },
      'POST /api/v1/org-units/:id/deactivate': async (who) => {
        for (const id of [communeB.id, districtB.id]) assertDenied(await as(who).post(`/api/v1/org-units/${id}/deactivate`), `deactivate ${id}`);
      },
      'POST /api/v1/org-units/:id/activate': async (who) => {
        for (const id of [communeB.id, districtB.id]) assertDenied(await as(who).post(`/api/v1/org-units/${id}/activate`), `activate ${id}`);
      },
      'POST /api/v1/org-units/import': async (who) => {
        const files = {
          'a new unit under B': `code,name,kind,parentCode\nSC-IMP-${who},Xã nhập,commune,SC-BMARK\n`,
          'renaming B’s commune': 'code,name,kind,parentCode\nSC-BMARK-1,Đổi tên,commune,SC-BMARK\n',
          'moving B’s commune into A': 'code,name,kind,parentCode\nSC-BMARK-1,Xã Thanh Xuân BMARK,commune,SC-AMARK\n',
          'a new unit under the province': `code,name,kind,parentCode\nSC-IMP2-${who},Huyện nhập,district,SC-P\n`,
        };
        for (const [what, csv] of Object.entries(files)) {
          const { payload, headers } = multipartFile('file', 'don-vi.csv', csv);
          const res = await as(who).request({ method: 'POST', url: '/api/v1/org-units/import?dryRun=false', payload, headers });
          if (res.statusCode === 200) {
            assert.equal(res.json().errors.length, 1, `${what}: the row is refused (${res.body})`);
            assert.deepEqual([res.json().created, res.json().updated].map(() => 0), [0, 0]);
          } else {
            assertDenied(res, what);
          }
        }
      },
      'GET /api/v1/users': async (who) => {
        const s = as(who);
        const all = await s.get('/api/v1/users?pageSize=500');
        if (who === 'officerA') return assertDenied(all, 'an officer lists users');
        assert.equal(all.statusCode, 200, all.body);
        assertNoB(all, 'the user list');
        const listed = all.json().items.map((u: { id: number }) => u.id);
        assert.ok(listed.includes(ids.userA), 'A’s own user is listed');
        for (const id of [ids.userB, ids.root]) assert.equal(listed.includes(id), false, `user ${id} listed`);
        assertDeniedOrEmpty(await s.get(`/api/v1/users?orgUnitId=${districtB.id}`), 'orgUnitId=B');
        assertDeniedOrEmpty(await s.get(`/api/v1/users?orgUnitId=${communeB.id}&role=officer`), 'orgUnitId=B’s commune');
        assertDeniedOrEmpty(await s.get(`/api/v1/users?q=${B_MARK}`), 'q=B’s user');
        assertDeniedOrEmpty(await s.get(`/api/v1/users?orgUnitId=${province.id}`), 'orgUnitId=province');
        assertNoB(await s.get('/api/v1/users?role=officer&pageSize=500'), 'role=officer');
        await assertExportHasNoB(await s.get('/api/v1/users?format=xlsx'), 'export', true);
        await assertExportHasNoB(await s.get(`/api/v1/users?format=xlsx&orgUnitId=${districtB.id}`), 'export orgUnitId=B', false);
      },
      'GET /api/v1/users/directory': async (who) => {
        const s = as(who);
        const all = await s.get('/api/v1/users/directory');
        assert.equal(all.statusCode, 200, all.body);
        assertNoB(all, 'the directory');
        const listed = all.json().items.map((u: { id: number }) => u.id);
        assert.ok(listed.includes(ids.userA), 'A’s own colleague is listed');
        for (const id of [ids.userB, ids.root]) assert.equal(listed.includes(id), false, `user ${id} listed`);
        for (const unitId of [districtB.id, communeB.id, province.id]) assertDeniedOrEmpty(await s.get(`/api/v1/users/directory?unitId=${unitId}`), `unitId=${unitId}`);
        assert.deepEqual((await s.get(`/api/v1/users/directory?q=${B_MARK}`)).json().items, [], 'q=B’s user');
      },
      'GET /api/v1/users/:id': async (who) => {
        for (const id of [ids.userB, ids.root]) assertDenied(await as(who).get(`/api/v1/users/${id}`), `user ${id}`);
      },
      'POST /api/v1/users': async (who) => {
        const s = as(who);
        const base = { username: `sc.intruder.${who.toLowerCase()}`, fullName: 'Kẻ chen vào', password: 'Nguoi-la-mat#2026' };
        const attempts = {
          'an administrator of B': { ...base, grants: [{ role: 'administrator', orgUnitId: districtB.id }] },
          'an administrator of the province': { ...base, grants: [{ role: 'administrator', orgUnitId: province.id }] },
          'an account of B with a grant in A': { ...base, orgUnitId: communeB.id, grants: [{ role: 'officer', orgUnitId: communeA.id }] },
          'grants in A and in B': { ...base, grants: [{ role: 'officer', orgUnitId: communeA.id }, { role: 'leader', orgUnitId: communeB.id }] },
        };
        for (const [what, body] of Object.entries(attempts)) assertDenied(await s.post('/api/v1/users', body), what);
      },
      'PATCH /api/v1/users/:id': async (who) => {
        for (const id of [ids.userB, ids.root]) {
          assertDenied(await as(who).patch(`/api/v1/users/${id}`, { fullName: 'Bị sửa', active: false }), `patch user ${id}`);
        }
      },
      'POST /api/v1/users/:id/grants': async (who) => {
        const s = as(who);
        assertDenied(await s.post(`/api/v1/users/${ids.userB}/grants`, { role: 'officer', orgUnitId: districtA.id }), 'grant to B’s user');
        assertDenied(await s.post(`/api/v1/users/${ids.userA}/grants`, { role: 'administrator', orgUnitId: districtB.id }), 'grant B to A’s user');
        assertDenied(await s.post(`/api/v1/users/${ids[who]}/grants`, { role: 'administrator', orgUnitId: province.id }), 'raise oneself to the province');
        assertDenied(await s.post(`/api/v1/users/${ids[who]}/grants`, { role: 'administrator', orgUnitId: districtB.id }), 'grant oneself B');
      },
      'DELETE /api/v1/users/:id/grants/:grantId': async (who) => {
        const s = as(who);
        assertDenied(await s.delete(`/api/v1/users/${ids.userB}/grants/${userBGrantId}`), 'remove B’s user’s grant');
        assertDenied(await s.delete(`/api/v1/users/${ids.root}/grants/${rootAdminGrantId}`), 'remove the province administrator’s grant');
        // The grant id of B's user under A's own user id: the pair must match.
        assertDenied(await s.delete(`/api/v1/users/${ids.userA}/grants/${userBGrantId}`), 'B’s grant through A’s user');
      },
      'POST /api/v1/users/:id/password': async (who) => {
        for (const id of [ids.userB, ids.root]) {
          assertDenied(await as(who).post(`/api/v1/users/${id}/password`, { password: 'Chiem-tai-khoan#2026' }), `reset password of ${id}`);
        }
      },
      'POST /api/v1/users/:id/unlock': async (who) => {
        assertDenied(await as(who).post(`/api/v1/users/${ids.userB}/unlock`), 'unlock B’s user');
      },
      'GET /api/v1/api-keys': async (who) => {
        const s = as(who);
        const all = await s.get('/api/v1/api-keys?pageSize=500');
        if (who === 'officerA') return assertDenied(all, 'an officer lists API keys');
        assert.equal(all.statusCode, 200, all.body);
        assertNoB(all, 'the key list');
        assert.deepEqual(all.json().items.map((k: { id: number }) => k.id), [ids.keyA]);
        assertDeniedOrEmpty(await s.get(`/api/v1/api-keys?orgUnitId=${districtB.id}`), 'orgUnitId=B');
        assertDeniedOrEmpty(await s.get(`/api/v1/api-keys?q=${B_MARK}`), 'q=B’s key');
        await assertExportHasNoB(await s.get('/api/v1/api-keys?format=xlsx'), 'export', true);
        await assertExportHasNoB(await s.get(`/api/v1/api-keys?format=xlsx&orgUnitId=${districtB.id}`), 'export orgUnitId=B', false);
      },
      'POST /api/v1/api-keys': async (who) => {
        for (const orgUnitId of [districtB.id, communeB.id, province.id]) {
          assertDenied(await as(who).post('/api/v1/api-keys', { name: 'Khóa chen vào', role: 'administrator', orgUnitId }), `key on ${orgUnitId}`);
        }
      },
      'POST /api/v1/api-keys/:id/revoke': async (who) => {
        assertDenied(await as(who).post(`/api/v1/api-keys/${ids.keyB}/revoke`), 'revoke B’s key');
      },
      'GET /api/v1/audit': async (who) => {
        const s = as(who);
        const all = await s.get('/api/v1/audit?pageSize=500');
        if (who === 'officerA') return assertDenied(all, 'an officer reads the audit log');
        assert.equal(all.statusCode, 200, all.body);
        assertNoB(all, 'the audit log');
        const entries = all.json().items as { orgUnitId: number | null; module: string }[];
        assert.ok(entries.length > 0 && entries.some((e) => e.module === 'users'), 'A’s own entries are there');
        assert.deepEqual(entries.filter((e) => e.orgUnitId === null || bUnitIds.has(e.orgUnitId) || e.orgUnitId === province.id), []);
        assertDeniedOrEmpty(await s.get(`/api/v1/audit?orgUnitId=${districtB.id}`), 'orgUnitId=B');
        assertDeniedOrEmpty(await s.get(`/api/v1/audit?orgUnitId=${province.id}`), 'orgUnitId=province');
        assertDeniedOrEmpty(await s.get(`/api/v1/audit?userId=${ids.userB}`), 'userId=B’s user');
        assertDeniedOrEmpty(await s.get(`/api/v1/audit?module=calendar`), 'the locality-wide calendar entries');
        assertDeniedOrEmpty(await s.get(`/api/v1/audit?module=auth`), 'sign-ins (no unit)');
        assertNoB(await s.get(`/api/v1/audit?userId=${ids.root}&pageSize=500`), 'userId=province administrator');
        await assertExportHasNoB(await s.get('/api/v1/audit?format=xlsx'), 'export', true);
        await assertExportHasNoB(await s.get(`/api/v1/audit?format=xlsx&userId=${ids.userB}`), 'export userId=B', false);
      },
      'GET /api/v1/auth/me': async (who) => {
        const res = await as(who).get('/api/v1/auth/me');
        assert.equal(res.statusCode, 200);
        assertNoB(res, 'me');
        assert.deepEqual(res.json().user.scope.map((u: { id: number }) => u.id), [districtA.id]);
      },
      'POST /api/v1/auth/login': async (who) => {
        // A fresh sign-in gives a session of the same scope, and nobody else's.
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: usernames[who], password: TEST_PASSWORD } });
        assert.equal(res.statusCode, 200, res.body);
        assertNoB(res, 'sign-in');
        assert.deepEqual(res.json().user.grants.map((g: { orgUnitId: number }) => g.orgUnitId), [districtA.id]);
        // A's password opens no account of B's.
        const asB = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'sc.user.bmark', password: TEST_PASSWORD.replace('2026', '2025') } });
        assert.ok([401, 429].includes(asB.statusCode), `${asB.statusCode}`);
        assert.equal(asB.cookies.length, 0);
      },
      'POST /api/v1/auth/logout': async (who) => {
        const extra = await signIn(t.app, usernames[who]);
        assert.equal((await extra.post('/api/v1/auth/logout')).statusCode, 204);
        assert.equal((await as('userB').get('/api/v1/auth/me')).statusCode, 200, 'B’s session lives on');
      },
      'POST /api/v1/auth/logout-all': async (who) => {
        assert.equal((await as(who).post('/api/v1/auth/logout-all')).statusCode, 204);
        assert.equal((await as(who).get('/api/v1/auth/me')).statusCode, 401);
        assert.equal((await as('userB').get('/api/v1/auth/me')).statusCode, 200, 'B’s session lives on');
        actors[who] = await signIn(t.app, usernames[who]);
      },
      'POST /api/v1/auth/password': async (who) => {
        const s = as(who);
        const aimed = await s.post('/api/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Mat-khau-cua-B#2026', userId: ids.userB });
        assert.equal(aimed.statusCode, 400, 'the route names no account: a userId is refused');
        assert.equal(aimed.json().code, 'VALIDATION_FAILED');
        // A real change touches only one's own account (the state check below proves B's is unchanged).
        assert.equal((await s.post('/api/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Doi-tam-thoi#2026' })).statusCode, 204);
        assert.equal((await s.post('/api/v1/auth/password', { currentPassword: 'Doi-tam-thoi#2026', newPassword: TEST_PASSWORD })).statusCode, 204);
        assert.equal((await as('userB').get('/api/v1/auth/me')).statusCode, 200, 'B’s session lives on');
      },
      // The working calendar is one for the whole locality: no unit's data, readable by everyone.
      'GET /api/v1/calendar/years/:year': async (who) => {
        const res = await as(who).get('/api/v1/calendar/years/2026');
        assert.equal(res.statusCode, 200);
        assertNoB(res, 'calendar year');
      },
      'GET /api/v1/calendar/exceptions': async (who) => {
        const res = await as(who).get('/api/v1/calendar/exceptions?year=2026');
        assert.equal(res.statusCode, 200);
        assertNoB(res, 'calendar exceptions');
      },
      'GET /api/v1/calendar/add-working-days': async (who) => {
        const res = await as(who).get('/api/v1/calendar/add-working-days?from=2026-04-24&days=3');
        assert.equal(res.statusCode, 200);
        assertNoB(res, 'add working days');
      },
      'GET /api/v1/calendar/working-days-between': async (who) => {
        const res = await as(who).get('/api/v1/calendar/working-days-between?from=2026-04-24&to=2026-05-08');
        assert.equal(res.statusCode, 200);
        assertNoB(res, 'working days between');
      },
      // Only the province's administrators edit the locality's calendar.
      'POST /api/v1/calendar/exceptions': async (who) => {
        assertDenied(await as(who).post('/api/v1/calendar/exceptions', { date: '2026-12-31', kind: 'off', name: 'Nghỉ tự đặt' }), 'add a day off');
      },
      'DELETE /api/v1/calendar/exceptions/:id': async (who) => {
        assertDenied(await as(who).delete(`/api/v1/calendar/exceptions/${ids.exception}`), 'remove the province’s day');
      },
      // ---- citizen feedback (phản ánh hiện trường) ----
      'GET /api/v1/feedback/categories': async (who) => {
        const res = await as(who).get('/api/v1/feedback/categories');
        assert.equal(res.statusCode, 200, res.body);
        assertNoB(res, 'categories');
      },
      'GET /api/v1/feedback/categories/:id': async (who) => {
        assert.equal((await as(who).get(`/api/v1/feedback/categories/${fb.categoryId}`)).statusCode, 200);
      },
      // The categories serve the whole locality: a district's administrator does not edit them.
      'POST /api/v1/feedback/categories': async (who) => {
        assertDenied(await as(who).post('/api/v1/feedback/categories', { code: `SC-CAT-${who}`, name: 'Lĩnh vực chen vào' }), 'create a category');
      },
      'PATCH /api/v1/feedback/categories/:id': async (who) => {
        assertDenied(await as(who).patch(`/api/v1/feedback/categories/${fb.categoryId}`, { name: 'Bị sửa' }), 'rename a category');
      },
      'GET /api/v1/feedback/reports': async (who) => {
        const s = as(who);
        const all = await s.get('/api/v1/feedback/reports?pageSize=500');
        assert.equal(all.statusCode, 200, all.body);
        assertNoB(all, 'the report list');
        assert.deepEqual(all.json().items.map((r: { id: number }) => r.id), [fb.reportA], 'A sees its own report');
        assertDeniedOrEmpty(await s.get(`/api/v1/feedback/reports?unitId=${communeB.id}`), 'unitId=B');
        assertDeniedOrEmpty(await s.get(`/api/v1/feedback/reports?areaUnitId=${districtB.id}`), 'areaUnitId=B');
        assertDeniedOrEmpty(await s.get(`/api/v1/feedback/reports?q=${B_MARK}`), 'q=B’s text');
        assertDeniedOrEmpty(await s.get(`/api/v1/feedback/reports?q=${fb.codeB}`), 'q=B’s code');
        assertDeniedOrEmpty(await s.get('/api/v1/feedback/reports?queue=operator'), 'the operator queue');
        await assertExportHasNoB(await s.get('/api/v1/feedback/reports?format=xlsx'), 'export', true);
        await assertExportHasNoB(await s.get(`/api/v1/feedback/reports?format=xlsx&unitId=${communeB.id}`), 'export unitId=B', false);
      },
      'GET /api/v1/feedback/reports/:id': async (who) => {
        assertDenied(await as(who).get(`/api/v1/feedback/reports/${fb.reportB}`), 'B’s report');
      },
      'GET /api/v1/feedback/reports/:id/suggestions': async (who) => {
        assertDenied(await as(who).get(`/api/v1/feedback/reports/${fb.reportB}/suggestions`), 'B’s suggestions');
        const own = await as(who).get(`/api/v1/feedback/reports/${fb.reportA}/suggestions?radius=5000`);
        assert.equal(own.statusCode, 200, own.body);
        assertNoB(own, 'A’s suggestions');
      },
      'GET /api/v1/feedback/duplicates': async (who) => {
        const res = await as(who).get(`/api/v1/feedback/duplicates?categoryId=${fb.categoryId}&lat=20.9&lng=106.4&text=${B_MARK}&radius=5000`);
        assert.equal(res.statusCode, 200, res.body);
        assertNoB(res, 'duplicates around B');
        assert.deepEqual(res.json().items, []);
      },
      'GET /api/v1/feedback/reports/:id/photos/:photoId': async (who) => {
        assertDenied(await as(who).get(`/api/v1/feedback/reports/${fb.reportB}/photos/${fb.photoB}`), 'B’s photo');
        assertDenied(await as(who).get(`/api/v1/feedback/reports/${fb.reportA}/photos/${fb.photoB}`), 'B’s photo through A’s report');
      },
      'POST /api/v1/feedback/reports/:id/photos/:photoId/verify': async (who) => {
        assertDenied(await as(who).post(`/api/v1/feedback/reports/${fb.reportB}/photos/${fb.photoB}/verify`, { verified: true }), 'verify B’s photo');
      },
      'POST /api/v1/feedback/reports/:id/verify': async (who) => {
        assertDenied(await as(who).post(`/api/v1/feedback/reports/${fb.reportB}/verify`, { unitId: communeA.id }), 'verify B’s report');
      },
      'POST /api/v1/feedback/reports/:id/reject': async (who) => {
        assertDenied(await as(who).post(`/api/v1/feedback/reports/${fb.reportB}/reject`, { reason: 'spam', text: 'x' }), 'reject B’s report');
      },
      'POST /api/v1/feedback/reports/:id/merge': async (who) => {
        assertDenied(await as(who).post(`/api/v1/feedback/reports/${fb.reportB}/merge`, { targetId: fb.reportA }), 'merge B’s into A’s');
        assertDenied(await as(who).post(`/api/v1/feedback/reports/${fb.reportA}/merge`, { targetId: fb.reportB }), 'merge A’s into B’s');
      },
      'POST /api/v1/feedback/reports/:id/assign': async (who) => {
        assertDenied(await as(who).post(`/api/v1/feedback/reports/${fb.reportB}/assign`, { unitId: communeA.id }), 'assign B’s report');
        assertDenied(await as(who).post(`/api/v1/feedback/reports/${fb.reportA}/assign`, { unitId: communeB.id }), 'assign A’s report to B');
      },
      'POST /api/v1/feedback/reports/:id/send-back': async (who) => {
        assertDenied(await as(who).post(`/api/v1/feedback/reports/${fb.reportB}/send-back`, { reason: 'x' }), 'send back B’s report');
      },
      'POST /api/v1/feedback/reports/:id/start': async (who) => {
        assertDenied(await as(who).post(`/api/v1/feedback/reports/${fb.reportB}/start`), 'start B’s report');
      },
      'POST /api/v1/feedback/reports/:id/extension': async (who) => {
        assertDenied(await as(who).post(`/api/v1/feedback/reports/${fb.reportB}/extension`, { proposedDate: '2099-01-05', reason: 'x' }), 'extend B’s report');
      },
      'POST /api/v1/feedback/reports/:id/extension/decision': async (who) => {
        assertDenied(await as(who).post(`/api/v1/feedback/reports/${fb.reportB}/extension/decision`, { decision: 'approve' }), 'decide on B’s extension');
      },
      'POST /api/v1/feedback/reports/:id/resolve': async (who) => {
        assertDenied(await as(who).post(`/api/v1/feedback/reports/${fb.reportB}/resolve`, { answer: 'Đã xong' }), 'resolve B’s report');
      },
      'POST /api/v1/feedback/reports/:id/close': async (who) => {
        assertDenied(await as(who).post(`/api/v1/feedback/reports/${fb.reportB}/close`), 'close B’s report');
      },
      'GET /api/v1/feedback/notifications': async (who) => {
        const res = await as(who).get('/api/v1/feedback/notifications');
        assert.equal(res.statusCode, 200, res.body);
        assertNoB(res, 'notifications');
      },
      'POST /api/v1/feedback/notifications/:id/read': async (who) => {
        assertDenied(await as(who).post(`/api/v1/feedback/notifications/${fb.notificationB}/read`), 'read B’s notification');
      },
      'POST /api/v1/feedback/notifications/read-all': async (who) => {
        assert.equal((await as(who).post('/api/v1/feedback/notifications/read-all')).statusCode, 204);
      },
      'GET /api/v1/feedback/statistics': async (who) => {
        const s = as(who);
        for (const groupBy of ['unit', 'category', 'month']) {
          const res = await s.get(`/api/v1/feedback/statistics?groupBy=${groupBy}`);
          assert.equal(res.statusCode, 200, res.body);
          assertNoB(res, `statistics by ${groupBy}`);
          assert.equal(res.json().items.reduce((n: number, r: { received: number }) => n + r.received, 0), 1, 'only A’s report is counted');
        }
        assertDeniedOrEmpty(await s.get(`/api/v1/feedback/statistics?unitId=${districtB.id}`), 'statistics of B');
        await assertExportHasNoB(await s.get('/api/v1/feedback/statistics?format=xlsx'), 'statistics export', true);
      },
      'GET /api/v1/feedback/heatmap': async (who) => {
        const s = as(who);
        const res = await s.get('/api/v1/feedback/heatmap');
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().items.reduce((n: number, c: { count: number }) => n + c.count, 0), 1, 'only A’s report is counted');
        const ofB = await s.get(`/api/v1/feedback/heatmap?unitId=${districtB.id}`);
        if (ofB.statusCode === 200) assert.deepEqual(ofB.json().items, [], 'heat map of B');
        else assertDenied(ofB, 'heat map of B');
      },
      // The public routes need no account; they show no personal data and let nobody act for the reporter.
      'POST /api/v1/dossiers/:id/apology-letter': async (who) => {
        const newReturnDate = await t.app.services.calendar.addWorkingDays(businessDateOf(new Date()), 3);
        const body = { newReturnDate, reason: 'Chờ xác minh', signerName: 'Người ký', signerTitle: 'Chủ tịch' };
        assertDenied(await as(who).post(`/api/v1/dossiers/${dsr.lateB}/apology-letter`, body), 'the letter of B’s dossier');
        const own = await as(who).post(`/api/v1/dossiers/${dsr.lateA}/apology-letter`, body);
        assert.equal(own.statusCode, 200, `A’s staff write the letter of A’s own late dossier: ${own.body}`);
      },
      // ---- dossiers: the scorecard and the lists (read side) ----
      // ---- dossiers: the catalogues (the whole locality's, read by all staff), imports, the push API ----
      'GET /api/v1/dossiers/procedures': async (who) => {
        const res = await as(who).get('/api/v1/dossiers/procedures');
        assert.equal(res.statusCode, 200, res.body);
        assertNoB(res, 'procedures');
      },
      'GET /api/v1/dossiers/procedures/:id': async (who) => {
        assert.equal((await as(who).get(`/api/v1/dossiers/procedures/${dsr.procedureId}`)).statusCode, 200);
      },
      'GET /api/v1/dossiers/sources': async (who) => {
        // The source pushes with B's key: its key and unit are shown only to the locality's administrators.
        const res = await as(who).get('/api/v1/dossiers/sources');
        assert.equal(res.statusCode, 200, res.body);
        assertNoB(res, 'sources');
        await assertExportHasNoB(await as(who).get('/api/v1/dossiers/sources?format=xlsx'), 'sources export', false);
      },
      'GET /api/v1/dossiers/sources/:id': async (who) => {
        const res = await as(who).get(`/api/v1/dossiers/sources/${dsr.sourceId}`);
        assert.equal(res.statusCode, 200);
        assertNoB(res, 'a source with B’s key');
      },
      'GET /api/v1/dossiers/imports': async (who) => {
        const s = as(who);
        const all = await s.get('/api/v1/dossiers/imports?pageSize=500');
        if (who === 'officerA') return assertDenied(all, 'an officer lists imports');
        assert.equal(all.statusCode, 200, all.body);
        assertNoB(all, 'the imports');
        assert.ok(all.json().items.some((i: { id: number }) => i.id === dsr.importA), 'A’s own import is listed');
        assertDeniedOrEmpty(await s.get(`/api/v1/dossiers/imports?q=${B_MARK}`), 'q=B’s file');
        await assertExportHasNoB(await s.get('/api/v1/dossiers/imports?format=xlsx'), 'imports export', true);
      },
      'GET /api/v1/dossiers/imports/:id': async (who) => {
        assertDenied(await as(who).get(`/api/v1/dossiers/imports/${dsr.importB}`), 'B’s import');
      },
      'GET /api/v1/dossiers/imports/:id/problems': async (who) => {
        assertDenied(await as(who).get(`/api/v1/dossiers/imports/${dsr.importB}/problems`), 'the problems of B’s import');
        assertDenied(await as(who).get(`/api/v1/dossiers/imports/${dsr.importB}/problems?format=xlsx`), 'B’s problems exported');
      },
      'POST /api/v1/dossiers/procedures': async (who) => {
        assertDenied(await as(who).post('/api/v1/dossiers/procedures', { code: `SC-P-${who}`, name: 'Thủ tục chen vào', level: 'commune' }), 'create a procedure');
      },
      'PATCH /api/v1/dossiers/procedures/:id': async (who) => {
        assertDenied(await as(who).patch(`/api/v1/dossiers/procedures/${dsr.procedureId}`, { name: 'Bị sửa' }), 'rename a procedure');
      },
      'POST /api/v1/dossiers/procedures/:id/deactivate': async (who) => {
        assertDenied(await as(who).post(`/api/v1/dossiers/procedures/${dsr.procedureId}/deactivate`), 'deactivate a procedure');
      },
      'POST /api/v1/dossiers/procedures/:id/activate': async (who) => {
        assertDenied(await as(who).post(`/api/v1/dossiers/procedures/${dsr.procedureId}/activate`), 'activate a procedure');
      },
      'POST /api/v1/dossiers/sources': async (who) => {
        assertDenied(await as(who).post('/api/v1/dossiers/sources', { code: `SC_S_${who}`, name: 'Nguồn chen vào' }), 'create a source');
      },
      'PATCH /api/v1/dossiers/sources/:id': async (who) => {
        assertDenied(await as(who).patch(`/api/v1/dossiers/sources/${dsr.sourceId}`, { name: 'Bị sửa' }), 'rename a source');
      },
      'POST /api/v1/dossiers/sources/:id/deactivate': async (who) => {
        assertDenied(await as(who).post(`/api/v1/dossiers/sources/${dsr.sourceId}/deactivate`), 'deactivate a source');
      },
      'POST /api/v1/dossiers/sources/:id/activate': async (who) => {
        assertDenied(await as(who).post(`/api/v1/dossiers/sources/${dsr.sourceId}/activate`), 'activate a source');
      },
      'POST /api/v1/dossiers/imports': async (who) => {
        // A's administrator imports a file of B's dossiers: every row is refused, nothing of B is written.
        const file = Buffer.from(`Mã hồ sơ,Mã thủ tục,Đơn vị tiếp nhận,Kênh nộp,Ngày tiếp nhận,Trạng thái\nHS-BMARK-2,SC-KS,${communeB.code},1,05/01/2026 09:00,2\n`);
        const res = await uploadDossiers(as(who), dsr.sourceId, `ho-so-${who}.csv`, file);
        if (who === 'officerA') return assertDenied(res, 'an officer uploads');
        assert.equal(res.statusCode, 201, res.body);
        // The answer echoes A's own file (B's unit code in it), never what is stored of B (its name).
        assert.equal(res.body.includes('Thanh Xuân'), false, res.body);
        const id = res.json().import.id;
        assert.equal((await as(who).post(`/api/v1/dossiers/imports/${id}/run`, { skipInvalid: true })).statusCode, 202);
        const done = await waitForRun(as(who), id);
        assert.deepEqual([done.state, done.rowsCreated, done.rowsBad], ['imported', 0, 1]);
        const problems = (await as(who).get(`/api/v1/dossiers/imports/${id}/problems`)).json().items;
        assert.deepEqual(problems.map((p: { code: string }) => p.code), ['UNIT_OUT_OF_SCOPE']);
      },
      'POST /api/v1/dossiers/imports/:id/check': async (who) => {
        assertDenied(await as(who).post(`/api/v1/dossiers/imports/${dsr.importB}/check`, {}), 'check B’s import');
      },
      'POST /api/v1/dossiers/imports/:id/run': async (who) => {
        assertDenied(await as(who).post(`/api/v1/dossiers/imports/${dsr.importB}/run`, { skipInvalid: true }), 'run B’s import');
      },
      'POST /api/v1/dossiers/imports/:id/cancel': async (who) => {
        assertDenied(await as(who).post(`/api/v1/dossiers/imports/${dsr.importB}/cancel`), 'cancel B’s import');
      },
      'POST /api/v1/dossiers/batch': async (who) => {
        // A session is not a one-stop system: only a source's API key pushes, and never into B.
        const item = { code: 'HS-BMARK-9', procedureCode: 'SC-KS', receivingUnitCode: communeB.code, channel: 'online', receivedAt: '2026-01-05T09:00:00+07:00' };
        assertDenied(await as(who).post('/api/v1/dossiers/batch', { items: [item] }), `${who}'s session pushes`);
        // A's key, serving a source of its own, pushes a dossier of B's commune: the item is refused.
        const pushed = await t.app.inject({
          method: 'POST',
          url: '/api/v1/dossiers/batch',
          headers: { authorization: `Bearer ${dsr.keyASecret}` },
          payload: { items: [item] },
        });
        assert.equal(pushed.statusCode, 200, pushed.body);
        assert.deepEqual(pushed.json().results.map((r: { problems: { code: string }[] }) => r.problems.map((p) => p.code)), [['UNIT_OUT_OF_SCOPE']]);
        assert.equal(pushed.body.includes('Thanh Xuân'), false, 'the answer names only what A sent');
        const written = await sql<{ n: number }>`SELECT count(*)::int AS n FROM dossiers WHERE code = 'HS-BMARK-9'`.execute(t.db);
        assert.equal(written.rows[0].n, 0, 'nothing written into B');
      },
      'GET /api/v1/dossiers': async (who) => {
        const s = as(who);
        const all = await s.get('/api/v1/dossiers?pageSize=500');
        assert.equal(all.statusCode, 200, all.body);
        assertNoB(all, 'the whole list');
        assert.deepEqual(all.json().items.map((d: { id: number }) => d.id), [dsr.lateA], 'A sees its own dossier, and only it');
        assertDeniedOrEmpty(await s.get(`/api/v1/dossiers?unitId=${communeB.id}`), 'unitId=B');
        assertDeniedOrEmpty(await s.get(`/api/v1/dossiers?unitId=${province.id}&q=HS-BMARK`), 'unitId=province, q=B’s code');
        assertDeniedOrEmpty(await s.get(`/api/v1/dossiers?q=${B_MARK}`), 'q=B’s handler');
        assertDeniedOrEmpty(await s.get(`/api/v1/dossiers?unitId=${districtB.id}&timeliness=in_process_overdue`), 'B’s overdue list');
        await assertExportHasNoB(await s.get('/api/v1/dossiers?format=xlsx'), 'export', true);
        await assertExportHasNoB(await s.get(`/api/v1/dossiers?format=xlsx&unitId=${districtB.id}`), 'export unitId=B', false);
      },
      'GET /api/v1/dossiers/:id': async (who) => {
        assertDenied(await as(who).get(`/api/v1/dossiers/${dsr.lateB}`), 'B’s dossier');
        assertDenied(await as(who).get(`/api/v1/dossiers/${dsr.lateB}?asOf=2026-01-31`), 'B’s dossier as of a date');
        assert.equal((await as(who).get(`/api/v1/dossiers/${dsr.lateA}`)).statusCode, 200, 'A’s own dossier');
      },
      'GET /api/v1/dossiers/scorecard': async (who) => {
        const s = as(who);
        for (const unitId of [districtB.id, communeB.id, province.id]) assertDenied(await s.get(`/api/v1/dossiers/scorecard?unitId=${unitId}`), `scorecard of ${unitId}`);
        const own = await s.get('/api/v1/dossiers/scorecard?period=year');
        assert.equal(own.statusCode, 200, own.body);
        assertNoB(own, 'A’s scorecard');
        assert.equal(own.json().unit.id, districtA.id);
        await assertExportHasNoB(await s.get('/api/v1/dossiers/scorecard?period=year&format=xlsx'), 'scorecard export', true);
        assertDenied(await s.get(`/api/v1/dossiers/scorecard?unitId=${districtB.id}&format=xlsx`), 'B’s scorecard export');
      },
      'GET /api/v1/dossiers/ranking': async (who) => {
        const s = as(who);
        // A's siblings are the province's districts: B's figures.
        assertDenied(await s.get(`/api/v1/dossiers/ranking?unitId=${districtA.id}`), 'the siblings of A');
        assertDenied(await s.get(`/api/v1/dossiers/ranking?parentId=${province.id}`), 'the province’s districts');
        assertDenied(await s.get(`/api/v1/dossiers/ranking?parentId=${districtB.id}`), 'B’s communes');
        assertDenied(await s.get(`/api/v1/dossiers/ranking?parentId=${province.id}&format=xlsx`), 'the province’s districts, exported');
        const own = await s.get('/api/v1/dossiers/ranking?period=year');
        assert.equal(own.statusCode, 200, own.body);
        assertNoB(own, 'A’s communes');
        assert.deepEqual(own.json().items.map((x: { unit: { id: number } }) => x.unit.id), [communeA.id]);
        await assertExportHasNoB(await s.get('/api/v1/dossiers/ranking?period=year&format=xlsx'), 'ranking export', true);
      },
      'GET /api/v1/dossiers/trend': async (who) => {
        const s = as(who);
        assertDenied(await s.get(`/api/v1/dossiers/trend?unitId=${districtB.id}`), 'B’s trend');
        assertDenied(await s.get(`/api/v1/dossiers/trend?unitId=${province.id}&format=xlsx`), 'the province’s trend');
        const own = await s.get('/api/v1/dossiers/trend');
        assert.equal(own.statusCode, 200, own.body);
        assertNoB(own, 'A’s trend');
      },
      'GET /api/v1/public/map-config': async () => {
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/public/map-config' });
        assert.equal(res.statusCode, 200);
        assert.deepEqual(Object.keys(res.json()).sort(), ['center', 'localityName', 'tileUrl'], 'only what a map needs');
      },
      'GET /api/v1/public/feedback/units': async () => {
        // The administration's units are public (the list's unit picker); never people or boundaries.
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/public/feedback/units' });
        assert.equal(res.statusCode, 200);
        for (const unit of res.json().items) assert.deepEqual(Object.keys(unit).sort(), ['code', 'id', 'kind', 'level', 'name', 'parentId']);
      },
      'GET /api/v1/public/feedback/categories': async () => {
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/public/feedback/categories' })).statusCode, 200);
      },
      'POST /api/v1/public/feedback': async (who) => {
        const res = await submitReport(t.app, { category: 'SC-RAC', description: `Ngoài địa bàn ${who}`, lat: '10.7', lng: '106.7' });
        assert.equal(res.json().code, 'OUTSIDE_LOCALITY');
      },
      'GET /api/v1/public/feedback': async () => {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/public/feedback?q=${B_MARK}` });
        assert.equal(res.statusCode, 200);
        assert.equal(res.body.includes('0988'), false, 'no phone number in public');
      },
      'GET /api/v1/public/feedback/duplicates': async () => {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/public/feedback/duplicates?category=SC-RAC&lat=20.9&lng=106.4&text=${B_MARK}` });
        assert.equal(res.statusCode, 200);
        assert.equal(res.body.includes('0988'), false);
      },
      'GET /api/v1/public/feedback/photos/:key': async () => {
        // Not verified by an operator: not public.
        assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/public/feedback/photos/${fb.photoKeyB}` })).statusCode, 404);
      },
      'GET /api/v1/public/feedback/:code': async () => {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/public/feedback/${fb.codeB}` });
        assert.equal(res.statusCode, 200);
        assert.equal(res.body.includes('0988') || res.body.includes('bmark@'), false, 'no phone or e-mail on the public page');
      },
      'POST /api/v1/public/feedback/:code/rating': async () => {
        const res = await t.app.inject({ method: 'POST', url: `/api/v1/public/feedback/${fb.codeB}/rating`, payload: { rating: 'satisfied', contact: '0900000000' } });
        assert.ok([403, 409].includes(res.statusCode), res.body);
      },
      'POST /api/v1/public/feedback/:code/reopen': async () => {
        const res = await t.app.inject({ method: 'POST', url: `/api/v1/public/feedback/${fb.codeB}/reopen`, payload: { token: 'doan-bua' } });
        assert.ok([403, 409].includes(res.statusCode), res.body);
      },
      'GET /api/v1/breakthrough/registrations': async (who) => {
        const s = as(who);
        const all = await s.get('/api/v1/breakthrough/registrations');
        assert.equal(all.statusCode, 200, all.body);
        assertNoB(all, 'the lists');
        assert.deepEqual(all.json().items.map((r: { id: number }) => r.id), [btr.listA], 'A sees its own list, and only it');
        assertNoB(await s.get(`/api/v1/breakthrough/registrations?year=${btr.year}&status=submitted`), 'B’s submitted list');
        assertNoB(await s.get('/api/v1/breakthrough/registrations?toReview=true'), 'lists to review');
        for (const unitId of [districtB.id, communeB.id, province.id]) assertDeniedOrEmpty(await s.get(`/api/v1/breakthrough/registrations?unitId=${unitId}`), `unitId=${unitId}`);
      },
      'POST /api/v1/breakthrough/registrations': async (who) => {
        for (const unitId of [districtB.id, communeB.id, province.id]) {
          assertDenied(await as(who).post('/api/v1/breakthrough/registrations', { unitId, year: btr.year - 1 }), `a list for ${unitId}`);
        }
      },
      'GET /api/v1/breakthrough/registrations/:id': async (who) => {
        assertDenied(await as(who).get(`/api/v1/breakthrough/registrations/${btr.listB}`), 'B’s list');
        const own = await as(who).get(`/api/v1/breakthrough/registrations/${btr.listA}`);
        assert.equal(own.statusCode, 200, own.body);
        assertNoB(own, 'A’s list');
      },
      'POST /api/v1/breakthrough/registrations/:id/items': async (who) => {
        assertDenied(await as(who).post(`/api/v1/breakthrough/registrations/${btr.listB}/items`, { version: btr.versionB, title: 'Chen vào' }), 'an item into B’s list');
      },
      'PATCH /api/v1/breakthrough/registrations/:id/items/:itemId': async (who) => {
        const s = as(who);
        assertDenied(await s.patch(`/api/v1/breakthrough/registrations/${btr.listB}/items/${btr.itemB}`, { version: btr.versionB, title: 'Bị sửa' }), 'B’s item');
        assertDenied(await s.patch(`/api/v1/breakthrough/registrations/${btr.listA}/items/${btr.itemB}`, { version: btr.versionA, title: 'Bị sửa' }), 'B’s item through A’s list');
      },
      'DELETE /api/v1/breakthrough/registrations/:id/items/:itemId': async (who) => {
        assertDenied(await as(who).delete(`/api/v1/breakthrough/registrations/${btr.listB}/items/${btr.itemB}?version=${btr.versionB}`), 'B’s item');
      },
      'POST /api/v1/breakthrough/registrations/:id/submit': async (who) => {
        assertDenied(await as(who).post(`/api/v1/breakthrough/registrations/${btr.listB}/submit`, { version: btr.versionB }), 'B’s list');
      },
      'POST /api/v1/breakthrough/registrations/:id/approve': async (who) => {
        assertDenied(await as(who).post(`/api/v1/breakthrough/registrations/${btr.listB}/approve`, { version: btr.versionB }), 'B’s list');
      },
      'POST /api/v1/breakthrough/registrations/:id/return': async (who) => {
        assertDenied(await as(who).post(`/api/v1/breakthrough/registrations/${btr.listB}/return`, { version: btr.versionB, comments: 'Trả lại' }), 'B’s list');
      },
      'PUT /api/v1/breakthrough/registrations/:id/items/:itemId/review': async (who) => {
        const url = `/api/v1/breakthrough/registrations/${btr.listB}/items/${btr.itemB}/review`;
        assertDenied(await as(who).request({ method: 'PUT', url, payload: { version: btr.versionB, result: 'achieved' } }), 'B’s item');
      },
      'GET /api/v1/breakthrough/overview': async (who) => {
        const s = as(who);
        const own = await s.get(`/api/v1/breakthrough/overview?year=${btr.year}`);
        assert.equal(own.statusCode, 200, own.body);
        assertNoB(own, 'A’s table');
        assert.equal(own.json().unit.id, districtA.id);
        assert.ok(own.body.toLowerCase().includes(A_MARK), 'A’s own item is there');
        for (const unitId of [districtB.id, communeB.id, province.id]) assertDenied(await s.get(`/api/v1/breakthrough/overview?year=${btr.year}&unitId=${unitId}`), `unitId=${unitId}`);
      },
      'GET /api/v1/breakthrough/overview.xlsx': async (who) => {
        const s = as(who);
        await assertExportHasNoB(await s.get(`/api/v1/breakthrough/overview.xlsx?year=${btr.year}`), 'export', true);
        for (const unitId of [districtB.id, province.id]) assertDenied(await s.get(`/api/v1/breakthrough/overview.xlsx?year=${btr.year}&unitId=${unitId}`), `export unitId=${unitId}`);
      },
      'GET /api/v1/breakthrough/overview.docx': async (who) => {
        const s = as(who);
        assert.equal((await s.get(`/api/v1/breakthrough/overview.docx?year=${btr.year}`)).statusCode, 200, 'A’s own report');
        for (const unitId of [districtB.id, province.id]) assertDenied(await s.get(`/api/v1/breakthrough/overview.docx?year=${btr.year}&unitId=${unitId}`), `report unitId=${unitId}`);
      },
      'GET /api/v1/projects': async (who) => {
        const s = as(who);
        const all = await s.get('/api/v1/projects?pageSize=500');
        assert.equal(all.statusCode, 200, all.body);
        assertNoB(all, 'the project list');
        assert.deepEqual(all.json().items.map((p: { id: number }) => p.id), [prj.projectA]);
        for (const unitId of [districtB.id, communeB.id, province.id]) assertDeniedOrEmpty(await s.get(`/api/v1/projects?unitId=${unitId}`), `unitId=${unitId}`);
        assertDeniedOrEmpty(await s.get(`/api/v1/projects?q=${B_MARK}`), 'q=B’s project');
        await assertExportHasNoB(await s.get('/api/v1/projects?format=xlsx'), 'export', true);
        await assertExportHasNoB(await s.get(`/api/v1/projects?format=xlsx&unitId=${districtB.id}`), 'export unitId=B', false);
      },
      'GET /api/v1/projects/overview': async (who) => {
        const s = as(who);
        const own = await s.get('/api/v1/projects/overview');
        assert.equal(own.statusCode, 200, own.body);
        assertNoB(own, 'the province view');
        assert.deepEqual(own.json().items.map((p: { id: number }) => p.id), [prj.projectA]);
        for (const unitId of [districtB.id, province.id]) assertDenied(await s.get(`/api/v1/projects/overview?unitId=${unitId}`), `unitId=${unitId}`);
        await assertExportHasNoB(await s.get('/api/v1/projects/overview?format=xlsx'), 'export', true);
      },
      'GET /api/v1/dashboard': async (who) => {
        const s = as(who);
        const own = await s.get('/api/v1/dashboard');
        assert.equal(own.statusCode, 200, own.body);
        assertNoB(own, 'A’s screen');
        assert.equal(own.json().unit.id, districtA.id);
        for (const unitId of [districtB.id, communeB.id, province.id]) {
          assertDenied(await s.get(`/api/v1/dashboard?unitId=${unitId}`), `unitId=${unitId}`);
          assertDenied(await s.get(`/api/v1/dashboard?unitId=${unitId}&format=xlsx`), `export unitId=${unitId}`);
        }
      },
      'POST /api/v1/projects': async (who) => {
        for (const managingUnitId of [districtB.id, communeB.id, province.id]) {
          assertDenied(await as(who).post('/api/v1/projects', { code: `SC-PJ-${managingUnitId}`, name: 'Dự án chen vào', investor: 'X', managingUnitId, totalCapital: 1 }), `a project of ${managingUnitId}`);
        }
      },
      'GET /api/v1/projects/:id': async (who) => {
        assertDenied(await as(who).get(`/api/v1/projects/${prj.projectB}`), 'B’s project');
        const own = await as(who).get(`/api/v1/projects/${prj.projectA}`);
        assert.equal(own.statusCode, 200, own.body);
        assertNoB(own, 'A’s project');
      },
      'DELETE /api/v1/projects/:id': async (who) => {
        assertDenied(await as(who).delete(`/api/v1/projects/${prj.projectB}`), 'B’s project');
      },
      'PATCH /api/v1/projects/:id': async (who) => {
        const s = as(who);
        assertDenied(await s.patch(`/api/v1/projects/${prj.projectB}`, { name: 'Bị sửa' }), 'B’s project');
        assertDenied(await s.patch(`/api/v1/projects/${prj.projectA}`, { managingUnitId: districtB.id }), 'A’s project moved to B');
      },
      'POST /api/v1/projects/:id/segments': async (who) => {
        assertDenied(await as(who).post(`/api/v1/projects/${prj.projectB}/segments`, { name: 'Đoạn chen', lengthKm: 1 }), 'a segment of B');
      },
      'PATCH /api/v1/projects/:id/segments/:segmentId': async (who) => {
        const s = as(who);
        assertDenied(await s.patch(`/api/v1/projects/${prj.projectB}/segments/${prj.segmentB}`, { name: 'Bị sửa' }), 'B’s segment');
        assertDenied(await s.patch(`/api/v1/projects/${prj.projectA}/segments/${prj.segmentB}`, { name: 'Bị sửa' }), 'B’s segment through A’s project');
      },
      'POST /api/v1/projects/:id/segments/:segmentId/progress': async (who) => {
        assertDenied(await as(who).post(`/api/v1/projects/${prj.projectB}/segments/${prj.segmentB}/progress`, { onDate: '2021-12-01', percent: 99 }), 'B’s progress');
      },
      'DELETE /api/v1/projects/:id/segments/:segmentId': async (who) => {
        const s = as(who);
        assertDenied(await s.delete(`/api/v1/projects/${prj.projectB}/segments/${prj.segmentB}`), 'B’s segment');
        assertDenied(await s.delete(`/api/v1/projects/${prj.projectA}/segments/${prj.segmentB}`), 'B’s segment through A’s project');
      },
      'DELETE /api/v1/projects/:id/segments/:segmentId/progress/:entryId': async (who) => {
        const s = as(who);
        assertDenied(await s.delete(`/api/v1/projects/${prj.projectB}/segments/${prj.segmentB}/progress/1`), 'B’s progress');
        assertDenied(await s.delete(`/api/v1/projects/${prj.projectA}/segments/${prj.segmentB}/progress/1`), 'B’s progress through A’s project');
      },
      'POST /api/v1/projects/:id/disbursements': async (who) => {
        assertDenied(await as(who).post(`/api/v1/projects/${prj.projectB}/disbursements`, { year: 2030, amount: 1 }), 'B’s disbursement');
      },
      'DELETE /api/v1/projects/:id/disbursements/:entryId': async (who) => {
        const s = as(who);
        assertDenied(await s.delete(`/api/v1/projects/${prj.projectB}/disbursements/${prj.disbursementB}`), 'B’s disbursement');
        assertDenied(await s.delete(`/api/v1/projects/${prj.projectA}/disbursements/${prj.disbursementB}`), 'B’s disbursement through A’s project');
      },
      'POST /api/v1/projects/:id/milestones': async (who) => {
        assertDenied(await as(who).post(`/api/v1/projects/${prj.projectB}/milestones`, { name: 'Chen', plannedOn: '2030-01-01' }), 'B’s milestone');
      },
      'PATCH /api/v1/projects/:id/milestones/:milestoneId': async (who) => {
        assertDenied(await as(who).patch(`/api/v1/projects/${prj.projectB}/milestones/${prj.milestoneB}`, { name: 'Bị sửa' }), 'B’s milestone');
      },
      'DELETE /api/v1/projects/:id/milestones/:milestoneId': async (who) => {
        assertDenied(await as(who).delete(`/api/v1/projects/${prj.projectB}/milestones/${prj.milestoneB}`), 'B’s milestone');
        assertDenied(await as(who).delete(`/api/v1/projects/${prj.projectA}/milestones/${prj.milestoneB}`), 'B’s milestone through A’s project');
      },
      'DELETE /api/v1/projects/:id/clearances/:communeId': async (who) => {
        assertDenied(await as(who).delete(`/api/v1/projects/${prj.projectB}/clearances/${communeB.id}`), 'B’s clearance');
      },
      'DELETE /api/v1/projects/:id/obstacles/:obstacleId': async (who) => {
        assertDenied(await as(who).delete(`/api/v1/projects/${prj.projectB}/obstacles/${prj.obstacleB}`), 'B’s obstacle');
        assertDenied(await as(who).delete(`/api/v1/projects/${prj.projectA}/obstacles/${prj.obstacleB}`), 'B’s obstacle through A’s project');
      },
      'PUT /api/v1/projects/:id/clearances/:communeId': async (who) => {
        const s = as(who);
        const figures = { affectedHouseholds: 1, affectedAreaM2: 1, agreedHouseholds: 0, compensationApproved: 0, compensationPaid: 0, handedOverAreaM2: 0 };
        assertDenied(await s.request({ method: 'PUT', url: `/api/v1/projects/${prj.projectB}/clearances/${communeB.id}`, payload: figures }), 'B’s clearance');
        assertDenied(await s.request({ method: 'PUT', url: `/api/v1/projects/${prj.projectA}/clearances/${communeB.id}`, payload: figures }), 'B’s commune in A’s project');
      },
      'POST /api/v1/projects/:id/obstacles': async (who) => {
        const body = { description: 'Chen vào', responsibleUnitId: communeB.id, assigneeUserId: ids.userB, dueOn: '2030-01-10' };
        assertDenied(await as(who).post(`/api/v1/projects/${prj.projectB}/obstacles`, body), 'an obstacle of B');
        assertDenied(await as(who).post(`/api/v1/projects/${prj.projectA}/obstacles`, body), 'a task for B through A’s project');
      },
      'POST /api/v1/projects/:id/obstacles/:obstacleId/resolve': async (who) => {
        assertDenied(await as(who).post(`/api/v1/projects/${prj.projectB}/obstacles/${prj.obstacleB}/resolve`, { resolution: 'Đóng hộ' }), 'B’s obstacle');
      },
      'POST /api/v1/projects/:id/photos': async (who) => {
        assertDenied(await as(who).request(projectPhotoUpload(prj.projectB)), 'a photo of B');
      },
      'GET /api/v1/projects/:id/photos/:photoId': async (who) => {
        assertDenied(await as(who).get(`/api/v1/projects/${prj.projectB}/photos/${prj.photoB}`), 'B’s photo');
        assertDenied(await as(who).get(`/api/v1/projects/${prj.projectA}/photos/${prj.photoB}`), 'B’s photo through A’s project');
      },
      ...tsk.probes,
      // Files of task progress reports (src/modules/tasks/files.ts): B's task takes no file from A, and B's files come out neither directly nor through A's task.
      'POST /api/v1/tasks/:id/files': async (who) => {
        const f = await taskFileOfB();
        const res = await as(who).request({ method: 'POST', url: `/api/v1/tasks/${f.taskB}/files`, ...multipartFile('file', 'a.pdf', '%PDF-1.4 AMARK\n', 'application/pdf') });
        assertDenied(res, 'a file for B’s task');
      },
      'GET /api/v1/tasks/:id/reports/:reportId/files/:fileId': async (who) => {
        const f = await taskFileOfB();
        const own = await as('userB').get(`/api/v1/tasks/${f.taskB}/reports/${f.reportB}/files/${f.fileB}`);
        assert.equal(own.statusCode, 200, `the file is there for those in scope: ${own.body}`);
        assertDenied(await as(who).get(`/api/v1/tasks/${f.taskB}/reports/${f.reportB}/files/${f.fileB}`), 'B’s report file');
        assertDenied(await as(who).get(`/api/v1/tasks/${f.taskA}/reports/${f.reportB}/files/${f.fileB}`), 'B’s report file through A’s task');
      },
      'GET /api/v1/events': async () => {
        // Checked for both actors at once in its own test below (a stream needs a real socket).
      },
    };

    before(async () => {
      t = await buildTestApp(kind);
      province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: 'SC-P' });
      districtA = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Nam Sách AMARK', code: 'SC-AMARK' });
      districtB = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Thanh Hà BMARK', code: 'SC-BMARK' });
      communeA = await makeUnit(t.db, { parent: districtA, name: 'Xã An Bình AMARK', code: 'SC-AMARK-1' });
      communeB = await makeUnit(t.db, { parent: districtB, name: 'Xã Thanh Xuân BMARK', code: 'SC-BMARK-1' });
      bUnitIds = new Set([districtB.id, communeB.id]);

      ids.root = (await makeUser(t.db, { unit: province, role: 'administrator', username: 'sc.root', fullName: 'Quản trị tỉnh' })).id;
      ids.adminA = (await makeUser(t.db, { unit: districtA, role: 'administrator', username: usernames.adminA, fullName: 'Quản trị AMARK' })).id;
      ids.officerA = (await makeUser(t.db, { unit: districtA, role: 'officer', username: usernames.officerA, fullName: 'Cán bộ AMARK' })).id;
      ids.citizenA = (await makeUser(t.db, { unit: districtA, role: 'citizen', username: usernames.citizenA, fullName: 'Người dân AMARK' })).id;
      root = await signIn(t.app, 'sc.root');

      // B's data, made through the API so that B has audit entries too.
      const userB = await root.post('/api/v1/users', {
        username: 'sc.user.bmark', fullName: 'Nguyễn Văn BMARK', password: TEST_PASSWORD, email: 'bmark@thanhha.gov.vn',
        grants: [{ role: 'officer', orgUnitId: communeB.id }],
      });
      assert.equal(userB.statusCode, 201, userB.body);
      ids.userB = userB.json().id;
      userBGrantId = userB.json().grants[0].id;
      const keyB = await root.post('/api/v1/api-keys', { name: 'Khóa BMARK', role: 'officer', orgUnitId: districtB.id });
      assert.equal(keyB.statusCode, 201, keyB.body);
      ids.keyB = keyB.json().apiKey.id;
      assert.equal((await root.patch(`/api/v1/org-units/${communeB.id}`, { lat: 20.9, lng: 106.4 })).statusCode, 200);
      const exception = await root.post('/api/v1/calendar/exceptions', { date: '2026-09-01', kind: 'off', name: 'Nghỉ lễ Quốc khánh (bù)' });
      assert.equal(exception.statusCode, 201, exception.body);
      ids.exception = exception.json().id;
      rootAdminGrantId = (await root.get(`/api/v1/users/${ids.root}`)).json().grants[0].id;
      // B's user is locked out (for the unlock probe) and signed in (for the logout probes).
      actors.userB = await signIn(t.app, 'sc.user.bmark');
      await t.db.insertInto('login_throttle').values({ username: 'sc.user.bmark', failures: 5, locked_until: new Date(Date.now() + 3600_000), updated_at: new Date() }).execute();

      // A's own data, so that answers empty by mistake fail.
      const userA = await root.post('/api/v1/users', {
        username: 'sc.user.amark', fullName: 'Trần Thị AMARK', password: TEST_PASSWORD, grants: [{ role: 'officer', orgUnitId: communeA.id }],
      });
      assert.equal(userA.statusCode, 201, userA.body);
      ids.userA = userA.json().id;


      // Citizen feedback: a category of the locality, one report in each commune, each assigned there.
      const category = await root.post('/api/v1/feedback/categories', { code: 'SC-RAC', name: 'Rác thải' });
      assert.equal(category.statusCode, 201, category.body);
      fb.categoryId = category.json().id;
      assert.equal((await root.patch(`/api/v1/org-units/${communeA.id}`, { lat: 21.0, lng: 106.3 })).statusCode, 200);
      const subA = await submitReport(t.app, { category: 'SC-RAC', description: 'Rác AMARK đầu ngõ', lat: '21.0', lng: '106.3' });
      const subB = await submitReport(t.app, { category: 'SC-RAC', description: 'Rác BMARK cuối ngõ', lat: '20.9', lng: '106.4', phone: '0988123456', email: 'bmark@dan.vn' }, [await gpsPhoto()]);
      assert.equal(subB.statusCode, 201, subB.body);
      fb.codeB = subB.json().code;
      const reportIdOf = async (code: string) => (await root.get(`/api/v1/feedback/reports?q=${code}`)).json().items[0].id as number;
      fb.reportA = await reportIdOf(subA.json().code);
      fb.reportB = await reportIdOf(fb.codeB);
      assert.equal((await root.post(`/api/v1/feedback/reports/${fb.reportA}/verify`, { unitId: communeA.id })).statusCode, 200);
      const verifiedB = await root.post(`/api/v1/feedback/reports/${fb.reportB}/verify`, { unitId: communeB.id });
      assert.equal(verifiedB.statusCode, 200, verifiedB.body);
      fb.photoB = verifiedB.json().photos[0].id;
      fb.photoKeyB = verifiedB.json().photos[0].key;
      const notice = await sql<{ id: string }>`
        INSERT INTO notifications (user_id, org_unit_id, kind, report_id, message)
        VALUES (${ids.userB}, ${communeB.id}, 'overdue', ${fb.reportB}, 'Phản ánh BMARK quá hạn') RETURNING id`.execute(t.db);
      fb.notificationB = Number(notice.rows[0].id);

      // Dossiers: a one-stop source, a procedure, a late open dossier in each commune, through the dossiers' writer.
      const calendar = await t.app.services.calendar.calendar();
      const source = await sql<{ id: number }>`INSERT INTO dossier_sources (code, name) VALUES ('SC_MOTCUA', 'Một cửa thử') RETURNING id`.execute(t.db);
      await sql`INSERT INTO dossier_procedures (code, name, level, unit_kinds, processing_days) VALUES ('SC-KS', 'Đăng ký khai sinh', 'commune', '{commune}', 3)`.execute(t.db);
      const receivedAt = new Date(`${calendar.addWorkingDays(businessDateOf(new Date()), -40)}T09:00:00+07:00`);
      const lateDossier = (code: string, unitCode: string) => ({
        code, procedureCode: 'SC-KS', receivingUnitCode: unitCode, channel: 'in_person' as const, receivedAt,
        promisedReturnDate: calendar.addWorkingDays(businessDateOf(receivedAt), 10), handler: `Cán bộ ${code}`,
        events: [{ status: 'accepted' as const, at: receivedAt }], supplements: [], fee: null, paidOnline: null, synced: true,
        digitised: true, electronicResult: null, reusedData: false, rating: null, complaint: false,
      });
      const written = await inTransaction(t.db, (trx) =>
        writeDossiers(trx, source.rows[0].id, [lateDossier('HS-AMARK-1', communeA.code), lateDossier('HS-BMARK-1', communeB.code)], { calendar }),
      );
      assert.deepEqual(written.map((w) => w.result), ['created', 'created'], JSON.stringify(written));
      const dossierId = async (code: string) => Number((await sql<{ id: string }>`SELECT id FROM dossiers WHERE code = ${code}`.execute(t.db)).rows[0].id);
      dsr.lateA = await dossierId('HS-AMARK-1');
      dsr.lateB = await dossierId('HS-BMARK-1');
      dsr.sourceId = source.rows[0].id;
      dsr.procedureId = (await sql<{ id: number }>`SELECT id FROM dossier_procedures WHERE code = 'SC-KS'`.execute(t.db)).rows[0].id;

      actors.adminA = await signIn(t.app, usernames.adminA);
      actors.officerA = await signIn(t.app, usernames.officerA);
      actors.citizenA = await signIn(t.app, usernames.citizenA);
      const keyA = await actors.adminA.post('/api/v1/api-keys', { name: 'Khóa AMARK', role: 'officer', orgUnitId: communeA.id });
      assert.equal(keyA.statusCode, 201, keyA.body);
      ids.keyA = keyA.json().apiKey.id;

      // Dossier imports: B's (by B's administrator, of B's commune, checked) and A's own; the
      // province's source pushes with B's key; A's key serves a source of its own.
      dsr.keyASecret = keyA.json().secret;
      assert.equal((await root.patch(`/api/v1/dossiers/sources/${dsr.sourceId}`, { apiKeyId: ids.keyB })).statusCode, 200);
      assert.equal((await root.post('/api/v1/dossiers/sources', { code: 'SC_MOTCUA_A', name: 'Một cửa A', apiKeyId: ids.keyA })).statusCode, 201);
      await makeUser(t.db, { unit: districtB, role: 'administrator', username: 'sc.admin.bmark', fullName: 'Quản trị BMARK' });
      const adminB = await signIn(t.app, 'sc.admin.bmark');
      const fileOf = (code: string, unit: string) =>
        Buffer.from(`Mã hồ sơ,Mã thủ tục,Đơn vị tiếp nhận,Kênh nộp,Ngày tiếp nhận,Trạng thái\n${code},SC-KS,${unit},1,05/01/2026 09:00,2\nlỗi,SC-KS,${unit},9,05/01/2026,2\n`);
      const importB = await uploadDossiers(adminB, dsr.sourceId, 'ho-so-BMARK.csv', fileOf('HS-BMARK-3', communeB.code));
      assert.equal(importB.statusCode, 201, importB.body);
      dsr.importB = importB.json().import.id;
      assert.equal((await adminB.post(`/api/v1/dossiers/imports/${dsr.importB}/check`, {})).statusCode, 202);
      assert.equal((await waitForRun(adminB, dsr.importB)).state, 'checked');
      const importA = await uploadDossiers(actors.adminA, dsr.sourceId, 'ho-so-AMARK.csv', fileOf('HS-AMARK-3', communeA.code));
      assert.equal(importA.statusCode, 201, importA.body);
      dsr.importA = importA.json().import.id;

      // Breakthrough lists: each district's leader registers next year's list; B submits it to the province.
      btr.year = new Date().getFullYear() + 1;
      const btList = async (username: string, unit: Unit, title: string, assigneeUserId: number | null) => {
        const leader = await signIn(t.app, username);
        const created = await leader.post('/api/v1/breakthrough/registrations', { unitId: unit.id, year: btr.year });
        assert.equal(created.statusCode, 201, created.body);
        const item = { title, leadUnitId: unit.id, assigneeUserId, dueOn: `${btr.year}-06-30`, expectedResult: `Kết quả ${title}` };
        const withItem = await leader.post(`/api/v1/breakthrough/registrations/${created.json().id}/items`, { version: created.json().version, ...item });
        assert.equal(withItem.statusCode, 201, withItem.body);
        return { leader, list: withItem.json() as { id: number; version: number; items: { id: number }[] } };
      };
      await makeUser(t.db, { unit: districtA, role: 'leader', username: 'sc.bt.amark', fullName: 'Lãnh đạo AMARK' });
      await makeUser(t.db, { unit: districtB, role: 'leader', username: 'sc.bt.bmark', fullName: 'Lãnh đạo BMARK' });
      const btA = await btList('sc.bt.amark', districtA, 'Công việc đột phá AMARK', null);
      const btB = await btList('sc.bt.bmark', districtB, 'Công việc đột phá BMARK', ids.userB);
      const submittedB = await btB.leader.post(`/api/v1/breakthrough/registrations/${btB.list.id}/submit`, { version: btB.list.version });
      assert.equal(submittedB.statusCode, 200, submittedB.body);
      Object.assign(btr, { listA: btA.list.id, itemA: btA.list.items[0].id, versionA: btA.list.version, listB: btB.list.id, itemB: btB.list.items[0].id, versionB: submittedB.json().version });

      // Key projects: one of each district (B's entered in full), inserted as their managers would have.
      const idOf = async (query: Promise<{ rows: { id: number }[] }>) => (await query).rows[0].id;
      const project = (code: string, name: string, unit: Unit) =>
        idOf(sql<{ id: number }>`INSERT INTO projects (code, name, investor, managing_unit_id, total_capital, status)
          VALUES (${code}, ${name}, ${`UBND ${name}`}, ${unit.id}, 10000000000, 'in_progress') RETURNING id`.execute(t.db));
      prj.projectA = await project('SC-PJ-AMARK', 'Đường AMARK', districtA);
      prj.projectB = await project('SC-PJ-BMARK', 'Đường BMARK', districtB);
      prj.segmentA = await idOf(sql<{ id: number }>`INSERT INTO project_segments (project_id, name, length_km) VALUES (${prj.projectA}, 'Đoạn AMARK', 1) RETURNING id`.execute(t.db));
      prj.segmentB = await idOf(
        sql<{ id: number }>`INSERT INTO project_segments (project_id, name, length_km, commune_unit_id) VALUES (${prj.projectB}, 'Đoạn BMARK', 2, ${communeB.id}) RETURNING id`.execute(t.db),
      );
      await sql`INSERT INTO project_progress_entries (segment_id, on_date, percent, note) VALUES (${prj.segmentB}, '2021-12-01', 40, 'Tiến độ BMARK')`.execute(t.db);
      prj.disbursementB = await idOf(sql<{ id: number }>`INSERT INTO project_disbursements (project_id, year, amount, note) VALUES (${prj.projectB}, 2021, 1000000000, 'BMARK') RETURNING id`.execute(t.db));
      prj.milestoneB = await idOf(sql<{ id: number }>`INSERT INTO project_milestones (project_id, name, planned_on) VALUES (${prj.projectB}, 'Mốc BMARK', '2022-01-01') RETURNING id`.execute(t.db));
      await sql`INSERT INTO project_clearances (project_id, commune_unit_id, affected_households, affected_area_m2, handed_over_area_m2, note)
        VALUES (${prj.projectB}, ${communeB.id}, 3, 1000, 500, 'GPMB BMARK')`.execute(t.db);
      prj.obstacleB = await idOf(
        sql<{ id: number }>`INSERT INTO project_obstacles (project_id, description, responsible_unit_id, due_on) VALUES (${prj.projectB}, 'Vướng mắc BMARK', ${communeB.id}, '2030-01-10') RETURNING id`.execute(t.db),
      );
      prj.photoB = await idOf(
        sql<{ id: number }>`INSERT INTO project_photos (project_id, taken_on, caption, file_key, mime, size, width, height)
          VALUES (${prj.projectB}, '2021-12-01', 'Ảnh BMARK', ${'b'.repeat(64)}, 'image/jpeg', 10, 1, 1) RETURNING id`.execute(t.db),
      );
    });
    before(() => tsk.setup({ t, province, districtA, districtB, officerA: ids.officerA, userB: ids.userB }));
    after(() => t.close());

    test('every /api/v1 route the app has is probed here (a new route without a scope probe fails this test)', () => {
      assert.deepEqual(apiRouteKeys(t.app), Object.keys(probes).sort());
    });

    for (const [route, probe] of Object.entries(probes)) {
      if (route === 'GET /api/v1/events') continue;
      test(`${route}: neither A's administrator nor A's officer reaches B, and nothing changes`, async () => {
        const before = await state();
        for (const who of ['adminA', 'officerA'] as const) await probe(who);
        assert.deepEqual(await state(), before);
      });
    }

    test("GET /api/v1/events: the live stream brings A's events and never B's", async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as AddressInfo;
      const streams = await Promise.all((['adminA', 'officerA'] as const).map((who) => openStream(port, as(who).cookie)));
      try {
        assert.equal((await root.patch(`/api/v1/org-units/${communeB.id}`, { lat: 20.91 })).statusCode, 200);
        assert.equal((await root.patch(`/api/v1/org-units/${districtB.id}`, { lat: 20.92 })).statusCode, 200);
        assert.equal((await root.patch(`/api/v1/org-units/${communeA.id}`, { lat: 21.01 })).statusCode, 200);
        for (const stream of streams) {
          // Events arrive in the order published: once A's is here, B's would have been too.
          await stream.waitFor((e) => e.data.orgUnitId === communeA.id);
          assert.deepEqual(stream.events.filter((e) => e.data.orgUnitId !== null && bUnitIds.has(e.data.orgUnitId)), []);
          assert.equal(stream.text().toLowerCase().includes(B_MARK), false);
        }
      } finally {
        for (const stream of streams) stream.close();
      }
    });

    test('an officer of A gets 403 on every administration write, even on A’s own records', async () => {
      const officer = as('officerA');
      const writes: Record<string, () => Promise<Res>> = {
        'POST /api/v1/org-units': () => officer.post('/api/v1/org-units', { code: 'SC-OFF-1', name: 'Xã mới', kind: 'commune', parentId: districtA.id }),
        'PATCH /api/v1/org-units/:id': () => officer.patch(`/api/v1/org-units/${communeA.id}`, { name: 'Đổi tên' }),
        'POST /api/v1/org-units/:id/move': () => officer.post(`/api/v1/org-units/${communeA.id}/move`, { parentId: districtA.id }),
        'POST /api/v1/org-units/:id/deactivate': () => officer.post(`/api/v1/org-units/${communeA.id}/deactivate`),
        'POST /api/v1/org-units/:id/activate': () => officer.post(`/api/v1/org-units/${communeA.id}/activate`),
        'POST /api/v1/org-units/import': () =>
          officer.request({ method: 'POST', url: '/api/v1/org-units/import?dryRun=false', ...multipartFile('file', 'u.csv', 'code,name,kind,parentCode\nSC-OFF-2,Xã,commune,SC-AMARK\n') }),
        'POST /api/v1/users': () => officer.post('/api/v1/users', { username: 'sc.off.new', fullName: 'Mới', password: 'Nguoi-moi-den#2026', grants: [{ role: 'officer', orgUnitId: communeA.id }] }),
        'PATCH /api/v1/users/:id': () => officer.patch(`/api/v1/users/${ids.userA}`, { fullName: 'Đổi' }),
        'POST /api/v1/users/:id/grants': () => officer.post(`/api/v1/users/${ids.officerA}/grants`, { role: 'administrator', orgUnitId: districtA.id }),
        'DELETE /api/v1/users/:id/grants/:grantId': async () => {
          const grant = (await t.db.selectFrom('user_grants').select('id').where('user_id', '=', ids.userA).executeTakeFirstOrThrow()).id;
          return officer.delete(`/api/v1/users/${ids.userA}/grants/${grant}`);
        },
        'POST /api/v1/users/:id/password': () => officer.post(`/api/v1/users/${ids.userA}/password`, { password: 'Chiem-tai-khoan#2026' }),
        'POST /api/v1/users/:id/unlock': () => officer.post(`/api/v1/users/${ids.userA}/unlock`),
        'POST /api/v1/api-keys': () => officer.post('/api/v1/api-keys', { name: 'Khóa', role: 'officer', orgUnitId: communeA.id }),
        'POST /api/v1/api-keys/:id/revoke': () => officer.post(`/api/v1/api-keys/${ids.keyA}/revoke`),
        'POST /api/v1/calendar/exceptions': () => officer.post('/api/v1/calendar/exceptions', { date: '2026-12-30', kind: 'off', name: 'Nghỉ' }),
        'DELETE /api/v1/calendar/exceptions/:id': () => officer.delete(`/api/v1/calendar/exceptions/${ids.exception}`),
        'POST /api/v1/feedback/categories': () => officer.post('/api/v1/feedback/categories', { code: 'SC-OFF-CAT', name: 'Lĩnh vực' }),
        'PATCH /api/v1/feedback/categories/:id': () => officer.patch(`/api/v1/feedback/categories/${fb.categoryId}`, { name: 'Đổi' }),
        'POST /api/v1/dossiers/procedures': () => officer.post('/api/v1/dossiers/procedures', { code: 'SC-OFF-P', name: 'Thủ tục', level: 'commune' }),
        'PATCH /api/v1/dossiers/procedures/:id': () => officer.patch(`/api/v1/dossiers/procedures/${dsr.procedureId}`, { name: 'Đổi' }),
        'POST /api/v1/dossiers/procedures/:id/deactivate': () => officer.post(`/api/v1/dossiers/procedures/${dsr.procedureId}/deactivate`),
        'POST /api/v1/dossiers/procedures/:id/activate': () => officer.post(`/api/v1/dossiers/procedures/${dsr.procedureId}/activate`),
        'POST /api/v1/dossiers/sources': () => officer.post('/api/v1/dossiers/sources', { code: 'SC_OFF_S', name: 'Nguồn' }),
        'PATCH /api/v1/dossiers/sources/:id': () => officer.patch(`/api/v1/dossiers/sources/${dsr.sourceId}`, { name: 'Đổi' }),
        'POST /api/v1/dossiers/sources/:id/deactivate': () => officer.post(`/api/v1/dossiers/sources/${dsr.sourceId}/deactivate`),
        'POST /api/v1/dossiers/sources/:id/activate': () => officer.post(`/api/v1/dossiers/sources/${dsr.sourceId}/activate`),
        'POST /api/v1/dossiers/imports': () =>
          officer.request({ method: 'POST', url: '/api/v1/dossiers/imports', ...multipartFile('file', 'hs.csv', 'Mã hồ sơ\nHS-1\n') }),
        'POST /api/v1/dossiers/imports/:id/check': () => officer.post('/api/v1/dossiers/imports/987654/check', {}),
        'POST /api/v1/dossiers/imports/:id/run': () => officer.post('/api/v1/dossiers/imports/987654/run', {}),
        'POST /api/v1/dossiers/imports/:id/cancel': () => officer.post('/api/v1/dossiers/imports/987654/cancel'),
        // Key projects are entered by the managing unit's leaders and operators, not its officers.
        'POST /api/v1/projects': () => officer.post('/api/v1/projects', { code: 'SC-OFF-PJ', name: 'Dự án', investor: 'X', managingUnitId: districtA.id, totalCapital: 1 }),
        'PATCH /api/v1/projects/:id': () => officer.patch(`/api/v1/projects/${prj.projectA}`, { name: 'Đổi' }),
        'DELETE /api/v1/projects/:id': () => officer.delete(`/api/v1/projects/${prj.projectA}`),
        'POST /api/v1/projects/:id/segments': () => officer.post(`/api/v1/projects/${prj.projectA}/segments`, { name: 'Đoạn', lengthKm: 1 }),
        'PATCH /api/v1/projects/:id/segments/:segmentId': () => officer.patch(`/api/v1/projects/${prj.projectA}/segments/${prj.segmentA}`, { name: 'Đổi' }),
        'POST /api/v1/projects/:id/segments/:segmentId/progress': () => officer.post(`/api/v1/projects/${prj.projectA}/segments/${prj.segmentA}/progress`, { onDate: '2021-12-01', percent: 10 }),
        'POST /api/v1/projects/:id/disbursements': () => officer.post(`/api/v1/projects/${prj.projectA}/disbursements`, { year: 2021, amount: 1 }),
        'DELETE /api/v1/projects/:id/disbursements/:entryId': () => officer.delete(`/api/v1/projects/${prj.projectA}/disbursements/987654`),
        'POST /api/v1/projects/:id/milestones': () => officer.post(`/api/v1/projects/${prj.projectA}/milestones`, { name: 'Mốc', plannedOn: '2030-01-01' }),
        'PATCH /api/v1/projects/:id/milestones/:milestoneId': () => officer.patch(`/api/v1/projects/${prj.projectA}/milestones/987654`, { name: 'Đổi' }),
        'PUT /api/v1/projects/:id/clearances/:communeId': () =>
          officer.request({
            method: 'PUT',
            url: `/api/v1/projects/${prj.projectA}/clearances/${communeA.id}`,
            payload: { affectedHouseholds: 1, affectedAreaM2: 1, agreedHouseholds: 0, compensationApproved: 0, compensationPaid: 0, handedOverAreaM2: 0 },
          }),
        'POST /api/v1/projects/:id/obstacles': () => officer.post(`/api/v1/projects/${prj.projectA}/obstacles`, { description: 'X', responsibleUnitId: communeA.id, dueOn: '2030-01-10' }),
        'POST /api/v1/projects/:id/obstacles/:obstacleId/resolve': () => officer.post(`/api/v1/projects/${prj.projectA}/obstacles/987654/resolve`, { resolution: 'X' }),
        'DELETE /api/v1/projects/:id/segments/:segmentId': () => officer.delete(`/api/v1/projects/${prj.projectA}/segments/${prj.segmentA}`),
        'DELETE /api/v1/projects/:id/segments/:segmentId/progress/:entryId': () => officer.delete(`/api/v1/projects/${prj.projectA}/segments/${prj.segmentA}/progress/987654`),
        'DELETE /api/v1/projects/:id/milestones/:milestoneId': () => officer.delete(`/api/v1/projects/${prj.projectA}/milestones/987654`),
        'DELETE /api/v1/projects/:id/clearances/:communeId': () => officer.delete(`/api/v1/projects/${prj.projectA}/clearances/${communeA.id}`),
        'DELETE /api/v1/projects/:id/obstacles/:obstacleId': () => officer.delete(`/api/v1/projects/${prj.projectA}/obstacles/987654`),
        'POST /api/v1/projects/:id/photos': () => officer.request(projectPhotoUpload(prj.projectA)),
        // Breakthrough lists are their unit's leaders' and operators' (and the superior's) to change.
        'POST /api/v1/breakthrough/registrations': () => officer.post('/api/v1/breakthrough/registrations', { unitId: districtA.id, year: btr.year - 1 }),
        'POST /api/v1/breakthrough/registrations/:id/items': () => officer.post(`/api/v1/breakthrough/registrations/${btr.listA}/items`, { version: btr.versionA, title: 'Thêm' }),
        'PATCH /api/v1/breakthrough/registrations/:id/items/:itemId': () =>
          officer.patch(`/api/v1/breakthrough/registrations/${btr.listA}/items/${btr.itemA}`, { version: btr.versionA, title: 'Đổi' }),
        'DELETE /api/v1/breakthrough/registrations/:id/items/:itemId': () => officer.delete(`/api/v1/breakthrough/registrations/${btr.listA}/items/${btr.itemA}?version=${btr.versionA}`),
        'POST /api/v1/breakthrough/registrations/:id/submit': () => officer.post(`/api/v1/breakthrough/registrations/${btr.listA}/submit`, { version: btr.versionA }),
        'POST /api/v1/breakthrough/registrations/:id/approve': () => officer.post(`/api/v1/breakthrough/registrations/${btr.listA}/approve`, { version: btr.versionA }),
        'POST /api/v1/breakthrough/registrations/:id/return': () => officer.post(`/api/v1/breakthrough/registrations/${btr.listA}/return`, { version: btr.versionA, comments: 'Trả' }),
        'PUT /api/v1/breakthrough/registrations/:id/items/:itemId/review': () =>
          officer.request({ method: 'PUT', url: `/api/v1/breakthrough/registrations/${btr.listA}/items/${btr.itemA}/review`, payload: { version: btr.versionA, result: 'achieved' } }),
      };
      Object.assign(writes, tsk.officerWrites(officer));
      const selfService = ['POST /api/v1/auth/login', 'POST /api/v1/auth/logout', 'POST /api/v1/auth/logout-all', 'POST /api/v1/auth/password'];
      // Handling citizen reports is an officer's work, not administration; the public routes need no account.
      const work = ['POST /api/v1/feedback/reports/', 'POST /api/v1/feedback/notifications/', 'POST /api/v1/public/', 'POST /api/v1/dossiers/:id/apology-letter', 'POST /api/v1/dossiers/batch', ...tsk.work, 'POST /api/v1/tasks/:id/files'];
      const allWrites = apiRouteKeys(t.app).filter((k) => !k.startsWith('GET ') && !selfService.includes(k) && !work.some((w) => k.startsWith(w)));
      assert.deepEqual(Object.keys(writes).sort(), allWrites, 'every administration write is tried');

      const before = await state();
      for (const [route, write] of Object.entries(writes)) {
        const res = await write();
        assert.equal(res.statusCode, 403, `${route}: ${res.body}`);
        assert.equal(res.json().code, 'FORBIDDEN', route);
      }
      for (const url of ['/api/v1/users', `/api/v1/users/${ids.userA}`, '/api/v1/api-keys', '/api/v1/audit']) {
        const res = await officer.get(url);
        assert.equal(res.statusCode, 403, `${url}: ${res.body}`);
      }
      assert.deepEqual(await state(), before);
    });

    test('a citizen grant sees no org units', async () => {
      const citizen = as('citizenA');
      for (const url of ['/api/v1/org-units', `/api/v1/org-units?rootId=${districtA.id}`, '/api/v1/org-units/tree', `/api/v1/org-units/${districtA.id}`, `/api/v1/org-units/${communeA.id}`]) {
        const res = await citizen.get(url);
        if (res.statusCode === 200) assert.deepEqual(res.json().items, [], url);
        else assert.ok([403, 404].includes(res.statusCode), `${url}: ${res.statusCode}`);
        assert.equal(res.body.toLowerCase().includes(A_MARK), false, `${url} shows a unit to a citizen`);
      }
      for (const url of ['/api/v1/users', '/api/v1/api-keys', '/api/v1/audit']) assert.equal((await citizen.get(url)).statusCode, 403, url);
      assert.equal((await citizen.get('/api/v1/auth/me')).statusCode, 200, 'the citizen is signed in all the same');
    });

    test('without a session every /api/v1 route answers 401, except signing in and out', async () => {
      const open = ['POST /api/v1/auth/login', 'POST /api/v1/auth/logout'];
      const routes = apiRouteKeys(t.app).filter((k) => !open.includes(k) && !k.includes(' /api/v1/public/'));
      assert.ok(routes.length >= 30, `found ${routes.length} routes`);
      const headerSets = { 'no cookie': {}, 'an unknown cookie': { cookie: 'dh_session=forged-or-expired-token-0123456789' } };
      for (const [label, headers] of Object.entries(headerSets)) {
        for (const key of routes) {
          const [method, pattern] = key.split(' ');
          const url = pattern.replace(':year', '2026').replace(/:\w+/g, '1');
          const res = await t.app.inject({ method: method as 'GET', url, headers });
          assert.equal(res.statusCode, 401, `${label}: ${key} → ${res.statusCode} ${res.body}`);
          assert.equal(res.json().code, 'UNAUTHENTICATED', `${label}: ${key}`);
        }
      }
      const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'sc.root', password: 'wrong-password-1' } });
      assert.equal(login.statusCode, 401);
      assert.equal(login.json().code, 'INVALID_CREDENTIALS', 'sign-in is open: it answers on the credentials');
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode, 204);
    });
  });
}

interface StreamEvent {
  type: string;
  data: { type: string; orgUnitId: number | null; payload: unknown };
}

/** A live-event stream over a real socket, as a browser's EventSource would hold it. */
function openStream(port: number, cookie: string) {
  return new Promise<{ events: StreamEvent[]; text(): string; waitFor(match: (e: StreamEvent) => boolean): Promise<void>; close(): void }>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/events', headers: { cookie: `dh_session=${cookie}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      const events: StreamEvent[] = [];
      let raw = '';
      let buffer = '';
      const waiters: { match: (e: StreamEvent) => boolean; done: () => void }[] = [];
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!type || !data) continue;
          const event = { type, data: JSON.parse(data) };
          events.push(event);
          for (const w of waiters.filter((w) => w.match(event))) w.done();
        }
      });
      resolve({
        events,
        text: () => raw,
        waitFor: (match) =>
          events.some(match)
            ? Promise.resolve()
            : new Promise<void>((done, fail) => {
                const timer = setTimeout(() => fail(new Error('the expected event never came')), 5000);
                waiters.push({
                  match,
                  done: () => {
                    clearTimeout(timer);
                    done();
                  },
                });
              }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
