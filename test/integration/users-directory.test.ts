import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';

/**
 * The staff directory (GET /users/directory): the people picker of a task's "rõ người". Any staff
 * member sees the active staff of a unit's subtree within their own scope, by name, without contact
 * details; a unit outside the scope is refused, citizens and deactivated accounts are never listed.
 */

interface Entry {
  id: number;
  username: string;
  fullName: string;
  orgUnitId: number;
  unitName: string;
}

for (const kind of await testBackends()) {
  describe(`users directory on ${kind}`, () => {
    let t: TestApp;
    let district: Awaited<ReturnType<typeof makeUnit>>;
    let commune: Awaited<ReturnType<typeof makeUnit>>;
    let otherDistrict: Awaited<ReturnType<typeof makeUnit>>;
    let districtLeader: Session;
    let communeOfficer: Session;
    const ids = {} as Record<'districtLeader' | 'communeOfficer' | 'communeClerk' | 'gone' | 'citizen' | 'other', number>;

    const entries = async (s: Session, query = '') => {
      const res = await s.get(`/api/v1/users/directory${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items as Entry[];
    };

    before(async () => {
      t = await buildTestApp(kind);
      const province = await makeUnit(t.db, { name: 'Tỉnh thử', code: 'UD-P' });
      district = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Nam Sách', code: 'UD-NS' });
      commune = await makeUnit(t.db, { parent: district, name: 'Xã An Bình', code: 'UD-NS-AB' });
      otherDistrict = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Tứ Kỳ', code: 'UD-TK' });
      ids.districtLeader = (await makeUser(t.db, { unit: district, role: 'leader', username: 'ud.ns.leader', fullName: 'Lãnh đạo Nam Sách' })).id;
      ids.communeOfficer = (await makeUser(t.db, { unit: commune, role: 'officer', username: 'ud.ab.officer', fullName: 'Vũ Thị Bình' })).id;
      ids.communeClerk = (await makeUser(t.db, { unit: commune, role: 'operator', username: 'ud.ab.clerk', fullName: 'Đặng Văn Án' })).id;
      ids.gone = (await makeUser(t.db, { unit: commune, role: 'officer', username: 'ud.ab.gone', fullName: 'Người đã nghỉ' })).id;
      ids.citizen = (await makeUser(t.db, { unit: commune, role: 'citizen', username: 'ud.ab.citizen', fullName: 'Công dân An Bình' })).id;
      ids.other = (await makeUser(t.db, { unit: otherDistrict, role: 'officer', username: 'ud.tk.officer', fullName: 'Cán bộ Tứ Kỳ' })).id;
      await t.db.updateTable('users').set({ active: false }).where('id', '=', ids.gone).execute();
      districtLeader = await signIn(t.app, 'ud.ns.leader');
      communeOfficer = await signIn(t.app, 'ud.ab.officer');
    });

    after(async () => {
      await t?.close();
    });

    test('given a district leader, when the commune is chosen, then its active staff are listed by name with their unit, citizens and deactivated accounts left out', async () => {
      const listed = await entries(districtLeader, `?unitId=${commune.id}`);
      assert.deepEqual(
        listed.map((e) => e.id),
        [ids.communeClerk, ids.communeOfficer],
      );
      assert.deepEqual(listed[0], { id: ids.communeClerk, username: 'ud.ab.clerk', fullName: 'Đặng Văn Án', orgUnitId: commune.id, unitName: 'Xã An Bình' });
    });

    test('given no unit, then the whole scope is listed, the district first, and nobody outside it', async () => {
      const listed = (await entries(districtLeader)).map((e) => e.id);
      assert.deepEqual(listed, [ids.districtLeader, ids.communeClerk, ids.communeOfficer]);
      assert.equal(listed.includes(ids.other), false);
    });

    test('given a name typed without diacritics, then the matching colleague is found', async () => {
      assert.deepEqual((await entries(districtLeader, '?q=vu%20thi%20binh')).map((e) => e.id), [ids.communeOfficer]);
    });

    test('given a commune officer, when the district above or another district is asked for, then it is refused', async () => {
      for (const unitId of [district.id, otherDistrict.id]) {
        const res = await communeOfficer.get(`/api/v1/users/directory?unitId=${unitId}`);
        assert.ok([403, 404].includes(res.statusCode), `${unitId}: ${res.statusCode} ${res.body}`);
      }
      assert.deepEqual((await entries(communeOfficer)).map((e) => e.id), [ids.communeClerk, ids.communeOfficer]);
    });

    test('given a citizen, then the directory is refused', async () => {
      const citizen = await signIn(t.app, 'ud.ab.citizen');
      assert.equal((await citizen.get('/api/v1/users/directory')).statusCode, 403);
    });
  });
}
