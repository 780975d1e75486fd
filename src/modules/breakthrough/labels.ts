import { type Timeliness, TIMELINESS_LABELS } from '../tasks/rules/timeliness.js';
import type { RegistrationStatus, ReviewResult } from './schemas.js';

export const REGISTRATION_STATUS_LABELS: Record<RegistrationStatus, string> = {
  draft: 'Dự thảo',
  submitted: 'Đã trình',
  returned: 'Bị trả lại',
  resubmitted: 'Đã trình lại',
  approved: 'Đã phê duyệt',
};

export const REVIEW_LABELS: Record<ReviewResult, string> = {
  achieved: 'Hoàn thành',
  partly: 'Hoàn thành một phần',
  not: 'Không hoàn thành',
};

export const timelinessLabel = (t: string | null | undefined) => (t ? (TIMELINESS_LABELS[t as Timeliness] ?? t) : '');
