// The working-day calendar (lịch làm việc): five-day week, statutory holidays and compensatory
// days, then the administrator's announced exceptions on top. Deadlines of every module are
// counted on it, so each year is computed once into arrays with per-year prefix counts of
// working days, and every query is a lookup or a binary search within a few years.

import { FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR, statutoryHolidays } from './holidays.js';
import {
  type DayNumber,
  civilFromDayNumber,
  dayNumberFromCivil,
  formatIsoDate,
  isLeapYear,
  isWeekend,
  parseIsoDate,
} from './isoDate.js';

/** An announced change: an extra day off, or a Saturday/Sunday worked (làm bù). Overrides the rules for that date. */
export type CalendarException = { date: string; kind: 'off' | 'work'; name: string };

export type DayKind = 'working' | 'weekend' | 'holiday' | 'compensatory' | 'exception-off' | 'exception-work';

export type DayInfo = { date: string; working: boolean; kind: DayKind; name?: string };

export type WorkingCalendar = {
  isWorkingDay(date: string): boolean;
  dayInfo(date: string): DayInfo;
  /** The n-th working day after `date` (not counting `date`); n = 0 gives nextWorkingDay(date); n < 0 counts back. */
  addWorkingDays(date: string, n: number): string;
  /** Working days d with from < d <= to; negative when to < from. */
  workingDaysBetween(from: string, to: string): number;
  /** `date` itself when it is a working day, else the next one (Civil Code 2015 art. 148). */
  nextWorkingDay(date: string): string;
  yearDays(year: number): DayInfo[];
};

const KINDS: readonly DayKind[] = ['working', 'weekend', 'holiday', 'compensatory', 'exception-off', 'exception-work'];
const WORKING = 0;
const EXCEPTION_WORK = 5;

type Year = {
  year: number;
  first: DayNumber; // 1 January
  kinds: Uint8Array; // index into KINDS, per day of the year
  names: Map<number, string>; // day of year → holiday or exception name
  prefix: Int32Array; // prefix[i] = working days among days 0..i of the year
  total: number;
};

export function createCalendar(exceptions: CalendarException[]): WorkingCalendar {
  const exceptionsByDay = indexExceptions(exceptions);
  const years = new Map<number, Year>();

  function yearData(year: number): Year {
    let data = years.get(year);
    if (!data) {
      data = buildYear(year, exceptionsByDay);
      years.set(year, data);
    }
    return data;
  }

  function locate(day: DayNumber): { data: Year; index: number } {
    const data = yearData(civilFromDayNumber(day).year);
    return { data, index: day - data.first };
  }

  function isWorking(data: Year, index: number): boolean {
    const kind = data.kinds[index];
    return kind === WORKING || kind === EXCEPTION_WORK;
  }

  /** The n-th (n >= 1) working day strictly after `day`. */
  function forward(day: DayNumber, n: number): DayNumber {
    let { data, index } = locate(day);
    let rank = data.prefix[index] + n;
    while (rank > data.total) {
      rank -= data.total;
      data = yearData(data.year + 1);
    }
    return data.first + firstIndexWithPrefix(data.prefix, rank);
  }

  /** The n-th (n >= 1) working day strictly before `day`. */
  function backward(day: DayNumber, n: number): DayNumber {
    let { data, index } = locate(day);
    let rank = data.prefix[index] - (isWorking(data, index) ? 1 : 0) - n + 1;
    while (rank < 1) {
      data = yearData(data.year - 1);
      rank += data.total;
    }
    return data.first + firstIndexWithPrefix(data.prefix, rank);
  }

  function dayInfoOf(day: DayNumber): DayInfo {
    const { data, index } = locate(day);
    const kind = KINDS[data.kinds[index]];
    const info: DayInfo = { date: formatIsoDate(day), working: isWorking(data, index), kind };
    const name = data.names.get(index);
    if (name !== undefined) info.name = name;
    return info;
  }

  return {
    isWorkingDay(date) {
      const { data, index } = locate(parseIsoDate(date));
      return isWorking(data, index);
    },

    dayInfo(date) {
      return dayInfoOf(parseIsoDate(date));
    },

    addWorkingDays(date, n) {
      const day = parseIsoDate(date);
      if (!Number.isSafeInteger(n)) {
        throw new RangeError(`Invalid number of working days ${n}: expected an integer`);
      }
      if (n === 0) return formatIsoDate(forward(day - 1, 1));
      return formatIsoDate(n > 0 ? forward(day, n) : backward(day, -n));
    },

    workingDaysBetween(from, to) {
      const a = locate(parseIsoDate(from));
      const b = locate(parseIsoDate(to));
      const sign = a.data.first + a.index <= b.data.first + b.index ? 1 : -1;
      const [lo, hi] = sign === 1 ? [a, b] : [b, a];
      let count = hi.data.prefix[hi.index] - lo.data.prefix[lo.index];
      for (let year = lo.data.year; year < hi.data.year; year++) count += yearData(year).total;
      return sign * count;
    },

    nextWorkingDay(date) {
      return formatIsoDate(forward(parseIsoDate(date) - 1, 1));
    },

    yearDays(year) {
      const data = yearData(year);
      return Array.from(data.kinds, (_, index) => dayInfoOf(data.first + index));
    },
  };
}

function indexExceptions(exceptions: CalendarException[]): Map<DayNumber, CalendarException> {
  const byDay = new Map<DayNumber, CalendarException>();
  for (const exception of exceptions) {
    const day = parseIsoDate(exception.date);
    if (exception.kind !== 'off' && exception.kind !== 'work') {
      throw new RangeError(`Invalid calendar exception kind ${JSON.stringify(exception.kind)} on ${exception.date}: expected 'off' or 'work'`);
    }
    if (byDay.has(day)) {
      throw new RangeError(`Two calendar exceptions for ${exception.date}: keep one per date`);
    }
    byDay.set(day, exception);
  }
  return byDay;
}

function buildYear(year: number, exceptions: Map<DayNumber, CalendarException>): Year {
  if (!Number.isInteger(year) || year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
    throw new RangeError(`Date out of range: the calendar covers ${FIRST_SUPPORTED_YEAR}–${LAST_SUPPORTED_YEAR}, not ${year}`);
  }
  const first = dayNumberFromCivil(year, 1, 1);
  const length = isLeapYear(year) ? 366 : 365;
  const kinds = new Uint8Array(length);
  const names = new Map<number, string>();

  for (let index = 0; index < length; index++) {
    kinds[index] = isWeekend(first + index) ? KINDS.indexOf('weekend') : WORKING;
  }
  for (const holiday of statutoryHolidays(year)) {
    const index = parseIsoDate(holiday.date) - first;
    kinds[index] = KINDS.indexOf(holiday.kind);
    names.set(index, holiday.name);
  }
  for (const [day, exception] of exceptions) {
    const index = day - first;
    if (index < 0 || index >= length) continue;
    kinds[index] = KINDS.indexOf(exception.kind === 'off' ? 'exception-off' : 'exception-work');
    names.set(index, exception.name);
  }

  const prefix = new Int32Array(length);
  let total = 0;
  for (let index = 0; index < length; index++) {
    if (kinds[index] === WORKING || kinds[index] === EXCEPTION_WORK) total++;
    prefix[index] = total;
  }
  return { year, first, kinds, names, prefix, total };
}

/** Smallest index whose prefix count reaches `rank` (1 <= rank <= total); that day is the rank-th working day. */
function firstIndexWithPrefix(prefix: Int32Array, rank: number): number {
  let lo = 0;
  let hi = prefix.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (prefix[mid] < rank) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
