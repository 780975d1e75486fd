// Statistics per unit, category or month, answered in SQL without reading every report: whole
// months come from the rollups the database keeps in step with the reports (migration 004), a
// month the period cuts from the reports themselves. Counts are exact; the median handling time
// is the grouped median of the whole-working-hour histogram (see `groupedMedian`).

import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/kysely.js';
import { type Actor, STAFF_ROLES, requireRole } from '../../platform/auth/actor.js';
import type { OrgUnitDirectory } from '../../platform/orgunits/directory.js';
import { businessDateOf, endOfBusinessDay } from './deadline.js';
import { type ReportScope, scopeCondition } from './repo.js';
import type { HeatmapQuery, StatisticsQuery, StatisticsRow } from './schemas.js';
import { type FeedbackService, reportScope } from './service.js';

/**
 * What a statistic is grouped by, per `groupBy`: the column `g` each part of the query groups on
 * besides the unit (from a rollup table, from the reports), then the key and label of a group.
 */
const GROUPS: Record<'unit' | 'category' | 'month', { rollup: RawBuilder<unknown>; report: RawBuilder<unknown>; by: RawBuilder<unknown>; key: RawBuilder<string>; label: RawBuilder<string> }> = {
  unit: { rollup: sql`0`, report: sql`0`, by: sql`p.unit_id`, key: sql`p.unit_id::text`, label: sql`coalesce(o.name, 'Chưa xác định')` },
  category: { rollup: sql`category_id`, report: sql`category_id`, by: sql`p.g`, key: sql`p.g::text`, label: sql`c.name` },
  month: { rollup: sql`month`, report: sql`feedback_month(received_at)`, by: sql`p.g`, key: sql`to_char(p.g, 'YYYY-MM')`, label: sql`to_char(p.g, 'MM/YYYY')` },
};

/** Labels in Vietnamese alphabetical order (one collator: `localeCompare(…, 'vi')` builds one per call). */
const VIETNAMESE = new Intl.Collator('vi');

const startOfDay = (date: string) => new Date(endOfBusinessDay(date).getTime() + 1 - 86_400_000);

/** The first day ('YYYY-MM-01') of the month after the month of `date`. */
function nextMonth(date: string): string {
  const [year, month] = date.split('-').map(Number);
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/** How a period of receipt is read: whole months from the rollups, report ranges added or taken away. */
export interface PeriodPlan {
  /** Months read from the rollups: first days, 'YYYY-MM-01', from `first` up to `end` excluded. */
  months: { first: string; end: string } | null;
  /** Reports received in [from, to), added (+1) or taken away (−1). */
  ranges: { from: Date; to: Date; sign: 1 | -1 }[];
}

/**
 * The period [from, to) as months (Vietnam time) from the rollups plus ranges of reports. A month
 * the period cuts is read from its reports, or as its rollup minus the reports of the rest of the
 * month, whichever covers less time up to `at` (reports are not received in the future): the
 * current month up to today is its rollup minus nothing.
 */
export function planPeriod(from: Date, to: Date, at: Date): PeriodPlan {
  const plan: PeriodPlan = { months: null, ranges: [] };
  if (to.getTime() <= from.getTime()) return plan;
  const lengthUpToNow = (a: Date, b: Date) => Math.max(0, Math.min(b.getTime(), at.getTime()) - a.getTime());
  const lastMonth = `${businessDateOf(new Date(to.getTime() - 1)).slice(0, 7)}-01`;
  for (let month = `${businessDateOf(from).slice(0, 7)}-01`; month <= lastMonth; month = nextMonth(month)) {
    const start = startOfDay(month);
    const end = startOfDay(nextMonth(month));
    const inside = { from: new Date(Math.max(start.getTime(), from.getTime())), to: new Date(Math.min(end.getTime(), to.getTime())) };
    const cut = inside.from.getTime() > start.getTime() || inside.to.getTime() < end.getTime();
    const rest = [
      { from: start, to: inside.from },
      { from: inside.to, to: end },
    ].filter((r) => r.to.getTime() > r.from.getTime());
    if (cut && lengthUpToNow(inside.from, inside.to) <= rest.reduce((n, r) => n + lengthUpToNow(r.from, r.to), 0)) {
      plan.ranges.push({ ...inside, sign: 1 });
      continue;
    }
    // Only the first and the last month can be cut: the months read whole are consecutive.
    plan.months = { first: plan.months?.first ?? month, end: nextMonth(month) };
    if (cut) plan.ranges.push(...rest.map((r) => ({ ...r, sign: -1 as const })));
  }
  return plan;
}

/**
 * The median of handling times known only as a histogram of whole hours (`buckets[h]` counts the
 * times in [h, h + 1)): the bucket holding the middle report, interpolated linearly within it,
 * h + (n/2 − reports below h) / reports in h; rounded to 0.1 h. Null without any report.
 */
export function groupedMedian(buckets: readonly number[]): number | null {
  const half = buckets.reduce((total, n) => total + n, 0) / 2;
  let below = 0;
  for (const [hour, n] of buckets.entries()) {
    if (n > 0 && below + n >= half) return Math.round((hour + (half - below) / n) * 10) / 10;
    below += n;
  }
  return null;
}

/**
 * The report scope (repo.ts) on rollup rows, which know only the responsible unit (`o`, the
 * handling unit when `p.assigned`, else the unit of the area, else none): the handling unit's
 * staff count its reports; the area's operators count the unassigned ones of their area.
 */
function responsibleScope(scope: ReportScope): RawBuilder<unknown> {
  const parts = [
    ...scope.unitPaths.map((path) => sql`(p.assigned AND o.path LIKE ${`${path}%`})`),
    ...scope.areaPaths.map((path) => sql`(NOT p.assigned AND o.path LIKE ${`${path}%`})`),
    ...(scope.noArea ? [sql`p.unit_id = 0`] : []),
  ];
  return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`false`;
}

interface StatisticsSqlRow {
  key: string;
  label: string;
  received: number;
  verified: number;
  rejected: number;
  resolved: number;
  resolved_late: number;
  overdue_open: number;
  rated: number;
  satisfied: number;
  /** The rollups' histograms of the group, '{n0,n1,…};{…}' (element h counts handling times in [h, h + 1)). */
  histograms: string | null;
  /** Buckets counted from the reports themselves, 'h:n,h:n' (n may be negative: taken away). */
  buckets: string | null;
}

/**
 * The group's histogram: its rollups' histograms and its buckets counted from the reports, added
 * up. Read digit by digit: a province's year brings some 40,000 numbers.
 */
function histogramOf(row: StatisticsSqlRow): number[] {
  const hours: number[] = [];
  const add = (hour: number, n: number) => {
    while (hours.length <= hour) hours.push(0);
    hours[hour] += n;
  };
  const text = row.histograms ?? '';
  let hour = 0;
  let n = 0;
  let sign = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n = n * 10 + c - 48;
    else if (c === 45) sign = -1; // '-'
    else if (c === 44 || c === 125) {
      // ',' or '}' ends a number; '}' also the histogram (';' then starts the next one at 0)
      add(hour, sign * n);
      hour = c === 44 ? hour + 1 : 0;
      n = 0;
      sign = 1;
    }
  }
  for (const bucket of row.buckets?.split(',') ?? []) {
    const [h, count] = bucket.split(':').map(Number);
    add(h, count);
  }
  return hours;
}

export function createFeedbackStatistics(deps: { db: Db; directory: OrgUnitDirectory; feedback: FeedbackService; now?: () => Date }) {
  const { db, directory, feedback } = deps;
  const now = deps.now ?? (() => new Date());
  let backfilled: Promise<void> | null = null;

  /** The period of receipt asked (this year by default), as [from, to). */
  function periodOf(query: HeatmapQuery, at: Date): { from: Date; to: Date } {
    const year = new Date(at.getTime() + 7 * 3_600_000).getUTCFullYear();
    return { from: startOfDay(query.from ?? `${year}-01-01`), to: new Date(endOfBusinessDay(query.to ?? `${year}-12-31`).getTime() + 1) };
  }

  async function unitPathOf(unitId: number | undefined): Promise<string | null> {
    return unitId ? ((await directory.snapshot()).byId.get(unitId)?.path ?? '/none/') : null;
  }

  /** The reports a statistic counts: received in the period, within the actor's scope. */
  async function filter(actor: Actor, query: HeatmapQuery, at: Date) {
    requireRole(actor, STAFF_ROLES);
    const { from, to } = periodOf(query, at);
    const unitPath = await unitPathOf(query.unitId);
    return sql.join(
      [
        sql`r.received_at >= ${from} AND r.received_at < ${to}`,
        scopeCondition(reportScope(actor)),
        ...(unitPath ? [sql`(hu.path LIKE ${`${unitPath}%`} OR (r.unit_id IS NULL AND au.path LIKE ${`${unitPath}%`}))`] : []),
        ...(query.categoryId ? [sql`r.category_id = ${query.categoryId}`] : []),
      ],
      sql` AND `,
    );
  }

  /**
   * Reports resolved before their handling time was stored (before migration 004) get it once per
   * process, computed with the calendar of today; the trigger moves them into the histogram.
   */
  async function backfillHandlingHours(): Promise<void> {
    const deadlines = await feedback.deadlinesNow();
    for (let after = 0; ; ) {
      const { rows } = await sql<{ id: number; verified_at: Date; resolved_at: Date }>`
        SELECT id, verified_at, resolved_at FROM feedback_reports
        WHERE handling_hours IS NULL AND resolved_at IS NOT NULL AND verified_at IS NOT NULL AND id > ${after}
        ORDER BY id LIMIT 1000`.execute(db);
      if (rows.length === 0) return;
      const hours = rows.map((r) => deadlines.workingHoursBetween(r.verified_at, r.resolved_at));
      await sql`
        UPDATE feedback_reports r SET handling_hours = x.hours
        FROM unnest(${rows.map((r) => r.id)}::int[], ${hours}::float8[]) AS x (id, hours)
        WHERE r.id = x.id AND r.handling_hours IS NULL AND r.resolved_at IS NOT NULL`.execute(db);
      after = rows[rows.length - 1].id;
    }
  }

  /**
   * One row per group, in one SQL statement: the rollups' rows of the whole months (per unit and
   * month, or per category too when one is asked), the reports of the other ranges summed per unit
   * and histogram bucket, and the open overdue reports; within the scope, summed per group.
   */
  async function statisticsRows(actor: Actor, query: StatisticsQuery, at: Date): Promise<StatisticsSqlRow[]> {
    const { from, to } = periodOf(query, at);
    const plan = planPeriod(from, to, at);
    const unitPath = await unitPathOf(query.unitId);
    const group = GROUPS[query.groupBy ?? 'unit'];
    const ofCategory = query.categoryId ? sql`AND category_id = ${query.categoryId}` : sql``;
    const parts: RawBuilder<unknown>[] = [];
    if (plan.months) {
      const rollup = query.categoryId !== undefined || query.groupBy === 'category' ? sql`feedback_stats_monthly` : sql`feedback_stats_units`;
      parts.push(sql`
        SELECT unit_id, assigned, ${group.rollup}, NULL::int, received, verified, rejected, resolved, resolved_late, rated, satisfied, 0, 0,
          CASE WHEN cardinality(hours) > 0 THEN hours::text END
        FROM ${rollup} WHERE month >= ${plan.months.first}::date AND month < ${plan.months.end}::date ${ofCategory}`);
    }
    // The same counts as feedback_stats_rebuild() (migration 004), over the reports of a range.
    for (const range of plan.ranges) {
      const n = sql`${range.sign}::int *`;
      parts.push(sql`
        SELECT coalesce(unit_id, area_unit_id, 0), unit_id IS NOT NULL, ${group.report},
          CASE WHEN resolved_at IS NOT NULL AND handling_hours IS NOT NULL THEN feedback_hour(handling_hours) END,
          ${n} count(*), ${n} count(verified_at), ${n} count(*) FILTER (WHERE status = 'rejected'), ${n} count(resolved_at),
          ${n} count(*) FILTER (WHERE resolved_at > deadline), ${n} count(rating), ${n} count(*) FILTER (WHERE rating = 'satisfied'), 0,
          ${n} count(handling_hours) FILTER (WHERE resolved_at IS NOT NULL), NULL
        FROM feedback_reports WHERE received_at >= ${range.from} AND received_at < ${range.to} ${ofCategory}
        GROUP BY 1, 2, 3, 4`);
    }
    // Open reports past their deadline now: in no rollup (time alone makes them overdue), and few.
    parts.push(sql`
      SELECT coalesce(unit_id, area_unit_id, 0), unit_id IS NOT NULL, ${group.report}, NULL::int, 0, 0, 0, 0, 0, 0, 0, count(*), 0, NULL
      FROM feedback_reports
      WHERE status IN ('verified', 'assigned', 'in_progress') AND deadline < ${at} AND received_at >= ${from} AND received_at < ${to} ${ofCategory}
      GROUP BY 1, 2, 3`);
    const { rows } = await sql<StatisticsSqlRow>`
      SELECT ${group.key} AS key, min(${group.label}) AS label,
        sum(p.received)::int AS received, sum(p.verified)::int AS verified, sum(p.rejected)::int AS rejected,
        sum(p.resolved)::int AS resolved, sum(p.resolved_late)::int AS resolved_late, sum(p.overdue_open)::int AS overdue_open,
        sum(p.rated)::int AS rated, sum(p.satisfied)::int AS satisfied,
        string_agg(p.histogram, ';') AS histograms, string_agg(p.hour || ':' || p.reports, ',') AS buckets
      FROM (${sql.join(parts, sql` UNION ALL `)})
        AS p (unit_id, assigned, g, hour, received, verified, rejected, resolved, resolved_late, rated, satisfied, overdue_open, reports, histogram)
      LEFT JOIN org_units o ON o.id = p.unit_id
      ${query.groupBy === 'category' ? sql`JOIN feedback_categories c ON c.id = p.g` : sql``}
      WHERE ${responsibleScope(reportScope(actor))} ${unitPath ? sql`AND o.path LIKE ${`${unitPath}%`}` : sql``}
      GROUP BY ${group.by}`.execute(db);
    return rows;
  }

  return {
    /**
     * Where reports gather: counts per cell of about 500 m (0.005°), for the heat map. Cells, not
     * points, so the answer stays small and no single report can be picked out.
     */
    async heatmap(actor: Actor, query: HeatmapQuery): Promise<{ items: { lat: number; lng: number; count: number }[] }> {
      const where = await filter(actor, query, now());
      const { rows } = await sql<{ lat: number; lng: number; count: number }>`
        SELECT round(r.lat::numeric / 0.005) * 0.005 AS lat, round(r.lng::numeric / 0.005) * 0.005 AS lng, count(*)::int AS count
        FROM feedback_reports r
        LEFT JOIN org_units hu ON hu.id = r.unit_id LEFT JOIN org_units au ON au.id = r.area_unit_id
        WHERE ${where} AND r.lat IS NOT NULL AND r.lng IS NOT NULL
        GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 5000`.execute(db);
      return { items: rows.map((r) => ({ lat: Number(r.lat), lng: Number(r.lng), count: r.count })) };
    },

    /**
     * Per responsible unit (the handling unit, else the unit of the area while unassigned),
     * category or month of receipt: the reports received in the period within the actor's scope.
     */
    async compute(actor: Actor, query: StatisticsQuery): Promise<{ items: StatisticsRow[]; total: number }> {
      requireRole(actor, STAFF_ROLES);
      backfilled ??= backfillHandlingHours().catch((err) => {
        backfilled = null;
        throw err;
      });
      await backfilled;
      const rows = await statisticsRows(actor, query, now());
      // A rollup row keeps zeros once its reports moved to another unit: no report, no group.
      const items = rows
        .filter((r) => r.received > 0)
        .map((r) => ({
          key: r.key,
          label: r.label,
          received: r.received,
          verified: r.verified,
          rejected: r.rejected,
          resolved: r.resolved,
          resolvedOnTime: r.resolved - r.resolved_late,
          resolvedLate: r.resolved_late,
          overdueOpen: r.overdue_open,
          medianHandlingHours: groupedMedian(histogramOf(r)),
          rated: r.rated,
          satisfied: r.satisfied,
          satisfactionRate: r.rated ? Math.round((r.satisfied / r.rated) * 1000) / 1000 : null,
        }))
        .sort((a, b) => VIETNAMESE.compare(a.label, b.label));
      return { items, total: items.length };
    },
  };
}

export type FeedbackStatistics = ReturnType<typeof createFeedbackStatistics>;
