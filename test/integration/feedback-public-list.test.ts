import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { submitReport } from '../helpers/feedback.js';

/** The public list filtered by the handling unit's id (the unit and every unit under it), and the units to pick from. */

type Unit = Awaited<ReturnType<typeof makeUnit>>;
const square = (lng: number, lat: number, d = 0.05) => ({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });

for (const kind of await testBackends()) {
  describe(`the public list by unit on ${kind}`, () => {
    let t: TestApp;
    let operator: Session;
    let province: Unit;
    let district: Unit;
    let communeInDistrict: Unit;
    let communeOfProvince: Unit;
    let closedUnit: Unit;
    const codes = {} as Record<'inDistrict' | 'ofProvince' | 'unverified', string>;

    const listed = async (query: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/public/feedback?${query}` });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json().items as { code: string }[]).map((i) => i.code).sort();
    };

    before(async () => {
      t = await buildTestApp(kind);
      province = await makeUnit(t.db, { name: 'Tỉnh Công Khai', code: 'PL-P' });
      district = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Công Khai', code: 'PL-D' });
      communeInDistrict = await makeUnit(t.db, { parent: district, kind: 'commune', name: 'Xã Trong Huyện', code: 'PL-C1' });
      communeOfProvince = await makeUnit(t.db, { parent: province, kind: 'commune', name: 'Phường Trực Thuộc', code: 'PL-C2' });
      closedUnit = await makeUnit(t.db, { parent: province, kind: 'commune', name: 'Xã Đã Sáp Nhập', code: 'PL-C3' });
      await t.db.updateTable('org_units').set({ active: false }).where('id', '=', closedUnit.id).execute();
      for (const [u, lng, lat] of [[communeInDistrict, 106.0, 21.0], [communeOfProvince, 106.1, 21.1]] as const) {
        await t.db.updateTable('org_units').set({ lat: lat + 0.025, lng: lng + 0.025, boundary: JSON.stringify(square(lng, lat)) }).where('id', '=', u.id).execute();
      }
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'pl.admin' });
      await makeUser(t.db, { unit: province, role: 'operator', username: 'pl.operator' });
      const admin = await signIn(t.app, 'pl.admin');
      operator = await signIn(t.app, 'pl.operator');
      assert.equal((await admin.post('/api/v1/feedback/categories', { code: 'CAY', name: 'Cây xanh' })).statusCode, 201);
      const submitted = async (description: string, lat: string, lng: string) => (await submitReport(t.app, { category: 'CAY', description, lat, lng })).json().code as string;
      const assigned = async (code: string, unit: Unit) => {
        const id = (await operator.get(`/api/v1/feedback/reports?q=${code}`)).json().items[0].id;
        assert.equal((await operator.post(`/api/v1/feedback/reports/${id}/verify`, { unitId: unit.id })).statusCode, 200);
      };
      codes.inDistrict = await submitted('Cây đổ trong huyện', '21.02', '106.02');
      codes.ofProvince = await submitted('Cây đổ ở phường', '21.12', '106.12');
      codes.unverified = await submitted('Cây nghiêng chưa xác minh', '21.02', '106.02');
      await assigned(codes.inDistrict, communeInDistrict);
      await assigned(codes.ofProvince, communeOfProvince);
    });
    after(() => t.close());

    test('given reports handled by two communes, the list by a unit id shows that unit’s reports and those of the units under it', async () => {
      assert.deepEqual(await listed(`unitId=${communeInDistrict.id}`), [codes.inDistrict]);
      assert.deepEqual(await listed(`unitId=${district.id}`), [codes.inDistrict], 'a district shows its communes’ reports');
      assert.deepEqual(await listed(`unitId=${communeOfProvince.id}`), [codes.ofProvince]);
      assert.deepEqual(await listed(`unitId=${province.id}`), [codes.inDistrict, codes.ofProvince].sort());
      assert.deepEqual(await listed(''), [codes.inDistrict, codes.ofProvince].sort(), 'not yet verified: never listed');
      assert.deepEqual(await listed(`unitId=${communeOfProvince.id}&q=${encodeURIComponent('cay do')}`), [codes.ofProvince]);
      assert.deepEqual(await listed('unitId=999999'), [], 'an unknown unit filters everything out');
      const bad = await t.app.inject({ method: 'GET', url: '/api/v1/public/feedback?unitId=xa-an-binh' });
      assert.equal(bad.statusCode, 400);
    });

    test('the units to pick from: every active unit with its parent, parents first, nothing about people', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/public/feedback/units' });
      assert.equal(res.statusCode, 200);
      const units: { id: number; name: string; parentId: number | null; level: number }[] = res.json().items;
      const byId = new Map(units.map((u) => [u.id, u]));
      assert.equal(byId.get(communeInDistrict.id)?.parentId, district.id);
      assert.equal(byId.get(communeInDistrict.id)?.name, 'Xã Trong Huyện');
      assert.equal(byId.has(closedUnit.id), false, 'a deactivated unit is not offered');
      const seen = new Set<number>();
      for (const u of units) {
        if (u.parentId !== null && byId.has(u.parentId)) assert.ok(seen.has(u.parentId), `${u.name} comes after its parent`);
        seen.add(u.id);
      }
    });
  });
}
