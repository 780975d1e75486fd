// Deadline checks when a task is issued, split or extended: never before the issue date, on a
// working day (a non-working one is refused with the next working day suggested, and moved only
// when the issuer confirms), and a sub-task never after its parent.

import type { WorkingCalendar } from '../../../platform/calendar/calendar.js';
import { AppError } from '../../../platform/errors/errors.js';

export const formatDateVi = (date: string) => date.split('-').reverse().join('/');

export function requireNotBefore(dueOn: string, today: string): void {
  if (dueOn < today) {
    throw new AppError(422, 'DUE_BEFORE_ISSUE', `Hạn hoàn thành ${formatDateVi(dueOn)} đã qua (trước ngày ban hành ${formatDateVi(today)}). Hãy chọn hạn từ hôm nay trở đi.`, {
      dueOn,
      today,
    });
  }
}

/**
 * The deadline to issue with: `dueOn` itself on a working day; on a day off, 409
 * DUE_NOT_WORKING_DAY with the next working day, or that day when `moveToWorkingDay`.
 */
export function workingDueOn(calendar: WorkingCalendar, dueOn: string, moveToWorkingDay: boolean): string {
  if (calendar.isWorkingDay(dueOn)) return dueOn;
  const suggestedDueOn = calendar.nextWorkingDay(dueOn);
  if (moveToWorkingDay) return suggestedDueOn;
  const day = calendar.dayInfo(dueOn);
  throw new AppError(
    409,
    'DUE_NOT_WORKING_DAY',
    `Hạn hoàn thành ${formatDateVi(dueOn)} là ngày nghỉ${day.name ? ` (${day.name})` : ''}. Ngày làm việc kế tiếp là ${formatDateVi(suggestedDueOn)}: xác nhận để dời hạn sang ngày này.`,
    { dueOn, suggestedDueOn },
  );
}

/** The deadline a task is issued with: checked against today and moved to a working day if confirmed. */
export function issueDueOn(calendar: WorkingCalendar, dueOn: string, today: string, moveToWorkingDay: boolean): string {
  requireNotBefore(dueOn, today);
  return workingDueOn(calendar, dueOn, moveToWorkingDay);
}

/** A sub-task is due by its parent's deadline at the latest. */
export function requireWithinParent(dueOn: string | null, parentDueOn: string | null): void {
  if (dueOn === null || parentDueOn === null || dueOn <= parentDueOn) return;
  throw new AppError(
    422,
    'SUBTASK_DUE_AFTER_PARENT',
    `Hạn của nhiệm vụ con (${formatDateVi(dueOn)}) không được sau hạn của nhiệm vụ cha (${formatDateVi(parentDueOn)}).`,
    { dueOn, parentDueOn },
  );
}
