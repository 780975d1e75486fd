import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import sharp from 'sharp';
import { formatOpen311Datetime } from '../../src/modules/feedback/open311/format.js';
import { createOpen311Service } from '../../src/modules/feedback/open311/service.js';
import { childrenNamed, childText, parseXmlDocument, type XmlNode } from '../../src/modules/feedback/open311/xml-check.js';
import { createOrgUnitDirectory } from '../../src/platform/orgunits/directory.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { gpsPhoto } from '../helpers/feedback.js';

type Unit = Awaited<ReturnType<typeof makeUnit>>;
type Json = Record<string, unknown>;
const square = (lng: number, lat: number, d = 0.05) => ({ type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] });
const BASE = '/open311/v2';

/** An XML answer: the right content type, well formed; its root element. */
function xmlOf(res: LightMyRequestResponse, root: string): XmlNode {
  assert.match(String(res.headers['content-type']), /^text\/xml; charset=utf-8/, res.body);
  const doc = parseXmlDocument(res.body);
  assert.equal(doc.name, root, res.body);
  return doc;
}

/** A JSON answer with the Open311 content type. */
function jsonOf<T = unknown>(res: LightMyRequestResponse): T {
  assert.match(String(res.headers['content-type']), /^application\/json; charset=utf-8/, res.body);
  return res.json() as T;
}

/** An Open311 error answer: the status, and every entry carrying it as its code, in JSON or XML. */
function assertOpen311Error(res: LightMyRequestResponse, status: number, format: 'json' | 'xml' = 'json'): string[] {
  assert.equal(res.statusCode, status, res.body);
  if (format === 'xml') {
    const doc = xmlOf(res, 'errors');
    const errors = childrenNamed(doc, 'error');
    assert.ok(errors.length >= 1, res.body);
    for (const e of errors) assert.equal(childText(e, 'code'), String(status));
    return errors.map((e) => childText(e, 'description'));
  }
  const body = jsonOf<{ code: number; description: string }[]>(res);
  assert.ok(Array.isArray(body) && body.length >= 1, res.body);
  for (const e of body) {
    assert.deepEqual(Object.keys(e).sort(), ['code', 'description']);
    assert.equal(e.code, status);
  }
  return body.map((e) => e.description);
}

for (const kind of await testBackends()) {
  describe(`Open311 GeoReport v2 on ${kind}`, () => {
    let t: TestApp;
    let dataDir: string;
    let province: Unit;
    let communeA: Unit;
    let admin: Session;
    let operator: Session;
    let officerA: Session;
    let apiKey: string;
    const inA = { lat: '21.02', long: '106.02' };
    let address = 0;

    const get = (url: string) => t.app.inject({ method: 'GET', url, remoteAddress: '10.31.1.1' });
    /** POST requests.{format} as a form, from its own client address. */
    const post = (fields: Record<string, string | string[]>, format: 'json' | 'xml' = 'json') => {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) form.append(k, item);
      return t.app.inject({
        method: 'POST',
        url: `${BASE}/requests.${format}`,
        payload: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        remoteAddress: `10.31.2.${++address % 250}`,
      });
    };
    const reportCount = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM feedback_reports`.execute(t.db)).rows[0].n;
    const requestOf = async (id: string) => {
      const res = await get(`${BASE}/requests/${id}.json`);
      assert.equal(res.statusCode, 200, res.body);
      const list = jsonOf<Json[]>(res);
      assert.equal(list.length, 1);
      return list[0];
    };

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-open311-'));
      // 127.0.0.1 is on the list on purpose: an allowed host still may not be a loopback address.
      t = await buildTestApp(kind, { DATA_DIR: dataDir, OPEN311_MEDIA_HOSTS: '127.0.0.1,anh.example.vn' });
      province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: 'HD' });
      communeA = await makeUnit(t.db, { parent: province, kind: 'commune', name: 'Xã An Bình', code: 'HD-AB' });
      await t.db.updateTable('org_units').set({ lat: 21.025, lng: 106.025, boundary: JSON.stringify(square(106.0, 21.0)) }).where('id', '=', communeA.id).execute();
      await t.db.updateTable('org_units').set({ lat: 21.05, lng: 106.05 }).where('id', '=', province.id).execute();
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'o311.admin' });
      await makeUser(t.db, { unit: province, role: 'operator', username: 'o311.operator' });
      await makeUser(t.db, { unit: communeA, role: 'officer', username: 'o311.officer.a' });
      [admin, operator, officerA] = await Promise.all(['o311.admin', 'o311.operator', 'o311.officer.a'].map((u) => signIn(t.app, u)));
      for (const category of [
        { code: 'RAC', name: 'Rác thải, vệ sinh môi trường', group: 'Môi trường', description: 'Rác tồn đọng, đổ trộm' },
        {
          code: 'DEN',
          name: 'Đèn chiếu sáng công cộng',
          group: 'Hạ tầng',
          attributes: [
            { code: 'loai_hong', variable: true, datatype: 'singlevaluelist', required: true, description: 'Đèn hỏng thế nào?', order: 1, values: [{ key: 'tat', name: 'Không sáng' }, { key: 'nhay', name: 'Chập chờn' }] },
            { code: 'cot_so', variable: true, datatype: 'string', required: false, description: 'Số cột đèn', order: 2, datatypeDescription: 'Ghi trên thân cột' },
            { code: 'luu_y', variable: false, datatype: 'text', required: false, description: 'Không đứng dưới cột đèn bị chập điện.', order: 0 },
          ],
        },
        { code: 'CU', name: 'Lĩnh vực cũ', active: false },
      ]) {
        const created = await admin.post('/api/v1/feedback/categories', category);
        assert.equal(created.statusCode, 201, created.body);
      }
      const key = await admin.post('/api/v1/api-keys', { name: 'Ứng dụng Open311', role: 'officer', orgUnitId: province.id });
      assert.equal(key.statusCode, 201, key.body);
      apiKey = key.json().secret;
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('discovery in JSON and XML names the GeoReport v2 endpoint and its formats', async () => {
      const json = jsonOf<Json & { endpoints: Json[] }>(await get(`${BASE}/discovery.json`));
      assert.equal(json.endpoints.length, 1);
      assert.equal(json.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
      assert.match(String(json.endpoints[0].url), /\/open311\/v2$/);
      assert.deepEqual(json.endpoints[0].formats, ['text/xml', 'application/json']);
      assert.match(String(json.changeset), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
      const xml = xmlOf(await get(`${BASE}/discovery.xml`), 'discovery');
      const endpoint = childrenNamed(childrenNamed(xml, 'endpoints')[0], 'endpoint')[0];
      assert.equal(childText(endpoint, 'type'), 'production');
      assert.deepEqual(childrenNamed(childrenNamed(endpoint, 'formats')[0], 'format').map((f) => f.text), ['text/xml', 'application/json']);
    });

    test('services: the active categories; jurisdiction_id is the root unit’s code or absent', async () => {
      const services = jsonOf<Json[]>(await get(`${BASE}/services.json`));
      assert.deepEqual(services.map((s) => s.service_code).sort(), ['DEN', 'RAC']);
      const den = services.find((s) => s.service_code === 'DEN') as Json;
      assert.equal(den.metadata, true);
      assert.equal(den.type, 'realtime');
      assert.equal(den.group, 'Hạ tầng');
      assert.equal((services.find((s) => s.service_code === 'RAC') as Json).metadata, false);

      const xml = xmlOf(await get(`${BASE}/services.xml?jurisdiction_id=HD`), 'services');
      assert.deepEqual(childrenNamed(xml, 'service').map((s) => childText(s, 'service_code')).sort(), ['DEN', 'RAC']);
      assert.equal(childText(childrenNamed(xml, 'service').find((s) => childText(s, 'service_code') === 'RAC') as XmlNode, 'service_name'), 'Rác thải, vệ sinh môi trường');
      assert.equal((await get(`${BASE}/services.json?jurisdiction_id=hd`)).statusCode, 200, 'case does not matter');
      assert.equal((await get(`${BASE}/services.json?jurisdiction_id=`)).statusCode, 200, 'empty counts as absent');
      assertOpen311Error(await get(`${BASE}/services.json?jurisdiction_id=HN`), 404);
      assertOpen311Error(await get(`${BASE}/services.xml?jurisdiction_id=${communeA.code}`), 404, 'xml');
      assertOpen311Error(await get(`${BASE}/services.html`), 404);
      assertOpen311Error(await get(`${BASE}/nothing/here.xml`), 404, 'xml');
      assertOpen311Error(await t.app.inject({ method: 'PUT', url: `${BASE}/requests.json` }), 404);
      assertOpen311Error(await t.app.inject({ method: 'POST', url: `${BASE}/services.xml` }), 404, 'xml');
    });

    test('a service definition from the category’s attributes; an unknown or inactive service is 404', async () => {
      const def = jsonOf<{ service_code: string; attributes: Json[] }>(await get(`${BASE}/services/DEN.json`));
      assert.equal(def.service_code, 'DEN');
      assert.deepEqual(def.attributes.map((a) => a.code), ['luu_y', 'loai_hong', 'cot_so'], 'ordered by order');
      const loai = def.attributes[1];
      assert.deepEqual(loai, {
        variable: true,
        code: 'loai_hong',
        datatype: 'singlevaluelist',
        required: true,
        datatype_description: null,
        order: 1,
        description: 'Đèn hỏng thế nào?',
        values: [{ key: 'tat', name: 'Không sáng' }, { key: 'nhay', name: 'Chập chờn' }],
      });
      assert.equal(def.attributes[0].variable, false);
      assert.equal(def.attributes[2].datatype_description, 'Ghi trên thân cột');

      const xml = xmlOf(await get(`${BASE}/services/DEN.xml?jurisdiction_id=HD`), 'service_definition');
      const attributes = childrenNamed(childrenNamed(xml, 'attributes')[0], 'attribute');
      assert.equal(attributes.length, 3);
      const values = childrenNamed(childrenNamed(attributes[1], 'values')[0], 'value');
      assert.deepEqual(values.map((v) => childText(v, 'key')), ['tat', 'nhay']);

      assertOpen311Error(await get(`${BASE}/services/KHONG.json`), 404);
      assertOpen311Error(await get(`${BASE}/services/CU.xml`), 404, 'xml');
      assertOpen311Error(await get(`${BASE}/services/DEN.json?jurisdiction_id=XX`), 404);
    });

    test('POST refuses a missing or wrong api_key (403), an unknown service (404) and bad fields (400), storing nothing', async () => {
      const before = await reportCount();
      const good = { api_key: apiKey, service_code: 'RAC', description: 'Rác', ...inA };
      const { api_key: _drop, ...noKey } = good;
      assertOpen311Error(await post(noKey), 403);
      assertOpen311Error(await post(noKey, 'xml'), 403, 'xml');
      assertOpen311Error(await post({ ...good, api_key: 'dh_000000000000_khongphaikhoathat' }), 403);
      assertOpen311Error(await post({ ...good, api_key: 'sai' }, 'xml'), 403, 'xml');
      assertOpen311Error(await post({ ...good, service_code: 'KHONG-CO' }), 404);
      assertOpen311Error(await post({ ...good, service_code: 'CU' }, 'xml'), 404, 'xml');
      assertOpen311Error(await post({ ...good, jurisdiction_id: 'HN' }), 404);

      const tooLong = assertOpen311Error(await post({ ...good, description: 'ổ'.repeat(4001) }), 400);
      assert.match(tooLong.join(' '), /4000/);
      assertOpen311Error(await post({ ...good, description: 'x'.repeat(4001) }, 'xml'), 400, 'xml');
      assertOpen311Error(await post({ ...good, service_code: 'DEN' }), 400, 'json'); // attribute[loai_hong] required
      assertOpen311Error(await post({ ...good, service_code: 'DEN', 'attribute[loai_hong]': 'chay' }), 400);
      assertOpen311Error(await post({ ...good, lat: '91' }), 400);
      assertOpen311Error(await post({ ...good, lat: '10.77', long: '106.70' }), 400); // outside the locality
      assertOpen311Error(await post({ api_key: apiKey, service_code: 'RAC', description: 'Chỉ có địa chỉ', address_string: '12 Trần Hưng Đạo' }), 400);
      assertOpen311Error(await post({ api_key: apiKey, service_code: 'RAC', ...inA }), 400); // no description

      // media_url: loopback (even on the allowed list), private, a host not allowed, not http(s).
      for (const url of ['http://127.0.0.1:9/anh.jpg', 'http://10.0.0.5/anh.jpg', 'http://evil.example.com/anh.jpg', 'http://anh.example.vn.evil.example/x.jpg', 'file:///etc/passwd']) {
        const descriptions = assertOpen311Error(await post({ ...good, media_url: url }), 400);
        assert.ok(descriptions.length >= 1, url);
      }
      assertOpen311Error(await post({ ...good, media_url: 'http://[::1]/anh.jpg' }, 'xml'), 400, 'xml');
      assert.equal(await reportCount(), before, 'no report was created by any refused request');
    });

    test('a posted request reaches the operators’ queue, and its lifecycle shows through GET requests', async () => {
      const created = await post({
        api_key: apiKey,
        jurisdiction_id: 'HD',
        service_code: 'DEN',
        'attribute[loai_hong]': 'nhay',
        'attribute[cot_so]': 'C-12',
        description: 'Đèn đường chập chờn <script>alert(1)</script> & tối',
        ...inA,
        address_string: 'Ngõ 5, thôn Đông',
        first_name: 'Văn Bí',
        last_name: 'Nguyễn',
        phone: '0912 345 678',
        email: 'bi.mat@example.vn',
        account_id: 'acct-77',
        device_id: 'dev-1',
      });
      assert.equal(created.statusCode, 201, created.body);
      const [answer] = jsonOf<Json[]>(created);
      const id = String(answer.service_request_id);
      assert.match(id, /^PA[2-9A-HJ-NP-Z]{8}$/);
      assert.equal(answer.account_id, 'acct-77');
      assert.match(String(answer.service_notice), new RegExp(`/phan-anh/${id}`));

      // The operators see it like any other report, marked as coming from Open311.
      const queue = await operator.get('/api/v1/feedback/reports?queue=operator&pageSize=100');
      const item = queue.json().items.find((r: { code: string }) => r.code === id);
      assert.ok(item, queue.body);
      assert.equal(item.source, 'open311');
      assert.equal(item.areaUnitId, communeA.id);
      const staffDetail = (await operator.get(`/api/v1/feedback/reports/${item.id}`)).json();
      assert.equal(staffDetail.reporterName, 'Nguyễn Văn Bí');
      assert.equal(staffDetail.reporterPhone, '0912 345 678');
      assert.deepEqual(staffDetail.attributes, { loai_hong: 'nhay', cot_so: 'C-12' });
      assert.equal(staffDetail.description, 'Đèn đường chập chờn <script>alert(1)</script> & tối');

      const received = await requestOf(id);
      assert.equal(received.status, 'open');
      assert.equal(received.status_notes, 'Mới tiếp nhận');
      assert.equal(received.agency_responsible, null);
      assert.equal(received.expected_datetime, null);
      assert.equal(received.service_code, 'DEN');
      assert.equal(received.service_name, 'Đèn chiếu sáng công cộng');
      assert.equal(received.address, 'Ngõ 5, thôn Đông');
      assert.equal(received.lat, 21.02);
      assert.equal(received.long, 106.02);
      assert.equal(received.requested_datetime, formatOpen311Datetime(new Date(staffDetail.receivedAt)));
      // Not yet verified: answered by id, not listed.
      const listedEarly = jsonOf<Json[]>(await get(`${BASE}/requests.json?service_code=DEN`));
      assert.equal(listedEarly.some((r) => r.service_request_id === id), false);

      const verified = await operator.post(`/api/v1/feedback/reports/${item.id}/verify`, { unitId: communeA.id });
      assert.equal(verified.statusCode, 200, verified.body);
      const assigned = await requestOf(id);
      assert.equal(assigned.status, 'open');
      assert.equal(assigned.status_notes, 'Đã giao xử lý');
      assert.equal(assigned.agency_responsible, 'Xã An Bình');
      assert.equal(assigned.expected_datetime, formatOpen311Datetime(new Date(verified.json().deadline)));
      assert.ok(String(assigned.updated_datetime) >= String(received.updated_datetime));

      assert.equal((await officerA.post(`/api/v1/feedback/reports/${item.id}/start`)).statusCode, 200);
      assert.equal((await requestOf(id)).status_notes, 'Đang xử lý');
      const resolved = await officerA.post(`/api/v1/feedback/reports/${item.id}/resolve`, { answer: 'Đã thay bóng đèn <b>mới</b>.' });
      assert.equal(resolved.statusCode, 200, resolved.body);
      const done = await requestOf(id);
      assert.equal(done.status, 'closed');
      assert.equal(done.status_notes, 'Đã xử lý: Đã thay bóng đèn <b>mới</b>.');
      assert.equal(done.agency_responsible, 'Xã An Bình');

      // The same in XML, well formed whatever the texts hold.
      const xml = xmlOf(await get(`${BASE}/requests/${id}.xml`), 'service_requests');
      const request = childrenNamed(xml, 'request')[0];
      assert.equal(childText(request, 'service_request_id'), id);
      assert.equal(childText(request, 'status'), 'closed');
      assert.equal(childText(request, 'status_notes'), 'Đã xử lý: Đã thay bóng đèn <b>mới</b>.');
      assert.equal(childText(request, 'description'), 'Đèn đường chập chờn <script>alert(1)</script> & tối');
      assert.equal(childText(request, 'agency_responsible'), 'Xã An Bình');
      assert.equal(childText(request, 'expected_datetime'), assigned.expected_datetime);

      // Lists with every filter.
      const codes = (res: LightMyRequestResponse) => jsonOf<Json[]>(res).map((r) => r.service_request_id);
      assert.deepEqual(codes(await get(`${BASE}/requests.json?service_request_id=${id},PA22222222`)), [id]);
      assert.deepEqual(codes(await get(`${BASE}/requests.json?service_request_id=${id.toLowerCase()}&status=open`)), [id], 'ids override the other filters');
      assert.ok(codes(await get(`${BASE}/requests.json?service_code=DEN,RAC`)).includes(id));
      assert.ok(codes(await get(`${BASE}/requests.json?status=closed`)).includes(id));
      assert.equal(codes(await get(`${BASE}/requests.json?status=open`)).includes(id), false);
      assert.equal(codes(await get(`${BASE}/requests.json?service_code=RAC`)).includes(id), false);
      assert.ok(codes(await get(`${BASE}/requests.json?jurisdiction_id=HD&status=open,closed`)).includes(id));
      const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
      assert.ok(codes(await get(`${BASE}/requests.json?start_date=${day}&end_date=${day}`)).includes(id));
      const past = `start_date=2020-01-01T00:00:00%2B07:00&end_date=2020-02-01T00:00:00%2B07:00`;
      assert.deepEqual(codes(await get(`${BASE}/requests.json?${past}`)), []);
      const listXml = xmlOf(await get(`${BASE}/requests.xml?service_code=DEN&status=closed`), 'service_requests');
      assert.ok(childrenNamed(listXml, 'request').some((r) => childText(r, 'service_request_id') === id));
      assertOpen311Error(await get(`${BASE}/requests.json?jurisdiction_id=XX`), 404);
      assertOpen311Error(await get(`${BASE}/requests.json?status=pending`), 400);
      assertOpen311Error(await get(`${BASE}/requests.json?start_date=hom-qua`), 400);

      // No personal data anywhere in what GET answers.
      for (const url of [`${BASE}/requests/${id}.json`, `${BASE}/requests/${id}.xml`, `${BASE}/requests.json?status=closed`, `${BASE}/requests.xml?service_code=DEN`]) {
        const body = (await get(url)).body;
        for (const secret of ['Bí', '0912', '345 678', 'bi.mat@example.vn', 'acct-77', 'dev-1']) assert.equal(body.includes(secret), false, `${url} leaks ${secret}`);
      }

      // The token is the id (requests are created at once).
      assert.deepEqual(jsonOf(await get(`${BASE}/tokens/${id}.json`)), [{ service_request_id: id, token: id }]);
      const token = childrenNamed(xmlOf(await get(`${BASE}/tokens/${id}.xml`), 'service_requests'), 'request')[0];
      assert.equal(childText(token, 'service_request_id'), id);
      assertOpen311Error(await get(`${BASE}/tokens/PA22222222.json`), 404);
      assertOpen311Error(await get(`${BASE}/tokens/kh%C3%B4ng.xml`), 404, 'xml');
      assertOpen311Error(await get(`${BASE}/requests/PA22222222.json`), 404);
      assertOpen311Error(await get(`${BASE}/requests/PA22222222.xml`), 404, 'xml');
    });

    test('POST requests.xml answers in XML; a rejected report reads back as closed with the reason', async () => {
      const created = await post({ api_key: apiKey, service_code: 'rac', description: 'Quảng cáo bán hàng', ...inA }, 'xml');
      assert.equal(created.statusCode, 201, created.body);
      const request = childrenNamed(xmlOf(created, 'service_requests'), 'request')[0];
      const id = childText(request, 'service_request_id');
      assert.match(id, /^PA/);
      assert.equal(childText(request, 'account_id'), '');
      const staffId = (await operator.get(`/api/v1/feedback/reports?q=${id}`)).json().items[0].id;
      const rejected = await operator.post(`/api/v1/feedback/reports/${staffId}/reject`, { reason: 'spam', text: 'Nội dung quảng cáo' });
      assert.equal(rejected.statusCode, 200, rejected.body);
      const read = await requestOf(id);
      assert.equal(read.status, 'closed');
      assert.equal(read.status_notes, 'Đã từ chối: Tin rác — Nội dung quảng cáo');
      assert.equal(jsonOf<Json[]>(await get(`${BASE}/requests.json?status=closed`)).some((r) => r.service_request_id === id), false, 'refused reports are not listed');
    });

    test('GET requests refuses a span over 90 days (400) in JSON and XML', async () => {
      const span = 'start_date=2026-01-01T00:00:00%2B07:00&end_date=2026-04-02T00:00:00%2B07:00';
      const descriptions = assertOpen311Error(await get(`${BASE}/requests.json?${span}`), 400);
      assert.match(descriptions.join(' '), /90/);
      assertOpen311Error(await get(`${BASE}/requests.xml?${span}`), 400, 'xml');
      assertOpen311Error(await get(`${BASE}/requests.json?start_date=2026-04-02&end_date=2026-01-01`), 400);
      assert.equal((await get(`${BASE}/requests.json?start_date=2026-01-01T00:00:00%2B07:00&end_date=2026-03-31T00:00:00%2B07:00`)).statusCode, 200);
    });

    test('form bodies over the limit are refused in Open311 form', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `${BASE}/requests.xml`,
        payload: `api_key=${apiKey}&description=${'a'.repeat(300 * 1024)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assertOpen311Error(res, 413, 'xml');
    });

    test('media_url: fetched only from an allowed host, normalised like an uploaded photo (EXIF dropped); refused when no host is allowed', async () => {
      // A stand-in photo host on loopback: only the test-only switch lets the fetcher reach it.
      const photo = await gpsPhoto(80, 60);
      const server = http.createServer((req, res) => {
        if (req.url === '/anh.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
        else if (req.url === '/trang.html') res.writeHead(200, { 'content-type': 'image/jpeg' }).end('<html>không phải ảnh</html>');
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      try {
        const s = t.app.services;
        const directory = createOrgUnitDirectory({ db: s.db, bus: s.bus, ttlSeconds: 0 });
        const deps = { db: s.db, directory, intake: s.feedbackIntake, auth: s.auth };
        const open311 = createOpen311Service({ ...deps, mediaHosts: ['127.0.0.1'], media: { allowLoopbackForTests: true } });
        const fields = (media: string) => new URLSearchParams({ api_key: apiKey, service_code: 'RAC', description: 'Rác có ảnh', ...inA, media_url: media });
        const created = await open311.submit(fields(`http://127.0.0.1:${port}/anh.jpg`), '10.31.9.1', 'http://localhost');
        const id = String(created.service_request_id);
        const staffId = (await operator.get(`/api/v1/feedback/reports?q=${id}`)).json().items[0].id;
        const detail = (await operator.get(`/api/v1/feedback/reports/${staffId}`)).json();
        assert.equal(detail.photos.length, 1);
        const stored = await operator.get(detail.photos[0].url);
        assert.equal(stored.statusCode, 200);
        assert.equal((await sharp(stored.rawPayload).metadata()).exif, undefined, 'EXIF (GPS) dropped');

        // The photo shows in media_url once the operator verified the report and the photo.
        assert.equal((await requestOf(id)).media_url, null);
        await operator.post(`/api/v1/feedback/reports/${staffId}/verify`, { unitId: communeA.id });
        await operator.post(`/api/v1/feedback/reports/${staffId}/photos/${detail.photos[0].id}/verify`, { verified: true });
        const mediaUrl = String((await requestOf(id)).media_url);
        assert.match(mediaUrl, /^http:\/\/.+\/api\/v1\/public\/feedback\/photos\/[0-9a-f]{64}$/);
        assert.equal((await get(new URL(mediaUrl).pathname)).statusCode, 200);

        const before = await reportCount();
        await assert.rejects(open311.submit(fields(`http://127.0.0.1:${port}/trang.html`), '10.31.9.1', 'http://localhost'), (err: { status?: number }) => err.status === 400);
        await assert.rejects(open311.submit(fields(`http://127.0.0.1:${port}/mat.jpg`), '10.31.9.1', 'http://localhost'), (err: { status?: number }) => err.status === 502);
        const none = createOpen311Service({ ...deps, mediaHosts: [] });
        await assert.rejects(none.submit(fields('https://anh.example.vn/anh.jpg'), '10.31.9.1', 'http://localhost'), (err: { status?: number; code?: string }) => err.status === 400 && err.code === 'OPEN311_MEDIA_URL_NOT_ACCEPTED');
        assert.equal(await reportCount(), before);
      } finally {
        server.close();
      }
    });
  });
}
