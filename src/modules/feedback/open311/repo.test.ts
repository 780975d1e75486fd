import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JS_TRIMMED } from './repo.js';

test('the characters PostgreSQL trims from a refusal text are those String.prototype.trim removes', () => {
  const trimmed: string[] = [];
  // trim() removes only characters of the Basic Multilingual Plane.
  for (let c = 0; c <= 0xffff; c++) if (`a${String.fromCharCode(c)}`.trim() === 'a') trimmed.push(String.fromCharCode(c));
  assert.deepEqual([...JS_TRIMMED].sort(), trimmed.sort());
});
