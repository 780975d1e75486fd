// Where a place belongs: the unit whose boundary holds the point, else the nearest unit centre.
// Boundaries live in org_units.boundary (GeoJSON); centres come from the in-memory directory, and
// the boundaries are read once per directory snapshot (below), so both follow the same changes.

import { sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';
import type { Snapshot, UnitEntry } from '../../platform/orgunits/directory.js';
import { type Bounds, boundsOf, containsPoint, distanceMeters, inBounds } from './geo.js';
import type { Routing } from './schemas.js';

/** A point farther than this from every unit centre, and inside no boundary, is outside the locality. */
export const LOCALITY_REACH_METERS = 30_000;

export interface Placement {
  /** The deepest unit whose boundary holds the point, else the nearest commune (or any unit) centre. */
  area: UnitEntry | null;
  /** True when some boundary holds the point or a centre is within reach. */
  inLocality: boolean;
}

interface Outline {
  unit: UnitEntry;
  bounds: Bounds;
  boundary: unknown;
}

/**
 * The active units' boundaries, per directory snapshot. The directory replaces its snapshot on
 * every unit change (here at once, elsewhere on `orgUnit.changed`, at the latest after
 * ORG_UNIT_CACHE_SECONDS), so a boundary read with the snapshot is dropped with it; keyed weakly,
 * an old snapshot's boundaries go when nothing holds the snapshot any more.
 */
const outlines = new WeakMap<Snapshot, Promise<Outline[]>>();

async function loadOutlines(q: Queryable, snapshot: Snapshot): Promise<Outline[]> {
  if (!snapshot.byPath.some((u) => u.hasBoundary && u.active)) return [];
  const { rows } = await sql<{ id: number; boundary: unknown }>`
    SELECT id, boundary FROM org_units WHERE active AND boundary IS NOT NULL`.execute(q);
  return rows.flatMap((r) => {
    const unit = snapshot.byId.get(r.id);
    const bounds = boundsOf(r.boundary);
    return unit && bounds ? [{ unit, bounds, boundary: r.boundary }] : [];
  });
}

/** Reads with `q` outside any transaction: what it reads is kept for other requests. */
function outlinesOf(q: Queryable, snapshot: Snapshot): Promise<Outline[]> {
  let found = outlines.get(snapshot);
  if (!found) {
    const loading = loadOutlines(q, snapshot);
    outlines.set(snapshot, loading);
    loading.catch(() => {
      if (outlines.get(snapshot) === loading) outlines.delete(snapshot);
    });
    found = loading;
  }
  return found;
}

/** The units whose boundary holds the point, deepest first. */
async function unitsContaining(q: Queryable, snapshot: Snapshot, lat: number, lng: number): Promise<UnitEntry[]> {
  return (await outlinesOf(q, snapshot))
    .filter((o) => inBounds(o.bounds, lat, lng) && containsPoint(o.boundary, lat, lng))
    .map((o) => o.unit)
    .sort((a, b) => b.level - a.level);
}

function nearest(units: Iterable<UnitEntry>, lat: number, lng: number, kind?: string): { unit: UnitEntry; meters: number } | null {
  let best: { unit: UnitEntry; meters: number } | null = null;
  for (const u of units) {
    if (!u.active || u.lat === null || u.lng === null || (kind && u.kind !== kind)) continue;
    const meters = distanceMeters(lat, lng, u.lat, u.lng);
    if (!best || meters < best.meters) best = { unit: u, meters };
  }
  return best;
}

function placeAmong(containing: UnitEntry[], snapshot: Snapshot, lat: number, lng: number): Placement {
  if (containing.length) return { area: containing.find((u) => u.kind === 'commune') ?? containing[0], inLocality: true };
  const any = nearest(snapshot.byId.values(), lat, lng);
  if (!any || any.meters > LOCALITY_REACH_METERS) return { area: null, inLocality: false };
  const commune = nearest(snapshot.byId.values(), lat, lng, 'commune');
  return { area: commune && commune.meters <= LOCALITY_REACH_METERS ? commune.unit : any.unit, inLocality: true };
}

function routeAmong(containing: UnitEntry[] | null, snapshot: Snapshot, lat: number | null, lng: number | null, kind: string, area: UnitEntry | null): Routing {
  if (containing && lat !== null && lng !== null) {
    const inside = containing.find((u) => u.kind === kind);
    if (inside) return { unitId: inside.id, unitName: inside.name, method: 'boundary', distanceMeters: 0 };
    const near = nearest(snapshot.byId.values(), lat, lng, kind);
    if (near && near.meters <= LOCALITY_REACH_METERS) {
      return { unitId: near.unit.id, unitName: near.unit.name, method: 'nearest', distanceMeters: Math.round(near.meters) };
    }
  }
  const ancestor = area?.pathIds.map((id) => snapshot.byId.get(id)).reverse().find((u) => u?.kind === kind && u.active);
  if (ancestor) return { unitId: ancestor.id, unitName: ancestor.name, method: 'nearest', distanceMeters: null };
  return { unitId: null, unitName: null, method: 'none', distanceMeters: null };
}

export async function placeOf(q: Queryable, snapshot: Snapshot, lat: number, lng: number): Promise<Placement> {
  return placeAmong(await unitsContaining(q, snapshot, lat, lng), snapshot, lat, lng);
}

/**
 * The handling unit to suggest for a category whose usual handler is a unit of `kind`: the unit
 * of that kind whose boundary holds the point, else the nearest centre of that kind, else the
 * area unit's ancestor of that kind.
 */
export async function suggestUnit(q: Queryable, snapshot: Snapshot, lat: number | null, lng: number | null, kind: string, area: UnitEntry | null): Promise<Routing> {
  const containing = lat !== null && lng !== null ? await unitsContaining(q, snapshot, lat, lng) : null;
  return routeAmong(containing, snapshot, lat, lng, kind, area);
}

/** Where a new report belongs and whom to suggest for it: placeOf and suggestUnit over one boundary search. */
export async function locate(q: Queryable, snapshot: Snapshot, lat: number, lng: number, kind: string): Promise<{ place: Placement; routing: Routing }> {
  const containing = await unitsContaining(q, snapshot, lat, lng);
  const place = placeAmong(containing, snapshot, lat, lng);
  return { place, routing: routeAmong(containing, snapshot, lat, lng, kind, place.area) };
}
