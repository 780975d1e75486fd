import { type RawBuilder, sql } from 'kysely';
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

/** The audit_log row of an entry, as both ways of writing it insert it. */
function rowOf(actor: Actor | null, entry: Omit<AuditEntry, 'entityId'>) {
  return {
    user_id: actor?.userId ?? null,
    username: actor ? actor.username : null,
    ip: actor?.ip ?? null,
    module: entry.module,
    action: entry.action,
    entity_type: entry.entityType,
    org_unit_id: entry.orgUnitId ?? null,
    before: entry.before === undefined ? null : JSON.stringify(withoutSecrets(entry.before)),
    after: entry.after === undefined ? null : JSON.stringify(withoutSecrets(entry.after)),
  };
}

/**
 * Appends one entry to the audit log. Call it with the transaction that makes the change, so
 * the change and its record are written together or not at all.
 */
export async function recordAudit(q: Queryable, actor: Actor | null, entry: AuditEntry): Promise<void> {
  await q
    .insertInto('audit_log')
    .values({ ...rowOf(actor, entry), entity_id: entry.entityId == null ? null : String(entry.entityId) })
    .execute();
}

/**
 * Entries as the body of a data-modifying CTE, `INSERT INTO audit_log … SELECT`: changes and their
 * records in one statement, which is atomic without a transaction. `rows` yields `n` (the entry's
 * place in `entries`, from 1) and `entity_id` (the id the change just gave its entity) for each
 * entry to write; an entry without a row is not written. One statement text for any number of
 * entries (they travel as arrays).
 */
export function auditInsert(entries: readonly { actor: Actor | null; entry: Omit<AuditEntry, 'entityId'> }[], rows: RawBuilder<unknown>): RawBuilder<unknown> {
  const v = entries.map((e) => rowOf(e.actor, e.entry));
  const column = <K extends keyof ReturnType<typeof rowOf>>(key: K) => v.map((row) => row[key]);
  return sql`INSERT INTO audit_log (user_id, username, ip, module, action, entity_type, entity_id, org_unit_id, before, after)
    SELECT e.user_id, e.username, e.ip, e.module, e.action, e.entity_type, x.entity_id::text, e.org_unit_id, e.before, e.after
    FROM ${rows} AS x
    JOIN unnest(${column('user_id')}::int[], ${column('username')}::text[], ${column('ip')}::text[], ${column('module')}::text[],
      ${column('action')}::text[], ${column('entity_type')}::text[], ${column('org_unit_id')}::int[], ${column('before')}::jsonb[],
      ${column('after')}::jsonb[]) WITH ORDINALITY
      AS e (user_id, username, ip, module, action, entity_type, org_unit_id, before, after, n) ON e.n = x.n`;
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
