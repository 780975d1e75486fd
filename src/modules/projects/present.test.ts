import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type TaskLink, obstacleState } from './present.js';

const task = (status: string, timeliness: string | null): TaskLink => ({ id: 1, code: 'NV-2021-000001', status, timeliness, dueOn: '2021-12-24', progress: 0 });
const open = { status: 'open', due_on: '2021-12-24' };

test('an obstacle is overdue by its live task, whose deadline may have been extended', () => {
  assert.deepEqual(obstacleState(open, task('in_progress', 'in_progress_overdue'), '2022-01-14'), { status: 'open', overdue: true });
  // Extended: the task is within its new deadline although the obstacle's own date has passed.
  assert.deepEqual(obstacleState(open, task('in_progress', 'in_progress_within'), '2022-01-14'), { status: 'open', overdue: false });
});

test('an accepted task or a closed obstacle is resolved; without a live task the obstacle’s own date counts', () => {
  assert.deepEqual(obstacleState(open, task('completed', 'completed_late'), '2022-01-14'), { status: 'resolved', overdue: false });
  assert.deepEqual(obstacleState({ status: 'resolved', due_on: '2021-12-24' }, task('in_progress', 'in_progress_overdue'), '2022-01-14'), { status: 'resolved', overdue: false });
  assert.deepEqual(obstacleState(open, task('cancelled', null), '2022-01-14'), { status: 'open', overdue: true });
  assert.deepEqual(obstacleState(open, undefined, '2021-12-24'), { status: 'open', overdue: false });
  assert.deepEqual(obstacleState(open, undefined, '2021-12-25'), { status: 'open', overdue: true });
});
