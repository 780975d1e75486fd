import type { Db } from '../../db/kysely.js';
import { BUS_RESYNCED, type Bus } from '../bus/bus.js';

/** One unit as every screen lists it (the boundary, which can be large, stays in the database). */
export interface UnitEntry {
  id: number;
  code: string;
  name: string;
  kind: string;
  parentId: number | null;
  path: string;
  level: number;
  active: boolean;
  lat: number | null;
  lng: number | null;
  hasBoundary: boolean;
  /** vn_fold(code || ' ' || name), read from the database so searches match SQL's exactly. */
  search: string;
  childCount: number;
  /** Ancestor ids root → self, parsed once from `path`. */
  pathIds: number[];
}

export interface Snapshot {
  byId: Map<number, UnitEntry>;
  /** Every unit ordered by path: a subtree is one contiguous slice. */
  byPath: UnitEntry[];
}

/** First index whose path is >= key. */
function lowerBound(units: UnitEntry[], key: string): number {
  let lo = 0;
  let hi = units.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (units[mid].path < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The units whose path starts with `prefix` ('/1/14/'): paths hold only digits and '/', and '0' follows '/'. */
export function subtreeOf(snapshot: Snapshot, prefix: string): UnitEntry[] {
  const upper = `${prefix.slice(0, -1)}0`;
  return snapshot.byPath.slice(lowerBound(snapshot.byPath, prefix), lowerBound(snapshot.byPath, upper));
}

/**
 * The org-unit tree held in memory: units change rarely and every request reads them (lists,
 * trees, scope checks), so reading 20,000 rows per request would be the bottleneck. Writes made
 * through this instance invalidate it at once; other instances' writes arrive as
 * `orgUnit.changed` on the bus (LISTEN/NOTIFY), and `ttlSeconds` bounds staleness if a
 * notification is ever lost. A TTL of 0 reads the database on every call.
 */
export function createOrgUnitDirectory(deps: { db: Db; bus: Bus; ttlSeconds: number }) {
  const { db, bus, ttlSeconds } = deps;
  let current: { snapshot: Promise<Snapshot>; loadedAt: number } | null = null;

  async function load(): Promise<Snapshot> {
    const rows = await db
      .selectFrom('org_units')
      .select(['id', 'code', 'name', 'kind', 'parent_id', 'path', 'level', 'active', 'lat', 'lng', 'search'])
      .select((eb) => eb('boundary', 'is not', null).as('has_boundary'))
      .execute();
    const byId = new Map<number, UnitEntry>();
    const byPath: UnitEntry[] = rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      kind: r.kind,
      parentId: r.parent_id,
      path: r.path,
      level: r.level,
      active: r.active,
      lat: r.lat,
      lng: r.lng,
      hasBoundary: Boolean(r.has_boundary),
      search: r.search,
      childCount: 0,
      pathIds: r.path.split('/').filter(Boolean).map(Number),
    }));
    for (const u of byPath) byId.set(u.id, u);
    for (const u of byPath) {
      const parent = u.parentId === null ? undefined : byId.get(u.parentId);
      if (parent) parent.childCount++;
    }
    byPath.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { byId, byPath };
  }

  /** Forget the tree: a load already under way is not kept either, as it may predate the change. */
  function invalidate() {
    current = null;
  }

  bus.subscribe((e) => {
    if (e.type === 'orgUnit.changed' || e.type === BUS_RESYNCED) invalidate();
  });

  return {
    invalidate,
    /** The tree as of now (loading it when it was invalidated or is older than the TTL). */
    snapshot(): Promise<Snapshot> {
      if (current && Date.now() - current.loadedAt < ttlSeconds * 1000) return current.snapshot;
      const snapshot = load();
      const entry = { snapshot, loadedAt: Date.now() };
      current = entry;
      snapshot.catch(() => {
        if (current === entry) current = null;
      });
      return snapshot;
    },
  };
}

export type OrgUnitDirectory = ReturnType<typeof createOrgUnitDirectory>;
