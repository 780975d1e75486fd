import { VIETNAM_OFFSET_MS } from '../../../platform/calendar/businessTime.js';
import { dayNumberFromCivil, daysInMonth } from '../../../platform/calendar/isoDate.js';
import { foldVietnamese } from '../../../platform/text/fold.js';
import { type DossierChannel, type DossierStatus, DOSSIER_STATUSES } from '../rules/statuses.js';
import type { Rating } from './fields.js';

// The value of one cell, read the ways the one-stop systems and Excel write it. Each parser runs a
// million times a file, so dates are read character by character and labels through a cache.

const DAY_MS = 86_400_000;

/**
 * An instant from a wall-clock time in Asia/Ho_Chi_Minh, as ms since 1970; NaN when the text is
 * not one. Accepted: dd/mm/yyyy (also d/m/yyyy, with - or . between), followed by hh:mm or
 * hh:mm:ss; and ISO yyyy-mm-dd, with Thh:mm[:ss[.sss]] or a space before the time, and an
 * optional Z or ±hh:mm offset (then the offset is the file's, not +07:00).
 */
export function parseVnDateTime(text: string): number {
  const n = text.length;
  // The one-stop systems' own layout, dd/mm/yyyy hh:mm, read without the general parser's loops.
  if ((n === 16 || n === 10) && text.charCodeAt(2) === 47 && text.charCodeAt(5) === 47) {
    const day = twoDigits(text, 0);
    const month = twoDigits(text, 3);
    const year = twoDigits(text, 6) * 100 + twoDigits(text, 8);
    const date = civilDay(year, month, day) * DAY_MS - VIETNAM_OFFSET_MS;
    if (n === 10) return date;
    if (text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58) return Number.NaN;
    const hour = twoDigits(text, 11);
    const minute = twoDigits(text, 14);
    return hour <= 23 && minute <= 59 ? date + (hour * 60 + minute) * 60_000 : Number.NaN;
  }
  let r = digitsAt(text, 0, 4);
  if (r < 0) return Number.NaN;
  let i = r & 7;
  const first = r >> 3;
  let year: number;
  let month: number;
  let day: number;
  let iso = false;
  if (i === 4) {
    // yyyy-mm-dd
    if (text.charCodeAt(i) !== 45) return Number.NaN;
    r = digitsAt(text, i + 1, 2);
    if ((r & 7) !== 2 || text.charCodeAt(i + 3) !== 45) return Number.NaN;
    month = r >> 3;
    r = digitsAt(text, i + 4, 2);
    if ((r & 7) !== 2) return Number.NaN;
    day = r >> 3;
    year = first;
    i += 6;
    iso = true;
  } else {
    // d/m/yyyy with the same separator twice
    const sep = text.charCodeAt(i);
    if (i > 2 || (sep !== 47 && sep !== 45 && sep !== 46)) return Number.NaN;
    day = first;
    r = digitsAt(text, i + 1, 2);
    if (r < 0) return Number.NaN;
    i += 1 + (r & 7);
    month = r >> 3;
    if (text.charCodeAt(i) !== sep) return Number.NaN;
    r = digitsAt(text, i + 1, 4);
    if ((r & 7) !== 4) return Number.NaN;
    year = r >> 3;
    i += 5;
  }
  let ms = civilDay(year, month, day) * DAY_MS;
  if (i === n) return ms - VIETNAM_OFFSET_MS;

  const between = text.charCodeAt(i);
  if (between !== 32 && !(iso && between === 84)) return Number.NaN; // ' ' or 'T'
  i++;
  while (text.charCodeAt(i) === 32) i++;
  r = digitsAt(text, i, 2);
  if (r < 0 || text.charCodeAt(i + (r & 7)) !== 58) return Number.NaN;
  const hour = r >> 3;
  i += (r & 7) + 1;
  r = digitsAt(text, i, 2);
  if ((r & 7) !== 2) return Number.NaN;
  const minute = r >> 3;
  i += 2;
  let second = 0;
  if (text.charCodeAt(i) === 58) {
    r = digitsAt(text, i + 1, 2);
    if ((r & 7) !== 2) return Number.NaN;
    second = r >> 3;
    i += 3;
    if (text.charCodeAt(i) === 46) {
      // fractions of a second, kept to the millisecond
      r = digitsAt(text, i + 1, 3);
      if (r < 0) return Number.NaN;
      ms += (r >> 3) * 10 ** (3 - (r & 7));
      i += 1 + (r & 7);
      while (text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return Number.NaN;
  ms += ((hour * 60 + minute) * 60 + second) * 1000;
  if (i === n) return ms - VIETNAM_OFFSET_MS;
  if (!iso) return Number.NaN;
  const zone = text.charCodeAt(i);
  if (zone === 90 && i + 1 === n) return ms; // Z
  if ((zone !== 43 && zone !== 45) || n - i !== 6 || text.charCodeAt(i + 3) !== 58) return Number.NaN;
  const zh = digitsAt(text, i + 1, 2);
  const zm = digitsAt(text, i + 4, 2);
  if ((zh & 7) !== 2 || (zm & 7) !== 2 || zh >> 3 > 14 || zm >> 3 > 59) return Number.NaN;
  const offset = ((zh >> 3) * 60 + (zm >> 3)) * 60_000;
  return zone === 43 ? ms - offset : ms + offset;
}

/** Day numbers of the dates of 2000–2099, each worked out once: a file's dates fall on few days. */
const DAY_NUMBERS = new Int32Array(100 * 12 * 31);

/** The day number (days since 1970-01-01) of a calendar date; NaN when there is no such date. */
function civilDay(year: number, month: number, day: number): number {
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return Number.NaN;
  if (!(year >= 2000 && year < 2100)) return day <= daysInMonth(year, month) ? dayNumberFromCivil(year, month, day) : Number.NaN;
  const key = ((year - 2000) * 12 + month - 1) * 31 + day - 1;
  let number = DAY_NUMBERS[key];
  if (number === 0) {
    number = day <= daysInMonth(year, month) ? dayNumberFromCivil(year, month, day) : -1;
    DAY_NUMBERS[key] = number;
  }
  return number < 0 ? Number.NaN : number;
}

/** The number two digits at `at` make; NaN when either is not a digit. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const units = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : Number.NaN;
}

/** The digits at `from` (at most `max`) as value × 8 + how many; -1 when there is none. */
function digitsAt(text: string, from: number, max: number): number {
  let value = 0;
  let count = 0;
  while (count < max) {
    const d = text.charCodeAt(from + count) - 48;
    if (!(d >= 0 && d <= 9)) break;
    value = value * 10 + d;
    count++;
  }
  return count === 0 ? -1 : value * 8 + count;
}

/** A date written without a time ('05/03/2026', '2026-03-05') is never longer than 10 characters. */
export const isDateOnly = (text: string) => text.length <= 10;

/** The Asia/Ho_Chi_Minh day number (days since 1970-01-01) of an instant in ms. */
export const vnDay = (ms: number) => Math.floor((ms + VIETNAM_OFFSET_MS) / DAY_MS);

/** Fees repeat (a procedure has one or two), so each distinct text is read once. */
const feeCache = new Map<string, number>();

/**
 * An amount in đồng: 50000, 50.000, 50,000, 50 000, with đ, ₫, VND or VNĐ after it; a fraction is
 * allowed only when it is zero (50000.00). NaN for anything else, including negative amounts.
 */
export function parseFee(text: string): number {
  const hit = feeCache.get(text);
  if (hit !== undefined) return hit;
  const value = readFee(text);
  if (feeCache.size < 10_000) feeCache.set(text, value);
  return value;
}

function readFee(text: string): number {
  let s = text;
  const unit = /\s*(?:đ|₫|vn[dđ])$/i.exec(s);
  if (unit) s = s.slice(0, unit.index);
  if (/^\d+$/.test(s)) return Number(s);
  const grouped = /^(\d{1,3}(?:([.,\s])\d{3})(?:\2\d{3})*)(?:([.,])(0{1,2}))?$/.exec(s);
  if (grouped && grouped[3] !== grouped[2]) return Number(grouped[1].replace(/[.,\s]/g, ''));
  const fraction = /^(\d+)[.,]0{1,2}$/.exec(s);
  return fraction ? Number(fraction[1]) : Number.NaN;
}

const NOT_A_LABEL = Symbol('not a label');

/**
 * A reader of labelled values (statuses, channels, yes/no…): the label folded (no diacritics, no
 * punctuation, lower case) and looked up. A file repeats a handful of labels a million times, so
 * each distinct text is folded once.
 */
export function labelReader<T>(entries: Record<string, T>): (text: string) => T | undefined {
  const byFolded = new Map(Object.entries(entries).map(([label, value]) => [foldLabel(label), value]));
  const cache = new Map<string, T | typeof NOT_A_LABEL>();
  return (text) => {
    const hit = cache.get(text);
    if (hit !== undefined) return hit === NOT_A_LABEL ? undefined : (hit as T);
    const value = byFolded.get(foldLabel(text));
    if (cache.size < 10_000) cache.set(text, value === undefined ? NOT_A_LABEL : value);
    return value;
  };
}

/** A header or label reduced to lower-case ASCII words: "Phí, lệ phí (đồng)" → "phi le phi dong". */
export function foldLabel(text: string): string {
  return foldVietnamese(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const BOOLEAN_LABELS: Record<string, boolean> = {
  có: true, x: true, '1': true, yes: true, y: true, true: true, đúng: true, 'đã': true, 'rồi': true,
  không: false, k: false, '0': false, no: false, n: false, false: false, sai: false, chưa: false,
};

/** yes/no: có/không, x, 1/0, yes/no, true/false (Excel's TRUE/FALSE), đúng/sai, đã/chưa. */
export const parseBoolean = labelReader(BOOLEAN_LABELS);

const STATUS_NAMES: Record<string, number> = {
  'Mới đăng ký': 1, 'Đăng ký mới': 1,
  'Được tiếp nhận': 2, 'Đã tiếp nhận': 2, 'Tiếp nhận': 2,
  'Không được tiếp nhận': 3, 'Không tiếp nhận': 3, 'Từ chối tiếp nhận': 3,
  'Đang xử lý': 4, 'Đang giải quyết': 4,
  'Yêu cầu bổ sung giấy tờ': 5, 'Yêu cầu bổ sung': 5, 'Bổ sung hồ sơ': 5, 'Chờ bổ sung': 5,
  'Yêu cầu thực hiện nghĩa vụ tài chính': 6, 'Yêu cầu thanh toán': 6, 'Chờ thanh toán': 6, 'Thực hiện nghĩa vụ tài chính': 6,
  'Công dân yêu cầu rút hồ sơ': 7, 'Rút hồ sơ': 7, 'Đã rút hồ sơ': 7,
  'Dừng xử lý': 8, 'Ngừng xử lý': 8,
  'Đã xử lý xong': 9, 'Đã xử lý': 9, 'Đã giải quyết': 9, 'Đã có kết quả': 9,
  'Đã trả kết quả': 10, 'Trả kết quả': 10,
};

const statusByName = labelReader(
  Object.fromEntries([
    ...Object.entries(STATUS_NAMES).map(([name, code]) => [name, DOSSIER_STATUSES[code - 1]]),
    ...DOSSIER_STATUSES.map((status, i) => [String(i + 1), status]),
    ...DOSSIER_STATUSES.map((status, i) => [`0${i + 1}`, status]),
    ...DOSSIER_STATUSES.map((status) => [status, status]),
  ]) as Record<string, DossierStatus>,
);

/**
 * One of the ten national statuses, by its code (1–10) or its Vietnamese name. "Tạm dừng" is not
 * among them: a file that says it must say which of the ten it means.
 */
export const parseStatus = (text: string): DossierStatus | undefined => statusByName(text);

export const parseChannel = labelReader<DossierChannel>({
  '1': 'in_person', 'Trực tiếp': 'in_person', 'Nộp trực tiếp': 'in_person', 'Tại bộ phận một cửa': 'in_person', in_person: 'in_person',
  '2': 'online', 'Trực tuyến': 'online', 'Nộp trực tuyến': 'online', 'Qua mạng': 'online', 'Dịch vụ công trực tuyến': 'online', online: 'online',
  '3': 'post', 'Bưu chính': 'post', 'Qua bưu chính': 'post', 'Bưu chính công ích': 'post', 'Qua dịch vụ bưu chính công ích': 'post', 'Qua bưu điện': 'post', post: 'post',
});

export const parseRating = labelReader<Rating>({
  'Rất hài lòng': 'very_satisfied', very_satisfied: 'very_satisfied',
  'Hài lòng': 'satisfied', satisfied: 'satisfied',
  'Không hài lòng': 'dissatisfied', 'Chưa hài lòng': 'dissatisfied', dissatisfied: 'dissatisfied',
});

/**
 * A code as the source systems write them (mã hồ sơ, mã thủ tục, mã đơn vị): 1–100 characters,
 * no space or control character inside.
 */
export function isCleanCode(text: string): boolean {
  if (text.length === 0 || text.length > 100) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || (c >= 0x7f && c <= 0xa0)) return false;
  }
  return true;
}
