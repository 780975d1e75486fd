import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { type Session, TEST_PASSWORD, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

for (const kind of await testBackends()) {
  describe(`sign-in, sessions and API keys on ${kind}`, () => {
    let t: TestApp;
    let admin: Session;
    let province: Awaited<ReturnType<typeof makeUnit>>;
    let districtA: Awaited<ReturnType<typeof makeUnit>>;
    let districtB: Awaited<ReturnType<typeof makeUnit>>;
    let communeA: Awaited<ReturnType<typeof makeUnit>>;

    /** A sign-in attempt from its own address, so the per-address rate limit never decides a test. */
    let address = 0;
    const login = (username: string, password: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: `10.9.0.${++address}` });
    const me = (s: { cookie: string }) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `dh_session=${s.cookie}` } });

    before(async () => {
      // Sessions are edited in SQL below, behind the app's back: no session cache.
      t = await buildTestApp(kind, { LOGIN_MAX_FAILURES: '3', SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '12', SESSION_CACHE_SECONDS: '0' });
      province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: 'AU-HD' });
      districtA = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Nam Sách', code: 'AU-NS' });
      districtB = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Tứ Kỳ', code: 'AU-TK' });
      communeA = await makeUnit(t.db, { parent: districtA, name: 'Xã An Bình', code: 'AU-NS-AB' });
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'auadmin' });
      admin = await signIn(t.app, 'auadmin');
    });
    after(() => t.close());

    test('signing in sets an httpOnly SameSite=Lax session cookie and returns a CSRF token', async () => {
      const user = await makeUser(t.db, { unit: districtA, role: 'officer', username: 'cookie.user' });
      const res = await login('cookie.user', TEST_PASSWORD);
      assert.equal(res.statusCode, 200, res.body);
      const cookie = res.cookies.find((c) => c.name === 'dh_session');
      assert.ok(cookie, 'a dh_session cookie is set');
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      assert.equal(cookie.path, '/');
      assert.ok(cookie.value.length >= 32, 'the token is long enough not to be guessed');
      const body = res.json();
      assert.equal(typeof body.csrfToken, 'string');
      assert.ok(body.csrfToken.length >= 24, 'the CSRF token is long enough not to be guessed');
      assert.notEqual(body.csrfToken, cookie.value);
      assert.equal(body.user.id, user.id);
      // Only the token's hash is stored: a copy of the table cannot be replayed.
      const stored = await t.db.selectFrom('sessions').select(['id', 'csrf_token']).where('user_id', '=', user.id).execute();
      assert.deepEqual(stored, [{ id: sha256(cookie.value), csrf_token: body.csrfToken }]);
    });

    test('/auth/me returns the signed-in person with grants, scope and the session CSRF token; without a session it is 401', async () => {
      const user = await makeUser(t.db, { unit: communeA, role: 'officer', username: 'me.user', fullName: 'Trần Thị Mai' });
      const s = await signIn(t.app, 'me.user');
      const res = await s.get('/api/v1/auth/me');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.csrfToken, s.csrf);
      assert.equal(body.user.id, user.id);
      assert.equal(body.user.username, 'me.user');
      assert.equal(body.user.fullName, 'Trần Thị Mai');
      assert.deepEqual(
        body.user.grants.map((g: { role: string; orgUnitId: number; orgUnitCode: string }) => [g.role, g.orgUnitId, g.orgUnitCode]),
        [['officer', communeA.id, 'AU-NS-AB']],
      );
      assert.deepEqual(body.user.scope, [{ id: communeA.id, code: 'AU-NS-AB', name: 'Xã An Bình' }]);
      assert.equal(JSON.stringify(body).includes('$argon2'), false, 'no password hash in the profile');

      const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.json().code, 'UNAUTHENTICATED');
      const forged = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: 'dh_session=not-a-real-session-token-at-all' } });
      assert.equal(forged.statusCode, 401);
    });

    test('a wrong password, an unknown user and a disabled account get the identical answer', async () => {
      await makeUser(t.db, { unit: districtA, role: 'officer', username: 'known.user' });
      const disabled = await makeUser(t.db, { unit: districtA, role: 'officer', username: 'disabled.user' });
      await t.db.updateTable('users').set({ active: false }).where('id', '=', disabled.id).execute();

      const wrongPassword = await login('known.user', 'Sai-mat-khau#99');
      const unknownUser = await login('nobody.here', 'Sai-mat-khau#99');
      const disabledRight = await login('disabled.user', TEST_PASSWORD);
      const shape = (r: typeof wrongPassword) => ({ status: r.statusCode, code: r.json().code, message: r.json().message, cookie: r.cookies.length });
      assert.deepEqual(shape(wrongPassword), { status: 401, code: 'INVALID_CREDENTIALS', message: 'Tên đăng nhập hoặc mật khẩu không đúng.', cookie: 0 });
      assert.deepEqual(shape(unknownUser), shape(wrongPassword));
      assert.deepEqual(shape(disabledRight), shape(wrongPassword));
    });

    test('after LOGIN_MAX_FAILURES failures in a row the name is locked, even with the right password and in other letter case', async () => {
      await makeUser(t.db, { unit: districtA, role: 'officer', username: 'lock.me' });
      // Two failures then a success: the count starts over.
      for (let i = 0; i < 2; i++) assert.equal((await login('lock.me', 'Sai-mat-khau#99')).statusCode, 401);
      assert.equal((await login('lock.me', TEST_PASSWORD)).statusCode, 200);

      for (let i = 0; i < 3; i++) {
        const failed = await login('lock.me', 'Sai-mat-khau#99');
        assert.equal(failed.statusCode, 401, `failure ${i + 1} is still an ordinary wrong password`);
      }
      for (const name of ['lock.me', 'LOCK.ME', '  lock.me ']) {
        const locked = await login(name, TEST_PASSWORD);
        assert.equal(locked.statusCode, 429, `${name}: ${locked.body}`);
        assert.equal(locked.json().code, 'ACCOUNT_LOCKED');
        assert.equal(locked.cookies.length, 0, 'no session while locked');
      }
    });

    test('an unknown name locks exactly the same way as a known one', async () => {
      await makeUser(t.db, { unit: districtA, role: 'officer', username: 'real.person' });
      const known: unknown[] = [];
      const unknown: unknown[] = [];
      const shape = (r: Awaited<ReturnType<typeof login>>) => ({ status: r.statusCode, code: r.json().code, message: r.json().message });
      for (let i = 0; i < 4; i++) {
        known.push(shape(await login('real.person', 'Sai-mat-khau#99')));
        unknown.push(shape(await login('ghost.person', 'Sai-mat-khau#99')));
      }
      assert.equal((known[3] as { status: number }).status, 429);
      assert.deepEqual(unknown, known);
      const throttled = await t.db.selectFrom('login_throttle').select(['username', 'failures']).where('username', 'in', ['real.person', 'ghost.person']).orderBy('username').execute();
      assert.deepEqual(throttled, [
        { username: 'ghost.person', failures: 3 },
        { username: 'real.person', failures: 3 },
      ]);
    });

    test('a lock ends by itself after LOGIN_LOCK_MINUTES, and the count of failures starts over', async () => {
      await makeUser(t.db, { unit: districtA, role: 'officer', username: 'waits.out' });
      for (let i = 0; i < 3; i++) await login('waits.out', 'Sai-mat-khau#99');
      assert.equal((await login('waits.out', TEST_PASSWORD)).statusCode, 429);
      const lock = await sql<{ minutes: number }>`SELECT extract(epoch FROM locked_until - now()) / 60 AS minutes FROM login_throttle WHERE username = 'waits.out'`.execute(t.db);
      const minutes = Number(lock.rows[0].minutes);
      assert.ok(minutes > 14.5 && minutes <= 15, `locked for LOGIN_LOCK_MINUTES (15), got ${minutes}`);
      await t.db.updateTable('login_throttle').set({ locked_until: sql`now() - interval '1 second'` }).where('username', '=', 'waits.out').execute();
      assert.equal((await login('waits.out', 'Sai-mat-khau#99')).statusCode, 401, 'one failure after the lock is not a new lock');
      assert.equal((await login('waits.out', TEST_PASSWORD)).statusCode, 200);
    });

    test("an administrator's unlock lifts the lock", async () => {
      const user = await makeUser(t.db, { unit: districtA, role: 'officer', username: 'unlock.me' });
      for (let i = 0; i < 3; i++) await login('unlock.me', 'Sai-mat-khau#99');
      assert.equal((await login('unlock.me', TEST_PASSWORD)).statusCode, 429);
      const listed = await admin.get(`/api/v1/users/${user.id}`);
      assert.notEqual(listed.json().lockedUntil, null, 'the account shows as locked');

      const res = await admin.post(`/api/v1/users/${user.id}/unlock`);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().lockedUntil, null);
      assert.equal((await login('unlock.me', TEST_PASSWORD)).statusCode, 200);
      const audit = await admin.get(`/api/v1/audit?module=users&action=unlock&userId=${(await me(admin)).json().user.id}`);
      assert.ok(audit.json().items.some((e: { entityId: string }) => e.entityId === String(user.id)), 'the unlock is audited');
    });

    test('a cookie-authenticated write without the right x-csrf-token is refused with 403 and changes nothing', async () => {
      const target = await makeUser(t.db, { unit: districtA, role: 'officer', username: 'csrf.target', fullName: 'Tên cũ' });
      const url = `/api/v1/users/${target.id}`;
      const cookie = `dh_session=${admin.cookie}`;
      const attempts = [
        { headers: { cookie } },
        { headers: { cookie, 'x-csrf-token': 'a-token-from-another-page' } },
        { headers: { cookie, 'x-csrf-token': '' } },
      ];
      for (const { headers } of attempts) {
        const res = await t.app.inject({ method: 'PATCH', url, headers, payload: { fullName: 'Tên giả mạo' } });
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(res.json().code, 'CSRF_TOKEN_INVALID');
      }
      const logoutAll = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: { cookie } });
      assert.equal(logoutAll.statusCode, 403);
      const row = await t.db.selectFrom('users').select('full_name').where('id', '=', target.id).executeTakeFirstOrThrow();
      assert.equal(row.full_name, 'Tên cũ');
      assert.equal((await me(admin)).statusCode, 200, 'the session survived the forged logout-all');
      // The same write with the token goes through: the refusal above was the token's doing.
      const ok = await admin.patch(url, { fullName: 'Tên mới' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().fullName, 'Tên mới');
    });

    test('a session idle for longer than SESSION_IDLE_MINUTES ends', async () => {
      const user = await makeUser(t.db, { unit: districtA, role: 'officer', username: 'idle.user' });
      const s = await signIn(t.app, 'idle.user');
      const idleFor = (minutes: number) =>
        t.db.updateTable('sessions').set({ last_seen_at: sql`now() - make_interval(mins => ${minutes})` }).where('user_id', '=', user.id).execute();
      await idleFor(29);
      assert.equal((await me(s)).statusCode, 200, 'idle 29 of 30 minutes: still signed in');
      await idleFor(31);
      const res = await me(s);
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'UNAUTHENTICATED');
    });

    test('a session past its absolute lifetime ends, however recently it was used', async () => {
      const user = await makeUser(t.db, { unit: districtA, role: 'officer', username: 'old.session' });
      const s = await signIn(t.app, 'old.session');
      const row = await t.db.selectFrom('sessions').select(['created_at', 'expires_at']).where('user_id', '=', user.id).executeTakeFirstOrThrow();
      const hours = (row.expires_at.getTime() - row.created_at.getTime()) / 3600_000;
      assert.ok(Math.abs(hours - 12) < 0.01, `absolute lifetime is SESSION_ABSOLUTE_HOURS (got ${hours} h)`);
      await t.db.updateTable('sessions').set({ expires_at: sql`now() - interval '1 second'`, last_seen_at: sql`now()` }).where('user_id', '=', user.id).execute();
      assert.equal((await me(s)).statusCode, 401);
    });

    test('logout ends the session and clears the cookie', async () => {
      const user = await makeUser(t.db, { unit: districtA, role: 'officer', username: 'bye.user' });
      const s = await signIn(t.app, 'bye.user');
      const res = await s.post('/api/v1/auth/logout');
      assert.equal(res.statusCode, 204);
      const cleared = res.cookies.find((c) => c.name === 'dh_session');
      assert.ok(cleared && cleared.value === '', 'the cookie is cleared');
      assert.equal((await me(s)).statusCode, 401);
      const left = await t.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
      assert.equal(left.length, 0);
    });

    test('logout-all ends every session of the user and no one else’s', async () => {
      await makeUser(t.db, { unit: districtA, role: 'officer', username: 'many.sessions' });
      await makeUser(t.db, { unit: districtA, role: 'officer', username: 'bystander' });
      const laptop = await signIn(t.app, 'many.sessions');
      const phone = await signIn(t.app, 'many.sessions');
      const other = await signIn(t.app, 'bystander');
      assert.equal((await me(phone)).statusCode, 200);
      const res = await laptop.post('/api/v1/auth/logout-all');
      assert.equal(res.statusCode, 204);
      assert.equal((await me(laptop)).statusCode, 401);
      assert.equal((await me(phone)).statusCode, 401);
      assert.equal((await me(other)).statusCode, 200);
    });

    test('changing the password with a wrong current password is refused with WRONG_PASSWORD', async () => {
      const user = await makeUser(t.db, { unit: districtA, role: 'officer', username: 'wrong.current' });
      const s = await signIn(t.app, 'wrong.current');
      const hashBefore = (await t.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()).password_hash;
      const res = await s.post('/api/v1/auth/password', { currentPassword: 'Khong-phai#2026', newPassword: 'Mat-khau-moi#2026' });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().code, 'WRONG_PASSWORD');
      const hashAfter = (await t.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()).password_hash;
      assert.equal(hashAfter, hashBefore);
    });

    test('a weak new password is refused with WEAK_PASSWORD: too short, containing the user name, or common', async () => {
      await makeUser(t.db, { unit: districtA, role: 'officer', username: 'hoang.minh' });
      const s = await signIn(t.app, 'hoang.minh');
      for (const weak of ['Ng4n#1', 'xx-Hoang.Minh-2026!', 'password123', 'Password123', 'matkhau2026', '1234567890']) {
        const res = await s.post('/api/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword: weak });
        assert.equal(res.statusCode, 400, `${weak}: ${res.body}`);
        assert.equal(res.json().code, 'WEAK_PASSWORD', weak);
        assert.ok(res.json().message.length > 10, 'the message says what is wrong');
      }
      assert.equal((await login('hoang.minh', TEST_PASSWORD)).statusCode, 200, 'the old password still works');
    });

    test('a successful change ends the other sessions, keeps this one, and only the new password signs in', async () => {
      await makeUser(t.db, { unit: districtA, role: 'officer', username: 'changer' });
      const here = await signIn(t.app, 'changer');
      const elsewhere = await signIn(t.app, 'changer');
      const res = await here.post('/api/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Mua-xuan-Hai-Duong#26' });
      assert.equal(res.statusCode, 204, res.body);
      assert.equal((await me(here)).statusCode, 200);
      assert.equal((await me(elsewhere)).statusCode, 401);
      assert.equal((await login('changer', TEST_PASSWORD)).statusCode, 401);
      assert.equal((await login('changer', 'Mua-xuan-Hai-Duong#26')).statusCode, 200);
    });

    test('password hashes in the database are argon2id, whoever set them', async () => {
      const created = await admin.post('/api/v1/users', {
        username: 'hash.check',
        fullName: 'Kiểm tra băm',
        password: 'Bau-troi-xanh#2026',
        grants: [{ role: 'officer', orgUnitId: districtA.id }],
      });
      assert.equal(created.statusCode, 201, created.body);
      const rows = await t.db.selectFrom('users').select(['username', 'password_hash']).execute();
      assert.ok(rows.length >= 10, `only ${rows.length} users`);
      for (const r of rows) assert.match(r.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/, r.username);
      const hashCheck = rows.find((r) => r.username === 'hash.check')!;
      assert.equal(hashCheck.password_hash.includes('Bau-troi-xanh'), false);
    });

    test('an API key is shown once; only the sha256 of its secret is stored', async () => {
      const res = await admin.post('/api/v1/api-keys', { name: 'Cổng dữ liệu huyện', role: 'officer', orgUnitId: districtA.id });
      assert.equal(res.statusCode, 201, res.body);
      const { apiKey, secret } = res.json();
      const m = /^dh_([0-9a-f]{12})_([A-Za-z0-9_-]{20,64})$/.exec(secret);
      assert.ok(m, `key format: ${secret}`);
      assert.equal(apiKey.prefix, m[1]);
      const row = await t.db.selectFrom('api_keys').selectAll().where('id', '=', apiKey.id).executeTakeFirstOrThrow();
      assert.equal(row.secret_hash, sha256(m[2]));
      assert.equal(JSON.stringify(row).includes(m[2]), false, 'the secret itself is nowhere in the row');
      const listed = await admin.get('/api/v1/api-keys');
      assert.equal(listed.statusCode, 200);
      assert.equal(listed.body.includes(m[2]), false, 'the list never shows the secret again');
      assert.ok(listed.json().items.some((k: { id: number }) => k.id === apiKey.id), 'the new key is listed');
      const audit = await t.db.selectFrom('audit_log').select(['before', 'after']).where('module', '=', 'apikeys').execute();
      assert.equal(JSON.stringify(audit).includes(m[2]), false, 'the audit log never holds the secret');
    });

    test("an API key reads org units with Authorization: Bearer, within its unit's scope only", async () => {
      const res = await admin.post('/api/v1/api-keys', { name: 'Đọc đơn vị Nam Sách', role: 'officer', orgUnitId: districtA.id });
      const { secret } = res.json();
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/org-units?pageSize=500', headers: { authorization: `Bearer ${secret}` } });
      assert.equal(list.statusCode, 200, list.body);
      const ids = list.json().items.map((u: { id: number }) => u.id).sort((a: number, b: number) => a - b);
      assert.deepEqual(ids, [districtA.id, communeA.id].sort((a, b) => a - b));
      const outside = await t.app.inject({ method: 'GET', url: `/api/v1/org-units/${districtB.id}`, headers: { authorization: `Bearer ${secret}` } });
      assert.equal(outside.statusCode, 404);
      const parentOfScope = await t.app.inject({ method: 'GET', url: `/api/v1/org-units/${province.id}`, headers: { authorization: `Bearer ${secret}` } });
      assert.equal(parentOfScope.statusCode, 404);
    });

    test('a revoked API key is refused with 401 INVALID_API_KEY', async () => {
      const created = (await admin.post('/api/v1/api-keys', { name: 'Sắp thu hồi', role: 'officer', orgUnitId: districtA.id })).json();
      const call = () => t.app.inject({ method: 'GET', url: '/api/v1/org-units', headers: { authorization: `Bearer ${created.secret}` } });
      assert.equal((await call()).statusCode, 200);
      const revoked = await admin.post(`/api/v1/api-keys/${created.apiKey.id}/revoke`);
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.notEqual(revoked.json().revokedAt, null);
      const res = await call();
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'INVALID_API_KEY');
      const again = await admin.post(`/api/v1/api-keys/${created.apiKey.id}/revoke`);
      assert.equal(again.statusCode, 409);
    });

    test('a malformed or forged API key is refused with 401 and no session cookie rescues it', async () => {
      const { secret } = (await admin.post('/api/v1/api-keys', { name: 'Khóa thật', role: 'officer', orgUnitId: districtA.id })).json();
      const prefix = secret.split('_')[1];
      const forged = [
        'not-a-key',
        'dh_short_abc',
        `dh_${prefix}_${'A'.repeat(32)}`, // right prefix, wrong secret
        `dh_000000000000_${'A'.repeat(32)}`, // unknown prefix
        `${secret}x`,
        '',
      ];
      for (const key of forged) {
        const res = await t.app.inject({
          method: 'GET',
          url: '/api/v1/org-units',
          headers: { authorization: `Bearer ${key}`, cookie: `dh_session=${admin.cookie}` },
        });
        assert.equal(res.statusCode, 401, `key "${key}": ${res.body}`);
        assert.equal(res.json().code, 'INVALID_API_KEY', key);
      }
    });
  });
  describe(`LOGIN_MAX_FAILURES=1 on ${kind}`, () => {
    let t: TestApp;
    const login = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

    before(async () => {
      t = await buildTestApp(kind, { LOGIN_MAX_FAILURES: '1' });
      const unit = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: 'AU1-HD' });
      await makeUser(t.db, { unit, role: 'officer', username: 'one.strike' });
    });
    after(() => t.close());

    test('a single failure locks the name, and again after the lock has run out', async () => {
      assert.equal((await login('one.strike', 'Sai-mat-khau#99')).statusCode, 401);
      assert.equal((await login('one.strike', TEST_PASSWORD)).statusCode, 429);
      await t.db.updateTable('login_throttle').set({ locked_until: sql`now() - interval '1 second'` }).where('username', '=', 'one.strike').execute();
      assert.equal((await login('one.strike', 'Sai-mat-khau#99')).statusCode, 401);
      const again = await login('one.strike', TEST_PASSWORD);
      assert.equal(again.statusCode, 429);
      assert.equal(again.json().code, 'ACCOUNT_LOCKED');
    });
  });
}
