import { type Static, Type } from 'typebox';
import { Nullable } from '../../platform/http/params.js';

const DateText = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date', description: 'YYYY-MM-DD' });
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Year = Type.Integer({ minimum: 2000, maximum: 2100, description: 'The year the list is for' });
const Version = Type.Integer({ minimum: 1, maximum: 2147483647, description: 'The version last read (optimistic concurrency)' });

export const REGISTRATION_STATUSES = ['draft', 'submitted', 'returned', 'resubmitted', 'approved'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
export const REVIEW_RESULTS = ['achieved', 'partly', 'not'] as const;
export type ReviewResult = (typeof REVIEW_RESULTS)[number];
const StatusSchema = Type.Enum(REGISTRATION_STATUSES);
const ReviewResultSchema = Type.Enum(REVIEW_RESULTS);

const UnitRef = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() });
const UserRef = Type.Object({ id: Type.Integer(), fullName: Type.String() });

/** The task an approved item became, as the tasks module reports it now. */
export const ItemTask = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  status: Type.String(),
  timeliness: Nullable(Type.String()),
  progress: Type.Number({ description: 'The rolled-up progress, 0–100' }),
  dueOn: Nullable(Type.String()),
  completedAt: Nullable(Type.String()),
});

export const Item = Type.Object({
  id: Type.Integer(),
  position: Type.Integer(),
  title: Nullable(Type.String()),
  description: Nullable(Type.String()),
  targetValue: Nullable(Type.Number()),
  targetUnit: Nullable(Type.String()),
  leadUnit: Type.Union([UnitRef, Type.Null()]),
  assignee: Type.Union([UserRef, Type.Null()]),
  dueOn: Nullable(Type.String()),
  expectedResult: Nullable(Type.String()),
  authority: Nullable(Type.String()),
  clarity: Type.Object({ missing: Type.Array(Type.String()), labels: Type.Array(Type.String()) }),
  task: Type.Union([ItemTask, Type.Null()]),
  review: Type.Union([
    Type.Object({
      result: ReviewResultSchema,
      achievedValue: Nullable(Type.Number()),
      note: Nullable(Type.String()),
      reviewedAt: Type.String(),
      reviewedBy: Type.Union([UserRef, Type.Null()]),
    }),
    Type.Null(),
  ]),
});
export type Item = Static<typeof Item>;

export const RegistrationSummary = Type.Object({
  id: Type.Integer(),
  unit: UnitRef,
  year: Type.Integer(),
  status: StatusSchema,
  round: Type.Integer(),
  itemCount: Type.Integer(),
  submittedAt: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  approvedAt: Nullable(Type.String()),
  returnComments: Nullable(Type.String()),
  version: Type.Integer(),
  updatedAt: Type.String(),
});
export type RegistrationSummary = Static<typeof RegistrationSummary>;

export const RegistrationEvent = Type.Object({
  type: Type.String(),
  at: Type.String(),
  round: Type.Integer(),
  actor: Type.Union([UserRef, Type.Null()]),
  comments: Nullable(Type.String()),
});

export const Registration = Type.Object({
  ...RegistrationSummary.properties,
  ...{
    /** The superior unit that reviews the list (the parent unit); null for a root unit. */
    superiorUnit: Type.Union([UnitRef, Type.Null()]),
    items: Type.Array(Item),
    events: Type.Array(RegistrationEvent),
    can: Type.Object({ edit: Type.Boolean(), submit: Type.Boolean(), review: Type.Boolean(), assess: Type.Boolean() }),
  },
});
export type Registration = Static<typeof Registration>;

export const RegistrationListQuery = Type.Object(
  {
    year: Type.Optional(Year),
    unitId: Type.Optional(Id),
    status: Type.Optional(StatusSchema),
    toReview: Type.Optional(Type.Boolean({ description: 'Only lists waiting for the actor to approve or return' })),
  },
  { additionalProperties: false },
);
export type RegistrationListQuery = Static<typeof RegistrationListQuery>;

export const CreateRegistration = Type.Object({ unitId: Id, year: Year }, { additionalProperties: false });
export type CreateRegistration = Static<typeof CreateRegistration>;

/** The fields of an item; each may be left blank (null) in a draft. */
const itemFields = {
  title: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  description: Type.Optional(Nullable(Type.String({ maxLength: 10000 }))),
  targetValue: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e12, description: 'The target number (non-negative)' }))),
  targetUnit: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40, description: 'km, tỷ đồng, hộ, %…' }))),
  leadUnitId: Type.Optional(Nullable(Id)),
  assigneeUserId: Type.Optional(Nullable(Id)),
  dueOn: Type.Optional(Nullable(DateText)),
  expectedResult: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  authority: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
};
export const ItemBody = Type.Object({ version: Version, ...itemFields }, { additionalProperties: false });
export type ItemBody = Static<typeof ItemBody>;
export type ItemFields = Omit<ItemBody, 'version'>;

export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false });
export const VersionQuery = Type.Object({ version: Version }, { additionalProperties: false });
export const ReturnBody = Type.Object(
  { version: Version, comments: Type.String({ minLength: 1, maxLength: 4000, description: 'The superior’s comments (ý kiến)' }) },
  { additionalProperties: false },
);

export const ReviewBody = Type.Object(
  {
    version: Version,
    result: ReviewResultSchema,
    achievedValue: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e12 }))),
    note: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  },
  { additionalProperties: false },
);
export type ReviewBody = Static<typeof ReviewBody>;

export const ItemParams = Type.Object({ id: Id, itemId: Id }, { additionalProperties: false });

export const OverviewQuery = Type.Object({ year: Year, unitId: Type.Optional(Id) }, { additionalProperties: false });
export type OverviewQuery = Static<typeof OverviewQuery>;

export const OverviewRow = Type.Object({
  registrationId: Type.Integer(),
  registrationStatus: StatusSchema,
  unit: UnitRef,
  item: Item,
});
export type OverviewRow = Static<typeof OverviewRow>;

export const Overview = Type.Object({
  year: Type.Integer(),
  unit: UnitRef,
  rows: Type.Array(OverviewRow),
  /** The units under `unit` (its children) and whether each has a list and how far it went. */
  units: Type.Array(Type.Object({ unit: UnitRef, registrationId: Nullable(Type.Integer()), status: Nullable(Type.String()), itemCount: Type.Integer() })),
  totals: Type.Object({
    items: Type.Integer(),
    approved: Type.Integer(),
    completedOnTime: Type.Integer(),
    completedLate: Type.Integer(),
    inProgressWithin: Type.Integer(),
    inProgressOverdue: Type.Integer(),
    achieved: Type.Integer(),
    partly: Type.Integer(),
    notAchieved: Type.Integer(),
  }),
});
export type Overview = Static<typeof Overview>;
