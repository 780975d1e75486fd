import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CalendarException, createCalendar } from '../../platform/calendar/calendar.js';
import { endOfBusinessDay } from './deadline.js';
import { movedDeadline } from './recompute.js';

const vn = (local: string) => new Date(`${local}+07:00`);
/** The change of `exception` on top of `others`, as the calendar service hands it to its hooks. */
const change = (exception: CalendarException, others: CalendarException[] = [], removed = false) => {
  const before = removed ? [...others, exception] : others;
  const after = removed ? others : [...others, exception];
  return { date: exception.date, name: exception.name, previous: createCalendar(before), calendar: createCalendar(after) };
};
const off = (date: string): CalendarException => ({ date, kind: 'off', name: 'Nghỉ thử' });
const work = (date: string): CalendarException => ({ date, kind: 'work', name: 'Làm bù thử' });
const due = (date: string) => endOfBusinessDay(date);

// Verified on Friday 6 March 2026: 3 working days → Wednesday 11 March (Mon 9, Tue 10, Wed 11).
const counted = { deadline: due('2026-03-11'), original_deadline: null, counted_from: vn('2026-03-06T10:00:00'), chosen: null };

test('a day off inside the count moves a deadline counted in working days by one working day', () => {
  assert.deepEqual(movedDeadline(change(off('2026-03-10')), counted), due('2026-03-12'));
  // On the deadline's own day: the next working day.
  assert.deepEqual(movedDeadline(change(off('2026-03-11')), counted), due('2026-03-12'));
  // Removing it again brings the deadline back.
  assert.deepEqual(movedDeadline(change(off('2026-03-10'), [], true), { ...counted, deadline: due('2026-03-12') }), due('2026-03-11'));
});

test('a Saturday turned into a working day inside the count brings the deadline a day earlier', () => {
  assert.deepEqual(movedDeadline(change(work('2026-03-07')), counted), due('2026-03-10'));
});

test('a change that does not touch the count moves nothing', () => {
  // The day of verification itself is not counted; nor a day after the deadline.
  assert.equal(movedDeadline(change(off('2026-03-06')), counted), null);
  assert.equal(movedDeadline(change(off('2026-03-12')), counted), null);
  // A Sunday recorded as off was off already.
  assert.equal(movedDeadline(change(off('2026-03-08')), counted), null);
  // Not verified (no deadline counted): nothing to count from.
  assert.equal(movedDeadline(change(off('2026-03-10')), { ...counted, counted_from: null }), null);
});

test('the count is kept as it was counted, across Tết and an earlier exception', () => {
  // Verified Thursday 12 February 2026, the day before the Tết break (14–22 February): 3 working
  // days are Fri 13, Mon 23 and Tue 24.
  const tet = { deadline: due('2026-02-25'), original_deadline: null, counted_from: vn('2026-02-12T15:00:00'), chosen: null };
  const calendar = createCalendar([]);
  assert.equal(calendar.workingDaysBetween('2026-02-12', '2026-02-25'), 4, 'Friday 13 February is a working day');
  const fromThirteenth = { ...tet, deadline: due(calendar.addWorkingDays('2026-02-12', 3)) };
  assert.deepEqual(movedDeadline(change(off('2026-02-13')), fromThirteenth), due(calendar.addWorkingDays('2026-02-12', 4)));
  // With another day off already recorded inside the count, the count stays 3.
  const others = [off('2026-02-24')];
  const withOther = createCalendar(others);
  const start = { ...tet, deadline: due(withOther.addWorkingDays('2026-02-12', 3)) };
  assert.deepEqual(movedDeadline(change(off('2026-02-23'), others), start), due(createCalendar([...others, off('2026-02-23')]).addWorkingDays('2026-02-12', 3)));
});

test('an extended deadline is the date chosen, or the next working day when that day is off', () => {
  const chosen = due('2026-03-20');
  const extended = { deadline: chosen, original_deadline: due('2026-03-11'), counted_from: vn('2026-03-06T10:00:00'), chosen };
  assert.deepEqual(movedDeadline(change(off('2026-03-20')), extended), due('2026-03-23'));
  assert.equal(movedDeadline(change(off('2026-03-18')), extended), null, 'a chosen date is not a count of days');
  // The day turned working again brings the chosen date back.
  const moved = { ...extended, deadline: due('2026-03-23') };
  assert.deepEqual(movedDeadline(change(off('2026-03-20'), [], true), moved), chosen);
  // Monday turned off as well: on to Tuesday; then Friday working again: back to Friday.
  assert.deepEqual(movedDeadline(change(off('2026-03-23'), [off('2026-03-20')]), moved), due('2026-03-24'));
  const twice = { ...extended, deadline: due('2026-03-24') };
  assert.deepEqual(movedDeadline(change(off('2026-03-20'), [off('2026-03-23')], true), twice), chosen);
  // Without the approval's date (none recorded), the deadline only moves on.
  assert.deepEqual(movedDeadline(change(off('2026-03-23')), { ...moved, chosen: null }), due('2026-03-24'));
  assert.equal(movedDeadline(change(off('2026-03-20'), [], true), { ...moved, chosen: null }), null);
});
