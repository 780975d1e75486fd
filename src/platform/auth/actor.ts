import { forbidden, notFound } from '../errors/errors.js';
import type { Snapshot, UnitEntry } from '../orgunits/directory.js';

export const ROLES = ['administrator', 'leader', 'operator', 'officer', 'citizen'] as const;
export type Role = (typeof ROLES)[number];
/** The roles of people who work in the administration (every role but citizen). */
export const STAFF_ROLES: readonly Role[] = ['administrator', 'leader', 'operator', 'officer'];
export const ADMIN_ROLES: readonly Role[] = ['administrator'];

export interface Grant {
  id: number;
  role: Role;
  orgUnitId: number;
  orgUnitCode: string;
  orgUnitName: string;
  /** The unit's materialised path ('/1/14/'): the grant covers every path starting with it. */
  path: string;
}

/** Who is making a request: a signed-in person or a machine with an API key. */
export interface Actor {
  kind: 'user' | 'apiKey';
  userId: number | null;
  apiKeyId: number | null;
  username: string;
  grants: Grant[];
  sessionId: string | null;
  csrfToken: string | null;
  ip: string;
}

/**
 * The unit paths the actor may reach with any of `roles`, without paths already covered by
 * another one. Every module filters and checks by these: the one scope rule of the platform.
 */
export function scopePaths(actor: Actor, roles: readonly Role[] = STAFF_ROLES): string[] {
  const paths = actor.grants
    .filter((g) => roles.includes(g.role))
    .map((g) => g.path)
    .sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const p of paths) if (!kept.some((k) => p.startsWith(k))) kept.push(p);
  return kept;
}

export function isInScope(actor: Actor, unitPath: string, roles: readonly Role[] = STAFF_ROLES): boolean {
  return actor.grants.some((g) => roles.includes(g.role) && unitPath.startsWith(g.path));
}

/** Throws 403 unless the actor holds one of `roles` somewhere. */
export function requireRole(actor: Actor, roles: readonly Role[]): void {
  if (!actor.grants.some((g) => roles.includes(g.role))) throw forbidden();
}

/** Throws 403 unless the actor holds one of `roles` on the unit at `unitPath` or an ancestor. */
export function requireScope(actor: Actor, unitPath: string, roles: readonly Role[]): void {
  if (!isInScope(actor, unitPath, roles)) throw forbidden('Đơn vị này nằm ngoài phạm vi được phân quyền của bạn.');
}

/** True when one of the actor's grants of `roles` is on a root unit (the whole locality). */
export function hasRootScope(actor: Actor, roles: readonly Role[]): boolean {
  return actor.grants.some((g) => roles.includes(g.role) && g.path.split('/').length === 3);
}

/**
 * The unit a staff report is asked for (`unitId`), or by default the caller's widest unit: 404 when
 * there is no such unit, 403 when it is outside the caller's staff scope (or the caller has none).
 */
export function reportUnit(actor: Actor, snapshot: Snapshot, unitId: number | undefined): UnitEntry {
  requireRole(actor, STAFF_ROLES);
  const id = unitId ?? snapshot.byPath.find((u) => u.path === scopePaths(actor, STAFF_ROLES)[0])?.id;
  const unit = id === undefined ? undefined : snapshot.byId.get(id);
  if (!unit) throw id === undefined ? forbidden() : notFound('đơn vị');
  requireScope(actor, unit.path, STAFF_ROLES);
  return unit;
}
