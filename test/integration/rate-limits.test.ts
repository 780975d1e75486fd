import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/pool.js';
import { LOGIN_ATTEMPTS_PER_ADDRESS } from '../../src/platform/auth/service.js';
import { TEST_PASSWORD, type TestApp, buildTestApp, makeUnit, makeUser } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';

/**
 * Sign-in attempts per client address are counted in the database, so the limit holds however
 * many instances share it: the attempt after the limit is refused, with the right password too,
 * on this instance and on another; another address is not concerned; a new minute starts afresh.
 */

for (const kind of await testBackends()) {
  describe(`the sign-in limit per address on ${kind}`, () => {
    let t: TestApp;
    let second: FastifyInstance | null = null;
    let secondDb: Database | null = null;

    before(async () => {
      t = await buildTestApp(kind);
      const unit = await makeUnit(t.db, { name: 'Tỉnh thử', code: 'AL-P' });
      await makeUser(t.db, { unit, role: 'officer', username: 'al.officer' });
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
      await sql`UPDATE login_address_attempts SET window_start = window_start - interval '61 seconds' WHERE address = '10.88.0.1'`.execute(t.db);
      const later = await login(apps[apps.length - 1], '10.88.0.1', TEST_PASSWORD);
      assert.equal(later.statusCode, 200, later.body);
    });
  });
}
