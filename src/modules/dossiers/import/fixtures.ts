// Test factories: dossier rows, and the bytes of a file as each encoding or format writes them.
// Used by the tests beside this file only.

import ExcelJS from 'exceljs';

/** The header a one-stop system's export has, in Vietnamese. */
export const HEADER = [
  'Mã hồ sơ',
  'Mã thủ tục',
  'Đơn vị tiếp nhận',
  'Kênh nộp',
  'Ngày tiếp nhận',
  'Ngày hẹn trả',
  'Trạng thái',
  'Thời điểm trạng thái',
  'Ngày có kết quả',
  'Ngày trả kết quả',
  'Ngày yêu cầu bổ sung',
  'Ngày bổ sung',
  'Phí, lệ phí',
  'Thanh toán trực tuyến',
  'Số hóa',
  'Kết quả điện tử',
  'Đánh giá',
  'Khiếu nại',
  'Cán bộ xử lý',
  'Đồng bộ',
  'Tái sử dụng dữ liệu',
] as const;
export type Column = (typeof HEADER)[number];

export const PROCEDURES = new Set(['1.001234.000.00.00.H23', '2.000456.000.00.00.H23']);
export const UNITS = new Set(['000.00.12.H23', '000.00.31.H23']);
export const LOOKUPS = { procedures: PROCEDURES, units: UNITS };
/** "Now" for the tests: dates after it are in the future. */
export const NOW = new Date('2026-06-01T00:00:00+07:00');

/** A valid returned dossier; `overrides` change cells by column name. */
export function dossierRow(overrides: Partial<Record<Column, string>> = {}): string[] {
  const row: Record<Column, string> = {
    'Mã hồ sơ': 'H23.12-260305-0001',
    'Mã thủ tục': '1.001234.000.00.00.H23',
    'Đơn vị tiếp nhận': '000.00.12.H23',
    'Kênh nộp': '2',
    'Ngày tiếp nhận': '05/03/2026 08:15',
    'Ngày hẹn trả': '12/03/2026',
    'Trạng thái': 'Đã trả kết quả',
    'Thời điểm trạng thái': '11/03/2026 16:00',
    'Ngày có kết quả': '10/03/2026 17:00',
    'Ngày trả kết quả': '11/03/2026 16:00',
    'Ngày yêu cầu bổ sung': '',
    'Ngày bổ sung': '',
    'Phí, lệ phí': '50.000',
    'Thanh toán trực tuyến': 'Có',
    'Số hóa': 'x',
    'Kết quả điện tử': '1',
    'Đánh giá': 'Hài lòng',
    'Khiếu nại': 'Không',
    'Cán bộ xử lý': 'Nguyễn Thị Lan',
    'Đồng bộ': 'Có',
    'Tái sử dụng dữ liệu': 'Không',
    ...overrides,
  };
  return HEADER.map((column) => row[column]);
}

/** Rows as CSV text (RFC 4180 quoting), CRLF between lines as Excel writes them. */
export function csvText(rows: readonly (readonly string[])[], delimiter = ','): string {
  const quote = (cell: string) => (/[",;\t\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return `${rows.map((row) => row.map(quote).join(delimiter)).join('\r\n')}\r\n`;
}

/** An .xlsx with one sheet holding these rows; a Date cell is written as Excel's wall-clock date. */
export async function xlsxBytes(rows: readonly (readonly unknown[])[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Hồ sơ');
  for (const row of rows) sheet.addRow([...row]);
  sheet.eachRow((row) =>
    row.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = 'dd/mm/yyyy hh:mm';
    }),
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Excel's wall-clock time as exceljs wants it: the Vietnamese time written as if it were UTC. */
export const excelTime = (local: string) => new Date(`${local}Z`);
