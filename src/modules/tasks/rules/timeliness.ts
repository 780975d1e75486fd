// On time or late, as of any instant T (the reports to the superior level): the deadline in
// force at T is due_before[i] of the first due_changed_at[i] > T (an extension approved after T
// had not yet replaced it), else due_on. A task is late after the end of that day in
// Asia/Ho_Chi_Minh. Its SQL twin is task_timeliness() (migrations/012_tasks.sql); the
// integration tests keep the two in agreement.

import { endOfBusinessDay } from '../../../platform/calendar/businessTime.js';

export const TIMELINESS = ['completed_on_time', 'completed_late', 'in_progress_within', 'in_progress_overdue'] as const;
export type Timeliness = (typeof TIMELINESS)[number];

export const TIMELINESS_LABELS: Record<Timeliness, string> = {
  completed_on_time: 'Hoàn thành đúng hạn',
  completed_late: 'Hoàn thành quá hạn',
  in_progress_within: 'Đang thực hiện trong hạn',
  in_progress_overdue: 'Đang thực hiện quá hạn',
};

export interface TimelinessFacts {
  issuedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  dueOn: string | null;
  /** When each approved extension took effect, oldest first. */
  dueChangedAt: Date[];
  /** The deadline each extension replaced. */
  dueBefore: string[];
}

/** The deadline in force at `at`. */
export function dueOnAt(task: Pick<TimelinessFacts, 'dueOn' | 'dueChangedAt' | 'dueBefore'>, at: Date): string | null {
  for (let i = 0; i < task.dueChangedAt.length; i++) {
    if (task.dueChangedAt[i].getTime() > at.getTime()) return task.dueBefore[i];
  }
  return task.dueOn;
}

/** Past the end of the due day in Vietnam. */
const pastDue = (dueOn: string | null, at: Date) => dueOn !== null && at.getTime() > endOfBusinessDay(dueOn).getTime();

/** Null when the task was not issued by `at`, or was cancelled by then. */
export function timelinessAt(task: TimelinessFacts, at: Date): Timeliness | null {
  if (!task.issuedAt || task.issuedAt.getTime() > at.getTime()) return null;
  if (task.completedAt && task.completedAt.getTime() <= at.getTime()) {
    return pastDue(dueOnAt(task, task.completedAt), task.completedAt) ? 'completed_late' : 'completed_on_time';
  }
  if (task.cancelledAt && task.cancelledAt.getTime() <= at.getTime()) return null;
  return pastDue(dueOnAt(task, at), at) ? 'in_progress_overdue' : 'in_progress_within';
}
