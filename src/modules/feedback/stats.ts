// Statistics per unit, category or month: counts in SQL, the median handling time in working
// hours from the calendar (verification → resolution).

import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/kysely.js';
import { type Actor, STAFF_ROLES, requireRole } from '../../platform/auth/actor.js';
import type { OrgUnitDirectory } from '../../platform/orgunits/directory.js';
import { endOfBusinessDay } from './deadline.js';
import { scopeCondition } from './repo.js';
import type { HeatmapQuery, StatisticsQuery, StatisticsRow } from './schemas.js';
import { type FeedbackService, reportScope } from './service.js';

const GROUPS: Record<'unit' | 'category' | 'month', { key: RawBuilder<string>; label: RawBuilder<string> }> = {
  unit: { key: sql`coalesce(r.unit_id, r.area_unit_id, 0)::text`, label: sql`coalesce(hu.name, au.name, 'Chưa xác định')` },
  category: { key: sql`r.category_id::text`, label: sql`c.name` },
  month: { key: sql`to_char(r.received_at AT TIME ZONE INTERVAL '07:00', 'YYYY-MM')`, label: sql`to_char(r.received_at AT TIME ZONE INTERVAL '07:00', 'MM/YYYY')` },
};

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return Math.round(m * 10) / 10;
}

export function createFeedbackStatistics(deps: { db: Db; directory: OrgUnitDirectory; feedback: FeedbackService; now?: () => Date }) {
  const { db, directory, feedback } = deps;
  const now = deps.now ?? (() => new Date());

  /** The reports a statistic counts: received in the period (this year by default), within the actor's scope. */
  async function filter(actor: Actor, query: HeatmapQuery, at: Date) {
    requireRole(actor, STAFF_ROLES);
    const year = new Date(at.getTime() + 7 * 3_600_000).getUTCFullYear();
    const from = new Date(endOfBusinessDay(query.from ?? `${year}-01-01`).getTime() + 1 - 86_400_000);
    const to = new Date(endOfBusinessDay(query.to ?? `${year}-12-31`).getTime() + 1);
    const snapshot = await directory.snapshot();
    const unitPath = query.unitId ? (snapshot.byId.get(query.unitId)?.path ?? '/none/') : null;
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


    async compute(actor: Actor, query: StatisticsQuery): Promise<{ items: StatisticsRow[]; total: number }> {
      const at = now();
      const where = await filter(actor, query, at);
      const group = GROUPS[query.groupBy ?? 'unit'];
      const { rows } = await sql<{
        key: string;
        label: string;
        status: string;
        verified_at: Date | null;
        resolved_at: Date | null;
        deadline: Date | null;
        rating: string | null;
      }>`
        SELECT ${group.key} AS key, ${group.label} AS label, r.status, r.verified_at, r.resolved_at, r.deadline, r.rating
        FROM feedback_reports r JOIN feedback_categories c ON c.id = r.category_id
        LEFT JOIN org_units hu ON hu.id = r.unit_id LEFT JOIN org_units au ON au.id = r.area_unit_id
        WHERE ${where}`.execute(db);
      const deadlines = await feedback.deadlinesNow();
      const groups = new Map<string, StatisticsRow & { hours: number[] }>();
      for (const r of rows) {
        let g = groups.get(r.key);
        if (!g) {
          g = { key: r.key, label: r.label, received: 0, verified: 0, rejected: 0, resolved: 0, resolvedOnTime: 0, resolvedLate: 0, overdueOpen: 0, medianHandlingHours: null, rated: 0, satisfied: 0, satisfactionRate: null, hours: [] };
          groups.set(r.key, g);
        }
        g.received++;
        if (r.verified_at) g.verified++;
        if (r.status === 'rejected') g.rejected++;
        if (r.resolved_at) {
          g.resolved++;
          if (r.deadline && r.resolved_at.getTime() > r.deadline.getTime()) g.resolvedLate++;
          else g.resolvedOnTime++;
          if (r.verified_at) g.hours.push(deadlines.workingHoursBetween(r.verified_at, r.resolved_at));
        } else if (r.deadline && ['verified', 'assigned', 'in_progress'].includes(r.status) && r.deadline.getTime() < at.getTime()) {
          g.overdueOpen++;
        }
        if (r.rating) {
          g.rated++;
          if (r.rating === 'satisfied') g.satisfied++;
        }
      }
      const items = [...groups.values()]
        .map(({ hours, ...g }) => ({ ...g, medianHandlingHours: median(hours), satisfactionRate: g.rated ? Math.round((g.satisfied / g.rated) * 1000) / 1000 : null }))
        .sort((a, b) => a.label.localeCompare(b.label, 'vi'));
      return { items, total: items.length };
    },
  };
}

export type FeedbackStatistics = ReturnType<typeof createFeedbackStatistics>;
