// Shapes of the dossiers API (docs/dossiers-api.md): the Decision 766 scorecard, the ranking, the
// trend, the dossier list and a dossier's detail.

// One vocabulary with the server: statuses, channels and the scorecard's groups come from its rules.
import type { DossierField } from '../../../../src/modules/dossiers/import/fields';
import { DOSSIER_CHANNELS, DOSSIER_STATUSES, type DossierChannel, type DossierStatus } from '../../../../src/modules/dossiers/rules/statuses';
import type { Timeliness } from '../../../../src/modules/dossiers/rules/timeliness';

export type { DossierChannel, DossierField, DossierStatus, Timeliness };
export { DOSSIER_CHANNELS, DOSSIER_STATUSES };

/** The classes a list filters on (not_received is what a dossier is before its receipt). */
export const LISTED_TIMELINESS: readonly Timeliness[] = ['completed_on_time', 'completed_late', 'in_process_within', 'in_process_overdue'];

export type PeriodKind = 'month' | 'quarter' | 'half' | 'year' | 'range';
export const PERIOD_KINDS: readonly PeriodKind[] = ['month', 'quarter', 'half', 'year', 'range'];

export interface UnitRef {
  id: number;
  code: string;
  name: string;
  kind: string;
}

export interface PeriodOut {
  kind: PeriodKind;
  year: number | null;
  index: number | null;
  from: string;
  to: string;
  start: string;
  end: string;
  /** The instant the dossiers are judged at: the end, or now while the period is under way. */
  asOf: string;
  label: string;
}

/** The query of GET /dossiers that lists the dossiers behind a number. */
export type DrillDown = Record<string, string>;

export interface CountValue {
  name: string;
  label: string;
  /** null: no data. */
  value: number | null;
  unknown: number | null;
  list: DrillDown | null;
  unknownList: DrillDown | null;
  /** A count of procedures (1.1, 3.1): the catalogue's query that lists them. */
  procedures: DrillDown | null;
}

export type MeasureStatus = 'scored' | 'no_data' | 'not_applicable';

export interface Measure {
  id: string;
  label: string;
  status: MeasureStatus;
  numerator: string | null;
  denominator: string;
  counts: CountValue[];
  rate: number | null;
  threshold: number;
  points: number;
  score: number | null;
}

export interface Group {
  id: number;
  label: string;
  points: number;
  available: number;
  score: number | null;
  measures: Measure[];
}

export interface Scorecard {
  unit: UnitRef;
  period: PeriodOut;
  method: 'rollup' | 'direct';
  groups: Group[];
  earned: number;
  available: number;
  outOf100: number | null;
  complete: boolean;
  unmeasured: { id: string; status: 'no_data' | 'not_applicable' }[];
  timeliness: CountValue[];
}

export interface GroupScore {
  id: number;
  score: number | null;
  available: number;
}

export interface RankingRow {
  rank: number | null;
  unit: UnitRef;
  outOf100: number | null;
  earned: number;
  available: number;
  complete: boolean;
  groups: GroupScore[];
}

export interface Ranking {
  parent: UnitRef;
  period: PeriodOut;
  method: 'rollup' | 'direct';
  items: RankingRow[];
}

export interface TrendMonth {
  month: string;
  outOf100: number | null;
  earned: number;
  available: number;
  complete: boolean;
  groups: GroupScore[];
}

export interface Trend {
  unit: UnitRef;
  year: number;
  months: TrendMonth[];
}

export interface DossierListItem {
  id: number;
  code: string;
  sourceCode: string;
  procedureId: number;
  procedureCode: string;
  procedureName: string;
  unitId: number;
  unitName: string;
  channel: DossierChannel;
  receivedAt: string;
  promisedOn: string | null;
  dueOn: string | null;
  status: DossierStatus;
  statusAt: string;
  endedAt: string | null;
  endedStatus: DossierStatus | null;
  overdueFrom: string | null;
  handler: string | null;
  timeliness: Timeliness;
  workingDaysLeft: number | null;
  supplementRequests: number;
  waitingForCitizen: boolean;
  fee: number | null;
  paidOnline: boolean | null;
  complaint: boolean;
}

export type LateReason = 'past_due' | 'supplements';

export interface DeadlineOut {
  basis: 'promised' | 'processing_time';
  promisedOn: string | null;
  processingWorkingDays: number | null;
  baseDueDate: string;
  pausedWorkingDays: number;
  supplementRequests: number;
  dueDate: string;
  dueAt: string;
}

export interface Judged {
  at: string;
  timeliness: Timeliness;
  lateReasons: LateReason[];
  deadline: DeadlineOut | null;
}

export type TimelineKind = 'status' | 'supplement_requested' | 'supplement_answered';

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  status: DossierStatus | null;
  label: string;
  pausedWorkingDays: number | null;
}

export interface DossierDetail extends DossierListItem {
  sourceName: string;
  procedureProcessingDays: number | null;
  procedureOnline: 'full' | 'partial' | 'none';
  synced: boolean | null;
  digitised: boolean | null;
  electronicResult: boolean | null;
  reusedData: boolean | null;
  rating: string | null;
  timeline: TimelineEntry[];
  supplements: { askedAt: string; answeredAt: string | null; pausedWorkingDays: number }[];
  now: Judged;
  asOf: Judged | null;
  createdAt: string;
  updatedAt: string;
}

/** The body of POST /dossiers/:id/apology-letter. */
export interface ApologyLetterBody {
  newReturnDate: string;
  reason: string;
  signerName: string;
  signerTitle: string;
  number?: string;
}

// ---- the catalogue, the sources and the file imports ----

export type ProcedureLevel = 'province' | 'district' | 'commune';
export type UnitKind = 'province' | 'district' | 'commune' | 'agency';
export type OnlineLevel = 'full' | 'partial' | 'none';
export const PROCEDURE_LEVELS: readonly ProcedureLevel[] = ['province', 'district', 'commune'];
export const UNIT_KINDS: readonly UnitKind[] = ['province', 'district', 'commune', 'agency'];
export const ONLINE_LEVELS: readonly OnlineLevel[] = ['full', 'partial', 'none'];

export interface Procedure {
  id: number;
  code: string;
  name: string;
  level: ProcedureLevel;
  unitKinds: UnitKind[];
  processingDays: number | null;
  hasFee: boolean;
  online: OnlineLevel;
  effectiveOn: string | null;
  announcedOn: string | null;
  publishedOn: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Source {
  id: number;
  code: string;
  name: string;
  apiKeyId: number | null;
  apiKeyName: string | null;
  apiKeyPrefix: string | null;
  apiKeyUnitId: number | null;
  apiKeyUnitName: string | null;
  apiKeyRevoked: boolean;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export type ImportState = 'uploaded' | 'checking' | 'checked' | 'importing' | 'imported' | 'failed' | 'cancelled';

export interface ColumnMapping {
  headerLine: number;
  columns: Partial<Record<DossierField, number>>;
}

export interface MappedField {
  field: DossierField;
  label: string;
  required: boolean;
  column: number | null;
  header: string | null;
}

export interface DossierImport {
  id: number;
  sourceId: number;
  sourceCode: string;
  sourceName: string;
  orgUnitId: number | null;
  fileName: string;
  format: string;
  encoding: string | null;
  header: string[];
  mapping: ColumnMapping;
  fields: MappedField[];
  state: ImportState;
  run: 'check' | 'import' | null;
  skipInvalid: boolean;
  phase: 'reading' | 'indexing' | 'merging' | 'writing' | null;
  bytesTotal: number;
  bytesRead: number;
  rowsRead: number;
  rowsOk: number;
  rowsWarned: number;
  rowsBad: number;
  rowsCreated: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  problemsTotal: number;
  problemsKept: number;
  errorCode: string | null;
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ImportUpload {
  import: DossierImport;
  sample: { line: number; cells: string[] }[];
  mappingProblems: { field: string | null; code: string; message: string }[];
}

export interface ImportProblem {
  line: number | null;
  field: string | null;
  fieldLabel: string | null;
  code: string;
  message: string;
  severity: 'error' | 'warning';
  otherLine: number | null;
}
