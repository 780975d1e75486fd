// Rows to the API's shapes: a database row never leaves the module as it is.

import type { Snapshot } from '../../platform/orgunits/directory.js';
import type * as repo from './repo.js';
import { clarityOf } from './rules/clarity.js';
import { timelinessAt } from './rules/timeliness.js';
import type { Task, TaskComment, TaskExtension, TaskReport } from './schemas.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function unitRef(snapshot: Snapshot, id: number) {
  const u = snapshot.byId.get(id);
  return { id, code: u?.code ?? '', name: u?.name ?? `Đơn vị #${id}` };
}

export function toTask(r: repo.TaskRow, snapshot: Snapshot, sixClears: boolean, at: Date): Task {
  return {
    id: r.id,
    code: r.code,
    kind: r.kind,
    title: r.title,
    description: r.description,
    expectedResult: r.expected_result,
    authority: r.authority,
    issuerUnit: unitRef(snapshot, r.issuer_unit_id),
    leadUnit: r.lead_unit_id === null ? null : unitRef(snapshot, r.lead_unit_id),
    supportUnits: r.support_unit_ids.map((id) => unitRef(snapshot, id)),
    assignee: r.assignee_user_id === null ? null : { id: r.assignee_user_id, fullName: r.assignee_name ?? '', username: r.assignee_username ?? '' },
    dueOn: r.due_on,
    originalDueOn: r.original_due_on,
    parentId: r.parent_id,
    weight: r.weight,
    source: r.source_kind ? { kind: r.source_kind, ref: r.source_ref, id: r.source_id } : null,
    status: r.status,
    timeliness: timelinessAt(
      { issuedAt: r.issued_at, completedAt: r.completed_at, cancelledAt: r.cancelled_at, dueOn: r.due_on, dueChangedAt: r.due_changed_at, dueBefore: r.due_before },
      at,
    ),
    progress: r.progress,
    rolledProgress: r.rolled_progress,
    issuedAt: iso(r.issued_at),
    completedAt: iso(r.completed_at),
    childCount: r.child_count,
    version: r.version,
    clarity: clarityOf(
      { title: r.title, assigneeUserId: r.assignee_user_id, leadUnitId: r.lead_unit_id, dueOn: r.due_on, expectedResult: r.expected_result, authority: r.authority },
      sixClears,
    ),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const person = (id: number | null, name: string | null) => (id === null ? null : { id, fullName: name ?? '' });

export const toReport = (r: repo.ReportRow): TaskReport => ({
  id: r.id,
  percent: r.percent,
  text: r.text,
  reportedOn: r.reported_on,
  reason: r.reason,
  reportedBy: person(r.reported_by, r.reporter_name),
  files: r.files.map((f) => ({ id: f.id, name: f.name, size: f.size, contentType: f.contentType })),
  createdAt: r.created_at.toISOString(),
});

export const toExtension = (x: repo.ExtensionRow): TaskExtension => ({
  id: x.id,
  requestedDueOn: x.requested_due_on,
  previousDueOn: x.previous_due_on,
  reason: x.reason,
  status: x.status,
  requestedBy: person(x.requested_by, x.requester_name),
  requestedAt: x.requested_at.toISOString(),
  decidedBy: person(x.decided_by, x.decider_name),
  decidedAt: iso(x.decided_at),
  note: x.note,
});

export const toComment = (c: repo.CommentRow): TaskComment => ({
  id: c.id,
  author: person(c.author_user_id, c.author_name),
  text: c.text,
  createdAt: c.created_at.toISOString(),
});

export const toEvent = (e: repo.EventRow) => ({ id: e.id, at: e.at.toISOString(), type: e.type, actor: person(e.actor_user_id, e.actor_name), data: e.data });
