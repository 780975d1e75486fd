import { type Static, Type } from 'typebox';
import { ListQuery } from '../../platform/http/list.js';
import { Nullable } from '../../platform/http/params.js';
import { FEEDBACK_STATES, RATINGS, REJECTION_REASONS } from './states.js';

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Timestamp = Type.String({ format: 'date-time' });
const UNIT_KINDS = ['province', 'district', 'commune', 'agency'] as const;

export const MAX_DESCRIPTION = 4000;

// ---- categories (Open311 services) ----

export const Attribute = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9_.-]+$' }),
    variable: Type.Boolean({ default: true }),
    datatype: literals(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const),
    required: Type.Boolean({ default: false }),
    description: Type.String({ maxLength: 500 }),
    order: Type.Integer({ minimum: 0, maximum: 1000 }),
    datatypeDescription: Type.Optional(Type.String({ maxLength: 500 })),
    values: Type.Optional(Type.Array(Type.Object({ key: Type.String({ minLength: 1, maxLength: 100 }), name: Type.String({ maxLength: 200 }) }), { maxItems: 200 })),
  },
  { additionalProperties: false },
);
export type Attribute = Static<typeof Attribute>;

export const Category = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  group: Type.String(),
  attributes: Type.Array(Attribute),
  unitKind: Type.String(),
  deadlineDays: Type.Integer(),
  active: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Category = Static<typeof Category>;

const categoryFields = {
  code: Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9_.-]+$' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.String({ maxLength: 2000 }),
  group: Type.String({ maxLength: 200 }),
  attributes: Type.Array(Attribute, { maxItems: 50 }),
  unitKind: literals(UNIT_KINDS),
  deadlineDays: Type.Integer({ minimum: 1, maximum: 365 }),
  active: Type.Boolean(),
};
export const CreateCategory = Type.Object(
  {
    code: categoryFields.code,
    name: categoryFields.name,
    description: Type.Optional(categoryFields.description),
    group: Type.Optional(categoryFields.group),
    attributes: Type.Optional(categoryFields.attributes),
    unitKind: Type.Optional(categoryFields.unitKind),
    deadlineDays: Type.Optional(categoryFields.deadlineDays),
    active: Type.Optional(categoryFields.active),
  },
  { additionalProperties: false },
);
export type CreateCategory = Static<typeof CreateCategory>;
export const UpdateCategory = Type.Partial(Type.Object(categoryFields), { additionalProperties: false, minProperties: 1 });
export type UpdateCategory = Static<typeof UpdateCategory>;
export const CategoryListQuery = Type.Object({ ...ListQuery, active: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type CategoryListQuery = Static<typeof CategoryListQuery>;

// ---- reports, as staff see them ----

export const ReportListItem = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  status: Type.String(),
  urgent: Type.Boolean(),
  categoryId: Type.Integer(),
  categoryName: Type.String(),
  description: Type.String(),
  address: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  areaUnitId: Nullable(Type.Integer()),
  areaUnitName: Nullable(Type.String()),
  suggestedUnitId: Nullable(Type.Integer()),
  unitId: Nullable(Type.Integer()),
  unitName: Nullable(Type.String()),
  receivedAt: Timestamp,
  verifiedAt: Nullable(Type.String()),
  deadline: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  deadlineStatus: Nullable(Type.String()),
  rating: Nullable(Type.String()),
  source: Type.String(),
  photoCount: Type.Integer(),
});
export type ReportListItem = Static<typeof ReportListItem>;

export const Photo = Type.Object({
  id: Type.Integer(),
  key: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  width: Type.Integer(),
  height: Type.Integer(),
  kind: Type.String(),
  verified: Type.Boolean(),
  url: Type.String(),
});
export type Photo = Static<typeof Photo>;

export const TimelineEvent = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  from: Nullable(Type.String()),
  to: Type.String(),
  at: Timestamp,
  public: Type.Boolean(),
  actorLabel: Type.String(),
  userId: Nullable(Type.Integer()),
  unitId: Nullable(Type.Integer()),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type TimelineEvent = Static<typeof TimelineEvent>;

export const Report = Type.Object({
  ...ReportListItem.properties,
  reporterName: Nullable(Type.String()),
  reporterPhone: Nullable(Type.String()),
  reporterEmail: Nullable(Type.String()),
  anonymous: Type.Boolean(),
  originalDeadline: Nullable(Type.String()),
  answer: Nullable(Type.String()),
  rejectionReason: Nullable(Type.String()),
  rejectionText: Nullable(Type.String()),
  ratingComment: Nullable(Type.String()),
  ratedAt: Nullable(Type.String()),
  mergedIntoId: Nullable(Type.Integer()),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  pendingExtension: Type.Union([
    Type.Object({ id: Type.Integer(), proposedDeadline: Timestamp, reason: Type.String(), requestedAt: Timestamp }),
    Type.Null(),
  ]),
  photos: Type.Array(Photo),
  timeline: Type.Array(TimelineEvent),
  allowedActions: Type.Array(Type.String()),
});
export type Report = Static<typeof Report>;

export const ReportListQuery = Type.Object(
  {
    ...ListQuery,
    status: Type.Optional(Type.String({ maxLength: 200, pattern: `^(${FEEDBACK_STATES.join('|')})(,(${FEEDBACK_STATES.join('|')}))*$` })),
    categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
    unitId: Type.Optional(Type.Integer({ minimum: 1 })),
    areaUnitId: Type.Optional(Type.Integer({ minimum: 1 })),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    urgent: Type.Optional(Type.Boolean()),
    deadlineStatus: Type.Optional(literals(['due_tomorrow', 'overdue'] as const)),
    queue: Type.Optional(literals(['operator', 'unit'] as const)),
  },
  { additionalProperties: false },
);
export type ReportListQuery = Static<typeof ReportListQuery>;

export const Duplicate = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  status: Type.String(),
  description: Type.String(),
  distanceMeters: Nullable(Type.Number()),
  similarity: Type.Number(),
  receivedAt: Timestamp,
});
export type Duplicate = Static<typeof Duplicate>;

export const Routing = Type.Object({
  unitId: Nullable(Type.Integer()),
  unitName: Nullable(Type.String()),
  method: Type.Union([Type.Literal('boundary'), Type.Literal('nearest'), Type.Literal('none')]),
  distanceMeters: Nullable(Type.Number()),
});
export type Routing = Static<typeof Routing>;

export const Radius = Type.Integer({ minimum: 1, maximum: 5000 });
export const DuplicateQuery = Type.Object(
  {
    categoryId: Type.Integer({ minimum: 1 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    text: Type.Optional(Type.String({ maxLength: MAX_DESCRIPTION })),
    radius: Type.Optional(Radius),
  },
  { additionalProperties: false },
);

// ---- actions ----

const Reason = Type.String({ minLength: 1, maxLength: 2000 });
export const VerifyBody = Type.Object(
  { unitId: Type.Optional(Type.Integer({ minimum: 1 })), urgent: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export const RejectBody = Type.Object({ reason: literals(REJECTION_REASONS), text: Reason }, { additionalProperties: false });
export const MergeBody = Type.Object({ targetId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export const AssignBody = Type.Object({ unitId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export const SendBackBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export const ExtensionBody = Type.Object({ proposedDate: IsoDate, reason: Reason }, { additionalProperties: false });
export const DecisionBody = Type.Object(
  { decision: literals(['approve', 'refuse'] as const), reason: Type.Optional(Reason) },
  { additionalProperties: false },
);
export const ResolveBody = Type.Object({ answer: Type.String({ minLength: 1, maxLength: MAX_DESCRIPTION }) }, { additionalProperties: false });
export const PhotoVerifyBody = Type.Object({ verified: Type.Boolean() }, { additionalProperties: false });
export const ReportPhotoParams = Type.Object(
  { id: Type.Integer({ minimum: 1, maximum: 2147483647 }), photoId: Type.Integer({ minimum: 1, maximum: 2147483647 }) },
  { additionalProperties: false },
);

// ---- notifications and statistics ----

export const Notification = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  reportId: Nullable(Type.Integer()),
  reportCode: Nullable(Type.String()),
  /** A notification about a task (nhiệm vụ) names it, so the screen can link to it. */
  taskId: Nullable(Type.Integer()),
  taskCode: Nullable(Type.String()),
  message: Type.String(),
  createdAt: Timestamp,
  readAt: Nullable(Type.String()),
});
export type Notification = Static<typeof Notification>;
export const NotificationQuery = Type.Object(
  {
    page: ListQuery.page,
    pageSize: ListQuery.pageSize,
    unread: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NotificationQuery = Static<typeof NotificationQuery>;

export const StatisticsQuery = Type.Object(
  {
    groupBy: Type.Optional(literals(['unit', 'category', 'month'] as const)),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    unitId: Type.Optional(Type.Integer({ minimum: 1 })),
    categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
    format: ListQuery.format,
  },
  { additionalProperties: false },
);
export type StatisticsQuery = Static<typeof StatisticsQuery>;

export const HeatmapQuery = Type.Object(
  {
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    unitId: Type.Optional(Type.Integer({ minimum: 1 })),
    categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type HeatmapQuery = Static<typeof HeatmapQuery>;

export const HeatmapCell = Type.Object({ lat: Type.Number(), lng: Type.Number(), count: Type.Integer() });

export const StatisticsRow = Type.Object({
  key: Type.String(),
  label: Type.String(),
  received: Type.Integer(),
  verified: Type.Integer(),
  rejected: Type.Integer(),
  resolved: Type.Integer(),
  resolvedOnTime: Type.Integer(),
  resolvedLate: Type.Integer(),
  overdueOpen: Type.Integer(),
  medianHandlingHours: Nullable(Type.Number()),
  rated: Type.Integer(),
  satisfied: Type.Integer(),
  satisfactionRate: Nullable(Type.Number()),
});
export type StatisticsRow = Static<typeof StatisticsRow>;

// ---- public ----

export const PublicCategory = Type.Object({
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  group: Type.String(),
  attributes: Type.Array(Attribute),
});

export const Submitted = Type.Object({ code: Type.String(), trackingUrl: Type.String(), token: Type.String() });

export const PublicPhoto = Type.Object({ url: Type.String(), kind: Type.String(), width: Type.Integer(), height: Type.Integer() });

export const PublicReport = Type.Object({
  code: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  urgent: Type.Boolean(),
  categoryCode: Type.String(),
  categoryName: Type.String(),
  description: Type.String(),
  address: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  reporterName: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  receivedAt: Timestamp,
  deadline: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  answer: Nullable(Type.String()),
  rejection: Type.Union([Type.Object({ reason: Type.String(), text: Type.String() }), Type.Null()]),
  mergedIntoCode: Nullable(Type.String()),
  rating: Nullable(Type.String()),
  photos: Type.Array(PublicPhoto),
  timeline: Type.Array(
    Type.Object({ action: Type.String(), label: Type.String(), to: Type.String(), at: Timestamp, details: Type.Record(Type.String(), Type.Unknown()) }),
  ),
});
export type PublicReport = Static<typeof PublicReport>;

export const PublicListItem = Type.Object({
  code: Type.String(),
  status: Type.String(),
  categoryCode: Type.String(),
  categoryName: Type.String(),
  description: Type.String(),
  address: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  unitName: Nullable(Type.String()),
  receivedAt: Timestamp,
  resolvedAt: Nullable(Type.String()),
  photoUrl: Nullable(Type.String()),
});
export type PublicListItem = Static<typeof PublicListItem>;

export const PublicListQuery = Type.Object(
  {
    page: ListQuery.page,
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
    sort: ListQuery.sort,
    q: ListQuery.q,
    categoryCode: Type.Optional(Type.String({ maxLength: 50 })),
    status: Type.Optional(literals(['verified', 'assigned', 'in_progress', 'resolved', 'closed'] as const)),
    unitId: Type.Optional(Type.Integer({ minimum: 1, description: 'the handling unit, with every unit under it (ids from GET /api/v1/public/feedback/units)' })),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
export type PublicListQuery = Static<typeof PublicListQuery>;

/** A unit the public list can be filtered by: names and codes of the administration are public. */
export const PublicUnit = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  parentId: Nullable(Type.Integer()),
  level: Type.Integer(),
});

export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false });
export const KeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

const Proof = { token: Type.Optional(Type.String({ maxLength: 200 })), contact: Type.Optional(Type.String({ maxLength: 200 })) };
export const RatingBody = Type.Object(
  { rating: literals(RATINGS), comment: Type.Optional(Type.String({ maxLength: 2000 })), ...Proof },
  { additionalProperties: false },
);
export const ReopenBody = Type.Object(Proof, { additionalProperties: false });

export const PublicDuplicateQuery = Type.Object(
  {
    category: Type.String({ maxLength: 50 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    text: Type.Optional(Type.String({ maxLength: MAX_DESCRIPTION })),
  },
  { additionalProperties: false },
);
export const PublicDuplicate = Type.Object({ code: Type.String(), status: Type.String(), description: Type.String(), distanceMeters: Nullable(Type.Number()) });
