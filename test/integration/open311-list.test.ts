import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import sharp from 'sharp';
import { formatOpen311Datetime } from '../../src/modules/feedback/open311/format.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { gpsPhoto, multipart, submitReport } from '../helpers/feedback.js';

// Open311 GET requests reads updated_datetime and media_url from the report's own row: these
// tests write the timeline and the photos every way the application does and check that the
// answers still say what the timeline and the photos themselves say.

type Unit = Awaited<ReturnType<typeof makeUnit>>;
type Request = Record<string, unknown>;
const square = (lng: number, lat: number, d = 0.05) => ({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });
const BASE = '/open311/v2';
const PHOTO_PATH = /^http:\/\/[^/]+\/api\/v1\/public\/feedback\/photos\/([0-9a-f]{64})$/;

for (const kind of await testBackends()) {
  describe(`Open311 GET requests, updated_datetime and media_url on ${kind}`, () => {
    let t: TestApp;
    let dataDir: string;
    let communeA: Unit;
    let operator: Session;
    let officerA: Session;
    const inA = { lat: '21.02', lng: '106.02' };

    const get = (url: string) => t.app.inject({ method: 'GET', url, remoteAddress: '10.41.1.1' });
    const requestOf = async (code: string): Promise<Request> => {
      const res = await get(`${BASE}/requests/${code}.json`);
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as Request[])[0];
    };
    /** The reports of RAC that GET requests lists (the last 90 days, every public state). */
    const listed = async (): Promise<Map<string, Request>> => {
      const res = await get(`${BASE}/requests.json?service_code=RAC`);
      assert.equal(res.statusCode, 200, res.body);
      return new Map((res.json() as Request[]).map((r) => [String(r.service_request_id), r]));
    };
    /** What the timeline and the photos say, straight from their tables. */
    const fromTimelineAndPhotos = async (code: string) => {
      const { rows } = await sql<{ updated: Date; photo: string | null; status: string }>`
        SELECT greatest(r.updated_at, (SELECT max(e.at) FROM feedback_events e WHERE e.report_id = r.id)) AS updated,
          (SELECT p.file_key FROM feedback_photos p WHERE p.report_id = r.id AND p.verified ORDER BY (p.kind = 'report') DESC, p.id LIMIT 1) AS photo,
          r.status
        FROM feedback_reports r WHERE r.code = ${code}`.execute(t.db);
      return rows[0];
    };
    const photoKeyOf = (request: Request) => (request.media_url === null ? null : (PHOTO_PATH.exec(String(request.media_url)) ?? [])[1]);
    const staffIdOf = async (code: string): Promise<number> => (await operator.get(`/api/v1/feedback/reports?q=${code}`)).json().items[0].id;
    const photosOf = async (id: number): Promise<{ id: number; key: string; kind: string }[]> => (await operator.get(`/api/v1/feedback/reports/${id}`)).json().photos;
    const setVerified = async (id: number, photoId: number, verified: boolean) => {
      const res = await operator.post(`/api/v1/feedback/reports/${id}/photos/${photoId}/verify`, { verified });
      assert.equal(res.statusCode, 200, res.body);
    };

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-open311-list-'));
      t = await buildTestApp(kind, { DATA_DIR: dataDir });
      const province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: 'HD' });
      communeA = await makeUnit(t.db, { parent: province, kind: 'commune', name: 'Xã An Bình', code: 'HD-AB' });
      await t.db.updateTable('org_units').set({ lat: 21.025, lng: 106.025, boundary: JSON.stringify(square(106.0, 21.0)) }).where('id', '=', communeA.id).execute();
      await t.db.updateTable('org_units').set({ lat: 21.05, lng: 106.05 }).where('id', '=', province.id).execute();
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'o311l.admin' });
      await makeUser(t.db, { unit: province, role: 'operator', username: 'o311l.operator' });
      await makeUser(t.db, { unit: communeA, role: 'officer', username: 'o311l.officer' });
      const [admin, op, officer] = await Promise.all(['o311l.admin', 'o311l.operator', 'o311l.officer'].map((u) => signIn(t.app, u)));
      operator = op;
      officerA = officer;
      const created = await admin.post('/api/v1/feedback/categories', { code: 'RAC', name: 'Rác thải, vệ sinh môi trường', group: 'Môi trường' });
      assert.equal(created.statusCode, 201, created.body);
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('updated_datetime follows every timeline event, also one that changes nothing else on the report', async () => {
      const { code } = (await submitReport(t.app, { category: 'RAC', description: 'Rác tồn đọng đầu ngõ 5', ...inA })).json();
      const id = await staffIdOf(code);
      const submitted = await requestOf(code);
      assert.equal(submitted.updated_datetime, submitted.requested_datetime, 'a new report was last changed when it arrived');

      assert.equal((await operator.post(`/api/v1/feedback/reports/${id}/verify`, { unitId: communeA.id })).statusCode, 200);
      const assigned = await requestOf(code);
      assert.equal(assigned.updated_datetime, formatOpen311Datetime((await fromTimelineAndPhotos(code)).updated));

      // The overdue sweep writes a timeline event and only overdue_at: its time is the latest word.
      const later = new Date(Date.now() + 40 * 86_400_000);
      assert.ok((await t.app.services.feedbackSweep.run(later)).overdue >= 1);
      const overdue = await requestOf(code);
      assert.equal(overdue.updated_datetime, formatOpen311Datetime(later));
      assert.equal((await listed()).get(code)?.updated_datetime, formatOpen311Datetime(later), 'the list says the same');

      // A later step in real time does not take updated_datetime back before the sweep's event.
      assert.equal((await officerA.post(`/api/v1/feedback/reports/${id}/start`)).statusCode, 200);
      assert.equal((await requestOf(code)).updated_datetime, formatOpen311Datetime(later));
    });

    test('media_url is the first verified photo of the citizen’s, else a verified answer photo, and only while the report is public', async () => {
      const photo = await gpsPhoto(32, 24);
      const other = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#2040c0' } }).jpeg().toBuffer();
      const { code } = (await submitReport(t.app, { category: 'RAC', description: 'Bãi rác tự phát bốc mùi', ...inA }, [photo, other])).json();
      const id = await staffIdOf(code);
      const [first, second] = await photosOf(id);
      assert.notEqual(first.key, second.key);
      const shown = async () => photoKeyOf(await requestOf(code));

      assert.equal(await shown(), null, 'not verified');
      await setVerified(id, second.id, true);
      assert.equal(await shown(), null, 'verified, but the report is not public yet');
      assert.equal((await operator.post(`/api/v1/feedback/reports/${id}/verify`, { unitId: communeA.id })).statusCode, 200);
      assert.equal(await shown(), second.key, 'public now, with its one verified photo');
      await setVerified(id, first.id, true);
      assert.equal(await shown(), first.key, 'the first verified photo');
      await setVerified(id, first.id, false);
      assert.equal(await shown(), second.key);
      await setVerified(id, second.id, false);
      assert.equal(await shown(), null, 'none verified any more');

      // The unit's answer photos are public at once; the citizen's come first once verified.
      assert.equal((await officerA.post(`/api/v1/feedback/reports/${id}/start`)).statusCode, 200);
      const answerPhoto = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#00aa00' } }).png().toBuffer();
      const form = multipart([
        { name: 'answer', value: 'Đã thu gom xong.' },
        { name: 'photos', file: answerPhoto, fileName: 'ket-qua.png', type: 'image/png' },
      ]);
      const resolved = await officerA.request({ method: 'POST', url: `/api/v1/feedback/reports/${id}/resolve`, ...form });
      assert.equal(resolved.statusCode, 200, resolved.body);
      const answer = (await photosOf(id)).find((p) => p.kind === 'answer');
      assert.ok(answer);
      assert.equal(await shown(), answer.key, 'the answer photo');
      await setVerified(id, second.id, true);
      assert.equal(await shown(), second.key, 'a verified photo of the citizen’s before the answer photo');
      assert.equal(photoKeyOf((await listed()).get(code) as Request), second.key, 'the list says the same');

      const expected = await fromTimelineAndPhotos(code);
      assert.equal(expected.photo, second.key);
      assert.equal((await requestOf(code)).updated_datetime, formatOpen311Datetime(expected.updated));
    });

    test('agency_responsible names a unit made after the org-unit tree was read into memory', async () => {
      const { code } = (await submitReport(t.app, { category: 'RAC', description: 'Cống thoát nước bị tắc', ...inA })).json();
      const id = await staffIdOf(code);
      assert.equal((await operator.post(`/api/v1/feedback/reports/${id}/verify`, { unitId: communeA.id })).statusCode, 200);
      assert.equal((await requestOf(code)).agency_responsible, 'Xã An Bình', 'the tree is in memory now');
      // Made straight in the database, as another instance would: this instance was not told.
      const team = await makeUnit(t.db, { parent: communeA, kind: 'agency', name: 'Tổ công tác môi trường' });
      await sql`UPDATE feedback_reports SET unit_id = ${team.id} WHERE code = ${code}`.execute(t.db);
      assert.equal((await requestOf(code)).agency_responsible, 'Tổ công tác môi trường');
    });

    test('every listed report says what its timeline and photos say', async () => {
      const answers = await listed();
      assert.ok(answers.size >= 2);
      for (const [code, request] of answers) {
        const expected = await fromTimelineAndPhotos(code);
        assert.equal(request.updated_datetime, formatOpen311Datetime(expected.updated), code);
        assert.equal(photoKeyOf(request), expected.photo, code);
      }
    });
  });
}
