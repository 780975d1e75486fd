import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { sql } from 'kysely';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { tcvn3, windows1258 } from '../../src/platform/files/text-fixtures.js';

const HEADER = 'code,name,kind,parentCode,lat,lng';

/** A multipart/form-data body with one file in the field "file", as a browser sends it. */
async function multipart(data: Uint8Array, fileName: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)]), fileName);
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}

async function upload(session: Session, data: Uint8Array | string, opts: { fileName?: string; dryRun?: boolean } = {}) {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const { body, contentType } = await multipart(bytes, opts.fileName ?? 'don-vi.csv');
  const query = opts.dryRun === undefined ? '' : `?dryRun=${opts.dryRun}`;
  return session.request({ method: 'POST', url: `/api/v1/org-units/import${query}`, payload: body, headers: { 'content-type': contentType } });
}

const csv = (...lines: string[]) => `${[HEADER, ...lines].join('\r\n')}\r\n`;

/** A deterministic stream of bytes (a small LCG), so a failure can be reproduced. */
function pseudoRandomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

for (const kind of await testBackends()) {
  describe(`org units import on ${kind}`, () => {
    let t: TestApp;
    let admin: Session;
    let districtAdmin: Session;
    let officer: Session;
    let province: Awaited<ReturnType<typeof makeUnit>>;
    let namSach: Awaited<ReturnType<typeof makeUnit>>;

    const unitCount = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM org_units`.execute(t.db)).rows[0].n;
    const unitsLike = async (prefix: string) =>
      t.db.selectFrom('org_units').select(['id', 'code', 'name', 'kind', 'parent_id', 'path', 'level', 'lat', 'lng', 'updated_at']).where('code', 'like', `${prefix}%`).orderBy('code').execute();
    const auditCount = async (action: string) =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE module = 'orgunits' AND action = ${action}`.execute(t.db)).rows[0].n;

    before(async () => {
      t = await buildTestApp(kind);
      province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: 'HD' });
      namSach = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Nam Sách', code: 'HD-NS' });
      await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Tứ Kỳ', code: 'HD-TK' });
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'admin' });
      await makeUser(t.db, { unit: namSach, role: 'administrator', username: 'ns.admin' });
      await makeUser(t.db, { unit: namSach, role: 'officer', username: 'ns.canbo' });
      admin = await signIn(t.app, 'admin');
      districtAdmin = await signIn(t.app, 'ns.admin');
      officer = await signIn(t.app, 'ns.canbo');
    });
    after(() => t.close());

    const goodFile = csv(
      'IMP-X1,Xã Thanh Quang,commune,IMP-D1,21.05,106.40',
      'IMP-T1,Thôn Đông,agency,IMP-X1,,',
      'IMP-D1,Huyện Thử Nghiệm,district,HD,,',
      'IMP-X2,Phường Sao Đỏ,commune,IMP-D1,"21,10","106,39"',
    );

    test('given a good CSV, when imported as a dry run (the default), then the counts come back and nothing is written', async () => {
      const before = await unitCount();
      for (const dryRun of [undefined, true]) {
        const res = await upload(admin, goodFile, { dryRun });
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(res.json(), { dryRun: true, total: 4, created: 4, updated: 0, errors: [] });
      }
      assert.equal(await unitCount(), before);
      assert.equal(await auditCount('import-create'), 0);
    });

    test('given a good CSV listing children before parents, when imported, then every unit is created under its parent', async () => {
      const res = await upload(admin, goodFile, { dryRun: false });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { dryRun: false, total: 4, created: 4, updated: 0, errors: [] });
      const units = new Map((await unitsLike('IMP-')).map((u) => [u.code, u]));
      const d1 = units.get('IMP-D1')!;
      const x1 = units.get('IMP-X1')!;
      const t1 = units.get('IMP-T1')!;
      assert.equal(d1.parent_id, province.id);
      assert.equal(x1.parent_id, d1.id);
      assert.equal(t1.path, `/${province.id}/${d1.id}/${x1.id}/${t1.id}/`);
      assert.equal(t1.level, 4);
      assert.equal(t1.name, 'Thôn Đông');
      assert.deepEqual([x1.lat, x1.lng], [21.05, 106.4]);
      assert.deepEqual([units.get('IMP-X2')!.lat, units.get('IMP-X2')!.lng], [21.1, 106.39], 'a decimal comma is read');
      assert.equal(await auditCount('import-create'), 4);
      const found = await admin.get('/api/v1/org-units?q=thon%20dong');
      assert.deepEqual(found.json().items.map((u: { code: string }) => u.code), ['IMP-T1']);
    });

    test('given the same file again, when imported, then nothing changes: no unit created, updated or audited', async () => {
      const before = await unitsLike('IMP-');
      const audits = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(t.db);
      const res = await upload(admin, goodFile, { dryRun: false });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { dryRun: false, total: 4, created: 0, updated: 0, errors: [] });
      assert.deepEqual(await unitsLike('IMP-'), before);
      assert.deepEqual(await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(t.db), audits);
    });

    test('given a changed name in a re-imported file, when imported, then only that unit is updated and audited', async () => {
      const res = await upload(admin, goodFile.replace('Thôn Đông', 'Thôn Đông Thượng'), { dryRun: false });
      assert.deepEqual(res.json(), { dryRun: false, total: 4, created: 0, updated: 1, errors: [] });
      assert.equal((await unitsLike('IMP-T1'))[0].name, 'Thôn Đông Thượng');
      assert.equal(await auditCount('import-update'), 1);
    });

    test('given a UTF-8 CSV with a BOM, when imported, then the header is recognised and the units created', async () => {
      const res = await upload(admin, `\uFEFF${csv('BOM-D1,Huyện Có BOM,district,HD,,', 'BOM-X1,Xã Ấp Bắc,commune,BOM-D1,,')}`, { dryRun: false });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().created, 2);
      assert.deepEqual((await unitsLike('BOM-')).map((u) => u.name), ['Huyện Có BOM', 'Xã Ấp Bắc']);
    });

    test('given bad rows, when imported for real, then each is reported with its line and reason and nothing at all is written', async () => {
      const before = await unitCount();
      const file = [
        HEADER, // line 1
        'BAD-OK,Xã Hợp Lệ,commune,HD-NS,,', // 2
        'BAD-ORPHAN,Xã Mồ Côi,commune,KHONG-CO,,', // 3
        'BAD-KIND,Xã Sai Loại,village,HD-NS,,', // 4
        'bad-ok,Xã Trùng Mã,commune,HD-NS,,', // 5
        '', // 6: a blank line
        'BAD-LAT,Xã Ngoài Khơi,commune,HD-NS,95,106', // 7
        'BAD-QUOTED,"Xã Hai Dòng', // 8: a quoted name over two lines…
        'Tên",commune,HD-NS,,', // 9
        'BAD-NONAME,,commune,HD-NS,,', // 10: …so this row is line 10
      ].join('\n');
      const res = await upload(admin, file, { dryRun: false });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.created, 2, 'the good rows are counted but not written');
      assert.deepEqual(body.errors.map((e: { row: number }) => e.row), [3, 4, 5, 7, 10]);
      const message = (row: number) => body.errors.find((e: { row: number }) => e.row === row).message as string;
      assert.match(message(3), /không tìm thấy đơn vị cấp trên "KHONG-CO"/);
      assert.match(message(4), /loại "village" không hợp lệ/);
      assert.match(message(5), /trùng với dòng 2/);
      assert.match(message(7), /vĩ độ "95" không hợp lệ/);
      assert.match(message(10), /thiếu tên đơn vị/);
      assert.equal(await unitCount(), before);
      assert.deepEqual(await unitsLike('BAD-'), []);
    });

    test('given an .xlsx workbook made with Excel, when imported, then it imports exactly as the CSV does', async () => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Đơn vị');
      sheet.addRow(['code', 'name', 'kind', 'parentCode', 'lat', 'lng']);
      sheet.addRow(['XL-X1', 'Xã Thanh Quang', 'commune', 'XL-D1', 21.05, 106.4]);
      sheet.addRow(['XL-T1', 'Thôn Đông', 'agency', 'XL-X1', null, null]);
      sheet.addRow(['XL-D1', 'Huyện Thử Nghiệm', 'district', 'HD', null, null]);
      const data = Buffer.from(await book.xlsx.writeBuffer());
      const dry = await upload(admin, data, { fileName: 'don-vi.xlsx', dryRun: true });
      assert.deepEqual(dry.json(), { dryRun: true, total: 3, created: 3, updated: 0, errors: [] });
      const res = await upload(admin, data, { fileName: 'don-vi.xlsx', dryRun: false });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().created, 3);
      const units = new Map((await unitsLike('XL-')).map((u) => [u.code, u]));
      assert.equal(units.get('XL-T1')!.path, `/${province.id}/${units.get('XL-D1')!.id}/${units.get('XL-X1')!.id}/${units.get('XL-T1')!.id}/`);
      assert.deepEqual([units.get('XL-X1')!.lat, units.get('XL-X1')!.lng], [21.05, 106.4]);
      assert.equal(units.get('XL-T1')!.name, 'Thôn Đông');
    });

    test('given a CSV saved by an old Excel as Windows-1258, when imported, then it is read as Vietnamese; TCVN3 is refused with FILE_ENCODING and nothing is written', async () => {
      // Bytes that are not valid UTF-8: old Excel writes ã as a then a tone byte, Đ as D0, ô as F4.
      const res = await upload(admin, windows1258(csv('W-1,Xã Đông Hưng,commune,HD-NS,,')), { dryRun: false });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().created, 1);
      assert.deepEqual((await unitsLike('W-')).map((u) => u.name), ['Xã Đông Hưng']);

      const before = await unitCount();
      const legacy = await upload(admin, Buffer.concat([Buffer.from(`${HEADER}\r\nT-1,X`, 'ascii'), tcvn3('ả ăn'), Buffer.from(',commune,HD-NS,,\r\n', 'ascii')]), { dryRun: false });
      assert.equal(legacy.statusCode, 400, legacy.body);
      assert.equal(legacy.json().code, 'FILE_ENCODING');
      assert.match(legacy.json().message, /UTF-8/);
      assert.equal(await unitCount(), before);
    });

    test('given a UTF-16LE CSV with a BOM, when imported, then it is decoded and the Vietnamese names kept', async () => {
      const text = csv('U16-X1,Xã Đông Hưng,commune,HD-NS,,');
      const res = await upload(admin, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), { dryRun: false });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().created, 1);
      assert.deepEqual((await unitsLike('U16-')).map((u) => [u.name, u.parent_id]), [['Xã Đông Hưng', namSach.id]]);
    });

    test('given files that are not spreadsheets, when imported, then each is refused with a clear 400 and nothing is written', async () => {
      const before = await unitCount();
      const png = Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
        pseudoRandomBytes(200, 1),
      ]);
      const pngAnswer = await upload(admin, png, { fileName: 'don-vi.csv', dryRun: false });
      assert.equal(pngAnswer.statusCode, 400, pngAnswer.body);
      assert.equal(pngAnswer.json().code, 'FILE_TYPE');
      assert.match(pngAnswer.json().message, /PNG/);

      const random = await upload(admin, pseudoRandomBytes(4096, 42), { fileName: 'don-vi.csv', dryRun: false });
      assert.equal(random.statusCode, 400, random.body);
      assert.ok(['FILE_TYPE', 'FILE_ENCODING'].includes(random.json().code), random.body);

      const zip = new JSZip();
      zip.file('ghi-chu.txt', 'không phải bảng tính');
      const notAWorkbook = await upload(admin, await zip.generateAsync({ type: 'nodebuffer' }), { fileName: 'don-vi.xlsx', dryRun: false });
      assert.equal(notAWorkbook.statusCode, 400, notAWorkbook.body);
      assert.equal(notAWorkbook.json().code, 'FILE_TYPE');

      const book = new ExcelJS.Workbook();
      book.addWorksheet('Đơn vị').addRow(['code', 'name', 'kind', 'parentCode']);
      const whole = Buffer.from(await book.xlsx.writeBuffer());
      const truncated = await upload(admin, whole.subarray(0, Math.floor(whole.length / 2)), { fileName: 'don-vi.xlsx', dryRun: false });
      assert.equal(truncated.statusCode, 400, truncated.body);
      assert.equal(truncated.json().code, 'FILE_TYPE');

      // A zip bomb: a small file whose directory declares 250 MB once unpacked is refused unread.
      const bomb = Buffer.from(whole);
      const entry = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      bomb.writeUInt32LE(250 * 1024 * 1024, entry + 24);
      const bombAnswer = await upload(admin, bomb, { fileName: 'don-vi.xlsx', dryRun: false });
      assert.equal(bombAnswer.statusCode, 413, bombAnswer.body);
      assert.equal(bombAnswer.json().code, 'FILE_TOO_LARGE');

      assert.equal(await unitCount(), before);
    });

    test('given a district administrator, when a row names a parent or a unit outside the district, then that row is reported and nothing written', async () => {
      const before = await unitCount();
      const outsideParent = await upload(districtAdmin, csv('SC-IN,Xã Trong Phạm Vi,commune,HD-NS,,', 'SC-OUT,Xã Ngoài Phạm Vi,commune,HD-TK,,'), { dryRun: false });
      assert.equal(outsideParent.statusCode, 200, outsideParent.body);
      assert.deepEqual(outsideParent.json().errors, [{ row: 3, message: 'đơn vị cấp trên "HD-TK" nằm ngoài phạm vi quản trị của bạn' }]);
      // An existing unit outside the district, moved under a unit inside it.
      const outsideUnit = await upload(districtAdmin, csv('HD-TK,Huyện Tứ Kỳ,district,HD-NS,,'), { dryRun: false });
      assert.deepEqual(outsideUnit.json().errors, [{ row: 2, message: 'đơn vị "HD-TK" đã có và nằm ngoài phạm vi quản trị của bạn' }]);
      assert.equal(await unitCount(), before);
      assert.deepEqual(await unitsLike('SC-'), []);

      const inScope = await upload(districtAdmin, csv('SC-IN,Xã Trong Phạm Vi,commune,HD-NS,,'), { dryRun: false });
      assert.deepEqual(inScope.json(), { dryRun: false, total: 1, created: 1, updated: 0, errors: [] });
    });

    test('given a caller who may not import, or no file, or a wrong header, when importing, then each gets its own clear refusal', async () => {
      const byOfficer = await upload(officer, goodFile, { dryRun: true });
      assert.equal(byOfficer.statusCode, 403);
      const noFile = await admin.request({ method: 'POST', url: '/api/v1/org-units/import?dryRun=true', payload: {} });
      assert.equal(noFile.statusCode, 400);
      assert.equal(noFile.json().code, 'FILE_REQUIRED');
      const badHeader = await upload(admin, 'ma,ten,loai\r\nA,B,commune\r\n', { dryRun: true });
      assert.equal(badHeader.statusCode, 400);
      assert.equal(badHeader.json().code, 'IMPORT_BAD_HEADER');
      const empty = await upload(admin, `${HEADER}\r\n`, { dryRun: true });
      assert.equal(empty.statusCode, 400);
      assert.equal(empty.json().code, 'IMPORT_EMPTY');
      const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/org-units/import', payload: {} });
      assert.equal(anonymous.statusCode, 401);
    });
  });
}
