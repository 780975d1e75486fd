// The request and response shapes of the dossiers module's read side: the Decision 766 scorecard,
// the ranking of sibling units, the trend by month, the dossier list and a dossier's detail.

import { type Static, type TSchema, Type } from 'typebox';
import { ListQuery } from '../../platform/http/list.js';
import { Nullable } from '../../platform/http/params.js';
import { TIMELINESS } from './rules/timeliness.js';
import { DOSSIER_CHANNELS, DOSSIER_STATUSES } from './rules/statuses.js';

/** One of `values`, typed as their union. */
const literals = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v))));
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Timestamp = Type.String({ format: 'date-time' });
const OrNull = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const oneOrMore = (values: readonly string[]) => `^(${values.join('|')})(,(${values.join('|')}))*$`;

/** The classes a list filters on (not_received is what a dossier is before its receipt). */
export const LISTED_TIMELINESS = TIMELINESS.filter((t) => t !== 'not_received');

// ---- periods ----

export const PERIOD_KINDS = ['month', 'quarter', 'half', 'year', 'range'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/**
 * Kỳ báo cáo: `period` (month by default) of `year` (this year by default) and `index` (the month
 * 1–12, quarter 1–4 or half 1–2; by default the current one), or `period=range` from `from` to `to`.
 */
export const PeriodFields = {
  period: Type.Optional(literals(PERIOD_KINDS)),
  year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2199 })),
  index: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
};
export type PeriodQuery = { period?: PeriodKind; year?: number; index?: number; from?: string; to?: string };

export const ScorecardQuery = Type.Object(
  { unitId: Type.Optional(Type.Integer({ minimum: 1 })), ...PeriodFields, format: ListQuery.format },
  { additionalProperties: false },
);
export type ScorecardQuery = Static<typeof ScorecardQuery>;

export const RankingQuery = Type.Object(
  {
    /** Rank this unit's siblings (the children of its parent)… */
    unitId: Type.Optional(Type.Integer({ minimum: 1 })),
    /** …or the children of this unit. */
    parentId: Type.Optional(Type.Integer({ minimum: 1 })),
    ...PeriodFields,
    format: ListQuery.format,
  },
  { additionalProperties: false },
);
export type RankingQuery = Static<typeof RankingQuery>;

export const TrendQuery = Type.Object(
  { unitId: Type.Optional(Type.Integer({ minimum: 1 })), year: PeriodFields.year, format: ListQuery.format },
  { additionalProperties: false },
);
export type TrendQuery = Static<typeof TrendQuery>;

export const UnitRef = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), kind: Type.String() });
export type UnitRef = Static<typeof UnitRef>;

export const PeriodOut = Type.Object({
  kind: literals(PERIOD_KINDS),
  year: Nullable(Type.Integer()),
  index: Nullable(Type.Integer()),
  /** First and last business dates, both included. */
  from: IsoDate,
  to: IsoDate,
  /** The first and the last instant (+07:00). */
  start: Timestamp,
  end: Timestamp,
  /**
   * The instant the dossiers are judged at: the period's last instant, or now while the period is
   * under way (a dossier due later this month is not counted late yet).
   */
  asOf: Timestamp,
  label: Type.String(),
});
export type PeriodOut = Static<typeof PeriodOut>;

// ---- the scorecard ----

/** The query of GET /api/v1/dossiers that lists the dossiers behind a number (all values as text). */
export const DrillDown = Type.Record(Type.String(), Type.String());
export type DrillDown = Static<typeof DrillDown>;

export const CountValue = Type.Object({
  name: Type.String(),
  label: Type.String(),
  /** null: no data (a dossier of the count has the fact unknown, or the source is absent). */
  value: Nullable(Type.Integer()),
  /** Dossiers whose fact is unknown, for counts of facts a source may not give; else null. */
  unknown: Nullable(Type.Integer()),
  /** The dossiers behind the number; null for counts that are not of dossiers (procedures, feedback). */
  list: OrNull(DrillDown),
  /** The dossiers with the fact unknown; null when there is none to list. */
  unknownList: OrNull(DrillDown),
  /** For a count of procedures (1.1, 3.1): the query of GET /api/v1/dossiers/procedures that lists them; else null. */
  procedures: OrNull(DrillDown),
});
export type CountValue = Static<typeof CountValue>;

export const MeasureOut = Type.Object({
  id: Type.String(),
  label: Type.String(),
  status: literals(['scored', 'no_data', 'not_applicable'] as const),
  /** The count over the count (names in `counts`); 5.2 has no single numerator. */
  numerator: Nullable(Type.String()),
  denominator: Type.String(),
  counts: Type.Array(CountValue),
  rate: Nullable(Type.Number()),
  /** Full marks at this rate (0–1]. */
  threshold: Type.Number(),
  points: Type.Number(),
  /** null unless scored. */
  score: Nullable(Type.Number()),
});

export const GroupOut = Type.Object({
  id: Type.Integer(),
  label: Type.String(),
  points: Type.Number(),
  /** Points of the measures scored. */
  available: Type.Number(),
  score: Nullable(Type.Number()),
  measures: Type.Array(MeasureOut),
});

export const Scorecard = Type.Object({
  unit: UnitRef,
  period: PeriodOut,
  /** rollup: whole months from the monthly rollups; direct: from the dossiers (a range not made of whole months). */
  method: literals(['rollup', 'direct'] as const),
  groups: Type.Array(GroupOut),
  earned: Type.Number(),
  available: Type.Number(),
  /** earned ÷ available × 100; null when nothing was scored. */
  outOf100: Nullable(Type.Number()),
  complete: Type.Boolean(),
  unmeasured: Type.Array(Type.Object({ id: Type.String(), status: literals(['no_data', 'not_applicable'] as const) })),
  /** The handled dossiers as of the period's last instant: on time, late, within, overdue. */
  timeliness: Type.Array(CountValue),
});
export type Scorecard = Static<typeof Scorecard>;

const GroupScore = Type.Object({ id: Type.Integer(), score: Nullable(Type.Number()), available: Type.Number() });

export const RankingRow = Type.Object({
  /** null: nothing measured, listed last. */
  rank: Nullable(Type.Integer()),
  unit: UnitRef,
  outOf100: Nullable(Type.Number()),
  earned: Type.Number(),
  available: Type.Number(),
  complete: Type.Boolean(),
  groups: Type.Array(GroupScore),
});
export type RankingRow = Static<typeof RankingRow>;

export const Ranking = Type.Object({ parent: UnitRef, period: PeriodOut, method: literals(['rollup', 'direct'] as const), items: Type.Array(RankingRow) });
export type Ranking = Static<typeof Ranking>;

export const TrendMonth = Type.Object({
  /** 'YYYY-MM'. */
  month: Type.String(),
  outOf100: Nullable(Type.Number()),
  earned: Type.Number(),
  available: Type.Number(),
  complete: Type.Boolean(),
  groups: Type.Array(GroupScore),
});
export type TrendMonth = Static<typeof TrendMonth>;

export const Trend = Type.Object({ unit: UnitRef, year: Type.Integer(), months: Type.Array(TrendMonth) });
export type Trend = Static<typeof Trend>;

// ---- the dossier list ----

const TriState = literals(['true', 'false', 'unknown'] as const);

export const DOSSIER_BASES = ['received', 'handled', 'resulted'] as const;
export type DossierBasis = (typeof DOSSIER_BASES)[number];

export const DossierListQuery = Type.Object(
  {
    ...ListQuery,
    /** The unit with its subtree (within the caller's scope). */
    unitId: Type.Optional(Type.Integer({ minimum: 1 })),
    procedureId: Type.Optional(Type.Integer({ minimum: 1 })),
    channel: Type.Optional(literals(DOSSIER_CHANNELS)),
    /** Latest status (comma-separated names). */
    status: Type.Optional(Type.String({ maxLength: 300, pattern: oneOrMore(DOSSIER_STATUSES) })),
    /** A period of business dates, both included, read as `basis` says (received in it by default). */
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    /**
     * received: received in the period; handled: received by its end and not ended before its start
     * (the scorecard's "handled"); resulted: ended with a result (processed, returned) in the period.
     */
    basis: Type.Optional(literals(DOSSIER_BASES)),
    /** The instant (or the end of the date) timeliness is judged at; now by default. */
    asOf: Type.Optional(Type.String({ maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:\\d{2}))?$' })),
    /** Timeliness as of `asOf` (comma-separated). */
    timeliness: Type.Optional(Type.String({ maxLength: 200, pattern: oneOrMore(LISTED_TIMELINESS) })),
    /** Open, not overdue, not waiting for the citizen, and due within this many working days from today. */
    dueWithin: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
    /** Of a procedure offered online (fully or partly). */
    onlineCapable: Type.Optional(Type.Boolean()),
    /** With a fee above 0. */
    fee: Type.Optional(Type.Boolean()),
    paidOnline: Type.Optional(Type.Boolean()),
    complaint: Type.Optional(Type.Boolean()),
    synced: Type.Optional(TriState),
    digitised: Type.Optional(TriState),
    electronicResult: Type.Optional(TriState),
    reusedData: Type.Optional(TriState),
  },
  { additionalProperties: false },
);
export type DossierListQuery = Static<typeof DossierListQuery>;

export const DossierListItem = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  sourceCode: Type.String(),
  procedureId: Type.Integer(),
  procedureCode: Type.String(),
  procedureName: Type.String(),
  unitId: Type.Integer(),
  unitName: Type.String(),
  channel: literals(DOSSIER_CHANNELS),
  receivedAt: Timestamp,
  promisedOn: Nullable(IsoDate),
  dueOn: Nullable(IsoDate),
  /** The latest status by its own time. */
  status: literals(DOSSIER_STATUSES),
  statusAt: Timestamp,
  endedAt: Nullable(Timestamp),
  endedStatus: OrNull(literals(DOSSIER_STATUSES)),
  /** The first instant the dossier is late while open; null when nothing known makes it late. */
  overdueFrom: Nullable(Timestamp),
  /** Cán bộ xử lý, as the source names them. */
  handler: Nullable(Type.String()),
  /** As of the list's `asOf`. */
  timeliness: literals(TIMELINESS),
  /** Open dossiers: working days from today to the due date (negative when past it); else null. */
  workingDaysLeft: Nullable(Type.Integer()),
  supplementRequests: Type.Integer(),
  /** A supplement request the citizen has not answered yet: the clock is stopped. */
  waitingForCitizen: Type.Boolean(),
  fee: Nullable(Type.Integer()),
  paidOnline: Nullable(Type.Boolean()),
  complaint: Type.Boolean(),
});
export type DossierListItem = Static<typeof DossierListItem>;

// ---- a dossier's detail ----

export const DossierDetailQuery = Type.Object({ asOf: DossierListQuery.properties.asOf }, { additionalProperties: false });
export type DossierDetailQuery = Static<typeof DossierDetailQuery>;

const LATE_REASONS = ['past_due', 'supplements'] as const;

export const DeadlineOut = Type.Object({
  /** promised: the promised return date given at receipt; processing_time: receipt + the procedure's working days. */
  basis: literals(['promised', 'processing_time'] as const),
  promisedOn: Nullable(IsoDate),
  processingWorkingDays: Nullable(Type.Integer()),
  baseDueDate: IsoDate,
  /** Working days paused for supplements, counted up to the instant judged. */
  pausedWorkingDays: Type.Integer(),
  supplementRequests: Type.Integer(),
  dueDate: IsoDate,
  /** The last instant the dossier is on time. */
  dueAt: Timestamp,
});

export const JudgedOut = Type.Object({
  /** The instant judged. */
  at: Timestamp,
  timeliness: literals(TIMELINESS),
  lateReasons: Type.Array(literals(LATE_REASONS)),
  /** The deadline as it stood then (pauses up to the end, or up to `at` while open); null before receipt. */
  deadline: OrNull(DeadlineOut),
});

export const TimelineEntry = Type.Object({
  at: Timestamp,
  kind: literals(['status', 'supplement_requested', 'supplement_answered'] as const),
  status: OrNull(literals(DOSSIER_STATUSES)),
  label: Type.String(),
  /** For a supplement's answer: the working days its request paused the clock. */
  pausedWorkingDays: Nullable(Type.Integer()),
});

export const DossierDetail = Type.Object({
  ...DossierListItem.properties,
  sourceName: Type.String(),
  procedureProcessingDays: Nullable(Type.Integer()),
  procedureOnline: literals(['full', 'partial', 'none'] as const),
  synced: Nullable(Type.Boolean()),
  digitised: Nullable(Type.Boolean()),
  electronicResult: Nullable(Type.Boolean()),
  reusedData: Nullable(Type.Boolean()),
  rating: Nullable(Type.String()),
  /** Status events and supplement requests and answers, in the order they happened (by their own times). */
  timeline: Type.Array(TimelineEntry),
  supplements: Type.Array(
    Type.Object({ askedAt: Timestamp, answeredAt: Nullable(Timestamp), pausedWorkingDays: Type.Integer() }),
  ),
  /** Judged now, and as of `asOf` when asked. */
  now: JudgedOut,
  asOf: OrNull(JudgedOut),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type DossierDetail = Static<typeof DossierDetail>;
