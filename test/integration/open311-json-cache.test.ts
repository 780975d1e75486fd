import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import sharp from 'sharp';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { formatServiceRequests } from '../../src/modules/feedback/open311/format.js';
import { parseRequestsQuery } from '../../src/modules/feedback/open311/params.js';
import { createLocalBus } from '../../src/platform/bus/bus.js';
import { openDatabase } from '../../src/db/pool.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { gpsPhoto, multipart, submitReport } from '../helpers/feedback.js';
import { open311WithoutCache } from '../helpers/open311.js';

// GET requests.json keeps each service request's JSON in memory by report and version
// (OPEN311_JSON_CACHE_BYTES). Whatever happens to a report, its category or its unit, an answer
// from the cache is the answer PostgreSQL writes without it and the one the TypeScript writer
// writes, byte for byte.

type Unit = Awaited<ReturnType<typeof makeUnit>>;
type Request = Record<string, unknown>;
const square = (lng: number, lat: number, d = 0.05) => ({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });
const HOST = 'dieuhanh.example.vn';
const BASE_URL = `http://${HOST}`;

for (const kind of await testBackends()) {
  describe(`Open311 JSON kept between answers on ${kind}`, () => {
    let t: TestApp;
    let dataDir: string;
    let communeA: Unit;
    let team: Unit;
    let categoryId: number;
    let admin: Session;
    let operator: Session;
    let officerA: Session;
    let address = 0;
    const inA = { lat: '21.02', lng: '106.02' };

    const get = (url: string, app: FastifyInstance = t.app) =>
      app.inject({ method: 'GET', url, headers: { host: HOST }, remoteAddress: `10.43.${(++address >> 8) & 255}.${address & 255}` });
    /** GET requests.json?`query` on `app`, checked equal to both answers written without the cache. */
    const answer = async (query: string, app: FastifyInstance = t.app): Promise<Request[]> => {
      const res = await get(`/open311/v2/requests.json?${query}`, app);
      assert.equal(res.statusCode, 200, res.body);
      const parsed = parseRequestsQuery(new URLSearchParams(query), new Date());
      const open311 = open311WithoutCache(t);
      assert.equal(res.body, String((await open311.requestsAnswer('json', parsed, BASE_URL)).answer.body), 'as PostgreSQL writes it whole');
      assert.equal(res.body, String(formatServiceRequests('json', await open311.requests(parsed, BASE_URL)).body), 'as the TypeScript writer writes it');
      return res.json();
    };
    const listed = () => answer('service_code=RAC');
    const byCode = (requests: Request[]) => new Map(requests.map((r) => [String(r.service_request_id), r]));
    /** Requests PostgreSQL wrote for `app`'s cache while `act` ran. */
    const writtenDuring = async (act: () => Promise<unknown>, app: FastifyInstance = t.app) => {
      const before = app.services.open311JsonCache.stats();
      await act();
      const now = app.services.open311JsonCache.stats();
      return { written: now.written - before.written, hits: now.hits - before.hits };
    };
    const staffIdOf = async (code: string): Promise<number> => (await operator.get(`/api/v1/feedback/reports?q=${code}`)).json().items[0].id;
    const ok = async (res: Promise<{ statusCode: number; body: string }>) => {
      const done = await res;
      assert.equal(done.statusCode, 200, done.body);
    };
    /** Another instance on the same database, with its own configuration and its own in-process bus. */
    async function otherInstance(env: Record<string, string>) {
      const app = await buildApp({
        config: loadConfig({ LOAD_DEMO: 'false', DATA_DIR: dataDir, ORG_UNIT_CACHE_SECONDS: '600', ...env }),
        database: t.testDb.database,
        bus: createLocalBus(),
      });
      await app.ready();
      return app;
    }

    const codes: Record<'r1' | 'r2' | 'r3' | 'r4' | 'r5' | 'r6', string> = { r1: '', r2: '', r3: '', r4: '', r5: '', r6: '' };

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-open311-json-cache-'));
      t = await buildTestApp(kind, { DATA_DIR: dataDir, ORG_UNIT_CACHE_SECONDS: '600' });
      const province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: 'JC-HD' });
      communeA = await makeUnit(t.db, { parent: province, kind: 'commune', name: 'Xã An Bình', code: 'JC-AB' });
      team = await makeUnit(t.db, { parent: communeA, kind: 'agency', name: 'Tổ công tác môi trường', code: 'JC-TO' });
      await t.db.updateTable('org_units').set({ lat: 21.025, lng: 106.025, boundary: JSON.stringify(square(106.0, 21.0)) }).where('id', '=', communeA.id).execute();
      await t.db.updateTable('org_units').set({ lat: 21.05, lng: 106.05 }).where('id', '=', province.id).execute();
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'jc.admin' });
      await makeUser(t.db, { unit: province, role: 'operator', username: 'jc.operator' });
      await makeUser(t.db, { unit: communeA, role: 'officer', username: 'jc.officer' });
      [admin, operator, officerA] = await Promise.all(['jc.admin', 'jc.operator', 'jc.officer'].map((u) => signIn(t.app, u)));
      const created = await admin.post('/api/v1/feedback/categories', { code: 'RAC', name: 'Rác thải, vệ sinh môi trường', group: 'Môi trường' });
      assert.equal(created.statusCode, 201, created.body);
      categoryId = created.json().id;

      const photo = await gpsPhoto(32, 24);
      for (const key of Object.keys(codes) as (keyof typeof codes)[]) {
        const res = await submitReport(t.app, { category: 'RAC', description: `Rác tồn đọng <${key}> & "ngõ"`, ...inA }, key === 'r2' ? [photo] : []);
        assert.equal(res.statusCode, 201, res.body);
        codes[key] = res.json().code;
        // All but r3 are listed (assigned to the commune); r3 stays received, to be merged.
        if (key !== 'r3') await ok(operator.post(`/api/v1/feedback/reports/${await staffIdOf(codes[key])}/verify`, { unitId: communeA.id }));
      }
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('an answer from the cache is the answer written without it, byte for byte, through every change a report goes through', async () => {
      const first = byCode(await listed());
      assert.equal(first.size, 5);
      const again = await writtenDuring(listed);
      assert.deepEqual(again, { written: 0, hits: 5 }, 'nothing changed: every request from memory');

      // A photo verified: media_url changes, updated_at does not (no timeline event).
      const r2 = await staffIdOf(codes.r2);
      const [photo] = (await operator.get(`/api/v1/feedback/reports/${r2}`)).json().photos;
      const verified = await writtenDuring(() => ok(operator.post(`/api/v1/feedback/reports/${r2}/photos/${photo.id}/verify`, { verified: true })).then(listed));
      assert.deepEqual(verified, { written: 1, hits: 4 });
      const withPhoto = byCode(await listed()).get(codes.r2) as Request;
      assert.match(String(withPhoto.media_url), new RegExp(`^${BASE_URL}/api/v1/public/feedback/photos/${photo.key}$`));
      assert.equal(withPhoto.updated_datetime, first.get(codes.r2)?.updated_datetime);

      // A unit set straight in the table, as another program would: no event, no updated_at.
      await sql`UPDATE feedback_reports SET unit_id = ${team.id} WHERE code = ${codes.r5}`.execute(t.db);
      assert.equal(byCode(await listed()).get(codes.r5)?.agency_responsible, 'Tổ công tác môi trường');

      // A report merged into another: it leaves the list, and reads back naming the other.
      const pair = `service_request_id=${codes.r3},${codes.r4}`;
      assert.equal((await answer(pair)).length, 2);
      await ok(operator.post(`/api/v1/feedback/reports/${await staffIdOf(codes.r3)}/merge`, { targetId: await staffIdOf(codes.r4) }));
      const merged = byCode(await answer(pair)).get(codes.r3) as Request;
      assert.equal(merged.status, 'closed');
      assert.match(String(merged.status_notes), new RegExp(`${codes.r4}$`));

      // The overdue sweep stamps an event 40 days ahead; a step taken after it, in real time,
      // changes the report but leaves updated_at at the sweep's time.
      assert.ok((await t.app.services.feedbackSweep.run(new Date(Date.now() + 40 * 86_400_000))).overdue >= 1);
      const overdue = byCode(await listed()).get(codes.r1) as Request;
      const r1 = await staffIdOf(codes.r1);
      await ok(officerA.post(`/api/v1/feedback/reports/${r1}/start`));
      const started = byCode(await listed()).get(codes.r1) as Request;
      assert.equal(started.updated_datetime, overdue.updated_datetime);
      assert.equal(started.status_notes, 'Đang xử lý');

      // Answered with a photo.
      const answerPhoto = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#00aa00' } }).png().toBuffer();
      const form = multipart([
        { name: 'answer', value: 'Đã thu gom <xong> & "gọn".' },
        { name: 'photos', file: answerPhoto, fileName: 'ket-qua.png', type: 'image/png' },
      ]);
      const resolved = await writtenDuring(async () => {
        await ok(officerA.request({ method: 'POST', url: `/api/v1/feedback/reports/${r1}/resolve`, ...form }));
        await listed();
      });
      assert.deepEqual(resolved, { written: 1, hits: 4 });
      const answered = byCode(await listed()).get(codes.r1) as Request;
      assert.equal(answered.status, 'closed');
      assert.equal(answered.status_notes, 'Đã xử lý: Đã thu gom <xong> & "gọn".');
      assert.notEqual(answered.media_url, null);
    });

    test('after a category or a unit is renamed, the next answer shows the new name', async () => {
      const before = await listed();
      assert.ok(before.every((r) => r.service_name === 'Rác thải, vệ sinh môi trường'));
      const renamed = await writtenDuring(async () => {
        await ok(admin.patch(`/api/v1/feedback/categories/${categoryId}`, { name: 'Rác thải & vệ sinh <môi trường>' }));
        await listed();
      });
      assert.deepEqual(renamed, { written: before.length, hits: 0 }, 'every request written again');
      assert.ok((await listed()).every((r) => r.service_name === 'Rác thải & vệ sinh <môi trường>'));

      await ok(admin.patch(`/api/v1/org-units/${communeA.id}`, { name: 'Xã An Bình Mới' }));
      const units = new Set((await listed()).map((r) => r.agency_responsible));
      assert.deepEqual([...units].sort(), ['Tổ công tác môi trường', 'Xã An Bình Mới']);
    });

    test('an instance that missed the notice shows a rename within ORG_UNIT_CACHE_SECONDS; one that heard it, at once', async () => {
      // With its own in-process bus this instance hears nothing of the others.
      const deaf = await otherInstance({ ORG_UNIT_CACHE_SECONDS: '1' });
      try {
        await listed();
        await answer('service_code=RAC', deaf);
        await ok(admin.patch(`/api/v1/feedback/categories/${categoryId}`, { name: 'Vệ sinh môi trường' }));
        assert.ok((await listed()).every((r) => r.service_name === 'Vệ sinh môi trường'), 'this instance: at once');
        // The categories it holds lapse after a second; then it reads them, and writes the JSON, again.
        await new Promise((r) => setTimeout(r, 1100));
        assert.ok((await answer('service_code=RAC', deaf)).every((r) => r.service_name === 'Vệ sinh môi trường'), 'the deaf instance: within the TTL');
      } finally {
        await deaf.close();
      }
      if (kind !== 'postgres') return;
      // Another instance listening on PostgreSQL hears the change through the bus.
      const database = await openDatabase({ databaseUrl: t.testDb.url as string, poolSize: 2 });
      const other = await buildApp({
        config: loadConfig({ LOAD_DEMO: 'false', DATA_DIR: dataDir, DATABASE_URL: t.testDb.url as string, ORG_UNIT_CACHE_SECONDS: '600' }),
        database,
      });
      try {
        await other.ready();
        // The listening connection opens in the background.
        await new Promise((r) => setTimeout(r, 1500));
        await answer('service_code=RAC', other);
        await ok(admin.patch(`/api/v1/org-units/${communeA.id}`, { name: 'Xã An Bình Đổi Tên' }));
        const named = async () => (await get('/open311/v2/requests.json?service_code=RAC', other)).json().some((r: Request) => r.agency_responsible === 'Xã An Bình Đổi Tên');
        for (let waited = 0; !(await named()); waited += 50) {
          assert.ok(waited < 5000, 'the other instance names the renamed unit within 5 s');
          await new Promise((r) => setTimeout(r, 50));
        }
        await answer('service_code=RAC', other);
      } finally {
        await other.close();
        await database.close();
      }
    });

    test('the byte bound evicts the least recently used requests and the answers stay whole; with a bound of 0 nothing is kept', async () => {
      const small = await otherInstance({ OPEN311_JSON_CACHE_BYTES: '2500' });
      const off = await otherInstance({ OPEN311_JSON_CACHE_BYTES: '0' });
      try {
        const count = (await answer('service_code=RAC', small)).length;
        assert.ok(count >= 4);
        const held = small.services.open311JsonCache.stats();
        assert.ok(held.bytes <= 2500, `${held.bytes} bytes held`);
        assert.ok(held.entries >= 1 && held.entries < count, `${held.entries} of ${count} held`);
        const again = await writtenDuring(() => answer('service_code=RAC', small), small);
        assert.ok(again.written > 0 && again.written < count, 'the evicted ones written again');

        await answer('service_code=RAC', off);
        await answer(`service_request_id=${Object.values(codes).join(',')}`, off);
        assert.deepEqual(off.services.open311JsonCache.stats(), { entries: 0, answers: 0, bytes: 0, hits: 0, written: 0 });
      } finally {
        await small.close();
        await off.close();
      }
    });
  });
}
