import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inPeriod, reportingPeriod } from './period.js';

const vn = (local: string) => new Date(`${local}+07:00`);

describe('reporting periods', () => {
  test('month, quarter, half-year and year run from the first to the last day, in Vietnam time', () => {
    assert.deepEqual(reportingPeriod({ kind: 'month', year: 2026, month: 2 }), {
      from: '2026-02-01',
      to: '2026-02-28',
      start: vn('2026-02-01T00:00:00'),
      end: vn('2026-02-28T23:59:59.999'),
    });
    const q = reportingPeriod({ kind: 'quarter', year: 2026, quarter: 4 });
    assert.deepEqual([q.from, q.to], ['2026-10-01', '2026-12-31']);
    const h = reportingPeriod({ kind: 'half', year: 2024, half: 1 });
    assert.deepEqual([h.from, h.to], ['2024-01-01', '2024-06-30']);
    const y = reportingPeriod({ kind: 'year', year: 2026 });
    assert.deepEqual([y.from, y.to], ['2026-01-01', '2026-12-31']);
    assert.deepEqual(reportingPeriod({ kind: 'month', year: 2024, month: 2 }).to, '2024-02-29');
  });

  test('a custom range includes both days', () => {
    const range = reportingPeriod({ kind: 'range', from: '2026-02-13', to: '2026-02-23' });
    assert.equal(inPeriod(range, vn('2026-02-13T00:00:00')), true);
    assert.equal(inPeriod(range, vn('2026-02-23T23:59:59.999')), true);
    assert.equal(inPeriod(range, vn('2026-02-12T23:59:59.999')), false);
    assert.equal(inPeriod(range, vn('2026-02-24T00:00:00')), false);
  });

  test('an impossible period is a RangeError', () => {
    assert.throws(() => reportingPeriod({ kind: 'month', year: 2026, month: 13 }), RangeError);
    assert.throws(() => reportingPeriod({ kind: 'quarter', year: 2026, quarter: 0 }), RangeError);
    assert.throws(() => reportingPeriod({ kind: 'half', year: 2026, half: 3 }), RangeError);
    assert.throws(() => reportingPeriod({ kind: 'year', year: 1800 }), RangeError);
    assert.throws(() => reportingPeriod({ kind: 'range', from: '2026-03-01', to: '2026-02-01' }), RangeError);
    assert.throws(() => reportingPeriod({ kind: 'range', from: '2026-02-30', to: '2026-03-01' }), RangeError);
  });
});
