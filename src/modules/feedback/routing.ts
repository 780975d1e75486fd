// Where a place belongs: the unit whose boundary holds the point, else the nearest unit centre.
// Boundaries live in org_units.boundary (GeoJSON); centres come from the in-memory directory.

import { sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';
import type { Snapshot, UnitEntry } from '../../platform/orgunits/directory.js';
import { containsPoint, distanceMeters } from './geo.js';
import type { Routing } from './schemas.js';

/** A point farther than this from every unit centre, and inside no boundary, is outside the locality. */
export const LOCALITY_REACH_METERS = 30_000;

export interface Placement {
  /** The deepest unit whose boundary holds the point, else the nearest commune (or any unit) centre. */
  area: UnitEntry | null;
  /** True when some boundary holds the point or a centre is within reach. */
  inLocality: boolean;
}

async function unitsContaining(q: Queryable, snapshot: Snapshot, lat: number, lng: number): Promise<UnitEntry[]> {
  const { rows } = await sql<{ id: number; boundary: unknown }>`
    SELECT id, boundary FROM org_units WHERE active AND boundary IS NOT NULL`.execute(q);
  return rows
    .filter((r) => containsPoint(r.boundary, lat, lng))
    .map((r) => snapshot.byId.get(r.id))
    .filter((u): u is UnitEntry => u !== undefined)
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

export async function placeOf(q: Queryable, snapshot: Snapshot, lat: number, lng: number): Promise<Placement> {
  const containing = await unitsContaining(q, snapshot, lat, lng);
  if (containing.length) return { area: containing.find((u) => u.kind === 'commune') ?? containing[0], inLocality: true };
  const units = snapshot.byId.values();
  const any = nearest(units, lat, lng);
  if (!any || any.meters > LOCALITY_REACH_METERS) return { area: null, inLocality: false };
  const commune = nearest(snapshot.byId.values(), lat, lng, 'commune');
  return { area: commune && commune.meters <= LOCALITY_REACH_METERS ? commune.unit : any.unit, inLocality: true };
}

/**
 * The handling unit to suggest for a category whose usual handler is a unit of `kind`: the unit
 * of that kind whose boundary holds the point, else the nearest centre of that kind, else the
 * area unit's ancestor of that kind.
 */
export async function suggestUnit(q: Queryable, snapshot: Snapshot, lat: number | null, lng: number | null, kind: string, area: UnitEntry | null): Promise<Routing> {
  if (lat !== null && lng !== null) {
    const inside = (await unitsContaining(q, snapshot, lat, lng)).find((u) => u.kind === kind);
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
