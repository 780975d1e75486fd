// What the demo's loaders share: a demo account as the services see it, and the platform parts the
// services are built on (a bus of their own, the unit tree and the calendar), read before any
// transaction: the services read them inside theirs, where PGlite has no second connection.

import { sql } from 'kysely';
import type { Db } from '../src/db/kysely.js';
import type { Actor, Grant, Role } from '../src/platform/auth/actor.js';
import { createLocalBus } from '../src/platform/bus/bus.js';
import { createCalendarService } from '../src/platform/calendar/service.js';
import { createOrgUnitDirectory } from '../src/platform/orgunits/directory.js';

/** The demo account `username` with its grants, as a signed-in person. */
export async function demoActor(db: Db, username: string): Promise<Actor> {
  const { rows } = await sql<{ id: number; role: Role; grant_id: number; unit_id: number; code: string; name: string; path: string }>`
    SELECT us.id, g.role, g.id AS grant_id, ou.id AS unit_id, ou.code, ou.name, ou.path
    FROM users us JOIN user_grants g ON g.user_id = us.id JOIN org_units ou ON ou.id = g.org_unit_id WHERE us.username = ${username}`.execute(db);
  if (rows.length === 0) throw new Error(`demo: no account ${username}`);
  const grants: Grant[] = rows.map((r) => ({ id: r.grant_id, role: r.role, orgUnitId: r.unit_id, orgUnitCode: r.code, orgUnitName: r.name, path: r.path }));
  return { kind: 'user', userId: rows[0].id, apiKeyId: null, username, grants, sessionId: null, csrfToken: null, ip: '127.0.0.1' };
}

/** A bus, the unit tree and the calendar for the demo's services, already read. */
export async function demoPlatform(db: Db) {
  const bus = createLocalBus();
  const directory = createOrgUnitDirectory({ db, bus, ttlSeconds: 3600 });
  const calendar = createCalendarService({ db, bus });
  await Promise.all([directory.snapshot(), calendar.calendar()]);
  return { bus, directory, calendar };
}
