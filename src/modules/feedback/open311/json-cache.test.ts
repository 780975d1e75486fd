import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OrgUnitDirectory } from '../../../platform/orgunits/directory.js';
import type { CategoryCache } from '../category-cache.js';
import { createOpen311JsonCache, ENTRY_OVERHEAD_BYTES, MAX_ANSWERS, MAX_MEDIA_URL_PREFIXES } from './json-cache.js';

const MEDIA_URL_PREFIX = 'https://dieuhanh.example.vn/api/v1/public/feedback/photos/';
const base64 = (text: string) => Buffer.from(text).toString('base64');
/** A request's JSON of exactly `size` bytes. */
const jsonOf = (id: number, size = 100) => `{"service_request_id":"PA${id}"}`.padEnd(size, ' ');

/** The cache over stand-ins for the directory and the categories, whose snapshots a test replaces. */
function cacheOf(maxBytes: number) {
  const names = { units: {}, categories: {} };
  const directory = { snapshot: async () => names.units } as unknown as OrgUnitDirectory;
  const categories = { snapshot: async () => names.categories } as unknown as CategoryCache;
  return { cache: createOpen311JsonCache({ maxBytes, directory, categories }), names };
}

describe('the Open311 JSON cache', () => {
  test('given a request kept at a version, then it is found at that version only, and under its media URLs’ prefix only', async () => {
    const { cache } = cacheOf(1024 * 1024);
    const lookup = await cache.begin(MEDIA_URL_PREFIX);
    assert.ok(lookup);
    assert.equal(lookup.get(7, '1001'), undefined);
    const kept = lookup.keep(7, '1001', base64(jsonOf(7)));
    assert.equal(kept.toString(), jsonOf(7));
    assert.equal(lookup.get(7, '1001')?.toString(), jsonOf(7));
    assert.equal(lookup.get(7, '1002'), undefined, 'the report changed since');
    assert.equal((await cache.begin('http://10.0.0.5:3000/api/v1/public/feedback/photos/'))?.get(7, '1001'), undefined, 'another base URL, other media URLs');

    lookup.keep(7, '1002', base64(jsonOf(7, 120)));
    assert.equal(lookup.get(7, '1001'), undefined, 'a newer version replaces the older');
    assert.deepEqual(cache.stats(), { entries: 1, answers: 0, bytes: 120 + ENTRY_OVERHEAD_BYTES, hits: 1, written: 2 });
  });

  test('given more than the bound, then the least recently used requests go first and the bytes stay within it', async () => {
    const { cache } = cacheOf(3 * (100 + ENTRY_OVERHEAD_BYTES));
    const lookup = await cache.begin(MEDIA_URL_PREFIX);
    assert.ok(lookup);
    for (const id of [1, 2, 3]) lookup.keep(id, 'v', base64(jsonOf(id)));
    assert.ok(lookup.get(1, 'v'), 'used again: now the most recent');
    lookup.keep(4, 'v', base64(jsonOf(4)));
    assert.deepEqual(
      [1, 2, 3, 4].map((id) => lookup.get(id, 'v') !== undefined),
      [true, false, true, true],
    );
    assert.deepEqual(cache.stats().bytes, 3 * (100 + ENTRY_OVERHEAD_BYTES));

    // One larger than the whole bound is written into the answer but not kept, and evicts nothing.
    const huge = lookup.keep(5, 'v', base64(jsonOf(5, 4000)));
    assert.equal(huge.length, 4000);
    assert.equal(lookup.get(5, 'v'), undefined);
    assert.equal(cache.stats().entries, 3);
  });

  test('given the categories or the units read again, then nothing is kept from before, nor written by an answer that began before', async () => {
    const { cache, names } = cacheOf(1024 * 1024);
    const before = await cache.begin(MEDIA_URL_PREFIX);
    assert.ok(before);
    before.keep(1, 'v', base64(jsonOf(1)));

    names.categories = {}; // a category renamed: the category cache read them again
    const after = await cache.begin(MEDIA_URL_PREFIX);
    assert.equal(after?.get(1, 'v'), undefined);
    assert.equal(before.keep(2, 'v', base64(jsonOf(2))).toString(), jsonOf(2), 'still written into its own answer');
    assert.equal(after?.get(2, 'v'), undefined, 'but not kept: it may hold the old name');

    after?.keep(3, 'v', base64(jsonOf(3)));
    names.units = {}; // a unit renamed
    assert.equal((await cache.begin(MEDIA_URL_PREFIX))?.get(3, 'v'), undefined);
    assert.equal(cache.stats().entries, 0);
  });

  test('given more base URLs than are kept apart, then the cache starts again, and a look-up begun before finds nothing', async () => {
    const { cache } = cacheOf(1024 * 1024);
    const prefixOf = (host: number) => `http://host-${host}.example.vn/api/v1/public/feedback/photos/`;
    const lookups = [];
    for (let host = 0; host < MAX_MEDIA_URL_PREFIXES; host++) {
      const lookup = await cache.begin(prefixOf(host));
      assert.ok(lookup);
      lookup.keep(1, 'v', base64(jsonOf(host)));
      lookups.push(lookup);
    }
    assert.equal(cache.stats().entries, MAX_MEDIA_URL_PREFIXES);
    assert.equal(lookups[0].get(1, 'v')?.toString(), jsonOf(0));

    const another = await cache.begin(prefixOf(MAX_MEDIA_URL_PREFIXES));
    assert.ok(another);
    assert.equal(cache.stats().entries, 0);
    another.keep(1, 'v', base64(jsonOf(99)));
    assert.equal(lookups[0].get(1, 'v'), undefined, 'not the other base URL’s JSON under a number it took over');
  });

  test('given a whole answer kept, then the same listing gets the same bytes, another listing or other names none', async () => {
    const { cache, names } = cacheOf(1024 * 1024);
    const lookup = await cache.begin(MEDIA_URL_PREFIX);
    assert.ok(lookup);
    const json = Buffer.from(`[${jsonOf(1)},${jsonOf(2)}]`);
    lookup.keepAnswer('1 1001 2 1002', json);
    assert.equal(lookup.answer('1 1001 2 1002', 2), json);
    assert.equal(lookup.answer('1 1001 2 1003', 2), undefined, 'a report changed since');
    assert.equal((await cache.begin('http://10.0.0.5:3000/api/v1/public/feedback/photos/'))?.answer('1 1001 2 1002', 2), undefined);
    for (let i = 0; i < MAX_ANSWERS; i++) lookup.keepAnswer(`${i} 1`, Buffer.from('[]'));
    assert.equal(lookup.answer('1 1001 2 1002', 2), undefined, 'the least recently used answer went');
    assert.equal(cache.stats().answers, MAX_ANSWERS);

    names.units = {};
    assert.equal((await cache.begin(MEDIA_URL_PREFIX))?.answer('0 1', 0), undefined);
    assert.equal(cache.stats().answers, 0);
  });

  test('given a bound of 0, then there is no cache to look in', async () => {
    assert.equal(await cacheOf(0).cache.begin(MEDIA_URL_PREFIX), null);
  });
});
