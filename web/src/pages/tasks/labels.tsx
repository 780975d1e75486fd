// The tasks' vocabulary on screen: statuses, timeliness, the clears, sources, the progress bar.
import { Progress, Tag, Tooltip } from 'antd';
import { formatDate, formatNumber } from '../../format';
import type { MessageKey, Translate } from '../../i18n';
import type { ClearKey, SourceKind, Task, TaskStatus, TaskTimeliness } from './types';

export const statusLabel = (t: Translate, status: TaskStatus) => t(`task.status.${status}` as MessageKey);
export const timelinessLabel = (t: Translate, value: TaskTimeliness) => t(`task.tl.${value}` as MessageKey);
export const clearLabel = (t: Translate, key: ClearKey) => t(`task.clear.${key}` as MessageKey);
export const sourceKindLabel = (t: Translate, kind: SourceKind) => t(`task.source.${kind}` as MessageKey);

/** "rõ thời gian, rõ người" in the user's language. */
export const clearList = (t: Translate, keys: readonly ClearKey[]) => keys.map((key) => clearLabel(t, key)).join(', ');

const STATUS_COLORS: Record<TaskStatus, string> = {
  draft: 'default',
  in_progress: 'processing',
  submitted: 'gold',
  completed: 'green',
  cancelled: 'default',
};

export function StatusTag({ status, t }: { status: TaskStatus; t: Translate }) {
  return (
    <Tag color={STATUS_COLORS[status]} data-status={status} data-testid="task-status-tag">
      {statusLabel(t, status)}
    </Tag>
  );
}

const TIMELINESS_COLORS: Record<TaskTimeliness, string> = {
  completed_on_time: 'green',
  completed_late: 'volcano',
  in_progress_within: 'blue',
  in_progress_overdue: 'red',
};

export function TimelinessTag({ value, t, testId }: { value: TaskTimeliness | null; t: Translate; testId?: string }) {
  if (!value) return null;
  return (
    <Tag color={TIMELINESS_COLORS[value]} data-testid={testId ?? 'task-timeliness'} data-timeliness={value}>
      {timelinessLabel(t, value)}
    </Tag>
  );
}

/** A percentage 0–100 in vi-VN digits, at most one decimal. */
export function formatPercent(value: number): string {
  return `${formatNumber(Math.round(value * 10) / 10)} %`;
}

/** The rolled-up progress (the sub-tasks' weighted roll-up, else the task's own last report). */
export function ProgressBar({ task, t }: { task: Pick<Task, 'rolledProgress' | 'progress' | 'childCount' | 'status'>; t: Translate }) {
  const value = Math.round(task.rolledProgress * 10) / 10;
  const bar = (
    <Progress
      percent={value}
      size="small"
      status={task.status === 'completed' ? 'success' : 'normal'}
      format={(percent) => formatPercent(percent ?? 0)}
      className="task-progress"
      data-testid="task-progress"
      data-value={value}
    />
  );
  if (task.childCount === 0) return bar;
  return <Tooltip title={t('task.progress.rolled', { own: formatPercent(task.progress) })}>{bar}</Tooltip>;
}

/** The deadline in force, with the original one when an extension moved it. */
export function DueDate({ task, t }: { task: Pick<Task, 'dueOn' | 'originalDueOn'>; t: Translate }) {
  if (!task.dueOn) return <span className="muted">{t('task.noDue')}</span>;
  const extended = task.originalDueOn && task.originalDueOn !== task.dueOn;
  return (
    <span data-testid="task-due" data-value={task.dueOn}>
      {formatDate(task.dueOn)}
      {extended && <div className="muted task-original-due">{t('task.originalDue', { date: formatDate(task.originalDueOn) })}</div>}
    </span>
  );
}
