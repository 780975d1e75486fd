// The lifecycle of a citizen report as a pure state machine: `transition` checks an action against
// the report and returns the report's new fields with the timeline event to record; the service
// persists both and writes the audit log. `allowedActions` answers which buttons an actor sees.

import { AppError } from '../../platform/errors/errors.js';
import { businessDateOf, endOfDayAfter, formatDateVi } from './deadline.js';
import {
  ACTION_LABELS,
  ACTOR_LABELS,
  type ActorRole,
  FEEDBACK_ACTIONS,
  type FeedbackActionType,
  type FeedbackState,
  REJECTION_REASONS,
  RATINGS,
  type Rating,
  type RejectionReason,
  STATE_LABELS,
} from './states.js';

/** Days after the day of resolution during which a dissatisfied reporter may reopen; after them an unrated report closes. */
export const REOPEN_WINDOW_DAYS = 7;

export type FeedbackActor =
  | { role: 'operator'; userId?: number }
  | { role: 'unit'; unitId: number; userId?: number }
  | { role: 'reporter' }
  | { role: 'system' };

export interface PendingExtension {
  proposedDeadline: Date;
  reason: string;
  requestedAt: Date;
}

export interface ReporterRating {
  value: Rating;
  comment: string | null;
  at: Date;
}

/** The fields of a report that its lifecycle reads and writes. */
export interface FeedbackReport {
  id: number;
  state: FeedbackState;
  /** The handling unit (đơn vị xử lý); kept from assignment until a send-back. */
  unitId: number | null;
  verifiedAt: Date | null;
  /** hạn xử lý: the end of the last working day, see deadline.ts. */
  deadline: Date | null;
  /** The deadline set at verification, kept once an extension has moved `deadline`. */
  originalDeadline: Date | null;
  pendingExtension: PendingExtension | null;
  resolvedAt: Date | null;
  rating: ReporterRating | null;
  mergedIntoId: number | null;
}

type By<R extends ActorRole> = { actor: Extract<FeedbackActor, { role: R }> };
type CloseActor = FeedbackActor & { role: 'operator' | 'system' };

/** What an actor asks. Deadlines are computed by the caller with deadline.ts (`handlingDeadline`, `deadlineOn`). */
export type FeedbackAction =
  | ({ type: 'verify'; deadline: Date } & By<'operator'>)
  | ({ type: 'reject'; reason: RejectionReason; text: string } & By<'operator'>)
  | ({ type: 'merge'; targetId: number } & By<'operator'>)
  | ({ type: 'assign'; unitId: number } & By<'operator'>)
  | ({ type: 'send_back'; reason: string } & By<'unit'>)
  | ({ type: 'start' } & By<'unit'>)
  | ({ type: 'request_extension'; proposedDeadline: Date; reason: string } & By<'unit'>)
  | ({ type: 'decide_extension'; decision: 'approve' | 'refuse'; reason?: string } & By<'operator'>)
  | ({ type: 'resolve'; answer: string; photos?: string[] } & By<'unit'>)
  | ({ type: 'rate'; rating: Rating; comment?: string } & By<'reporter'>)
  | ({ type: 'reopen'; deadline: Date } & By<'reporter'>)
  | { type: 'close'; actor: CloseActor };

export type TimelineDetails = Record<string, string | number | Date | string[] | null>;

export interface TimelineEvent {
  action: FeedbackActionType;
  from: FeedbackState;
  to: FeedbackState;
  at: Date;
  actor: FeedbackActor;
  /** Shown on the citizen's public page; send-backs and extension requests stay internal. */
  public: boolean;
  details: TimelineDetails;
}

export interface TransitionResult {
  report: FeedbackReport;
  event: TimelineEvent;
}

const ERROR_STATUS = {
  ILLEGAL_TRANSITION: 409,
  ACTOR_NOT_ALLOWED: 403,
  NOT_ASSIGNED_UNIT: 403,
  REASON_REQUIRED: 400,
  INVALID_REJECTION_REASON: 400,
  MERGE_TARGET_REQUIRED: 400,
  MERGE_INTO_SELF: 400,
  UNIT_REQUIRED: 400,
  INVALID_DEADLINE: 400,
  EXTENSION_PENDING: 409,
  NO_PENDING_EXTENSION: 409,
  EXTENSION_NOT_LATER: 400,
  INVALID_DECISION: 400,
  ANSWER_REQUIRED: 400,
  INVALID_PHOTOS: 400,
  INVALID_RATING: 400,
  COMMENT_REQUIRED: 400,
  ALREADY_RATED: 409,
  NOT_SATISFIED_REQUIRED: 409,
  REOPEN_WINDOW_CLOSED: 409,
  CLOSE_TOO_EARLY: 409,
} as const;
export type TransitionErrorCode = keyof typeof ERROR_STATUS;

/** A refused action, in the platform's one error family (HTTP status, stable code, Vietnamese message). */
export class TransitionError extends AppError {
  declare readonly code: TransitionErrorCode;

  constructor(code: TransitionErrorCode, message: string, state: FeedbackState, action: string) {
    super(ERROR_STATUS[code], code, message, { state, action });
    this.name = 'TransitionError';
  }
}

type Refusal = { code: TransitionErrorCode; message: string };
type Outcome = { to?: FeedbackState; changes?: Partial<FeedbackReport>; details?: TimelineDetails; public?: boolean };
type ActionOf<T extends FeedbackActionType> = Extract<FeedbackAction, { type: T }>;

interface Rule<T extends FeedbackActionType> {
  from: readonly FeedbackState[];
  actors: readonly ActorRole[];
  /** Guards on the report and the time alone: they also decide whether the action is offered. */
  check?: (report: FeedbackReport, at: Date) => Refusal | null;
  /** Guards on the action's input (see `refuse`), then the outcome. */
  apply: (report: FeedbackReport, action: ActionOf<T>, at: Date) => Outcome;
}

/** Carries a refusal out of a rule's `apply` to `transition`, which turns it into a TransitionError. */
class RefusalSignal extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

const refuse = (code: TransitionErrorCode, message: string): never => {
  throw new RefusalSignal({ code, message });
};

function text(value: unknown, code: TransitionErrorCode, message: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return refuse(code, message);
}

function validDate(value: unknown, message: string): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  return refuse('INVALID_DEADLINE', message);
}

const reopenWindowEnd = (report: FeedbackReport) =>
  report.resolvedAt ? endOfDayAfter(report.resolvedAt, REOPEN_WINDOW_DAYS) : null;

const RULES: { [T in FeedbackActionType]: Rule<T> } = {
  verify: {
    from: ['received'],
    actors: ['operator'],
    apply: (_, { deadline }, at) => ({
      to: 'verified',
      changes: { verifiedAt: at, deadline: validDate(deadline, 'Hạn xử lý không hợp lệ.'), originalDeadline: null },
      details: { deadline },
    }),
  },
  reject: {
    from: ['received'],
    actors: ['operator'],
    apply: (_, action) => {
      const reasonMissing = 'Vui lòng chọn lý do từ chối và nhập nội dung thông báo cho người phản ánh.';
      if (action.reason === undefined || action.reason === null) refuse('REASON_REQUIRED', reasonMissing);
      if (!REJECTION_REASONS.includes(action.reason)) {
        refuse('INVALID_REJECTION_REASON', 'Lý do từ chối phải là: tin rác, không đủ thông tin hoặc không thuộc phạm vi tiếp nhận.');
      }
      return { to: 'rejected', details: { reason: action.reason, text: text(action.text, 'REASON_REQUIRED', reasonMissing) } };
    },
  },
  merge: {
    from: ['received', 'verified'],
    actors: ['operator'],
    apply: (report, { targetId }) => {
      if (!Number.isSafeInteger(targetId) || targetId < 1) refuse('MERGE_TARGET_REQUIRED', 'Vui lòng chọn phản ánh gốc để gộp vào.');
      if (targetId === report.id) refuse('MERGE_INTO_SELF', 'Không thể gộp một phản ánh vào chính nó; hãy chọn phản ánh gốc khác.');
      return { to: 'merged', changes: { mergedIntoId: targetId }, details: { targetId } };
    },
  },
  assign: {
    from: ['verified'],
    actors: ['operator'],
    apply: (_, { unitId }) => {
      if (!Number.isSafeInteger(unitId) || unitId < 1) refuse('UNIT_REQUIRED', 'Vui lòng chọn đơn vị xử lý.');
      return { to: 'assigned', changes: { unitId }, details: { unitId } };
    },
  },
  send_back: {
    from: ['assigned', 'in_progress'],
    actors: ['unit'],
    apply: (report, action) => ({
      to: 'verified',
      changes: { unitId: null, pendingExtension: null },
      details: {
        unitId: report.unitId,
        reason: text(action.reason, 'REASON_REQUIRED', 'Vui lòng nêu lý do trả lại (vì sao phản ánh không thuộc thẩm quyền của đơn vị).'),
      },
      public: false,
    }),
  },
  start: {
    from: ['assigned'],
    actors: ['unit'],
    apply: () => ({ to: 'in_progress' }),
  },
  request_extension: {
    from: ['assigned', 'in_progress'],
    actors: ['unit'],
    check: (report) =>
      report.pendingExtension
        ? { code: 'EXTENSION_PENDING', message: 'Đã có một đề nghị gia hạn đang chờ duyệt; hãy chờ kết quả trước khi đề nghị tiếp.' }
        : null,
    apply: (report, action, at) => {
      const reason = text(action.reason, 'REASON_REQUIRED', 'Vui lòng nêu lý do xin gia hạn.');
      const proposed = validDate(action.proposedDeadline, 'Vui lòng chọn hạn mới đề nghị.');
      if (report.deadline && proposed.getTime() <= report.deadline.getTime()) {
        refuse('EXTENSION_NOT_LATER', `Hạn mới đề nghị phải sau hạn hiện tại (${formatDateVi(businessDateOf(report.deadline))}).`);
      }
      return {
        changes: { pendingExtension: { proposedDeadline: proposed, reason, requestedAt: at } },
        details: { proposedDeadline: proposed, reason, deadline: report.deadline },
        public: false,
      };
    },
  },
  decide_extension: {
    from: ['assigned', 'in_progress'],
    actors: ['operator'],
    check: (report) =>
      report.pendingExtension ? null : { code: 'NO_PENDING_EXTENSION', message: 'Phản ánh này không có đề nghị gia hạn nào đang chờ duyệt.' },
    apply: (report, action): Outcome => {
      const pending = report.pendingExtension!;
      if (action.decision === 'refuse') {
        const reason = text(action.reason, 'REASON_REQUIRED', 'Vui lòng nêu lý do không đồng ý gia hạn.');
        return { changes: { pendingExtension: null }, details: { decision: 'refuse', reason }, public: false };
      }
      if (action.decision !== 'approve') refuse('INVALID_DECISION', 'Vui lòng chọn đồng ý hoặc không đồng ý gia hạn.');
      return {
        changes: {
          deadline: pending.proposedDeadline,
          originalDeadline: report.originalDeadline ?? report.deadline,
          pendingExtension: null,
        },
        details: { decision: 'approve', deadline: pending.proposedDeadline, previousDeadline: report.deadline },
      };
    },
  },
  resolve: {
    from: ['assigned', 'in_progress'],
    actors: ['unit'],
    apply: (_, action, at) => {
      const answer = text(action.answer, 'ANSWER_REQUIRED', 'Vui lòng nhập nội dung trả lời kết quả xử lý cho người phản ánh.');
      const photos = action.photos ?? [];
      if (!Array.isArray(photos) || photos.some((p) => typeof p !== 'string' || p === '')) {
        refuse('INVALID_PHOTOS', 'Danh sách ảnh kết quả xử lý không hợp lệ.');
      }
      return { to: 'resolved', changes: { resolvedAt: at, pendingExtension: null }, details: { answer, photos } };
    },
  },
  rate: {
    from: ['resolved'],
    actors: ['reporter'],
    check: (report) =>
      report.rating ? { code: 'ALREADY_RATED', message: 'Bạn đã đánh giá kết quả xử lý của phản ánh này.' } : null,
    apply: (_, action, at) => {
      if (!RATINGS.includes(action.rating)) refuse('INVALID_RATING', 'Vui lòng chọn "Hài lòng" hoặc "Không hài lòng".');
      const comment =
        action.rating === 'not_satisfied'
          ? text(action.comment, 'COMMENT_REQUIRED', 'Vui lòng cho biết vì sao bạn chưa hài lòng với kết quả xử lý.')
          : action.comment?.trim() || null;
      return { changes: { rating: { value: action.rating, comment, at } }, details: { rating: action.rating, comment } };
    },
  },
  reopen: {
    from: ['resolved', 'closed'],
    actors: ['reporter'],
    check: (report, at) => {
      if (report.rating?.value !== 'not_satisfied') {
        return { code: 'NOT_SATISFIED_REQUIRED', message: 'Chỉ mở lại được phản ánh khi bạn đã đánh giá "Không hài lòng" với kết quả xử lý.' };
      }
      const end = reopenWindowEnd(report);
      if (!end || at.getTime() > end.getTime()) {
        const limit = end ? ` (hết ngày ${formatDateVi(businessDateOf(end))})` : '';
        return { code: 'REOPEN_WINDOW_CLOSED', message: `Đã quá ${REOPEN_WINDOW_DAYS} ngày kể từ khi có kết quả xử lý${limit}; không thể mở lại. Bạn có thể gửi phản ánh mới.` };
      }
      return null;
    },
    apply: (report, { deadline }) => ({
      to: 'assigned',
      changes: {
        deadline: validDate(deadline, 'Hạn xử lý không hợp lệ.'),
        originalDeadline: null,
        resolvedAt: null,
        rating: null,
      },
      details: { unitId: report.unitId, deadline, previousDeadline: report.deadline, comment: report.rating?.comment ?? null },
    }),
  },
  close: {
    from: ['resolved'],
    actors: ['system', 'operator'],
    check: (report, at) => {
      const end = reopenWindowEnd(report);
      if (report.rating || (end && at.getTime() > end.getTime())) return null;
      const after = end ? ` hoặc sau ngày ${formatDateVi(businessDateOf(end))}` : '';
      return { code: 'CLOSE_TOO_EARLY', message: `Chỉ đóng phản ánh sau khi người phản ánh đánh giá${after}.` };
    },
    apply: (report) => ({ to: 'closed', details: { rating: report.rating?.value ?? null } }),
  },
};

function isAction(type: unknown): type is FeedbackActionType {
  return typeof type === 'string' && (FEEDBACK_ACTIONS as readonly string[]).includes(type);
}

/** The first reason the actor may not take the action now, whatever its input; null when it may. */
function refusal(report: FeedbackReport, type: FeedbackActionType, actor: FeedbackActor, at: Date): Refusal | null {
  const rule = RULES[type] as Rule<FeedbackActionType>;
  const label = `"${ACTION_LABELS[type]}"`;
  if (!rule.from.includes(report.state)) {
    const from = rule.from.map((s) => `"${STATE_LABELS[s]}"`).join(', ');
    return {
      code: 'ILLEGAL_TRANSITION',
      message: `Không thể ${label} khi phản ánh đang ở trạng thái "${STATE_LABELS[report.state]}". Thao tác này chỉ áp dụng cho phản ánh ở trạng thái ${from}.`,
    };
  }
  if (!rule.actors.includes(actor?.role)) {
    const who = rule.actors.map((r) => ACTOR_LABELS[r]).join(' hoặc ');
    return { code: 'ACTOR_NOT_ALLOWED', message: `Thao tác ${label} chỉ dành cho ${who}.` };
  }
  if (actor.role === 'unit' && actor.unitId !== report.unitId) {
    return { code: 'NOT_ASSIGNED_UNIT', message: `Chỉ đơn vị được giao xử lý phản ánh này mới được thực hiện thao tác ${label}.` };
  }
  return rule.check?.(report, at) ?? null;
}

/**
 * Applies `action` at time `at`. Returns the report with its new state and fields, and the event
 * for the timeline; throws a TransitionError when the action is not allowed.
 */
export function transition(report: FeedbackReport, action: FeedbackAction, at: Date): TransitionResult {
  if (Number.isNaN(at.getTime())) throw new RangeError('Invalid Date for a feedback transition');
  const type: unknown = action?.type;
  if (!isAction(type)) {
    throw new TransitionError('ILLEGAL_TRANSITION', `Thao tác ${JSON.stringify(type)} không tồn tại (phản ánh đang ở trạng thái "${STATE_LABELS[report.state]}").`, report.state, String(type));
  }
  const fail = ({ code, message }: Refusal) => new TransitionError(code, message, report.state, type);
  const refused = refusal(report, type, action.actor, at);
  if (refused) throw fail(refused);

  let outcome: Outcome;
  try {
    outcome = (RULES[type] as Rule<FeedbackActionType>).apply(report, action, at);
  } catch (err) {
    throw err instanceof RefusalSignal ? fail(err.refusal) : err;
  }
  const to = outcome.to ?? report.state;
  return {
    report: { ...report, ...outcome.changes, state: to },
    event: { action: type, from: report.state, to, at, actor: action.actor, public: outcome.public ?? true, details: outcome.details ?? {} },
  };
}

/** The actions `actor` may take on the report at `at`, in lifecycle order: the UI's buttons. */
export function allowedActions(report: FeedbackReport, actor: FeedbackActor, at: Date): FeedbackActionType[] {
  return FEEDBACK_ACTIONS.filter((type) => refusal(report, type, actor, at) === null);
}
