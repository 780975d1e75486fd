import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCalendar } from '../../../platform/calendar/calendar.js';
import { AppError } from '../../../platform/errors/errors.js';
import { type ClarityFacts, clarityOf, requireClear } from './clarity.js';
import { issueDueOn, requireWithinParent } from './deadline.js';
import { TASK_STATUSES, type TaskAction, canDo, transition } from './lifecycle.js';
import { checkReport } from './progress.js';
import { rollup, rolledProgressOf } from './rollup.js';
import { type TimelinessFacts, dueOnAt, timelinessAt } from './timeliness.js';

const calendar = createCalendar([]);
const vn = (local: string) => new Date(`${local}+07:00`);

/** Runs `work` and returns the AppError it throws (fails when it throws nothing). */
function refusal(work: () => unknown): AppError {
  try {
    work();
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    return err;
  }
  assert.fail('expected a refusal');
}

describe('clarity: 5 rõ, 6 rõ', () => {
  const clear: ClarityFacts = { title: 'Làm đường', assigneeUserId: 7, leadUnitId: 3, dueOn: '2026-03-31', expectedResult: '9 km đường', authority: null };

  test('a task clear on the five points is issued; "6 rõ" also asks for the authority', () => {
    assert.deepEqual(clarityOf(clear, false), { missing: [], labels: [] });
    assert.deepEqual(clarityOf(clear, true), { missing: ['thamQuyen'], labels: ['rõ thẩm quyền'] });
    assert.deepEqual(clarityOf({ ...clear, authority: 'Chủ tịch UBND tỉnh' }, true).missing, []);
  });

  test('the refusal names every missing point in the table order; blanks count as missing', () => {
    const err = refusal(() => requireClear({ ...clear, dueOn: null, assigneeUserId: null, expectedResult: '  ' }, false));
    assert.equal(err.status, 422);
    assert.equal(err.code, 'TASK_NOT_CLEAR');
    assert.deepEqual((err.details as { missing: string[] }).missing, ['nguoi', 'thoiGian', 'ketQua']);
    assert.equal(err.message, 'Chưa thể ban hành: nhiệm vụ chưa rõ người, rõ thời gian, rõ kết quả / sản phẩm.');
  });

  test('an empty draft lacks everything', () => {
    const empty = { title: null, assigneeUserId: null, leadUnitId: null, dueOn: null, expectedResult: null, authority: null };
    assert.deepEqual(clarityOf(empty, true).missing, ['viec', 'nguoi', 'trachNhiem', 'thoiGian', 'ketQua', 'thamQuyen']);
  });
});

describe('lifecycle', () => {
  test('the legal path: draft → issued → submitted → returned → submitted → completed', () => {
    let s = transition('draft', 'issue');
    assert.equal(s, 'in_progress');
    assert.equal(transition(s, 'report'), 'in_progress');
    s = transition(s, 'submit');
    assert.equal(s, 'submitted');
    s = transition(s, 'return');
    assert.equal(s, 'in_progress');
    s = transition(transition(s, 'submit'), 'accept');
    assert.equal(s, 'completed');
  });

  test('illegal moves are refused with 409 TASK_INVALID_STATE and a Vietnamese reason', () => {
    const cases: [(typeof TASK_STATUSES)[number], TaskAction][] = [
      ['draft', 'accept'],
      ['draft', 'report'],
      ['in_progress', 'accept'],
      ['in_progress', 'issue'],
      ['completed', 'cancel'],
      ['completed', 'report'],
      ['cancelled', 'issue'],
      ['submitted', 'report'],
    ];
    for (const [status, action] of cases) {
      const err = refusal(() => transition(status, action));
      assert.equal(err.status, 409, `${status} ${action}`);
      assert.equal(err.code, 'TASK_INVALID_STATE');
      assert.match(err.message, /^Không thể /);
    }
  });

  test('comments are open in every state; a completed task cannot be cancelled', () => {
    for (const s of TASK_STATUSES) assert.equal(canDo(s, 'comment'), true);
    assert.equal(canDo('completed', 'cancel'), false);
    assert.equal(canDo('draft', 'cancel'), true);
  });
});

describe('timeliness as of an instant', () => {
  // Issued 2 March 2026, due 13 March; an extension approved on 12 March at 10:00 moved it to 20 March.
  const task: TimelinessFacts = {
    issuedAt: vn('2026-03-02T09:00:00'),
    completedAt: null,
    cancelledAt: null,
    dueOn: '2026-03-20',
    dueChangedAt: [vn('2026-03-12T10:00:00')],
    dueBefore: ['2026-03-13'],
  };

  test('the deadline in force is the one before each extension until it was approved', () => {
    assert.equal(dueOnAt(task, vn('2026-03-05T00:00:00')), '2026-03-13');
    assert.equal(dueOnAt(task, vn('2026-03-12T09:59:59')), '2026-03-13');
    assert.equal(dueOnAt(task, vn('2026-03-12T10:00:00')), '2026-03-20');
  });

  test('not issued yet, or cancelled by then: no timeliness', () => {
    assert.equal(timelinessAt(task, vn('2026-03-01T12:00:00')), null);
    assert.equal(timelinessAt({ ...task, issuedAt: null }, vn('2026-03-05T12:00:00')), null);
    const cancelled = { ...task, cancelledAt: vn('2026-03-10T08:00:00') };
    assert.equal(timelinessAt(cancelled, vn('2026-03-09T08:00:00')), 'in_progress_within');
    assert.equal(timelinessAt(cancelled, vn('2026-03-10T08:00:00')), null);
  });

  test('within through 23:59:59.999 of the due day in Vietnam, overdue one millisecond later', () => {
    const plain = { ...task, dueOn: '2026-03-13', dueChangedAt: [], dueBefore: [] };
    assert.equal(timelinessAt(plain, vn('2026-03-13T23:59:59.999')), 'in_progress_within');
    assert.equal(timelinessAt(plain, vn('2026-03-14T00:00:00')), 'in_progress_overdue');
    // 16:59:59.999 UTC is the last instant of 13 March in Vietnam.
    assert.equal(timelinessAt(plain, new Date('2026-03-13T16:59:59.999Z')), 'in_progress_within');
    assert.equal(timelinessAt(plain, new Date('2026-03-13T17:00:00.000Z')), 'in_progress_overdue');
  });

  test('an extension approved late does not undo the overdue days before it', () => {
    const late = { ...task, dueChangedAt: [vn('2026-03-16T10:00:00')] };
    assert.equal(timelinessAt(late, vn('2026-03-15T12:00:00')), 'in_progress_overdue');
    assert.equal(timelinessAt(late, vn('2026-03-16T12:00:00')), 'in_progress_within');
  });

  test('completion is judged by the deadline in force when it was accepted', () => {
    const done = (at: string) => ({ ...task, completedAt: vn(at) });
    assert.equal(timelinessAt(done('2026-03-18T15:00:00'), vn('2026-04-30T00:00:00')), 'completed_on_time');
    assert.equal(timelinessAt(done('2026-03-21T08:00:00'), vn('2026-04-30T00:00:00')), 'completed_late');
    // Before the extension it was due on the 13th: accepted on the 14th, before the approval, is late.
    const early = { ...task, dueChangedAt: [vn('2026-03-16T10:00:00')], completedAt: vn('2026-03-14T09:00:00') };
    assert.equal(timelinessAt(early, vn('2026-04-30T00:00:00')), 'completed_late');
    // As of a day before it was accepted, it was still in progress.
    assert.equal(timelinessAt(done('2026-03-18T15:00:00'), vn('2026-03-10T00:00:00')), 'in_progress_within');
  });
});

describe('deadline checks, across Tết 2026 (16–20 February off)', () => {
  test('a deadline before the issue date is refused', () => {
    const err = refusal(() => issueDueOn(calendar, '2026-02-10', '2026-02-11', true));
    assert.equal(err.status, 422);
    assert.equal(err.code, 'DUE_BEFORE_ISSUE');
    assert.equal(issueDueOn(calendar, '2026-02-11', '2026-02-11', false), '2026-02-11', 'today itself is allowed');
  });

  test('a deadline on Tết is refused with the next working day, Monday 23 February, and moved when confirmed', () => {
    const err = refusal(() => issueDueOn(calendar, '2026-02-17', '2026-02-10', false));
    assert.equal(err.status, 409);
    assert.equal(err.code, 'DUE_NOT_WORKING_DAY');
    assert.deepEqual(err.details, { dueOn: '2026-02-17', suggestedDueOn: '2026-02-23' });
    assert.match(err.message, /Tết Nguyên đán/);
    assert.match(err.message, /23\/02\/2026/);
    assert.equal(issueDueOn(calendar, '2026-02-17', '2026-02-10', true), '2026-02-23');
  });

  test('Saturday 14 February, the weekend before Tết, also moves to 23 February', () => {
    assert.equal(issueDueOn(calendar, '2026-02-14', '2026-02-10', true), '2026-02-23');
    assert.equal(issueDueOn(calendar, '2026-02-13', '2026-02-10', false), '2026-02-13', 'Friday the 13th is a working day');
  });

  test('a sub-task may not be due after its parent', () => {
    requireWithinParent('2026-02-23', '2026-02-23');
    requireWithinParent(null, '2026-02-23');
    const err = refusal(() => requireWithinParent('2026-02-24', '2026-02-23'));
    assert.equal(err.status, 422);
    assert.equal(err.code, 'SUBTASK_DUE_AFTER_PARENT');
  });
});

describe('progress reports', () => {
  test('percentages outside 0–100 or not whole are refused', () => {
    for (const percent of [-1, 101, 50.5, Number.NaN]) {
      const err = refusal(() => checkReport({ percent }, 0));
      assert.equal(err.status, 422);
      assert.equal(err.code, 'PERCENT_OUT_OF_RANGE', String(percent));
    }
    checkReport({ percent: 0 }, 0);
    checkReport({ percent: 100 }, 0);
  });

  test('below the last report needs a reason', () => {
    assert.equal(refusal(() => checkReport({ percent: 40 }, 50)).code, 'PROGRESS_DECREASE_NEEDS_REASON');
    assert.equal(refusal(() => checkReport({ percent: 40, reason: '  ' }, 50)).code, 'PROGRESS_DECREASE_NEEDS_REASON');
    checkReport({ percent: 40, reason: 'Tính lại khối lượng' }, 50);
    checkReport({ percent: 50 }, 50);
  });

  test('the result goes for acceptance only at 100%', () => {
    assert.equal(refusal(() => checkReport({ percent: 90, submit: true }, 50)).code, 'SUBMIT_NEEDS_FULL_PROGRESS');
    checkReport({ percent: 100, submit: true }, 50);
  });
});

describe('weighted roll-up', () => {
  const child = (taskId: number, weight: number, status: string, rolledProgress: number) => ({ taskId, code: `NV-${taskId}`, weight, status, rolledProgress });

  test('hand-computed: weights 2, 1, 1 at 50%, 100% (completed), 0% → (100 + 100 + 0) / 4 = 50%', () => {
    const r = rollup([child(1, 2, 'in_progress', 50), child(2, 1, 'completed', 80), child(3, 1, 'in_progress', 0)]);
    assert.equal(r.weightTotal, 4);
    assert.equal(r.progress, 50);
    assert.deepEqual(
      r.parts.map((p) => [p.taskId, p.share, p.rolledProgress]),
      [
        [1, 0.5, 50],
        [2, 0.25, 100],
        [3, 0.25, 0],
      ],
    );
  });

  test('drafts and cancelled sub-tasks do not count; none counted leaves the task’s own progress', () => {
    const r = rollup([child(1, 3, 'draft', 0), child(2, 1, 'submitted', 100), child(3, 5, 'cancelled', 10)]);
    assert.equal(r.weightTotal, 1);
    assert.equal(r.progress, 100);
    assert.equal(rolledProgressOf(35, [child(1, 1, 'draft', 0)]), 35);
    assert.equal(rolledProgressOf(35, []), 35);
  });

  test('thirds round to two decimals', () => {
    assert.equal(rollup([child(1, 1, 'in_progress', 100), child(2, 1, 'in_progress', 0), child(3, 1, 'in_progress', 0)]).progress, 33.33);
    assert.equal(rollup([child(1, 1.5, 'in_progress', 50), child(2, 0.5, 'in_progress', 10)]).progress, 40);
  });
});
