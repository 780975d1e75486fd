import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCalendar } from '../../platform/calendar/calendar.js';
import { returnDateProblem } from './letter-service.js';

const calendar = createCalendar([{ date: '2026-02-24', kind: 'off', name: 'Nghỉ thêm sau Tết (thông báo của tỉnh)' }]);

describe('the new return date of an apology letter', () => {
  test('a working day after today is accepted', () => {
    assert.equal(returnDateProblem(calendar, '2026-02-12', '2026-02-11'), null);
    assert.equal(returnDateProblem(calendar, '2026-03-31', '2026-02-11'), null);
  });

  test('today or a day before it: the first working day after today is named', () => {
    // Wednesday 11 February 2026, before Tết: the next working day is Thursday the 12th.
    assert.deepEqual(returnDateProblem(calendar, '2026-02-11', '2026-02-11'), {
      nextWorkingDay: '2026-02-12',
      message: 'Ngày hẹn trả mới phải sau hôm nay (11/02/2026): ngày làm việc gần nhất là 12/02/2026.',
    });
    // Friday 13 February: the weekend and Tết come first, so Monday the 23rd.
    assert.equal(returnDateProblem(calendar, '2026-02-01', '2026-02-13')?.nextWorkingDay, '2026-02-23');
    // Monday 23 February: the locality's extra day off on the 24th comes first, so the 25th.
    assert.equal(returnDateProblem(calendar, '2026-02-23', '2026-02-23')?.nextWorkingDay, '2026-02-25');
  });

  test('a day off after today: why it is off and the working day that follows', () => {
    assert.deepEqual(returnDateProblem(calendar, '2026-02-17', '2026-02-11'), {
      nextWorkingDay: '2026-02-23',
      message: 'Ngày 17/02/2026 không phải ngày làm việc (Tết Nguyên đán (mùng 1 tháng Giêng)): hãy hẹn ngày làm việc kế tiếp, 23/02/2026.',
    });
    assert.match(returnDateProblem(calendar, '2026-02-21', '2026-02-11')?.message ?? '', /\(ngày nghỉ cuối tuần\)/);
    assert.equal(returnDateProblem(calendar, '2026-02-24', '2026-02-11')?.nextWorkingDay, '2026-02-25', 'an exception of the locality counts');
  });

  test('a date that does not exist is a RangeError (the route answers 400)', () => {
    assert.throws(() => returnDateProblem(calendar, '2026-02-30', '2026-02-11'), RangeError);
  });
});
