import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface XlsxColumn<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | boolean | Date | null | undefined;
  /** Excel number format, e.g. 'dd/mm/yyyy' or '#,##0'. */
  format?: string;
}

/** One sheet with a bold, frozen header row; dates shown dd/mm/yyyy as Vietnamese users read them. */
export async function toXlsx<T>(sheetName: string, columns: XlsxColumn<T>[], rows: T[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Điều Hành';
  const sheet = book.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width ?? 18,
    style: c.format ? { numFmt: c.format } : undefined,
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    sheet.addRow(columns.map((c) => c.value(row) ?? null));
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Timestamps in the sheet are shown as Vietnam's wall-clock time. */
export function vnDateTime(d: Date | null | undefined): Date | null {
  if (!d) return null;
  // Excel has no time zones: shift to UTC+7 so the cell shows the time a Vietnamese reader expects.
  return new Date(d.getTime() + 7 * 3600_000);
}

/** Sends a workbook as the download `fileName`.xlsx (the name without its extension, ASCII), kept by no cache. */
export function sendXlsx(reply: FastifyReply, fileName: string, workbook: Buffer) {
  return reply
    .header('content-type', XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${fileName}.xlsx"`)
    .header('cache-control', 'no-store')
    .send(workbook);
}
