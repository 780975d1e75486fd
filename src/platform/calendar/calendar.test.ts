import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type CalendarException, createCalendar } from './calendar.js';
import { formatIsoDate, parseIsoDate } from './isoDate.js';

const calendar = createCalendar([]);

describe('which days are worked', () => {
  test('Tết 2026: 16–20 February are days off; Friday 13 and Monday 23 February are working days', () => {
    for (const date of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']) {
      assert.equal(calendar.isWorkingDay(date), false, date);
      assert.equal(calendar.dayInfo(date).kind, 'holiday', date);
    }
    assert.equal(calendar.isWorkingDay('2026-02-13'), true);
    assert.equal(calendar.isWorkingDay('2026-02-23'), true);
  });

  test('Giỗ Tổ on Sunday 26 April 2026 makes Monday 27 April a compensatory day off', () => {
    assert.deepEqual(calendar.dayInfo('2026-04-26'), {
      date: '2026-04-26',
      working: false,
      kind: 'holiday',
      name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)',
    });
    assert.deepEqual(calendar.dayInfo('2026-04-27'), {
      date: '2026-04-27',
      working: false,
      kind: 'compensatory',
      name: 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)',
    });
  });

  test('30/4 (Sat) and 1/5 (Sun) 2022: the rule gives Mon 2 and Tue 3 May off, Wed 4 May is worked', () => {
    assert.equal(calendar.dayInfo('2022-05-02').kind, 'compensatory');
    assert.equal(calendar.dayInfo('2022-05-03').kind, 'compensatory');
    assert.equal(calendar.isWorkingDay('2022-05-04'), true);
  });

  test('an ordinary Saturday is a weekend day without a name', () => {
    assert.deepEqual(calendar.dayInfo('2026-03-07'), { date: '2026-03-07', working: false, kind: 'weekend' });
  });
});

describe('administrator exceptions override the rules for their date', () => {
  const withExceptions = createCalendar([
    { date: '2026-02-07', kind: 'work', name: 'Làm bù cho 13/02' },
    { date: '2026-02-13', kind: 'off', name: 'Nghỉ thêm dịp Tết' },
    { date: '2026-03-02', kind: 'off', name: 'Nghỉ theo quyết định của UBND tỉnh' },
  ]);

  test("an exception 'work' on a Saturday makes it a working day (làm bù)", () => {
    assert.deepEqual(withExceptions.dayInfo('2026-02-07'), {
      date: '2026-02-07',
      working: true,
      kind: 'exception-work',
      name: 'Làm bù cho 13/02',
    });
  });

  test("an exception 'off' makes a Monday a day off", () => {
    assert.equal(withExceptions.isWorkingDay('2026-03-02'), false);
    assert.equal(withExceptions.dayInfo('2026-03-02').kind, 'exception-off');
  });

  test('deadlines count the exceptions: from Friday 6/2, one working day is the Saturday worked', () => {
    assert.equal(withExceptions.addWorkingDays('2026-02-06', 1), '2026-02-07');
    assert.equal(withExceptions.addWorkingDays('2026-02-07', 1), '2026-02-09');
    assert.equal(withExceptions.nextWorkingDay('2026-02-13'), '2026-02-23');
  });

  test('exceptions do not leak into the calendar they were not given to', () => {
    assert.equal(calendar.isWorkingDay('2026-03-02'), true);
  });
});

describe('addWorkingDays', () => {
  test('one working day after Friday 13 February 2026 is Monday 23 February (Tết in between)', () => {
    assert.equal(calendar.addWorkingDays('2026-02-13', 1), '2026-02-23');
  });

  test('across the new year: 1/1 is skipped both ways', () => {
    assert.equal(calendar.addWorkingDays('2025-12-31', 1), '2026-01-02');
    assert.equal(calendar.addWorkingDays('2026-01-02', -1), '2025-12-31');
    assert.equal(calendar.addWorkingDays('2025-12-30', 3), '2026-01-05');
  });

  test('n = 0 gives the date itself when worked, otherwise the next working day', () => {
    assert.equal(calendar.addWorkingDays('2026-03-04', 0), '2026-03-04');
    assert.equal(calendar.addWorkingDays('2026-03-07', 0), '2026-03-09');
  });

  test('negative n counts back, not counting the date itself', () => {
    assert.equal(calendar.addWorkingDays('2026-02-23', -1), '2026-02-13');
    assert.equal(calendar.addWorkingDays('2026-03-09', -1), '2026-03-06');
    assert.equal(calendar.addWorkingDays('2026-03-08', -1), '2026-03-06');
  });

  test('counting from a day off starts at the next working day', () => {
    assert.equal(calendar.addWorkingDays('2026-02-17', 1), '2026-02-23');
    assert.equal(calendar.addWorkingDays('2026-03-07', 2), '2026-03-10');
  });
});

describe('nextWorkingDay (a deadline on a day off ends on the next working day)', () => {
  test('a working day is its own deadline; a Tết day moves to Monday 23 February 2026', () => {
    assert.equal(calendar.nextWorkingDay('2026-03-04'), '2026-03-04');
    assert.equal(calendar.nextWorkingDay('2026-02-17'), '2026-02-23');
    assert.equal(calendar.nextWorkingDay('2026-04-25'), '2026-04-28'); // Sat, Giỗ Tổ Sun, nghỉ bù Mon
  });
});

describe('workingDaysBetween', () => {
  test('counts working days after `from` up to and including `to`; negative when reversed', () => {
    assert.equal(calendar.workingDaysBetween('2026-02-13', '2026-02-23'), 1);
    assert.equal(calendar.workingDaysBetween('2026-02-23', '2026-02-13'), -1);
    assert.equal(calendar.workingDaysBetween('2026-03-04', '2026-03-04'), 0);
  });

  test('over a full year equals the number of working days listed by yearDays', () => {
    for (const year of [2024, 2025, 2026]) {
      const worked = calendar.yearDays(year).filter((day) => day.working).length;
      assert.equal(calendar.workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`), worked, String(year));
    }
  });

  test('over several years equals the sum of the years', () => {
    const sum = [2024, 2025, 2026, 2027].reduce((n, y) => n + calendar.yearDays(y).filter((d) => d.working).length, 0);
    assert.equal(calendar.workingDaysBetween('2023-12-31', '2027-12-31'), sum);
  });
});

describe('yearDays', () => {
  test('lists every day of the year in order', () => {
    const days2024 = calendar.yearDays(2024);
    assert.equal(days2024.length, 366);
    assert.equal(days2024[0].date, '2024-01-01');
    assert.equal(days2024[365].date, '2024-12-31');
    assert.equal(calendar.yearDays(2026).length, 365);
  });
});

describe('the fast paths agree with counting day by day (fixed seed)', () => {
  const exceptions: CalendarException[] = [
    { date: '2030-02-02', kind: 'work', name: 'Làm bù' },
    { date: '2030-02-08', kind: 'off', name: 'Nghỉ thêm' },
  ];
  const cal = createCalendar(exceptions);
  const random = mulberry32(20260217);
  const randomDate = () => formatIsoDate(parseIsoDate('2000-01-01') + Math.floor(random() * 36_500));
  const countByWalking = (from: string, to: string) => {
    let n = 0;
    for (let d = parseIsoDate(from) + 1; d <= parseIsoDate(to); d++) if (cal.isWorkingDay(formatIsoDate(d))) n++;
    return n;
  };

  test('workingDaysBetween(d, addWorkingDays(d, n)) === n for n >= 1, and for n <= -1 from a working day', () => {
    for (let i = 0; i < 5000; i++) {
      const date = randomDate();
      const n = Math.floor(random() * 2001) - 1000;
      const result = cal.addWorkingDays(date, n);
      if (n !== 0) assert.equal(cal.isWorkingDay(result), true, `${date} + ${n} = ${result}`);
      if (n > 0 || (n < 0 && cal.isWorkingDay(date))) {
        assert.equal(cal.workingDaysBetween(date, result), n, `${date} + ${n} = ${result}`);
      }
    }
  });

  test('addWorkingDays(a, workingDaysBetween(a, b)) === b for a working day b, when b is later or a is worked too', () => {
    for (let i = 0; i < 5000; i++) {
      const b = cal.nextWorkingDay(randomDate());
      const anyDay = randomDate();
      const a = anyDay <= b ? anyDay : cal.nextWorkingDay(anyDay);
      assert.equal(cal.addWorkingDays(a, cal.workingDaysBetween(a, b)), b, `${a} → ${b}`);
    }
  });

  test('workingDaysBetween matches walking the days one by one', () => {
    for (let i = 0; i < 300; i++) {
      const from = randomDate();
      const to = formatIsoDate(parseIsoDate(from) + Math.floor(random() * 800));
      assert.equal(cal.workingDaysBetween(from, to), countByWalking(from, to), `${from} → ${to}`);
    }
  });
});

describe('invalid input', () => {
  test('a malformed date is a RangeError naming it', () => {
    for (const call of [
      () => calendar.isWorkingDay('2026-02-30'),
      () => calendar.dayInfo('26-02-17'),
      () => calendar.addWorkingDays('2026/02/17', 1),
      () => calendar.workingDaysBetween('2026-02-17', 'tomorrow'),
      () => calendar.nextWorkingDay(''),
    ]) {
      assert.throws(call, { name: 'RangeError', message: /Invalid date/ });
    }
  });

  test('a non-integer number of working days is a RangeError', () => {
    assert.throws(() => calendar.addWorkingDays('2026-02-17', 1.5), RangeError);
    assert.throws(() => calendar.addWorkingDays('2026-02-17', Number.NaN), RangeError);
  });

  test('bad or duplicate exceptions are rejected when the calendar is created', () => {
    assert.throws(() => createCalendar([{ date: '2026-13-01', kind: 'off', name: 'x' }]), RangeError);
    assert.throws(
      () => createCalendar([{ date: '2026-03-02', kind: 'holiday' as 'off', name: 'x' }]),
      RangeError,
    );
    assert.throws(
      () =>
        createCalendar([
          { date: '2026-03-02', kind: 'off', name: 'a' },
          { date: '2026-03-02', kind: 'work', name: 'b' },
        ]),
      RangeError,
    );
  });

  test('dates outside 1900–2199 are a RangeError', () => {
    assert.throws(() => calendar.isWorkingDay('1899-12-31'), RangeError);
    assert.throws(() => calendar.addWorkingDays('2199-12-30', 10), RangeError);
    assert.throws(() => calendar.yearDays(2200), RangeError);
  });
});

/** A small seeded PRNG so the property checks are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
