import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPercent, rate, weightedProgress } from './figures.js';

test('overall progress weighs each segment by its length', () => {
  assert.equal(weightedProgress([{ lengthKm: 3, progress: 80 }, { lengthKm: 1, progress: 40 }]), 70);
  assert.equal(weightedProgress([{ lengthKm: 1.5, progress: 75 }, { lengthKm: 1.5, progress: 0 }]), 37.5);
  assert.equal(weightedProgress([]), null);
});

test('rates are percentages with two decimals; nothing to divide by gives null', () => {
  assert.equal(rate(45e9, 100e9), 45);
  assert.equal(rate(1, 3), 33.33);
  assert.equal(rate(5, 0), null);
});

test('a percentage is 0–100 inclusive', () => {
  assert.deepEqual([-0.01, 0, 100, 100.01, Number.NaN].map(isPercent), [false, true, true, false, false]);
});
