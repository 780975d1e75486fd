import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, buildTestApp, makeUnit } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';

for (const kind of await testBackends()) {
  describe(`map configuration on ${kind}`, () => {
    let t: TestApp;
    before(async () => {
      t = await buildTestApp(kind, { TILE_URL: 'https://tile.example.vn/{z}/{x}/{y}.png' });
    });
    after(() => t.close());

    test('without any unit, maps get the tile URL and no centre', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/public/map-config' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { tileUrl: 'https://tile.example.vn/{z}/{x}/{y}.png', center: null, localityName: null });
    });

    test('with a locality, maps open on its centre, without signing in', async () => {
      const root = await makeUnit(t.db, { code: 'MC-HD', name: 'Tỉnh Hải Dương' });
      await t.db.updateTable('org_units').set({ lat: 20.94, lng: 106.33 }).where('id', '=', root.id).execute();
      // Written behind the app's back: announce it as the app itself would (on PostgreSQL the notice takes a moment).
      t.app.services.bus.publish({ type: 'orgUnit.changed', orgUnitId: root.id, orgUnitPath: root.path, payload: {} });
      const read = () => t.app.inject({ method: 'GET', url: '/api/v1/public/map-config' });
      let res = await read();
      for (let i = 0; i < 60 && res.json().center === null; i++) {
        await new Promise((r) => setTimeout(r, 50));
        res = await read();
      }
      assert.deepEqual(res.json().center, { lat: 20.94, lng: 106.33 });
      assert.equal(res.json().localityName, 'Tỉnh Hải Dương');
    });
  });
}
