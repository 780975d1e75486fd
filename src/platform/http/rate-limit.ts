// Rate limits counted in the database, so that they hold however many instances serve the app:
// a route opts in with `shared: true` in its rateLimit config (the public routes that write); the
// others keep @fastify/rate-limit's in-memory count. Sign-in counts with the same function.

import { createRequire } from 'node:module';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';

/** How long a counter is kept after its window started. */
const KEEP = '1 day';

/**
 * Counts a hit of `key` (a client address) on `bucket` in its current window of `windowMs` (a new
 * window once the last is that old); the hits so far in it and the milliseconds left. Forgets
 * counters older than a day when it opens a window.
 */
export async function countHit(q: Queryable, bucket: string, key: string, windowMs: number): Promise<{ hits: number; msLeft: number }> {
  const window = sql`make_interval(secs => ${windowMs / 1000})`;
  const { rows } = await sql<{ hits: number; ms_left: number }>`
    INSERT INTO rate_limit_hits AS h (bucket, key, window_start, hits) VALUES (${bucket}, ${key}, now(), 1)
    ON CONFLICT (bucket, key) DO UPDATE SET
      hits = CASE WHEN h.window_start <= now() - ${window} THEN 1 ELSE h.hits + 1 END,
      window_start = CASE WHEN h.window_start <= now() - ${window} THEN now() ELSE h.window_start END
    RETURNING hits, greatest(0, ceil(extract(epoch FROM h.window_start + ${window} - now()) * 1000))::int AS ms_left`.execute(q);
  if (rows[0].hits === 1) await sql`DELETE FROM rate_limit_hits WHERE window_start < now() - ${KEEP}::interval`.execute(q);
  return { hits: rows[0].hits, msLeft: rows[0].ms_left };
}

type Callback = Parameters<FastifyRateLimitStore['incr']>[1];
/**
 * What @fastify/rate-limit hands a store's `child`: the route's merged limit options (its types
 * say the route's options), with our `shared` flag among them.
 */
interface RouteLimit {
  shared?: boolean;
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
  cache?: number;
  routeInfo?: { method?: string | string[]; url?: string };
}

const require = createRequire(import.meta.url);
const LocalStore = require('@fastify/rate-limit/store/LocalStore') as new (continueExceeding?: boolean, exponentialBackoff?: boolean, cache?: number) => FastifyRateLimitStore;

/**
 * The `store` for @fastify/rate-limit (which constructs it with its global options): each route's
 * child counts in the database when the route's limit is shared, in memory otherwise.
 */
export function rateLimitStore(q: Queryable) {
  class SharedStore implements FastifyRateLimitStore {
    constructor(private readonly bucket: string) {}
    incr(key: string, cb: Callback, timeWindow: number) {
      countHit(q, this.bucket, key, timeWindow).then(
        ({ hits, msLeft }) => cb(null, { current: hits, ttl: msLeft }),
        (error: Error) => cb(error),
      );
    }
    child(params: object): FastifyRateLimitStore {
      return storeFor(params as RouteLimit);
    }
  }
  const storeFor = (params: RouteLimit): FastifyRateLimitStore => {
    if (!params.shared) return new LocalStore(params.continueExceeding, params.exponentialBackoff, params.cache);
    const method = [params.routeInfo?.method ?? ''].flat().join(',');
    return new SharedStore(`${method} ${params.routeInfo?.url ?? ''}`);
  };
  return class RootStore implements FastifyRateLimitStore {
    private readonly local: FastifyRateLimitStore;
    constructor(params: object) {
      this.local = storeFor({ ...params, shared: false });
    }
    incr(key: string, cb: Callback, timeWindow: number, max: number) {
      this.local.incr(key, cb, timeWindow, max);
    }
    child(params: object): FastifyRateLimitStore {
      return storeFor(params as RouteLimit);
    }
  };
}
