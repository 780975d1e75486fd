import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { gpsPhoto, multipart, submitReport } from '../helpers/feedback.js';
import { readXlsx } from '../helpers/xlsx.js';

type Unit = Awaited<ReturnType<typeof makeUnit>>;
const square = (lng: number, lat: number, d = 0.05) => ({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });

for (const kind of await testBackends()) {
  describe(`feedback on ${kind}`, () => {
    let t: TestApp;
    let dataDir: string;
    let province: Unit;
    let communeA: Unit;
    let communeB: Unit;
    let operator: Session;
    let officerA: Session;
    let officerB: Session;
    let admin: Session;
    let leaderA: Session;
    let categoryId: number;
    const inA = { lat: '21.02', lng: '106.02' };
    const inB = { lat: '21.12', lng: '106.12' };

    async function counts() {
      const one = async (table: string) => Number((await t.db.selectFrom(table as 'users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      return { reports: await one('feedback_reports'), photos: await one('feedback_photos'), events: await one('feedback_events') };
    }

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-feedback-'));
      t = await buildTestApp(kind, { DATA_DIR: dataDir });
      province = await makeUnit(t.db, { name: 'Tỉnh Thử', code: 'FB-P' });
      const set = async (u: Unit, lng: number, lat: number) =>
        t.db.updateTable('org_units').set({ lat: lat + 0.025, lng: lng + 0.025, boundary: JSON.stringify(square(lng, lat)) }).where('id', '=', u.id).execute();
      communeA = await makeUnit(t.db, { parent: province, kind: 'commune', name: 'Xã An', code: 'FB-A' });
      communeB = await makeUnit(t.db, { parent: province, kind: 'commune', name: 'Xã Bình', code: 'FB-B' });
      await set(communeA, 106.0, 21.0);
      await set(communeB, 106.1, 21.1);
      await t.db.updateTable('org_units').set({ lat: 21.05, lng: 106.05 }).where('id', '=', province.id).execute();
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'fb.admin' });
      await makeUser(t.db, { unit: province, role: 'operator', username: 'fb.operator' });
      await makeUser(t.db, { unit: communeA, role: 'officer', username: 'fb.officer.a' });
      await makeUser(t.db, { unit: communeA, role: 'leader', username: 'fb.leader.a' });
      await makeUser(t.db, { unit: communeB, role: 'officer', username: 'fb.officer.b' });
      [admin, operator, officerA, leaderA, officerB] = await Promise.all(['fb.admin', 'fb.operator', 'fb.officer.a', 'fb.leader.a', 'fb.officer.b'].map((u) => signIn(t.app, u)));
      const created = await admin.post('/api/v1/feedback/categories', { code: 'RAC', name: 'Rác thải, vệ sinh môi trường', group: 'Môi trường', deadlineDays: 3 });
      assert.equal(created.statusCode, 201, created.body);
      categoryId = created.json().id;
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('only an administrator edits categories; citizens see the active ones', async () => {
      const refused = await operator.post('/api/v1/feedback/categories', { code: 'X', name: 'X' });
      assert.equal(refused.statusCode, 403);
      const dup = await admin.post('/api/v1/feedback/categories', { code: 'rac', name: 'Trùng' });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().code, 'CATEGORY_CODE_TAKEN');
      const off = await admin.post('/api/v1/feedback/categories', { code: 'CU', name: 'Lĩnh vực cũ', active: false });
      assert.equal(off.statusCode, 201);
      const pub = await t.app.inject({ method: 'GET', url: '/api/v1/public/feedback/categories' });
      assert.deepEqual(pub.json().items.map((c: { code: string }) => c.code), ['RAC']);
      const patched = await admin.patch(`/api/v1/feedback/categories/${categoryId}`, { deadlineDays: 2 });
      assert.equal(patched.json().deadlineDays, 2);
    });

    test('the whole lifecycle through the API: submit, verify + assign, start, extension, resolve, rate, public page', async () => {
      const sub = await submitReport(t.app, { category: 'RAC', description: 'Rác tồn đọng <script>alert(1)</script> đầu ngõ', ...inA, name: 'Nguyễn Văn A', phone: '0912 345 678', anonymous: 'false' }, [await gpsPhoto()]);
      assert.equal(sub.statusCode, 201, sub.body);
      const { code, token, trackingUrl } = sub.json();
      assert.match(code, /^PA[2-9A-HJ-NP-Z]{8}$/);
      assert.ok(trackingUrl.endsWith(code));
      assert.ok(token.length > 20);

      const queue = await operator.get('/api/v1/feedback/reports?queue=operator');
      const item = queue.json().items.find((r: { code: string }) => r.code === code);
      assert.ok(item, queue.body);
      assert.equal(item.areaUnitId, communeA.id);
      assert.equal(item.suggestedUnitId, communeA.id);
      const id = item.id;

      const sugg = await operator.get(`/api/v1/feedback/reports/${id}/suggestions`);
      assert.equal(sugg.json().routing.unitId, communeA.id);
      assert.equal(sugg.json().routing.method, 'boundary');

      const detail = await operator.get(`/api/v1/feedback/reports/${id}`);
      assert.equal(detail.json().description, 'Rác tồn đọng <script>alert(1)</script> đầu ngõ', 'HTML stored and returned as text');
      assert.ok(detail.json().allowedActions.includes('verify'));
      const photo = detail.json().photos[0];
      const staffPhoto = await operator.get(photo.url);
      assert.equal(staffPhoto.statusCode, 200);
      const meta = await sharp(staffPhoto.rawPayload).metadata();
      assert.equal(meta.exif, undefined, 'EXIF (GPS) dropped');

      // Not public before verification; the photo not before an operator verified it.
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/public/feedback/photos/${photo.key}` })).statusCode, 404);
      const early = await officerA.post(`/api/v1/feedback/reports/${id}/start`);
      assert.ok([403, 404, 409].includes(early.statusCode), early.body);

      const verified = await operator.post(`/api/v1/feedback/reports/${id}/verify`, { unitId: communeA.id, urgent: true });
      assert.equal(verified.statusCode, 200, verified.body);
      assert.equal(verified.json().status, 'assigned');
      assert.ok(verified.json().deadline);
      assert.deepEqual(verified.json().timeline.map((e: { action: string }) => e.action), ['submit', 'verify', 'assign']);
      assert.equal((await operator.post(`/api/v1/feedback/reports/${id}/photos/${photo.id}/verify`, { verified: true })).statusCode, 200);

      const again = await operator.post(`/api/v1/feedback/reports/${id}/verify`, {});
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'ILLEGAL_TRANSITION');

      assert.equal((await officerA.post(`/api/v1/feedback/reports/${id}/start`)).json().status, 'in_progress');
      const ext = await officerA.post(`/api/v1/feedback/reports/${id}/extension`, { proposedDate: '2099-01-05', reason: 'Cần thêm xe chở rác' });
      assert.equal(ext.statusCode, 200, ext.body);
      assert.ok(ext.json().pendingExtension);
      const twice = await officerA.post(`/api/v1/feedback/reports/${id}/extension`, { proposedDate: '2099-01-06', reason: 'Lần nữa' });
      assert.equal(twice.json().code, 'EXTENSION_PENDING');
      const approved = await operator.post(`/api/v1/feedback/reports/${id}/extension/decision`, { decision: 'approve' });
      assert.equal(approved.statusCode, 200, approved.body);
      assert.ok(approved.json().deadline.startsWith('2099-01-0'));
      assert.ok(approved.json().originalDeadline);

      const noAnswer = await officerA.post(`/api/v1/feedback/reports/${id}/resolve`, { answer: '   ' });
      assert.equal(noAnswer.statusCode, 400);
      const answerPhoto = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#00aa00' } }).png().toBuffer();
      const form = multipart([
        { name: 'answer', value: 'Đã thu gom xong.' },
        { name: 'photos', file: answerPhoto, fileName: 'ket-qua.png', type: 'image/png' },
      ]);
      const resolved = await officerA.request({ method: 'POST', url: `/api/v1/feedback/reports/${id}/resolve`, ...form });
      assert.equal(resolved.statusCode, 200, resolved.body);
      assert.equal(resolved.json().status, 'resolved');
      assert.equal(resolved.json().answer, 'Đã thu gom xong.');

      const wrongProof = await t.app.inject({ method: 'POST', url: `/api/v1/public/feedback/${code}/rating`, payload: { rating: 'satisfied', contact: '0900000000' } });
      assert.equal(wrongProof.statusCode, 403);
      assert.equal(wrongProof.json().code, 'REPORTER_PROOF_INVALID');
      const rated = await t.app.inject({ method: 'POST', url: `/api/v1/public/feedback/${code}/rating`, payload: { rating: 'satisfied', contact: '+84 912 345 678' } });
      assert.equal(rated.statusCode, 200, rated.body);
      assert.equal(rated.json().status, 'closed');

      const page = await t.app.inject({ method: 'GET', url: `/api/v1/public/feedback/${code}` });
      assert.equal(page.statusCode, 200);
      const body = page.json();
      assert.equal(body.unitName, 'Xã An');
      assert.equal(body.reporterName, 'Nguyễn Văn A');
      assert.equal(page.body.includes('0912'), false, 'no phone on the public page');
      assert.deepEqual(body.timeline.map((e: { action: string }) => e.action), ['submit', 'verify', 'assign', 'start', 'decide_extension', 'resolve', 'rate', 'close']);
      assert.equal(body.photos.length, 2);
      for (const p of body.photos) assert.equal((await t.app.inject({ method: 'GET', url: p.url })).statusCode, 200);

      const audit = await admin.get(`/api/v1/audit?module=feedback&pageSize=100`);
      const actions = audit.json().items.filter((a: { entityId: string }) => a.entityId === String(id)).map((a: { action: string }) => a.action);
      for (const a of ['submit', 'verify', 'assign', 'start', 'request_extension', 'decide_extension', 'resolve', 'rate', 'close']) assert.ok(actions.includes(a), `audit has ${a}`);
    });

    test('reject with a reason the citizen sees; merge into another; send back', async () => {
      const a = (await submitReport(t.app, { category: 'RAC', description: 'Rác bên đường số 1', ...inA })).json().code;
      const b = (await submitReport(t.app, { category: 'RAC', description: 'Rác bên đường số 1 nhiều', ...inA })).json().code;
      const c = (await submitReport(t.app, { category: 'RAC', description: 'Quảng cáo bán hàng', ...inA })).json().code;
      const idOf = async (code: string) => (await operator.get(`/api/v1/feedback/reports?q=${code}`)).json().items[0].id as number;
      const [ia, ib, ic] = [await idOf(a), await idOf(b), await idOf(c)];

      const dups = await operator.get(`/api/v1/feedback/reports/${ib}/suggestions`);
      assert.ok(dups.json().duplicates.some((d: { id: number }) => d.id === ia), dups.body);
      // Near is not enough: a duplicate also reads alike (the issue: within the radius and with similar text).
      assert.ok(!dups.json().duplicates.some((d: { id: number }) => d.id === ic), 'a different text at the same place is not a duplicate');

      const noReason = await operator.post(`/api/v1/feedback/reports/${ic}/reject`, { reason: 'spam' });
      assert.equal(noReason.statusCode, 400);
      const rejected = await operator.post(`/api/v1/feedback/reports/${ic}/reject`, { reason: 'spam', text: 'Nội dung quảng cáo' });
      assert.equal(rejected.json().status, 'rejected');
      const pub = (await t.app.inject({ method: 'GET', url: `/api/v1/public/feedback/${c}` })).json();
      assert.deepEqual(pub.rejection, { reason: 'spam', text: 'Nội dung quảng cáo' });

      const self = await operator.post(`/api/v1/feedback/reports/${ib}/merge`, { targetId: ib });
      assert.equal(self.json().code, 'MERGE_INTO_SELF');
      const merged = await operator.post(`/api/v1/feedback/reports/${ib}/merge`, { targetId: ia });
      assert.equal(merged.json().status, 'merged');
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/public/feedback/${b}` })).json().mergedIntoCode, a);

      await operator.post(`/api/v1/feedback/reports/${ia}/verify`, { unitId: communeA.id });
      const sent = await officerA.post(`/api/v1/feedback/reports/${ia}/send-back`, { reason: 'Thuộc đường tỉnh' });
      assert.equal(sent.statusCode, 200, sent.body);
      assert.equal(sent.json().status, 'verified');
      assert.equal(sent.json().unitId, null);
      const publicTimeline = (await t.app.inject({ method: 'GET', url: `/api/v1/public/feedback/${a}` })).json().timeline.map((e: { action: string }) => e.action);
      assert.equal(publicTimeline.includes('send_back'), false, 'a send-back stays internal');
    });

    test('scope: an officer of another commune gets 404 by id, nothing by list filter or export, 403/404 on actions', async () => {
      const code = (await submitReport(t.app, { category: 'RAC', description: 'Ổ gà AMARK ở xã An', ...inA })).json().code;
      const id = (await operator.get(`/api/v1/feedback/reports?q=${code}`)).json().items[0].id;
      await operator.post(`/api/v1/feedback/reports/${id}/verify`, { unitId: communeA.id });
      const byId = await officerB.get(`/api/v1/feedback/reports/${id}`);
      assert.equal(byId.statusCode, 404);
      const list = await officerB.get(`/api/v1/feedback/reports?unitId=${communeA.id}`);
      assert.equal(list.json().total, 0);
      const exported = await officerB.get(`/api/v1/feedback/reports?format=xlsx&q=${code}`);
      assert.equal((await readXlsx(exported)).flat().join(' ').includes(code), false);
      for (const action of ['start', 'close']) assert.equal((await officerB.post(`/api/v1/feedback/reports/${id}/${action}`)).statusCode, 404);
      assert.equal((await officerA.get(`/api/v1/feedback/reports/${id}`)).statusCode, 200);
      const otherUnit = await officerA.post(`/api/v1/feedback/reports/${id}/resolve`, { answer: 'x' });
      assert.notEqual(otherUnit.statusCode, 404);
      const asOperator = await officerA.post(`/api/v1/feedback/reports/${id}/assign`, { unitId: communeA.id });
      assert.ok([403, 409].includes(asOperator.statusCode), asOperator.body);
    });

    test('bad input and abuse leave no half-created report', async () => {
      const before = await counts();
      const refuse = async (res: Awaited<ReturnType<typeof submitReport>>, status: number, code: string) => {
        assert.equal(res.statusCode, status, res.body);
        assert.equal(res.json().code, code, res.body);
      };
      await refuse(await submitReport(t.app, { category: 'RAC', description: 'x', ...inA }, [Buffer.from('%PDF-1.4 not an image')], { photoName: 'anh.jpg' }), 415, 'NOT_AN_IMAGE');
      await refuse(await submitReport(t.app, { category: 'RAC', description: 'x', ...inA }, [await gpsPhoto(), Buffer.from('MZ executable')]), 415, 'NOT_AN_IMAGE');
      await refuse(await submitReport(t.app, { category: 'RAC', description: 'x', ...inA }, [Buffer.alloc(11 * 1024 * 1024, 1)]), 413, 'FILE_TOO_LARGE');
      await refuse(await submitReport(t.app, { category: 'RAC', description: 'x', lat: '91', lng: '106' }), 400, 'COORDINATES_OUT_OF_RANGE');
      await refuse(await submitReport(t.app, { category: 'RAC', description: 'x', lat: '10.77', lng: '106.70' }), 400, 'OUTSIDE_LOCALITY');
      await refuse(await submitReport(t.app, { category: 'RAC', description: 'x'.repeat(4001), ...inA }), 400, 'DESCRIPTION_TOO_LONG');
      await refuse(await submitReport(t.app, { category: 'KHONG-CO', description: 'x', ...inA }), 404, 'CATEGORY_NOT_FOUND');
      await refuse(await submitReport(t.app, { category: 'RAC', description: 'x' }), 400, 'LOCATION_REQUIRED');
      const six = await Promise.all(Array.from({ length: 6 }, () => gpsPhoto()));
      await refuse(await submitReport(t.app, { category: 'RAC', description: 'x', ...inA }, six), 400, 'TOO_MANY_FILES');
      assert.deepEqual(await counts(), before);
    });

    test('a flood of submissions from one address is refused with 429', async () => {
      const statuses = [];
      for (let i = 0; i < 12; i++) statuses.push((await submitReport(t.app, { category: 'RAC', description: `Lũ ${i}`, ...inB }, [], { ip: '10.99.0.1' })).statusCode);
      assert.deepEqual(statuses.slice(0, 10), Array(10).fill(201));
      assert.equal(statuses[11], 429);
      const other = await submitReport(t.app, { category: 'RAC', description: 'Người khác', ...inB }, [], { ip: '10.99.0.2' });
      assert.equal(other.statusCode, 201);
    });

    test('the public list: verified reports only, diacritic-insensitive, no personal data', async () => {
      const code = (await submitReport(t.app, { category: 'RAC', description: 'Cây đổ chắn đường Lê Lợi', ...inB, phone: '0987654321', name: 'Trần Bí Mật' })).json().code;
      const hidden = await t.app.inject({ method: 'GET', url: '/api/v1/public/feedback?q=cay%20do' });
      assert.equal(hidden.json().items.some((r: { code: string }) => r.code === code), false);
      const id = (await operator.get(`/api/v1/feedback/reports?q=${code}`)).json().items[0].id;
      await operator.post(`/api/v1/feedback/reports/${id}/verify`, { unitId: communeB.id });
      const shown = await t.app.inject({ method: 'GET', url: '/api/v1/public/feedback?q=cay%20do%20chan%20duong' });
      assert.deepEqual(shown.json().items.map((r: { code: string }) => r.code), [code]);
      assert.equal(shown.body.includes('0987654321') || shown.body.includes('Bí Mật'), false);
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/public/feedback/${code}` })).json().reporterName, null, 'anonymous by default');
    });

    test('the sweep marks overdue reports once and tells the unit leader; notifications can be read', async () => {
      const code = (await submitReport(t.app, { category: 'RAC', description: 'Đèn đường hỏng', ...inA })).json().code;
      const id = (await operator.get(`/api/v1/feedback/reports?q=${code}`)).json().items[0].id;
      await operator.post(`/api/v1/feedback/reports/${id}/verify`, { unitId: communeA.id });
      const later = new Date(Date.now() + 30 * 86_400_000);
      const first = await t.app.services.feedbackSweep.run(later);
      assert.ok(first.overdue >= 1);
      assert.equal((await t.app.services.feedbackSweep.run(later)).overdue, 0, 'idempotent');
      const mine = await leaderA.get('/api/v1/feedback/notifications?unread=true');
      const notice = mine.json().items.find((n: { reportCode: string }) => n.reportCode === code);
      assert.ok(notice, mine.body);
      assert.equal((await leaderA.post(`/api/v1/feedback/notifications/${notice.id}/read`)).statusCode, 204);
      assert.equal((await officerB.post(`/api/v1/feedback/notifications/${notice.id}/read`)).statusCode, 404);
      const overdue = await officerA.get('/api/v1/feedback/reports?deadlineStatus=overdue');
      assert.equal(overdue.statusCode, 200);
    });

    test('statistics per unit and category, and their export', async () => {
      const stats = await operator.get('/api/v1/feedback/statistics?groupBy=category');
      assert.equal(stats.statusCode, 200, stats.body);
      const row = stats.json().items.find((r: { key: string }) => r.key === String(categoryId));
      assert.ok(row.received >= 3);
      assert.ok(row.resolved >= 1);
      assert.equal(row.satisfactionRate, 1);
      const xlsx = await operator.get('/api/v1/feedback/statistics?groupBy=unit&format=xlsx');
      assert.ok((await readXlsx(xlsx)).flat().join(' ').includes('Xã An'));
    });

    test('the heat map counts the reports in cells of about 500 m, as many as the statistics', async () => {
      const stats = await operator.get(`/api/v1/feedback/statistics?groupBy=category&categoryId=${categoryId}`);
      const received = stats.json().items.reduce((n: number, r: { received: number }) => n + r.received, 0);
      const heat = await operator.get(`/api/v1/feedback/heatmap?categoryId=${categoryId}`);
      assert.equal(heat.statusCode, 200, heat.body);
      const cells: { lat: number; lng: number; count: number }[] = heat.json().items;
      assert.equal(cells.reduce((n, c) => n + c.count, 0), received);
      for (const c of cells) {
        assert.ok(Math.abs(c.lat / 0.005 - Math.round(c.lat / 0.005)) < 1e-6, `cell latitude ${c.lat} is on the 0.005° grid`);
      }
      const none = await operator.get('/api/v1/feedback/heatmap?from=2001-01-01&to=2001-12-31');
      assert.deepEqual(none.json().items, []);
    });
  });
}
