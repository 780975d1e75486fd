// The one-stop systems (hệ thống một cửa) that send dossiers: files are imported under a source,
// and the source's API key pushes its batches. The locality's administrators manage them.

import { sql } from 'kysely';
import { type Db, type Queryable, inTransaction } from '../../db/kysely.js';
import { ADMIN_ROLES, type Actor, STAFF_ROLES, hasRootScope, requireRole } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { badRequest, conflict, notFound } from '../../platform/errors/errors.js';
import { type ListResult, pageOf, sortOf } from '../../platform/http/list.js';
import { containsPattern } from '../../platform/text/fold.js';
import type { CreateSource, Source, SourceListQuery, UpdateSource } from './ingest-schemas.js';
import { requireLocalityAdministrator } from './procedures.js';

interface SourceRow {
  id: number;
  code: string;
  name: string;
  api_key_id: number | null;
  key_name: string | null;
  key_prefix: string | null;
  key_unit_id: number | null;
  key_unit_name: string | null;
  key_revoked: boolean;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

/** A source as `actor` sees it: its key (name, prefix, unit) only for those who manage sources. */
function toSource(r: SourceRow, actor: Actor | null): Source {
  const manager = actor === null || hasRootScope(actor, ADMIN_ROLES);
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    apiKeyId: manager ? r.api_key_id : null,
    apiKeyName: manager ? r.key_name : null,
    apiKeyPrefix: manager ? r.key_prefix : null,
    apiKeyUnitId: manager ? r.key_unit_id : null,
    apiKeyUnitName: manager ? r.key_unit_name : null,
    apiKeyRevoked: manager ? r.key_revoked : false,
    active: r.active,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const SELECT = sql`
  SELECT s.*, k.name AS key_name, k.prefix AS key_prefix, k.org_unit_id AS key_unit_id, o.name AS key_unit_name,
    coalesce(k.revoked_at IS NOT NULL, false) AS key_revoked
  FROM dossier_sources s LEFT JOIN api_keys k ON k.id = s.api_key_id LEFT JOIN org_units o ON o.id = k.org_unit_id`;

const SORTS = { code: 'lower(s.code)', name: 's.name', createdAt: 's.created_at' } as const;

async function findSource(q: Queryable, by: { id: number } | { code: string }): Promise<SourceRow | undefined> {
  const where = 'id' in by ? sql`s.id = ${by.id}` : sql`lower(s.code) = lower(${by.code})`;
  return (await sql<SourceRow>`${SELECT} WHERE ${where}`.execute(q)).rows[0];
}

/** The source a one-stop system's key pushes for, or undefined. */
export async function sourceOfApiKey(q: Queryable, apiKeyId: number): Promise<{ id: number; code: string; active: boolean } | undefined> {
  return (await sql<{ id: number; code: string; active: boolean }>`SELECT id, code, active FROM dossier_sources WHERE api_key_id = ${apiKeyId}`.execute(q)).rows[0];
}

export async function findSourceByCode(q: Queryable, code: string) {
  return findSource(q, { code });
}

export function createSourceService(deps: { db: Db }) {
  const { db } = deps;

  /** A key may serve one source, and only a key that works: not revoked. */
  async function checkKey(q: Queryable, apiKeyId: number | null | undefined, sourceId: number | null) {
    if (apiKeyId == null) return;
    const key = (await sql<{ revoked_at: Date | null }>`SELECT revoked_at FROM api_keys WHERE id = ${apiKeyId}`.execute(q)).rows[0];
    if (!key) throw badRequest('API_KEY_NOT_FOUND', `Không có khóa API số ${apiKeyId}. Hãy tạo khóa ở mục Khóa API trước.`);
    if (key.revoked_at) throw badRequest('API_KEY_REVOKED', 'Khóa API này đã bị thu hồi; hãy chọn một khóa còn hiệu lực.');
    const other = (await sql<{ code: string }>`SELECT code FROM dossier_sources WHERE api_key_id = ${apiKeyId} AND id IS DISTINCT FROM ${sourceId}`.execute(q)).rows[0];
    if (other) throw conflict('API_KEY_TAKEN', `Khóa API này đã dùng cho nguồn "${other.code}"; mỗi nguồn cần khóa riêng.`);
  }

  async function setActive(actor: Actor, id: number, active: boolean): Promise<Source> {
    requireLocalityAdministrator(actor, 'danh sách nguồn hồ sơ');
    const row = await inTransaction(db, async (trx) => {
      const before = await findSource(trx, { id });
      if (!before) throw notFound('nguồn hồ sơ');
      if (before.active === active) return before;
      await sql`UPDATE dossier_sources SET active = ${active}, updated_at = now() WHERE id = ${id}`.execute(trx);
      await recordAudit(trx, actor, { module: 'dossiers', action: active ? 'source.activate' : 'source.deactivate', entityType: 'dossier_source', entityId: id });
      return (await findSource(trx, { id }))!;
    });
    return toSource(row, actor);
  }

  return {
    async list(actor: Actor, query: SourceListQuery): Promise<ListResult<Source>> {
      requireRole(actor, STAFF_ROLES);
      const page = pageOf(query);
      const sort = sortOf(query.sort, SORTS, { column: 'lower(s.code)', direction: 'asc' });
      const where = sql.join(
        [
          sql`true`,
          ...(query.active === undefined ? [] : [sql`s.active = ${query.active}`]),
          ...(query.q ? [sql`vn_fold(s.code || ' ' || s.name) LIKE ${containsPattern(query.q)}`] : []),
        ],
        sql` AND `,
      );
      const { rows } = await sql<SourceRow & { total: string }>`
        SELECT x.*, count(*) OVER () AS total FROM (${SELECT} WHERE ${where}) x
        ORDER BY ${sql.raw(`${sort.column.replace('s.', 'x.')} ${sort.direction}`)}, x.id LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
      return { items: rows.map((r) => toSource(r, actor)), total: Number(rows[0]?.total ?? 0) };
    },

    async get(actor: Actor, id: number): Promise<Source> {
      requireRole(actor, STAFF_ROLES);
      const row = await findSource(db, { id });
      if (!row) throw notFound('nguồn hồ sơ');
      return toSource(row, actor);
    },

    async create(actor: Actor, input: CreateSource): Promise<Source> {
      requireLocalityAdministrator(actor, 'danh sách nguồn hồ sơ');
      const row = await inTransaction(db, async (trx) => {
        if (await findSource(trx, { code: input.code })) throw conflict('SOURCE_CODE_TAKEN', `Mã nguồn "${input.code}" đã được dùng. Hãy chọn mã khác.`);
        await checkKey(trx, input.apiKeyId, null);
        const { rows } = await sql<{ id: number }>`
          INSERT INTO dossier_sources (code, name, api_key_id) VALUES (${input.code}, ${input.name.trim()}, ${input.apiKeyId ?? null}) RETURNING id`.execute(trx);
        const created = (await findSource(trx, { id: rows[0].id }))!;
        await recordAudit(trx, actor, { module: 'dossiers', action: 'source.create', entityType: 'dossier_source', entityId: created.id, after: toSource(created, null) });
        return created;
      });
      return toSource(row, actor);
    },

    async update(actor: Actor, id: number, input: UpdateSource): Promise<Source> {
      requireLocalityAdministrator(actor, 'danh sách nguồn hồ sơ');
      const row = await inTransaction(db, async (trx) => {
        const before = await findSource(trx, { id });
        if (!before) throw notFound('nguồn hồ sơ');
        if (input.code && input.code.toLowerCase() !== before.code.toLowerCase() && (await findSource(trx, { code: input.code }))) {
          throw conflict('SOURCE_CODE_TAKEN', `Mã nguồn "${input.code}" đã được dùng. Hãy chọn mã khác.`);
        }
        if (input.apiKeyId !== undefined) await checkKey(trx, input.apiKeyId, id);
        await sql`
          UPDATE dossier_sources SET code = ${input.code ?? before.code}, name = ${(input.name ?? before.name).trim()},
            api_key_id = ${input.apiKeyId === undefined ? before.api_key_id : input.apiKeyId}, updated_at = now()
          WHERE id = ${id}`.execute(trx);
        const after = (await findSource(trx, { id }))!;
        await recordAudit(trx, actor, { module: 'dossiers', action: 'source.update', entityType: 'dossier_source', entityId: id, before: toSource(before, null), after: toSource(after, null) });
        return after;
      });
      return toSource(row, actor);
    },

    deactivate: (actor: Actor, id: number) => setActive(actor, id, false),
    activate: (actor: Actor, id: number) => setActive(actor, id, true),
  };
}

export type SourceService = ReturnType<typeof createSourceService>;
