import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { statutoryHolidays } from './holidays.js';

const dates = (year: number, kind?: 'holiday' | 'compensatory') =>
  statutoryHolidays(year)
    .filter((h) => kind === undefined || h.kind === kind)
    .map((h) => h.date);

describe('statutory holidays (Labor Code 2019 art. 112)', () => {
  test('2026: Tết Dương lịch, Tết 16–20/2, Giỗ Tổ on Sunday 26/4 with Monday 27/4 off, 30/4, 1/5, 1–2/9', () => {
    assert.deepEqual(statutoryHolidays(2026), [
      { date: '2026-01-01', name: 'Tết Dương lịch', kind: 'holiday' },
      { date: '2026-02-16', name: 'Tết Nguyên đán (29 tháng Chạp)', kind: 'holiday' },
      { date: '2026-02-17', name: 'Tết Nguyên đán (mùng 1 tháng Giêng)', kind: 'holiday' },
      { date: '2026-02-18', name: 'Tết Nguyên đán (mùng 2 tháng Giêng)', kind: 'holiday' },
      { date: '2026-02-19', name: 'Tết Nguyên đán (mùng 3 tháng Giêng)', kind: 'holiday' },
      { date: '2026-02-20', name: 'Tết Nguyên đán (mùng 4 tháng Giêng)', kind: 'holiday' },
      { date: '2026-04-26', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', kind: 'holiday' },
      { date: '2026-04-27', name: 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)', kind: 'compensatory' },
      { date: '2026-04-30', name: 'Ngày Chiến thắng (30/4)', kind: 'holiday' },
      { date: '2026-05-01', name: 'Ngày Quốc tế Lao động (1/5)', kind: 'holiday' },
      { date: '2026-09-01', name: 'Quốc khánh (ngày liền kề 2/9)', kind: 'holiday' },
      { date: '2026-09-02', name: 'Quốc khánh (2/9)', kind: 'holiday' },
    ]);
  });

  test('Tết is the last day of the lunar year plus mùng 1–4: 2022 gives 31/1–4/2, as announced', () => {
    assert.deepEqual(dates(2022).slice(2, 7), ['2022-01-31', '2022-02-01', '2022-02-02', '2022-02-03', '2022-02-04']);
  });

  test('a Tết block that starts in January belongs to the solar year asked (2023: 21–25/1)', () => {
    assert.deepEqual(dates(2023, 'holiday').slice(1, 6), ['2023-01-21', '2023-01-22', '2023-01-23', '2023-01-24', '2023-01-25']);
    assert.ok(!dates(2022).includes('2023-01-21'));
  });

  test('Quốc khánh adds the adjacent day that joins the weekend, matching the announcements of 2021–2025', () => {
    const september = (year: number) => dates(year).filter((d) => d.slice(5, 7) === '09');
    assert.deepEqual(september(2021), ['2021-09-02', '2021-09-03']); // Thursday → Friday 3/9
    assert.deepEqual(september(2022), ['2022-09-01', '2022-09-02']); // Friday → Thursday 1/9
    assert.deepEqual(september(2023), ['2023-09-01', '2023-09-02', '2023-09-04']); // Saturday → 1/9, nghỉ bù Monday
    assert.deepEqual(september(2024), ['2024-09-02', '2024-09-03']); // Monday → Tuesday 3/9
    assert.deepEqual(september(2025), ['2025-09-01', '2025-09-02']); // Tuesday → Monday 1/9
  });
});

describe('compensatory days (nghỉ bù)', () => {
  test('30/4 (Sat) and 1/5 (Sun) 2022 shift in turn to the next free working days, Mon 2/5 and Tue 3/5 (the rule; also what the Government gave)', () => {
    const may2022 = statutoryHolidays(2022).filter((h) => h.date >= '2022-04-30' && h.date <= '2022-05-31');
    assert.deepEqual(may2022, [
      { date: '2022-04-30', name: 'Ngày Chiến thắng (30/4)', kind: 'holiday' },
      { date: '2022-05-01', name: 'Ngày Quốc tế Lao động (1/5)', kind: 'holiday' },
      { date: '2022-05-02', name: 'Nghỉ bù Ngày Chiến thắng (30/4)', kind: 'compensatory' },
      { date: '2022-05-03', name: 'Nghỉ bù Ngày Quốc tế Lao động (1/5)', kind: 'compensatory' },
    ]);
  });

  test('Tết days on a weekend are made up after the block, not inside it (2024: 10–11/2 → 14–15/2)', () => {
    assert.deepEqual(dates(2024, 'compensatory'), ['2024-02-14', '2024-02-15']);
  });

  test('two holidays on one date do not lose a day: Giỗ Tổ on 30/4 (1947) gives a compensatory day after 1/5', () => {
    const h1947 = statutoryHolidays(1947).filter((h) => h.date >= '1947-04-30' && h.date <= '1947-05-31');
    assert.deepEqual(h1947, [
      { date: '1947-04-30', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch); Ngày Chiến thắng (30/4)', kind: 'holiday' },
      { date: '1947-05-01', name: 'Ngày Quốc tế Lao động (1/5)', kind: 'holiday' },
      { date: '1947-05-02', name: 'Nghỉ bù Ngày Chiến thắng (30/4)', kind: 'compensatory' },
    ]);
  });

  test('no compensatory day ever falls on a weekend or on another holiday (1900–2199)', () => {
    for (let year = 1900; year <= 2199; year++) {
      const list = statutoryHolidays(year);
      assert.equal(new Set(list.map((h) => h.date)).size, list.length, `${year}: one entry per date`);
      for (const h of list.filter((x) => x.kind === 'compensatory')) {
        const day = new Date(`${h.date}T00:00:00Z`).getUTCDay();
        assert.ok(day !== 0 && day !== 6, `${h.date} is a weekday`);
        assert.ok(h.date.startsWith(String(year)), `${h.date} stays in ${year}`);
      }
    }
  });
});

test('years outside 1900–2199 are a RangeError', () => {
  assert.throws(() => statutoryHolidays(1899), RangeError);
  assert.throws(() => statutoryHolidays(2200), RangeError);
  assert.throws(() => statutoryHolidays(2026.5), RangeError);
});
