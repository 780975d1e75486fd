import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import type { CsvRow } from './csv.js';
import { excelTime, xlsxBytes } from './fixtures.js';
import { cellText, readXlsxRows } from './xlsx.js';

async function rowsOf(bytes: Buffer): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const batch of readXlsxRows(Readable.from([bytes]))) rows.push(...batch);
  return rows;
}

test('cells become the text a CSV would hold', () => {
  assert.equal(cellText(null), '');
  assert.equal(cellText(undefined), '');
  assert.equal(cellText('Đang xử lý'), 'Đang xử lý');
  assert.equal(cellText(50000), '50000');
  assert.equal(cellText(true), 'true');
  assert.equal(cellText(excelTime('2026-03-05T08:15:00')), '2026-03-05 08:15:00');
  assert.equal(cellText(excelTime('2026-03-05T00:00:00')), '2026-03-05');
  // Excel keeps times as fractions of a day: 08:15 may come back a hair early.
  assert.equal(cellText(new Date(excelTime('2026-03-05T08:15:00').getTime() - 0.4)), '2026-03-05 08:15:00');
  assert.equal(cellText({ richText: [{ text: 'Hài ' }, { text: 'lòng' }] }), 'Hài lòng');
  assert.equal(cellText({ formula: 'A1+1', result: 3 }), '3');
  assert.equal(cellText({ text: 'HS-1', hyperlink: 'https://dichvucong.gov.vn' }), 'HS-1');
  assert.equal(cellText({ error: '#N/A' }), '#N/A');
});

test('the first sheet only, each row with its Excel row number, empty rows left out', async () => {
  const book = new ExcelJS.Workbook();
  const first = book.addWorksheet('Hồ sơ');
  first.getCell('A1').value = 'Mã hồ sơ';
  first.getCell('B1').value = 'Ngày tiếp nhận';
  first.getCell('A3').value = 'HS-1';
  first.getCell('B3').value = excelTime('2026-03-05T08:15:00');
  first.getCell('B3').numFmt = 'dd/mm/yyyy hh:mm';
  first.getCell('C4').value = 'chỉ ô C';
  book.addWorksheet('Ghi chú').getCell('A1').value = 'không đọc';
  const rows = await rowsOf(Buffer.from(await book.xlsx.writeBuffer()));
  assert.deepEqual(rows, [
    { line: 1, cells: ['Mã hồ sơ', 'Ngày tiếp nhận'] },
    { line: 3, cells: ['HS-1', '2026-03-05 08:15:00'] },
    { line: 4, cells: ['', '', 'chỉ ô C'] },
  ]);
});

test('rows come in batches that together hold every row', async () => {
  const rows = await rowsOf(await xlsxBytes(Array.from({ length: 2500 }, (_, i) => [`HS-${i}`, i])));
  assert.equal(rows.length, 2500);
  assert.deepEqual(rows.at(-1), { line: 2500, cells: ['HS-2499', '2499'] });
});
