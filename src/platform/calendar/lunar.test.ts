import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatIsoDate, parseIsoDate } from './isoDate.js';
import { lunarToSolar, solarToLunar } from './lunar.js';

const CHINA = 8;
const lunarNewYear = (year: number, timeZone?: number) =>
  lunarToSolar({ day: 1, month: 1, year, leap: false }, timeZone);

describe('Vietnamese lunar calendar (UTC+7) versus Chinese (UTC+8)', () => {
  test('lunar new year 1985 is 21 January in Vietnam but 20 February in China', () => {
    assert.equal(lunarNewYear(1985), '1985-01-21');
    assert.equal(lunarNewYear(1985, CHINA), '1985-02-20');
    assert.deepEqual(solarToLunar('1985-01-21'), { day: 1, month: 1, year: 1985, leap: false });
    assert.deepEqual(solarToLunar('1985-01-21', CHINA), { day: 1, month: 12, year: 1984, leap: false });
  });

  test('lunar new year 2007 is 17 February in Vietnam but 18 February in China', () => {
    assert.equal(lunarNewYear(2007), '2007-02-17');
    assert.equal(lunarNewYear(2007, CHINA), '2007-02-18');
  });
});

describe('known dates', () => {
  test('Tết Nguyên đán 2020–2026', () => {
    assert.deepEqual(
      [2020, 2021, 2022, 2023, 2024, 2025, 2026].map((year) => lunarNewYear(year)),
      ['2020-01-25', '2021-02-12', '2022-02-01', '2023-01-22', '2024-02-10', '2025-01-29', '2026-02-17'],
    );
  });

  test('Giỗ Tổ Hùng Vương (10/3 âm lịch) 2024–2026', () => {
    const gioTo = (year: number) => lunarToSolar({ day: 10, month: 3, year, leap: false });
    assert.equal(gioTo(2024), '2024-04-18');
    assert.equal(gioTo(2025), '2025-04-07');
    assert.equal(gioTo(2026), '2026-04-26');
  });

  test('leap months: 4 in 2020, 2 in 2023, 6 in 2025', () => {
    assert.deepEqual(solarToLunar('2020-05-23'), { day: 1, month: 4, year: 2020, leap: true });
    assert.deepEqual(solarToLunar('2023-03-22'), { day: 1, month: 2, year: 2023, leap: true });
    assert.deepEqual(solarToLunar('2025-07-25'), { day: 1, month: 6, year: 2025, leap: true });
    assert.equal(lunarToSolar({ day: 1, month: 6, year: 2025, leap: true }), '2025-07-25');
    assert.equal(lunarToSolar({ day: 1, month: 6, year: 2025, leap: false }), '2025-06-25');
  });
});

describe('conversions agree with each other', () => {
  test('every day 1900–2100: solar → lunar → solar gives the same day, and lunar days run on without gaps', () => {
    let previous = solarToLunar('1899-12-31');
    for (let day = parseIsoDate('1900-01-01'); day <= parseIsoDate('2100-12-31'); day++) {
      const iso = formatIsoDate(day);
      const lunar = solarToLunar(iso);
      assert.equal(lunarToSolar(lunar), iso);
      const continues = lunar.day === previous.day + 1 && lunar.month === previous.month && lunar.leap === previous.leap;
      const newMonth = lunar.day === 1 && (previous.day === 29 || previous.day === 30);
      assert.ok(continues || newMonth, `${iso}: ${JSON.stringify(previous)} → ${JSON.stringify(lunar)}`);
      previous = lunar;
    }
  });

  test('every lunar year 1900–2100 has 12 months of 353–355 days or 13 months of 383–385 days', () => {
    for (let year = 1900; year <= 2100; year++) {
      const length = parseIsoDate(lunarNewYear(year + 1)) - parseIsoDate(lunarNewYear(year));
      const hasLeapMonth = Array.from({ length: 12 }, (_, i) => i + 1).some((month) => {
        try {
          lunarToSolar({ day: 1, month, year, leap: true });
          return true;
        } catch {
          return false;
        }
      });
      const expected = hasLeapMonth ? [383, 384, 385] : [353, 354, 355];
      assert.ok(expected.includes(length), `lunar year ${year}: ${length} days, leap month: ${hasLeapMonth}`);
    }
  });
});

describe('invalid input', () => {
  test('a leap month the year does not have is a RangeError', () => {
    assert.throws(() => lunarToSolar({ day: 1, month: 3, year: 2026, leap: true }), RangeError);
  });

  test('day 30 of a 29-day month is a RangeError', () => {
    // Lunar 12/2025 ends on 2026-02-16, its 29th day.
    assert.deepEqual(solarToLunar('2026-02-16'), { day: 29, month: 12, year: 2025, leap: false });
    assert.throws(() => lunarToSolar({ day: 30, month: 12, year: 2025, leap: false }), RangeError);
  });

  test('a malformed solar date is a RangeError', () => {
    for (const bad of ['2026-2-17', '2026-02-30', '17/02/2026', '']) {
      assert.throws(() => solarToLunar(bad), RangeError, bad);
    }
  });
});
