import type { Db } from '../../db/kysely.js';
import { BUS_RESYNCED, type Bus } from '../../platform/bus/bus.js';
import * as repo from './repo.js';

/** Published after a category was created or changed (an internal event: instances only). */
const CATEGORIES_CHANGED = 'feedbackCategory.changed';

/**
 * The feedback categories held in memory: every submission reads its category, and there are a
 * few dozen that change a few times a year. A change made through this instance drops them at
 * once (`changed()`), the other instances drop theirs on `feedbackCategory.changed`, and
 * `ttlSeconds` (ORG_UNIT_CACHE_SECONDS) bounds the staleness if a notification is lost. A TTL of
 * 0 reads the database on every call.
 */
export function createCategoryCache(deps: { db: Db; bus: Bus; ttlSeconds: number }) {
  const { db, bus, ttlSeconds } = deps;
  let current: { byCode: Promise<Map<string, repo.CategoryRow>>; loadedAt: number } | null = null;

  async function load(): Promise<Map<string, repo.CategoryRow>> {
    const rows = await repo.allCategories(db);
    return new Map(rows.map((c) => [c.code.toLowerCase(), c]));
  }

  function invalidate() {
    current = null;
  }

  bus.subscribe((e) => {
    if (e.type === CATEGORIES_CHANGED || e.type === BUS_RESYNCED) invalidate();
  });

  function byCode(): Promise<Map<string, repo.CategoryRow>> {
    if (current && Date.now() - current.loadedAt < ttlSeconds * 1000) return current.byCode;
    const loading = load();
    const entry = { byCode: loading, loadedAt: Date.now() };
    current = entry;
    loading.catch(() => {
      if (current === entry) current = null;
    });
    return loading;
  }

  return {
    /** The category with this code, compared without regard to case, active or not. */
    async find(code: string): Promise<repo.CategoryRow | undefined> {
      return (await byCode()).get(code.toLowerCase());
    },
    /**
     * Every category as now held, by lower-case code: a new map each time they are read again
     * (after a change here or elsewhere, or the TTL), so that what is derived from them can be
     * dropped with it.
     */
    snapshot(): Promise<ReadonlyMap<string, repo.CategoryRow>> {
      return byCode();
    },
    /** After a change to categories has been committed. */
    changed() {
      invalidate();
      bus.publish({ type: CATEGORIES_CHANGED, orgUnitId: null, orgUnitPath: null, payload: {}, internal: true });
    },
  };
}

export type CategoryCache = ReturnType<typeof createCategoryCache>;
