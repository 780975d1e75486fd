import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { apiRouteKeys } from '../helpers/routes.js';
import { readXlsx } from '../helpers/xlsx.js';

type Entry = { id: string; at: string; entityId: string | null; userId: number | null; orgUnitId: number | null; module: string; action: string };

for (const kind of await testBackends()) {
  describe(`the audit log on ${kind}`, () => {
    let t: TestApp;
    let root: Session;
    let adminA: Session;
    let province: Awaited<ReturnType<typeof makeUnit>>;
    let districtA: Awaited<ReturnType<typeof makeUnit>>;
    let districtB: Awaited<ReturnType<typeof makeUnit>>;
    let communeA: Awaited<ReturnType<typeof makeUnit>>;
    const users = {} as Record<'root' | 'adminA' | 'clerk', number>;

    const count = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(t.db)).rows[0].n;
    const entityIds = (res: { json(): { items: Entry[] } }) => res.json().items.map((e) => e.entityId);

    before(async () => {
      t = await buildTestApp(kind);
      province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: 'AD-HD' });
      districtA = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Nam Sách', code: 'AD-NS' });
      districtB = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Tứ Kỳ', code: 'AD-TK' });
      communeA = await makeUnit(t.db, { parent: districtA, name: 'Xã An Bình', code: 'AD-NS-AB' });
      users.root = (await makeUser(t.db, { unit: province, role: 'administrator', username: 'ad.root' })).id;
      users.adminA = (await makeUser(t.db, { unit: districtA, role: 'administrator', username: 'ad.admin.a' })).id;
      users.clerk = (await makeUser(t.db, { unit: districtB, role: 'officer', username: 'ad.clerk' })).id;
      root = await signIn(t.app, 'ad.root');
      adminA = await signIn(t.app, 'ad.admin.a');

      // Entries at known moments around Vietnamese midnight (UTC+7): 17:00Z is 00:00 the next day in Hà Nội.
      const seed: [string, string, number, string, string, number | null][] = [
        ['e1', '2026-03-01T16:30:00Z', users.root, 'seed', 'create', communeA.id], // 01/03 23:30 VN
        ['e2', '2026-03-01T17:30:00Z', users.adminA, 'seed', 'update', districtA.id], // 02/03 00:30 VN
        ['e3', '2026-03-02T16:59:59Z', users.clerk, 'seed', 'update', districtB.id], // 02/03 23:59:59 VN
        ['e4', '2026-03-02T17:00:00Z', users.root, 'seed', 'delete', null], // 03/03 00:00 VN
        ['e5', '2026-03-03T02:00:00Z', users.adminA, 'seed', 'create', communeA.id], // 03/03 09:00 VN
        ['e6', '2026-03-04T03:00:00Z', users.clerk, 'seed-other', 'create', districtB.id], // 04/03 10:00 VN
      ];
      for (const [entityId, at, userId, module, action, orgUnitId] of seed) {
        await t.db
          .insertInto('audit_log')
          .values({ at: new Date(at), user_id: userId, username: `user-${userId}`, ip: '10.0.0.1', module, action, entity_type: 'thing', entity_id: entityId, org_unit_id: orgUnitId, before: null, after: JSON.stringify({ n: entityId }) })
          .execute();
      }
    });
    after(() => t.close());

    test('no route changes the audit log: the only audit route is GET, and writes to it are 404', async () => {
      assert.deepEqual(apiRouteKeys(t.app).filter((k) => k.includes('/audit')), ['GET /api/v1/audit']);
      const before = await count();
      for (const method of ['PATCH', 'PUT', 'DELETE', 'POST'] as const) {
        for (const url of ['/api/v1/audit', '/api/v1/audit/1', `/api/v1/audit?module=seed`]) {
          const res = await root.request({ method, url, payload: { action: 'tampered' } });
          assert.equal(res.statusCode, 404, `${method} ${url}: ${res.statusCode}`);
          assert.equal(res.json().code, 'NOT_FOUND');
        }
      }
      assert.equal(await count(), before);
      const e1 = await t.db.selectFrom('audit_log').select(['action', 'after']).where('entity_id', '=', 'e1').executeTakeFirstOrThrow();
      assert.deepEqual(e1, { action: 'create', after: { n: 'e1' } });
    });

    test('in SQL, UPDATE, DELETE and TRUNCATE on audit_log raise an error; INSERT appends', async () => {
      const before = await count();
      const attempts = {
        UPDATE: sql`UPDATE audit_log SET action = 'tampered' WHERE entity_id = 'e1'`,
        DELETE: sql`DELETE FROM audit_log WHERE entity_id = 'e1'`,
        'DELETE all': sql`DELETE FROM audit_log`,
        TRUNCATE: sql`TRUNCATE audit_log`,
      };
      for (const [what, statement] of Object.entries(attempts)) {
        await assert.rejects(statement.execute(t.db), /append-only/, what);
      }
      assert.equal(await count(), before);
      const e1 = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', 'e1').executeTakeFirstOrThrow();
      assert.equal(e1.action, 'create');
      await sql`INSERT INTO audit_log (module, action, entity_type) VALUES ('sql', 'append', 'thing')`.execute(t.db);
      assert.equal(await count(), before + 1);
    });

    test('filters by user, module and action', async () => {
      const byUser = await root.get(`/api/v1/audit?module=seed&userId=${users.adminA}`);
      assert.equal(byUser.statusCode, 200, byUser.body);
      assert.deepEqual(entityIds(byUser), ['e5', 'e2']);
      const byAction = await root.get('/api/v1/audit?module=seed&action=update');
      assert.deepEqual(entityIds(byAction), ['e3', 'e2']);
      const byModule = await root.get('/api/v1/audit?module=seed-other');
      assert.deepEqual(entityIds(byModule), ['e6']);
      const nothing = await root.get('/api/v1/audit?module=seed&action=approve');
      assert.deepEqual([nothing.json().items.length, nothing.json().total], [0, 0]);
    });

    test('filtering by unit takes its whole subtree', async () => {
      const district = await root.get(`/api/v1/audit?module=seed&orgUnitId=${districtA.id}`);
      assert.deepEqual(entityIds(district), ['e5', 'e2', 'e1']);
      const commune = await root.get(`/api/v1/audit?module=seed&orgUnitId=${communeA.id}`);
      assert.deepEqual(entityIds(commune), ['e5', 'e1']);
      const whole = await root.get(`/api/v1/audit?orgUnitId=${province.id}&module=seed`);
      assert.deepEqual(entityIds(whole), ['e5', 'e3', 'e2', 'e1'], 'entries without a unit are not in any unit’s subtree');
      const unknown = await root.get('/api/v1/audit?orgUnitId=999999');
      assert.equal(unknown.statusCode, 404);
    });

    test('from and to are whole days in Vietnam time (UTC+7), both included', async () => {
      const oneDay = await root.get('/api/v1/audit?module=seed&from=2026-03-02&to=2026-03-02');
      assert.equal(oneDay.statusCode, 200, oneDay.body);
      assert.deepEqual(entityIds(oneDay), ['e3', 'e2']);
      const from = await root.get('/api/v1/audit?module=seed&from=2026-03-03');
      assert.deepEqual(entityIds(from), ['e5', 'e4']);
      const to = await root.get('/api/v1/audit?module=seed&to=2026-03-01');
      assert.deepEqual(entityIds(to), ['e1']);
      const reversed = await root.get('/api/v1/audit?from=2026-03-05&to=2026-03-01');
      assert.equal(reversed.statusCode, 400);
      assert.equal(reversed.json().code, 'INVALID_RANGE');
      for (const bad of ['02/03/2026', '2026-3-2', 'yesterday']) {
        const res = await root.get(`/api/v1/audit?from=${encodeURIComponent(bad)}`);
        assert.equal(res.statusCode, 400, bad);
        assert.equal(res.json().code, 'VALIDATION_FAILED', bad);
      }
    });

    test('pages come newest first with total, page and pageSize; sort=at turns the order', async () => {
      const seen: string[] = [];
      for (const page of [1, 2, 3]) {
        const res = await root.get(`/api/v1/audit?module=seed&pageSize=2&page=${page}`);
        const body = res.json();
        assert.deepEqual([body.total, body.page, body.pageSize], [5, page, 2]);
        seen.push(...entityIds(res).map(String));
      }
      assert.deepEqual(seen, ['e5', 'e4', 'e3', 'e2', 'e1']);
      const oldest = await root.get('/api/v1/audit?module=seed&sort=at&pageSize=1');
      assert.deepEqual(entityIds(oldest), ['e1']);
      const entry = oldest.json().items[0];
      assert.equal(typeof entry.id, 'string', 'audit ids are strings');
      assert.equal(entry.at, '2026-03-01T16:30:00.000Z');
      assert.deepEqual(entry.after, { n: 'e1' });
    });

    test('format=xlsx exports the filtered entries, all pages, with times as read in Vietnam', async () => {
      const res = await root.get('/api/v1/audit?module=seed&from=2026-03-02&to=2026-03-03&pageSize=1&format=xlsx');
      const rows = await readXlsx(res);
      assert.deepEqual(rows[0].slice(0, 6), ['Thời điểm', 'Người thực hiện', 'Địa chỉ IP', 'Phân hệ', 'Thao tác', 'Đối tượng']);
      assert.deepEqual(
        rows.slice(1).map((r) => [r[0], r[5]]),
        [
          ['2026-03-03T09:00:00.000Z', 'thing #e5'],
          ['2026-03-03T00:00:00.000Z', 'thing #e4'],
          ['2026-03-02T23:59:59.000Z', 'thing #e3'],
          ['2026-03-02T00:30:00.000Z', 'thing #e2'],
        ],
      );
    });

    test("a district administrator sees only entries of their district's units: not other districts', not unit-less ones", async () => {
      // A real change in A and one in B, besides the seeded entries.
      assert.equal((await root.patch(`/api/v1/org-units/${communeA.id}`, { name: 'Xã An Bình mới' })).statusCode, 200);
      assert.equal((await root.patch(`/api/v1/org-units/${districtB.id}`, { name: 'Huyện Tứ Kỳ mới' })).statusCode, 200);
      const res = await adminA.get('/api/v1/audit?pageSize=500');
      assert.equal(res.statusCode, 200, res.body);
      const items = res.json().items as Entry[];
      const inA = new Set([districtA.id, communeA.id]);
      assert.deepEqual(items.filter((e) => e.orgUnitId === null || !inA.has(e.orgUnitId)), []);
      assert.deepEqual(items.filter((e) => e.module === 'seed').map((e) => e.entityId), ['e5', 'e2', 'e1']);
      assert.ok(items.some((e) => e.module === 'orgunits' && e.entityId === String(communeA.id)), 'A’s own change is there');
      assert.equal(res.json().total, items.length);

      const other = await adminA.get(`/api/v1/audit?orgUnitId=${districtB.id}`);
      assert.equal(other.statusCode, 404);
      const clerk = await adminA.get(`/api/v1/audit?userId=${users.clerk}`);
      assert.deepEqual(clerk.json().items, [], 'B’s clerk’s entries stay hidden even by user');
      const rows = await readXlsx(await adminA.get('/api/v1/audit?format=xlsx'));
      const objects = rows.slice(1).map((r) => r[5]);
      assert.ok(objects.includes('thing #e1'), 'A’s own entries are exported');
      for (const hidden of ['thing #e3', 'thing #e4', 'thing #e6', `orgUnit #${districtB.id}`]) assert.equal(objects.includes(hidden), false, hidden);

      const rootView = await root.get('/api/v1/audit?module=seed');
      assert.equal(rootView.json().total, 5, 'the province administrator sees them all, unit-less included');
    });
  });
}
