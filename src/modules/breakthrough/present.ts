// Rows to API shapes: a database row never leaves the module as it is.

import type { UnitEntry } from '../../platform/orgunits/directory.js';
import { clarityOf } from '../tasks/rules/clarity.js';
import type { EventRow, ItemRow, RegistrationRow } from './repo.js';
import type { Item, RegistrationSummary } from './schemas.js';
import type { TaskProgress } from './tasks-gateway.js';

export const unitRef = (u: Pick<UnitEntry, 'id' | 'code' | 'name'>) => ({ id: u.id, code: u.code, name: u.name });

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const num = (v: string | null) => (v === null ? null : Number(v));

/** Placeholder for a unit the directory no longer lists (removed since): never a crash. */
function unitOr(units: Map<number, UnitEntry>, id: number) {
  const u = units.get(id);
  return u ? unitRef(u) : { id, code: '', name: `#${id}` };
}

export function toItem(row: ItemRow, units: Map<number, UnitEntry>, task: TaskProgress | undefined, sixClears: boolean): Item {
  return {
    id: row.id,
    position: row.position,
    title: row.title,
    description: row.description,
    targetValue: num(row.target_value),
    targetUnit: row.target_unit,
    leadUnit: row.lead_unit_id === null ? null : unitOr(units, row.lead_unit_id),
    assignee: row.assignee_user_id === null ? null : { id: row.assignee_user_id, fullName: row.assignee_name ?? '' },
    dueOn: row.due_on,
    expectedResult: row.expected_result,
    authority: row.authority,
    clarity: clarityOf(clarityFacts(row), sixClears),
    task: task
      ? {
          id: task.id,
          code: task.code,
          status: task.status,
          timeliness: task.timeliness,
          progress: task.rolledProgress,
          dueOn: task.dueOn,
          completedAt: task.completedAt,
        }
      : null,
    review:
      row.review_result && row.reviewed_at
        ? {
            result: row.review_result,
            achievedValue: num(row.achieved_value),
            note: row.review_note,
            reviewedAt: row.reviewed_at.toISOString(),
            reviewedBy: row.reviewed_by === null ? null : { id: row.reviewed_by, fullName: row.reviewed_by_name ?? '' },
          }
        : null,
  };
}

export function clarityFacts(row: ItemRow) {
  return {
    title: row.title,
    assigneeUserId: row.assignee_user_id,
    leadUnitId: row.lead_unit_id,
    dueOn: row.due_on,
    expectedResult: row.expected_result,
    authority: row.authority,
  };
}

export function toSummary(row: RegistrationRow, units: Map<number, UnitEntry>): RegistrationSummary {
  return {
    id: row.id,
    unit: unitOr(units, row.unit_id),
    year: row.year,
    status: row.status,
    round: row.round,
    itemCount: row.item_count,
    submittedAt: iso(row.submitted_at),
    reviewedAt: iso(row.reviewed_at),
    approvedAt: iso(row.approved_at),
    returnComments: row.return_comments,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toEvent(row: EventRow) {
  return {
    type: row.type,
    at: row.at.toISOString(),
    round: row.round,
    actor: row.actor_user_id === null ? null : { id: row.actor_user_id, fullName: row.actor_name ?? '' },
    comments: row.comments,
  };
}

/** "9 km", "140 tỷ đồng", "80 %": the target as the tables print it. */
export function targetText(value: number | null, unit: string | null): string {
  if (value === null || unit === null) return '';
  return `${value.toLocaleString('vi-VN', { maximumFractionDigits: 3 })} ${unit}`;
}
