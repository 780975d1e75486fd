import assert from 'node:assert/strict';
import { test } from 'node:test';
import { monthText, rollupMonths, vietnamMonthNumber } from './rollups.js';

const month = (at: string) => monthText(vietnamMonthNumber(new Date(at)));
const months = (receivedAt: string, endedAt: string | null, overdueFrom: string | null) => {
  const m = rollupMonths({ receivedAt: new Date(receivedAt), endedAt: endedAt ? new Date(endedAt) : null, overdueFrom: overdueFrom ? new Date(overdueFrom) : null });
  return [monthText(m.received), monthText(m.ended), monthText(m.overdue)];
};

test('a month is Vietnam’s: the first hours of a month in UTC+7 are still the month before in UTC', () => {
  assert.equal(month('2026-02-01T00:10:00+07:00'), '2026-02-01');
  assert.equal(month('2026-01-31T23:59:59.999+07:00'), '2026-01-01');
  assert.equal(month('2025-12-31T17:00:00Z'), '2026-01-01');
  assert.equal(month('1999-12-31T16:59:59Z'), '1999-12-01');
});

test('the rollup months: ended or open (infinity); overdue only before the month it ended in, and not before receipt', () => {
  assert.deepEqual(months('2026-03-05T08:00:00+07:00', null, null), ['2026-03-01', 'infinity', 'infinity']);
  assert.deepEqual(months('2026-03-05T08:00:00+07:00', null, '2026-04-02T00:00:00+07:00'), ['2026-03-01', 'infinity', '2026-04-01']);
  // Late, but ended in the month it turned late: never overdue at a month's end.
  assert.deepEqual(months('2026-03-05T08:00:00+07:00', '2026-04-20T08:00:00+07:00', '2026-04-02T00:00:00+07:00'), ['2026-03-01', '2026-04-01', 'infinity']);
  assert.deepEqual(months('2026-03-05T08:00:00+07:00', '2026-05-03T08:00:00+07:00', '2026-04-02T00:00:00+07:00'), ['2026-03-01', '2026-05-01', '2026-04-01']);
  // Overdue from before receipt (a second supplement request, a promised date in the past): from the month of receipt.
  assert.deepEqual(months('2026-03-05T08:00:00+07:00', null, '2026-02-27T00:00:00+07:00'), ['2026-03-01', 'infinity', '2026-03-01']);
});
