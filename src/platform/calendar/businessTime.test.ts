import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { businessDateOf, endOfBusinessDay, startOfBusinessDay } from './businessTime.js';

describe('business dates and day bounds in Asia/Ho_Chi_Minh (UTC+7)', () => {
  test('an instant belongs to its Vietnamese date, which starts at 17:00 UTC the day before', () => {
    assert.equal(businessDateOf(new Date('2026-02-16T16:59:59.999Z')), '2026-02-16');
    assert.equal(businessDateOf(new Date('2026-02-16T17:00:00.000Z')), '2026-02-17');
    assert.equal(businessDateOf(new Date('2025-12-31T17:00:00.000Z')), '2026-01-01');
  });

  test('a business day runs from 00:00:00.000 to 23:59:59.999 +07:00', () => {
    assert.equal(startOfBusinessDay('2026-02-17').toISOString(), '2026-02-16T17:00:00.000Z');
    assert.equal(endOfBusinessDay('2026-02-17').toISOString(), '2026-02-17T16:59:59.999Z');
    assert.equal(businessDateOf(startOfBusinessDay('2026-02-17')), '2026-02-17');
    assert.equal(businessDateOf(endOfBusinessDay('2026-02-17')), '2026-02-17');
    assert.equal(endOfBusinessDay('2026-02-17').getTime() + 1, startOfBusinessDay('2026-02-18').getTime());
  });

  test('a malformed date or an invalid instant is a RangeError', () => {
    assert.throws(() => endOfBusinessDay('2026-02-30'), RangeError);
    assert.throws(() => startOfBusinessDay('17/02/2026'), RangeError);
    assert.throws(() => businessDateOf(new Date('not a date')), RangeError);
  });
});
