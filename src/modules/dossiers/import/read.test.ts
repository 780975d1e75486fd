import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import type { AppError } from '../../../platform/errors/errors.js';
import type { DossierRecord } from './fields.js';
import { HEADER, LOOKUPS, NOW, csvText, dossierRow, excelTime, xlsxBytes } from './fixtures.js';
import { tcvn3, utf16, utf8, windows1258 } from '../../../platform/files/text-fixtures.js';
import { type DossierFileInput, type ReadOptions, type ReadProgress, inspectDossierFile, readDossierFile } from './read.js';
import type { RowOutcome } from './validate.js';

async function readAll(input: DossierFileInput, options: Partial<ReadOptions> = {}) {
  const reading = readDossierFile(input, { lookups: LOOKUPS, now: NOW, ...options });
  const outcomes: RowOutcome[] = [];
  for await (const outcome of reading) outcomes.push(outcome);
  return { reading, outcomes, records: outcomes.flatMap((o) => ('record' in o ? [o.record] : [])) };
}

const codesOf = (records: DossierRecord[]) => records.map((r) => r.code);
const refused = (code: string) => (error: unknown) => {
  assert.equal((error as AppError).code, code, (error as Error).message);
  return true;
};

/** A small file: three good dossiers, one with a note over two lines, and one bad row. */
const ROWS = [
  [...HEADER],
  dossierRow({ 'Mã hồ sơ': 'HS-1' }),
  dossierRow({ 'Mã hồ sơ': 'HS-2', 'Trạng thái': 'Đang xử lý', 'Ngày có kết quả': '', 'Ngày trả kết quả': '', 'Đánh giá': 'Rất hài lòng' }),
  dossierRow({ 'Mã hồ sơ': 'HS-3', 'Mã thủ tục': '9.999999.000.00.00.H23', 'Ngày trả kết quả': '01/03/2026 10:00' }),
  dossierRow({ 'Mã hồ sơ': 'HS-4', 'Kênh nộp': 'Qua bưu chính' }),
];

describe('a CSV file, row by row', () => {
  test('records and problems, each with its line in the file; totals at the end', async () => {
    const text = csvText(ROWS).replace('HS-2', '"HS-2"').replace('Rất hài lòng', '"Rất hài lòng"');
    const { reading, outcomes, records } = await readAll(utf8(text));
    assert.deepEqual(codesOf(records), ['HS-1', 'HS-2', 'HS-4']);
    assert.deepEqual(outcomes.map((o) => o.line), [2, 3, 4, 5]);
    const bad = outcomes[2];
    assert.ok('problems' in bad);
    assert.deepEqual(bad.problems.map((p) => [p.line, p.field, p.code]), [
      [4, 'procedureCode', 'UNKNOWN_PROCEDURE'],
      [4, 'returnedAt', 'DATE_ORDER'],
      [4, 'returnedAt', 'DATE_ORDER'],
    ]);
    assert.deepEqual(reading.totals, {
      format: 'csv', encoding: 'utf-8', delimiter: ',', headerLine: 1,
      rows: 4, records: 3, invalid: 1, repeats: 0, errors: 3, warnings: 0, blankRows: 0,
      bytesRead: utf8(text).length, complete: true,
    });
    assert.deepEqual(reading.header, [...HEADER]);
  });

  test('a cell spanning lines and blank lines keep the later rows on their real line numbers', async () => {
    const rows = [[...HEADER, 'Ghi chú'], [...dossierRow({ 'Mã hồ sơ': 'HS-1' }), 'dòng 1\ndòng 2\ndòng 3'], HEADER.map(() => ''), [...dossierRow({ 'Mã hồ sơ': 'HS-2', 'Kênh nộp': 'x' }), '']];
    const { outcomes, reading } = await readAll(utf8(csvText(rows)));
    assert.deepEqual(outcomes.map((o) => o.line), [2, 6]);
    assert.equal(reading.totals.blankRows, 1);
  });

  test('semicolons, as Excel writes CSV with Vietnamese regional settings', async () => {
    const { records, reading } = await readAll(utf8(csvText(ROWS, ';'), true));
    assert.equal(reading.totals.delimiter, ';');
    assert.deepEqual(codesOf(records), ['HS-1', 'HS-2', 'HS-4']);
  });

  test('a row that does not line up with the header is one error, not a row of shifted values', async () => {
    const text = csvText(ROWS.slice(0, 2)).concat(`${dossierRow({ 'Mã hồ sơ': 'HS-9' }).join(',').replace('50.000', '50,000')}\r\nHS-10,1\r\n`);
    const { outcomes } = await readAll(utf8(text));
    assert.deepEqual(outcomes.slice(1).map((o) => ('problems' in o ? o.problems.map((p) => [p.line, p.code]) : [])), [[[3, 'ROW_COLUMNS']], [[4, 'ROW_COLUMNS']]]);
    assert.match(('problems' in outcomes[1] && outcomes[1].problems[0].message) || '', /22 ô nhưng tiêu đề có 21 cột/);
  });
});

describe('the same dossiers whatever the encoding, or a clear refusal', () => {
  const expected = (async () => (await readAll(utf8(csvText(ROWS)))).outcomes)();

  test('UTF-16 with a BOM (Excel\'s "Unicode text") and without', async () => {
    for (const [order, bom] of [['le', true], ['be', true], ['le', false]] as const) {
      const { outcomes, reading } = await readAll(utf16(csvText(ROWS), order, bom));
      assert.deepEqual(outcomes, await expected);
      assert.equal(reading.totals.encoding, `utf-16${order}`);
    }
  });

  test('Windows-1258 is decoded to Unicode: the Vietnamese statuses and ratings are read, not mojibake', async () => {
    const { outcomes, reading, records } = await readAll(windows1258(csvText(ROWS)));
    assert.equal(reading.totals.encoding, 'windows-1258');
    assert.deepEqual(outcomes, await expected);
    assert.equal(records[1].status, 'in_process');
    assert.equal(records[1].rating, 'very_satisfied');
  });

  test('TCVN3 is refused, and what was read before the refusal does not count as complete', async () => {
    const bytes = Buffer.concat([utf8(csvText(ROWS.slice(0, 2))), tcvn3('HS-5,Nguyễn Văn Hải\r\n')]);
    const reading = readDossierFile(bytes, { lookups: LOOKUPS, now: NOW });
    await assert.rejects(async () => {
      for await (const _ of reading);
    }, refused('FILE_ENCODING'));
    assert.equal(reading.totals.complete, false);
  });

  test('a picture is named for what it is', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
    await assert.rejects(readAll(png), refused('FILE_TYPE'));
  });
});

describe('an .xlsx file gives the same dossiers as its CSV', () => {
  /** The rows as Excel holds them: dates as date cells, the channel and the fee as numbers. */
  const asExcel = (rows: string[][]) =>
    rows.map((row, i) =>
      i === 0
        ? row
        : row.map((cell, c) => {
            if (/^\d\d\/\d\d\/\d{4} \d\d:\d\d$/.test(cell)) {
              const [d, m, y, time] = cell.split(/[/ ]/);
              return excelTime(`${y}-${m}-${d}T${time}:00`);
            }
            if (c === 3 && /^\d$/.test(cell)) return Number(cell);
            if (c === 12) return Number(cell.replace('.', ''));
            return cell;
          }),
    );

  test('dates in date cells, numbers in number cells, rows numbered as Excel numbers them', async () => {
    const title = ['DANH SÁCH HỒ SƠ TIẾP NHẬN THÁNG 3/2026'];
    const book = await xlsxBytes([title, [], ...asExcel(ROWS)]);
    const { outcomes, reading } = await readAll(book);
    const fromCsv = (await readAll(utf8(csvText(ROWS)))).outcomes;
    assert.equal(reading.totals.format, 'xlsx');
    assert.equal(reading.totals.headerLine, 3);
    assert.deepEqual(outcomes.map((o) => o.line), [4, 5, 6, 7]);
    const shift = (o: RowOutcome) => ('record' in o ? o.record : o.problems.map((p) => [p.field, p.code]));
    assert.deepEqual(outcomes.map(shift), fromCsv.map(shift));
  });

  test('read from a stream, with progress in bytes', async () => {
    const book = await xlsxBytes(asExcel(ROWS));
    const progress: ReadProgress[] = [];
    const { records, reading } = await readAll(Readable.from([book.subarray(0, 100), book.subarray(100)]), { totalBytes: book.length, onProgress: (p) => progress.push(p) });
    assert.deepEqual(codesOf(records), ['HS-1', 'HS-2', 'HS-4']);
    assert.equal(reading.totals.bytesRead, book.length);
    assert.deepEqual(progress.at(-1), { rowsRead: 4, bytesRead: book.length, totalBytes: book.length });
  });

  test('a CSV called .xlsx, and a workbook that is not one, are refused', async () => {
    await assert.rejects(readAll(utf8(csvText(ROWS)), { format: 'xlsx' }), refused('FILE_TYPE'));
    await assert.rejects(readAll(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)])), refused('FILE_TYPE'));
    await assert.rejects(readAll(await xlsxBytes(asExcel(ROWS)), { format: 'csv' }), refused('FILE_TYPE'));
  });
});

describe('the header and the mapping', () => {
  test('without a mapping, a required column the header does not name stops the file before any row', async () => {
    const rows = ROWS.map((r) => r.filter((_, c) => c !== 4)); // no "Ngày tiếp nhận"
    await assert.rejects(readAll(utf8(csvText(rows))), (error: AppError) => {
      assert.equal(error.code, 'IMPORT_MAPPING');
      assert.match(error.message, /Ngày tiếp nhận/);
      assert.deepEqual((error.details as { field: string }[]).map((p) => p.field), ['receivedAt']);
      return true;
    });
  });

  test('the mapping the user corrected is used as given, at its header line', async () => {
    const rows = [['Báo cáo của UBND xã'], ['Số', 'Thủ tục', 'Nơi nhận', 'Cách nộp', 'Nhận lúc', 'Tình trạng'], ['HS-1', '1.001234.000.00.00.H23', '000.00.12.H23', '1', '05/03/2026 08:15', '4']];
    const mapping = { headerLine: 2, columns: { code: 0, procedureCode: 1, receivingUnitCode: 2, channel: 3, receivedAt: 4, status: 5 } };
    const { records, reading } = await readAll(utf8(csvText(rows)), { mapping });
    assert.deepEqual(codesOf(records), ['HS-1']);
    assert.deepEqual(reading.mapping, mapping);
    await assert.rejects(readAll(utf8(csvText(rows)), { mapping: { ...mapping, headerLine: 5 } }), refused('IMPORT_BAD_HEADER'));
    await assert.rejects(readAll(utf8(csvText(rows)), { mapping: { ...mapping, columns: { ...mapping.columns, status: 9 } } }), refused('IMPORT_MAPPING'));
  });

  test('inspecting a file suggests the mapping and shows the first rows, without reading the rest', async () => {
    const rows = [['Danh sách hồ sơ'], ...ROWS, ...Array.from({ length: 50 }, (_, i) => dossierRow({ 'Mã hồ sơ': `HS-${i + 10}` }))];
    const inspection = await inspectDossierFile(utf8(csvText(rows), true), { sampleRows: 2 });
    assert.equal(inspection.format, 'csv');
    assert.equal(inspection.encoding, 'utf-8');
    assert.equal(inspection.headerLine, 2);
    assert.deepEqual(inspection.problems, []);
    assert.equal(inspection.mapping.columns.receivedAt, 4);
    assert.equal(inspection.fields.find((f) => f.field === 'status')?.header, 'Trạng thái');
    assert.deepEqual(inspection.sample.map((r) => [r.line, r.cells[0]]), [[3, 'HS-1'], [4, 'HS-2']]);
  });

  test('an empty file, or a header without rows', async () => {
    await assert.rejects(readAll(utf8('')), refused('IMPORT_EMPTY'));
    await assert.rejects(readAll(utf8(csvText([[...HEADER]]))), refused('IMPORT_EMPTY'));
  });
});

describe('large files', () => {
  const big = (n: number) => utf8(csvText([[...HEADER], ...Array.from({ length: n }, (_, i) => dossierRow({ 'Mã hồ sơ': `HS-${i}` }))]));

  test('progress is reported as the file is read, up to every byte and row', async () => {
    const file = big(5000);
    const progress: ReadProgress[] = [];
    const chunks = Array.from({ length: Math.ceil(file.length / 65_536) }, (_, i) => file.subarray(i * 65_536, (i + 1) * 65_536));
    await readAll(Readable.from(chunks), { totalBytes: file.length, onProgress: (p) => progress.push(p) });
    assert.ok(progress.length >= chunks.length, `${progress.length} reports`);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].bytesRead >= progress[i - 1].bytesRead && progress[i].rowsRead >= progress[i - 1].rowsRead);
    assert.deepEqual(progress.at(-1), { rowsRead: 5000, bytesRead: file.length, totalBytes: file.length });
  });

  test('a reading stopped halfway is not complete, and the input stream is closed', async () => {
    const file = big(5000);
    const stream = Readable.from(Array.from({ length: 100 }, (_, i) => file.subarray(i * 10_000, (i + 1) * 10_000)));
    const reading = readDossierFile(stream, { lookups: LOOKUPS, now: NOW });
    let seen = 0;
    for await (const _ of reading) if (++seen === 1000) break;
    assert.equal(reading.totals.complete, false);
    assert.ok(reading.totals.rows >= 1000 && reading.totals.rows < 5000);
    assert.ok(stream.destroyed);
  });

  test('more rows than allowed is refused', async () => {
    await assert.rejects(readAll(big(30), { maxRows: 20 }), refused('IMPORT_TOO_LARGE'));
  });

  test('the same dossier twice, far apart in a large file', async () => {
    const rows = [[...HEADER], ...Array.from({ length: 3000 }, (_, i) => dossierRow({ 'Mã hồ sơ': `HS-${i % 2500}` }))];
    rows[2800] = dossierRow({ 'Mã hồ sơ': 'HS-299', 'Kênh nộp': '1' });
    const { reading, outcomes } = await readAll(utf8(csvText(rows)));
    assert.deepEqual({ records: reading.totals.records, repeats: reading.totals.repeats, invalid: reading.totals.invalid }, { records: 2500, repeats: 499, invalid: 1 });
    const conflict = outcomes.find((o) => o.line === 2801);
    assert.ok(conflict && 'problems' in conflict);
    assert.deepEqual(conflict.problems.map((p) => [p.code, p.otherLine]), [['DUPLICATE_CONFLICT', 301]]);
  });
});
