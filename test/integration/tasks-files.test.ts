import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import sharp from 'sharp';
import { type Session, type TestApp, buildTestApp } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';
import { gpsPhoto } from '../helpers/feedback.js';
import { type TaskLocality, clearTask, issueTask, ok, setClock, taskLocality } from '../helpers/tasks.js';
import { multipartFile } from '../helpers/xlsx.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function docxFile(): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Báo cáo tiến độ tuyến đường')] }] }));
}

async function xlsxFile(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Khối lượng').addRow(['Hạng mục', 'Khối lượng']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const pngFile = () => sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366cc' } }).png().toBuffer();

for (const kind of await testBackends()) {
  describe(`task report files on ${kind}`, () => {
    let t: TestApp;
    let l: TaskLocality;
    let taskId: number;
    let otherTaskId: number;
    const today = '2026-02-10';

    before(async () => {
      t = await buildTestApp(kind, { TEST_CLOCK: '1' });
      l = await taskLocality(t, 'tf');
      await setClock(l.as.admin, '2026-02-10T09:00');
      taskId = (await issueTask(l.as.provinceLeader, clearTask(l))).id;
      otherTaskId = (await issueTask(l.as.provinceLeader, clearTask(l, { title: 'Nạo vét kênh tiêu' }))).id;
    });
    after(() => t.close());

    const upload = (who: Session, id: number, name: string, data: Buffer, type = 'application/octet-stream') =>
      who.request({ method: 'POST', url: `/api/v1/tasks/${id}/files`, ...multipartFile('file', name, data, type) });
    const counts = async () =>
      (
        await sql<{ reports: number; files: number; events: number }>`SELECT (SELECT count(*)::int FROM task_reports) AS reports,
          (SELECT count(*)::int FROM task_report_files) AS files, (SELECT count(*)::int FROM task_events) AS events`.execute(t.db)
      ).rows[0];
    const progressOf = async (id: number) => ok(await l.as.provinceLeader.get(`/api/v1/tasks/${id}`)).progress;

    test('files sent, listed in a report, shown in the detail and downloaded under their Vietnamese names', async () => {
      const officer = l.as.nsOfficer;
      const pdf = ok(await upload(officer, taskId, 'Biên bản nghiệm thu đợt 1.pdf', PDF, 'application/pdf'), 201);
      assert.deepEqual({ ...pdf, key: undefined }, { key: undefined, name: 'Biên bản nghiệm thu đợt 1.pdf', size: PDF.length, contentType: 'application/pdf' });
      assert.match(pdf.key, /^[0-9a-f]{64}$/);
      const docx = ok(await upload(officer, taskId, 'Báo cáo tuần.docx', await docxFile()), 201);
      assert.equal(docx.contentType, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      const xlsx = ok(await upload(officer, taskId, 'Khối lượng.xlsx', await xlsxFile()), 201);
      assert.equal(xlsx.contentType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const photo = await gpsPhoto();
      assert.ok((await sharp(photo).metadata()).exif, 'the test photo carries EXIF');
      const jpeg = ok(await upload(officer, taskId, 'Ảnh hiện trường.jpg', photo, 'image/jpeg'), 201);
      assert.equal(jpeg.contentType, 'image/jpeg');
      const png = ok(await upload(officer, taskId, 'Sơ đồ mặt bằng.png', await pngFile(), 'image/png'), 201);
      assert.deepEqual([png.name, png.contentType], ['Sơ đồ mặt bằng.jpg', 'image/jpeg'], 'images are re-encoded as JPEG');

      const sent = [pdf, docx, xlsx, jpeg, png];
      ok(await officer.post(`/api/v1/tasks/${taskId}/reports`, { percent: 40, text: 'Đã thi công 4 km', reportedOn: today, files: sent.map((f) => ({ key: f.key, name: f.name })) }), 201);
      const detail = ok(await l.as.provinceLeader.get(`/api/v1/tasks/${taskId}`));
      const report = detail.reports.at(-1);
      assert.deepEqual(
        report.files.map((f: { name: string; size: number; contentType: string }) => [f.name, f.size, f.contentType]),
        sent.map((f) => [f.name, f.size, f.contentType]),
      );

      const url = (fileId: number, id = taskId, reportId = report.id) => `/api/v1/tasks/${id}/reports/${reportId}/files/${fileId}`;
      // Anyone who reads the task downloads: the issuer's leader as well as the assignee.
      for (const who of [l.as.provinceLeader, officer]) {
        const res = await who.get(url(report.files[0].id));
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.headers['content-type'], 'application/pdf');
        assert.deepEqual(res.rawPayload, PDF);
        assert.equal(
          res.headers['content-disposition'],
          `attachment; filename="Bien ban nghiem thu dot 1.pdf"; filename*=UTF-8''${encodeURIComponent('Biên bản nghiệm thu đợt 1.pdf')}`,
        );
      }
      const image = await l.as.provinceLeader.get(url(report.files[3].id));
      assert.equal(image.statusCode, 200);
      const meta = await sharp(image.rawPayload).metadata();
      assert.equal(meta.format, 'jpeg');
      assert.equal(meta.exif, undefined, 'EXIF (GPS position) dropped');

      // Out of scope: another district's officer sees neither the task nor its files.
      const outside = await l.as.tkOfficer.get(url(report.files[0].id));
      assert.equal(outside.statusCode, 404, outside.body);
      assert.equal(outside.json().code, 'NOT_FOUND');
      // A file reached through another task or another report is not there.
      assert.equal((await l.as.provinceLeader.get(url(report.files[0].id, otherTaskId))).statusCode, 404);
      assert.equal((await l.as.provinceLeader.get(url(report.files[0].id, taskId, report.id + 1000))).statusCode, 404);
      assert.equal((await l.as.provinceLeader.get(url(report.files[4].id + 1000))).statusCode, 404);
    });

    test('a file that is not what its name says, or of a type not taken, is refused with 415 and stores nothing', async () => {
      const before = await counts();
      const text = await upload(l.as.nsOfficer, taskId, 'hop-dong.pdf', Buffer.from('MZ\x90\x00 not a pdf at all'));
      assert.equal(text.statusCode, 415, text.body);
      assert.equal(text.json().code, 'FILE_TYPE_NOT_ALLOWED');
      const renamed = await upload(l.as.nsOfficer, taskId, 'bien-ban.pdf', await pngFile());
      assert.equal(renamed.statusCode, 415, renamed.body);
      assert.equal(renamed.json().code, 'FILE_TYPE_MISMATCH');
      const docxAsXlsx = await upload(l.as.nsOfficer, taskId, 'bang-tinh.xlsx', await docxFile());
      assert.equal(docxAsXlsx.statusCode, 415, docxAsXlsx.body);
      // A report naming a stored file under a name of another type is refused the same way.
      const pdf = ok(await upload(l.as.nsOfficer, taskId, 'a.pdf', PDF), 201);
      const res = await l.as.nsOfficer.post(`/api/v1/tasks/${taskId}/reports`, { percent: 50, text: 'x', reportedOn: today, files: [{ key: pdf.key, name: 'a.docx' }] });
      assert.equal(res.statusCode, 415, res.body);
      assert.deepEqual(await counts(), before);
    });

    test('a file over 10 MB is refused with 413', async () => {
      const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
      const res = await upload(l.as.nsOfficer, taskId, 'lon.pdf', big);
      assert.equal(res.statusCode, 413, res.body);
      assert.equal(res.json().code, 'FILE_TOO_LARGE');
    });

    test('more than 5 files, an unknown key or a refused report leave no report and no file row behind', async () => {
      const progress = await progressOf(taskId);
      const keys = [];
      for (let i = 0; i < 6; i++) {
        const data = Buffer.concat([PDF, Buffer.from(`% ${i}\n`)]);
        keys.push({ key: ok(await upload(l.as.nsOfficer, taskId, `phu-luc-${i}.pdf`, data), 201).key, name: `Phụ lục ${i}.pdf` });
      }
      const before = await counts();
      const tooMany = await l.as.nsOfficer.post(`/api/v1/tasks/${taskId}/reports`, { percent: 60, text: 'x', reportedOn: today, files: keys });
      assert.equal(tooMany.statusCode, 400, tooMany.body);
      assert.equal(tooMany.json().code, 'TOO_MANY_FILES');
      const unknown = await l.as.nsOfficer.post(`/api/v1/tasks/${taskId}/reports`, { percent: 60, text: 'x', reportedOn: today, files: [keys[0], { key: 'f'.repeat(64), name: 'x.pdf' }] });
      assert.equal(unknown.statusCode, 422, unknown.body);
      assert.equal(unknown.json().code, 'FILE_NOT_UPLOADED');
      // The files are fine, the report is not (percent out of range): its transaction writes nothing.
      const bad = await l.as.nsOfficer.post(`/api/v1/tasks/${taskId}/reports`, { percent: 120, text: 'x', reportedOn: today, files: keys.slice(0, 5) });
      assert.equal(bad.statusCode, 422, bad.body);
      assert.deepEqual(await counts(), before);
      assert.equal(await progressOf(taskId), progress);
      // Five is allowed.
      const five = ok(await l.as.nsOfficer.post(`/api/v1/tasks/${taskId}/reports`, { percent: 60, text: 'Năm phụ lục', reportedOn: today, files: keys.slice(0, 5) }), 201);
      assert.equal(five.progress, 60);
      assert.equal((await counts()).files, before.files + 5);
    });

    test('only those who report on the task send files to it', async () => {
      const outside = await upload(l.as.tkOfficer, taskId, 'a.pdf', PDF);
      assert.equal(outside.statusCode, 404, outside.body);
      const notMultipart = await l.as.nsOfficer.post(`/api/v1/tasks/${taskId}/files`, { file: 'x' });
      assert.equal(notMultipart.statusCode, 415, notMultipart.body);
    });
  });
}
