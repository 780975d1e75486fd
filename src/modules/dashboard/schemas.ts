// The request and response shapes of the operations-centre screen (màn hình điều hành).

import { type Static, Type } from 'typebox';
import { Nullable } from '../../platform/http/params.js';
import { PeriodFields, PeriodOut, UnitRef } from '../dossiers/report-schemas.js';

export const DashboardQuery = Type.Object(
  {
    /** The unit whose subtree is counted; by default the caller's widest unit. */
    unitId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
    ...PeriodFields,
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx')])),
  },
  { additionalProperties: false },
);
export type DashboardQuery = Static<typeof DashboardQuery>;

/** A share in percent with one decimal (0–100); null when there is nothing to divide by. */
const Percent = Nullable(Type.Number({ minimum: 0, maximum: 100 }));
const Count = Type.Integer({ minimum: 0 });

/** Citizens' reports received in the period (phản ánh hiện trường), as GET /api/v1/feedback/statistics counts them. */
export const FeedbackFigures = Type.Object({
  received: Count,
  resolved: Count,
  resolvedOnTime: Count,
  resolvedLate: Count,
  /** Of those received in the period, open and past their deadline now. */
  overdueOpen: Count,
  /** resolvedOnTime ÷ resolved. */
  onTimeRate: Percent,
  rated: Count,
  satisfied: Count,
  /** satisfied ÷ rated. */
  satisfactionRate: Percent,
});

/** The Decision 766 scorecard of the period (GET /api/v1/dossiers/scorecard). */
export const DossierFigures = Type.Object({
  /** The score out of 100; null when nothing was scored. */
  outOf100: Nullable(Type.Number()),
  /** False when a measure has no data: the score is of the measures that have. */
  complete: Type.Boolean(),
  received: Count,
  /** To be handled in the period: carried over and received. */
  handled: Count,
  completedOnTime: Count,
  completedLate: Count,
  inProcessWithin: Count,
  inProcessOverdue: Count,
  /** Handled on time or in process within the deadline ÷ handled (measure 2.2's rate). */
  onTimeRate: Percent,
});

/** Directed tasks due in the period (GET /api/v1/tasks/scorecard). */
export const TaskFigures = Type.Object({
  total: Count,
  completedOnTime: Count,
  completedLate: Count,
  inProgressWithin: Count,
  inProgressOverdue: Count,
  /** Of the tasks whose outcome is known, the share done on time. */
  onTimeRate: Percent,
});

/** The breakthrough items of the period's year (GET /api/v1/breakthrough/overview). */
export const BreakthroughFigures = Type.Object({
  year: Type.Integer(),
  items: Count,
  approved: Count,
  completedOnTime: Count,
  completedLate: Count,
  inProgressWithin: Count,
  inProgressOverdue: Count,
  achieved: Count,
  partly: Count,
  notAchieved: Count,
});

/** The key projects as they stand now (GET /api/v1/projects/overview): they have no period. */
export const ProjectFigures = Type.Object({
  projects: Count,
  totalCapital: Type.Number(),
  disbursed: Type.Number(),
  disbursementRate: Percent,
  physicalProgress: Percent,
  clearanceRate: Percent,
  obstaclesOpen: Count,
  obstaclesOverdue: Count,
});

export const Dashboard = Type.Object({
  unit: UnitRef,
  period: PeriodOut,
  /** When the figures were read (the projects' and the open reports' are as of then; the period's are judged at period.asOf). */
  readAt: Type.String({ format: 'date-time' }),
  feedback: FeedbackFigures,
  dossiers: DossierFigures,
  tasks: TaskFigures,
  breakthrough: BreakthroughFigures,
  projects: ProjectFigures,
});
export type Dashboard = Static<typeof Dashboard>;
