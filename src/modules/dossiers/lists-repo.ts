// The SQL of the dossier list and a dossier's detail. Timeliness "as of" an instant is read from the
// derived columns of migration 007, exactly as the scorecard's counts read them (scorecard-repo.ts):
// not received before received_at; ended by then: late when overdue_from <= ended_at; open then:
// overdue once overdue_from has passed.

import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';
import { containsPattern } from '../../platform/text/fold.js';
import type { Timeliness } from './rules/timeliness.js';

/** The dossier's timeliness at `asOf` (an instant). */
export function timelinessAt(asOf: Date): RawBuilder<Timeliness> {
  return sql<Timeliness>`CASE
    WHEN d.received_at > ${asOf}::timestamptz THEN 'not_received'
    WHEN d.ended_at <= ${asOf}::timestamptz THEN CASE WHEN d.overdue_from <= d.ended_at THEN 'completed_late' ELSE 'completed_on_time' END
    WHEN d.overdue_from <= ${asOf}::timestamptz THEN 'in_process_overdue'
    ELSE 'in_process_within' END`;
}

/**
 * Which dossiers a condition "open at an instant" (not ended by then) is written for. A filter that
 * keeps only open dossiers is read as two disjoint branches, each served by an index of migration
 * 008: those not ended at all (dossiers_open_now_idx, index-only) and those ended after the instant
 * (dossiers_ended_idx: for "now", the few endings stamped ahead of our clock). Any other filter
 * reads "open" as one condition.
 */
type OpenBranch = 'any' | 'not_ended' | 'ended_later';

const openAt = (at: Date, branch: OpenBranch) =>
  branch === 'not_ended' ? sql`true` : branch === 'ended_later' ? sql`d.ended_at > ${at}::timestamptz` : sql`(d.ended_at IS NULL OR d.ended_at > ${at}::timestamptz)`;

/** The same classes as conditions an index can serve (received, then ended or open at `asOf`). */
function timelinessCondition(t: Exclude<Timeliness, 'not_received'>, asOf: Date, branch: OpenBranch): RawBuilder<unknown> {
  const received = sql`d.received_at <= ${asOf}::timestamptz`;
  const open = openAt(asOf, branch);
  switch (t) {
    case 'completed_on_time':
      return sql`(${received} AND d.ended_at <= ${asOf}::timestamptz AND NOT coalesce(d.overdue_from <= d.ended_at, false))`;
    case 'completed_late':
      return sql`(${received} AND d.ended_at <= ${asOf}::timestamptz AND d.overdue_from <= d.ended_at)`;
    case 'in_process_within':
      return sql`(${received} AND ${open} AND (d.overdue_from IS NULL OR d.overdue_from > ${asOf}::timestamptz))`;
    case 'in_process_overdue':
      return sql`(${received} AND ${open} AND d.overdue_from <= ${asOf}::timestamptz)`;
  }
}

type TriState = 'true' | 'false' | 'unknown';

/** What a list is filtered by, resolved from the query (instants, codes, unit ids). */
export interface DossierFilters {
  /** Receiving units (a subtree within the caller's scope); null: every unit. */
  unitIds: number[] | null;
  procedureId?: number;
  channel?: number;
  statuses?: number[];
  /** The period's first instant and the instant after its last. */
  start?: Date;
  after?: Date;
  basis: 'received' | 'handled' | 'resulted';
  asOf: Date;
  timeliness?: Exclude<Timeliness, 'not_received'>[];
  /** Open at `now`, not overdue, not waiting for the citizen, due on or before this date. */
  dueBy?: { now: Date; date: string };
  onlineCapable?: boolean;
  fee?: boolean;
  paidOnline?: boolean;
  complaint?: boolean;
  synced?: TriState;
  digitised?: TriState;
  electronicResult?: TriState;
  reusedData?: TriState;
  q?: string;
}

const triState = (column: string, value: TriState | undefined) =>
  value === undefined ? [] : [value === 'unknown' ? sql`${sql.raw(column)} IS NULL` : sql`${sql.raw(column)} = ${value === 'true'}`];

const flag = (condition: RawBuilder<unknown>, value: boolean | undefined) =>
  value === undefined ? [] : [value ? sql`coalesce(${condition}, false)` : sql`NOT coalesce(${condition}, false)`];

/** Whether the filter keeps only dossiers open at some instant (then it is read in two branches). */
export function onlyOpen(f: DossierFilters): boolean {
  return f.dueBy !== undefined || f.timeliness?.every((t) => t.startsWith('in_process')) === true;
}

export function filterCondition(f: DossierFilters, branch: OpenBranch = 'any'): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (branch === 'not_ended') parts.push(sql`d.ended_at IS NULL`);
  if (f.unitIds !== null) parts.push(sql`d.unit_id = ANY(${f.unitIds}::int[])`);
  if (f.procedureId !== undefined) parts.push(sql`d.procedure_id = ${f.procedureId}`);
  if (f.channel !== undefined) parts.push(sql`d.channel = ${f.channel}`);
  if (f.statuses) parts.push(sql`d.status = ANY(${f.statuses}::smallint[])`);
  if (f.basis === 'received') {
    if (f.start) parts.push(sql`d.received_at >= ${f.start}::timestamptz`);
    if (f.after) parts.push(sql`d.received_at < ${f.after}::timestamptz`);
  } else {
    if (f.after) parts.push(sql`d.received_at < ${f.after}::timestamptz`);
    if (f.basis === 'handled' && f.start) parts.push(sql`(d.ended_at IS NULL OR d.ended_at >= ${f.start}::timestamptz)`);
    if (f.basis === 'resulted') {
      parts.push(sql`d.ended_status IN (9, 10)`);
      if (f.start) parts.push(sql`d.ended_at >= ${f.start}::timestamptz`);
      if (f.after) parts.push(sql`d.ended_at < ${f.after}::timestamptz`);
    }
  }
  if (f.timeliness) parts.push(sql`(${sql.join(f.timeliness.map((t) => timelinessCondition(t, f.asOf, branch)), sql` OR `)})`);
  if (f.dueBy) {
    const { now, date } = f.dueBy;
    parts.push(
      sql`d.received_at <= ${now}::timestamptz AND ${openAt(now, branch)}
        AND (d.overdue_from IS NULL OR d.overdue_from > ${now}::timestamptz)
        AND array_position(d.supplement_answered, NULL) IS NULL AND d.due_on <= ${date}::date`,
    );
  }
  parts.push(...flag(sql`p.online <> 'none'`, f.onlineCapable));
  parts.push(...flag(sql`d.fee > 0`, f.fee));
  parts.push(...flag(sql`d.fee > 0 AND d.paid_online`, f.paidOnline));
  parts.push(...flag(sql`d.complaint`, f.complaint));
  parts.push(...triState('d.synced', f.synced), ...triState('d.digitised', f.digitised), ...triState('d.reused_data', f.reusedData));
  if (f.electronicResult !== undefined) parts.push(sql`d.ended_status IN (9, 10)`, ...triState('d.electronic_result', f.electronicResult));
  if (f.q?.trim()) {
    const prefix = `${f.q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(sql`(lower(d.code) LIKE ${prefix} OR vn_fold(coalesce(d.handler, '')) LIKE ${containsPattern(f.q)})`);
  }
  return parts.length ? sql.join(parts, sql` AND `) : sql`true`;
}

export interface DossierRow {
  id: string;
  code: string;
  source_code: string;
  source_name: string;
  procedure_id: number;
  procedure_code: string;
  procedure_name: string;
  procedure_processing_days: number | null;
  procedure_online: 'full' | 'partial' | 'none';
  unit_id: number;
  channel: number;
  received_at: Date;
  promised_on: string | null;
  due_on: string | null;
  status: number;
  status_at: Date;
  ended_at: Date | null;
  ended_status: number | null;
  overdue_from: Date | null;
  handler: string | null;
  timeliness: Timeliness;
  supplement_requests: number;
  waiting_for_citizen: boolean;
  fee: string | null;
  paid_online: boolean | null;
  complaint: boolean;
}

const COLUMNS = (asOf: Date) => sql`
  d.id, d.code, s.code AS source_code, s.name AS source_name, d.procedure_id, p.code AS procedure_code, p.name AS procedure_name,
  p.processing_days AS procedure_processing_days, p.online AS procedure_online, d.unit_id, d.channel, d.received_at,
  d.promised_on, d.due_on, d.status, d.status_at, d.ended_at, d.ended_status, d.overdue_from, d.handler,
  ${timelinessAt(asOf)} AS timeliness, cardinality(d.supplement_asked) AS supplement_requests,
  array_position(d.supplement_answered, NULL) IS NOT NULL AS waiting_for_citizen, d.fee, d.paid_online, d.complaint`;

/**
 * A page of the list and its total. The page is chosen on the filter's own columns first (an
 * index-only scan where an index holds them; each branch of an open-only filter apart), then its
 * rows are read in full; the total is counted in the same statement.
 */
export async function listDossiers(
  q: Queryable,
  f: DossierFilters,
  page: { sort: string; direction: 'asc' | 'desc'; limit: number; offset: number },
): Promise<{ rows: DossierRow[]; total: number }> {
  // The procedure only for the filter that reads it.
  const from = f.onlineCapable === undefined ? sql`dossiers d` : sql`dossiers d JOIN dossier_procedures p ON p.id = d.procedure_id`;
  const direction = sql.raw(page.direction);
  const order = sql`${sql.raw(page.sort)} ${direction} NULLS LAST, d.id ${direction}`;
  const branches = onlyOpen(f) ? [filterCondition(f, 'not_ended'), filterCondition(f, 'ended_later')] : [filterCondition(f)];
  const chosen =
    branches.length === 1
      ? sql`SELECT d.id FROM ${from} WHERE ${branches[0]} ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`
      : sql`SELECT u.id FROM (${sql.join(
          branches.map((where) => sql`(SELECT d.id, ${sql.raw(page.sort)} AS sorted FROM ${from} WHERE ${where} ORDER BY ${order} LIMIT ${page.offset + page.limit})`),
          sql` UNION ALL `,
        )}) AS u ORDER BY u.sorted ${direction} NULLS LAST, u.id ${direction} LIMIT ${page.limit} OFFSET ${page.offset}`;
  // One statement: the total, and the page beside it (no row of it when the page is past the end).
  const counts = sql.join(branches.map((where) => sql`(SELECT count(*) FROM ${from} WHERE ${where})`), sql` + `);
  const { rows } = await sql<DossierRow & { list_total: number }>`
    SELECT t.list_total, x.*
    FROM (SELECT (${counts})::int AS list_total) AS t
    LEFT JOIN LATERAL (
      SELECT ${COLUMNS(f.asOf)}
      FROM (${chosen}) AS chosen
      JOIN dossiers d ON d.id = chosen.id JOIN dossier_procedures p ON p.id = d.procedure_id JOIN dossier_sources s ON s.id = d.source_id) AS x ON true
    ORDER BY ${sql.raw(page.sort.replace(/^d\./, 'x.'))} ${direction} NULLS LAST, x.id ${direction}`.execute(q);
  const total = rows[0]?.list_total ?? 0;
  return { rows: rows.filter((r) => r.id !== null), total };
}

export interface DossierDetailRow extends DossierRow {
  event_statuses: number[];
  event_times: Date[];
  supplement_asked: Date[];
  supplement_answered: (Date | null)[];
  synced: boolean | null;
  digitised: boolean | null;
  electronic_result: boolean | null;
  reused_data: boolean | null;
  rating: string | null;
  created_at: Date;
  updated_at: Date;
}

export async function findDossier(q: Queryable, id: number, asOf: Date): Promise<DossierDetailRow | undefined> {
  const { rows } = await sql<DossierDetailRow>`
    SELECT ${COLUMNS(asOf)}, d.event_statuses, d.event_times, d.supplement_asked, d.supplement_answered,
      d.synced, d.digitised, d.electronic_result, d.reused_data, d.rating, d.created_at, d.updated_at
    FROM dossiers d JOIN dossier_procedures p ON p.id = d.procedure_id JOIN dossier_sources s ON s.id = d.source_id
    WHERE d.id = ${id}`.execute(q);
  return rows[0];
}
