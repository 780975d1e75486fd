import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatIsoDate, parseIsoDate, weekday } from './isoDate.js';

describe('ISO business dates', () => {
  test('day numbers count from 1970-01-01 and agree with Date.UTC', () => {
    assert.equal(parseIsoDate('1970-01-01'), 0);
    for (const iso of ['1900-03-01', '2000-02-29', '2026-02-17', '2199-12-31']) {
      assert.equal(parseIsoDate(iso), Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
      assert.equal(formatIsoDate(parseIsoDate(iso)), iso);
    }
  });

  test('weekday: 2026-02-17 is a Tuesday, 2026-04-26 a Sunday', () => {
    assert.equal(weekday(parseIsoDate('2026-02-17')), 2);
    assert.equal(weekday(parseIsoDate('2026-04-26')), 0);
  });

  test('anything but an existing YYYY-MM-DD date is a RangeError that shows the input', () => {
    for (const bad of ['2026-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-02-17T00:00:00Z', ' 2026-02-17', '26-02-17']) {
      assert.throws(
        () => parseIsoDate(bad),
        (error) => error instanceof RangeError && error.message.includes(JSON.stringify(bad)),
      );
    }
    assert.throws(() => parseIsoDate(undefined as unknown as string), RangeError);
  });
});
