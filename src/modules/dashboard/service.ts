// The operations-centre screen (màn hình điều hành): the figures that matter of every module, for
// one unit with its subtree and one reporting period. Each is read through its module's own read
// (the dossiers' scorecard, the tasks' scorecard, the feedback statistics, the projects' and the
// breakthrough overviews), never counted a second way, so the screen and the module's page agree.
//
// Decisions:
// - The period is the dossiers' reporting period (month by default, quarter, half, year or a
//   range); the tasks and the feedback are counted over its dates, the breakthrough items are those
//   of its year (of its last day for a range), and the key projects have no period: as of now.
// - Every share is a percent with one decimal, whatever the module's own answer rounds to.

import { type Actor, reportUnit } from '../../platform/auth/actor.js';
import type { OrgUnitDirectory } from '../../platform/orgunits/directory.js';
import type { BreakthroughOverview } from '../breakthrough/overview.js';
import type { DossierScorecard } from '../dossiers/scorecard.js';
import type { FeedbackStatistics } from '../feedback/stats.js';
import type { ProjectService } from '../projects/service.js';
import type { TaskService } from '../tasks/service.js';
import type { Dashboard, DashboardQuery } from './schemas.js';

export interface DashboardDeps {
  directory: OrgUnitDirectory;
  dossiers: Pick<DossierScorecard, 'resolvePeriod' | 'scorecard'>;
  tasks: Pick<TaskService, 'scorecard'>;
  feedback: Pick<FeedbackStatistics, 'compute'>;
  projects: Pick<ProjectService, 'overview'>;
  breakthrough: Pick<BreakthroughOverview, 'overview'>;
  now: () => Date;
}

/** part ÷ whole in percent, one decimal; null when whole is 0. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

/** A percent (0–100) of any precision, to one decimal. */
const oneDecimal = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

export function createDashboard(deps: DashboardDeps) {
  const { directory, dossiers, tasks, feedback, projects, breakthrough, now } = deps;

  return {
    async summary(actor: Actor, query: DashboardQuery): Promise<Dashboard> {
      const unit = reportUnit(actor, await directory.snapshot(), query.unitId);
      const readAt = now();
      const period = dossiers.resolvePeriod(query).out;
      const unitId = unit.id;
      const year = period.year ?? Number(period.to.slice(0, 4));

      const [scorecard, taskCard, statistics, projectOverview, breakthroughOverview] = await Promise.all([
        dossiers.scorecard(actor, { unitId, period: query.period, year: query.year, index: query.index, from: query.from, to: query.to }),
        tasks.scorecard(actor, { unitId, from: period.from, to: period.to }),
        feedback.compute(actor, { unitId, from: period.from, to: period.to }),
        projects.overview(actor, { unitId }),
        breakthrough.overview(actor, { unitId, year }),
      ]);

      const counts = new Map(scorecard.groups.flatMap((g) => g.measures.flatMap((m) => m.counts.map((c) => [c.name, c.value] as const))));
      const timeliness = new Map(scorecard.timeliness.map((c) => [c.name, c.value ?? 0]));
      const onTimeMeasure = scorecard.groups.flatMap((g) => g.measures).find((m) => m.numerator === 'dossiersHandledOnTime');

      const sum = (field: 'received' | 'resolved' | 'resolvedOnTime' | 'resolvedLate' | 'overdueOpen' | 'rated' | 'satisfied') =>
        statistics.items.reduce((total, row) => total + row[field], 0);
      const reports = {
        received: sum('received'),
        resolved: sum('resolved'),
        resolvedOnTime: sum('resolvedOnTime'),
        resolvedLate: sum('resolvedLate'),
        overdueOpen: sum('overdueOpen'),
        rated: sum('rated'),
        satisfied: sum('satisfied'),
      };

      const { total } = taskCard;
      const p = projectOverview.totals;
      return {
        unit: scorecard.unit,
        period: scorecard.period,
        readAt: readAt.toISOString(),
        feedback: { ...reports, onTimeRate: percent(reports.resolvedOnTime, reports.resolved), satisfactionRate: percent(reports.satisfied, reports.rated) },
        dossiers: {
          outOf100: scorecard.outOf100,
          complete: scorecard.complete,
          received: counts.get('dossiersReceived') ?? 0,
          handled: counts.get('dossiersHandled') ?? 0,
          completedOnTime: timeliness.get('completed_on_time') ?? 0,
          completedLate: timeliness.get('completed_late') ?? 0,
          inProcessWithin: timeliness.get('in_process_within') ?? 0,
          inProcessOverdue: timeliness.get('in_process_overdue') ?? 0,
          onTimeRate: onTimeMeasure?.rate == null ? null : oneDecimal(onTimeMeasure.rate * 100),
        },
        tasks: {
          total: total.total,
          completedOnTime: total.completedOnTime,
          completedLate: total.completedLate,
          inProgressWithin: total.inProgressWithin,
          inProgressOverdue: total.inProgressOverdue,
          onTimeRate: oneDecimal(total.onTimeRate),
        },
        breakthrough: { year, ...breakthroughOverview.totals },
        projects: {
          projects: p.projects,
          totalCapital: p.totalCapital,
          disbursed: p.disbursed,
          disbursementRate: oneDecimal(p.disbursementRate),
          physicalProgress: oneDecimal(p.physicalProgress),
          clearanceRate: oneDecimal(p.clearanceRate),
          obstaclesOpen: p.obstaclesOpen,
          obstaclesOverdue: p.obstaclesOverdue,
        },
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboard>;
