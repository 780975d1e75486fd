// Shapes of the tasks API (docs/tasks-api.md): directed tasks by "5 rõ", their sub-tasks, progress
// reports, extensions, comments and history, and the units' scorecard.

// One vocabulary with the server: the clears, the statuses and the timeliness come from its rules.
import { CLEAR_KEYS, type ClearKey } from '../../../../src/modules/tasks/rules/clarity';
import { TASK_STATUSES, type TaskStatus } from '../../../../src/modules/tasks/rules/lifecycle';
import { TIMELINESS, type Timeliness as TaskTimeliness } from '../../../../src/modules/tasks/rules/timeliness';

/** The clears in the order the server names them (rõ thẩm quyền only with "6 rõ" on). */
export { CLEAR_KEYS, TASK_STATUSES, TIMELINESS };
export type { ClearKey, TaskStatus, TaskTimeliness };

/** The form field each clear is about. */
export const CLEAR_FIELDS: Record<ClearKey, 'title' | 'assigneeUserId' | 'leadUnitId' | 'dueOn' | 'expectedResult' | 'authority'> = {
  viec: 'title',
  nguoi: 'assigneeUserId',
  trachNhiem: 'leadUnitId',
  thoiGian: 'dueOn',
  ketQua: 'expectedResult',
  thamQuyen: 'authority',
};

/** The sources a user picks; breakthrough and project tasks come from their own modules. */
export const PICKED_SOURCE_KINDS = ['document', 'meeting', 'direction'] as const;
export const SOURCE_KINDS = ['document', 'meeting', 'direction', 'breakthrough', 'project'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export type TaskKind = 'task' | 'breakthrough' | 'obstacle';

export interface UnitRef {
  id: number;
  code: string;
  name: string;
}

export interface UserRef {
  id: number;
  fullName: string;
  username: string;
}

export interface Task {
  id: number;
  code: string;
  kind: TaskKind;
  title: string | null;
  description: string | null;
  expectedResult: string | null;
  authority: string | null;
  issuerUnit: UnitRef;
  leadUnit: UnitRef | null;
  supportUnits: UnitRef[];
  assignee: UserRef | null;
  dueOn: string | null;
  originalDueOn: string | null;
  parentId: number | null;
  weight: number;
  source: { kind: SourceKind; ref: string | null; id: number | null } | null;
  status: TaskStatus;
  timeliness: TaskTimeliness | null;
  progress: number;
  rolledProgress: number;
  issuedAt: string | null;
  completedAt: string | null;
  childCount: number;
  version: number;
  clarity: { missing: ClearKey[]; labels: string[] };
  createdAt: string;
  updatedAt: string;
}

export interface TaskReport {
  id: number;
  percent: number;
  text: string;
  reportedOn: string;
  reason: string | null;
  reportedBy: { id: number; fullName: string } | null;
  files: TaskReportFile[];
  createdAt: string;
}

export interface TaskReportFile {
  id: number;
  name: string;
  size: number;
  contentType: string;
}

/** A file stored for a report to come (POST /tasks/:id/files). */
export interface UploadedFile {
  key: string;
  name: string;
  size: number;
  contentType: string;
}

export interface TaskExtension {
  id: number;
  requestedDueOn: string;
  previousDueOn: string;
  reason: string;
  status: 'pending' | 'approved' | 'refused';
  requestedBy: { id: number; fullName: string } | null;
  requestedAt: string;
  decidedBy: { id: number; fullName: string } | null;
  decidedAt: string | null;
  note: string | null;
}

export interface TaskComment {
  id: number;
  text: string;
  author: { id: number; fullName: string } | null;
  createdAt: string;
}

export interface TaskEvent {
  id: number;
  at: string;
  type: string;
  actor: { id: number; fullName: string } | null;
  data: Record<string, unknown>;
}

export interface RollupPart {
  taskId: number;
  code: string;
  weight: number;
  share: number;
  rolledProgress: number;
}

export const TASK_ABILITIES = ['edit', 'issue', 'split', 'report', 'accept', 'return', 'requestExtension', 'decideExtension', 'cancel', 'comment'] as const;
export type TaskAbility = (typeof TASK_ABILITIES)[number];

export interface TaskDetail extends Task {
  children: Task[];
  rollup: { weightTotal: number; parts: RollupPart[] };
  reports: TaskReport[];
  extensions: TaskExtension[];
  comments: TaskComment[];
  events: TaskEvent[];
  watchers: { id: number; fullName: string }[];
  watching: boolean;
  can: Record<TaskAbility, boolean>;
}

/** The fields of a draft as the form edits them (dates as YYYY-MM-DD). */
export interface TaskDraftInput {
  title?: string | null;
  description?: string | null;
  expectedResult?: string | null;
  authority?: string | null;
  issuerUnitId?: number;
  leadUnitId?: number | null;
  supportUnitIds?: number[];
  assigneeUserId?: number | null;
  dueOn?: string | null;
  sourceKind?: SourceKind | null;
  sourceRef?: string | null;
  weight?: number;
}

export interface ScorecardRow {
  /** null on the total row */
  unit: UnitRef | null;
  total: number;
  completedOnTime: number;
  completedLate: number;
  inProgressWithin: number;
  inProgressOverdue: number;
  /** percent 0–100 of the tasks whose outcome is known (completed, or past their deadline); null: none */
  onTimeRate: number | null;
  rank: number | null;
}

export interface Scorecard {
  unit: UnitRef;
  from: string;
  to: string;
  /** the instant the tasks were judged at: the end of the period, or now */
  asOf: string;
  rows: ScorecardRow[];
  total: ScorecardRow;
}

export interface TaskSettings {
  sixClears: boolean;
  reminderDaysBefore: number;
}

/** A person a task can be given to (rõ người): GET /users/directory. */
export interface Assignee {
  id: number;
  fullName: string;
  username: string;
  orgUnitId: number;
  unitName: string;
}
