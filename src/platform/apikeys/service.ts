import { sql } from 'kysely';
import { type Db, inTransaction, type Queryable } from '../../db/kysely.js';
import { type Actor, isInScope, requireRole, scopePaths, ADMIN_ROLES } from '../auth/actor.js';
import { newApiKey, sha256 } from '../auth/tokens.js';
import { recordAudit } from '../audit/audit.js';
import { conflict, notFound } from '../errors/errors.js';
import { type ListParams, type ListResult, pageOf, sortOf } from '../http/list.js';
import type { OrgUnitService } from '../orgunits/service.js';
import { containsPattern } from '../text/fold.js';
import type { ApiKeyCache } from './cache.js';
import type { ApiKey, ApiKeyListQuery, CreateApiKey } from './schemas.js';

function selectKeys(q: Queryable) {
  return q
    .selectFrom('api_keys as k')
    .innerJoin('org_units as o', 'o.id', 'k.org_unit_id')
    .leftJoin('users as u', 'u.id', 'k.created_by')
    .select(['k.id', 'k.name', 'k.prefix', 'k.role', 'k.org_unit_id', 'o.name as unit_name', 'o.path', 'k.created_at', 'u.username', 'k.last_used_at', 'k.revoked_at']);
}

type KeyRow = Awaited<ReturnType<ReturnType<typeof selectKeys>['executeTakeFirstOrThrow']>>;

const toApiKey = (r: KeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  role: r.role,
  orgUnitId: r.org_unit_id,
  orgUnitName: r.unit_name,
  createdAt: r.created_at.toISOString(),
  createdBy: r.username ?? null,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

export function createApiKeyService(deps: { db: Db; orgUnits: OrgUnitService; cache: Pick<ApiKeyCache, 'changed'> }) {
  const { db, orgUnits, cache } = deps;

  async function manageable(q: Queryable, actor: Actor, id: number): Promise<KeyRow> {
    requireRole(actor, ADMIN_ROLES);
    const row = await selectKeys(q).where('k.id', '=', id).executeTakeFirst();
    if (!row || !isInScope(actor, row.path, ADMIN_ROLES)) throw notFound('khóa API');
    return row;
  }

  return {
    async list(actor: Actor, query: ApiKeyListQuery): Promise<ListResult<ApiKey>> {
      requireRole(actor, ADMIN_ROLES);
      const scope = scopePaths(actor, ADMIN_ROLES);
      const sort = sortOf(query.sort, { name: 'k.name', createdAt: 'k.created_at', lastUsedAt: 'k.last_used_at' } as const, {
        column: 'k.created_at',
        direction: 'desc',
      });
      const unitPath = query.orgUnitId ? (await orgUnits.visible(db, actor, query.orgUnitId, ADMIN_ROLES)).path : undefined;
      let q = selectKeys(db).where((eb) => eb.or(scope.map((p) => eb('o.path', 'like', `${p}%`))));
      if (unitPath) q = q.where('o.path', 'like', `${unitPath}%`);
      if (query.revoked !== undefined) q = q.where('k.revoked_at', query.revoked ? 'is not' : 'is', null);
      if (query.q) q = q.where(sql`vn_fold(k.name)`, 'like', containsPattern(query.q));
      const page = pageOf(query as ListParams);
      const [rows, count] = await Promise.all([
        q.orderBy(sort.column, sort.direction).orderBy('k.id').limit(page.limit).offset(page.offset).execute(),
        q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toApiKey), total: count.n };
    },

    /** Creates a key; its secret is returned this once and only its hash is kept. */
    async create(actor: Actor, input: CreateApiKey): Promise<{ apiKey: ApiKey; secret: string }> {
      requireRole(actor, ADMIN_ROLES);
      const key = newApiKey();
      const id = await inTransaction(db, async (trx) => {
        await orgUnits.visible(trx, actor, input.orgUnitId, ADMIN_ROLES);
        const row = await trx
          .insertInto('api_keys')
          .values({ name: input.name.trim(), prefix: key.prefix, secret_hash: sha256(key.secret), role: input.role, org_unit_id: input.orgUnitId, created_by: actor.userId })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, actor, {
          module: 'apikeys', action: 'create', entityType: 'apiKey', entityId: row.id, orgUnitId: input.orgUnitId,
          after: { name: input.name, role: input.role, orgUnitId: input.orgUnitId, prefix: key.prefix },
        });
        return row.id;
      });
      return { apiKey: toApiKey((await selectKeys(db).where('k.id', '=', id).executeTakeFirst())!), secret: key.full };
    },

    async revoke(actor: Actor, id: number): Promise<ApiKey> {
      await inTransaction(db, async (trx) => {
        const row = await manageable(trx, actor, id);
        if (row.revoked_at) throw conflict('ALREADY_REVOKED', 'Khóa API này đã bị thu hồi trước đó.');
        await trx.updateTable('api_keys').set({ revoked_at: sql`now()` }).where('id', '=', id).execute();
        await recordAudit(trx, actor, { module: 'apikeys', action: 'revoke', entityType: 'apiKey', entityId: id, orgUnitId: row.org_unit_id });
      });
      // Committed: no instance may go on accepting the key from its cache.
      cache.changed();
      return toApiKey((await selectKeys(db).where('k.id', '=', id).executeTakeFirst())!);
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
