import type { Queryable } from '../../db/kysely.js';
import type { Actor } from '../auth/actor.js';

export interface AuditEntry {
  module: string;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  orgUnitId?: number | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends one entry to the audit log. Call it with the transaction that makes the change, so
 * the change and its record are written together or not at all.
 */
export async function recordAudit(q: Queryable, actor: Actor | null, entry: AuditEntry): Promise<void> {
  await q
    .insertInto('audit_log')
    .values({
      user_id: actor?.userId ?? null,
      username: actor ? actor.username : null,
      ip: actor?.ip ?? null,
      module: entry.module,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId == null ? null : String(entry.entityId),
      org_unit_id: entry.orgUnitId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(withoutSecrets(entry.before)),
      after: entry.after === undefined ? null : JSON.stringify(withoutSecrets(entry.after)),
    })
    .execute();
}

const SECRET_KEYS = /password|secret|token|hash/i;

/** Secrets never reach the log, even hashed. */
function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !SECRET_KEYS.test(k))
        .map(([k, v]) => [k, withoutSecrets(v)]),
    );
  }
  return value;
}
