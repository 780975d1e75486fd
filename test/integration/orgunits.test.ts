import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';

for (const kind of await testBackends()) {
  describe(`org units on ${kind}`, () => {
    let t: TestApp;
    let admin: Session;
    let province: Awaited<ReturnType<typeof makeUnit>>;
    let district: Awaited<ReturnType<typeof makeUnit>>;

    before(async () => {
      t = await buildTestApp(kind);
      province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: 'HD' });
      district = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Nam Sách', code: 'HD-NS' });
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'admin' });
      admin = await signIn(t.app, 'admin');
    });
    after(() => t.close());

    test('an administrator creates a commune under a district and finds it without diacritics', async () => {
      const res = await admin.post('/api/v1/org-units', { code: 'HD-NS-ANBINH', name: 'Xã An Bình', kind: 'commune', parentId: district.id, lat: 21.01, lng: 106.33 });
      assert.equal(res.statusCode, 201, res.body);
      const unit = res.json();
      assert.deepEqual(unit.path, [province.id, district.id, unit.id]);
      assert.equal(unit.level, 3);
      const found = await admin.get('/api/v1/org-units?q=an%20binh');
      assert.equal(found.statusCode, 200);
      assert.deepEqual(found.json().items.map((u: { code: string }) => u.code), ['HD-NS-ANBINH']);
    });

    test('a duplicate code is refused with a clear conflict and nothing is written', async () => {
      const res = await admin.post('/api/v1/org-units', { code: 'hd-ns', name: 'Trùng mã', kind: 'district', parentId: province.id });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'CODE_TAKEN');
      const list = await admin.get('/api/v1/org-units?q=trung%20ma');
      assert.equal(list.json().total, 0);
    });

    test('moving a unit rewrites its whole subtree', async () => {
      const other = await makeUnit(t.db, { parent: province, kind: 'district', code: 'HD-TK', name: 'Huyện Tứ Kỳ' });
      const commune = await makeUnit(t.db, { parent: district, code: 'HD-NS-X' });
      const hamlet = await makeUnit(t.db, { parent: commune, kind: 'agency', code: 'HD-NS-X-1' });
      const res = await admin.post(`/api/v1/org-units/${commune.id}/move`, { parentId: other.id });
      assert.equal(res.statusCode, 200, res.body);
      const moved = await admin.get(`/api/v1/org-units/${hamlet.id}`);
      assert.deepEqual(moved.json().path, [province.id, other.id, commune.id, hamlet.id]);
      const intoItself = await admin.post(`/api/v1/org-units/${commune.id}/move`, { parentId: hamlet.id });
      assert.equal(intoItself.statusCode, 400);
      assert.equal(intoItself.json().code, 'MOVE_INTO_ITSELF');
    });

    test('a unit with active children cannot be deactivated; a leaf can, and every change is audited', async () => {
      const refused = await admin.post(`/api/v1/org-units/${district.id}/deactivate`);
      assert.equal(refused.statusCode, 409);
      const leaf = await makeUnit(t.db, { parent: district, code: 'HD-NS-LEAF' });
      const ok = await admin.post(`/api/v1/org-units/${leaf.id}/deactivate`);
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.json().active, false);
      const audit = await admin.get(`/api/v1/audit?module=orgunits&action=deactivate`);
      assert.equal(audit.json().items[0].entityId, String(leaf.id));
      assert.deepEqual(audit.json().items[0].before, { active: true });
    });
  });
}
