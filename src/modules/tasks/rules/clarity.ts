// "5 rõ" (and "6 rõ" when the locality turns it on): a task is issued only when it is clear on
// every point. The keys are the API's; the labels are how the refusal names them.

import { AppError } from '../../../platform/errors/errors.js';

export const CLEAR_KEYS = ['viec', 'nguoi', 'trachNhiem', 'thoiGian', 'ketQua', 'thamQuyen'] as const;
export type ClearKey = (typeof CLEAR_KEYS)[number];

export const CLEAR_LABELS: Record<ClearKey, string> = {
  viec: 'rõ việc',
  nguoi: 'rõ người',
  trachNhiem: 'rõ trách nhiệm',
  thoiGian: 'rõ thời gian',
  ketQua: 'rõ kết quả / sản phẩm',
  thamQuyen: 'rõ thẩm quyền',
};

/** The fields a clear is judged on. */
export interface ClarityFacts {
  title: string | null;
  assigneeUserId: number | null;
  leadUnitId: number | null;
  dueOn: string | null;
  expectedResult: string | null;
  authority: string | null;
}

const blank = (text: string | null) => text === null || text.trim() === '';

/** The clears the task lacks, in the table's order; "rõ thẩm quyền" only with six clears on. */
export function missingClears(task: ClarityFacts, sixClears: boolean): ClearKey[] {
  const missing: ClearKey[] = [];
  if (blank(task.title)) missing.push('viec');
  if (task.assigneeUserId === null) missing.push('nguoi');
  if (task.leadUnitId === null) missing.push('trachNhiem');
  if (task.dueOn === null) missing.push('thoiGian');
  if (blank(task.expectedResult)) missing.push('ketQua');
  if (sixClears && blank(task.authority)) missing.push('thamQuyen');
  return missing;
}

export function clarityOf(task: ClarityFacts, sixClears: boolean): { missing: ClearKey[]; labels: string[] } {
  const missing = missingClears(task, sixClears);
  return { missing, labels: missing.map((k) => CLEAR_LABELS[k]) };
}

/** Throws 422 TASK_NOT_CLEAR naming every missing clear. */
export function requireClear(task: ClarityFacts, sixClears: boolean): void {
  const missing = missingClears(task, sixClears);
  if (missing.length === 0) return;
  throw new AppError(422, 'TASK_NOT_CLEAR', `Chưa thể ban hành: nhiệm vụ chưa ${missing.map((k) => CLEAR_LABELS[k]).join(', ')}.`, { missing });
}
