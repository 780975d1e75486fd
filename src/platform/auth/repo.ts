import { sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';
import type { Grant, Role } from './actor.js';

export async function grantsOf(q: Queryable, userId: number): Promise<Grant[]> {
  const rows = await q
    .selectFrom('user_grants as g')
    .innerJoin('org_units as u', 'u.id', 'g.org_unit_id')
    .select(['g.id', 'g.role', 'g.org_unit_id', 'u.code', 'u.name', 'u.path'])
    .where('g.user_id', '=', userId)
    .where('u.active', '=', true)
    .orderBy('u.path')
    .execute();
  return rows.map((r) => ({ id: r.id, role: r.role as Role, orgUnitId: r.org_unit_id, orgUnitCode: r.code, orgUnitName: r.name, path: r.path }));
}

export async function findUserForLogin(q: Queryable, username: string) {
  return q
    .selectFrom('users')
    .select(['id', 'username', 'password_hash', 'active'])
    .where(sql`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

export async function throttleOf(q: Queryable, username: string) {
  return q.selectFrom('login_throttle').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst();
}

/**
 * Counts one more failure; locks the name for `lockMinutes` once `maxFailures` is reached,
 * the first failure included (LOGIN_MAX_FAILURES=1 locks at once).
 */
export async function recordFailure(q: Queryable, username: string, maxFailures: number, lockMinutes: number) {
  await sql`
    INSERT INTO login_throttle (username, failures, locked_until, updated_at)
    VALUES (${username.toLowerCase()}, 1, CASE WHEN 1 >= ${maxFailures}::int THEN now() + make_interval(mins => ${lockMinutes}) END, now())
    ON CONFLICT (username) DO UPDATE SET
      failures = CASE WHEN login_throttle.locked_until IS NOT NULL AND login_throttle.locked_until <= now()
                      THEN 1 ELSE login_throttle.failures + 1 END,
      locked_until = CASE
        WHEN login_throttle.locked_until IS NOT NULL AND login_throttle.locked_until <= now()
          THEN CASE WHEN 1 >= ${maxFailures}::int THEN now() + make_interval(mins => ${lockMinutes}) END
        WHEN login_throttle.failures + 1 >= ${maxFailures} THEN now() + make_interval(mins => ${lockMinutes})
        ELSE login_throttle.locked_until END,
      updated_at = now()`.execute(q);
}

export async function clearFailures(q: Queryable, username: string) {
  await q.deleteFrom('login_throttle').where('username', '=', username.toLowerCase()).execute();
}

export async function insertSession(
  q: Queryable,
  s: { id: string; userId: number; csrfToken: string; ip: string; userAgent: string | null; expiresAt: Date },
) {
  await q
    .insertInto('sessions')
    .values({ id: s.id, user_id: s.userId, csrf_token: s.csrfToken, ip: s.ip, user_agent: s.userAgent, expires_at: s.expiresAt })
    .execute();
  await q.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', s.userId).execute();
}

/** The live session with this id: not past its absolute end, not idle for longer than allowed. */
export async function findLiveSession(q: Queryable, id: string, idleMinutes: number) {
  return q
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.user_id', 's.csrf_token', 's.last_seen_at', 'u.username', 'u.active'])
    .where('s.id', '=', id)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('s.last_seen_at', '>', sql<Date>`now() - make_interval(mins => ${idleMinutes})`)
    .executeTakeFirst();
}

export async function touchSession(q: Queryable, id: string) {
  await q.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id', '=', id).execute();
}

export async function deleteSession(q: Queryable, id: string) {
  await q.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOf(q: Queryable, userId: number): Promise<number> {
  const r = await q.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(q: Queryable, idleMinutes: number) {
  await q
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([eb('expires_at', '<=', sql<Date>`now()`), eb('last_seen_at', '<=', sql<Date>`now() - make_interval(mins => ${idleMinutes})`)]),
    )
    .execute();
}

export async function findApiKey(q: Queryable, prefix: string) {
  return q
    .selectFrom('api_keys as k')
    .innerJoin('org_units as u', 'u.id', 'k.org_unit_id')
    .select(['k.id', 'k.name', 'k.secret_hash', 'k.role', 'k.org_unit_id', 'k.revoked_at', 'k.last_used_at', 'u.code', 'u.name as unit_name', 'u.path', 'u.active'])
    .where('k.prefix', '=', prefix)
    .executeTakeFirst();
}

export async function touchApiKey(q: Queryable, id: number) {
  await q.updateTable('api_keys').set({ last_used_at: sql`now()` }).where('id', '=', id).execute();
}
