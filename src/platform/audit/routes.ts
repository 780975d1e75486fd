import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { type Static, Type } from 'typebox';
import type { Db } from '../../db/kysely.js';
import { type Actor, hasRootScope, requireRole, scopePaths, ADMIN_ROLES } from '../auth/actor.js';
import { actorOf } from '../auth/hook.js';
import { badRequest } from '../errors/errors.js';
import { ListQuery, type ListParams, listResponse, pageOf, sendList, sortOf } from '../http/list.js';
import { vnDateTime } from '../http/xlsx.js';
import type { OrgUnitService } from '../orgunits/service.js';
import { containsPattern } from '../text/fold.js';
import { Nullable } from '../http/params.js';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  userId: Nullable(Type.Integer()),
  username: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  module: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Nullable(Type.String()),
  orgUnitId: Nullable(Type.Integer()),
  orgUnitName: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
});
type AuditEntry = Static<typeof AuditEntry>;

const AuditQuery = Type.Object(
  {
    ...ListQuery,
    userId: Type.Optional(Type.Integer({ minimum: 1 })),
    orgUnitId: Type.Optional(Type.Integer({ minimum: 1 })),
    module: Type.Optional(Type.String({ maxLength: 50 })),
    action: Type.Optional(Type.String({ maxLength: 50 })),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
type AuditQuery = Static<typeof AuditQuery>;

/** Reading the audit log: administrators, within their scope. Nothing here writes to it. */
export function createAuditReader(deps: { db: Db; orgUnits: OrgUnitService }) {
  const { db, orgUnits } = deps;
  return async function list(actor: Actor, query: AuditQuery) {
    requireRole(actor, ADMIN_ROLES);
    if (query.from && query.to && query.from > query.to) throw badRequest('INVALID_RANGE', 'Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.');
    const scope = scopePaths(actor, ADMIN_ROLES);
    const root = hasRootScope(actor, ADMIN_ROLES);
    const unitPath = query.orgUnitId ? (await orgUnits.visible(db, actor, query.orgUnitId, ADMIN_ROLES)).path : undefined;
    const sort = sortOf(query.sort, { at: 'a.at', module: 'a.module', action: 'a.action', username: 'a.username' } as const, { column: 'a.at', direction: 'desc' });
    let q = db
      .selectFrom('audit_log as a')
      .leftJoin('org_units as o', 'o.id', 'a.org_unit_id')
      .where((eb) => {
        const inScope = eb.or(scope.map((p) => eb('o.path', 'like', `${p}%`)));
        // Entries tied to no unit (sign-ins, the calendar) are for administrators of the whole locality.
        return root ? eb.or([inScope, eb('a.org_unit_id', 'is', null)]) : inScope;
      });
    if (unitPath) q = q.where('o.path', 'like', `${unitPath}%`);
    if (query.userId) q = q.where('a.user_id', '=', query.userId);
    if (query.module) q = q.where('a.module', '=', query.module);
    if (query.action) q = q.where('a.action', '=', query.action);
    if (query.from) q = q.where('a.at', '>=', sql<Date>`(${query.from}::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`);
    if (query.to) q = q.where('a.at', '<', sql<Date>`(${query.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`);
    if (query.q) q = q.where(sql`vn_fold(coalesce(a.username, '') || ' ' || a.module || ' ' || a.action || ' ' || coalesce(a.entity_id, ''))`, 'like', containsPattern(query.q));
    const page = pageOf(query as ListParams);
    const [rows, count] = await Promise.all([
      q
        .select(['a.id', 'a.at', 'a.user_id', 'a.username', 'a.ip', 'a.module', 'a.action', 'a.entity_type', 'a.entity_id', 'a.org_unit_id', 'o.name as unit_name', 'a.before', 'a.after'])
        .orderBy(sort.column, sort.direction)
        .orderBy('a.id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    const items: AuditEntry[] = rows.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      userId: r.user_id,
      username: r.username,
      ip: r.ip,
      module: r.module,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      orgUnitId: r.org_unit_id,
      orgUnitName: r.unit_name ?? null,
      before: r.before ?? null,
      after: r.after ?? null,
    }));
    return { items, total: count.n };
  };
}

export function auditRoutes(app: FastifyInstance, deps: { readAudit: ReturnType<typeof createAuditReader> }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get('/api/v1/audit', { schema: { tags: ['Nhật ký (audit log)'], querystring: AuditQuery, response: { 200: listResponse(AuditEntry) } } }, async (req, reply) => {
    const result = await deps.readAudit(actorOf(req), req.query);
    return sendList(reply, req.query as ListParams, result, {
      fileName: 'nhat-ky',
      sheet: 'Nhật ký',
      columns: [
        { header: 'Thời điểm', value: (e) => vnDateTime(new Date(e.at)), format: 'dd/mm/yyyy hh:mm:ss', width: 20 },
        { header: 'Người thực hiện', value: (e) => e.username },
        { header: 'Địa chỉ IP', value: (e) => e.ip },
        { header: 'Phân hệ', value: (e) => e.module },
        { header: 'Thao tác', value: (e) => e.action },
        { header: 'Đối tượng', value: (e) => `${e.entityType}${e.entityId ? ` #${e.entityId}` : ''}` },
        { header: 'Đơn vị', value: (e) => e.orgUnitName, width: 28 },
        { header: 'Trước', value: (e) => (e.before == null ? null : JSON.stringify(e.before)), width: 50 },
        { header: 'Sau', value: (e) => (e.after == null ? null : JSON.stringify(e.after)), width: 50 },
      ],
    });
  });
}
