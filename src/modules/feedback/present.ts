// Presenters: rows become API shapes here, so a column never leaks to the API by accident.

import type { FeedbackDeadlines } from './deadline.js';
import type { FeedbackReport } from './lifecycle.js';
import type { CategoryRow, EventRow, PhotoRow, ReportRow } from './repo.js';
import type { Category, Photo, ReportListItem, TimelineEvent } from './schemas.js';
import { ACTION_LABELS, ACTOR_LABELS, type ActorRole, type FeedbackActionType, type FeedbackState, type Rating } from './states.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toCategory(r: CategoryRow): Category {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    description: r.description,
    group: r.group_name,
    attributes: r.attributes,
    unitKind: r.unit_kind,
    deadlineDays: r.deadline_days,
    active: r.active,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The fields the lifecycle state machine reads. */
export function lifecycleOf(r: ReportRow): FeedbackReport {
  return {
    id: r.id,
    state: r.status as FeedbackState,
    unitId: r.unit_id,
    verifiedAt: r.verified_at,
    deadline: r.deadline,
    originalDeadline: r.original_deadline,
    pendingExtension:
      r.pending_extension_id && r.pending_proposed_deadline && r.pending_requested_at
        ? { proposedDeadline: r.pending_proposed_deadline, reason: r.pending_reason ?? '', requestedAt: r.pending_requested_at }
        : null,
    resolvedAt: r.resolved_at,
    rating: r.rating && r.rated_at ? { value: r.rating as Rating, comment: r.rating_comment, at: r.rated_at } : null,
    mergedIntoId: r.merged_into,
  };
}

export function toListItem(r: ReportRow, deadlines: FeedbackDeadlines, now: Date): ReportListItem {
  return {
    id: r.id,
    code: r.code,
    status: r.status,
    urgent: r.urgent,
    categoryId: r.category_id,
    categoryName: r.category_name,
    description: r.description.length > 200 ? `${r.description.slice(0, 199)}…` : r.description,
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    areaUnitId: r.area_unit_id,
    areaUnitName: r.area_unit_name,
    suggestedUnitId: r.suggested_unit_id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    receivedAt: r.received_at.toISOString(),
    verifiedAt: iso(r.verified_at),
    deadline: iso(r.deadline),
    resolvedAt: iso(r.resolved_at),
    closedAt: iso(r.closed_at),
    deadlineStatus: deadlines.deadlineStatus({ state: r.status as FeedbackState, deadline: r.deadline, resolvedAt: r.resolved_at }, now),
    rating: r.rating,
    source: r.source,
    photoCount: r.photo_count,
  };
}

export const staffPhotoUrl = (reportId: number, photoId: number) => `/api/v1/feedback/reports/${reportId}/photos/${photoId}`;
export const publicPhotoUrl = (key: string) => `/api/v1/public/feedback/photos/${key}`;

export function toPhoto(p: PhotoRow): Photo {
  return { id: p.id, key: p.file_key, mime: p.mime, size: p.size, width: p.width, height: p.height, kind: p.kind, verified: p.verified, url: staffPhotoUrl(p.report_id, p.id) };
}

/** The actions the system records besides the lifecycle's. */
const SYSTEM_ACTION_LABELS: Record<string, string> = {
  submit: 'Gửi phản ánh',
  overdue: 'Quá hạn xử lý',
  deadline_moved: 'Dời hạn xử lý do lịch làm việc thay đổi',
};

export const actionLabel = (action: string) => ACTION_LABELS[action as FeedbackActionType] ?? SYSTEM_ACTION_LABELS[action] ?? action;

export function toTimelineEvent(e: EventRow): TimelineEvent {
  return {
    id: Number(e.id),
    action: e.action,
    from: e.from_status,
    to: e.to_status,
    at: e.at.toISOString(),
    public: e.public,
    actorLabel: ACTOR_LABELS[e.actor_role as ActorRole] ?? e.actor_role,
    userId: e.user_id,
    unitId: e.unit_id,
    details: e.details,
  };
}

/** Timeline details as JSON: dates become ISO strings. */
export function jsonDetails(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
}
