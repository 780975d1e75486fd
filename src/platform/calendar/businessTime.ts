// Instants and business dates. Business dates name days in Asia/Ho_Chi_Minh; Vietnam has kept
// UTC+7 without daylight saving since 1975, so a fixed +07:00 offset needs no time-zone database.
// A deadline on a day ends at the end of that day (Civil Code 2015 art. 148), 23:59:59.999 +07:00.

import { formatIsoDate, parseIsoDate } from './isoDate.js';

const DAY_MS = 86_400_000;
export const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** The Asia/Ho_Chi_Minh business date ('YYYY-MM-DD') of an instant. */
export function businessDateOf(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('Invalid Date: expected a real instant');
  return formatIsoDate(Math.floor((at.getTime() + VIETNAM_OFFSET_MS) / DAY_MS));
}

/** 00:00:00.000 in Asia/Ho_Chi_Minh on `date`: the first instant of that business day. */
export function startOfBusinessDay(date: string): Date {
  return new Date(parseIsoDate(date) * DAY_MS - VIETNAM_OFFSET_MS);
}

/** 23:59:59.999 in Asia/Ho_Chi_Minh on `date`: the last instant a deadline on that day is met. */
export function endOfBusinessDay(date: string): Date {
  return new Date((parseIsoDate(date) + 1) * DAY_MS - VIETNAM_OFFSET_MS - 1);
}

/** An instant as a reader in Vietnam reads it in a message or an export ("16:00:00 11/3/2026"). */
export function vietnamTimeText(at: Date | string): string {
  return new Date(at).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
}
