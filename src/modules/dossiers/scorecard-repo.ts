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
 * [w.s, x): from the period's first instant to the one after its last, `x` naming the column that
 * holds it. Rows come received before x and either received in the window or not ended before
 * it. Each count is the rows meeting its condition.
 */
const directWhen = (x: string): Record<keyof DossierCounts, string> => ({
  received: 'd.received_at >= w.s',
  synced: 'd.received_at >= w.s AND d.synced',
  syncedUnknown: 'd.received_at >= w.s AND d.synced IS NULL',
  digitised: 'd.received_at >= w.s AND d.digitised',
  digitisedUnknown: 'd.received_at >= w.s AND d.digitised IS NULL',
  reusedData: 'd.received_at >= w.s AND d.reused_data',
  reusedDataUnknown: 'd.received_at >= w.s AND d.reused_data IS NULL',
  onlineCapable: "d.received_at >= w.s AND p.online <> 'none'",
  onlineCapableOnline: "d.received_at >= w.s AND p.online <> 'none' AND d.channel = 2",
  withFee: 'd.received_at >= w.s AND d.fee > 0',
  paidOnline: 'd.received_at >= w.s AND d.fee > 0 AND d.paid_online',
  handled: 'd.ended_at IS NULL OR d.ended_at >= w.s',
  handledComplaint: '(d.ended_at IS NULL OR d.ended_at >= w.s) AND d.complaint',
  completedOnTime: `d.ended_at >= w.s AND d.ended_at < ${x} AND NOT coalesce(d.overdue_from <= d.ended_at, false)`,
  completedLate: `d.ended_at >= w.s AND d.ended_at < ${x} AND d.overdue_from <= d.ended_at`,
  inProcessWithin: `(d.ended_at IS NULL OR d.ended_at >= ${x}) AND (d.overdue_from IS NULL OR d.overdue_from >= ${x})`,
  inProcessOverdue: `(d.ended_at IS NULL OR d.ended_at >= ${x}) AND d.overdue_from < ${x}`,
  results: `d.ended_at >= w.s AND d.ended_at < ${x} AND d.ended_status IN (9, 10)`,
  resultsElectronic: `d.ended_at >= w.s AND d.ended_at < ${x} AND d.ended_status IN (9, 10) AND d.electronic_result`,
  resultsElectronicUnknown: `d.ended_at >= w.s AND d.ended_at < ${x} AND d.ended_status IN (9, 10) AND d.electronic_result IS NULL`,
});

const DIRECT_WHEN = directWhen('w.x');
const DIRECT = Object.fromEntries(COUNT_KEYS.map((k) => [k, `count(*) FILTER (WHERE ${DIRECT_WHEN[k]})`])) as Record<keyof DossierCounts, string>;
const AT_END_WHEN = directWhen('w.e');

/**
 * What each count gains when the window closes at w.x (the rows received by then) instead of at
 * w.e, a later instant: the same rows judged twice. Only a row with an instant in [w.x, w.e) is
 * judged differently (received, ended, or turned late there), so the rows may be limited to those.
 */
const EARLIER: Record<keyof DossierCounts, string> = Object.fromEntries(
  COUNT_KEYS.map((k) => [k, `count(*) FILTER (WHERE d.received_at < w.x AND (${DIRECT_WHEN[k]})) - count(*) FILTER (WHERE ${AT_END_WHEN[k]})`]),
) as Record<keyof DossierCounts, string>;

/** Every count 0: the columns of a row that only moves dossiers between two counts. */
const NONE = Object.fromEntries(COUNT_KEYS.map((k) => [k, '0'])) as Record<keyof DossierCounts, string>;

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

/** A period of whole months still under way: judged at `asOf` (now) instead of `after`. */
export interface UnderWay {
  /** The period's first instant, the instant after `now`, and the instant after the period. */
  start: Date;
  asOf: Date;
  after: Date;
  /** The first days of the month of `asOf` and of the period's last month, and the first instant of the month after `asOf`'s. */
  currentMonth: string;
  lastMonth: string;
  nextMonthStart: Date;
}

/**
 * The counts as of `w.asOf` minus the counts as of `w.after`, for each of `subtreeIds` (with every
 * unit below it, `unitIds`): added to the rollups' counts of a period under way (judged at its
 * end), they give its counts as of now. Only dossiers with an instant between the two differ:
 * - an open dossier received before now that turns late after now moves from "in process,
 *   overdue" to "within". Those turning late after this month are counted from the rollups
 *   (open, overdue month after this one), the others from the open dossiers' index alone
 *   (migration 008), without reading a row;
 * - one received or ended at `asOf` or later (stamped ahead of our clock by its source: few) is
 *   judged twice, at each instant, with the direct aggregate's conditions, and taken back out of
 *   the rollups' move above if it was in it. It is found in two index descents (migration 020):
 *   ended at `asOf` or later, or received then and open (or ended before its receipt).
 * Rows come keyed by subtree (the rollups') or by receiving unit.
 */
export async function countsMovedBefore(q: Queryable, w: UnderWay, subtreeIds: readonly number[], unitIds: readonly number[]): Promise<CountsRow[]> {
  if (subtreeIds.length === 0 || w.asOf >= w.after) return [];
  const units = [...unitIds];
  const monthEnd = new Date(Math.min(w.nextMonthStart.getTime(), w.after.getTime()));
  // One statement (one round trip): the moves counted from the rollups, from the index, and the
  // dossiers ahead of our clock judged twice, each row saying which it is.
  const { rows } = await sql<CountsRow & { moved: number }>`
    SELECT r.subtree_id AS "unitId", 'moved' AS key, sum(r.dossiers)::int AS moved, ${selectCounts(NONE)}
    FROM dossier_scorecard_monthly r
    WHERE r.subtree_id = ANY(${[...subtreeIds]}::int[]) AND r.ended_month = 'infinity'
      AND r.overdue_month > ${w.currentMonth}::date AND r.overdue_month <= ${w.lastMonth}::date AND r.received_month <= ${w.lastMonth}::date
    GROUP BY r.subtree_id
    UNION ALL
    SELECT d.unit_id, 'moved', count(*)::int, ${selectCounts(NONE)}
    FROM dossiers d
    WHERE d.unit_id = ANY(${units}::int[]) AND d.ended_at IS NULL AND d.overdue_from >= ${w.asOf}::timestamptz
      AND d.overdue_from < ${monthEnd}::timestamptz AND d.received_at < ${w.asOf}::timestamptz
    GROUP BY d.unit_id
    UNION ALL
    SELECT d.unit_id, 'moved',
      -- taken back out of the rollups' move when it was in it
      -count(*) FILTER (WHERE d.ended_at IS NULL AND d.overdue_from IS NOT NULL
        AND greatest(dossier_month(d.overdue_from), dossier_month(d.received_at)) > ${w.currentMonth}::date
        AND greatest(dossier_month(d.overdue_from), dossier_month(d.received_at)) <= ${w.lastMonth}::date)::int,
      ${selectCounts(EARLIER)}
    FROM (SELECT ${w.start}::timestamptz AS s, ${w.asOf}::timestamptz AS x, ${w.after}::timestamptz AS e) AS w
    JOIN dossiers d ON d.id IN (
        SELECT a.id FROM dossiers a WHERE a.ended_at >= ${w.asOf}::timestamptz AND a.unit_id = ANY(${units}::int[])
        UNION SELECT a.id FROM dossiers a
        WHERE (a.ended_at IS NULL OR a.ended_at < a.received_at) AND a.received_at >= ${w.asOf}::timestamptz AND a.unit_id = ANY(${units}::int[]))
      AND d.received_at < w.e AND (d.received_at >= w.s OR d.ended_at IS NULL OR d.ended_at >= w.s)
    JOIN dossier_procedures p ON p.id = d.procedure_id
    GROUP BY d.unit_id`.execute(q);
  return rows.map(({ moved, ...r }) => {
    r.inProcessWithin += moved;
    r.inProcessOverdue -= moved;
    return r;
  });
}

export interface ProcedureRow {
  id: number;
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
    SELECT id, code, unit_kinds, processing_days, online, effective_on, announced_on, published_on
    FROM dossier_procedures WHERE active AND unit_kinds && ${[...kinds]}::text[]`.execute(q);
  return rows;
}
