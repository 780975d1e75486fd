import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCalendar } from '../../../platform/calendar/calendar.js';
import { type DeadlineFacts, baseDueDate, dossierDeadline, pausedWorkingDays } from './deadline.js';

// February 2026: Mon 2 – Fri 6, Mon 9 – Fri 13 worked; Mon 16 – Fri 20 Tết (off, per the calendar);
// Mon 23 – Fri 27 worked; Sat 28. March: Mon 2 – Fri 6, Mon 9 worked.
const calendar = createCalendar([]);
const vn = (local: string) => new Date(`${local}+07:00`);
const endOf = (date: string) => vn(`${date}T23:59:59.999`);

const facts = (overrides: Partial<DeadlineFacts>): DeadlineFacts => ({
  receivedAt: vn('2026-02-09T10:00:00'),
  promisedReturnDate: null,
  processingWorkingDays: 5,
  supplements: [],
  ...overrides,
});

describe('the base due date', () => {
  test('received + n working days, counted from the next day, across Tết', () => {
    // Mon 9 Feb + 5: Tue 10, Wed 11, Thu 12, Fri 13, (Tết), Mon 23.
    assert.equal(baseDueDate(calendar, facts({})), '2026-02-23');
    // Received at 23:30 on Thu 12 in Vietnam (16:30 UTC the same day): 3 days → Fri 13, Mon 23, Tue 24.
    assert.equal(baseDueDate(calendar, facts({ receivedAt: vn('2026-02-12T23:30:00'), processingWorkingDays: 3 })), '2026-02-24');
    // Submitted online during Tết (Tue 17): 3 days → Mon 23, Tue 24, Wed 25.
    assert.equal(baseDueDate(calendar, facts({ receivedAt: vn('2026-02-17T20:00:00'), processingWorkingDays: 3 })), '2026-02-25');
  });

  test('0 working days ("trong ngày") is the day of receipt, or the next working day when received on a day off', () => {
    assert.equal(baseDueDate(calendar, facts({ receivedAt: vn('2026-02-13T15:00:00'), processingWorkingDays: 0 })), '2026-02-13');
    assert.equal(baseDueDate(calendar, facts({ receivedAt: vn('2026-02-18T09:00:00'), processingWorkingDays: 0 })), '2026-02-23');
  });

  test('the promised date wins over the processing time; on a day off it moves to the next working day', () => {
    assert.equal(baseDueDate(calendar, facts({ promisedReturnDate: '2026-02-12' })), '2026-02-12');
    assert.equal(baseDueDate(calendar, facts({ promisedReturnDate: '2026-02-17' })), '2026-02-23');
    assert.equal(baseDueDate(calendar, facts({ promisedReturnDate: '2026-02-28', processingWorkingDays: null })), '2026-03-02');
  });

  test('without a promised date or a processing time, or with a bad one, it is a RangeError', () => {
    assert.throws(() => baseDueDate(calendar, facts({ processingWorkingDays: null })), RangeError);
    for (const bad of [-1, 1.5, Number.NaN]) assert.throws(() => baseDueDate(calendar, facts({ processingWorkingDays: bad })), RangeError);
  });
});

describe('supplement pauses: working days d with date asked < d <= date answered', () => {
  const at = vn('2026-03-31T12:00:00');

  test('asked and answered the same day pauses nothing', () => {
    assert.equal(pausedWorkingDays(calendar, [{ askedAt: vn('2026-02-10T09:00:00'), answeredAt: vn('2026-02-10T16:00:00') }], at), 0);
  });

  test('asked Friday 13 February, answered Monday 23 February: only the 23rd is paused, Tết adds nothing', () => {
    assert.equal(pausedWorkingDays(calendar, [{ askedAt: vn('2026-02-13T15:00:00'), answeredAt: vn('2026-02-23T09:00:00') }], at), 1);
  });

  test('asked Thursday 12, answered Tuesday 24 February: 13, 23 and 24 are paused', () => {
    assert.equal(pausedWorkingDays(calendar, [{ askedAt: vn('2026-02-12T11:00:00'), answeredAt: vn('2026-02-24T14:00:00') }], at), 3);
  });

  test('an unanswered request pauses up to the instant judged; a request after it is not counted', () => {
    const open = [{ askedAt: vn('2026-02-12T11:00:00'), answeredAt: null }];
    assert.equal(pausedWorkingDays(calendar, open, vn('2026-02-12T17:00:00')), 0);
    assert.equal(pausedWorkingDays(calendar, open, vn('2026-02-13T17:00:00')), 1);
    assert.equal(pausedWorkingDays(calendar, open, vn('2026-02-19T17:00:00')), 1); // Tết
    assert.equal(pausedWorkingDays(calendar, open, vn('2026-02-23T08:00:00')), 2);
    assert.equal(pausedWorkingDays(calendar, open, vn('2026-02-11T17:00:00')), 0);
  });

  test('an answer later than the instant judged counts only up to that instant', () => {
    const answeredLate = [{ askedAt: vn('2026-02-12T11:00:00'), answeredAt: vn('2026-02-24T14:00:00') }];
    assert.equal(pausedWorkingDays(calendar, answeredLate, vn('2026-02-13T17:00:00')), 1);
  });

  test('overlapping requests are counted once; separate ones add up', () => {
    // (10, 13] = 11, 12, 13 and (12, 23] = 13, 23: union 11, 12, 13, 23.
    const overlapping = [
      { askedAt: vn('2026-02-10T09:00:00'), answeredAt: vn('2026-02-13T09:00:00') },
      { askedAt: vn('2026-02-12T09:00:00'), answeredAt: vn('2026-02-23T09:00:00') },
    ];
    assert.equal(pausedWorkingDays(calendar, overlapping, at), 4);
    // (3, 4] = 4 and (4, 5] = 5: adjacent, 2.
    const adjacent = [
      { askedAt: vn('2026-02-03T09:00:00'), answeredAt: vn('2026-02-04T09:00:00') },
      { askedAt: vn('2026-02-04T10:00:00'), answeredAt: vn('2026-02-05T09:00:00') },
    ];
    assert.equal(pausedWorkingDays(calendar, adjacent, at), 2);
  });

  test('an answer before its request is a RangeError', () => {
    assert.throws(
      () => pausedWorkingDays(calendar, [{ askedAt: vn('2026-02-12T11:00:00'), answeredAt: vn('2026-02-12T10:00:00') }], at),
      RangeError,
    );
  });
});

describe('dossierDeadline moves the due date by the paused working days', () => {
  test('base Mon 23 February, 3 days paused → Thu 26 February, met until 23:59:59.999 +07:00', () => {
    const deadline = dossierDeadline(
      calendar,
      facts({ supplements: [{ askedAt: vn('2026-02-12T11:00:00'), answeredAt: vn('2026-02-24T14:00:00') }] }),
      vn('2026-02-27T10:00:00'),
    );
    assert.deepEqual(deadline, {
      baseDueDate: '2026-02-23',
      pausedWorkingDays: 3,
      supplementRequests: 1,
      dueDate: '2026-02-26',
      dueAt: endOf('2026-02-26'),
    });
  });

  test('a promised date on Saturday 28 February is due Monday 2 March; a day paused → Tuesday 3 March', () => {
    const deadline = dossierDeadline(
      calendar,
      facts({ promisedReturnDate: '2026-02-28', supplements: [{ askedAt: vn('2026-02-27T09:00:00'), answeredAt: vn('2026-03-02T09:00:00') }] }),
      vn('2026-03-05T00:00:00'),
    );
    assert.equal(deadline.baseDueDate, '2026-03-02');
    assert.equal(deadline.pausedWorkingDays, 1);
    assert.equal(deadline.dueDate, '2026-03-03');
  });
});
