// A task split into sub-tasks shows their weighted progress: each issued, not cancelled child
// counts with its weight (a completed one at 100%); drafts and cancelled children do not count.

export interface RollupChild {
  taskId: number;
  code: string;
  weight: number;
  status: string;
  rolledProgress: number;
}

export interface RollupPart {
  taskId: number;
  code: string;
  weight: number;
  /** weight / weightTotal, 0–1, four decimals. */
  share: number;
  rolledProgress: number;
}

export interface Rollup {
  weightTotal: number;
  parts: RollupPart[];
  /** The weighted progress, two decimals; null when no child counts (the task's own progress stands). */
  progress: number | null;
}

const COUNTED = new Set(['in_progress', 'submitted', 'completed']);
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export function rollup(children: readonly RollupChild[]): Rollup {
  const counted = children.filter((c) => COUNTED.has(c.status));
  const weightTotal = round(
    counted.reduce((sum, c) => sum + c.weight, 0),
    2,
  );
  if (counted.length === 0 || weightTotal <= 0) return { weightTotal: 0, parts: [], progress: null };
  const progressOf = (c: RollupChild) => (c.status === 'completed' ? 100 : c.rolledProgress);
  const parts = counted.map((c) => ({ taskId: c.taskId, code: c.code, weight: c.weight, share: round(c.weight / weightTotal, 4), rolledProgress: progressOf(c) }));
  const progress = round(counted.reduce((sum, c) => sum + c.weight * progressOf(c), 0) / weightTotal, 2);
  return { weightTotal, parts, progress: Math.min(100, Math.max(0, progress)) };
}

/** What a task shows: its children's roll-up when any counts, else its own latest report. */
export function rolledProgressOf(ownProgress: number, children: readonly RollupChild[]): number {
  return rollup(children).progress ?? ownProgress;
}
