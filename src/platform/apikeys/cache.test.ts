import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Actor } from '../auth/actor.js';
import { createLocalBus } from '../bus/bus.js';
import { createApiKeyCache } from './cache.js';

const actorOf = (ip: string): Actor => ({ kind: 'apiKey', userId: null, apiKeyId: 7, username: 'open311', grants: [], sessionId: null, csrfToken: null, ip });

/** A look-up that answers when told to, counting its calls. */
function slowLookUp() {
  const calls: string[] = [];
  const waiting: (() => void)[] = [];
  const lookUp = (key: string, ip: string) => {
    calls.push(ip);
    return new Promise<Actor | null>((resolve) => waiting.push(() => resolve(key === 'dh_good' ? actorOf(ip) : null)));
  };
  const answerAll = () => {
    for (const answer of waiting.splice(0)) answer();
  };
  return { calls, lookUp, answerAll };
}

describe('API key cache', () => {
  it('given 64 requests missing together, then one look-up answers them all, each with its own address', async () => {
    const { calls, lookUp, answerAll } = slowLookUp();
    const cache = createApiKeyCache({ bus: createLocalBus(), ttlSeconds: 5, lookUp });
    const asked = Array.from({ length: 64 }, (_, i) => cache.fromApiKey('dh_good', `10.0.0.${i}`));
    answerAll();
    const actors = await Promise.all(asked);
    assert.equal(calls.length, 1);
    assert.deepEqual(
      actors.map((a) => a?.ip),
      Array.from({ length: 64 }, (_, i) => `10.0.0.${i}`),
    );
    assert.equal((await cache.fromApiKey('dh_good', '10.0.1.1'))?.ip, '10.0.1.1');
    assert.equal(calls.length, 1, 'kept after the shared look-up');
  });

  it('given a refused key, then concurrent tries share a look-up but nothing is kept', async () => {
    const { calls, lookUp, answerAll } = slowLookUp();
    const cache = createApiKeyCache({ bus: createLocalBus(), ttlSeconds: 5, lookUp });
    const asked = [cache.fromApiKey('dh_bad', 'a'), cache.fromApiKey('dh_bad', 'b')];
    answerAll();
    assert.deepEqual(await Promise.all(asked), [null, null]);
    const again = cache.fromApiKey('dh_bad', 'c');
    answerAll();
    assert.equal(await again, null);
    assert.equal(calls.length, 2);
  });

  it('given a change while a look-up is under way, then a later request does not join it and nothing stale is kept', async () => {
    const { calls, lookUp, answerAll } = slowLookUp();
    const cache = createApiKeyCache({ bus: createLocalBus(), ttlSeconds: 5, lookUp });
    const before = cache.fromApiKey('dh_good', 'a');
    cache.changed();
    const after = cache.fromApiKey('dh_good', 'b');
    answerAll();
    await Promise.all([before, after]);
    assert.equal(calls.length, 2, 'a fresh look-up after the change');
    const third = cache.fromApiKey('dh_good', 'c');
    answerAll();
    await third;
    assert.equal(calls.length, 2, 'the look-up begun after the change was kept');
  });

  it('given a look-up that fails, then every waiting request gets the error and the next one asks again', async () => {
    let calls = 0;
    const cache = createApiKeyCache({
      bus: createLocalBus(),
      ttlSeconds: 5,
      lookUp: async () => {
        calls++;
        throw new Error('database down');
      },
    });
    const results = await Promise.allSettled([cache.fromApiKey('dh_good', 'a'), cache.fromApiKey('dh_good', 'b')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    await assert.rejects(cache.fromApiKey('dh_good', 'c'));
    assert.equal(calls, 2);
  });
});
