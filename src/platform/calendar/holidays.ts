// Public holidays under Labor Code 2019 art. 112, as computed defaults. The Prime Minister
// announces the exact Tết and Quốc khánh days (and làm bù swaps) each year; administrators record
// those as calendar exceptions, which override whatever is computed here.

import { type DayNumber, dayNumberFromCivil, formatIsoDate, isWeekend, weekday } from './isoDate.js';
import { lunarToDayNumber, solarToLunar } from './lunar.js';

export type Holiday = { date: string; name: string; kind: 'holiday' | 'compensatory' };

/** The lunar algorithm is accurate over this range; outside it we refuse rather than guess. */
export const FIRST_SUPPORTED_YEAR = 1900;
export const LAST_SUPPORTED_YEAR = 2199;

const THURSDAY = 4;
const MONDAY = 1;

/** Holidays and compensatory days off (nghỉ bù) of the solar year, sorted by date. */
export function statutoryHolidays(year: number): Holiday[] {
  if (!Number.isInteger(year) || year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
    throw new RangeError(
      `Unsupported year ${year}: holidays can be computed for ${FIRST_SUPPORTED_YEAR}–${LAST_SUPPORTED_YEAR}`,
    );
  }
  return withCompensatoryDays(holidayDays(year));
}

type HolidayDay = { day: DayNumber; name: string };

function holidayDays(year: number): HolidayDay[] {
  const solar = (month: number, day: number) => dayNumberFromCivil(year, month, day);
  // Lunar new year always falls between 21 January and 20 February, so the whole Tết block
  // (including the last day of the previous lunar year) lies in this solar year.
  const newYear = lunarToDayNumber({ day: 1, month: 1, year, leap: false });
  const lastDayOfLunarYear = newYear - 1;
  const lastDayNumber = solarToLunar(formatIsoDate(lastDayOfLunarYear)).day; // 29 or 30

  const nationalDay = solar(9, 2);
  return [
    { day: solar(1, 1), name: 'Tết Dương lịch' },
    { day: lastDayOfLunarYear, name: `Tết Nguyên đán (${lastDayNumber} tháng Chạp)` },
    ...[1, 2, 3, 4].map((n) => ({ day: newYear + n - 1, name: `Tết Nguyên đán (mùng ${n} tháng Giêng)` })),
    { day: lunarToDayNumber({ day: 10, month: 3, year, leap: false }), name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' },
    { day: solar(4, 30), name: 'Ngày Chiến thắng (30/4)' },
    { day: solar(5, 1), name: 'Ngày Quốc tế Lao động (1/5)' },
    { day: nationalDay, name: 'Quốc khánh (2/9)' },
    { day: nationalDayCompanion(nationalDay), name: 'Quốc khánh (ngày liền kề 2/9)' },
  ];
}

/**
 * The law gives 2/9 "plus one adjacent day" and leaves the choice to each year's announcement.
 * Every announcement since the rule took effect picked the day that joins the weekend:
 * 3/9 when 2/9 is a Thursday (2021) or a Monday (2024), otherwise 1/9 (2022 Fri, 2023 Sat, 2025 Tue).
 */
function nationalDayCompanion(nationalDay: DayNumber): DayNumber {
  const w = weekday(nationalDay);
  return w === THURSDAY || w === MONDAY ? nationalDay + 1 : nationalDay - 1;
}

/**
 * A holiday on a Saturday or Sunday gives the next working day that is not already off (Labor
 * Code art. 111–112). Holidays are taken in date order so that back-to-back ones shift in turn
 * (30/4 Sat and 1/5 Sun 2022 → 2/5 and 3/5). Two holidays on the same date (Giỗ Tổ on 30/4, as
 * in 1947) are treated the same way, so no holiday day is lost.
 */
function withCompensatoryDays(days: HolidayDay[]): Holiday[] {
  const byDay = new Map<DayNumber, string[]>();
  for (const { day, name } of [...days].sort((a, b) => a.day - b.day)) {
    byDay.set(day, [...(byDay.get(day) ?? []), name]);
  }
  const taken = new Set(byDay.keys());
  const result: { day: DayNumber; name: string; kind: Holiday['kind'] }[] = [];
  for (const [day, names] of byDay) {
    result.push({ day, name: names.join('; '), kind: 'holiday' });
    names.forEach((name, i) => {
      if (i === 0 && !isWeekend(day)) return; // this holiday is taken on its own date
      let compensatory = day + 1;
      while (isWeekend(compensatory) || taken.has(compensatory)) compensatory++;
      taken.add(compensatory);
      result.push({ day: compensatory, name: `Nghỉ bù ${name}`, kind: 'compensatory' });
    });
  }
  return result
    .sort((a, b) => a.day - b.day)
    .map(({ day, name, kind }) => ({ date: formatIsoDate(day), name, kind }));
}
