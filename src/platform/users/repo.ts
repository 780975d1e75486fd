import { sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';
import type { Grant, Role } from '../auth/actor.js';
import type { Page } from '../http/list.js';
import { containsPattern } from '../text/fold.js';

export interface UserRow {
  id: number;
  username: string;
  full_name: string;
  email: string | null;
  phone: string | null;
  org_unit_id: number;
  unit_name: string;
  unit_path: string;
  active: boolean;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
}

function selectUsers(q: Queryable) {
  return q
    .selectFrom('users as u')
    .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
    .leftJoin('login_throttle as t', (j) => j.on(sql`t.username`, '=', sql`lower(u.username)`).on('t.locked_until', '>', sql<Date>`now()`))
    .select([
      'u.id', 'u.username', 'u.full_name', 'u.email', 'u.phone', 'u.org_unit_id', 'o.name as unit_name', 'o.path as unit_path',
      'u.active', 't.locked_until', 'u.last_login_at', 'u.created_at',
    ]);
}

export async function findById(q: Queryable, id: number): Promise<UserRow | undefined> {
  return selectUsers(q).where('u.id', '=', id).executeTakeFirst() as Promise<UserRow | undefined>;
}

export async function usernameTaken(q: Queryable, username: string): Promise<boolean> {
  const row = await q.selectFrom('users').select('id').where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
  return row !== undefined;
}

export interface UserFilter {
  scope: string[];
  unitPath?: string;
  role?: string;
  active?: boolean;
  q?: string;
}

export async function list(
  q: Queryable,
  f: UserFilter,
  sort: { column: 'u.username' | 'u.full_name' | 'u.created_at' | 'u.last_login_at' | 'o.name'; direction: 'asc' | 'desc' },
  page: Page,
): Promise<{ rows: UserRow[]; total: number }> {
  // An account is within scope when the unit it belongs to is.
  let query = selectUsers(q).where((eb) => (f.scope.length === 0 ? eb.val(false) : eb.or(f.scope.map((p) => eb('o.path', 'like', `${p}%`)))));
  if (f.unitPath) query = query.where('o.path', 'like', `${f.unitPath}%`);
  if (f.active !== undefined) query = query.where('u.active', '=', f.active);
  if (f.q) query = query.where('u.search', 'like', containsPattern(f.q));
  if (f.role) {
    const role = f.role;
    query = query.where((eb) => eb.exists(eb.selectFrom('user_grants as g').select('g.id').whereRef('g.user_id', '=', 'u.id').where('g.role', '=', role)));
  }
  const [rows, count] = await Promise.all([
    query.orderBy(sort.column, sort.direction).orderBy('u.id').limit(page.limit).offset(page.offset).execute(),
    query.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as UserRow[], total: count.n };
}

export interface DirectoryRow {
  id: number;
  username: string;
  full_name: string;
  org_unit_id: number;
  unit_name: string;
}

/**
 * Active staff (at least one grant other than citizen) of the units under `unitPath` that lie
 * within `scope`: the people a task can be given to. By unit, then name; at most `limit`.
 */
export async function directory(q: Queryable, f: { scope: string[]; unitPath?: string; q?: string }, limit: number): Promise<DirectoryRow[]> {
  let query = q
    .selectFrom('users as u')
    .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
    .select(['u.id', 'u.username', 'u.full_name', 'u.org_unit_id', 'o.name as unit_name'])
    .where('u.active', '=', true)
    .where((eb) => (f.scope.length === 0 ? eb.val(false) : eb.or(f.scope.map((p) => eb('o.path', 'like', `${p}%`)))))
    .where((eb) => eb.exists(eb.selectFrom('user_grants as g').select('g.id').whereRef('g.user_id', '=', 'u.id').where('g.role', '<>', 'citizen')));
  if (f.unitPath) query = query.where('o.path', 'like', `${f.unitPath}%`);
  if (f.q) query = query.where('u.search', 'like', containsPattern(f.q));
  // Names in alphabetical order without diacritics (Đặng before Vũ), not by code point.
  return query.orderBy('o.path').orderBy(sql`vn_fold(u.full_name)`).orderBy('u.id').limit(limit).execute();
}

/** The grants of many users in one query, keyed by user id. */
export async function grantsByUser(q: Queryable, userIds: number[]): Promise<Map<number, Grant[]>> {
  const out = new Map<number, Grant[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const rows = await q
    .selectFrom('user_grants as g')
    .innerJoin('org_units as o', 'o.id', 'g.org_unit_id')
    .select(['g.id', 'g.user_id', 'g.role', 'g.org_unit_id', 'o.code', 'o.name', 'o.path'])
    .where('g.user_id', 'in', userIds)
    .orderBy('o.path')
    .execute();
  for (const r of rows) {
    out.get(r.user_id)?.push({ id: r.id, role: r.role as Role, orgUnitId: r.org_unit_id, orgUnitCode: r.code, orgUnitName: r.name, path: r.path });
  }
  return out;
}

export async function insert(
  q: Queryable,
  u: { username: string; fullName: string; email: string | null; phone: string | null; orgUnitId: number; passwordHash: string },
): Promise<number> {
  const row = await q
    .insertInto('users')
    .values({ username: u.username, full_name: u.fullName, email: u.email, phone: u.phone, org_unit_id: u.orgUnitId, password_hash: u.passwordHash })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function update(q: Queryable, id: number, changes: { full_name?: string; email?: string | null; phone?: string | null; active?: boolean }) {
  await q.updateTable('users').set({ ...changes, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function setPassword(q: Queryable, id: number, passwordHash: string) {
  await q.updateTable('users').set({ password_hash: passwordHash, password_changed_at: new Date(), updated_at: new Date() }).where('id', '=', id).execute();
}

export async function addGrant(q: Queryable, userId: number, role: string, orgUnitId: number) {
  await q.insertInto('user_grants').values({ user_id: userId, role, org_unit_id: orgUnitId }).onConflict((oc) => oc.doNothing()).execute();
}

export async function findGrant(q: Queryable, userId: number, grantId: number) {
  return q
    .selectFrom('user_grants as g')
    .innerJoin('org_units as o', 'o.id', 'g.org_unit_id')
    .select(['g.id', 'g.role', 'g.org_unit_id', 'o.path'])
    .where('g.user_id', '=', userId)
    .where('g.id', '=', grantId)
    .executeTakeFirst();
}

export async function deleteGrant(q: Queryable, grantId: number) {
  await q.deleteFrom('user_grants').where('id', '=', grantId).execute();
}
