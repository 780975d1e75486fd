import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  COUNT_NAMES,
  DEFAULT_MEASURE_WEIGHTS,
  SCORECARD_GROUPS,
  type ScorecardCounts,
  checkMeasureWeights,
  measureScore,
  rankSiblings,
  scorecard766,
} from './scorecard766.js';

const close = (actual: number | null, expected: number, message?: string) => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${message ?? ''} expected ${expected}, got ${actual}`);
};

/** Every rate at 100%: full marks. */
const perfect: ScorecardCounts = {
  proceduresEffective: 4,
  proceduresPublishedOnTime: 4,
  dossiersReceived: 10,
  dossiersSynced: 10,
  dossiersHandled: 10,
  dossiersHandledOnTime: 10,
  dossiersHandledWithComplaint: 0,
  proceduresInForce: 10,
  proceduresFullyOnline: 10,
  dossiersReceivedOnlineCapable: 10,
  dossiersReceivedOnline: 10,
  dossiersWithFee: 10,
  dossiersPaidOnline: 10,
  feedbackDue: 5,
  feedbackHandledOnTime: 5,
  resultsIssued: 10,
  resultsElectronic: 10,
  dossiersDigitised: 10,
  dossiersReusingData: 10,
};

describe('the six groups and their points', () => {
  test('18, 20, 12, 10, 18, 22: 100 in all; the default split adds up inside each group', () => {
    assert.deepEqual(
      SCORECARD_GROUPS.map((g) => g.points),
      [18, 20, 12, 10, 18, 22],
    );
    assert.doesNotThrow(() => checkMeasureWeights(DEFAULT_MEASURE_WEIGHTS));
  });

  test('a split that does not add up to its group, or a threshold outside (0, 1], is refused', () => {
    assert.throws(() => checkMeasureWeights({ ...DEFAULT_MEASURE_WEIGHTS, '1.1': { points: 10, threshold: 1 } }), /group 1/);
    assert.throws(() => checkMeasureWeights({ ...DEFAULT_MEASURE_WEIGHTS, '3.2': { points: 6, threshold: 0 } }), RangeError);
    assert.throws(() => checkMeasureWeights({ ...DEFAULT_MEASURE_WEIGHTS, '3.2': { points: 6, threshold: 1.2 } }), RangeError);
  });

  test('a locality may move points inside a group', () => {
    const weights = { ...DEFAULT_MEASURE_WEIGHTS, '1.1': { points: 6, threshold: 1 }, '1.2': { points: 12, threshold: 1 } };
    // 1.1 at 1/2 → 3 of 6; 1.2 at 100% → 12.
    const card = scorecard766({ ...perfect, proceduresPublishedOnTime: 2 }, weights);
    close(card.groups[0].score, 15);
  });
});

describe('a measure scores linearly up to its threshold', () => {
  test('rate × points ÷ threshold, capped at the points', () => {
    close(measureScore(0.4, { points: 6, threshold: 0.8 }), 3);
    close(measureScore(0.8, { points: 6, threshold: 0.8 }), 6);
    close(measureScore(0.95, { points: 6, threshold: 0.8 }), 6);
    close(measureScore(0, { points: 6, threshold: 0.8 }), 0);
    close(measureScore(0.25, { points: 6, threshold: 0.5 }), 3);
  });

  test('all rates at 100%: 100 points, complete', () => {
    const card = scorecard766(perfect);
    close(card.earned, 100);
    close(card.outOf100, 100);
    assert.equal(card.complete, true);
    assert.deepEqual(card.unmeasured, []);
  });

  test('5.2 is 100% − (late rate + complaint rate), never below 0; full marks at 90%', () => {
    // 10 handled, 1 late, 0 complaints: 90% → 9 of 9.
    close(scorecard766({ ...perfect, dossiersHandledOnTime: 9 }).groups[4].measures[1].score, 9);
    // 10 handled, 2 late, 2 complaints: 60% → 9 × 0.6 ÷ 0.9 = 6.
    close(scorecard766({ ...perfect, dossiersHandledOnTime: 8, dossiersHandledWithComplaint: 2 }).groups[4].measures[1].score, 6);
    // 10 handled, 6 late, 7 complaints: 1 − 1.3 < 0 → 0.
    const floor = scorecard766({ ...perfect, dossiersHandledOnTime: 4, dossiersHandledWithComplaint: 7 }).groups[4].measures[1];
    assert.equal(floor.rate, 0);
    assert.equal(floor.score, 0);
  });
});

describe('no data and not applicable are neither zero nor full marks', () => {
  test('no sync records: 1.2 is left out with its 9 points; the total is over the 91 points measured', () => {
    const card = scorecard766({ ...perfect, dossiersSynced: null });
    const transparency = card.groups[0];
    assert.equal(transparency.measures[1].status, 'no_data');
    assert.equal(transparency.measures[1].score, null);
    assert.deepEqual(transparency.measures[1].counts, { dossiersSynced: null, dossiersReceived: 10 });
    close(transparency.score, 9);
    close(transparency.available, 9);
    close(card.earned, 91);
    close(card.available, 91);
    close(card.outOf100, 100);
    assert.equal(card.complete, false);
    assert.deepEqual(card.unmeasured, [{ id: '1.2', status: 'no_data' }]);
  });

  test('no fee-bearing dossier: 4.1 is not applicable and group 4 has no score', () => {
    const card = scorecard766({ ...perfect, dossiersWithFee: 0, dossiersPaidOnline: 0 });
    assert.equal(card.groups[3].measures[0].status, 'not_applicable');
    assert.equal(card.groups[3].score, null);
    assert.equal(card.groups[3].available, 0);
    close(card.available, 90);
    assert.deepEqual(card.unmeasured, [{ id: '4.1', status: 'not_applicable' }]);
  });

  test('nothing measured: no total, no rank', () => {
    const nothing = Object.fromEntries(COUNT_NAMES.map((name) => [name, null])) as ScorecardCounts;
    const card = scorecard766(nothing);
    assert.equal(card.outOf100, null);
    assert.equal(card.earned, 0);
    assert.equal(card.unmeasured.length, 11);
  });

  test('a negative or fractional count is refused', () => {
    assert.throws(() => scorecard766({ ...perfect, dossiersHandled: -1 }), RangeError);
    assert.throws(() => scorecard766({ ...perfect, dossiersHandled: 2.5 }), RangeError);
  });
});

describe('ranking sibling units', () => {
  const unit = (name: string, counts: Partial<ScorecardCounts>) => ({ name, scorecard: scorecard766({ ...perfect, ...counts }) });

  test('best first; equal scores as shown share a rank; a unit with nothing measured is last, unranked', () => {
    const nothing = Object.fromEntries(COUNT_NAMES.map((name) => [name, null])) as ScorecardCounts;
    const ranked = rankSiblings([
      unit('Xã An Bình', { dossiersHandledOnTime: 5 }), // 2.1: 10 of 20; 5.2: 50% → 9 × 0.5 ÷ 0.9 = 5 of 9: 100 − 10 − 4 = 86
      { name: 'Xã An Lâm', scorecard: scorecard766(nothing) },
      unit('Xã Nam Hồng', {}), // 100
      unit('Xã Nam Hưng', { dossiersHandledOnTime: 5 }), // 86
      unit('Xã Hợp Tiến', { dossiersPaidOnline: 9 }), // 4.1: 9 of 10: 99
    ]);
    assert.deepEqual(
      ranked.map((r) => [r.name, r.rank]),
      [
        ['Xã Nam Hồng', 1],
        ['Xã Hợp Tiến', 2],
        ['Xã An Bình', 3],
        ['Xã Nam Hưng', 3],
        ['Xã An Lâm', null],
      ],
    );
    close(ranked[2].scorecard.outOf100, 86);
  });
});
