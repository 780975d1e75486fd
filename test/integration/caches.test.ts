import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/pool.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { multipartFile } from '../helpers/xlsx.js';

// The in-memory caches (signed-in users for SESSION_CACHE_SECONDS, the org-unit tree for
// ORG_UNIT_CACHE_SECONDS) at their production defaults: a change made through the app is seen by
// the very next request, and on PostgreSQL by the other instances within moments.

const codes = (res: { json(): { items: { code: string }[] } }) => res.json().items.map((u) => u.code).sort();

async function eventually(check: () => Promise<boolean>, what: string, ms = 3000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const kind of await testBackends()) {
  describe(`caches on ${kind}`, () => {
    let t: TestApp;
    let admin: Session;
    let province: Awaited<ReturnType<typeof makeUnit>>;
    let district: Awaited<ReturnType<typeof makeUnit>>;

    before(async () => {
      t = await buildTestApp(kind, { SESSION_CACHE_SECONDS: '60', ORG_UNIT_CACHE_SECONDS: '600' });
      province = await makeUnit(t.db, { code: 'CA-HD', name: 'Tỉnh Thử' });
      district = await makeUnit(t.db, { parent: province, kind: 'district', code: 'CA-NS', name: 'Huyện Thử' });
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'ca.admin' });
      admin = await signIn(t.app, 'ca.admin');
    });
    after(() => t.close());

    test('a unit created, moved, deactivated or imported through the app is in the next list and tree', async () => {
      assert.deepEqual(codes(await admin.get('/api/v1/org-units?rootId=' + district.id)), ['CA-NS'], 'the tree is now cached');
      const created = await admin.post('/api/v1/org-units', { code: 'CA-NS-1', name: 'Xã Một', kind: 'commune', parentId: district.id });
      assert.equal(created.statusCode, 201, created.body);
      assert.deepEqual(codes(await admin.get('/api/v1/org-units?rootId=' + district.id)), ['CA-NS', 'CA-NS-1']);
      assert.equal((await admin.get('/api/v1/org-units/' + district.id)).json().childCount, 1);

      await admin.post(`/api/v1/org-units/${created.json().id}/deactivate`);
      assert.deepEqual(codes(await admin.get(`/api/v1/org-units?rootId=${district.id}&active=false`)), ['CA-NS-1']);

      const moved = await admin.post(`/api/v1/org-units/${created.json().id}/move`, { parentId: province.id });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.deepEqual(codes(await admin.get('/api/v1/org-units?rootId=' + district.id)), ['CA-NS']);

      const file = multipartFile('file', 'units.csv', 'code,name,kind,parentCode,lat,lng\nCA-NS-2,Xã Hai,commune,CA-NS,,\n');
      const imported = await admin.request({ method: 'POST', url: '/api/v1/org-units/import?dryRun=false', ...file });
      assert.equal(imported.statusCode, 200, imported.body);
      const tree = await admin.get('/api/v1/org-units/tree?rootId=' + district.id);
      assert.deepEqual(tree.json().items.map((u: { code: string }) => u.code).sort(), ['CA-NS', 'CA-NS-2']);
    });

    test('a session ended, a user disabled or a grant removed takes effect on the next request', async () => {
      const officer = await makeUser(t.db, { unit: district, role: 'officer', username: 'ca.canbo' });
      const a = await signIn(t.app, 'ca.canbo');
      const b = await signIn(t.app, 'ca.canbo');
      assert.equal((await a.get('/api/v1/org-units/tree')).statusCode, 200, 'the session is now cached');
      assert.equal((await b.get('/api/v1/org-units/tree')).statusCode, 200);

      await a.post('/api/v1/auth/logout');
      assert.equal((await a.get('/api/v1/auth/me')).statusCode, 401, 'signed out');
      assert.equal((await b.get('/api/v1/auth/me')).statusCode, 200, 'the other session lives on');

      const grants = (await admin.get(`/api/v1/users/${officer.id}`)).json().grants;
      assert.equal((await admin.delete(`/api/v1/users/${officer.id}/grants/${grants[0].id}`)).statusCode, 200);
      assert.equal((await b.get('/api/v1/org-units/tree')).statusCode, 403, 'no grant left: no units');

      assert.equal((await admin.patch(`/api/v1/users/${officer.id}`, { active: false })).statusCode, 200);
      assert.equal((await b.get('/api/v1/auth/me')).statusCode, 401, 'disabled');
    });

    if (kind === 'postgres') {
      test('across two instances, a change on one reaches the other’s caches through LISTEN/NOTIFY', async () => {
        const database = await openDatabase({ databaseUrl: t.testDb.url, poolSize: 4 });
        const config = loadConfig({ LOAD_DEMO: 'false', DATABASE_URL: t.testDb.url, SESSION_CACHE_SECONDS: '60', ORG_UNIT_CACHE_SECONDS: '600' });
        const other = await buildApp({ config, database });
        try {
          await other.ready();
          const onOther = await signIn(other, 'ca.admin');
          const seenOnOther = async () => codes(await onOther.get(`/api/v1/org-units?rootId=${province.id}&q=ca-x`));
          assert.deepEqual(await seenOnOther(), [], 'the other instance has its tree cached');
          // The listening connection opens in the background: give it a moment before relying on it.
          await new Promise((r) => setTimeout(r, 1500));
          assert.equal((await admin.post('/api/v1/org-units', { code: 'CA-X', name: 'Xã Xa', kind: 'commune', parentId: district.id })).statusCode, 201);
          await eventually(async () => (await seenOnOther()).includes('CA-X'), 'the other instance lists the new unit');

          const s = await signIn(t.app, 'ca.admin');
          const sameOnOther = { ...onOther, cookie: s.cookie };
          const meOnOther = () => other.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `dh_session=${sameOnOther.cookie}` } });
          assert.equal((await meOnOther()).statusCode, 200, 'the session is cached on the other instance');
          await s.post('/api/v1/auth/logout');
          await eventually(async () => (await meOnOther()).statusCode === 401, 'the other instance refuses the ended session');
        } finally {
          await other.close();
          await database.close();
        }
      });

      test('when an instance’s listening connection drops, it forgets its caches on reconnecting, as notifications were lost meanwhile', async () => {
        const list = async () => codes(await admin.get(`/api/v1/org-units?rootId=${province.id}&q=ca-lost`));
        assert.deepEqual(await list(), [], 'the tree is cached');
        await new Promise((r) => setTimeout(r, 1500));
        await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                  WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'`.execute(t.db);
        // A change whose notification nobody hears: written behind the app's back while it is deaf.
        await makeUnit(t.db, { parent: district, code: 'CA-LOST', name: 'Xã Lạc Tin' });
        await eventually(async () => (await list()).includes('CA-LOST'), 'the unit shows after the listener reconnects', 5000);
      });
    }
  });
}
