// The Vietnamese lunisolar calendar (âm lịch), after Hồ Ngọc Đức's astronomical algorithm
// (https://www.informatik.uni-leipzig.de/~duc/amlich/calrules.html): a month starts on the day
// of the new moon, month 11 is the one containing the winter solstice, and in a 13-month year
// the first month without a major solar term (trung khí) is the leap month. "Day" depends on
// the time zone, which is why Vietnam (UTC+7) and China (UTC+8) differ in some years.
// Dates are proleptic Gregorian; the formulas are accurate for roughly 1800–2199.

import { type DayNumber, formatIsoDate, parseIsoDate } from './isoDate.js';

export type LunarDate = { day: number; month: number; year: number; leap: boolean };

export const VIETNAM_TIME_ZONE = 7;

const JDN_OF_DAY_NUMBER_0 = 2440588; // Julian day number of 1970-01-01
const SYNODIC_MONTH = 29.530588853;
const NEW_MOON_0 = 2415021.076998695; // new moon of 1900-01-01, the k = 0 of newMoon()
const RAD = Math.PI / 180;

export function solarToLunar(isoDate: string, timeZone = VIETNAM_TIME_ZONE): LunarDate {
  checkTimeZone(timeZone);
  const jd = parseIsoDate(isoDate) + JDN_OF_DAY_NUMBER_0;
  // The mean-month estimate can miss by one near a new moon (e.g. 2054-05-07); the original
  // only corrected one direction and returned day 0 there, so step until the month contains jd.
  let k = Math.floor((jd - NEW_MOON_0) / SYNODIC_MONTH);
  while (newMoonDay(k, timeZone) > jd) k--;
  while (newMoonDay(k + 1, timeZone) <= jd) k++;
  const monthStart = newMoonDay(k, timeZone);

  const solarYear = Number(isoDate.slice(0, 4));
  let a11 = lunarMonth11(solarYear, timeZone);
  let b11 = a11;
  let year: number;
  if (a11 >= monthStart) {
    year = solarYear;
    a11 = lunarMonth11(solarYear - 1, timeZone);
  } else {
    year = solarYear + 1;
    b11 = lunarMonth11(solarYear + 1, timeZone);
  }

  const diff = Math.floor((monthStart - a11) / 29); // months since month 11
  let month = diff + 11;
  let leap = false;
  if (b11 - a11 > 365) {
    const leapOffset = leapMonthOffset(a11, timeZone);
    if (diff >= leapOffset) {
      month = diff + 10;
      leap = diff === leapOffset;
    }
  }
  if (month > 12) month -= 12;
  if (month >= 11 && diff < 4) year -= 1;
  return { day: jd - monthStart + 1, month, year, leap };
}

/** Throws a RangeError for a date that does not exist (a leap month the year lacks, a day 30 of a 29-day month). */
export function lunarToSolar(date: LunarDate, timeZone = VIETNAM_TIME_ZONE): string {
  checkTimeZone(timeZone);
  const { day, month, year, leap } = date;
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`Invalid lunar date ${JSON.stringify(date)}: month must be 1–12 and year an integer`);
  }
  const [a11, b11] =
    month < 11
      ? [lunarMonth11(year - 1, timeZone), lunarMonth11(year, timeZone)]
      : [lunarMonth11(year, timeZone), lunarMonth11(year + 1, timeZone)];

  let offset = month - 11;
  if (offset < 0) offset += 12;
  let hasLeapMonth = false;
  if (b11 - a11 > 365) {
    const leapOffset = leapMonthOffset(a11, timeZone);
    let leapMonth = leapOffset - 2;
    if (leapMonth < 0) leapMonth += 12;
    hasLeapMonth = month === leapMonth;
    if (leap || offset >= leapOffset) offset += 1;
  }
  if (leap && !hasLeapMonth) {
    throw new RangeError(`Invalid lunar date ${JSON.stringify(date)}: lunar year ${year} has no leap month ${month}`);
  }

  const k = Math.floor(0.5 + (a11 - NEW_MOON_0) / SYNODIC_MONTH);
  const monthStart = newMoonDay(k + offset, timeZone);
  const monthLength = newMoonDay(k + offset + 1, timeZone) - monthStart;
  if (!Number.isInteger(day) || day < 1 || day > monthLength) {
    throw new RangeError(`Invalid lunar date ${JSON.stringify(date)}: that month has ${monthLength} days`);
  }
  return formatIsoDate(monthStart + day - 1 - JDN_OF_DAY_NUMBER_0);
}

function checkTimeZone(timeZone: number): void {
  if (!Number.isFinite(timeZone) || timeZone < -12 || timeZone > 14) {
    throw new RangeError(`Invalid time zone ${timeZone}: expected hours east of UTC, e.g. 7 for Vietnam`);
  }
}

/** Julian day number of the first day of the lunar month that contains the winter solstice of `year`. */
function lunarMonth11(year: number, timeZone: number): number {
  const off = parseIsoDate(`${String(year).padStart(4, '0')}-12-31`) + JDN_OF_DAY_NUMBER_0 - 2415021;
  const k = Math.floor(off / SYNODIC_MONTH);
  const nm = newMoonDay(k, timeZone);
  // Sun longitude past 270° means that new moon came after the solstice: take the one before.
  return sunLongitudeSector(nm, timeZone) >= 9 ? newMoonDay(k - 1, timeZone) : nm;
}

/** Months after month 11 to the leap month: the first month in which the major solar term does not change. */
function leapMonthOffset(a11: number, timeZone: number): number {
  const k = Math.floor((a11 - NEW_MOON_0) / SYNODIC_MONTH + 0.5);
  let i = 1;
  let arc = sunLongitudeSector(newMoonDay(k + i, timeZone), timeZone);
  let last: number;
  do {
    last = arc;
    i++;
    arc = sunLongitudeSector(newMoonDay(k + i, timeZone), timeZone);
  } while (arc !== last && i < 14);
  return i - 1;
}

function newMoonDay(k: number, timeZone: number): number {
  return Math.floor(newMoon(k) + 0.5 + timeZone / 24);
}

/** Which 30° sector (0–11) the sun is in at the start of local day `jd`. */
function sunLongitudeSector(jd: number, timeZone: number): number {
  return Math.floor((sunLongitude(jd - 0.5 - timeZone / 24) / Math.PI) * 6);
}

/** Julian date (UT) of the k-th new moon after 1900-01-01 (Meeus, Astronomical Algorithms). */
function newMoon(k: number): number {
  const T = k / 1236.85; // Julian centuries from 1900-01-01 12:00
  const T2 = T * T;
  const T3 = T2 * T;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * RAD);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3; // sun's mean anomaly
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3; // moon's mean anomaly
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3; // moon's argument of latitude
  let c1 = (0.1734 - 0.000393 * T) * Math.sin(M * RAD) + 0.0021 * Math.sin(2 * RAD * M);
  c1 = c1 - 0.4068 * Math.sin(Mpr * RAD) + 0.0161 * Math.sin(RAD * 2 * Mpr);
  c1 = c1 - 0.0004 * Math.sin(RAD * 3 * Mpr);
  c1 = c1 + 0.0104 * Math.sin(RAD * 2 * F) - 0.0051 * Math.sin(RAD * (M + Mpr));
  c1 = c1 - 0.0074 * Math.sin(RAD * (M - Mpr)) + 0.0004 * Math.sin(RAD * (2 * F + M));
  c1 = c1 - 0.0004 * Math.sin(RAD * (2 * F - M)) - 0.0006 * Math.sin(RAD * (2 * F + Mpr));
  c1 = c1 + 0.001 * Math.sin(RAD * (2 * F - Mpr)) + 0.0005 * Math.sin(RAD * (2 * Mpr + M));
  const deltaT =
    T < -11
      ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
      : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + c1 - deltaT;
}

/** Sun's apparent longitude in radians, [0, 2π), at Julian date `jd` (UT). */
function sunLongitude(jd: number): number {
  const T = (jd - 2451545.0) / 36525; // Julian centuries from J2000
  const T2 = T * T;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  let DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(RAD * M);
  DL += (0.019993 - 0.000101 * T) * Math.sin(RAD * 2 * M) + 0.00029 * Math.sin(RAD * 3 * M);
  const L = (L0 + DL) * RAD;
  return L - Math.PI * 2 * Math.floor(L / (Math.PI * 2));
}

// Exported for the holiday rules, which work on day numbers.
export function lunarToDayNumber(date: LunarDate, timeZone = VIETNAM_TIME_ZONE): DayNumber {
  return parseIsoDate(lunarToSolar(date, timeZone));
}
