import { type Static, Type } from 'typebox';
import { ListQuery } from '../../platform/http/list.js';
import { Nullable } from '../../platform/http/params.js';

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const IsoDate = Type.String({ format: 'date' });
const Timestamp = Type.String({ format: 'date-time' });
/** Đồng: whole amounts, up to a hundred thousand billion. */
const Money = Type.Integer({ minimum: 0, maximum: 100_000_000_000_000 });

export const PROJECT_STATUSES = ['preparing', 'in_progress', 'suspended', 'completed'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const UnitRef = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() });
export type UnitRef = Static<typeof UnitRef>;

export const CapitalSource = Type.Object(
  { source: Type.String({ minLength: 1, maxLength: 200 }), amount: Money },
  { additionalProperties: false },
);
export type CapitalSource = Static<typeof CapitalSource>;

/** The figures of the province view (rates in percent, null when there is nothing to measure). */
export const Figures = Type.Object({
  disbursed: Type.Number(),
  disbursementRate: Nullable(Type.Number()),
  segmentsLengthKm: Type.Number(),
  physicalProgress: Nullable(Type.Number()),
  affectedAreaM2: Type.Number(),
  handedOverAreaM2: Type.Number(),
  clearanceRate: Nullable(Type.Number()),
  affectedHouseholds: Type.Integer(),
  agreedHouseholds: Type.Integer(),
  obstaclesOpen: Type.Integer(),
  obstaclesOverdue: Type.Integer(),
});
export type Figures = Static<typeof Figures>;

export const Project = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  investor: Type.String(),
  managingUnit: UnitRef,
  location: Type.Unknown(),
  totalLengthKm: Nullable(Type.Number()),
  totalCapital: Type.Number(),
  capitalSources: Type.Array(Type.Object({ source: Type.String(), amount: Type.Number() })),
  status: Type.String(),
  startOn: Nullable(Type.String()),
  endOn: Nullable(Type.String()),
  description: Nullable(Type.String()),
  figures: Figures,
  can: Type.Object({ edit: Type.Boolean() }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Project = Static<typeof Project>;

export const ProgressEntry = Type.Object({ id: Type.Integer(), onDate: Type.String(), percent: Type.Number(), note: Nullable(Type.String()), createdAt: Timestamp });
export type ProgressEntry = Static<typeof ProgressEntry>;

export const Segment = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  lengthKm: Type.Number(),
  commune: Nullable(UnitRef),
  investor: Nullable(Type.String()),
  position: Type.Integer(),
  progress: Type.Number(),
  progressOn: Nullable(Type.String()),
  entries: Type.Array(ProgressEntry),
});
export type Segment = Static<typeof Segment>;

export const Disbursement = Type.Object({
  id: Type.Integer(),
  year: Type.Integer(),
  quarter: Nullable(Type.Integer()),
  month: Nullable(Type.Integer()),
  amount: Type.Number(),
  /** Disbursed up to and including this period (periods in time order). */
  cumulative: Type.Number(),
  note: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type Disbursement = Static<typeof Disbursement>;

export const Milestone = Type.Object({ id: Type.Integer(), name: Type.String(), plannedOn: Type.String(), actualOn: Nullable(Type.String()), note: Nullable(Type.String()) });
export type Milestone = Static<typeof Milestone>;

export const Clearance = Type.Object({
  id: Type.Integer(),
  commune: UnitRef,
  affectedHouseholds: Type.Integer(),
  affectedAreaM2: Type.Number(),
  agreedHouseholds: Type.Integer(),
  compensationApproved: Type.Number(),
  compensationPaid: Type.Number(),
  handedOverAreaM2: Type.Number(),
  handedOverRate: Nullable(Type.Number()),
  note: Nullable(Type.String()),
  updatedAt: Timestamp,
});
export type Clearance = Static<typeof Clearance>;

export const ObstacleTask = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  status: Type.String(),
  timeliness: Nullable(Type.String()),
  dueOn: Nullable(Type.String()),
  progress: Type.Number(),
});

export const Obstacle = Type.Object({
  id: Type.Integer(),
  commune: Nullable(UnitRef),
  description: Type.String(),
  responsibleUnit: UnitRef,
  dueOn: Type.String(),
  /** open, resolved (closed by the managing unit, or its task accepted). */
  status: Type.String(),
  overdue: Type.Boolean(),
  resolvedAt: Nullable(Timestamp),
  resolution: Nullable(Type.String()),
  task: Nullable(ObstacleTask),
  createdAt: Timestamp,
});
export type Obstacle = Static<typeof Obstacle>;

export const Photo = Type.Object({
  id: Type.Integer(),
  segmentId: Nullable(Type.Integer()),
  takenOn: Type.String(),
  caption: Nullable(Type.String()),
  width: Type.Integer(),
  height: Type.Integer(),
  url: Type.String(),
});
export type Photo = Static<typeof Photo>;

export const ProjectDetail = Type.Object({
  ...Project.properties,
  segments: Type.Array(Segment),
  disbursements: Type.Array(Disbursement),
  milestones: Type.Array(Milestone),
  clearances: Type.Array(Clearance),
  obstacles: Type.Array(Obstacle),
  photos: Type.Array(Photo),
});
export type ProjectDetail = Static<typeof ProjectDetail>;

// ---- requests ----

export const ProjectListQuery = Type.Object(
  {
    ...ListQuery,
    status: Type.Optional(literals(PROJECT_STATUSES)),
    /** The managing unit's subtree (default: the caller's whole scope). */
    unitId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  },
  { additionalProperties: false },
);
export type ProjectListQuery = Static<typeof ProjectListQuery>;

export const OverviewQuery = Type.Object(
  {
    status: Type.Optional(literals(PROJECT_STATUSES)),
    unitId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
    format: Type.Optional(literals(['json', 'xlsx'] as const)),
  },
  { additionalProperties: false },
);
export type OverviewQuery = Static<typeof OverviewQuery>;

export const Overview = Type.Object({
  items: Type.Array(Project),
  totals: Type.Object({ projects: Type.Integer(), totalCapital: Type.Number(), ...Figures.properties }),
});
export type Overview = Static<typeof Overview>;

const projectFields = {
  code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$' }),
  name: Type.String({ minLength: 1, maxLength: 500 }),
  investor: Type.String({ minLength: 1, maxLength: 300 }),
  managingUnitId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  location: Type.Unknown(),
  totalLengthKm: Nullable(Type.Number({ minimum: 0, maximum: 100_000 })),
  totalCapital: Money,
  capitalSources: Type.Array(CapitalSource, { maxItems: 20 }),
  status: literals(PROJECT_STATUSES),
  startOn: Nullable(IsoDate),
  endOn: Nullable(IsoDate),
  description: Nullable(Type.String({ maxLength: 4000 })),
};

export const CreateProject = Type.Object(
  {
    code: projectFields.code,
    name: projectFields.name,
    investor: projectFields.investor,
    managingUnitId: projectFields.managingUnitId,
    totalCapital: projectFields.totalCapital,
    location: Type.Optional(projectFields.location),
    totalLengthKm: Type.Optional(projectFields.totalLengthKm),
    capitalSources: Type.Optional(projectFields.capitalSources),
    status: Type.Optional(projectFields.status),
    startOn: Type.Optional(projectFields.startOn),
    endOn: Type.Optional(projectFields.endOn),
    description: Type.Optional(projectFields.description),
  },
  { additionalProperties: false },
);
export type CreateProject = Static<typeof CreateProject>;

export const UpdateProject = Type.Partial(Type.Object(projectFields, { additionalProperties: false }), { additionalProperties: false });
export type UpdateProject = Static<typeof UpdateProject>;

const UnitId = Type.Integer({ minimum: 1, maximum: 2147483647 });

export const SegmentBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 300 }),
    lengthKm: Type.Number({ exclusiveMinimum: 0, maximum: 10_000 }),
    communeUnitId: Type.Optional(Nullable(UnitId)),
    investor: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export type SegmentBody = Static<typeof SegmentBody>;
export const UpdateSegment = Type.Partial(SegmentBody, { additionalProperties: false });
export type UpdateSegment = Static<typeof UpdateSegment>;

/** Percent is checked by the service (422 PERCENT_OUT_OF_RANGE), so the refusal names the rule. */
export const ProgressBody = Type.Object(
  { onDate: IsoDate, percent: Type.Number(), note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) },
  { additionalProperties: false },
);
export type ProgressBody = Static<typeof ProgressBody>;

export const DisbursementBody = Type.Object(
  {
    year: Type.Integer({ minimum: 2000, maximum: 2100 }),
    quarter: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 4 }))),
    month: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 12 }))),
    amount: Type.Integer({ minimum: 1, maximum: 100_000_000_000_000 }),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
export type DisbursementBody = Static<typeof DisbursementBody>;

export const MilestoneBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 300 }),
    plannedOn: IsoDate,
    actualOn: Type.Optional(Nullable(IsoDate)),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
export type MilestoneBody = Static<typeof MilestoneBody>;
export const UpdateMilestone = Type.Partial(MilestoneBody, { additionalProperties: false });
export type UpdateMilestone = Static<typeof UpdateMilestone>;

/** Amounts and areas are checked against each other by the service (422 with the rule named). */
export const ClearanceBody = Type.Object(
  {
    affectedHouseholds: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    affectedAreaM2: Type.Number({ minimum: 0, maximum: 1e11 }),
    agreedHouseholds: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    compensationApproved: Money,
    compensationPaid: Money,
    handedOverAreaM2: Type.Number({ minimum: 0, maximum: 1e11 }),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
export type ClearanceBody = Static<typeof ClearanceBody>;

export const ObstacleBody = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    communeUnitId: Type.Optional(Nullable(UnitId)),
    responsibleUnitId: UnitId,
    /** The person of the responsible unit who handles it (rõ người). */
    assigneeUserId: Type.Optional(Nullable(UnitId)),
    dueOn: IsoDate,
    /** What counts as done (rõ kết quả); by default, the obstacle removed and reported. */
    expectedResult: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type ObstacleBody = Static<typeof ObstacleBody>;

export const ResolveObstacleBody = Type.Object({ resolution: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });

export const SegmentParams = Type.Object({ id: UnitId, segmentId: UnitId }, { additionalProperties: false });
export const EntryParams = Type.Object({ id: UnitId, entryId: UnitId }, { additionalProperties: false });
export const ProgressParams = Type.Object({ id: UnitId, segmentId: UnitId, entryId: UnitId }, { additionalProperties: false });
export const MilestoneParams = Type.Object({ id: UnitId, milestoneId: UnitId }, { additionalProperties: false });
export const ClearanceParams = Type.Object({ id: UnitId, communeId: UnitId }, { additionalProperties: false });
export const ObstacleParams = Type.Object({ id: UnitId, obstacleId: UnitId }, { additionalProperties: false });
export const PhotoParams = Type.Object({ id: UnitId, photoId: UnitId }, { additionalProperties: false });
