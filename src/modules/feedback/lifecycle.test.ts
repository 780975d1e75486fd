import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../platform/errors/errors.js';
import {
  type FeedbackAction,
  type FeedbackReport,
  TransitionError,
  allowedActions,
  transition,
} from './lifecycle.js';
import {
  ACTION_LABELS,
  FEEDBACK_ACTIONS,
  FEEDBACK_STATES,
  type FeedbackActionType,
  type FeedbackState,
  OPEN311_STATUS,
  STATE_LABELS,
} from './states.js';

/** An instant given as Vietnamese wall-clock time. */
const vn = (local: string) => new Date(`${local}+07:00`);

const operator = { role: 'operator', userId: 1 } as const;
const unit = { role: 'unit', unitId: 7, userId: 2 } as const;
const otherUnit = { role: 'unit', unitId: 8 } as const;
const reporter = { role: 'reporter' } as const;
const system = { role: 'system' } as const;

const VERIFIED_AT = vn('2026-03-05T09:00:00');
const DEADLINE = vn('2026-03-10T23:59:59.999');
const RESOLVED_AT = vn('2026-03-09T15:00:00');
const NOW = vn('2026-03-09T16:00:00');

/** A consistent report in `state`, as the lifecycle would have left it. */
function buildReport(state: FeedbackState, overrides: Partial<FeedbackReport> = {}): FeedbackReport {
  const verified = state !== 'received' && state !== 'rejected';
  const handled = ['assigned', 'in_progress', 'resolved', 'closed'].includes(state);
  const done = state === 'resolved' || state === 'closed';
  return {
    id: 100,
    state,
    unitId: handled ? 7 : null,
    verifiedAt: verified ? VERIFIED_AT : null,
    deadline: verified ? DEADLINE : null,
    originalDeadline: null,
    pendingExtension: null,
    resolvedAt: done ? RESOLVED_AT : null,
    rating: state === 'closed' ? { value: 'satisfied', comment: null, at: RESOLVED_AT } : null,
    mergedIntoId: state === 'merged' ? 50 : null,
    ...overrides,
  };
}

const pending = { proposedDeadline: vn('2026-03-13T23:59:59.999'), reason: 'Chờ vật tư', requestedAt: VERIFIED_AT };
const notSatisfied = { value: 'not_satisfied', comment: 'Ổ gà vẫn còn', at: RESOLVED_AT } as const;

/** A well-formed action of each type, by the actor entitled to it. */
const VALID: { [T in FeedbackActionType]: Extract<FeedbackAction, { type: T }> } = {
  verify: { type: 'verify', actor: operator, deadline: DEADLINE },
  reject: { type: 'reject', actor: { role: 'operator' }, reason: 'spam', text: 'Nội dung quảng cáo' },
  merge: { type: 'merge', actor: { role: 'operator' }, targetId: 50 },
  assign: { type: 'assign', actor: { role: 'operator' }, unitId: 7 },
  send_back: { type: 'send_back', actor: unit, reason: 'Tuyến đường do tỉnh quản lý' },
  start: { type: 'start', actor: unit },
  request_extension: { type: 'request_extension', actor: unit, proposedDeadline: pending.proposedDeadline, reason: 'Chờ vật tư' },
  decide_extension: { type: 'decide_extension', actor: { role: 'operator' }, decision: 'approve' },
  resolve: { type: 'resolve', actor: unit, answer: 'Đã vá ổ gà', photos: ['file-1'] },
  rate: { type: 'rate', actor: reporter, rating: 'satisfied' },
  reopen: { type: 'reopen', actor: reporter, deadline: vn('2026-03-13T23:59:59.999') },
  close: { type: 'close', actor: system },
};

/** Every legal move: from, action, to, and the report the action's guards need. */
const LEGAL: [FeedbackState, FeedbackActionType, FeedbackState, Partial<FeedbackReport>?][] = [
  ['received', 'verify', 'verified'],
  ['received', 'reject', 'rejected'],
  ['received', 'merge', 'merged'],
  ['verified', 'merge', 'merged'],
  ['verified', 'assign', 'assigned', { unitId: null }],
  ['assigned', 'send_back', 'verified'],
  ['assigned', 'start', 'in_progress'],
  ['assigned', 'request_extension', 'assigned'],
  ['assigned', 'decide_extension', 'assigned', { pendingExtension: pending }],
  ['assigned', 'resolve', 'resolved'],
  ['in_progress', 'send_back', 'verified'],
  ['in_progress', 'request_extension', 'in_progress'],
  ['in_progress', 'decide_extension', 'in_progress', { pendingExtension: pending }],
  ['in_progress', 'resolve', 'resolved'],
  ['resolved', 'rate', 'resolved'],
  ['resolved', 'reopen', 'assigned', { rating: notSatisfied }],
  ['resolved', 'close', 'closed', { rating: notSatisfied }],
  ['closed', 'reopen', 'assigned', { rating: notSatisfied }],
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function refusedWith(call: () => unknown, code: string, message?: RegExp) {
  assert.throws(call, (err: unknown) => {
    assert.ok(err instanceof TransitionError, `expected a TransitionError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe('every legal transition', () => {
  for (const [from, action, to, overrides] of LEGAL) {
    test(`${from} --${action}--> ${to}`, () => {
      const report = buildReport(from, overrides);
      const { report: next, event } = transition(report, VALID[action], NOW);
      assert.equal(next.state, to);
      assert.deepEqual(
        { action: event.action, from: event.from, to: event.to, at: event.at, actor: event.actor },
        { action, from, to, at: NOW, actor: VALID[action].actor },
      );
      assert.equal(report.state, from, 'the input report is not changed');
    });
  }
});

describe('illegal transitions are refused with ILLEGAL_TRANSITION naming the state and the action', () => {
  const legal = new Set(LEGAL.map(([from, action]) => `${from}/${action}`));
  for (const state of FEEDBACK_STATES) {
    for (const action of FEEDBACK_ACTIONS) {
      if (legal.has(`${state}/${action}`)) continue;
      test(`${action} from ${state}`, () => {
        const report = buildReport(state, { pendingExtension: pending, rating: notSatisfied });
        const names = new RegExp(`"${escapeRegExp(ACTION_LABELS[action])}".*"${escapeRegExp(STATE_LABELS[state])}"`);
        refusedWith(() => transition(report, VALID[action], NOW), 'ILLEGAL_TRANSITION', names);
      });
    }
  }

  test('the error is an AppError with status 409 and the state and action in its details', () => {
    try {
      transition(buildReport('closed'), VALID.verify, NOW);
      assert.fail('expected a refusal');
    } catch (err) {
      assert.ok(err instanceof AppError);
      assert.equal(err.status, 409);
      assert.deepEqual(err.details, { state: 'closed', action: 'verify' });
      assert.equal(
        err.message,
        'Không thể "Xác minh" khi phản ánh đang ở trạng thái "Đã đóng". Thao tác này chỉ áp dụng cho phản ánh ở trạng thái "Mới tiếp nhận".',
      );
    }
  });

  test('an unknown action is refused as an illegal transition', () => {
    const bogus = { type: 'delete', actor: operator } as unknown as FeedbackAction;
    refusedWith(() => transition(buildReport('received'), bogus, NOW), 'ILLEGAL_TRANSITION', /"delete".*"Mới tiếp nhận"/);
  });
});

describe('who may act', () => {
  test('a reporter cannot verify; a unit cannot assign', () => {
    refusedWith(() => transition(buildReport('received'), { ...VALID.verify, actor: reporter } as never, NOW), 'ACTOR_NOT_ALLOWED', /cán bộ tiếp nhận/);
    refusedWith(() => transition(buildReport('verified'), { ...VALID.assign, actor: unit } as never, NOW), 'ACTOR_NOT_ALLOWED');
  });

  test('only the assigned unit starts, resolves or sends back (403)', () => {
    for (const action of ['start', 'resolve', 'send_back', 'request_extension'] as const) {
      refusedWith(() => transition(buildReport('assigned'), { ...VALID[action], actor: otherUnit } as FeedbackAction, NOW), 'NOT_ASSIGNED_UNIT');
    }
  });

  test('the system and an operator may close; a unit may not', () => {
    const rated = buildReport('resolved', { rating: notSatisfied });
    assert.equal(transition(rated, { type: 'close', actor: system }, NOW).report.state, 'closed');
    assert.equal(transition(rated, { type: 'close', actor: { role: 'operator' } }, NOW).report.state, 'closed');
    refusedWith(() => transition(rated, { type: 'close', actor: unit } as never, NOW), 'ACTOR_NOT_ALLOWED');
  });
});

describe('guards on the operator actions', () => {
  test('verify records the time and the deadline', () => {
    const { report, event } = transition(buildReport('received'), VALID.verify, NOW);
    assert.deepEqual([report.verifiedAt, report.deadline], [NOW, DEADLINE]);
    assert.deepEqual(event.details, { deadline: DEADLINE });
    refusedWith(() => transition(buildReport('received'), { ...VALID.verify, deadline: new Date(Number.NaN) }, NOW), 'INVALID_DEADLINE');
  });

  test('reject needs one of the three reasons and a text the citizen sees', () => {
    const received = buildReport('received');
    for (const reason of ['spam', 'not_enough_information', 'out_of_scope'] as const) {
      const { event } = transition(received, { ...VALID.reject, reason, text: '  Thiếu địa điểm  ' }, NOW);
      assert.deepEqual(event.details, { reason, text: 'Thiếu địa điểm' });
      assert.equal(event.public, true);
    }
    refusedWith(() => transition(received, { ...VALID.reject, reason: undefined } as never, NOW), 'REASON_REQUIRED');
    refusedWith(() => transition(received, { ...VALID.reject, reason: 'rude' } as never, NOW), 'INVALID_REJECTION_REASON');
    refusedWith(() => transition(received, { ...VALID.reject, text: '   ' }, NOW), 'REASON_REQUIRED');
  });

  test('merge needs a target other than the report itself', () => {
    const { report } = transition(buildReport('verified'), VALID.merge, NOW);
    assert.equal(report.mergedIntoId, 50);
    refusedWith(() => transition(buildReport('received'), { ...VALID.merge, targetId: 100 }, NOW), 'MERGE_INTO_SELF');
    refusedWith(() => transition(buildReport('received'), { ...VALID.merge, targetId: 0 }, NOW), 'MERGE_TARGET_REQUIRED');
  });

  test('assign needs a unit', () => {
    const { report } = transition(buildReport('verified', { unitId: null }), { ...VALID.assign, unitId: 9 }, NOW);
    assert.equal(report.unitId, 9);
    refusedWith(() => transition(buildReport('verified'), { ...VALID.assign, unitId: undefined } as never, NOW), 'UNIT_REQUIRED');
  });
});

describe('send-back by the unit', () => {
  test('returns the report to the operator, unassigned, keeping the deadline; the reason stays internal', () => {
    const { report, event } = transition(buildReport('in_progress', { pendingExtension: pending }), VALID.send_back, NOW);
    assert.equal(report.state, 'verified');
    assert.equal(report.unitId, null);
    assert.equal(report.pendingExtension, null);
    assert.equal(report.deadline, DEADLINE);
    assert.deepEqual(event.details, { unitId: 7, reason: 'Tuyến đường do tỉnh quản lý' });
    assert.equal(event.public, false);
  });

  test('needs a reason; the operator then assigns another unit', () => {
    refusedWith(() => transition(buildReport('assigned'), { ...VALID.send_back, reason: '' }, NOW), 'REASON_REQUIRED');
    const back = transition(buildReport('assigned'), VALID.send_back, NOW).report;
    const again = transition(back, { ...VALID.assign, unitId: 12 }, NOW).report;
    assert.deepEqual([again.state, again.unitId], ['assigned', 12]);
  });
});

describe('extensions', () => {
  test('a request needs a reason and a later deadline', () => {
    const assigned = buildReport('assigned');
    refusedWith(() => transition(assigned, { ...VALID.request_extension, reason: ' ' }, NOW), 'REASON_REQUIRED');
    refusedWith(() => transition(assigned, { ...VALID.request_extension, proposedDeadline: DEADLINE }, NOW), 'EXTENSION_NOT_LATER', /10\/03\/2026/);
    const { report, event } = transition(assigned, VALID.request_extension, NOW);
    assert.deepEqual(report.pendingExtension, { proposedDeadline: pending.proposedDeadline, reason: 'Chờ vật tư', requestedAt: NOW });
    assert.equal(report.deadline, DEADLINE, 'the deadline moves only on approval');
    assert.equal(event.public, false);
  });

  test('only one request may be pending at a time', () => {
    const waiting = transition(buildReport('in_progress'), VALID.request_extension, NOW).report;
    refusedWith(() => transition(waiting, VALID.request_extension, NOW), 'EXTENSION_PENDING');
    const refused = transition(waiting, { type: 'decide_extension', actor: operator, decision: 'refuse', reason: 'Việc đơn giản' }, NOW).report;
    assert.equal(transition(refused, VALID.request_extension, NOW).report.pendingExtension?.reason, 'Chờ vật tư');
  });

  test('approval moves the deadline and keeps the original one, also across two extensions', () => {
    const first = transition(buildReport('in_progress', { pendingExtension: pending }), VALID.decide_extension, NOW);
    assert.deepEqual([first.report.deadline, first.report.originalDeadline, first.report.pendingExtension], [pending.proposedDeadline, DEADLINE, null]);
    assert.deepEqual(first.event.details, { decision: 'approve', deadline: pending.proposedDeadline, previousDeadline: DEADLINE });
    const later = { ...pending, proposedDeadline: vn('2026-03-20T23:59:59.999') };
    const second = transition({ ...first.report, pendingExtension: later }, VALID.decide_extension, NOW).report;
    assert.deepEqual([second.deadline, second.originalDeadline], [later.proposedDeadline, DEADLINE]);
  });

  test('a refusal needs a reason and leaves the deadline; no decision without a request', () => {
    const waiting = buildReport('assigned', { pendingExtension: pending });
    refusedWith(() => transition(waiting, { ...VALID.decide_extension, decision: 'refuse' }, NOW), 'REASON_REQUIRED');
    const { report } = transition(waiting, { ...VALID.decide_extension, decision: 'refuse', reason: 'Không có căn cứ' }, NOW);
    assert.deepEqual([report.deadline, report.originalDeadline, report.pendingExtension], [DEADLINE, null, null]);
    refusedWith(() => transition(buildReport('assigned'), VALID.decide_extension, NOW), 'NO_PENDING_EXTENSION');
  });
});

describe('resolution and rating', () => {
  test('resolve needs an answer; photos are optional', () => {
    refusedWith(() => transition(buildReport('in_progress'), { ...VALID.resolve, answer: '' }, NOW), 'ANSWER_REQUIRED');
    const { report, event } = transition(buildReport('in_progress', { pendingExtension: pending }), { type: 'resolve', actor: unit, answer: 'Đã xử lý' }, NOW);
    assert.deepEqual([report.resolvedAt, report.pendingExtension], [NOW, null]);
    assert.deepEqual(event.details, { answer: 'Đã xử lý', photos: [] });
  });

  test('not satisfied needs a comment; satisfied does not; a report is rated once', () => {
    const resolved = buildReport('resolved');
    refusedWith(() => transition(resolved, { type: 'rate', actor: reporter, rating: 'not_satisfied', comment: ' ' }, NOW), 'COMMENT_REQUIRED');
    const rated = transition(resolved, { type: 'rate', actor: reporter, rating: 'not_satisfied', comment: 'Chưa sạch' }, NOW).report;
    assert.deepEqual(rated.rating, { value: 'not_satisfied', comment: 'Chưa sạch', at: NOW });
    assert.equal(transition(resolved, VALID.rate, NOW).report.rating?.comment, null);
    refusedWith(() => transition(rated, VALID.rate, NOW), 'ALREADY_RATED');
  });
});

describe('reopen within 7 days of the resolution (resolved 09/03 → until the end of 16/03)', () => {
  const lastInstant = vn('2026-03-16T23:59:59.999');
  const justAfter = new Date(lastInstant.getTime() + 1);

  test('a dissatisfied reporter reopens up to the last instant, back to the same unit with a new deadline', () => {
    const newDeadline = vn('2026-03-19T23:59:59.999');
    for (const state of ['resolved', 'closed'] as const) {
      const { report, event } = transition(buildReport(state, { rating: notSatisfied }), { ...VALID.reopen, deadline: newDeadline }, lastInstant);
      assert.deepEqual(
        [report.state, report.unitId, report.deadline, report.resolvedAt, report.rating],
        ['assigned', 7, newDeadline, null, null],
      );
      assert.equal(event.details.comment, 'Ổ gà vẫn còn');
    }
  });

  test('one millisecond later the window is closed', () => {
    refusedWith(() => transition(buildReport('closed', { rating: notSatisfied }), VALID.reopen, justAfter), 'REOPEN_WINDOW_CLOSED', /16\/03\/2026/);
  });

  test('only after a "not satisfied" rating', () => {
    refusedWith(() => transition(buildReport('resolved'), VALID.reopen, NOW), 'NOT_SATISFIED_REQUIRED');
    refusedWith(() => transition(buildReport('closed'), VALID.reopen, NOW), 'NOT_SATISFIED_REQUIRED');
  });

  test('an unrated report closes only once the window is over; a rated one at once', () => {
    refusedWith(() => transition(buildReport('resolved'), VALID.close, lastInstant), 'CLOSE_TOO_EARLY', /16\/03\/2026/);
    assert.equal(transition(buildReport('resolved'), VALID.close, justAfter).report.state, 'closed');
    const rated = buildReport('resolved', { rating: { value: 'satisfied', comment: null, at: NOW } });
    assert.equal(transition(rated, VALID.close, NOW).report.state, 'closed');
  });
});

describe('allowedActions (the buttons each actor sees)', () => {
  test('the operator on a new report; the unit on an assigned one; another unit on none', () => {
    assert.deepEqual(allowedActions(buildReport('received'), operator, NOW), ['verify', 'reject', 'merge']);
    assert.deepEqual(allowedActions(buildReport('verified', { unitId: null }), operator, NOW), ['merge', 'assign']);
    assert.deepEqual(allowedActions(buildReport('assigned'), unit, NOW), ['send_back', 'start', 'request_extension', 'resolve']);
    assert.deepEqual(allowedActions(buildReport('assigned'), otherUnit, NOW), []);
    assert.deepEqual(allowedActions(buildReport('assigned'), reporter, NOW), []);
  });

  test('a pending extension hides a second request and shows the operator the decision', () => {
    const waiting = buildReport('in_progress', { pendingExtension: pending });
    assert.deepEqual(allowedActions(waiting, unit, NOW), ['send_back', 'resolve']);
    assert.deepEqual(allowedActions(waiting, operator, NOW), ['decide_extension']);
  });

  test('the reporter rates, then reopens within the window; the system closes after it', () => {
    assert.deepEqual(allowedActions(buildReport('resolved'), reporter, NOW), ['rate']);
    const unhappy = buildReport('resolved', { rating: notSatisfied });
    assert.deepEqual(allowedActions(unhappy, reporter, NOW), ['reopen']);
    assert.deepEqual(allowedActions(unhappy, reporter, vn('2026-03-17T00:00:00')), []);
    assert.deepEqual(allowedActions(buildReport('resolved'), system, NOW), []);
    assert.deepEqual(allowedActions(buildReport('resolved'), system, vn('2026-03-17T00:00:00')), ['close']);
  });
});

describe('labels and Open311', () => {
  test('every state and action has a Vietnamese label', () => {
    for (const state of FEEDBACK_STATES) assert.ok(STATE_LABELS[state]);
    for (const action of FEEDBACK_ACTIONS) assert.ok(ACTION_LABELS[action]);
  });

  test('reports being handled are open; resolved, closed, rejected and merged ones are closed', () => {
    const open = FEEDBACK_STATES.filter((s) => OPEN311_STATUS[s] === 'open');
    assert.deepEqual(open, ['received', 'verified', 'assigned', 'in_progress']);
    assert.ok(FEEDBACK_STATES.every((s) => ['open', 'closed'].includes(OPEN311_STATUS[s])));
  });
});
