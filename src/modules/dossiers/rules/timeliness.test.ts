import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCalendar } from '../../../platform/calendar/calendar.js';
import { type TimelinessFacts, countsAsOnTime, timelinessAsOf } from './timeliness.js';

const calendar = createCalendar([]);
const vn = (local: string) => new Date(`${local}+07:00`);
const endOf = (date: string) => vn(`${date}T23:59:59.999`);
const later = vn('2026-06-01T00:00:00');

// Received Monday 2 March 2026 at 09:00, promised Thursday 5 March.
const dossier = (overrides: Partial<TimelinessFacts>): TimelinessFacts => ({
  receivedAt: vn('2026-03-02T09:00:00'),
  promisedReturnDate: '2026-03-05',
  processingWorkingDays: 3,
  supplements: [],
  events: [{ status: 'accepted', at: vn('2026-03-02T09:00:00') }],
  ...overrides,
});
const processedAt = (at: Date) => dossier({ events: [{ status: 'accepted', at: vn('2026-03-02T09:00:00') }, { status: 'processed', at }] });

describe('an ended dossier is judged at its end', () => {
  test('processed at any time on the promised day is on time, through 23:59:59.999 +07:00', () => {
    for (const at of [vn('2026-03-05T08:00:00'), vn('2026-03-05T17:30:00'), endOf('2026-03-05')]) {
      assert.equal(timelinessAsOf(calendar, processedAt(at), later).timeliness, 'completed_on_time', at.toISOString());
    }
  });

  test('one millisecond after the promised day it is late, past due', () => {
    const result = timelinessAsOf(calendar, processedAt(new Date(endOf('2026-03-05').getTime() + 1)), later);
    assert.equal(result.timeliness, 'completed_late');
    assert.deepEqual(result.lateReasons, ['past_due']);
    assert.deepEqual(result.deadline?.dueAt, endOf('2026-03-05'));
  });

  test('not accepted, withdrawn and stopped end it too, judged the same way', () => {
    for (const status of ['not_accepted', 'withdrawn', 'stopped'] as const) {
      const ended = dossier({ events: [{ status, at: vn('2026-03-03T10:00:00') }] });
      assert.equal(timelinessAsOf(calendar, ended, later).timeliness, 'completed_on_time', status);
    }
  });

  test('a second supplement request after the end does not count', () => {
    const result = timelinessAsOf(
      calendar,
      dossier({
        events: [{ status: 'processed', at: vn('2026-03-04T10:00:00') }],
        supplements: [
          { askedAt: vn('2026-03-03T09:00:00'), answeredAt: vn('2026-03-03T15:00:00') },
          { askedAt: vn('2026-03-04T11:00:00'), answeredAt: null },
        ],
      }),
      later,
    );
    assert.equal(result.timeliness, 'completed_on_time');
    assert.equal(result.deadline?.supplementRequests, 1);
  });
});

describe('an open dossier is judged at the instant asked', () => {
  const open = dossier({});

  test('before receipt it is not received; then within the deadline through its last instant; then overdue', () => {
    assert.equal(timelinessAsOf(calendar, open, vn('2026-03-02T08:59:59.999')).timeliness, 'not_received');
    assert.equal(timelinessAsOf(calendar, open, vn('2026-03-02T09:00:00')).timeliness, 'in_process_within');
    assert.equal(timelinessAsOf(calendar, open, endOf('2026-03-05')).timeliness, 'in_process_within');
    const overdue = timelinessAsOf(calendar, open, new Date(endOf('2026-03-05').getTime() + 1));
    assert.equal(overdue.timeliness, 'in_process_overdue');
    assert.deepEqual(overdue.lateReasons, ['past_due']);
  });

  test('the second supplement request makes it overdue from that moment, before its due date', () => {
    const twice = dossier({
      supplements: [
        { askedAt: vn('2026-03-02T14:00:00'), answeredAt: vn('2026-03-02T16:00:00') },
        { askedAt: vn('2026-03-03T10:00:00'), answeredAt: null },
      ],
    });
    assert.equal(timelinessAsOf(calendar, twice, vn('2026-03-03T09:59:59')).timeliness, 'in_process_within');
    const after = timelinessAsOf(calendar, twice, vn('2026-03-03T10:00:00'));
    assert.equal(after.timeliness, 'in_process_overdue');
    assert.deepEqual(after.lateReasons, ['supplements']);
  });

  test('while the citizen holds a supplement request the dossier does not turn overdue', () => {
    const waiting = dossier({ supplements: [{ askedAt: vn('2026-03-04T10:00:00'), answeredAt: null }] });
    // Asked Wed 4; as of Mon 16 March, (4, 16] holds 5, 6, 9, 10, 11, 12, 13, 16 = 8 working days paused.
    const result = timelinessAsOf(calendar, waiting, vn('2026-03-16T12:00:00'));
    assert.equal(result.timeliness, 'in_process_within');
    assert.equal(result.deadline?.pausedWorkingDays, 8);
    assert.equal(result.deadline?.dueDate, '2026-03-17'); // Thu 5 + 8 working days
  });
});

test('on time in the 766 sense: ended on time or in process within the deadline', () => {
  assert.deepEqual(
    (['not_received', 'in_process_within', 'in_process_overdue', 'completed_on_time', 'completed_late'] as const).map(countsAsOnTime),
    [false, true, false, true, false],
  );
});
