import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { groupedMedian, planPeriod } from './stats.js';

/** An instant given as Vietnamese wall-clock time. */
const vn = (local: string) => new Date(`${local}+07:00`);
const day = (date: string) => vn(`${date}T00:00:00`);

describe('planPeriod: whole months from the rollups, the rest from the reports', () => {
  const at = vn('2026-11-26T15:00:00');

  test('a period of whole months reads only the rollups', () => {
    assert.deepEqual(planPeriod(day('2026-01-01'), day('2027-01-01'), at), { months: { first: '2026-01-01', end: '2027-01-01' }, ranges: [] });
    assert.deepEqual(planPeriod(day('2026-03-01'), day('2026-04-01'), at), { months: { first: '2026-03-01', end: '2026-04-01' }, ranges: [] });
  });

  test('a month cut short at the start is read from its reports when that covers less time', () => {
    // 26 to 30 November 2025 (5 days) rather than the month minus 1 to 25 November (25 days).
    const plan = planPeriod(day('2025-11-26'), day('2026-11-27'), at);
    assert.deepEqual(plan.months, { first: '2025-12-01', end: '2026-12-01' });
    assert.deepEqual(plan.ranges, [
      { from: day('2025-11-26'), to: day('2025-12-01'), sign: 1 },
      // The current month is its rollup minus what is received after the period: nothing yet.
      { from: day('2026-11-27'), to: day('2026-12-01'), sign: -1 },
    ]);
  });

  test('a month missing a few days is its rollup minus those days', () => {
    const plan = planPeriod(day('2026-05-03'), day('2026-06-01'), at);
    assert.deepEqual(plan, { months: { first: '2026-05-01', end: '2026-06-01' }, ranges: [{ from: day('2026-05-01'), to: day('2026-05-03'), sign: -1 }] });
  });

  test('days inside one month: the days themselves, or the month minus both sides', () => {
    assert.deepEqual(planPeriod(day('2026-05-10'), day('2026-05-15'), at), { months: null, ranges: [{ from: day('2026-05-10'), to: day('2026-05-15'), sign: 1 }] });
    assert.deepEqual(planPeriod(day('2026-05-02'), day('2026-05-31'), at), {
      months: { first: '2026-05-01', end: '2026-06-01' },
      ranges: [
        { from: day('2026-05-01'), to: day('2026-05-02'), sign: -1 },
        { from: day('2026-05-31'), to: day('2026-06-01'), sign: -1 },
      ],
    });
  });

  test('an empty or reversed period reads nothing', () => {
    assert.deepEqual(planPeriod(day('2026-05-10'), day('2026-05-10'), at), { months: null, ranges: [] });
    assert.deepEqual(planPeriod(day('2026-05-10'), day('2026-04-10'), at), { months: null, ranges: [] });
  });
});

describe('groupedMedian: the median of whole-hour buckets, interpolated within its bucket', () => {
  test('no report, no median', () => {
    assert.equal(groupedMedian([]), null);
    assert.equal(groupedMedian([0, 0, 0, 0]), null);
  });

  test('the middle report sits in a bucket: its share of that bucket gives the fraction', () => {
    // 4 reports in [2, 3): the 2nd of 4 is halfway through the bucket.
    assert.equal(groupedMedian([0, 0, 4]), 2.5);
    // 10 reports: 3 below 5 h, 4 in [5, 6), 3 above; the 5th is the 2nd of 4 in its bucket.
    assert.equal(groupedMedian([0, 3, 0, 0, 0, 4, 0, 0, 0, 3]), 5.5);
    // One report in [7, 8): the bucket's middle.
    assert.equal(groupedMedian([0, 0, 0, 0, 0, 0, 0, 1]), 7.5);
  });

  test('rounded to 0.1 h', () => {
    // 4 reports: the 2nd is 1 past the one below bucket 4, which holds 3 → 4 + 1/3.
    assert.equal(groupedMedian([1, 0, 0, 0, 3]), 4.3);
  });
});
