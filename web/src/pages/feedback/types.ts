// Shapes of the feedback API (docs/feedback-api.md), staff and public.

// One vocabulary with the server: the states, reasons and ratings come from its own module.
import { FEEDBACK_STATES, type FeedbackState, REJECTION_REASONS as SERVER_REJECTION_REASONS, type Rating, type RejectionReason } from '../../../../src/modules/feedback/states';

export type ReportStatus = FeedbackState;
export const REPORT_STATUSES: readonly ReportStatus[] = FEEDBACK_STATES;
export type { Rating, RejectionReason };

export type DeadlineStatus = 'within' | 'due_tomorrow' | 'overdue' | 'done_on_time' | 'done_late';
export const REJECTION_REASONS: readonly RejectionReason[] = SERVER_REJECTION_REASONS;
export type UnitKind = 'province' | 'district' | 'commune' | 'agency';

export type TimelineAction =
  | 'submit'
  | 'verify'
  | 'reject'
  | 'merge'
  | 'assign'
  | 'send_back'
  | 'start'
  | 'request_extension'
  | 'decide_extension'
  | 'resolve'
  | 'rate'
  | 'reopen'
  | 'close'
  | 'overdue';

export interface CategoryAttribute {
  code: string;
  variable: boolean;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  description: string;
  order: number;
  datatypeDescription?: string;
  values?: { key: string; name: string }[];
}

export interface Category {
  id: number;
  code: string;
  name: string;
  description: string;
  group: string;
  attributes: CategoryAttribute[];
  unitKind: UnitKind;
  deadlineDays: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ReportListItem {
  id: number;
  code: string;
  status: ReportStatus;
  urgent: boolean;
  categoryId: number;
  categoryName: string;
  description: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  areaUnitId: number | null;
  areaUnitName: string | null;
  suggestedUnitId: number | null;
  unitId: number | null;
  unitName: string | null;
  receivedAt: string;
  verifiedAt: string | null;
  deadline: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  deadlineStatus: DeadlineStatus | null;
  rating: Rating | null;
  source: 'web' | 'open311' | 'operator';
  photoCount: number;
}

export interface Photo {
  id: number;
  key: string;
  mime: string;
  size: number;
  width: number;
  height: number;
  kind: 'report' | 'answer';
  verified: boolean;
  url: string;
}

export interface TimelineEvent {
  id: number;
  action: TimelineAction;
  from: ReportStatus | null;
  to: ReportStatus;
  at: string;
  public: boolean;
  actorLabel: string;
  userId: number | null;
  unitId: number | null;
  details: Record<string, unknown>;
}

export interface Report extends ReportListItem {
  reporterName: string | null;
  reporterPhone: string | null;
  reporterEmail: string | null;
  anonymous: boolean;
  originalDeadline: string | null;
  answer: string | null;
  ratingComment: string | null;
  ratedAt: string | null;
  mergedIntoId: number | null;
  attributes: Record<string, unknown>;
  pendingExtension: { id: number; proposedDeadline: string; reason: string; requestedAt: string } | null;
  photos: Photo[];
  timeline: TimelineEvent[];
  allowedActions: string[];
}

export interface DuplicateSuggestion {
  id: number;
  code: string;
  status: ReportStatus;
  description: string;
  distanceMeters: number | null;
  similarity: number | null;
  receivedAt: string;
}

export interface Suggestions {
  routing: {
    unitId: number | null;
    unitName: string | null;
    method: 'boundary' | 'nearest' | 'none';
    distanceMeters: number | null;
  };
  duplicates: DuplicateSuggestion[];
}

export interface StatisticsRow {
  key: string;
  label: string;
  received: number;
  verified: number;
  rejected: number;
  resolved: number;
  resolvedOnTime: number;
  resolvedLate: number;
  overdueOpen: number;
  medianHandlingHours: number | null;
  rated: number;
  satisfied: number;
  satisfactionRate: number | null;
}

export interface PublicCategory {
  code: string;
  name: string;
  description: string;
  group: string;
  attributes: CategoryAttribute[];
}

export interface PublicReport {
  code: string;
  status: ReportStatus;
  statusLabel: string;
  urgent: boolean;
  categoryCode: string;
  categoryName: string;
  description: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  reporterName: string | null;
  unitName: string | null;
  receivedAt: string;
  deadline: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  answer: string | null;
  rejection: { reason: RejectionReason; text: string } | null;
  mergedIntoCode: string | null;
  rating: Rating | null;
  photos: { url: string; kind: 'report' | 'answer'; width: number; height: number }[];
  timeline: { action: TimelineAction; label: string; to: ReportStatus; at: string; details: Record<string, unknown> }[];
}

export interface PublicListItem {
  code: string;
  status: ReportStatus;
  categoryCode: string;
  categoryName: string;
  description: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  unitName: string | null;
  receivedAt: string;
  resolvedAt: string | null;
  photoUrl: string | null;
}

export interface SubmitResult {
  code: string;
  trackingUrl: string;
  token: string;
}
