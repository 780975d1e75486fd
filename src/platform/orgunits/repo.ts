import { type ExpressionBuilder, sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';
import type { Tables } from '../../db/schema.js';
import type { Page } from '../http/list.js';
import { containsPattern } from '../text/fold.js';

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

/** `path LIKE p%` for each allowed root: a subtree filter that the path index serves. */
export function withinPaths(paths: string[]) {
  return (eb: ExpressionBuilder<Tables, 'org_units'>) =>
    paths.length === 0 ? eb.val(false) : eb.or(paths.map((p) => eb('org_units.path', 'like', `${p}%`)));
}

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

export interface ListFilter {
  scope: string[];
  rootPath?: string;
  parentId?: number;
  kind?: string;
  active?: boolean;
  q?: string;
}

export async function list(
  q: Queryable,
  f: ListFilter,
  sort: { column: 'code' | 'name' | 'kind' | 'level' | 'path'; direction: 'asc' | 'desc' },
  page: Page,
): Promise<{ rows: OrgUnitRow[]; total: number }> {
  let query = q.selectFrom('org_units').where(withinPaths(f.scope));
  if (f.rootPath) query = query.where('path', 'like', `${f.rootPath}%`);
  if (f.parentId !== undefined) query = query.where('parent_id', '=', f.parentId);
  if (f.kind) query = query.where('kind', '=', f.kind);
  if (f.active !== undefined) query = query.where('active', '=', f.active);
  if (f.q) query = query.where('search', 'like', containsPattern(f.q));
  const [rows, count] = await Promise.all([
    query
      .select(COLUMNS)
      .orderBy(sort.column, sort.direction)
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as OrgUnitRow[], total: count.n };
}

/** Every unit under the given roots, parents before children. */
export async function subtree(q: Queryable, scope: string[], rootPath?: string) {
  let query = q
    .selectFrom('org_units')
    .select(['id', 'code', 'name', 'kind', 'parent_id', 'active', 'level'])
    .where(withinPaths(scope));
  if (rootPath) query = query.where('path', 'like', `${rootPath}%`);
  return query.orderBy('level').orderBy('name').execute();
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
