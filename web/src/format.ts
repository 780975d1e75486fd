// Display formats: dd/mm/yyyy, dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh, numbers in vi-VN.

const numberFormat = new Intl.NumberFormat('vi-VN');
const timestampFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : numberFormat.format(value);
}

/** A business date `YYYY-MM-DD` as dd/mm/yyyy (no time zone shift). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : value;
}

/** An ISO timestamp as dd/mm/yyyy HH:mm in Vietnam time. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const parts = Object.fromEntries(timestampFormat.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

/** The server's one Vietnamese folding function ("Giải phóng" → "giai phong"), reused for client-side search. */
export { foldVietnamese as foldText } from '../../src/platform/text/fold';

export const DATE_FORMAT = 'DD/MM/YYYY';
export const API_DATE_FORMAT = 'YYYY-MM-DD';
