import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError, badRequest } from '../../../platform/errors/errors.js';
import type { CsvRow } from './csv.js';

// The rows of a workbook's first sheet, streamed (exceljs' WorkbookReader) so that a million-row
// .xlsx is never held whole in memory, each cell turned into the text a CSV would have held.

const BATCH = 1000;

/** The first sheet's rows in batches, each with its Excel row number; empty rows are not emitted. */
export async function* readXlsxRows(input: Readable): AsyncGenerator<CsvRow[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // a cell's number format says whether its number is a date
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let batch: CsvRow[] = [];
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells = new Array<string>(Math.max(0, values.length - 1));
        for (let i = 1; i < values.length; i++) cells[i - 1] = cellText(values[i]);
        batch.push({ line: row.number, cells });
        if (batch.length === BATCH) {
          yield batch;
          batch = [];
        }
      }
      break; // the first sheet only
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw badRequest('FILE_TYPE', 'Tệp .xlsx bị hỏng hoặc không phải bảng tính Excel. Hãy mở và lưu lại bằng Excel, hoặc xuất ra CSV (UTF-8).');
  }
  if (batch.length) yield batch;
}

/**
 * A cell's value as text: a date as its Vietnamese wall-clock time (exceljs gives Excel's
 * wall-clock time as if it were UTC), a formula as its result, rich text joined.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return wallClock(value);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (v.richText) return v.richText.map((part) => part.text).join('');
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error) return v.error;
  }
  return String(value);
}

/** 'yyyy-mm-dd' or 'yyyy-mm-dd hh:mm:ss', rounded to the second (Excel stores days as fractions). */
function wallClock(date: Date): string {
  const rounded = new Date(Math.round(date.getTime() / 1000) * 1000);
  const iso = rounded.toISOString();
  const time = iso.slice(11, 19);
  return time === '00:00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time}`;
}
