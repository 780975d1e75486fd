import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import sharp from 'sharp';
import { trackingCode } from '../../src/modules/feedback/codes.js';
import { formatJsonText, formatOpen311Datetime, formatServiceRequests } from '../../src/modules/feedback/open311/format.js';
import { listOpen311Json } from '../../src/modules/feedback/open311/repo.js';
import { open311JsonWords } from '../../src/modules/feedback/open311/service.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { gpsPhoto, multipart, submitReport } from '../helpers/feedback.js';
import { open311WithoutCache } from '../helpers/open311.js';

// Open311 GET requests reads updated_datetime and media_url from the report's own row: these
// tests write the timeline and the photos every way the application does and check that the
// answers still say what the timeline and the photos themselves say. PostgreSQL writes the JSON
// answer itself: the last tests check it against the TypeScript writer, byte for byte.

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
    let admin: Session;
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
      const [ad, op, officer] = await Promise.all(['o311l.admin', 'o311l.operator', 'o311l.officer'].map((u) => signIn(t.app, u)));
      admin = ad;
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

    /** A report written straight into the table, holding what its columns may hold. */
    interface StoredReport {
      status: string;
      description: string;
      received: string;
      updated?: string;
      deadline?: string | null;
      address?: string | null;
      lat?: number | null;
      lng?: number | null;
      answer?: string | null;
      reason?: string | null;
      refusal?: string | null;
      unitId?: number | null;
      photo?: string | null;
    }
    /** A coordinate as PostgreSQL reads it back exactly (String(-0) is "0"). */
    const coordinate = (x: number | null | undefined) => (x === null || x === undefined ? null : Object.is(x, -0) ? '-0' : String(x));
    const store = async (categoryId: number, reports: readonly StoredReport[]): Promise<string[]> => {
      const codes = reports.map(() => trackingCode());
      const column = <T>(value: (r: StoredReport) => T) => reports.map(value);
      await sql`
        INSERT INTO feedback_reports (code, category_id, status, description, received_at, updated_at, deadline, address, lat, lng,
          answer, rejection_reason, rejection_text, unit_id, public_photo_key)
        SELECT code, ${categoryId}, status, description, received, coalesce(updated, received), deadline, address, lat::float8, lng::float8,
          answer, reason, refusal, unit_id, photo
        FROM unnest(${codes}::text[], ${column((r) => r.status)}::text[], ${column((r) => r.description)}::text[],
          ${column((r) => r.received)}::timestamptz[], ${column((r) => r.updated ?? null)}::timestamptz[], ${column((r) => r.deadline ?? null)}::timestamptz[],
          ${column((r) => r.address ?? null)}::text[], ${column((r) => coordinate(r.lat))}::text[], ${column((r) => coordinate(r.lng))}::text[],
          ${column((r) => r.answer ?? null)}::text[], ${column((r) => r.reason ?? null)}::text[], ${column((r) => r.refusal ?? null)}::text[],
          ${column((r) => r.unitId ?? null)}::int[], ${column((r) => r.photo ?? null)}::text[])
          AS s (code, status, description, received, updated, deadline, address, lat, lng, answer, reason, refusal, unit_id, photo)`.execute(t.db);
      return codes;
    };
    const byCodes = (codes: readonly string[]) => sql`r.code IN (${sql.join(codes)})`;
    const BASE_URL = 'http://dieuhanh.example.vn';
    const open311 = () => open311WithoutCache(t);
    /** The answer format.ts writes of the rows, as the XML answer is written. */
    const writtenByTypeScript = async (codes: readonly string[]) =>
      String(formatServiceRequests('json', await open311().requests({ by: 'id', jurisdictionId: null, serviceRequestIds: [...codes] }, BASE_URL)).body);
    const writtenByPostgres = async (codes: readonly string[]) => {
      const written = await listOpen311Json(t.db, byCodes(codes), 1000, open311JsonWords(BASE_URL));
      return { exact: written.json !== null, count: written.count, text: written.json && String(formatJsonText(written.json).body) };
    };
    const categoryId = async (code: string, name: string): Promise<number> => {
      const created = await admin.post('/api/v1/feedback/categories', { code, name, group: 'Khác' });
      assert.equal(created.statusCode, 201, created.body);
      return created.json().id;
    };

    test('the JSON answer PostgreSQL writes is the text the TypeScript writer writes, whatever the reports hold', async () => {
      const texts = ['Ổ gà "đường" phố', 'C:\\đường\\phố', 'Ổ gà & <b>', '\u0001\u0007\u001f\b\f', 'dòng 1\r\ndòng 2\tcột', '\u2028\u2029', '<b>&amp;</b>', '😀 đuôi', '\u007f\u0085\u009f', '\ufffe\uffff', ']]>', "'", '\u00a0 \u3000'];
      const category = await categoryId('KHAC-JSON', 'Khác "đặc biệt" <b>&</b>\u2028 \\ cuối');
      const team = await makeUnit(t.db, { parent: communeA, kind: 'agency', name: 'Tổ "xử lý" <nhanh> & gọn\u2029' });
      const states = ['received', 'verified', 'rejected', 'assigned', 'in_progress', 'resolved', 'closed', 'merged'];
      const reasons = [null, 'spam', 'not_enough_information', 'out_of_scope'];
      // The refusal text as String.prototype.trim sees it: JavaScript's white space goes, a zero-width space stays.
      const refusals = [null, '', '  \u00a0\t\n ', '\u3000 Đã có phản ánh khác \ufeff\u2028', '\u200b lý do', 'Không rõ <địa điểm> & "thời gian"'];
      const answers = [null, '', 'Đã thu gom xong.', ' \u2028Đã xử lý <xong> & "gọn" \t'];
      const times = ['2026-11-26T14:05:00.789Z', '1969-12-31T23:59:59.5Z', '2000-02-29T16:59:59.999Z', '2024-12-31T17:00:00Z', '1970-01-01T00:00:00Z'];
      const reports: StoredReport[] = [];
      for (let i = 0; i < 64; i++) {
        const text = texts[i % texts.length];
        reports.push({
          status: states[i % states.length],
          description: `${text} #${i}`,
          received: times[i % times.length],
          updated: i % 3 ? times[(i + 1) % times.length] : undefined,
          deadline: i % 4 ? null : times[(i + 2) % times.length],
          address: i % 5 ? text : null,
          lat: i % 6 ? [16.4637, -0, 0, 89.99999999999999, 0.0001, 21.02][i % 6] : null,
          lng: [107.5909, -179.99999999999997, 0.30000000000000004, 106.025, 180, 0.00012345][i % 6],
          answer: answers[i % answers.length],
          reason: reasons[i % reasons.length],
          refusal: refusals[i % refusals.length],
          unitId: [null, communeA.id, team.id][i % 3],
          photo: i % 2 ? `${(i % 16).toString(16).repeat(64)}` : null,
        });
      }
      const codes = await store(category, reports);
      // A report merged into another: status_notes names the other's code.
      for (const [i, code] of codes.entries()) {
        if (reports[i].status === 'merged') await sql`UPDATE feedback_reports SET merged_into = (SELECT id FROM feedback_reports WHERE code = ${codes[0]}) WHERE code = ${code}`.execute(t.db);
      }

      const typescript = await writtenByTypeScript(codes);
      assert.equal((JSON.parse(typescript) as unknown[]).length, codes.length);
      const postgres = await writtenByPostgres(codes);
      assert.equal(postgres.exact, true, 'PostgreSQL wrote the answer itself');
      assert.equal(postgres.count, codes.length);
      assert.equal(postgres.text, typescript);
      for (const some of [codes.slice(0, 1), codes.slice(7, 9)]) assert.equal((await writtenByPostgres(some)).text, await writtenByTypeScript(some));
      assert.deepEqual(await writtenByPostgres(['PAXXXXXXXX']), { exact: true, count: 0, text: '[]' }, 'none matched');

      // Through HTTP: the list and one request, as the TypeScript writer writes them.
      const list = await get(`${BASE}/requests.json?service_request_id=${codes.join(',')}`);
      assert.equal(list.statusCode, 200, list.body);
      assert.equal(list.body.replaceAll(/http:\/\/[^/"]+\//g, `${BASE_URL}/`), typescript);
      const one = await get(`${BASE}/requests/${codes[5]}.json`);
      assert.equal(one.body.replaceAll(/http:\/\/[^/"]+\//g, `${BASE_URL}/`), await writtenByTypeScript([codes[5]]));
    });

    test('coordinates are written as JavaScript writes them; where PostgreSQL would not, the answer is written in TypeScript', async () => {
      // A fixed sequence, so that a failure repeats: magnitudes from 1e-4 to 180, every digit count.
      let seed = 20261127;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      const spread = (max: number) => {
        const x = 10 ** (-4 + random() * (Math.log10(max) + 4)) * (random() < 0.5 ? -1 : 1);
        const digits = Math.floor(random() * 18);
        return Math.abs(x) > max ? max : digits < 17 ? Number(x.toPrecision(digits + 1)) : x;
      };
      const category = await categoryId('TOA-DO', 'Tọa độ');
      const plain = Array.from({ length: 400 }, (_, i): StoredReport => ({ status: 'received', description: `Điểm ${i}`, received: '2026-11-20T01:00:00Z', lat: spread(90), lng: spread(180) }));
      const edges = [0.0001, 0.0001 * (1 + 2 ** -52), 1e-4 + 1e-19, 99.99999999999999, 0.1 + 0.2, 1 / 3, -2 / 3, 123.456, 179.99999999999997, 90, -90, 1e-4 * 1.5];
      for (const x of edges) plain.push({ status: 'received', description: `Biên ${x}`, received: '2026-11-20T02:00:00Z', lat: Math.min(x, 90), lng: -x });
      const codes = await store(category, plain);
      const postgres = await writtenByPostgres(codes);
      assert.equal(postgres.exact, true);
      assert.equal(postgres.text, await writtenByTypeScript(codes));

      // PostgreSQL writes 1e-05 where JavaScript writes 0.00001: such an answer is written in TypeScript.
      const [tiny] = await store(category, [{ status: 'received', description: 'Gần kinh tuyến gốc', received: '2026-11-20T03:00:00Z', lat: 21.02, lng: 0.00001 }]);
      assert.equal((await writtenByPostgres([tiny, ...codes.slice(0, 3)])).exact, false);
      const answer = await get(`${BASE}/requests.json?service_request_id=${[tiny, ...codes.slice(0, 3)].join(',')}`);
      assert.equal(answer.body.replaceAll(/http:\/\/[^/"]+\//g, `${BASE_URL}/`), await writtenByTypeScript([tiny, ...codes.slice(0, 3)]));
      assert.match(answer.body, /"long":0\.00001,/);

      // A server set to write fewer float digits than the shortest exact ones: PostgreSQL does not write the answer.
      const fewerDigits = await t.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL extra_float_digits = 0`.execute(trx);
        return listOpen311Json(trx, byCodes(codes.slice(0, 3)), 1000, open311JsonWords(BASE_URL));
      });
      assert.deepEqual(fewerDigits, { json: null, count: 3 });
    });
  });
}
