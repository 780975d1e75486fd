import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoInstant } from './dossier-row.js';

test('isoInstant writes every instant as toISOString does', () => {
  const instants = [0, 1, 999, 86_399_999, 86_400_000, Date.UTC(2026, 1, 28, 23, 59, 59, 999), Date.UTC(2026, 2, 1), Date.UTC(2024, 1, 29, 12), Date.UTC(2000, 0, 1, 0, 0, 0, 1)];
  for (let i = 0; i < 20_000; i++) instants.push(Math.floor(Date.UTC(2000, 0, 1) + Math.random() * 40 * 365 * 86_400_000));
  for (const ms of instants) assert.equal(isoInstant(new Date(ms)), new Date(ms).toISOString(), String(ms));
});
