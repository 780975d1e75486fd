// The shapes of the ingest API: the procedure catalogue, the one-stop systems (sources), file
// imports and the batch push. The scorecard and the dossier lists keep theirs apart.

import { type Static, Type } from 'typebox';
import { ListQuery } from '../../platform/http/list.js';
import { Nullable } from '../../platform/http/params.js';
import { PeriodFields } from './report-schemas.js';
import { PROCEDURE_COUNTS } from './rules/scorecardCounts.js';

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
/** One of `values`, as a plain string enum in responses (serialised without trying each branch). */
const oneOf = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>(Type.String({ enum: [...values] }));
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Timestamp = Type.String({ format: 'date-time' });
const Code = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_.-]+$' });

export const PROCEDURE_LEVELS = ['province', 'district', 'commune'] as const;
export const UNIT_KINDS = ['province', 'district', 'commune', 'agency'] as const;
export const ONLINE_LEVELS = ['full', 'partial', 'none'] as const;

// ---- procedures (thủ tục hành chính) ----

export const Procedure = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  unitKinds: Type.Array(Type.String()),
  processingDays: Nullable(Type.Integer()),
  hasFee: Type.Boolean(),
  online: Type.String(),
  effectiveOn: Nullable(Type.String()),
  announcedOn: Nullable(Type.String()),
  publishedOn: Nullable(Type.String()),
  active: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Procedure = Static<typeof Procedure>;

const procedureFields = {
  code: Code(60),
  name: Type.String({ minLength: 1, maxLength: 1000 }),
  level: literals(PROCEDURE_LEVELS),
  unitKinds: Type.Array(literals(UNIT_KINDS), { maxItems: 4, uniqueItems: true }),
  processingDays: Type.Union([Type.Integer({ minimum: 0, maximum: 365 }), Type.Null()]),
  hasFee: Type.Boolean(),
  online: literals(ONLINE_LEVELS),
  effectiveOn: Type.Union([IsoDate, Type.Null()]),
  announcedOn: Type.Union([IsoDate, Type.Null()]),
  publishedOn: Type.Union([IsoDate, Type.Null()]),
};
export const CreateProcedure = Type.Object(
  {
    code: procedureFields.code,
    name: procedureFields.name,
    level: procedureFields.level,
    unitKinds: Type.Optional(procedureFields.unitKinds),
    processingDays: Type.Optional(procedureFields.processingDays),
    hasFee: Type.Optional(procedureFields.hasFee),
    online: Type.Optional(procedureFields.online),
    effectiveOn: Type.Optional(procedureFields.effectiveOn),
    announcedOn: Type.Optional(procedureFields.announcedOn),
    publishedOn: Type.Optional(procedureFields.publishedOn),
  },
  { additionalProperties: false },
);
export type CreateProcedure = Static<typeof CreateProcedure>;
export const UpdateProcedure = Type.Partial(Type.Object(procedureFields), { additionalProperties: false, minProperties: 1 });
export type UpdateProcedure = Static<typeof UpdateProcedure>;
export const ProcedureListQuery = Type.Object(
  {
    ...ListQuery,
    active: Type.Optional(Type.Boolean()),
    level: Type.Optional(literals(PROCEDURE_LEVELS)),
    online: Type.Optional(literals(ONLINE_LEVELS)),
    /**
     * Only the procedures behind this count of a unit's scorecard (measures 1.1 and 3.1), for the
     * unit and period given as to the scorecard: the drill-down of its number.
     */
    scorecardCount: Type.Optional(literals(PROCEDURE_COUNTS)),
    unitId: Type.Optional(Type.Integer({ minimum: 1 })),
    ...PeriodFields,
  },
  { additionalProperties: false },
);
export type ProcedureListQuery = Static<typeof ProcedureListQuery>;

// ---- sources (hệ thống một cửa) ----

export const Source = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  apiKeyId: Nullable(Type.Integer()),
  apiKeyName: Nullable(Type.String()),
  apiKeyPrefix: Nullable(Type.String()),
  /** The unit the key pushes for (its scope). */
  apiKeyUnitId: Nullable(Type.Integer()),
  apiKeyUnitName: Nullable(Type.String()),
  apiKeyRevoked: Type.Boolean(),
  active: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Source = Static<typeof Source>;

export const CreateSource = Type.Object(
  {
    code: Code(50),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    apiKeyId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateSource = Static<typeof CreateSource>;
export const UpdateSource = Type.Partial(CreateSource, { additionalProperties: false, minProperties: 1 });
export type UpdateSource = Static<typeof UpdateSource>;
export const SourceListQuery = Type.Object({ ...ListQuery, active: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type SourceListQuery = Static<typeof SourceListQuery>;

// ---- file imports ----

export const IMPORT_STATES = ['uploaded', 'checking', 'checked', 'importing', 'imported', 'failed', 'cancelled'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

export const ColumnMapping = Type.Object(
  {
    headerLine: Type.Integer({ minimum: 1, maximum: 1000 }),
    columns: Type.Record(Type.String(), Type.Integer({ minimum: 0, maximum: 500 })),
  },
  { additionalProperties: false },
);

export const MappedField = Type.Object({
  field: Type.String(),
  label: Type.String(),
  required: Type.Boolean(),
  column: Nullable(Type.Integer()),
  header: Nullable(Type.String()),
});

export const Import = Type.Object({
  id: Type.Integer(),
  sourceId: Type.Integer(),
  sourceCode: Type.String(),
  sourceName: Type.String(),
  orgUnitId: Nullable(Type.Integer()),
  fileName: Type.String(),
  format: Type.String(),
  encoding: Nullable(Type.String()),
  header: Type.Array(Type.String()),
  mapping: ColumnMapping,
  /** Every field with its column under the mapping, as the mapping screen lists them. */
  fields: Type.Array(MappedField),
  state: oneOf(IMPORT_STATES),
  run: Nullable(Type.String()),
  skipInvalid: Type.Boolean(),
  /** While a run goes on: 'reading', 'indexing' (a bulk load building the indexes again), 'merging', 'writing'. */
  phase: Nullable(Type.String()),
  bytesTotal: Type.Integer(),
  bytesRead: Type.Integer(),
  rowsRead: Type.Integer(),
  rowsOk: Type.Integer(),
  rowsWarned: Type.Integer(),
  rowsBad: Type.Integer(),
  rowsCreated: Type.Integer(),
  rowsUpdated: Type.Integer(),
  rowsUnchanged: Type.Integer(),
  problemsTotal: Type.Integer(),
  /** The problems kept (the first of them): those listed by /problems. */
  problemsKept: Type.Integer(),
  errorCode: Nullable(Type.String()),
  error: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Timestamp,
  startedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
});
export type Import = Static<typeof Import>;

export const Upload = Type.Object({
  import: Import,
  /** The first data rows as the file has them, for the mapping screen. */
  sample: Type.Array(Type.Object({ line: Type.Integer(), cells: Type.Array(Type.String()) })),
  /** What the suggested mapping still lacks (required fields without a column). */
  mappingProblems: Type.Array(Type.Object({ field: Nullable(Type.String()), code: Type.String(), message: Type.String() })),
});

export const ImportListQuery = Type.Object(
  {
    ...ListQuery,
    sourceId: Type.Optional(Type.Integer({ minimum: 1 })),
    state: Type.Optional(literals(IMPORT_STATES)),
  },
  { additionalProperties: false },
);
export type ImportListQuery = Static<typeof ImportListQuery>;

export const RunImportBody = Type.Object(
  {
    mapping: Type.Optional(ColumnMapping),
    /** Import only: write the valid rows and leave the bad ones out. */
    skipInvalid: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type RunImportBody = Static<typeof RunImportBody>;

export const ImportProblem = Type.Object({
  line: Nullable(Type.Integer()),
  field: Nullable(Type.String()),
  fieldLabel: Nullable(Type.String()),
  code: Type.String(),
  message: Type.String(),
  severity: Type.String(),
  otherLine: Nullable(Type.Integer()),
});
export type ImportProblem = Static<typeof ImportProblem>;

export const ImportProblemQuery = Type.Object(
  {
    ...ListQuery,
    severity: Type.Optional(literals(['error', 'warning'] as const)),
    code: Type.Optional(Type.String({ maxLength: 60 })),
  },
  { additionalProperties: false },
);
export type ImportProblemQuery = Static<typeof ImportProblemQuery>;

// ---- the batch push ----

export const MAX_BATCH_ITEMS = 1000;

export const PushBody = Type.Object(
  {
    items: Type.Array(Type.Unknown({ description: 'Một hồ sơ (xem docs/dossiers-api.md): mỗi mục được kiểm tra riêng, mục sai không làm hỏng các mục khác' }), { minItems: 1, maxItems: MAX_BATCH_ITEMS }),
  },
  { additionalProperties: false },
);
export type PushBody = Static<typeof PushBody>;

export const Problem = Type.Object({ field: Nullable(Type.String()), code: Type.String(), message: Type.String() });

export const PushResult = Type.Object({
  sourceCode: Type.String(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  results: Type.Array(
    Type.Object({
      index: Type.Integer(),
      code: Nullable(Type.String()),
      result: oneOf(['created', 'updated', 'unchanged', 'rejected'] as const),
      problems: Type.Array(Problem),
    }),
  ),
});
export type PushResult = Static<typeof PushResult>;
