// The vocabulary of a citizen report (phản ánh hiện trường): its states, the actions that move it,
// who may act, and the Vietnamese words the UI and the public page show for each.

export const FEEDBACK_STATES = [
  'received',
  'verified',
  'rejected',
  'assigned',
  'in_progress',
  'resolved',
  'closed',
  'merged',
] as const;
export type FeedbackState = (typeof FEEDBACK_STATES)[number];

export const FEEDBACK_ACTIONS = [
  'verify',
  'reject',
  'merge',
  'assign',
  'send_back',
  'start',
  'request_extension',
  'decide_extension',
  'resolve',
  'rate',
  'reopen',
  'close',
] as const;
export type FeedbackActionType = (typeof FEEDBACK_ACTIONS)[number];

/**
 * Who acts on a report. `operator` is the operations-centre staff who verify and route reports
 * (cán bộ tiếp nhận, điều phối); `unit` the handling unit (đơn vị xử lý); `reporter` the citizen
 * who sent it; `system` the scheduled jobs.
 */
export const ACTOR_ROLES = ['operator', 'unit', 'reporter', 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/** Why an operator refuses a report; the citizen sees the label and the operator's text. */
export const REJECTION_REASONS = ['spam', 'not_enough_information', 'out_of_scope'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const RATINGS = ['satisfied', 'not_satisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export const STATE_LABELS: Record<FeedbackState, string> = {
  received: 'Mới tiếp nhận',
  verified: 'Đã xác minh',
  rejected: 'Đã từ chối',
  assigned: 'Đã giao xử lý',
  in_progress: 'Đang xử lý',
  resolved: 'Đã xử lý',
  closed: 'Đã đóng',
  merged: 'Đã gộp (trùng lặp)',
};

export const ACTION_LABELS: Record<FeedbackActionType, string> = {
  verify: 'Xác minh',
  reject: 'Từ chối',
  merge: 'Gộp vào phản ánh khác',
  assign: 'Giao xử lý',
  send_back: 'Trả lại (không thuộc thẩm quyền)',
  start: 'Bắt đầu xử lý',
  request_extension: 'Xin gia hạn',
  decide_extension: 'Xét duyệt gia hạn',
  resolve: 'Trả lời kết quả xử lý',
  rate: 'Đánh giá',
  reopen: 'Mở lại',
  close: 'Đóng phản ánh',
};

export const ACTOR_LABELS: Record<ActorRole, string> = {
  operator: 'cán bộ tiếp nhận',
  unit: 'đơn vị được giao xử lý',
  reporter: 'người phản ánh',
  system: 'hệ thống',
};

export const REJECTION_REASON_LABELS: Record<RejectionReason, string> = {
  spam: 'Tin rác',
  not_enough_information: 'Không đủ thông tin',
  out_of_scope: 'Không thuộc phạm vi tiếp nhận',
};

export const RATING_LABELS: Record<Rating, string> = {
  satisfied: 'Hài lòng',
  not_satisfied: 'Không hài lòng',
};

/**
 * Open311 GeoReport v2 knows only `open` and `closed` ("closed: it has been resolved"); the
 * detail goes to `status_notes`. A resolved report is closed there even while it awaits the
 * citizen's rating, and becomes open again if the citizen reopens it.
 */
export const OPEN311_STATUS: Record<FeedbackState, 'open' | 'closed'> = {
  received: 'open',
  verified: 'open',
  assigned: 'open',
  in_progress: 'open',
  resolved: 'closed',
  closed: 'closed',
  rejected: 'closed',
  merged: 'closed',
};
