import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/pool.js';
import { LOGIN_ATTEMPTS_PER_ADDRESS } from '../../src/platform/auth/service.js';
import { PUBLIC_LIMITS } from '../../src/modules/feedback/public-routes.js';
import { TEST_PASSWORD, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { submitReport } from '../helpers/feedback.js';

/**
 * The limits per client address that guard sign-in and the public feedback routes that write are
 * counted in the database (rate_limit_hits), so they hold however many instances share it: the
 * request after the limit is refused on this instance and on another; another address, or another
 * route, is not concerned; a new window starts afresh.
 */

const square = (lng: number, lat: number, d = 0.05) => ({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });

for (const kind of await testBackends()) {
  describe(`the limits per address on ${kind}`, () => {
    let t: TestApp;
    let second: FastifyInstance | null = null;
    let secondDb: Database | null = null;

    before(async () => {
      t = await buildTestApp(kind);
      const unit = await makeUnit(t.db, { name: 'Tỉnh thử', code: 'AL-P' });
      await makeUser(t.db, { unit, role: 'officer', username: 'al.officer' });
      await makeUser(t.db, { unit, role: 'administrator', username: 'al.admin' });
      const commune = await makeUnit(t.db, { parent: unit, kind: 'commune', name: 'Xã thử', code: 'AL-X' });
      await t.db.updateTable('org_units').set({ lat: 21.025, lng: 106.025, boundary: JSON.stringify(square(106.0, 21.0)) }).where('id', '=', commune.id).execute();
      const admin = await signIn(t.app, 'al.admin');
      const category = await admin.post('/api/v1/feedback/categories', { code: 'DEN', name: 'Đèn chiếu sáng', deadlineDays: 3 });
      assert.equal(category.statusCode, 201, category.body);
      if (kind === 'postgres') {
        secondDb = await openDatabase({ databaseUrl: t.testDb.url!, poolSize: 2 });
        second = await buildApp({ config: loadConfig({ LOAD_DEMO: 'false', DATABASE_URL: t.testDb.url! }), database: secondDb });
      }
    });
    after(async () => {
      await second?.close();
      await secondDb?.close();
      await t.close();
    });

    const login = (app: FastifyInstance, address: string, password = 'Sai-mat-khau#99') =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'al.officer', password }, remoteAddress: address });

    test('the attempt after the limit is refused, with the right password too; another address is not concerned', async () => {
      const apps = second ? [t.app, second] : [t.app];
      // Spread over the instances; wrong names, so the per-name lockout never decides.
      for (let i = 0; i < LOGIN_ATTEMPTS_PER_ADDRESS; i++) {
        const res = await apps[i % apps.length].inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `nobody.${i}`, password: 'x' }, remoteAddress: '10.88.0.1' });
        assert.equal(res.statusCode, 401, `attempt ${i + 1}: ${res.body}`);
      }
      for (const app of apps) {
        const refused = await login(app, '10.88.0.1', TEST_PASSWORD);
        assert.equal(refused.statusCode, 429, refused.body);
        assert.equal(refused.json().code, 'TOO_MANY_REQUESTS');
        assert.match(refused.json().message, /thử lại sau \d+ giây/);
      }
      const elsewhere = await login(t.app, '10.88.0.2', TEST_PASSWORD);
      assert.equal(elsewhere.statusCode, 200, elsewhere.body);

      // A minute later (the window moved back in SQL) the address may try again.
      await sql`UPDATE rate_limit_hits SET window_start = window_start - interval '61 seconds' WHERE bucket = 'POST /api/v1/auth/login' AND key = '10.88.0.1'`.execute(t.db);
      const later = await login(apps[apps.length - 1], '10.88.0.1', TEST_PASSWORD);
      assert.equal(later.statusCode, 200, later.body);
    });

    test('a flood of public submissions spread over the instances is refused on each; sign-in from the address is not', async () => {
      const apps = second ? [t.app, second] : [t.app];
      const report = (app: FastifyInstance, ip: string, i: number) =>
        submitReport(app, { category: 'DEN', description: `Đèn đường số ${i} không sáng`, lat: '21.02', lng: '106.02', anonymous: 'true' }, [], { ip });
      for (let i = 0; i < PUBLIC_LIMITS.submit.max; i++) {
        const res = await report(apps[i % apps.length], '10.88.1.1', i);
        assert.equal(res.statusCode, 201, `submission ${i + 1}: ${res.body}`);
      }
      for (const app of apps) {
        const refused = await report(app, '10.88.1.1', 99);
        assert.equal(refused.statusCode, 429, refused.body);
        assert.equal(refused.json().code, 'TOO_MANY_REQUESTS');
        assert.ok(Number(refused.headers['retry-after']) > 0, 'says when to try again');
      }
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM feedback_reports`.execute(t.db);
      assert.equal(rows[0].n, PUBLIC_LIMITS.submit.max, 'nothing refused was stored');
      assert.equal((await report(t.app, '10.88.1.2', 0)).statusCode, 201, 'another address');
      assert.equal((await login(apps[apps.length - 1], '10.88.1.1', TEST_PASSWORD)).statusCode, 200, 'another route');

      // Ten minutes later (the window moved back in SQL) the address may submit again.
      await sql`UPDATE rate_limit_hits SET window_start = window_start - interval '601 seconds' WHERE bucket = 'POST /api/v1/public/feedback' AND key = '10.88.1.1'`.execute(t.db);
      assert.equal((await report(apps[apps.length - 1], '10.88.1.1', 100)).statusCode, 201);
    });
  });
}
