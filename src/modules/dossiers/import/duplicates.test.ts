import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodeIndex, DataHash } from './duplicates.js';

const code = (i: number) => `000.00.12.H23-${String(i).padStart(7, '0')}`;

test('the index remembers every code through its growth, with its first line and data', () => {
  const index = new CodeIndex(16);
  const n = 200_000;
  for (let i = 0; i < n; i++) assert.equal(index.see(code(i), -i, i + 2), null);
  assert.equal(index.count, n);
  for (const i of [0, 1, 15, 16, 17, 1023, 65_536, n - 1]) {
    assert.deepEqual(index.see(code(i), -i, 999_999), { firstLine: i + 2, sameData: true });
    assert.deepEqual(index.see(code(i), 7, 999_999), { firstLine: i + 2, sameData: false });
  }
  assert.equal(index.count, n);
  assert.equal(index.see(code(n), 0, 5), null);
});

test('the data hash tells apart values that only move between fields', () => {
  const h = new DataHash();
  const of = (build: (h: DataHash) => DataHash) => build(h.start(1)).value;
  assert.equal(of((x) => x.text('ab').text('c')), of((x) => x.text('ab').text('c')));
  assert.notEqual(of((x) => x.text('ab').text('c')), of((x) => x.text('a').text('bc')));
  assert.notEqual(of((x) => x.number(1).number(2)), of((x) => x.number(2).number(1)));
  assert.notEqual(of((x) => x.number(1_772_674_500_000)), of((x) => x.number(1_772_674_500_001)));
  assert.notEqual(of((x) => x.number(2 ** 32)), of((x) => x.number(0)));
  assert.notEqual(of((x) => x.text('x')), h.start(2).text('x').value);
  assert.notEqual(of((x) => x.number(-1)), of((x) => x.number(0)));
});
