// The shapes of the tasks API (docs/tasks-api.md): validation of what comes in, serialisation of
// what goes out, and the OpenAPI document.

import { type Static, Type } from 'typebox';
import { Nullable } from '../../platform/http/params.js';

const Timestamp = Type.String({ format: 'date-time' });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Text = (maxLength: number) => Type.String({ maxLength });

export const TaskParams = Type.Object({ id: Id }, { additionalProperties: false });
export const ExtensionParams = Type.Object({ id: Id, extensionId: Id }, { additionalProperties: false });
export const ReportFileParams = Type.Object({ id: Id, reportId: Id, fileId: Id }, { additionalProperties: false });

const UnitRef = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() });
const UserRef = Type.Object({ id: Type.Integer(), fullName: Type.String(), username: Type.String() });

export const KINDS = ['task', 'breakthrough', 'obstacle'] as const;
export const SOURCE_KINDS = ['document', 'meeting', 'direction', 'breakthrough', 'project'] as const;
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const Task = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  kind: Type.String(),
  title: Nullable(Type.String()),
  description: Nullable(Type.String()),
  expectedResult: Nullable(Type.String()),
  authority: Nullable(Type.String()),
  issuerUnit: UnitRef,
  leadUnit: Type.Union([UnitRef, Type.Null()]),
  supportUnits: Type.Array(UnitRef),
  assignee: Type.Union([UserRef, Type.Null()]),
  dueOn: Nullable(Type.String()),
  originalDueOn: Nullable(Type.String()),
  parentId: Nullable(Type.Integer()),
  weight: Type.Number(),
  source: Type.Union([Type.Object({ kind: Type.String(), ref: Nullable(Type.String()), id: Nullable(Type.Integer()) }), Type.Null()]),
  status: Type.String(),
  timeliness: Nullable(Type.String()),
  progress: Type.Integer(),
  rolledProgress: Type.Number(),
  issuedAt: Nullable(Type.String()),
  completedAt: Nullable(Type.String()),
  childCount: Type.Integer(),
  version: Type.Integer(),
  clarity: Type.Object({ missing: Type.Array(Type.String()), labels: Type.Array(Type.String()) }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Task = Static<typeof Task>;

/** A file attached to a progress report; downloaded from /tasks/:id/reports/:reportId/files/:id. */
export const TaskReportFile = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  size: Type.Integer(),
  contentType: Type.String(),
});
export type TaskReportFile = Static<typeof TaskReportFile>;

/** A file stored by POST /tasks/:id/files, not yet part of a report: its key goes into the report body. */
export const UploadedFile = Type.Object({
  key: Type.String(),
  name: Type.String(),
  size: Type.Integer(),
  contentType: Type.String(),
});
export type UploadedFile = Static<typeof UploadedFile>;

export const TaskReport = Type.Object({
  id: Type.Integer(),
  percent: Type.Integer(),
  text: Type.String(),
  reportedOn: Type.String(),
  reason: Nullable(Type.String()),
  reportedBy: Type.Union([Type.Object({ id: Type.Integer(), fullName: Type.String() }), Type.Null()]),
  files: Type.Array(TaskReportFile),
  createdAt: Timestamp,
});
export type TaskReport = Static<typeof TaskReport>;

export const TaskExtension = Type.Object({
  id: Type.Integer(),
  requestedDueOn: Type.String(),
  previousDueOn: Type.String(),
  reason: Type.String(),
  status: Type.String(),
  requestedBy: Type.Union([Type.Object({ id: Type.Integer(), fullName: Type.String() }), Type.Null()]),
  requestedAt: Timestamp,
  decidedBy: Type.Union([Type.Object({ id: Type.Integer(), fullName: Type.String() }), Type.Null()]),
  decidedAt: Nullable(Type.String()),
  note: Nullable(Type.String()),
});
export type TaskExtension = Static<typeof TaskExtension>;

export const TaskComment = Type.Object({
  id: Type.Integer(),
  author: Type.Union([Type.Object({ id: Type.Integer(), fullName: Type.String() }), Type.Null()]),
  text: Type.String(),
  createdAt: Timestamp,
});
export type TaskComment = Static<typeof TaskComment>;

export const TaskEvent = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  type: Type.String(),
  actor: Type.Union([Type.Object({ id: Type.Integer(), fullName: Type.String() }), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
});

const CAN_KEYS = ['edit', 'issue', 'split', 'report', 'accept', 'return', 'requestExtension', 'decideExtension', 'cancel', 'comment'] as const;
export type CanKey = (typeof CAN_KEYS)[number];

export const TaskDetail = Type.Object({
  ...Task.properties,
  children: Type.Array(Task),
  rollup: Type.Object({
    weightTotal: Type.Number(),
    parts: Type.Array(Type.Object({ taskId: Type.Integer(), code: Type.String(), weight: Type.Number(), share: Type.Number(), rolledProgress: Type.Number() })),
  }),
  reports: Type.Array(TaskReport),
  extensions: Type.Array(TaskExtension),
  comments: Type.Array(TaskComment),
  events: Type.Array(TaskEvent),
  watchers: Type.Array(Type.Object({ id: Type.Integer(), fullName: Type.String() })),
  watching: Type.Boolean(),
  can: Type.Object(Object.fromEntries(CAN_KEYS.map((k) => [k, Type.Boolean()])) as Record<CanKey, ReturnType<typeof Type.Boolean>>),
});
export type TaskDetail = Static<typeof TaskDetail>;

// ---- input ----

const draftFields = {
  title: Type.Optional(Nullable(Text(1000))),
  description: Type.Optional(Nullable(Text(10000))),
  expectedResult: Type.Optional(Nullable(Text(2000))),
  authority: Type.Optional(Nullable(Text(1000))),
  leadUnitId: Type.Optional(Nullable(Id)),
  supportUnitIds: Type.Optional(Type.Array(Id, { maxItems: 100, uniqueItems: true })),
  assigneeUserId: Type.Optional(Nullable(Id)),
  dueOn: Type.Optional(Nullable(IsoDate)),
  sourceKind: Type.Optional(
    Type.Union([Type.Literal('document'), Type.Literal('meeting'), Type.Literal('direction'), Type.Literal('breakthrough'), Type.Literal('project'), Type.Null()]),
  ),
  sourceRef: Type.Optional(Nullable(Text(500))),
  sourceId: Type.Optional(Nullable(Id)),
};

export const CreateTask = Type.Object({ ...draftFields, issuerUnitId: Id }, { additionalProperties: false });
export type CreateTask = Static<typeof CreateTask>;

export const UpdateTask = Type.Object({ ...draftFields, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export type UpdateTask = Static<typeof UpdateTask>;

export const CreateSubtask = Type.Object(
  {
    title: draftFields.title,
    description: draftFields.description,
    expectedResult: draftFields.expectedResult,
    authority: draftFields.authority,
    leadUnitId: draftFields.leadUnitId,
    supportUnitIds: draftFields.supportUnitIds,
    assigneeUserId: draftFields.assigneeUserId,
    dueOn: draftFields.dueOn,
    weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 999999 })),
  },
  { additionalProperties: false },
);
export type CreateSubtask = Static<typeof CreateSubtask>;

const Version = Type.Integer({ minimum: 1 });
export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false });
export const IssueBody = Type.Object({ version: Version, moveToWorkingDay: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const ReasonBody = Type.Object({ version: Version, reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });

export const ReportBody = Type.Object(
  {
    // Range checked by the rules, so that 120 is 422 PERCENT_OUT_OF_RANGE rather than a schema error.
    percent: Type.Number(),
    text: Type.String({ minLength: 1, maxLength: 4000 }),
    reportedOn: IsoDate,
    reason: Type.Optional(Nullable(Text(2000))),
    submit: Type.Optional(Type.Boolean()),
    // Files stored by POST /tasks/:id/files; the count (at most 5) is checked by the service, 400 TOO_MANY_FILES.
    files: Type.Optional(
      Type.Array(Type.Object({ key: Type.String({ maxLength: 64 }), name: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false }), { maxItems: 50 }),
    ),
  },
  { additionalProperties: false },
);
export type ReportBody = Static<typeof ReportBody>;

export const ExtensionBody = Type.Object({ dueOn: IsoDate, reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });
export const DecisionBody = Type.Object({ approve: Type.Boolean(), note: Type.Optional(Nullable(Text(2000))) }, { additionalProperties: false });
export const CommentBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false });

export const Settings = Type.Object({ sixClears: Type.Boolean(), reminderDaysBefore: Type.Integer({ minimum: 1, maximum: 20 }) }, { additionalProperties: false });
export type Settings = Static<typeof Settings>;

// ---- lists ----

const commaList = Type.String({ maxLength: 200, pattern: '^[a-z_,]*$' });

export const TaskListQuery = Type.Object(
  {
    unitId: Type.Optional(Id),
    role: Type.Optional(literals(['lead', 'issued', 'assigned', 'watching'] as const)),
    status: Type.Optional(commaList),
    timeliness: Type.Optional(commaList),
    asOf: Type.Optional(IsoDate),
    kind: Type.Optional(literals(KINDS)),
    sourceKind: Type.Optional(literals(SOURCE_KINDS)),
    assigneeId: Type.Optional(Id),
    dueFrom: Type.Optional(IsoDate),
    dueTo: Type.Optional(IsoDate),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    parentId: Type.Optional(Type.Union([Type.Literal('root'), Type.String({ pattern: '^[1-9][0-9]{0,9}$' })])),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    sort: Type.Optional(Type.String({ maxLength: 64, pattern: '^-?[a-zA-Z]+$' })),
  },
  { additionalProperties: false },
);
export type TaskListQuery = Static<typeof TaskListQuery>;

export const TaskList = Type.Object({ items: Type.Array(Task), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

export const ScorecardQuery = Type.Object(
  { unitId: Type.Optional(Id), from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) },
  { additionalProperties: false },
);
export type ScorecardQuery = Static<typeof ScorecardQuery>;

export const ScorecardRow = Type.Object({
  unit: Type.Union([UnitRef, Type.Null()]),
  total: Type.Integer(),
  completedOnTime: Type.Integer(),
  completedLate: Type.Integer(),
  inProgressWithin: Type.Integer(),
  inProgressOverdue: Type.Integer(),
  onTimeRate: Nullable(Type.Number()),
  rank: Nullable(Type.Integer()),
});
export type ScorecardRow = Static<typeof ScorecardRow>;

export const Scorecard = Type.Object({
  unit: UnitRef,
  from: Type.String(),
  to: Type.String(),
  asOf: Timestamp,
  rows: Type.Array(ScorecardRow),
  total: ScorecardRow,
});
export type Scorecard = Static<typeof Scorecard>;
