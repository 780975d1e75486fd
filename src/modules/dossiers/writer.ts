// The one writer of dossiers: upsert by (source, code), the history merged, the derived columns
// recomputed, nothing written when the row comes out the same (data_hash). Pushed batches, the demo
// data and any module that records dossiers call writeDossiers; a file import goes through the
// same merge (dossier-row.ts) in bulk (staging.ts).

import { sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';
import { endOfBusinessDay } from '../../platform/calendar/businessTime.js';
import type { WorkingCalendar } from '../../platform/calendar/calendar.js';
import {
  type DossierInput,
  type DossierRow,
  type ItemProblem,
  ROW_COLUMNS,
  type StoredFacts,
  checkInput,
  dossierRow,
  factsFromDb,
  factsOf,
  mergeFacts,
} from './dossier-row.js';

/** pg_advisory_xact_lock(DOSSIER_SOURCE_LOCK, source id): one writer per source at a time. */
export const DOSSIER_SOURCE_LOCK = 7_004_2021;

export type WriteOutcome = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface WriteResult {
  index: number;
  code: string;
  result: WriteOutcome;
  problems: ItemProblem[];
}

export interface WriteContext {
  calendar: WorkingCalendar;
  /** Whether dossiers of the unit at this path may be written (the caller's scope); any unit when absent. */
  mayWriteUnit?: (unitPath: string) => boolean;
  /** The file import writing them, recorded on the rows it changes. */
  importId?: number | null;
  now?: Date;
}

export interface ProcedureEntry {
  id: number;
  processingDays: number | null;
}
export interface UnitEntryRef {
  id: number;
  path: string;
}

/** Procedures and units by lower-cased code. */
export interface CodeLookups {
  procedures: Map<string, ProcedureEntry>;
  units: Map<string, UnitEntryRef>;
}

/** The procedures and units these codes name (case-insensitive, as their unique indexes are). */
export async function lookUpCodes(q: Queryable, procedureCodes: Iterable<string>, unitCodes: Iterable<string>): Promise<CodeLookups> {
  const pc = [...new Set([...procedureCodes].map((c) => c.toLowerCase()))];
  const uc = [...new Set([...unitCodes].map((c) => c.toLowerCase()))];
  const [procedures, units] = await Promise.all([
    sql<{ key: string; id: number; processing_days: number | null }>`
      SELECT lower(code) AS key, id, processing_days FROM dossier_procedures WHERE lower(code) = ANY(${pc}::text[])`.execute(q),
    sql<{ key: string; id: number; path: string }>`SELECT lower(code) AS key, id, path FROM org_units WHERE lower(code) = ANY(${uc}::text[])`.execute(q),
  ]);
  return {
    procedures: new Map(procedures.rows.map((r) => [r.key, { id: r.id, processingDays: r.processing_days }])),
    units: new Map(units.rows.map((r) => [r.key, { id: r.id, path: r.path }])),
  };
}

/** Takes the source's writer lock for the rest of the transaction. */
export async function lockSource(q: Queryable, sourceId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${DOSSIER_SOURCE_LOCK}, ${sourceId})`.execute(q);
}

/** A RangeError of the rules as a problem of the dossier. */
export function rulesProblem(error: unknown): ItemProblem {
  if (!(error instanceof RangeError)) throw error;
  if (/promised return date or its procedure/.test(error.message)) {
    return {
      field: 'promisedReturnDate',
      code: 'NO_DEADLINE',
      message: 'thủ tục không có thời hạn giải quyết trong danh mục và hồ sơ không có ngày hẹn trả: không tính được hạn giải quyết',
    };
  }
  if (/Date out of range/.test(error.message)) return { field: null, code: 'DATE_OUT_OF_RANGE', message: 'có ngày nằm ngoài khoảng lịch làm việc hỗ trợ' };
  if (/^An ending .* before the receipt/.test(error.message)) {
    return {
      field: 'receivedAt',
      code: 'DATE_ORDER',
      message: 'ngày tiếp nhận sau thời điểm hồ sơ đã kết thúc (theo các mốc trạng thái đã nhận trước đây): dữ liệu mâu thuẫn, hồ sơ giữ nguyên như cũ',
    };
  }
  return { field: null, code: 'INVALID_FACTS', message: `dữ liệu hồ sơ mâu thuẫn: ${error.message}` };
}

/** The procedure and unit of an input, and whether its unit may be written; problems otherwise. */
export function resolveCodes(
  input: Pick<DossierInput, 'procedureCode' | 'receivingUnitCode'>,
  lookups: CodeLookups,
  mayWriteUnit: ((path: string) => boolean) | undefined,
): { procedure: ProcedureEntry; unit: UnitEntryRef } | ItemProblem[] {
  const procedure = lookups.procedures.get(input.procedureCode.toLowerCase());
  const unit = lookups.units.get(input.receivingUnitCode.toLowerCase());
  const problems: ItemProblem[] = [];
  if (!procedure) {
    problems.push({ field: 'procedureCode', code: 'UNKNOWN_PROCEDURE', message: `không có thủ tục mã "${input.procedureCode}" trong danh mục thủ tục hành chính` });
  }
  if (!unit) {
    problems.push({ field: 'receivingUnitCode', code: 'UNKNOWN_UNIT', message: `không có đơn vị mã "${input.receivingUnitCode}" (đơn vị tiếp nhận phải là một đơn vị trong hệ thống)` });
  } else if (mayWriteUnit && !mayWriteUnit(unit.path)) {
    problems.push({ field: 'receivingUnitCode', code: 'UNIT_OUT_OF_SCOPE', message: `đơn vị "${input.receivingUnitCode}" nằm ngoài phạm vi được phân quyền` });
  }
  return procedure && unit && problems.length === 0 ? { procedure, unit } : problems;
}

export const outOfScopeProblem = (code: string): ItemProblem => ({
  field: 'code',
  code: 'UNIT_OUT_OF_SCOPE',
  message: `hồ sơ "${code}" đã có và thuộc một đơn vị nằm ngoài phạm vi được phân quyền`,
});

/**
 * Writes dossiers of one source, in the caller's transaction (it takes the source's lock until the
 * transaction ends). Each input is checked on its own: one that is wrong is rejected with its
 * problems and the others are written. Inputs with the same code are applied in order, each
 * merged into what the previous left, so a batch may carry a dossier and then its status changes.
 */
export async function writeDossiers(trx: Queryable, sourceId: number, inputs: readonly DossierInput[], ctx: WriteContext): Promise<WriteResult[]> {
  if (inputs.length === 0) return [];
  const now = ctx.now ?? new Date();
  await lockSource(trx, sourceId);
  const lookups = await lookUpCodes(
    trx,
    inputs.map((i) => i.procedureCode),
    inputs.map((i) => i.receivingUnitCode),
  );
  const codes = [...new Set(inputs.map((i) => i.code))];
  const stored = await sql<Record<string, unknown> & { code: string; data_hash: string; unit_path: string }>`
    SELECT d.*, o.path AS unit_path FROM dossiers d JOIN org_units o ON o.id = d.unit_id
    WHERE d.source_id = ${sourceId} AND d.code = ANY(${codes}::text[]) FOR UPDATE OF d`.execute(trx);

  /** Each code's latest state: as stored, then after each input applied. */
  const current = new Map<string, { facts: StoredFacts; hash: string; storedHash: string | null; row: DossierRow | null }>();
  const storedUnitPath = new Map<string, string>();
  for (const r of stored.rows) {
    current.set(r.code, { facts: factsFromDb(r), hash: r.data_hash, storedHash: r.data_hash, row: null });
    storedUnitPath.set(r.code, r.unit_path);
  }

  const results = inputs.map((input, index): WriteResult => {
    const reject = (problems: ItemProblem[]): WriteResult => ({ index, code: input.code, result: 'rejected', problems });
    const problems = checkInput(input, now);
    const resolved = resolveCodes(input, lookups, ctx.mayWriteUnit);
    if (Array.isArray(resolved)) problems.push(...resolved);
    const wasPath = storedUnitPath.get(input.code);
    if (wasPath !== undefined && ctx.mayWriteUnit && !ctx.mayWriteUnit(wasPath)) problems.push(outOfScopeProblem(input.code));
    if (problems.length > 0 || Array.isArray(resolved)) return reject(problems);

    const before = current.get(input.code);
    const incoming = factsOf(input, resolved.procedure.id, resolved.unit.id);
    let row: DossierRow;
    try {
      row = dossierRow(ctx.calendar, input.code, before ? mergeFacts(before.facts, incoming) : incoming, resolved.procedure.processingDays);
    } catch (error) {
      return reject([rulesProblem(error)]);
    }
    current.set(input.code, { facts: row, hash: row.dataHash, storedHash: before?.storedHash ?? null, row });
    const result: WriteOutcome = !before ? 'created' : before.hash === row.dataHash ? 'unchanged' : 'updated';
    return { index, code: input.code, result, problems: [] };
  });

  const changed = [...current.values()].filter((c) => c.row !== null && c.row.dataHash !== c.storedHash).map((c) => c.row!);
  await upsertRows(trx, sourceId, changed, ctx.importId ?? null);
  return results;
}

const names = ROW_COLUMNS.map(([name]) => name);
/** `procedure_id = excluded.procedure_id, …`: what a conflicting row takes from the new one. */
export const UPDATE_SET = `${names.map((n) => `${n} = excluded.${n}`).join(', ')}, import_id = excluded.import_id, updated_at = now()`;
export const INSERT_COLUMNS = `source_id, code, import_id, ${names.join(', ')}`;

/** One INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE for the rows, whatever their number. */
export async function upsertRows(q: Queryable, sourceId: number, rows: readonly DossierRow[], importId: number | null): Promise<void> {
  if (rows.length === 0) return;
  const columns: (string | null)[][] = ROW_COLUMNS.map(() => []);
  for (const row of rows) {
    for (let k = 0; k < row.texts.length; k++) columns[k].push(row.texts[k]);
    columns[row.texts.length].push(row.dataHash);
  }
  const arrays = sql.join(columns.map((values) => sql`${values}::text[]`));
  const casts = sql.raw(ROW_COLUMNS.map(([name, type]) => `u.${name}::${type}`).join(', '));
  await sql`
    INSERT INTO dossiers AS d (${sql.raw(INSERT_COLUMNS)})
    SELECT ${sourceId}::int, u.code, ${importId}::int, ${casts}
    FROM unnest(${rows.map((r) => r.code)}::text[], ${arrays}) AS u(code, ${sql.raw(names.join(', '))})
    ON CONFLICT (source_id, code) DO UPDATE SET ${sql.raw(UPDATE_SET)}
    WHERE d.data_hash IS DISTINCT FROM excluded.data_hash`.execute(q);
}

/**
 * Recomputes the derived columns of the dossiers `where` selects (after a change to what they
 * are derived from), in batches, writing those that change:
 * - `procedureId`: its dossiers (its processing time changed);
 * - `dayChanged`: those whose due date a change of that day between working and not can move,
 *   the ones received by its end and not due before it (or without a due date while the clock is
 *   stopped): a day after the due date, or before the receipt, is not counted in it, and a
 *   supplement's pause lies between the two.
 * A RangeError of the rules (a dossier that no longer has a deadline) goes to the caller, whose
 * transaction then writes nothing.
 */
export async function recomputeDossiers(q: Queryable, calendar: WorkingCalendar, where: { procedureId: number } | { dayChanged: string }): Promise<number> {
  const selected =
    'procedureId' in where
      ? sql`d.procedure_id = ${where.procedureId}`
      : sql`d.received_at <= ${endOfBusinessDay(where.dayChanged)}::timestamptz AND (d.due_on IS NULL OR d.due_on >= ${where.dayChanged}::date)`;
  let after = '0';
  let changed = 0;
  for (;;) {
    const { rows } = await sql<Record<string, unknown> & { id: string; code: string; data_hash: string; processing_days: number | null }>`
      SELECT d.*, p.processing_days FROM dossiers d JOIN dossier_procedures p ON p.id = d.procedure_id
      WHERE ${selected} AND d.id > ${after}::bigint ORDER BY d.id LIMIT 5000`.execute(q);
    if (rows.length === 0) return changed;
    after = rows[rows.length - 1].id;
    const updates = rows
      .map((r) => ({ id: r.id, stored: r.data_hash, row: dossierRow(calendar, r.code, factsFromDb(r), r.processing_days) }))
      .filter((u) => u.row.dataHash !== u.stored);
    changed += updates.length;
    if (updates.length === 0) continue;
    const derived = ['status', 'status_at', 'ended_at', 'ended_status', 'due_on', 'overdue_from', 'data_hash'] as const;
    const at = (name: (typeof derived)[number]) => ROW_COLUMNS.findIndex(([n]) => n === name);
    const columns = derived.map((name) => updates.map((u) => (name === 'data_hash' ? u.row.dataHash : u.row.texts[at(name)])));
    const types = Object.fromEntries(ROW_COLUMNS);
    await sql`
      UPDATE dossiers d SET ${sql.raw(derived.map((n) => `${n} = u.${n}::${types[n]}`).join(', '))}, updated_at = now()
      FROM unnest(${updates.map((u) => u.id)}::bigint[], ${sql.join(columns.map((c) => sql`${c}::text[]`))}) AS u(id, ${sql.raw(derived.join(', '))})
      WHERE d.id = u.id`.execute(q);
  }
}
