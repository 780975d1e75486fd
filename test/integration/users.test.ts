import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Session, TEST_PASSWORD, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { XLSX_TYPE, readXlsx } from '../helpers/xlsx.js';

interface UserJson {
  id: number;
  username: string;
  fullName: string;
  orgUnitId: number;
  active: boolean;
  grants: { id: number; role: string; orgUnitId: number }[];
}

const STRONG = 'Song-Thai-Binh#2026';

for (const kind of await testBackends()) {
  describe(`users and grants on ${kind}`, () => {
    let t: TestApp;
    let admin: Session;
    let adminId: number;
    let province: Awaited<ReturnType<typeof makeUnit>>;
    let districtA: Awaited<ReturnType<typeof makeUnit>>;
    let districtB: Awaited<ReturnType<typeof makeUnit>>;
    let communeA: Awaited<ReturnType<typeof makeUnit>>;
    /** A unit of its own for the list tests, so other tests' users never shift their counts. */
    let listUnit: Awaited<ReturnType<typeof makeUnit>>;
    let listSub: Awaited<ReturnType<typeof makeUnit>>;

    const create = (body: Record<string, unknown>) => admin.post('/api/v1/users', { password: STRONG, ...body });
    const names = (res: { json(): { items: UserJson[] } }) => res.json().items.map((u) => u.fullName);

    before(async () => {
      t = await buildTestApp(kind);
      province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: 'US-HD' });
      districtA = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Nam Sách', code: 'US-NS' });
      districtB = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Tứ Kỳ', code: 'US-TK' });
      communeA = await makeUnit(t.db, { parent: districtA, name: 'Xã An Bình', code: 'US-NS-AB' });
      listUnit = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Kim Thành', code: 'US-KT' });
      listSub = await makeUnit(t.db, { parent: listUnit, name: 'Xã Kim Xuyên', code: 'US-KT-KX' });
      adminId = (await makeUser(t.db, { unit: province, role: 'administrator', username: 'usadmin' })).id;
      admin = await signIn(t.app, 'usadmin');

      // The people the list tests search, filter, sort and export.
      const people: [string, string, string, number][] = [
        ['nv.an', 'Nguyễn Văn An', 'officer', listUnit.id],
        ['nv.binh', 'Nguyễn Văn Bình', 'leader', listSub.id],
        ['nt.cuc', 'Nguyễn Thị Cúc', 'officer', listSub.id],
        ['tv.duc', 'Trần Văn Đức', 'operator', listUnit.id],
        ['le.em', 'Lê Thị Em', 'officer', listUnit.id],
      ];
      for (const [username, fullName, role, orgUnitId] of people) {
        const res = await create({ username, fullName, grants: [{ role, orgUnitId }] });
        assert.equal(res.statusCode, 201, res.body);
      }
    });
    after(() => t.close());

    test('a district administrator cannot change an account that holds a grant beyond the district, even one whose unit is in it', async () => {
      const wide = await create({ username: 'tinh.quantri', fullName: 'Quản Trị Tỉnh', orgUnitId: communeA.id, grants: [{ role: 'administrator', orgUnitId: province.id }] });
      assert.equal(wide.statusCode, 201, wide.body);
      await makeUser(t.db, { unit: districtA, role: 'administrator', username: 'ns.qt2' });
      const districtAdmin = await signIn(t.app, 'ns.qt2');
      const id = wide.json().id;
      assert.equal((await districtAdmin.get(`/api/v1/users/${id}`)).statusCode, 200, 'the account is in the district: it may be read');
      const attempts = [
        await districtAdmin.post(`/api/v1/users/${id}/password`, { password: 'Chiem-quyen#2026!' }),
        await districtAdmin.patch(`/api/v1/users/${id}`, { active: false }),
        await districtAdmin.patch(`/api/v1/users/${id}`, { email: 'ke-gian@example.vn' }),
        await districtAdmin.post(`/api/v1/users/${id}/grants`, { role: 'officer', orgUnitId: communeA.id }),
        await districtAdmin.post(`/api/v1/users/${id}/unlock`),
      ];
      assert.deepEqual(attempts.map((r) => r.statusCode), [403, 403, 403, 403, 403]);
      const after = await admin.get(`/api/v1/users/${id}`);
      assert.equal(after.json().active, true);
      assert.equal(after.json().email, null);
      assert.equal(after.json().grants.length, 1);
      await signIn(t.app, 'tinh.quantri', STRONG);
    });

    test('a district administrator sees only the grants within the district of a user who also holds one elsewhere', async () => {
      const both = await create({ username: 'hai.noi', fullName: 'Người Hai Nơi', orgUnitId: districtA.id, grants: [{ role: 'officer', orgUnitId: districtA.id }, { role: 'leader', orgUnitId: districtB.id }] });
      assert.equal(both.statusCode, 201, both.body);
      assert.equal(both.json().grants.length, 2, 'the province administrator sees both grants');
      await makeUser(t.db, { unit: districtA, role: 'administrator', username: 'ns.quantri' });
      const districtAdmin = await signIn(t.app, 'ns.quantri');
      const seen = await districtAdmin.get(`/api/v1/users/${both.json().id}`);
      assert.equal(seen.statusCode, 200, seen.body);
      assert.deepEqual(seen.json().grants.map((g: { orgUnitId: number }) => g.orgUnitId), [districtA.id]);
      assert.doesNotMatch(seen.body, /Tứ Kỳ/);
      const listed = await districtAdmin.get('/api/v1/users?q=hai%20noi');
      assert.doesNotMatch(listed.body, /Tứ Kỳ/);
    });

    test('an administrator creates a user with grants; the account belongs to the first grant’s unit by default', async () => {
      const res = await create({
        username: 'pham.hoa',
        fullName: '  Phạm Thị Hoa ',
        email: 'hoa.pt@namsach.gov.vn',
        phone: '0912 345 678',
        grants: [
          { role: 'officer', orgUnitId: communeA.id },
          { role: 'leader', orgUnitId: districtA.id },
        ],
      });
      assert.equal(res.statusCode, 201, res.body);
      const user = res.json();
      assert.equal(user.fullName, 'Phạm Thị Hoa', 'the name is trimmed');
      assert.equal(user.orgUnitId, communeA.id);
      assert.equal(user.email, 'hoa.pt@namsach.gov.vn');
      assert.equal(user.active, true);
      assert.deepEqual(
        user.grants.map((g: UserJson['grants'][number]) => [g.role, g.orgUnitId]).sort(),
        [['leader', districtA.id], ['officer', communeA.id]].sort(),
      );
      const read = await admin.get(`/api/v1/users/${user.id}`);
      assert.deepEqual(read.json(), user);
      // The new person can sign in with the password given.
      await signIn(t.app, 'pham.hoa', STRONG);
    });

    test('the password policy is enforced when creating a user, and nothing is written when it fails', async () => {
      const weak = ['ngan#1', 'xx-Vu.Lan-2026!', 'password123', 'matkhau123', 'aaaaaaaaaaaa'];
      for (const password of weak) {
        const res = await create({ username: 'vu.lan', fullName: 'Vũ Lan', password, grants: [{ role: 'officer', orgUnitId: communeA.id }] });
        assert.equal(res.statusCode, 400, `${password}: ${res.body}`);
        assert.equal(res.json().code, 'WEAK_PASSWORD', password);
      }
      const row = await t.db.selectFrom('users').select('id').where('username', '=', 'vu.lan').executeTakeFirst();
      assert.equal(row, undefined);
    });

    test('a username already taken, in any letter case, is refused with 409 USERNAME_TAKEN', async () => {
      const first = await create({ username: 'do.quang', fullName: 'Đỗ Quang', grants: [{ role: 'officer', orgUnitId: communeA.id }] });
      assert.equal(first.statusCode, 201, first.body);
      for (const username of ['do.quang', 'Do.Quang', 'DO.QUANG']) {
        const res = await create({ username, fullName: 'Đỗ Quang khác', grants: [{ role: 'officer', orgUnitId: districtB.id }] });
        assert.equal(res.statusCode, 409, `${username}: ${res.body}`);
        assert.equal(res.json().code, 'USERNAME_TAKEN');
      }
      const rows = await t.db.selectFrom('users').select('full_name').where('username', 'ilike', 'do.quang').execute();
      assert.deepEqual(rows, [{ full_name: 'Đỗ Quang' }]);
    });

    test('searching is diacritic- and case-insensitive: "nguyen van" finds "Nguyễn Văn …"', async () => {
      for (const q of ['nguyen van', 'NGUYỄN VĂN', 'Nguyen Van']) {
        const res = await admin.get(`/api/v1/users?q=${encodeURIComponent(q)}&sort=fullName`);
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(names(res), ['Nguyễn Văn An', 'Nguyễn Văn Bình'], q);
        assert.equal(res.json().total, 2);
      }
      const duc = await admin.get(`/api/v1/users?q=${encodeURIComponent('duc')}`);
      assert.deepEqual(names(duc), ['Trần Văn Đức'], 'đ folds to d');
      const none = await admin.get(`/api/v1/users?q=${encodeURIComponent('100%_')}`);
      assert.equal(none.json().total, 0, 'LIKE wildcards in q are taken literally');
    });

    test('lists filter by role and by unit (the whole subtree)', async () => {
      const officers = await admin.get(`/api/v1/users?orgUnitId=${listUnit.id}&role=officer&sort=fullName`);
      assert.deepEqual(names(officers), ['Lê Thị Em', 'Nguyễn Thị Cúc', 'Nguyễn Văn An']);
      const subtree = await admin.get(`/api/v1/users?orgUnitId=${listUnit.id}&sort=fullName`);
      assert.deepEqual(names(subtree), ['Lê Thị Em', 'Nguyễn Thị Cúc', 'Nguyễn Văn An', 'Nguyễn Văn Bình', 'Trần Văn Đức']);
      const commune = await admin.get(`/api/v1/users?orgUnitId=${listSub.id}&sort=fullName`);
      assert.deepEqual(names(commune), ['Nguyễn Thị Cúc', 'Nguyễn Văn Bình']);
      const leaders = await admin.get(`/api/v1/users?orgUnitId=${listUnit.id}&role=leader`);
      assert.deepEqual(names(leaders), ['Nguyễn Văn Bình']);
      const badRole = await admin.get('/api/v1/users?role=king');
      assert.equal(badRole.statusCode, 400);
      assert.equal(badRole.json().code, 'VALIDATION_FAILED');
    });

    test('lists sort by an allowed field in either direction and page with total, page and pageSize', async () => {
      const base = `/api/v1/users?orgUnitId=${listUnit.id}`;
      const desc = await admin.get(`${base}&sort=-username`);
      assert.deepEqual(desc.json().items.map((u: UserJson) => u.username), ['tv.duc', 'nv.binh', 'nv.an', 'nt.cuc', 'le.em']);
      const page2 = await admin.get(`${base}&sort=username&page=2&pageSize=2`);
      assert.equal(page2.statusCode, 200);
      const body = page2.json();
      assert.deepEqual(
        { total: body.total, page: body.page, pageSize: body.pageSize, usernames: body.items.map((u: UserJson) => u.username) },
        { total: 5, page: 2, pageSize: 2, usernames: ['nv.an', 'nv.binh'] },
      );
      const last = await admin.get(`${base}&sort=username&page=3&pageSize=2`);
      assert.deepEqual(last.json().items.map((u: UserJson) => u.username), ['tv.duc']);
      const beyond = await admin.get(`${base}&page=9&pageSize=2`);
      assert.deepEqual([beyond.json().items.length, beyond.json().total], [0, 5]);
      const badSort = await admin.get(`${base}&sort=passwordHash`);
      assert.equal(badSort.statusCode, 400);
      assert.equal(badSort.json().code, 'INVALID_SORT');
      const tooBig = await admin.get(`${base}&pageSize=501`);
      assert.equal(tooBig.statusCode, 400);
    });

    test('format=xlsx exports every row of the filtered list, all pages, as an Excel file', async () => {
      const res = await admin.get(`/api/v1/users?orgUnitId=${listUnit.id}&q=nguyen&sort=username&pageSize=1&format=xlsx`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], XLSX_TYPE);
      assert.match(String(res.headers['content-disposition']), /^attachment; filename=".+\.xlsx"$/);
      assert.equal(res.rawPayload.subarray(0, 2).toString('latin1'), 'PK');
      const rows = await readXlsx(res);
      assert.deepEqual(rows[0].slice(0, 3), ['Tên đăng nhập', 'Họ và tên', 'Đơn vị']);
      assert.deepEqual(
        rows.slice(1).map((r) => [r[0], r[1], r[2]]),
        [
          ['nt.cuc', 'Nguyễn Thị Cúc', 'Xã Kim Xuyên'],
          ['nv.an', 'Nguyễn Văn An', 'Huyện Kim Thành'],
          ['nv.binh', 'Nguyễn Văn Bình', 'Xã Kim Xuyên'],
        ],
      );
      assert.equal(rows[2][6], 'Cán bộ xử lý – Huyện Kim Thành', 'grants are listed with role labels');
      assert.equal(res.body.includes('$argon2'), false);
    });

    test('an administrator adds and removes a grant', async () => {
      const user = (await create({ username: 'grant.me', fullName: 'Cấp Quyền', grants: [{ role: 'officer', orgUnitId: communeA.id }] })).json();
      const added = await admin.post(`/api/v1/users/${user.id}/grants`, { role: 'leader', orgUnitId: districtB.id });
      assert.equal(added.statusCode, 200, added.body);
      const grant = added.json().grants.find((g: UserJson['grants'][number]) => g.role === 'leader');
      assert.equal(grant?.orgUnitId, districtB.id);
      const inDb = await t.db.selectFrom('user_grants').select(['role', 'org_unit_id']).where('user_id', '=', user.id).orderBy('role').execute();
      assert.deepEqual(inDb, [
        { role: 'leader', org_unit_id: districtB.id },
        { role: 'officer', org_unit_id: communeA.id },
      ]);
      // The new grant takes effect at the person's next request.
      const s = await signIn(t.app, 'grant.me', STRONG);
      assert.equal((await s.get(`/api/v1/org-units/${districtB.id}`)).statusCode, 200);

      const removed = await admin.delete(`/api/v1/users/${user.id}/grants/${grant.id}`);
      assert.equal(removed.statusCode, 200, removed.body);
      assert.deepEqual(removed.json().grants.map((g: UserJson['grants'][number]) => g.role), ['officer']);
      assert.equal((await s.get(`/api/v1/org-units/${districtB.id}`)).statusCode, 404, 'the removed grant no longer opens the unit');
      const again = await admin.delete(`/api/v1/users/${user.id}/grants/${grant.id}`);
      assert.equal(again.statusCode, 404);
      const unknownUnit = await admin.post(`/api/v1/users/${user.id}/grants`, { role: 'leader', orgUnitId: 999999 });
      assert.equal(unknownUnit.statusCode, 404);
    });

    test('an administrator cannot remove their own administrator grant', async () => {
      const mine = (await admin.get(`/api/v1/users/${adminId}`)).json() as UserJson;
      const adminGrant = mine.grants.find((g) => g.role === 'administrator')!;
      const res = await admin.delete(`/api/v1/users/${adminId}/grants/${adminGrant.id}`);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().code, 'CANNOT_REMOVE_OWN_ADMIN');
      const still = await t.db.selectFrom('user_grants').select('id').where('id', '=', adminGrant.id).executeTakeFirst();
      assert.deepEqual(still, { id: adminGrant.id });
      const self = await admin.patch(`/api/v1/users/${adminId}`, { active: false });
      assert.equal(self.statusCode, 400);
      assert.equal(self.json().code, 'CANNOT_DISABLE_SELF');
    });

    test('disabling a user ends their sessions at once and keeps them out until re-enabled', async () => {
      const user = await makeUser(t.db, { unit: communeA, role: 'officer', username: 'to.disable' });
      const s1 = await signIn(t.app, 'to.disable');
      const s2 = await signIn(t.app, 'to.disable');
      const res = await admin.patch(`/api/v1/users/${user.id}`, { active: false });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().active, false);
      assert.equal((await s1.get('/api/v1/auth/me')).statusCode, 401);
      assert.equal((await s2.get('/api/v1/auth/me')).statusCode, 401);
      const left = await t.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
      assert.equal(left.length, 0);
      const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'to.disable', password: TEST_PASSWORD } });
      assert.equal(login.statusCode, 401);
      assert.equal((await admin.patch(`/api/v1/users/${user.id}`, { active: true })).statusCode, 200);
      await signIn(t.app, 'to.disable');
    });

    test('every change to an account is in the audit log with before and after, and no password or hash anywhere in it', async () => {
      const secretPassword = 'Bi-mat-cua-Lan#2026';
      const resetPassword = 'Dat-lai-mat-khau#2026';
      const created = await admin.post('/api/v1/users', {
        username: 'audit.me',
        fullName: 'Kiểm Toán',
        password: secretPassword,
        email: 'kt@namsach.gov.vn',
        grants: [{ role: 'officer', orgUnitId: communeA.id }],
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as number;
      assert.equal((await admin.patch(`/api/v1/users/${id}`, { fullName: 'Kiểm Toán Viên', phone: '0987654321' })).statusCode, 200);
      const granted = await admin.post(`/api/v1/users/${id}/grants`, { role: 'leader', orgUnitId: districtA.id });
      const grantId = granted.json().grants.find((g: UserJson['grants'][number]) => g.role === 'leader').id;
      assert.equal((await admin.delete(`/api/v1/users/${id}/grants/${grantId}`)).statusCode, 200);
      assert.equal((await admin.post(`/api/v1/users/${id}/password`, { password: resetPassword })).statusCode, 204);
      assert.equal((await admin.post(`/api/v1/users/${id}/unlock`)).statusCode, 200);
      assert.equal((await admin.patch(`/api/v1/users/${id}`, { active: false })).statusCode, 200);

      const res = await admin.get(`/api/v1/audit?module=users&userId=${adminId}&pageSize=500`);
      assert.equal(res.statusCode, 200, res.body);
      const entries = (res.json().items as { entityId: string; action: string; before: unknown; after: unknown; username: string; orgUnitId: number }[])
        .filter((e) => e.entityId === String(id))
        .reverse();
      assert.deepEqual(
        entries.map((e) => e.action),
        ['create', 'update', 'grant', 'revoke-grant', 'reset-password', 'unlock', 'update'],
      );
      for (const e of entries) {
        assert.equal(e.username, 'usadmin');
        assert.equal(e.orgUnitId, communeA.id, 'entries are tied to the account’s unit, so its administrators see them');
      }
      assert.deepEqual(entries[0].after, {
        username: 'audit.me',
        fullName: 'Kiểm Toán',
        email: 'kt@namsach.gov.vn',
        phone: null,
        grants: [{ role: 'officer', orgUnitId: communeA.id }],
      });
      assert.deepEqual(entries[1].before, { fullName: 'Kiểm Toán', email: 'kt@namsach.gov.vn', phone: null, active: true });
      assert.deepEqual(entries[1].after, { fullName: 'Kiểm Toán Viên', phone: '0987654321' });
      assert.deepEqual(entries[2].after, { role: 'leader', orgUnitId: districtA.id });
      assert.deepEqual(entries[3].before, { role: 'leader', orgUnitId: districtA.id });
      assert.deepEqual([entries[6].before, entries[6].after].map((v) => (v as { active: boolean }).active), [true, false]);

      // Nothing secret anywhere in the log: neither the passwords nor any hash.
      const all = await t.db.selectFrom('audit_log').selectAll().execute();
      const text = JSON.stringify(all);
      for (const secret of [secretPassword, resetPassword, STRONG, TEST_PASSWORD, '$argon2']) {
        assert.equal(text.includes(secret), false, `the audit log holds "${secret}"`);
      }
    });
  });
}
