import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../platform/errors/errors.js';
import { drillDowns, resolvePeriod } from './scorecard.js';

// 05:56 on Friday 27 November 2026 in Vietnam (22:56 UTC the day before).
const now = new Date('2026-11-26T22:56:00Z');

describe('the period of a scorecard request', () => {
  test('by default the current month of Vietnam’s calendar, read from the monthly rollups', () => {
    const p = resolvePeriod({}, now);
    assert.deepEqual([p.out.kind, p.out.year, p.out.index, p.out.from, p.out.to, p.out.label], ['month', 2026, 11, '2026-11-01', '2026-11-30', 'Tháng 11/2026']);
    assert.deepEqual(p.months, { firstMonth: '2026-11-01', lastMonth: '2026-11-01' });
    assert.equal(p.out.start, '2026-10-31T17:00:00.000Z');
    assert.equal(p.out.end, '2026-11-30T16:59:59.999Z');
  });

  test('quarters, halves and years, with their current index by default', () => {
    const q = resolvePeriod({ period: 'quarter' }, now);
    assert.deepEqual([q.out.index, q.out.from, q.out.to, q.out.label], [4, '2026-10-01', '2026-12-31', 'Quý IV/2026']);
    const h = resolvePeriod({ period: 'half', year: 2025, index: 1 }, now);
    assert.deepEqual([h.out.from, h.out.to, h.out.label, h.months?.lastMonth], ['2025-01-01', '2025-06-30', '6 tháng đầu năm 2025', '2025-06-01']);
    const y = resolvePeriod({ period: 'year', year: 2024 }, now);
    assert.deepEqual([y.out.from, y.out.to, y.out.label, y.months], ['2024-01-01', '2024-12-31', 'Năm 2024', { firstMonth: '2024-01-01', lastMonth: '2024-12-01' }]);
  });

  test('a range of whole months is read from the rollups; any other range from the dossiers', () => {
    assert.deepEqual(resolvePeriod({ period: 'range', from: '2024-02-01', to: '2024-02-29' }, now).months, { firstMonth: '2024-02-01', lastMonth: '2024-02-01' });
    assert.deepEqual(resolvePeriod({ period: 'range', from: '2025-11-01', to: '2026-01-31' }, now).months, { firstMonth: '2025-11-01', lastMonth: '2026-01-01' });
    for (const [from, to] of [['2024-02-01', '2024-02-28'], ['2024-02-02', '2024-02-29'], ['2026-03-05', '2026-03-05']]) {
      assert.equal(resolvePeriod({ period: 'range', from, to }, now).months, null, `${from}..${to}`);
    }
    assert.equal(resolvePeriod({ period: 'range', from: '2026-03-05', to: '2026-03-20' }, now).out.label, 'Từ 05/03/2026 đến 20/03/2026');
  });

  test('a wrong period is a 400 the user can read', () => {
    for (const query of [{ period: 'range' as const, from: '2026-03-01' }, { period: 'range' as const, from: '2026-03-02', to: '2026-03-01' }, { period: 'quarter' as const, index: 5 }]) {
      assert.throws(
        () => resolvePeriod(query, now),
        (err: unknown) => err instanceof AppError && err.status === 400 && err.code === 'INVALID_PERIOD',
        JSON.stringify(query),
      );
    }
  });
});

test('the drill-down of "handled on time" judges at the period’s last instant', () => {
  const p = resolvePeriod({ period: 'month', year: 2026, index: 2 }, now);
  assert.deepEqual(drillDowns(7, p.period).dossiersHandledOnTime?.list, {
    unitId: '7',
    from: '2026-02-01',
    to: '2026-02-28',
    basis: 'handled',
    asOf: '2026-02-28T16:59:59.999Z',
    timeliness: 'completed_on_time,in_process_within',
  });
});
