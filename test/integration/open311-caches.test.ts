import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import * as repo from '../../src/modules/feedback/repo.js';
import { type Submission, createSubmissionWriter } from '../../src/modules/feedback/submission-writer.js';
import { auditInsert } from '../../src/platform/audit/audit.js';
import { createLocalBus } from '../../src/platform/bus/bus.js';
import { openDatabase } from '../../src/db/pool.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { submitReport } from '../helpers/feedback.js';

// What an Open311 POST reads from memory instead of the database — the API key's actor
// (SESSION_CACHE_SECONDS), the categories and the org units' boundaries and centres
// (ORG_UNIT_CACHE_SECONDS) — follows every change: through this instance at once, on the others
// through the bus, and within the documented time on an instance that missed the notice. And the
// one statement that writes a submission writes all of it or nothing.

type Unit = Awaited<ReturnType<typeof makeUnit>>;
const square = (lng: number, lat: number, d = 0.05) => ({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });

async function eventually(check: () => Promise<boolean>, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const kind of await testBackends()) {
  describe(`Open311 POST caches on ${kind}`, () => {
    let t: TestApp;
    let dataDir: string;
    let province: Unit;
    let district: Unit;
    let communeA: Unit;
    let communeB: Unit;
    let admin: Session;
    let apiKey: { id: number; secret: string };
    let address = 0;
    // Inside commune A's boundary; commune B lies next to it.
    const inA = { lat: '21.02', long: '106.02' };

    /** POST requests.json on `app` (this instance unless told), form-encoded. */
    const post = (fields: Record<string, string>, app: FastifyInstance = t.app) =>
      app.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        payload: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        remoteAddress: `10.42.0.${++address % 250}`,
      });
    const request = (extra: Record<string, string> = {}) => ({ api_key: apiKey.secret, service_code: 'RAC', description: 'Rác tồn đọng', ...inA, ...extra });
    /** The stored report behind a 201 answer. */
    async function reportOf(res: { statusCode: number; body: string; json(): unknown }) {
      assert.equal(res.statusCode, 201, res.body);
      const [{ service_request_id: code }] = res.json() as { service_request_id: string }[];
      return (await sql<{ id: number; area_unit_id: number | null; suggested_unit_id: number | null }>`
        SELECT id, area_unit_id, suggested_unit_id FROM feedback_reports WHERE code = ${code}`.execute(t.db)).rows[0];
    }
    /** Another instance on the same database: with its own in-process bus it hears no notice of this one's changes. */
    async function otherInstance(env: Record<string, string>, deaf: boolean) {
      if (kind === 'postgres' && !deaf) {
        const database = await openDatabase({ databaseUrl: t.testDb.url as string, poolSize: 2 });
        const app = await buildApp({ config: loadConfig({ LOAD_DEMO: 'false', DATA_DIR: dataDir, DATABASE_URL: t.testDb.url as string, ...env }), database });
        await app.ready();
        // The listening connection opens in the background.
        await new Promise((r) => setTimeout(r, 1500));
        const close = async () => {
          await app.close();
          await database.close();
        };
        return { app, close };
      }
      const app = await buildApp({ config: loadConfig({ LOAD_DEMO: 'false', DATA_DIR: dataDir, ...env }), database: t.testDb.database, bus: createLocalBus() });
      await app.ready();
      return { app, close: () => app.close() };
    }

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-open311-caches-'));
      t = await buildTestApp(kind, { DATA_DIR: dataDir, SESSION_CACHE_SECONDS: '60', ORG_UNIT_CACHE_SECONDS: '600' });
      province = await makeUnit(t.db, { name: 'Tỉnh Thử', code: 'OC-P' });
      district = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Thử', code: 'OC-D' });
      communeA = await makeUnit(t.db, { parent: district, kind: 'commune', name: 'Xã An', code: 'OC-A' });
      communeB = await makeUnit(t.db, { parent: district, kind: 'commune', name: 'Xã Bình', code: 'OC-B' });
      const place = (u: Unit, lng: number, lat: number, boundary: boolean) =>
        t.db.updateTable('org_units').set({ lat: lat + 0.025, lng: lng + 0.025, boundary: boundary ? JSON.stringify(square(lng, lat)) : null }).where('id', '=', u.id).execute();
      await place(communeA, 106.0, 21.0, true);
      await place(communeB, 106.05, 21.0, true);
      await place(district, 106.0, 21.0, false);
      await place(province, 106.0, 21.0, false);
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'oc.admin' });
      admin = await signIn(t.app, 'oc.admin');
      for (const code of ['RAC', 'DEN']) {
        const created = await admin.post('/api/v1/feedback/categories', { code, name: `Lĩnh vực ${code}` });
        assert.equal(created.statusCode, 201, created.body);
      }
      const key = await admin.post('/api/v1/api-keys', { name: 'Ứng dụng Open311', role: 'citizen', orgUnitId: province.id });
      assert.equal(key.statusCode, 201, key.body);
      apiKey = { id: key.json().apiKey.id, secret: key.json().secret };
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('a category deactivated, reactivated or routed to another kind of unit takes effect on the next request', async () => {
      const category = (await admin.get('/api/v1/feedback/categories?q=RAC')).json().items.find((c: { code: string }) => c.code === 'RAC');
      assert.equal((await post(request())).statusCode, 201, 'the categories are now in memory');

      assert.equal((await admin.patch(`/api/v1/feedback/categories/${category.id}`, { active: false })).statusCode, 200);
      const refused = await post(request());
      assert.equal(refused.statusCode, 404, refused.body);
      assert.equal(refused.json()[0].code, 404);
      const fromForm = await submitReport(t.app, { category: 'RAC', description: 'Rác', lat: inA.lat, lng: inA.long });
      assert.equal(fromForm.statusCode, 404, fromForm.body);
      assert.equal(fromForm.json().code, 'CATEGORY_NOT_FOUND');

      assert.equal((await admin.patch(`/api/v1/feedback/categories/${category.id}`, { active: true })).statusCode, 200);
      const back = await reportOf(await post(request()));
      assert.equal(back.suggested_unit_id, communeA.id, 'a commune category: the commune whose boundary holds the point');

      assert.equal((await admin.patch(`/api/v1/feedback/categories/${category.id}`, { unitKind: 'district' })).statusCode, 200);
      assert.equal((await reportOf(await post(request()))).suggested_unit_id, district.id, 'now handled by districts');
    });

    test('a boundary changed or a unit deactivated takes effect on the next request', async () => {
      assert.equal((await reportOf(await post(request({ service_code: 'DEN' })))).area_unit_id, communeA.id, 'the boundaries are now in memory');

      // Commune B's boundary now takes in the point, and A's no longer does.
      assert.equal((await admin.patch(`/api/v1/org-units/${communeA.id}`, { boundary: square(106.03, 21.0, 0.02) })).statusCode, 200);
      assert.equal((await admin.patch(`/api/v1/org-units/${communeB.id}`, { boundary: square(106.01, 21.01, 0.03) })).statusCode, 200);
      const moved = await reportOf(await post(request({ service_code: 'DEN' })));
      assert.equal(moved.area_unit_id, communeB.id);
      assert.equal(moved.suggested_unit_id, communeB.id);

      // B closes: the point is in no active boundary any more, so the nearest commune centre (A's) takes it.
      assert.equal((await admin.post(`/api/v1/org-units/${communeB.id}/deactivate`)).statusCode, 200);
      assert.equal((await reportOf(await post(request({ service_code: 'DEN' })))).area_unit_id, communeA.id);
      assert.equal((await admin.post(`/api/v1/org-units/${communeB.id}/activate`)).statusCode, 200);
      assert.equal((await reportOf(await post(request({ service_code: 'DEN' })))).area_unit_id, communeB.id);
    });

    if (kind === 'postgres') {
      test('across two instances, a category deactivated on one is refused by the other through LISTEN/NOTIFY', async () => {
        const other = await otherInstance({ SESSION_CACHE_SECONDS: '60', ORG_UNIT_CACHE_SECONDS: '600' }, false);
        try {
          const den = (await admin.get('/api/v1/feedback/categories?q=DEN')).json().items.find((c: { code: string }) => c.code === 'DEN');
          assert.equal((await post(request({ service_code: 'DEN' }), other.app)).statusCode, 201, 'the other instance has the categories in memory');
          assert.equal((await admin.patch(`/api/v1/feedback/categories/${den.id}`, { active: false })).statusCode, 200);
          await eventually(async () => (await post(request({ service_code: 'DEN' }), other.app)).statusCode === 404, 'the other instance refuses the category');
          assert.equal((await admin.patch(`/api/v1/feedback/categories/${den.id}`, { active: true })).statusCode, 200);
          await eventually(async () => (await post(request({ service_code: 'DEN' }), other.app)).statusCode === 201, 'the other instance takes it again');
        } finally {
          await other.close();
        }
      });
    }

    /** Rows in each table a submission writes to. */
    const tables = ['feedback_reports', 'feedback_events', 'feedback_photos', 'audit_log'];
    async function counts(): Promise<Record<string, number>> {
      const count = async (table: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.db)).rows[0].n;
      return Object.fromEntries(await Promise.all(tables.map(async (x) => [x, await count(x)])));
    }
    const grown = (from: Record<string, number>, by: number) => Object.fromEntries(tables.map((x) => [x, from[x] + by]));
    async function submission(code: string, description = 'Đèn hỏng'): Promise<Submission> {
      const category = (await admin.get('/api/v1/feedback/categories?q=RAC')).json().items[0];
      return {
        report: {
          code,
          category_id: category.id,
          description,
          address: null,
          lat: 21.02,
          lng: 106.02,
          area_unit_id: communeA.id,
          suggested_unit_id: communeA.id,
          reporter_name: null,
          reporter_phone: null,
          reporter_email: null,
          anonymous: true,
          reporter_token_hash: null,
          source: 'open311',
          attributes: {},
        },
        photos: [{ file_key: code.toLowerCase().replace(/[^0-9a-f]/g, 'a').padEnd(64, 'b'), mime: 'image/jpeg', size: 10, width: 4, height: 3, kind: 'report', verified: false }],
        details: { photos: 1 },
        audit: { orgUnitId: communeA.id, after: { code } },
        notice: { type: 'test.submitted', orgUnitId: null, orgUnitPath: null, payload: { code }, internal: true },
      };
    }

    test('one statement stores several submissions, each with its photo, event, audit row and notice; one whose tracking code is taken is skipped whole', async () => {
      const s = t.app.services;
      const heard: unknown[] = [];
      const unsubscribe = s.bus.subscribe((e) => {
        if (e.type === 'test.submitted') heard.push(e.payload);
      });
      const write = async (codes: string[]) => {
        const subs = await Promise.all(codes.map((code) => submission(code)));
        return repo.insertSubmissions(
          { db: s.db, pool: t.testDb.database.pool },
          subs,
          (rows) => auditInsert(subs.map((x) => ({ actor: null, entry: { module: 'feedback', action: 'submit', entityType: 'feedback_report', ...x.audit } })), rows),
          (n) => s.bus.publishSql(subs.map((x) => x.notice), n),
        );
      };
      try {
        const start = await counts();
        const first = await write(['PA2345678Z']);
        assert.deepEqual([...first.keys()], ['PA2345678Z']);
        assert.deepEqual(await counts(), grown(start, 1));

        const next = await write(['PA2345678Y', 'PA2345678Z', 'PA2345678X']);
        assert.deepEqual([...next.keys()].sort(), ['PA2345678X', 'PA2345678Y'], 'the taken code is not stored again');
        assert.deepEqual(await counts(), grown(start, 3), 'nothing of the skipped one was written');
        const audits = (await sql<{ entity_id: string; after: { code: string } }>`
          SELECT entity_id, after FROM audit_log WHERE module = 'feedback' AND action = 'submit' ORDER BY id DESC LIMIT 2`.execute(t.db)).rows;
        assert.deepEqual(
          audits.map((a) => [a.entity_id, a.after.code]).sort(),
          [...next].map(([code, row]) => [String(row.id), code]).sort(),
          'each audit row names its own report',
        );
        const photos = (await sql<{ code: string; file_key: string }>`
          SELECT r.code, p.file_key FROM feedback_photos p JOIN feedback_reports r ON r.id = p.report_id WHERE r.code IN ('PA2345678X', 'PA2345678Y')`.execute(t.db)).rows;
        assert.deepEqual(photos.map((p) => [p.code, p.file_key]).sort(), await Promise.all(['PA2345678X', 'PA2345678Y'].map(async (c) => [c, (await submission(c)).photos[0].file_key])));
        if (kind === 'postgres') await eventually(async () => heard.length >= 3, 'the notices of the stored reports');
        // A notice for the skipped one would have come on the same connection with the others.
        await new Promise((r) => setTimeout(r, 300));
        const expected = kind === 'postgres' ? [{ code: 'PA2345678X' }, { code: 'PA2345678Y' }, { code: 'PA2345678Z' }] : [];
        assert.deepEqual(heard.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), expected, 'one notice per stored report, none on the in-process bus (published by the writer instead)');
      } finally {
        unsubscribe();
      }
    });

    test('texts that mean something in an array literal or in JSON are stored exactly as sent', async () => {
      const tricky = 'Có "ngoặc kép", \\ gạch chéo, {ngoặc nhọn}, dấu phẩy; NULL\nvà dòng mới';
      for (const address of ['NULL', '{"a": 1}, "b" \\']) {
        const { id } = await reportOf(await post(request({ description: tricky, address_string: address })));
        const stored = (await sql<{ description: string; address: string | null }>`SELECT description, address FROM feedback_reports WHERE id = ${id}`.execute(t.db)).rows[0];
        assert.deepEqual(stored, { description: tricky, address });
      }
    });

    test('a submission the database refuses does not fail the others written with it', async () => {
      const s = t.app.services;
      const writer = createSubmissionWriter({ db: s.db, pool: t.testDb.database.pool, bus: s.bus });
      const start = await counts();
      // More at once than statements may run: all but the first share a statement with the refused one.
      const codes = ['PA3333333A', 'PA3333333B', 'PA3333333C', 'PA3333333D', 'PA3333333E', 'PA3333333F', 'PA3333333G', 'PA3333333H'];
      const subs = await Promise.all(codes.map((code, i) => submission(code, i === codes.length - 1 ? 'x'.repeat(4001) : 'Đèn hỏng')));
      const outcomes = await Promise.allSettled(subs.map((x) => writer.write(x)));
      assert.deepEqual(
        outcomes.map((o) => o.status),
        codes.map((_, i) => (i === codes.length - 1 ? 'rejected' : 'fulfilled')),
      );
      assert.ok(outcomes.slice(0, -1).every((o) => o.status === 'fulfilled' && o.value && o.value.id > 0));
      assert.deepEqual(await counts(), grown(start, codes.length - 1));
      assert.equal((await sql<{ n: number }>`SELECT count(*)::int AS n FROM feedback_reports WHERE code = 'PA3333333H'`.execute(t.db)).rows[0].n, 0);
    });

    test('a revoked API key is refused from the next request on, and by an instance that missed the notice within SESSION_CACHE_SECONDS', async () => {
      const other = await otherInstance({ SESSION_CACHE_SECONDS: '1' }, true);
      try {
        assert.equal((await post(request())).statusCode, 201, 'the key is now in memory here');
        assert.equal((await post(request(), other.app)).statusCode, 201, 'and there');
        assert.equal((await admin.post(`/api/v1/api-keys/${apiKey.id}/revoke`)).statusCode, 200);
        const refused = await post(request());
        assert.equal(refused.statusCode, 403, refused.body);
        assert.equal(refused.json()[0].code, 403);
        await new Promise((r) => setTimeout(r, 1100));
        assert.equal((await post(request(), other.app)).statusCode, 403, 'one second (SESSION_CACHE_SECONDS) later');
      } finally {
        await other.close();
      }
    });
  });
}
