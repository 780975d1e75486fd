// Shapes of the breakthrough API (/api/v1/breakthrough): a unit's list for a year, its items, the
// tasks they became and the province's overview.
import type { ClearKey, TaskStatus, TaskTimeliness, UnitRef } from '../tasks/types';

export const REGISTRATION_STATUSES = ['draft', 'submitted', 'returned', 'resubmitted', 'approved'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
export const REVIEW_RESULTS = ['achieved', 'partly', 'not'] as const;
export type ReviewResult = (typeof REVIEW_RESULTS)[number];
/** Units of measure offered for a target; any other may be typed. */
export const TARGET_UNITS = ['km', 'tỷ đồng', 'hộ', '%', 'ha', 'dự án', 'cán bộ', 'công trình'] as const;

export interface Item {
  id: number;
  position: number;
  title: string | null;
  description: string | null;
  targetValue: number | null;
  targetUnit: string | null;
  leadUnit: UnitRef | null;
  assignee: { id: number; fullName: string } | null;
  dueOn: string | null;
  expectedResult: string | null;
  authority: string | null;
  clarity: { missing: ClearKey[]; labels: string[] };
  task: { id: number; code: string; status: TaskStatus; timeliness: TaskTimeliness | null; progress: number; dueOn: string | null; completedAt: string | null } | null;
  review: { result: ReviewResult; achievedValue: number | null; note: string | null; reviewedAt: string; reviewedBy: { id: number; fullName: string } | null } | null;
}

export interface RegistrationSummary {
  id: number;
  unit: UnitRef;
  year: number;
  status: RegistrationStatus;
  round: number;
  itemCount: number;
  submittedAt: string | null;
  reviewedAt: string | null;
  approvedAt: string | null;
  returnComments: string | null;
  version: number;
  updatedAt: string;
}

export interface Registration extends RegistrationSummary {
  superiorUnit: UnitRef | null;
  items: Item[];
  events: { type: string; at: string; round: number; actor: { id: number; fullName: string } | null; comments: string | null }[];
  can: { edit: boolean; submit: boolean; review: boolean; assess: boolean };
}

export interface OverviewRow {
  registrationId: number;
  registrationStatus: RegistrationStatus;
  unit: UnitRef;
  item: Item;
}

export interface Overview {
  year: number;
  unit: UnitRef;
  rows: OverviewRow[];
  units: { unit: UnitRef; registrationId: number | null; status: RegistrationStatus | null; itemCount: number }[];
  totals: {
    items: number;
    approved: number;
    completedOnTime: number;
    completedLate: number;
    inProgressWithin: number;
    inProgressOverdue: number;
    achieved: number;
    partly: number;
    notAchieved: number;
  };
}

/** The refusal of a submission: per item, the clears it lacks. */
export interface UnclearItem {
  itemId: number;
  position: number;
  title: string | null;
  missing: ClearKey[];
  labels: string[];
}
