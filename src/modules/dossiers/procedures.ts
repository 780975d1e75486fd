// The procedure catalogue (danh mục thủ tục hành chính): one for the whole locality, read by
// every staff member, edited by the locality's administrators, never deleted (deactivated).

import { sql } from 'kysely';
import { type Db, type Queryable, inTransaction } from '../../db/kysely.js';
import { ADMIN_ROLES, type Actor, STAFF_ROLES, hasRootScope, requireRole } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { CalendarService } from '../../platform/calendar/service.js';
import { conflict, forbidden, notFound } from '../../platform/errors/errors.js';
import { type ListResult, pageOf, sortOf } from '../../platform/http/list.js';
import { containsPattern } from '../../platform/text/fold.js';
import type { CreateProcedure, Procedure, ProcedureListQuery, UpdateProcedure } from './ingest-schemas.js';
import { recomputeDossiers } from './writer.js';

interface ProcedureRow {
  id: number;
  code: string;
  name: string;
  level: string;
  unit_kinds: string[];
  processing_days: number | null;
  has_fee: boolean;
  online: string;
  effective_on: string | null;
  announced_on: string | null;
  published_on: string | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const toProcedure = (r: ProcedureRow): Procedure => ({
  id: r.id,
  code: r.code,
  name: r.name,
  level: r.level,
  unitKinds: r.unit_kinds,
  processingDays: r.processing_days,
  hasFee: r.has_fee,
  online: r.online,
  effectiveOn: r.effective_on,
  announcedOn: r.announced_on,
  publishedOn: r.published_on,
  active: r.active,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const SORTS = { code: 'lower(code)', name: 'name', level: 'level', processingDays: 'processing_days', effectiveOn: 'effective_on', updatedAt: 'updated_at' } as const;

/** The catalogue serves the whole locality: only its administrators (on a root unit) edit it. */
export function requireLocalityAdministrator(actor: Actor, what: string) {
  if (!hasRootScope(actor, ADMIN_ROLES)) throw forbidden(`Chỉ quản trị viên cấp tỉnh/thành phố mới sửa ${what}.`);
}

async function findProcedure(q: Queryable, by: { id: number } | { code: string }, forUpdate = false): Promise<ProcedureRow | undefined> {
  const where = 'id' in by ? sql`id = ${by.id}` : sql`lower(code) = lower(${by.code})`;
  return (await sql<ProcedureRow>`SELECT * FROM dossier_procedures WHERE ${where} ${sql.raw(forUpdate ? 'FOR UPDATE' : '')}`.execute(q)).rows[0];
}

const codeTaken = (code: string) => conflict('PROCEDURE_CODE_TAKEN', `Mã thủ tục "${code}" đã có trong danh mục. Hãy kiểm tra lại mã.`);

export function createProcedureService(deps: { db: Db; calendar: CalendarService }) {
  const { db } = deps;

  async function setActive(actor: Actor, id: number, active: boolean): Promise<Procedure> {
    requireLocalityAdministrator(actor, 'danh mục thủ tục hành chính');
    return toProcedure(
      await inTransaction(db, async (trx) => {
        const before = await findProcedure(trx, { id }, true);
        if (!before) throw notFound('thủ tục');
        if (before.active === active) return before;
        const { rows } = await sql<ProcedureRow>`UPDATE dossier_procedures SET active = ${active}, updated_at = now() WHERE id = ${id} RETURNING *`.execute(trx);
        await recordAudit(trx, actor, { module: 'dossiers', action: active ? 'procedure.activate' : 'procedure.deactivate', entityType: 'dossier_procedure', entityId: id });
        return rows[0];
      }),
    );
  }

  return {
    /** The catalogue's page; `only`: among these procedures alone (a scorecard count's drill-down). */
    async list(actor: Actor, query: Omit<ProcedureListQuery, 'scorecardCount' | 'unitId' | 'period' | 'year' | 'index' | 'from' | 'to'>, only?: number[]): Promise<ListResult<Procedure>> {
      requireRole(actor, STAFF_ROLES);
      const page = pageOf(query);
      const sort = sortOf(query.sort, SORTS, { column: 'lower(code)', direction: 'asc' });
      const where = sql.join(
        [
          sql`true`,
          ...(query.active === undefined ? [] : [sql`active = ${query.active}`]),
          ...(query.level ? [sql`level = ${query.level}`] : []),
          ...(query.online ? [sql`online = ${query.online}`] : []),
          ...(query.q ? [sql`search LIKE ${containsPattern(query.q)}`] : []),
          ...(only ? [sql`id = ANY(${only}::int[])`] : []),
        ],
        sql` AND `,
      );
      const { rows } = await sql<ProcedureRow & { total: string }>`
        SELECT *, count(*) OVER () AS total FROM dossier_procedures WHERE ${where}
        ORDER BY ${sql.raw(`${sort.column} ${sort.direction} NULLS LAST`)}, id LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
      return { items: rows.map(toProcedure), total: Number(rows[0]?.total ?? 0) };
    },

    async get(actor: Actor, id: number): Promise<Procedure> {
      requireRole(actor, STAFF_ROLES);
      const row = await findProcedure(db, { id });
      if (!row) throw notFound('thủ tục');
      return toProcedure(row);
    },

    async create(actor: Actor, input: CreateProcedure): Promise<Procedure> {
      requireLocalityAdministrator(actor, 'danh mục thủ tục hành chính');
      return toProcedure(
        await inTransaction(db, async (trx) => {
          if (await findProcedure(trx, { code: input.code })) throw codeTaken(input.code);
          const { rows } = await sql<ProcedureRow>`
            INSERT INTO dossier_procedures (code, name, level, unit_kinds, processing_days, has_fee, online, effective_on, announced_on, published_on)
            VALUES (${input.code}, ${input.name.trim()}, ${input.level}, ${input.unitKinds ?? []}::text[], ${input.processingDays ?? null}, ${input.hasFee ?? false},
              ${input.online ?? 'none'}, ${input.effectiveOn ?? null}::date, ${input.announcedOn ?? null}::date, ${input.publishedOn ?? null}::date)
            RETURNING *`.execute(trx);
          await recordAudit(trx, actor, { module: 'dossiers', action: 'procedure.create', entityType: 'dossier_procedure', entityId: rows[0].id, after: toProcedure(rows[0]) });
          return rows[0];
        }),
      );
    },

    /**
     * Edits a procedure. A new processing time changes the deadline of its dossiers without a
     * promised date: their derived columns are recomputed in the same transaction.
     */
    async update(actor: Actor, id: number, input: UpdateProcedure): Promise<Procedure> {
      requireLocalityAdministrator(actor, 'danh mục thủ tục hành chính');
      const calendar = await deps.calendar.calendar();
      return toProcedure(
        await inTransaction(db, async (trx) => {
          const before = await findProcedure(trx, { id }, true);
          if (!before) throw notFound('thủ tục');
          if (input.code && input.code.toLowerCase() !== before.code.toLowerCase() && (await findProcedure(trx, { code: input.code }))) throw codeTaken(input.code);
          const v = { ...toProcedure(before), ...input };
          const { rows } = await sql<ProcedureRow>`
            UPDATE dossier_procedures SET code = ${v.code}, name = ${v.name.trim()}, level = ${v.level}, unit_kinds = ${v.unitKinds}::text[],
              processing_days = ${v.processingDays}, has_fee = ${v.hasFee}, online = ${v.online}, effective_on = ${v.effectiveOn}::date,
              announced_on = ${v.announcedOn}::date, published_on = ${v.publishedOn}::date, updated_at = now()
            WHERE id = ${id} RETURNING *`.execute(trx);
          let recomputed = 0;
          if (rows[0].processing_days !== before.processing_days) {
            try {
              recomputed = await recomputeDossiers(trx, calendar, { procedureId: id });
            } catch (error) {
              if (!(error instanceof RangeError)) throw error;
              throw conflict(
                'PROCEDURE_DOSSIERS_WITHOUT_DEADLINE',
                'Có hồ sơ của thủ tục này không có ngày hẹn trả: thủ tục phải giữ thời hạn giải quyết để tính hạn cho các hồ sơ đó.',
              );
            }
          }
          await recordAudit(trx, actor, {
            module: 'dossiers',
            action: 'procedure.update',
            entityType: 'dossier_procedure',
            entityId: id,
            before: toProcedure(before),
            after: { ...toProcedure(rows[0]), dossiersRecomputed: recomputed },
          });
          return rows[0];
        }),
      );
    },

    deactivate: (actor: Actor, id: number) => setActive(actor, id, false),
    activate: (actor: Actor, id: number) => setActive(actor, id, true),
  };
}

export type ProcedureService = ReturnType<typeof createProcedureService>;
