import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCalendar } from '../../platform/calendar/calendar.js';
import {
  type DeadlineReport,
  businessDateOf,
  createFeedbackDeadlines,
  endOfBusinessDay,
  formatDateVi,
} from './deadline.js';
import { type FeedbackReport, transition } from './lifecycle.js';

/** An instant given as Vietnamese wall-clock time. */
const vn = (local: string) => new Date(`${local}+07:00`);
const endOf = (date: string) => vn(`${date}T23:59:59.999`);

const calendar = createCalendar([]);
const { handlingDeadline, deadlineOn, deadlineStatus, workingHoursBetween } = createFeedbackDeadlines({ calendar });

describe('business dates and the end of the day in Asia/Ho_Chi_Minh', () => {
  test('an instant belongs to its Vietnamese date, which starts at 17:00 UTC the day before', () => {
    assert.equal(businessDateOf(new Date('2026-03-09T16:59:59.999Z')), '2026-03-09');
    assert.equal(businessDateOf(new Date('2026-03-09T17:00:00.000Z')), '2026-03-10');
  });

  test('a deadline day ends at 23:59:59.999 +07:00', () => {
    assert.equal(endOfBusinessDay('2026-03-11').toISOString(), '2026-03-11T16:59:59.999Z');
    assert.equal(formatDateVi('2026-03-11'), '11/03/2026');
  });
});

describe('handlingDeadline counts working days from the day after verification', () => {
  test('3 working days by default, across a weekend', () => {
    assert.deepEqual(handlingDeadline(vn('2026-03-05T10:00:00')), endOf('2026-03-10')); // Thu → Fri, Mon, Tue
    assert.deepEqual(handlingDeadline(vn('2026-03-06T16:30:00')), endOf('2026-03-11')); // Fri → Mon, Tue, Wed
    assert.deepEqual(handlingDeadline(vn('2026-03-07T09:00:00')), endOf('2026-03-11')); // verified on a Saturday
  });

  test('late in the evening still counts as that day in Vietnam (UTC would say the next day)', () => {
    assert.deepEqual(handlingDeadline(vn('2026-03-05T23:30:00')), endOf('2026-03-10'));
  });

  test('across Tết 2026 (16–20 February off)', () => {
    assert.deepEqual(handlingDeadline(vn('2026-02-12T09:00:00')), endOf('2026-02-24')); // Fri 13, Mon 23, Tue 24
    assert.deepEqual(handlingDeadline(vn('2026-02-13T09:00:00')), endOf('2026-02-25'));
    assert.deepEqual(handlingDeadline(vn('2026-02-18T09:00:00')), endOf('2026-02-25')); // verified during Tết
  });

  test("a category's own number of working days", () => {
    assert.deepEqual(handlingDeadline(vn('2026-03-05T10:00:00'), 1), endOf('2026-03-06'));
    assert.deepEqual(handlingDeadline(vn('2026-02-11T10:00:00'), 5), endOf('2026-02-25')); // 12, 13, 23, 24, 25
    for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => handlingDeadline(vn('2026-03-05T10:00:00'), bad), RangeError);
  });

  test('an exception recorded by the administrator moves the deadline', () => {
    const local = createFeedbackDeadlines({ calendar: createCalendar([{ date: '2026-03-09', kind: 'off', name: 'Nghỉ theo quyết định của UBND tỉnh' }]) });
    assert.deepEqual(local.handlingDeadline(vn('2026-03-06T10:00:00')), endOf('2026-03-12'));
  });
});

describe('deadlineOn (the date chosen for an extension)', () => {
  test('a day off moves to the end of the next working day (Civil Code art. 148)', () => {
    assert.deepEqual(deadlineOn('2026-03-12'), endOf('2026-03-12'));
    assert.deepEqual(deadlineOn('2026-03-07'), endOf('2026-03-09'));
    assert.deepEqual(deadlineOn('2026-02-17'), endOf('2026-02-23'));
  });
});

describe('an approved extension moves the deadline and keeps the original one', () => {
  const report: FeedbackReport = {
    id: 1,
    state: 'in_progress',
    unitId: 7,
    verifiedAt: vn('2026-02-12T09:00:00'),
    deadline: handlingDeadline(vn('2026-02-12T09:00:00')),
    originalDeadline: null,
    pendingExtension: null,
    resolvedAt: null,
    rating: null,
    mergedIntoId: null,
  };
  const unit = { role: 'unit', unitId: 7 } as const;
  const asked = transition(
    report,
    { type: 'request_extension', actor: unit, proposedDeadline: deadlineOn('2026-02-28'), reason: 'Chờ nhà thầu' },
    vn('2026-02-23T10:00:00'),
  ).report;
  const extended = transition(asked, { type: 'decide_extension', actor: { role: 'operator' }, decision: 'approve' }, vn('2026-02-23T14:00:00')).report;

  test('the new deadline is Monday 2 March (28 February is a Saturday); the original stays 24 February', () => {
    assert.deepEqual(extended.deadline, endOf('2026-03-02'));
    assert.deepEqual(extended.originalDeadline, endOf('2026-02-24'));
  });

  test('the status is measured against the new deadline', () => {
    assert.equal(deadlineStatus(extended, vn('2026-02-25T09:00:00')), 'within');
    const resolved = transition(extended, { type: 'resolve', actor: unit, answer: 'Đã sửa' }, vn('2026-02-27T16:00:00')).report;
    assert.equal(deadlineStatus(resolved, vn('2026-03-10T09:00:00')), 'done_on_time');
  });
});

describe('deadlineStatus', () => {
  const open = (deadline: string, state: DeadlineReport['state'] = 'assigned'): DeadlineReport => ({
    state,
    deadline: endOf(deadline),
    resolvedAt: null,
  });

  test('at the exact end of the deadline day the report is still due; one millisecond later it is overdue', () => {
    const report = open('2026-03-11'); // Wednesday
    assert.equal(deadlineStatus(report, endOf('2026-03-11')), 'due_tomorrow');
    assert.equal(deadlineStatus(report, new Date(endOf('2026-03-11').getTime() + 1)), 'overdue');
  });

  test('due tomorrow starts when the next working day is the deadline day', () => {
    const report = open('2026-03-11', 'in_progress');
    assert.equal(deadlineStatus(report, endOf('2026-03-09')), 'within');
    assert.equal(deadlineStatus(report, vn('2026-03-10T00:00:00')), 'due_tomorrow');
  });

  test('over a weekend: a Monday deadline is due tomorrow from Friday, not from Thursday', () => {
    const report = open('2026-03-09');
    assert.equal(deadlineStatus(report, vn('2026-03-05T16:00:00')), 'within');
    assert.equal(deadlineStatus(report, vn('2026-03-06T08:00:00')), 'due_tomorrow');
    assert.equal(deadlineStatus(report, vn('2026-03-07T10:00:00')), 'due_tomorrow');
  });

  test('over Tết: a deadline on Monday 23 February 2026 is due tomorrow from Friday 13 February', () => {
    const report = open('2026-02-23', 'verified');
    assert.equal(deadlineStatus(report, vn('2026-02-12T10:00:00')), 'within');
    assert.equal(deadlineStatus(report, vn('2026-02-13T10:00:00')), 'due_tomorrow');
    assert.equal(deadlineStatus(report, vn('2026-02-18T10:00:00')), 'due_tomorrow');
  });

  test('a resolution at the last instant is on time, one millisecond later is late, whatever asOf', () => {
    const deadline = endOf('2026-03-11');
    const later = vn('2026-04-01T00:00:00');
    for (const state of ['resolved', 'closed'] as const) {
      assert.equal(deadlineStatus({ state, deadline, resolvedAt: deadline }, later), 'done_on_time');
      assert.equal(deadlineStatus({ state, deadline, resolvedAt: new Date(deadline.getTime() + 1) }, later), 'done_late');
    }
  });

  test('no deadline applies before verification, nor to rejected or merged reports', () => {
    assert.equal(deadlineStatus({ state: 'received', deadline: null, resolvedAt: null }, vn('2026-03-10T10:00:00')), null);
    assert.equal(deadlineStatus({ state: 'rejected', deadline: null, resolvedAt: null }, vn('2026-03-10T10:00:00')), null);
    assert.equal(deadlineStatus(open('2026-03-01', 'merged'), vn('2026-03-10T10:00:00')), null);
  });
});

describe('workingHoursBetween: 08:00–12:00 and 13:00–17:00 on working days', () => {
  test('within one day, the lunch break and the hours outside the office do not count', () => {
    assert.equal(workingHoursBetween(vn('2026-03-10T09:00:00'), vn('2026-03-10T15:30:00')), 5.5);
    assert.equal(workingHoursBetween(vn('2026-03-10T11:30:00'), vn('2026-03-10T13:30:00')), 1);
    assert.equal(workingHoursBetween(vn('2026-03-10T06:00:00'), vn('2026-03-10T20:00:00')), 8);
    assert.equal(workingHoursBetween(vn('2026-03-10T12:10:00'), vn('2026-03-10T12:50:00')), 0);
  });

  test('over a weekend only Friday afternoon and Monday morning count', () => {
    assert.equal(workingHoursBetween(vn('2026-03-06T16:00:00'), vn('2026-03-09T09:00:00')), 2);
    assert.equal(workingHoursBetween(vn('2026-03-06T15:00:00'), vn('2026-03-10T10:00:00')), 12);
    assert.equal(workingHoursBetween(vn('2026-03-07T10:00:00'), vn('2026-03-08T15:00:00')), 0);
  });

  test('a week of five working days is 40 hours; Tết adds none', () => {
    assert.equal(workingHoursBetween(vn('2026-03-10T10:00:00'), vn('2026-03-17T10:00:00')), 40);
    assert.equal(workingHoursBetween(vn('2026-02-13T08:00:00'), vn('2026-02-23T17:00:00')), 16);
  });

  test('reversed bounds give a negative number', () => {
    assert.equal(workingHoursBetween(vn('2026-03-09T09:00:00'), vn('2026-03-06T16:00:00')), -2);
  });

  test('a locality may set its own office hours', () => {
    const hue = createFeedbackDeadlines({
      calendar,
      workingPeriods: [
        { start: '07:30', end: '11:30' },
        { start: '13:30', end: '17:00' },
      ],
    });
    assert.equal(hue.workingHoursBetween(vn('2026-03-09T00:00:00'), vn('2026-03-10T00:00:00')), 7.5);
    assert.throws(() => createFeedbackDeadlines({ calendar, workingPeriods: [{ start: '13:00', end: '12:00' }] }), RangeError);
    assert.throws(() => createFeedbackDeadlines({ calendar, workingPeriods: [{ start: '8h', end: '12:00' }] }), RangeError);
  });
});
