// A task's states and what may happen in each: draft → in_progress (issued) → submitted (the
// result sent for acceptance) → completed (accepted); a returned result goes back to
// in_progress; the issuer may cancel until it is completed.

import { AppError } from '../../../platform/errors/errors.js';

export const TASK_STATUSES = ['draft', 'in_progress', 'submitted', 'completed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const STATUS_LABELS: Record<TaskStatus, string> = {
  draft: 'Dự thảo',
  in_progress: 'Đang thực hiện',
  submitted: 'Chờ nghiệm thu',
  completed: 'Hoàn thành',
  cancelled: 'Đã hủy',
};

export type TaskAction = 'edit' | 'issue' | 'split' | 'report' | 'submit' | 'accept' | 'return' | 'cancel' | 'requestExtension' | 'decideExtension' | 'comment';

export const ACTION_LABELS: Record<TaskAction, string> = {
  edit: 'sửa nhiệm vụ',
  issue: 'ban hành',
  split: 'giao nhiệm vụ con',
  report: 'báo cáo tiến độ',
  submit: 'gửi kết quả để nghiệm thu',
  accept: 'nghiệm thu',
  return: 'trả lại kết quả',
  cancel: 'hủy nhiệm vụ',
  requestExtension: 'xin gia hạn',
  decideExtension: 'quyết định gia hạn',
  comment: 'bình luận',
};

/** The states each action may start from. */
const FROM: Record<TaskAction, readonly TaskStatus[]> = {
  edit: ['draft', 'in_progress', 'submitted'],
  issue: ['draft'],
  split: ['in_progress'],
  report: ['in_progress'],
  submit: ['in_progress'],
  accept: ['submitted'],
  return: ['submitted'],
  cancel: ['draft', 'in_progress', 'submitted'],
  requestExtension: ['in_progress'],
  decideExtension: ['in_progress', 'submitted'],
  comment: TASK_STATUSES,
};

/** Where an action leaves the task (actions not listed leave it where it is). */
const TO: Partial<Record<TaskAction, TaskStatus>> = {
  issue: 'in_progress',
  submit: 'submitted',
  accept: 'completed',
  return: 'in_progress',
  cancel: 'cancelled',
};

export function canDo(status: TaskStatus, action: TaskAction): boolean {
  return FROM[action].includes(status);
}

/** The state after `action`; 409 TASK_INVALID_STATE when the action cannot start from `status`. */
export function transition(status: TaskStatus, action: TaskAction): TaskStatus {
  if (!canDo(status, action)) {
    throw new AppError(409, 'TASK_INVALID_STATE', `Không thể ${ACTION_LABELS[action]} khi nhiệm vụ đang ở trạng thái "${STATUS_LABELS[status]}".`, {
      status,
      action,
    });
  }
  return TO[action] ?? status;
}
