import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { apiRouteKeys } from '../helpers/routes.js';

const HOSTILE = ["'; DROP TABLE users; --", '<script>alert(1)</script>', `Robert'); DELETE FROM org_units WHERE ('1'='1`, '"><img src=x onerror=alert(1)>'];

/** Every answer of this file is checked here: a 5xx is a failure wherever it happens. */
function ok5(res: LightMyRequestResponse, what = ''): LightMyRequestResponse {
  assert.ok(res.statusCode < 500, `${what} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  return res;
}

function assertJson(res: LightMyRequestResponse, what = '') {
  assert.match(String(res.headers['content-type']), /^application\/json/, `${what}: ${res.headers['content-type']}`);
}

for (const kind of await testBackends()) {
  describe(`request hygiene on ${kind}`, () => {
    let t: TestApp;
    let admin: Session;
    let province: Awaited<ReturnType<typeof makeUnit>>;
    let district: Awaited<ReturnType<typeof makeUnit>>;
    let commune: Awaited<ReturnType<typeof makeUnit>>;

    const send = async (opts: InjectOptions) => ok5(await admin.request(opts), `${opts.method} ${opts.url}`);
    const rawJson = (method: 'POST' | 'PATCH', url: string, body: string) => send({ method, url, payload: body, headers: { 'content-type': 'application/json' } });

    before(async () => {
      t = await buildTestApp(kind, { BODY_LIMIT_BYTES: '2048' });
      province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: 'HY-HD' });
      district = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Nam Sách', code: 'HY-NS' });
      commune = await makeUnit(t.db, { parent: district, name: 'Xã An Bình', code: 'HY-NS-AB' });
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'hy.admin' });
      admin = await signIn(t.app, 'hy.admin');
    });
    after(() => t.close());

    test('malformed JSON is refused with 400 INVALID_JSON and writes nothing', async () => {
      const before = await t.db.selectFrom('org_units').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
      for (const body of ['{"code": "HY-X", "name": ', "{'code': 'HY-X'}", '{"code":"HY-X"}}', 'undefined']) {
        const res = await rawJson('POST', '/api/v1/org-units', body);
        assert.equal(res.statusCode, 400, body);
        assert.equal(res.json().code, 'INVALID_JSON', body);
        assertJson(res, body);
      }
      const empty = await rawJson('POST', '/api/v1/org-units', '');
      assert.equal(empty.statusCode, 400);
      assert.equal(empty.json().code, 'INVALID_JSON');
      const login = ok5(await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: '{"username":', headers: { 'content-type': 'application/json' } }));
      assert.equal(login.json().code, 'INVALID_JSON');
      const after = await t.db.selectFrom('org_units').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
      assert.equal(after.n, before.n);
    });

    test('a body over BODY_LIMIT_BYTES is refused with 413 PAYLOAD_TOO_LARGE; one just under it is read', async () => {
      // A boundary polygon grows the body without breaking any field's own limit.
      const body = (points: number) => {
        const ring = Array.from({ length: points }, (_, i) => [106.3 + i / 1000, 21.0 + (i % 7) / 1000]);
        ring.push(ring[0]);
        return { code: `HY-BIG-${points}`, name: 'Xã Ranh Giới', kind: 'commune', parentId: district.id, boundary: { type: 'Polygon', coordinates: [ring] } };
      };
      const small = body(100);
      const size = Buffer.byteLength(JSON.stringify(small));
      assert.ok(size < 2048 && size > 1900, `${size} bytes`);
      const accepted = await send({ method: 'POST', url: '/api/v1/org-units', payload: small });
      assert.equal(accepted.statusCode, 201, accepted.body);

      const big = body(160);
      assert.ok(Buffer.byteLength(JSON.stringify(big)) > 2048, 'the big body is over the limit');
      const refused = await send({ method: 'POST', url: '/api/v1/org-units', payload: big });
      assert.equal(refused.statusCode, 413);
      assert.equal(refused.json().code, 'PAYLOAD_TOO_LARGE');
      assertJson(refused);
      const row = await t.db.selectFrom('org_units').select('id').where('code', '=', 'HY-BIG-160').executeTakeFirst();
      assert.equal(row, undefined);
    });

    test('bodies are not coerced: a number sent as a string is 400 VALIDATION_FAILED naming the field', async () => {
      const other = await makeUnit(t.db, { parent: province, kind: 'district', code: 'HY-TK' });
      const moved = await rawJson('POST', `/api/v1/org-units/${commune.id}/move`, `{"parentId":"${other.id}"}`);
      assert.equal(moved.statusCode, 400, moved.body);
      assert.equal(moved.json().code, 'VALIDATION_FAILED');
      assert.deepEqual(moved.json().details.map((d: { field: string }) => d.field), ['parentId']);
      assert.match(moved.json().message, /parentId/);
      const still = await t.db.selectFrom('org_units').select('parent_id').where('id', '=', commune.id).executeTakeFirstOrThrow();
      assert.equal(still.parent_id, district.id, 'the unit was not moved');

      const cases: [string, string, Record<string, unknown>, string][] = [
        ['POST', '/api/v1/org-units', { code: 'HY-T1', name: 'Xã', kind: 'commune', parentId: district.id, lat: '21.0', lng: 106.3 }, 'lat'],
        ['POST', '/api/v1/org-units', { code: 'HY-T2', name: 'Xã', kind: 'commune', parentId: `${district.id}` }, 'parentId'],
        ['POST', '/api/v1/org-units', { code: 12345, name: 'Xã', kind: 'commune', parentId: district.id }, 'code'],
        ['PATCH', `/api/v1/users/1`, { active: 'false' }, 'active'],
        ['POST', '/api/v1/users', { username: 'hy.typed', fullName: 'Kiểu', password: 'Kieu-du-lieu#2026', grants: [{ role: 'officer', orgUnitId: `${commune.id}` }] }, 'grants.0.orgUnitId'],
      ];
      for (const [method, url, payload, field] of cases) {
        const res = await send({ method: method as 'POST', url, payload });
        assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
        assert.equal(res.json().code, 'VALIDATION_FAILED', field);
        assert.deepEqual([...new Set(res.json().details.map((d: { field: string }) => d.field))], [field]);
      }
      // Query strings are text by nature: numbers there are read as numbers, and non-numbers refused.
      assert.equal((await send({ method: 'GET', url: `/api/v1/org-units?parentId=${district.id}&page=1` })).statusCode, 200);
      const badPage = await send({ method: 'GET', url: '/api/v1/org-units?page=abc' });
      assert.equal(badPage.statusCode, 400);
      assert.equal(badPage.json().details[0].field, 'page');
      const badId = await send({ method: 'GET', url: '/api/v1/org-units/abc' });
      assert.equal(badId.statusCode, 400);
    });

    test('unknown fields are refused with 400 VALIDATION_FAILED naming the field, never ignored', async () => {
      const cases: [string, string, Record<string, unknown>, string][] = [
        ['POST', '/api/v1/org-units', { code: 'HY-U1', name: 'Xã', kind: 'commune', parentId: district.id, active: false, path: '/1/' }, 'active'],
        ['POST', '/api/v1/users', { username: 'hy.extra', fullName: 'Thêm', password: 'Them-truong-la#2026', grants: [{ role: 'officer', orgUnitId: commune.id }], isAdmin: true }, 'isAdmin'],
        ['POST', '/api/v1/users', { username: 'hy.extra', fullName: 'Thêm', password: 'Them-truong-la#2026', grants: [{ role: 'officer', orgUnitId: commune.id, scope: 'all' }] }, 'scope'],
        ['PATCH', `/api/v1/org-units/${commune.id}`, { name: 'Xã', parentId: province.id }, 'parentId'],
        ['POST', '/api/v1/api-keys', { name: 'Khóa', role: 'officer', orgUnitId: commune.id, secret: 'chosen' }, 'secret'],
      ];
      for (const [method, url, payload, field] of cases) {
        const res = await send({ method: method as 'POST', url, payload });
        assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
        assert.equal(res.json().code, 'VALIDATION_FAILED');
        assert.deepEqual(res.json().details.map((d: { field: string }) => d.field), [field]);
      }
      const unknownQuery = await send({ method: 'GET', url: '/api/v1/org-units?isAdmin=1' });
      assert.equal(unknownQuery.statusCode, 400);
      const login = ok5(await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'hy.admin', password: 'x', remember: true } }));
      assert.equal(login.json().code, 'VALIDATION_FAILED');
      const written = await t.db.selectFrom('users').select('id').where('username', '=', 'hy.extra').executeTakeFirst();
      assert.equal(written, undefined);
    });

    test('SQL and HTML in every text field of a new org unit are stored verbatim as text, or refused by the field’s format', async () => {
      let n = 0;
      for (const hostile of HOSTILE) {
        n++;
        const code = await send({ method: 'POST', url: '/api/v1/org-units', payload: { code: hostile, name: 'Xã', kind: 'commune', parentId: district.id } });
        assert.equal(code.statusCode, 400, 'a code is letters, digits and . _ - only');
        assert.deepEqual(code.json().details.map((d: { field: string }) => d.field), ['code']);
        const kindField = await send({ method: 'POST', url: '/api/v1/org-units', payload: { code: `HY-K${n}`, name: 'Xã', kind: hostile, parentId: district.id } });
        assert.equal(kindField.statusCode, 400);

        const res = await send({ method: 'POST', url: '/api/v1/org-units', payload: { code: `HY-SQL-${n}`, name: hostile, kind: 'commune', parentId: district.id } });
        assert.equal(res.statusCode, 201, res.body);
        assertJson(res);
        assert.equal(res.json().name, hostile);
        const read = await send({ method: 'GET', url: `/api/v1/org-units/${res.json().id}` });
        assertJson(read);
        assert.equal(read.json().name, hostile);
        const row = await t.db.selectFrom('org_units').select('name').where('id', '=', res.json().id).executeTakeFirstOrThrow();
        assert.equal(row.name, hostile);
        const patched = await send({ method: 'PATCH', url: `/api/v1/org-units/${res.json().id}`, payload: { name: `${hostile} (2)` } });
        assert.equal(patched.json().name, `${hostile} (2)`);
        // Searching with it finds it as text, and only it.
        const found = await send({ method: 'GET', url: `/api/v1/org-units?q=${encodeURIComponent(`${hostile} (2)`)}` });
        assert.deepEqual(found.json().items.map((u: { id: number }) => u.id), [res.json().id]);
      }
      const injection = await send({ method: 'GET', url: `/api/v1/org-units?q=${encodeURIComponent("' OR '1'='1")}` });
      assert.equal(injection.json().total, 0);
      const sortInjection = await send({ method: 'GET', url: `/api/v1/org-units?sort=${encodeURIComponent('name; DROP TABLE users')}` });
      assert.equal(sortInjection.statusCode, 400);
    });

    test('SQL and HTML in every text field of a new user are stored verbatim as text, or refused by the field’s format', async () => {
      let n = 0;
      for (const hostile of HOSTILE) {
        n++;
        const base = { username: `hy.user${n}`, fullName: 'Người Thử', password: 'Mat-khau-du-manh#2026', grants: [{ role: 'officer', orgUnitId: commune.id }] };
        for (const field of ['username', 'fullName', 'email', 'phone', 'password'] as const) {
          const res = await send({ method: 'POST', url: '/api/v1/users', payload: { ...base, username: `${base.username}.${field.toLowerCase()}`, [field]: hostile } });
          assertJson(res, field);
          if (res.statusCode === 400) {
            assert.equal(res.json().code, 'VALIDATION_FAILED', `${field}: ${res.body}`);
            assert.deepEqual([...new Set(res.json().details.map((d: { field: string }) => d.field))], [field]);
            continue;
          }
          assert.equal(res.statusCode, 201, `${field} = ${hostile}: ${res.body}`);
          assert.ok(['fullName', 'password'].includes(field), `${field} should have refused ${hostile}`);
          const user = res.json();
          if (field === 'password') {
            // Stored as a hash of exactly these characters: signing in with them works.
            await signIn(t.app, user.username, hostile);
          } else {
            assert.equal(user[field], hostile);
            const row = await t.db.selectFrom('users').select('full_name').where('id', '=', user.id).executeTakeFirstOrThrow();
            assert.equal(row.full_name, hostile);
            assert.equal((await send({ method: 'GET', url: `/api/v1/users/${user.id}` })).json().fullName, hostile);
          }
        }
      }
      // Addresses with quotes and dashes are valid e-mail text, and kept exactly.
      const quoted = await send({ method: 'POST', url: '/api/v1/users', payload: { username: 'hy.quote', fullName: "O'Brien", email: "o'brien--@x.vn", password: 'Mat-khau-du-manh#2026', grants: [{ role: 'officer', orgUnitId: commune.id }] } });
      assert.equal(quoted.statusCode, 201, quoted.body);
      assert.equal(quoted.json().email, "o'brien--@x.vn");
    });

    test('after all of that the tables are all still there', async () => {
      for (const table of ['users', 'org_units', 'user_grants', 'sessions', 'audit_log', 'api_keys']) {
        const row = (await sql<{ t: string | null }>`SELECT to_regclass(${`public.${table}`})::text AS t`.execute(t.db)).rows[0];
        assert.equal(row.t, table);
      }
      const users = await t.db.selectFrom('users').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
      assert.ok(users.n >= 5, `only ${users.n} users`);
      assert.equal((await send({ method: 'GET', url: '/api/v1/auth/me' })).statusCode, 200);
    });

    test('an unknown route is a 404 JSON answer with code NOT_FOUND, signed in or not', async () => {
      for (const [method, url] of [['GET', '/api/v1/nope'], ['POST', '/api/v1/org-units/1/explode'], ['GET', '/api/nope'], ['DELETE', '/api/v1/org-units/1']] as const) {
        for (const res of [await admin.request({ method, url }), await t.app.inject({ method, url })]) {
          ok5(res, url);
          assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
          assertJson(res, url);
          assert.equal(res.json().code, 'NOT_FOUND');
          assert.match(res.json().message, /Không có địa chỉ/);
        }
      }
    });

    test('security headers are on API answers and on the web app', async () => {
      const answers = {
        api: await send({ method: 'GET', url: '/api/v1/org-units' }),
        error: ok5(await t.app.inject({ method: 'GET', url: '/api/v1/users' })),
        web: ok5(await t.app.inject({ method: 'GET', url: '/' })),
      };
      for (const [what, res] of Object.entries(answers)) {
        const csp = String(res.headers['content-security-policy'] ?? '');
        const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? '';
        assert.equal(scriptSrc.trim(), "'self'", `${what}: script-src is only 'self' (${csp})`);
        assert.match(csp, /default-src 'self'/, what);
        assert.match(csp, /object-src 'none'/, what);
        assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
        assert.ok(/frame-ancestors 'none'/.test(csp) || /^(DENY|SAMEORIGIN)$/.test(String(res.headers['x-frame-options'])), `${what}: framing is refused`);
        assert.equal(res.headers['x-powered-by'], undefined, what);
      }
      assert.equal(answers.error.statusCode, 401);
      assertJson(answers.error);
    });

    test('/healthz, /readyz, /metrics and the OpenAPI document answer', async () => {
      const health = ok5(await t.app.inject({ method: 'GET', url: '/healthz' }));
      assert.equal(health.statusCode, 200);
      assert.deepEqual(health.json(), { status: 'ok' });
      const ready = ok5(await t.app.inject({ method: 'GET', url: '/readyz' }));
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json(), { status: 'ready', database: 'ok' });

      const metrics = ok5(await t.app.inject({ method: 'GET', url: '/metrics' }));
      assert.equal(metrics.statusCode, 200);
      assert.match(String(metrics.headers['content-type']), /^text\/plain/);
      assert.match(metrics.body, /^# TYPE dieuhanh_http_requests_total counter$/m);
      assert.match(metrics.body, /^dieuhanh_http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/m);

      const docs = ok5(await t.app.inject({ method: 'GET', url: '/api/docs/json' }));
      assert.equal(docs.statusCode, 200);
      const openapi = docs.json();
      assert.match(openapi.openapi, /^3\./);
      assert.ok(openapi.paths['/api/v1/org-units'], 'lists /api/v1/org-units');
      assert.ok(openapi.paths['/api/v1/org-units'].get && openapi.paths['/api/v1/org-units'].post, 'list and create are documented');
      // Every /api/v1 route is documented.
      const documented = Object.entries(openapi.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
        Object.keys(ops).filter((m) => m !== 'head' && m !== 'parameters').map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
      );
      assert.deepEqual(apiRouteKeys(t.app).filter((k) => !documented.includes(k)), []);
    });

    test('no request of this file got a 5xx answer (as the metrics count them)', async () => {
      const metrics = ok5(await t.app.inject({ method: 'GET', url: '/metrics' }));
      const lines = metrics.body.split('\n').filter((l) => l.startsWith('dieuhanh_http_requests_total{'));
      assert.ok(lines.length > 10, 'requests were counted');
      assert.deepEqual(lines.filter((l) => /status="5\d\d"/.test(l)), []);
    });
  });
}
