import { sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';

export interface OrgUnitRow {
  id: number;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
  path: string;
  level: number;
  active: boolean;
  lat: number | null;
  lng: number | null;
  boundary: unknown;
}

const COLUMNS = ['id', 'code', 'name', 'kind', 'parent_id', 'path', 'level', 'active', 'lat', 'lng', 'boundary'] as const;

export async function findById(q: Queryable, id: number): Promise<OrgUnitRow | undefined> {
  return q.selectFrom('org_units').select(COLUMNS).where('id', '=', id).executeTakeFirst() as Promise<OrgUnitRow | undefined>;
}

export async function findByCodes(q: Queryable, codes: string[]): Promise<OrgUnitRow[]> {
  if (codes.length === 0) return [];
  return q
    .selectFrom('org_units')
    .select(COLUMNS)
    .where(
      sql`lower(code)`,
      'in',
      codes.map((c) => c.toLowerCase()),
    )
    .execute() as Promise<OrgUnitRow[]>;
}

export async function countChildren(q: Queryable, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await q
    .selectFrom('org_units')
    .select(['parent_id', sql<number>`count(*)::int`.as('n')])
    .where('parent_id', 'in', ids)
    .groupBy('parent_id')
    .execute();
  return new Map(rows.map((r) => [r.parent_id as number, r.n]));
}

export async function countActiveChildren(q: Queryable, id: number): Promise<number> {
  const row = await q
    .selectFrom('org_units')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('parent_id', '=', id)
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return row.n;
}

export interface NewOrgUnit {
  code: string;
  name: string;
  kind: string;
  parent: { id: number; path: string; level: number } | null;
  lat: number | null;
  lng: number | null;
  boundary: unknown;
}

export async function insert(q: Queryable, u: NewOrgUnit): Promise<OrgUnitRow> {
  // The path ends with the unit's own id, so take the id first.
  const { id } = await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('org_units', 'id'))::int AS id`
    .execute(q)
    .then((r) => r.rows[0]);
  const path = `${u.parent?.path ?? '/'}${id}/`;
  return q
    .insertInto('org_units')
    .values({
      id,
      code: u.code,
      name: u.name,
      kind: u.kind,
      parent_id: u.parent?.id ?? null,
      path,
      level: (u.parent?.level ?? 0) + 1,
      lat: u.lat,
      lng: u.lng,
      boundary: u.boundary == null ? null : JSON.stringify(u.boundary),
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow() as Promise<OrgUnitRow>;
}

export async function update(
  q: Queryable,
  id: number,
  changes: Partial<Pick<OrgUnitRow, 'code' | 'name' | 'kind' | 'lat' | 'lng' | 'boundary' | 'active'>>,
): Promise<OrgUnitRow> {
  const { boundary, ...rest } = changes;
  return q
    .updateTable('org_units')
    .set({ ...rest, ...(boundary !== undefined ? { boundary: boundary == null ? null : JSON.stringify(boundary) } : {}), updated_at: new Date() })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow() as Promise<OrgUnitRow>;
}

/** Moves a unit and its whole subtree under a new parent, rewriting their paths and levels. */
export async function move(q: Queryable, unit: OrgUnitRow, parent: OrgUnitRow): Promise<void> {
  const newPath = `${parent.path}${unit.id}/`;
  const levelShift = parent.level + 1 - unit.level;
  await q
    .updateTable('org_units')
    .set({
      path: sql`${newPath} || substr(path, ${unit.path.length + 1})`,
      level: sql`level + ${levelShift}`,
      updated_at: new Date(),
    })
    .where('path', 'like', `${unit.path}%`)
    .execute();
  await q.updateTable('org_units').set({ parent_id: parent.id }).where('id', '=', unit.id).execute();
}
