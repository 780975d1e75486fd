import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';

import { XLSX_TYPE } from '../../src/platform/http/xlsx.js';

export { XLSX_TYPE };

/**
 * The first sheet of an .xlsx download as rows of cell text, header row first. Fails when the
 * response is not an .xlsx file (wrong content type, or not a zip).
 */
export async function readXlsx(res: LightMyRequestResponse): Promise<string[][]> {
  if (res.statusCode !== 200) throw new Error(`export failed: ${res.statusCode} ${res.body}`);
  if (!String(res.headers['content-type']).startsWith(XLSX_TYPE)) throw new Error(`not an xlsx: ${res.headers['content-type']}`);
  const data = res.rawPayload;
  if (data.subarray(0, 2).toString('latin1') !== 'PK') throw new Error('an .xlsx file starts with PK (it is a zip)');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as unknown as ArrayBuffer);
  const sheet = book.worksheets[0];
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : v instanceof Date ? v.toISOString() : String(v))));
  });
  return rows;
}

/** A multipart/form-data body with one file field, for `inject`. */
export function multipartFile(field: string, fileName: string, content: string | Buffer, type = 'text/csv') {
  const boundary = `----dieuhanh-test-${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
