// The SQL of the Decision 766 scorecard: the dossiers' counts per receiving unit for periods, from
// the monthly rollups (migration 008) when a period is made of whole months, else straight from the
// dossiers. Both compute the definitions of rules/scorecardCounts.ts (the reference) with the
// derived columns of migration 007: "as of the period's last instant" is a comparison with
// ended_at and overdue_from (on time when ended before overdue_from, or open and not yet past it).

import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';

/** The dossiers' counts of one unit (or a sum of units) for one period. */
export interface DossierCounts {
  received: number;
  synced: number;
  syncedUnknown: number;
  digitised: number;
  digitisedUnknown: number;
  reusedData: number;
  reusedDataUnknown: number;
  onlineCapable: number;
  onlineCapableOnline: number;
  withFee: number;
  paidOnline: number;
  /** Received by the end of the period, not ended before its start. */
  handled: number;
  handledComplaint: number;
  /** The handled dossiers as of the period's last instant. */
  completedOnTime: number;
  completedLate: number;
  inProcessWithin: number;
  inProcessOverdue: number;
  /** Ended with a result (processed, returned) in the period. */
  results: number;
  resultsElectronic: number;
  resultsElectronicUnknown: number;
}

export const COUNT_KEYS = [
  'received', 'synced', 'syncedUnknown', 'digitised', 'digitisedUnknown', 'reusedData', 'reusedDataUnknown',
  'onlineCapable', 'onlineCapableOnline', 'withFee', 'paidOnline', 'handled', 'handledComplaint',
  'completedOnTime', 'completedLate', 'inProcessWithin', 'inProcessOverdue', 'results', 'resultsElectronic', 'resultsElectronicUnknown',
] as const satisfies readonly (keyof DossierCounts)[];

export const zeroCounts = (): DossierCounts => Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as unknown as DossierCounts;

export function addCounts(into: DossierCounts, more: DossierCounts): DossierCounts {
  for (const k of COUNT_KEYS) into[k] += more[k];
  return into;
}

/**
 * Each count over rollup rows `r` for a window `w` of whole months (w.f, w.m: the first days of the
 * first and the last month). Rows come with r.received_month <= w.m and either received in the
 * window or not ended before it (the join below).
 */
const ROLLUP: Record<keyof DossierCounts, string> = {
  received: 'sum(r.dossiers) FILTER (WHERE r.received_month >= w.f)',
  synced: 'sum(r.synced) FILTER (WHERE r.received_month >= w.f)',
  syncedUnknown: 'sum(r.synced_unknown) FILTER (WHERE r.received_month >= w.f)',
  digitised: 'sum(r.digitised) FILTER (WHERE r.received_month >= w.f)',
  digitisedUnknown: 'sum(r.digitised_unknown) FILTER (WHERE r.received_month >= w.f)',
  reusedData: 'sum(r.reused_data) FILTER (WHERE r.received_month >= w.f)',
  reusedDataUnknown: 'sum(r.reused_data_unknown) FILTER (WHERE r.received_month >= w.f)',
  onlineCapable: 'sum(r.online_capable) FILTER (WHERE r.received_month >= w.f)',
  onlineCapableOnline: 'sum(r.online_capable_online) FILTER (WHERE r.received_month >= w.f)',
  withFee: 'sum(r.with_fee) FILTER (WHERE r.received_month >= w.f)',
  paidOnline: 'sum(r.paid_online) FILTER (WHERE r.received_month >= w.f)',
  handled: 'sum(r.dossiers) FILTER (WHERE r.ended_month >= w.f)',
  handledComplaint: 'sum(r.complaint) FILTER (WHERE r.ended_month >= w.f)',
  completedOnTime: 'sum(r.dossiers - r.ended_late) FILTER (WHERE r.ended_month BETWEEN w.f AND w.m)',
  completedLate: 'sum(r.ended_late) FILTER (WHERE r.ended_month BETWEEN w.f AND w.m)',
  inProcessWithin: 'sum(r.dossiers) FILTER (WHERE r.ended_month > w.m AND r.overdue_month > w.m)',
  inProcessOverdue: 'sum(r.dossiers) FILTER (WHERE r.ended_month > w.m AND r.overdue_month <= w.m)',
  results: 'sum(r.results) FILTER (WHERE r.ended_month BETWEEN w.f AND w.m)',
  resultsElectronic: 'sum(r.results_electronic) FILTER (WHERE r.ended_month BETWEEN w.f AND w.m)',
  resultsElectronicUnknown: 'sum(r.results_electronic_unknown) FILTER (WHERE r.ended_month BETWEEN w.f AND w.m)',
};

/**
 * The same counts over dossiers `d` (with their procedure `p`) for a window of instants
 * [w.s, w.x): from the period's first instant to the one after its last. Rows come received
 * before w.x and either received in the window or not ended before it.
 */
const DIRECT: Record<keyof DossierCounts, string> = {
  received: 'count(*) FILTER (WHERE d.received_at >= w.s)',
  synced: 'count(*) FILTER (WHERE d.received_at >= w.s AND d.synced)',
  syncedUnknown: 'count(*) FILTER (WHERE d.received_at >= w.s AND d.synced IS NULL)',
  digitised: 'count(*) FILTER (WHERE d.received_at >= w.s AND d.digitised)',
  digitisedUnknown: 'count(*) FILTER (WHERE d.received_at >= w.s AND d.digitised IS NULL)',
  reusedData: 'count(*) FILTER (WHERE d.received_at >= w.s AND d.reused_data)',
  reusedDataUnknown: 'count(*) FILTER (WHERE d.received_at >= w.s AND d.reused_data IS NULL)',
  onlineCapable: "count(*) FILTER (WHERE d.received_at >= w.s AND p.online <> 'none')",
  onlineCapableOnline: "count(*) FILTER (WHERE d.received_at >= w.s AND p.online <> 'none' AND d.channel = 2)",
  withFee: 'count(*) FILTER (WHERE d.received_at >= w.s AND d.fee > 0)',
  paidOnline: 'count(*) FILTER (WHERE d.received_at >= w.s AND d.fee > 0 AND d.paid_online)',
  handled: 'count(*) FILTER (WHERE d.ended_at IS NULL OR d.ended_at >= w.s)',
  handledComplaint: 'count(*) FILTER (WHERE (d.ended_at IS NULL OR d.ended_at >= w.s) AND d.complaint)',
  completedOnTime: 'count(*) FILTER (WHERE d.ended_at >= w.s AND d.ended_at < w.x AND NOT coalesce(d.overdue_from <= d.ended_at, false))',
  completedLate: 'count(*) FILTER (WHERE d.ended_at >= w.s AND d.ended_at < w.x AND d.overdue_from <= d.ended_at)',
  inProcessWithin: 'count(*) FILTER (WHERE (d.ended_at IS NULL OR d.ended_at >= w.x) AND (d.overdue_from IS NULL OR d.overdue_from >= w.x))',
  inProcessOverdue: 'count(*) FILTER (WHERE (d.ended_at IS NULL OR d.ended_at >= w.x) AND d.overdue_from < w.x)',
  results: 'count(*) FILTER (WHERE d.ended_at >= w.s AND d.ended_at < w.x AND d.ended_status IN (9, 10))',
  resultsElectronic: 'count(*) FILTER (WHERE d.ended_at >= w.s AND d.ended_at < w.x AND d.ended_status IN (9, 10) AND d.electronic_result)',
  resultsElectronicUnknown:
    'count(*) FILTER (WHERE d.ended_at >= w.s AND d.ended_at < w.x AND d.ended_status IN (9, 10) AND d.electronic_result IS NULL)',
};

const selectCounts = (exprs: Record<keyof DossierCounts, string>) =>
  sql.raw(COUNT_KEYS.map((k) => `coalesce(${exprs[k]}, 0)::int AS "${k}"`).join(',\n  '));

/** A window of whole months: the first days of its first and its last month ('YYYY-MM-01'). */
export interface MonthWindow {
  key: string;
  firstMonth: string;
  lastMonth: string;
}

export type CountsRow = DossierCounts & { key: string; unitId: number };

const unitCondition = (column: string, unitIds: readonly number[] | null): RawBuilder<unknown> =>
  unitIds === null ? sql`true` : sql`${sql.raw(column)} = ANY(${[...unitIds]}::int[])`;

/**
 * Counts per window and subtree from the monthly rollups: each of `subtreeIds` with every unit
 * below it (the rollups hold a row per unit of a dossier's receiving unit's path).
 */
export async function rollupCounts(q: Queryable, windows: readonly MonthWindow[], subtreeIds: readonly number[]): Promise<CountsRow[]> {
  if (windows.length === 0 || subtreeIds.length === 0) return [];
  const values = sql.join(windows.map((w) => sql`(${w.key}::text, ${w.firstMonth}::date, ${w.lastMonth}::date)`));
  const { rows } = await sql<CountsRow>`
    SELECT w.key, r.subtree_id AS "unitId",
      ${selectCounts(ROLLUP)}
    FROM (VALUES ${values}) AS w (key, f, m)
    JOIN dossier_scorecard_monthly r
      ON r.subtree_id = ANY(${[...subtreeIds]}::int[]) AND r.received_month <= w.m AND (r.received_month >= w.f OR r.ended_month >= w.f)
    GROUP BY w.key, r.subtree_id`.execute(q);
  return rows;
}

/** The direct aggregate's statement for [start, after): also what the benchmark compares the rollups with. */
export function directCountsQuery(start: Date, after: Date, unitIds: readonly number[] | null) {
  return sql<CountsRow>`
    SELECT 'direct' AS key, d.unit_id AS "unitId",
      ${selectCounts(DIRECT)}
    FROM (SELECT ${start}::timestamptz AS s, ${after}::timestamptz AS x) AS w
    JOIN dossiers d ON d.received_at < w.x AND (d.received_at >= w.s OR d.ended_at IS NULL OR d.ended_at >= w.s)
    JOIN dossier_procedures p ON p.id = d.procedure_id
    WHERE ${unitCondition('d.unit_id', unitIds)}
    GROUP BY d.unit_id`;
}

/** Counts per receiving unit straight from the dossiers, for any period [start, after); `unitIds` null: every unit. */
export async function directCounts(q: Queryable, start: Date, after: Date, unitIds: readonly number[] | null): Promise<CountsRow[]> {
  if (unitIds?.length === 0) return [];
  return (await directCountsQuery(start, after, unitIds).execute(q)).rows;
}

export interface ProcedureRow {
  code: string;
  unit_kinds: string[];
  processing_days: number | null;
  online: 'full' | 'partial' | 'none';
  effective_on: string | null;
  announced_on: string | null;
  published_on: string | null;
}

/** The active procedures handled by any of these unit kinds (the catalogue is small). */
export async function proceduresOfKinds(q: Queryable, kinds: readonly string[]): Promise<ProcedureRow[]> {
  if (kinds.length === 0) return [];
  const { rows } = await sql<ProcedureRow>`
    SELECT code, unit_kinds, processing_days, online, effective_on, announced_on, published_on
    FROM dossier_procedures WHERE active AND unit_kinds && ${[...kinds]}::text[]`.execute(q);
  return rows;
}
