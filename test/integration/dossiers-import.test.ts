import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { HEADER, csvText, dossierRow as fileRow, xlsxBytes } from '../../src/modules/dossiers/import/fixtures.js';
import { tcvn3, utf8, utf16, windows1258 } from '../../src/platform/files/text-fixtures.js';
import { type TestApp, buildTestApp } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { FIXTURE_PROCEDURE, FIXTURE_PROCEDURE_2, FIXTURE_UNIT_B, type IngestLocality, ingestLocality, runImport, storedDossiers, upload } from '../helpers/dossier-ingest.js';
import { readXlsx } from '../helpers/xlsx.js';

/**
 * The file import of dossiers (a one-stop system's export) through its routes: upload, mapping,
 * dry run with every bad row reported, the import in one transaction, idempotent by (source,
 * code); the procedure catalogue and the sources it depends on.
 */

const vnTime = (d: string) => new Date(`${d.slice(6, 10)}-${d.slice(3, 5)}-${d.slice(0, 2)}T${d.slice(11) || '00:00'}:00+07:00`);

for (const kind of await testBackends()) {
  describe(`dossier file import on ${kind}`, () => {
    let t: TestApp;
    let L: IngestLocality;
    before(async () => {
      t = await buildTestApp(kind);
      L = await ingestLocality(t, 'DI');
    });
    after(() => t.close());

    const count = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM dossiers WHERE source_id = ${L.sourceId}`.execute(t.db)).rows[0].n);

    test('the catalogue: the locality’s administrators edit it, a district’s administrator cannot, staff read it; each change is audited', async () => {
      const id = L.procedureIds.get(FIXTURE_PROCEDURE)!;
      assert.equal((await L.adminA.patch(`/api/v1/dossiers/procedures/${id}`, { name: 'Sửa' })).statusCode, 403);
      assert.equal((await L.adminA.post('/api/v1/dossiers/procedures', { code: 'X.1', name: 'Mới', level: 'commune' })).statusCode, 403);
      assert.equal((await L.officerA.post(`/api/v1/dossiers/procedures/${id}/deactivate`)).statusCode, 403);
      const taken = await L.root.post('/api/v1/dossiers/procedures', { code: FIXTURE_PROCEDURE.toLowerCase(), name: 'Trùng', level: 'commune' });
      assert.deepEqual([taken.statusCode, taken.json().code], [409, 'PROCEDURE_CODE_TAKEN']);

      const edited = await L.root.patch(`/api/v1/dossiers/procedures/${id}`, { name: 'Đăng ký khai sinh', online: 'full', effectiveOn: '2026-01-01' });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.deepEqual([edited.json().name, edited.json().online, edited.json().processingDays], ['Đăng ký khai sinh', 'full', 3]);
      assert.equal((await L.root.post(`/api/v1/dossiers/procedures/${id}/deactivate`)).json().active, false);
      assert.equal((await L.root.post(`/api/v1/dossiers/procedures/${id}/activate`)).json().active, true);

      const list = await L.officerA.get('/api/v1/dossiers/procedures?q=khai%20sinh&sort=-name');
      assert.equal(list.statusCode, 200, list.body);
      assert.deepEqual(list.json().items.map((p: { code: string }) => p.code), [FIXTURE_PROCEDURE]);
      const sheet = await readXlsx(await L.officerA.get('/api/v1/dossiers/procedures?format=xlsx'));
      assert.equal(sheet[0][0], 'Mã thủ tục');
      assert.equal(sheet.length, 3, 'the header and both procedures');

      const audit = await t.db.selectFrom('audit_log').select(['action', 'entity_id']).where('module', '=', 'dossiers').where('entity_type', '=', 'dossier_procedure').execute();
      for (const action of ['procedure.create', 'procedure.update', 'procedure.deactivate', 'procedure.activate']) {
        assert.ok(audit.some((a) => a.action === action && (action === 'procedure.create' || a.entity_id === String(id))), `${action} audited`);
      }
    });

    test('sources: created and edited by the locality’s administrators, one key per source', async () => {
      assert.equal((await L.adminA.post('/api/v1/dossiers/sources', { code: 'KHAC', name: 'Khác' })).statusCode, 403);
      const other = await L.root.post('/api/v1/dossiers/sources', { code: 'DI_KHAC', name: 'Một cửa khác' });
      assert.equal(other.statusCode, 201, other.body);
      const keyOfA = (await L.root.get(`/api/v1/dossiers/sources/${L.sourceId}`)).json().apiKeyId;
      const taken = await L.root.patch(`/api/v1/dossiers/sources/${other.json().id}`, { apiKeyId: keyOfA });
      assert.deepEqual([taken.statusCode, taken.json().code], [409, 'API_KEY_TAKEN']);
      assert.equal((await L.root.post(`/api/v1/dossiers/sources/${other.json().id}/deactivate`)).json().active, false);
      const listed = await L.officerA.get('/api/v1/dossiers/sources?active=true');
      assert.deepEqual(listed.json().items.map((s: { id: number }) => s.id), [L.sourceId]);
      // An inactive source takes no file.
      const refused = await upload(L.root, other.json().id, 'x.csv', utf8(csvText([[...HEADER], fileRow()])));
      assert.deepEqual([refused.statusCode, refused.json().code], [409, 'SOURCE_INACTIVE']);
    });

    test('upload: the header, the suggested mapping and the first rows; an officer may not import', async () => {
      const csv = utf8(csvText([[...HEADER], fileRow(), fileRow({ 'Mã hồ sơ': 'UP-2' })]));
      assert.equal((await upload(L.officerA, L.sourceId, 'ho-so.csv', csv)).statusCode, 403);
      const res = await upload(L.adminA, L.sourceId, 'ho-so.csv', csv);
      assert.equal(res.statusCode, 201, res.body);
      const { import: imp, sample, mappingProblems } = res.json();
      assert.deepEqual([imp.state, imp.format, imp.encoding, imp.fileName, imp.orgUnitId], ['uploaded', 'csv', 'utf-8', 'ho-so.csv', L.districtA.id]);
      assert.deepEqual(imp.header, [...HEADER]);
      assert.equal(imp.mapping.columns.code, 0);
      assert.equal(imp.fields.find((f: { field: string }) => f.field === 'receivedAt').header, 'Ngày tiếp nhận');
      assert.deepEqual(sample.map((s: { line: number }) => s.line), [2, 3]);
      assert.deepEqual(mappingProblems, []);

      // A mapping that lacks a required field is refused before anything runs.
      const { code: _, ...columns } = imp.mapping.columns;
      const bad = await L.adminA.post(`/api/v1/dossiers/imports/${imp.id}/check`, { mapping: { headerLine: 1, columns } });
      assert.deepEqual([bad.statusCode, bad.json().code], [400, 'IMPORT_MAPPING']);
      // Not a spreadsheet at all.
      const png = await upload(L.adminA, L.sourceId, 'anh.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
      assert.deepEqual([png.statusCode, png.json().code], [400, 'FILE_TYPE']);
    });

    const badFile = () =>
      csvText([
        [...HEADER],
        fileRow({ 'Mã hồ sơ': 'BAD-OK-1' }), // 2: valid
        fileRow({ 'Mã hồ sơ': 'BAD-3', 'Mã thủ tục': '9.999999.000.00.00.H23' }), // 3: unknown procedure
        fileRow({ 'Mã hồ sơ': 'BAD-4', 'Trạng thái': 'Tạm dừng' }), // 4: not one of the ten statuses
        fileRow({ 'Mã hồ sơ': 'BAD-5', 'Ngày yêu cầu bổ sung': '07/03/2026 10:00', 'Ngày bổ sung': '06/03/2026 09:00' }), // 5: answered before asked
        fileRow({ 'Mã hồ sơ': 'BAD-6', 'Ngày hẹn trả': '01/03/2026' }), // 6: promised before received
        fileRow({ 'Mã hồ sơ': 'BAD-OK-1', 'Phí, lệ phí': '70.000' }), // 7: the same dossier as line 2 with other data
        fileRow({ 'Mã hồ sơ': 'BAD-OK-1' }), // 8: line 2 again, exactly
        fileRow({ 'Mã hồ sơ': 'BAD-9', 'Trạng thái': 'Đã xử lý xong', 'Thời điểm trạng thái': '', 'Ngày có kết quả': '', 'Ngày trả kết quả': '' }), // 9: ended when?
        fileRow({ 'Mã hồ sơ': 'BAD-10', 'Mã thủ tục': FIXTURE_PROCEDURE_2, 'Ngày hẹn trả': '' }), // 10: no deadline at all
        fileRow({ 'Mã hồ sơ': 'BAD-11', 'Đơn vị tiếp nhận': FIXTURE_UNIT_B }), // 11: district B's commune
        fileRow({ 'Mã hồ sơ': 'BAD-OK-12', 'Trạng thái': 'Đang xử lý', 'Thời điểm trạng thái': '06/03/2026 09:00', 'Ngày có kết quả': '', 'Ngày trả kết quả': '' }), // 12: valid
      ]);

    test('the dry run reports every bad row with its line, field and reason, writes no dossier, and exports the problems', async () => {
      const up = (await upload(L.adminA, L.sourceId, 'loi.csv', utf8(badFile()))).json().import;
      const checked = await runImport(L.adminA, up.id, 'check');
      assert.equal(checked.state, 'checked', JSON.stringify(checked));
      assert.deepEqual(
        [checked.rowsRead, checked.rowsOk, checked.rowsBad, checked.rowsWarned],
        [11, 2, 8, 1],
        JSON.stringify(checked),
      );
      const problems = (await L.adminA.get(`/api/v1/dossiers/imports/${up.id}/problems?pageSize=100`)).json().items as { line: number; field: string; code: string; severity: string; otherLine: number | null; message: string }[];
      const at = (line: number) => problems.filter((p) => p.line === line).map((p) => `${p.field}:${p.code}`);
      assert.deepEqual(at(3), ['procedureCode:UNKNOWN_PROCEDURE']);
      assert.deepEqual(at(4), ['status:INVALID_STATUS']);
      assert.deepEqual(at(5), ['supplementAnsweredAt:DATE_ORDER']);
      assert.deepEqual(at(6), ['promisedReturnDate:DATE_ORDER']);
      assert.deepEqual(at(7), ['code:DUPLICATE_CONFLICT']);
      assert.equal(problems.find((p) => p.line === 7)?.otherLine, 2);
      assert.deepEqual(
        problems.filter((p) => p.line === 8).map((p) => [p.code, p.severity]),
        [['DUPLICATE_REPEAT', 'warning']],
      );
      assert.deepEqual(at(9), ['statusAt:STATUS_TIME_MISSING']);
      assert.deepEqual(at(10), ['promisedReturnDate:NO_DEADLINE']);
      assert.deepEqual(at(11), ['receivingUnitCode:UNIT_OUT_OF_SCOPE']);
      for (const p of problems) assert.ok(p.message.length > 10 && /[àáảãạăâđêôơư]/i.test(p.message), `a Vietnamese reason: ${p.message}`);
      assert.equal(await count(), 0, 'a dry run writes no dossier');

      const sheet = await readXlsx(await L.adminA.get(`/api/v1/dossiers/imports/${up.id}/problems?format=xlsx`));
      assert.deepEqual(sheet[0].slice(0, 3), ['Dòng', 'Trường', 'Mức độ']);
      assert.equal(sheet.length, problems.length + 1);
      assert.ok(sheet.some((row) => row[0] === '3' && row[4].includes('9.999999.000.00.00.H23')));
      const errorsOnly = await L.adminA.get(`/api/v1/dossiers/imports/${up.id}/problems?severity=error`);
      assert.equal(errorsOnly.json().total, problems.length - 1);
    });

    test('an import with bad rows writes nothing, unless told to leave them out; then only the valid rows', async () => {
      const up = (await upload(L.adminA, L.sourceId, 'loi.csv', utf8(badFile()))).json().import;
      const refused = await runImport(L.adminA, up.id, 'run');
      assert.deepEqual([refused.state, refused.errorCode, refused.rowsCreated], ['failed', 'IMPORT_HAS_ERRORS', 0]);
      assert.equal(await count(), 0);

      const done = await runImport(L.adminA, up.id, 'run', { skipInvalid: true });
      assert.equal(done.state, 'imported', JSON.stringify(done));
      assert.deepEqual([done.rowsCreated, done.rowsUpdated, done.rowsUnchanged, done.rowsBad], [2, 0, 0, 8]);
      const stored = await storedDossiers(t.db, L.sourceId);
      assert.deepEqual([...stored.keys()], ['BAD-OK-1', 'BAD-OK-12']);
      // Line 2: received Thu 5 March 08:15, promised Thu 12, processed Tue 10 17:00, returned Wed 11 16:00.
      const d = stored.get('BAD-OK-1')!;
      assert.deepEqual(
        { status: d.status, statusAt: d.status_at, endedAt: d.ended_at, endedStatus: d.ended_status, dueOn: d.due_on, overdueFrom: d.overdue_from, fee: d.fee, importId: d.import_id },
        { status: 10, statusAt: vnTime('11/03/2026 16:00'), endedAt: vnTime('10/03/2026 17:00'), endedStatus: 9, dueOn: '2026-03-12', overdueFrom: null, fee: '50000', importId: up.id },
      );
      assert.deepEqual(d.event_statuses, [10, 9], 'the returned status once (its time given twice), and the processed one');
      assert.equal(stored.get('BAD-OK-12')!.status, 4);
      const audit = await t.db.selectFrom('audit_log').select(['action', 'after']).where('entity_type', '=', 'dossier_import').where('entity_id', '=', String(up.id)).execute();
      assert.ok(audit.some((a) => a.action === 'import'), 'the import is audited');
    });

    test('a file imported twice changes nothing; a later file of the same dossiers merges their history', async () => {
      const first = csvText([
        [...HEADER],
        fileRow({ 'Mã hồ sơ': 'TWICE-1', 'Trạng thái': 'Đang xử lý', 'Thời điểm trạng thái': '06/03/2026 09:00', 'Ngày có kết quả': '', 'Ngày trả kết quả': '' }),
        fileRow({ 'Mã hồ sơ': 'TWICE-2' }),
      ]);
      const a = (await upload(L.adminA, L.sourceId, 'lan-1.csv', utf8(first))).json().import;
      const once = await runImport(L.adminA, a.id, 'run');
      assert.deepEqual([once.state, once.rowsCreated], ['imported', 2]);
      const before = await storedDossiers(t.db, L.sourceId);

      const b = (await upload(L.adminA, L.sourceId, 'lan-1-nua.csv', utf8(first))).json().import;
      const again = await runImport(L.adminA, b.id, 'run');
      assert.deepEqual([again.state, again.rowsCreated, again.rowsUpdated, again.rowsUnchanged], ['imported', 0, 0, 2]);
      const afterAgain = await storedDossiers(t.db, L.sourceId);
      for (const code of ['TWICE-1', 'TWICE-2']) {
        assert.deepEqual(afterAgain.get(code), before.get(code), `${code} untouched, its updated_at and import included`);
      }

      // The next export has TWICE-1 returned: its history keeps "in process" and gains the ending.
      const later = csvText([[...HEADER], fileRow({ 'Mã hồ sơ': 'TWICE-1' }), fileRow({ 'Mã hồ sơ': 'TWICE-2' })]);
      const c = (await upload(L.adminA, L.sourceId, 'lan-2.csv', utf8(later))).json().import;
      const merged = await runImport(L.adminA, c.id, 'run');
      assert.deepEqual([merged.rowsCreated, merged.rowsUpdated, merged.rowsUnchanged], [0, 1, 1]);
      const one = (await storedDossiers(t.db, L.sourceId)).get('TWICE-1')!;
      assert.deepEqual(one.event_statuses, [4, 10, 9]);
      assert.deepEqual([one.status, one.ended_status, one.import_id], [10, 9, c.id]);
      // The handler and the portal-sync and reuse flags come from the file too; the lists show the handler.
      assert.deepEqual([one.handler, one.synced, one.reused_data], ['Nguyễn Thị Lan', true, false]);
      const listed = await L.adminA.get('/api/v1/dossiers?q=TWICE-1');
      assert.deepEqual(listed.json().items.map((x: { code: string; handler: string | null }) => [x.code, x.handler]), [['TWICE-1', 'Nguyễn Thị Lan']]);

      // The older file once more: everything in it is known already.
      const d = (await upload(L.adminA, L.sourceId, 'lan-1-lan-3.csv', utf8(first))).json().import;
      const old = await runImport(L.adminA, d.id, 'run');
      assert.deepEqual([old.rowsCreated, old.rowsUpdated, old.rowsUnchanged], [0, 0, 2]);
    });

    test('UTF-16 is read; Windows-1258 is read as Vietnamese, never as mojibake; TCVN3 is refused with the reason', async () => {
      const rows = (code: string) => csvText([[...HEADER], fileRow({ 'Mã hồ sơ': code, 'Đánh giá': 'Rất hài lòng' })]);
      for (const [name, bytes] of [
        ['utf16le', utf16(rows('ENC-16LE'), 'le', true)],
        ['utf16be', utf16(rows('ENC-16BE'), 'be', true)],
        ['windows-1258', windows1258(rows('ENC-1258'))],
      ] as const) {
        const res = await upload(L.adminA, L.sourceId, `${name}.csv`, bytes);
        if (res.statusCode === 400) {
          assert.equal(res.json().code, 'FILE_ENCODING', `${name}: ${res.body}`);
          continue;
        }
        assert.equal(res.statusCode, 201, `${name}: ${res.body}`);
        assert.deepEqual(res.json().import.header, [...HEADER], `${name}: the header read as written`);
        const done = await runImport(L.adminA, res.json().import.id, 'run');
        assert.deepEqual([done.state, done.rowsCreated, done.rowsBad], ['imported', 1, 0], `${name}: ${JSON.stringify(done)}`);
      }
      const stored = await storedDossiers(t.db, L.sourceId);
      assert.ok(stored.has('ENC-16LE') && stored.has('ENC-16BE'));
      const rating = await sql<{ rating: string }>`SELECT rating FROM dossiers WHERE code LIKE 'ENC-%'`.execute(t.db);
      assert.ok(rating.rows.every((r) => r.rating === 'very_satisfied'));

      const legacy = await upload(L.adminA, L.sourceId, 'tcvn3.csv', tcvn3(`Mã hồ sơ,Đơn vị tiếp nhận,Ngày tiếp nhận\r\nA,B,05/03/2026\r\n`));
      assert.deepEqual([legacy.statusCode, legacy.json().code], [400, 'FILE_ENCODING']);
      assert.match(legacy.json().message, /UTF-8/);
    });

    test('an .xlsx is imported as its CSV would be', async () => {
      const book = await xlsxBytes([[...HEADER], fileRow({ 'Mã hồ sơ': 'XLSX-1' })]);
      const res = await upload(L.adminA, L.sourceId, 'ho-so.xlsx', book, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().import.format, 'xlsx');
      const done = await runImport(L.adminA, res.json().import.id, 'run');
      assert.deepEqual([done.state, done.rowsCreated], ['imported', 1]);
      assert.equal((await storedDossiers(t.db, L.sourceId)).get('XLSX-1')?.due_on, '2026-03-12');
    });

    test('imports are seen by their unit’s importers only, and listed with paging and export', async () => {
      const mine = await L.adminA.get('/api/v1/dossiers/imports?pageSize=100');
      assert.equal(mine.statusCode, 200, mine.body);
      assert.ok(mine.json().total >= 5);
      const root = await L.root.get('/api/v1/dossiers/imports?pageSize=100&state=imported');
      assert.ok(root.json().items.every((i: { state: string }) => i.state === 'imported'));
      assert.equal((await L.officerA.get('/api/v1/dossiers/imports')).statusCode, 403);
      const sheet = await readXlsx(await L.adminA.get('/api/v1/dossiers/imports?format=xlsx'));
      assert.equal(sheet[0][0], 'Tệp');
    });
  });
}
