// Who may do what to a task. Issuing units act through their leaders and operators; the lead
// unit's staff and the assignee report; anyone with scope on the issuer or the lead unit, the
// assignee and the watchers read it. Administrators administer (settings), they do not direct.

import { type Actor, type Role, STAFF_ROLES, isInScope } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors/errors.js';
import type { TaskRow } from './repo.js';

/** Who issues, edits, accepts, returns, cancels and decides extensions for a unit's tasks. */
export const DIRECTING_ROLES: readonly Role[] = ['leader', 'operator'];
/** Who reports progress and asks for extensions on the lead unit's behalf. */
export const REPORTING_ROLES: readonly Role[] = ['leader', 'operator', 'officer'];

/** The units of a task as the access rules need them (paths from the org-unit directory). */
export interface TaskPlaces {
  issuerPath: string;
  leadPath: string | null;
}

export const directs = (actor: Actor, unitPath: string) => isInScope(actor, unitPath, DIRECTING_ROLES);
export const isIssuerOf = (actor: Actor, p: TaskPlaces) => directs(actor, p.issuerPath);
export const canSplit = (actor: Actor, p: TaskPlaces) => p.leadPath !== null && directs(actor, p.leadPath);
export const isAssignee = (actor: Actor, t: Pick<TaskRow, 'assignee_user_id'>) => actor.userId !== null && t.assignee_user_id === actor.userId;
export const canReport = (actor: Actor, t: Pick<TaskRow, 'assignee_user_id'>, p: TaskPlaces) =>
  isAssignee(actor, t) || (p.leadPath !== null && isInScope(actor, p.leadPath, REPORTING_ROLES));
/** Sees it through a grant (watchers are checked against the database). */
export const seesByScope = (actor: Actor, t: Pick<TaskRow, 'assignee_user_id'>, p: TaskPlaces) =>
  isInScope(actor, p.issuerPath, STAFF_ROLES) || (p.leadPath !== null && isInScope(actor, p.leadPath, STAFF_ROLES)) || isAssignee(actor, t);

export const notIssuer = () =>
  new AppError(403, 'FORBIDDEN', 'Chỉ lãnh đạo hoặc điều hành viên của đơn vị giao nhiệm vụ (hoặc đơn vị cấp trên) mới được thực hiện thao tác này.');
export const notReporter = () =>
  new AppError(403, 'FORBIDDEN', 'Chỉ người được giao hoặc cán bộ của đơn vị chủ trì (hoặc đơn vị cấp trên) mới được báo cáo tiến độ, xin gia hạn nhiệm vụ này.');
