import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { gpsPhoto, multipart, submitReport } from '../helpers/feedback.js';

/**
 * Who may act as the handling unit: an officer or a leader of the assigned unit or of a unit
 * above it. The operator of the province verifies and assigns, and may not start, resolve, send
 * back or ask for an extension in the commune's place; nor may an administrator, even of the
 * commune itself. Every refusal changes nothing.
 */

type Unit = Awaited<ReturnType<typeof makeUnit>>;
const UNIT_ACTIONS = ['start', 'resolve', 'send_back', 'request_extension'];
const square = (lng: number, lat: number, d = 0.05) => ({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });

for (const kind of await testBackends()) {
  describe(`the handling unit's actions on ${kind}`, () => {
    let t: TestApp;
    let dataDir: string;
    let commune: Unit;
    const as = {} as Record<'operator' | 'admin' | 'leader' | 'districtOfficer' | 'communeOfficer' | 'communeAdmin' | 'operatorOfficer', Session>;
    const ids = {} as Record<'districtOfficer' | 'leader', number>;

    /** A citizen's report in the commune, verified and assigned to it by the province's operator. */
    async function assignedReport(description: string): Promise<number> {
      const code = (await submitReport(t.app, { category: 'DEN', description, lat: '21.02', lng: '106.02' })).json().code;
      const id = (await as.operator.get(`/api/v1/feedback/reports?q=${code}`)).json().items[0].id;
      const verified = await as.operator.post(`/api/v1/feedback/reports/${id}/verify`, { unitId: commune.id });
      assert.equal(verified.json().status, 'assigned', verified.body);
      return id;
    }
    const attempts = (id: number): Record<string, (s: Session) => Promise<LightMyRequestResponse>> => ({
      start: (s) => s.post(`/api/v1/feedback/reports/${id}/start`),
      resolve: (s) => s.post(`/api/v1/feedback/reports/${id}/resolve`, { answer: 'Đã thay bóng đèn.' }),
      send_back: (s) => s.post(`/api/v1/feedback/reports/${id}/send-back`, { reason: 'Không thuộc thẩm quyền' }),
      request_extension: (s) => s.post(`/api/v1/feedback/reports/${id}/extension`, { proposedDate: '2099-01-05', reason: 'Chờ vật tư' }),
    });
    const storedFiles = () => (fs.existsSync(path.join(dataDir, 'files')) ? fs.readdirSync(path.join(dataDir, 'files'), { recursive: true }).length : 0);

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-feedback-handlers-'));
      t = await buildTestApp(kind, { DATA_DIR: dataDir });
      const province = await makeUnit(t.db, { name: 'Tỉnh Thử Quyền', code: 'FH-P' });
      const district = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Thử Quyền', code: 'FH-D' });
      commune = await makeUnit(t.db, { parent: district, kind: 'commune', name: 'Xã Thử Quyền', code: 'FH-C' });
      await t.db.updateTable('org_units').set({ lat: 21.025, lng: 106.025, boundary: JSON.stringify(square(106.0, 21.0)) }).where('id', '=', commune.id).execute();
      await makeUser(t.db, { unit: province, role: 'operator', username: 'fh.operator' });
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'fh.admin' });
      ids.leader = (await makeUser(t.db, { unit: province, role: 'leader', username: 'fh.leader' })).id;
      ids.districtOfficer = (await makeUser(t.db, { unit: district, role: 'officer', username: 'fh.district.officer' })).id;
      await makeUser(t.db, { unit: commune, role: 'officer', username: 'fh.commune.officer' });
      await makeUser(t.db, { unit: commune, role: 'administrator', username: 'fh.commune.admin' });
      // An operator of the province who also holds an officer's grant on the commune.
      const both = await makeUser(t.db, { unit: province, role: 'operator', username: 'fh.operator.officer' });
      await t.db.insertInto('user_grants').values({ user_id: both.id, role: 'officer', org_unit_id: commune.id }).execute();
      const names = {
        operator: 'fh.operator',
        admin: 'fh.admin',
        leader: 'fh.leader',
        districtOfficer: 'fh.district.officer',
        communeOfficer: 'fh.commune.officer',
        communeAdmin: 'fh.commune.admin',
        operatorOfficer: 'fh.operator.officer',
      } as const;
      for (const [key, username] of Object.entries(names)) as[key as keyof typeof names] = await signIn(t.app, username);
      assert.equal((await as.admin.post('/api/v1/feedback/categories', { code: 'DEN', name: 'Đèn chiếu sáng' })).statusCode, 201);
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('the detail offers the unit’s actions to the commune’s officer only, the operator’s to the operator only', async () => {
      const id = await assignedReport('Đèn đường tắt cả tuần');
      const allowed = async (s: Session) => (await s.get(`/api/v1/feedback/reports/${id}`)).json().allowedActions as string[];
      const officer = await allowed(as.communeOfficer);
      for (const a of UNIT_ACTIONS) assert.ok(officer.includes(a), `the officer may ${a}: ${officer}`);
      assert.equal(officer.includes('assign') || officer.includes('merge'), false);
      for (const who of ['operator', 'admin', 'communeAdmin'] as const) {
        const actions = await allowed(as[who]);
        assert.deepEqual(actions.filter((a) => UNIT_ACTIONS.includes(a)), [], `${who} is offered no unit action: ${actions}`);
      }
      for (const who of ['districtOfficer', 'leader', 'operatorOfficer'] as const) {
        assert.ok((await allowed(as[who])).includes('resolve'), `${who} supervises the commune and may act`);
      }
    });

    test('the operator and administrators get 403 with a Vietnamese reason on every unit action, and nothing changes', async () => {
      const id = await assignedReport('Cột đèn nghiêng sắp đổ');
      const before = (await as.operator.get(`/api/v1/feedback/reports/${id}`)).json();
      for (const [action, attempt] of Object.entries(attempts(id))) {
        for (const who of ['operator', 'admin', 'communeAdmin'] as const) {
          const res = await attempt(as[who]);
          assert.equal(res.statusCode, 403, `${who} ${action}: ${res.body}`);
          assert.equal(res.json().code, 'HANDLER_ROLE_REQUIRED');
          assert.match(res.json().message, /cán bộ hoặc lãnh đạo của đơn vị được giao xử lý \(Xã Thử Quyền\)/);
        }
      }
      // Answer photos are not stored for someone who may not resolve.
      const filesBefore = storedFiles();
      const form = multipart([
        { name: 'answer', value: 'Đã xử lý' },
        { name: 'photos', file: await gpsPhoto(), fileName: 'ket-qua.jpg', type: 'image/jpeg' },
      ]);
      const withPhoto = await as.operator.request({ method: 'POST', url: `/api/v1/feedback/reports/${id}/resolve`, ...form });
      assert.equal(withPhoto.statusCode, 403, withPhoto.body);
      assert.equal(storedFiles(), filesBefore);

      const after = (await as.operator.get(`/api/v1/feedback/reports/${id}`)).json();
      assert.equal(after.status, 'assigned');
      assert.equal(after.timeline.length, before.timeline.length);
      assert.equal(after.pendingExtension, null);
    });

    test('a wrong state still answers 409 before the role: the operator starting a resolved report', async () => {
      const id = await assignedReport('Đèn nhấp nháy');
      assert.equal((await as.communeOfficer.post(`/api/v1/feedback/reports/${id}/resolve`, { answer: 'Đã sửa.' })).statusCode, 200);
      const res = await as.operator.post(`/api/v1/feedback/reports/${id}/start`);
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json().code, 'ILLEGAL_TRANSITION');
    });

    test('an officer or leader above the commune acts, and the audit names who did; the operator still decides the extension', async () => {
      const id = await assignedReport('Đèn công viên hỏng');
      const started = await as.districtOfficer.post(`/api/v1/feedback/reports/${id}/start`);
      assert.equal(started.statusCode, 200, started.body);
      assert.equal(started.json().status, 'in_progress');
      const asked = await attempts(id).request_extension(as.leader);
      assert.equal(asked.statusCode, 200, asked.body);
      const approved = await as.leader.post(`/api/v1/feedback/reports/${id}/extension/decision`, { decision: 'approve' });
      assert.equal(approved.statusCode, 200, 'a leader of the province is also its operator');
      const resolved = await as.operatorOfficer.post(`/api/v1/feedback/reports/${id}/resolve`, { answer: 'Đã thay đèn.' });
      assert.equal(resolved.statusCode, 200, resolved.body);
      assert.equal(resolved.json().status, 'resolved');

      const audit = (await as.admin.get('/api/v1/audit?module=feedback&pageSize=200')).json().items.filter((a: { entityId: string }) => a.entityId === String(id));
      const by = (action: string) => audit.find((a: { action: string }) => a.action === action)?.username;
      assert.equal(by('start'), 'fh.district.officer');
      assert.equal(by('request_extension'), 'fh.leader');
      assert.equal(by('resolve'), 'fh.operator.officer');
      const timeline = resolved.json().timeline as { action: string; userId: number | null; unitId: number | null }[];
      const start = timeline.find((e) => e.action === 'start');
      assert.deepEqual([start?.userId, start?.unitId], [ids.districtOfficer, commune.id], 'acted for the commune, by the district officer');
    });

    test('the commune officer asks for an extension and cannot approve it: that stays the operator’s', async () => {
      const id = await assignedReport('Đèn sáng cả ngày');
      assert.equal((await attempts(id).request_extension(as.communeOfficer)).statusCode, 200);
      const self = await as.communeOfficer.post(`/api/v1/feedback/reports/${id}/extension/decision`, { decision: 'approve' });
      assert.equal(self.statusCode, 403, self.body);
      assert.equal(self.json().code, 'ACTOR_NOT_ALLOWED');
      const decided = await as.operator.post(`/api/v1/feedback/reports/${id}/extension/decision`, { decision: 'refuse', reason: 'Đủ thời gian' });
      assert.equal(decided.statusCode, 200, decided.body);
    });
  });
}
