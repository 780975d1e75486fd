// What this module asks of the tasks module (docs/tasks-api.md, "For other modules"): approved
// items become tasks in the approval's transaction, and their progress is read back by source.

import type { Queryable } from '../../db/kysely.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { SourceTaskInput } from '../tasks/service.js';

/** An approved item, as the tasks module's `issueFromSource` takes it. */
export type IssueFromSourceInput = SourceTaskInput & { kind: 'breakthrough'; sourceKind: 'breakthrough' };

/** The part of a task this module shows beside an item. */
export interface TaskProgress {
  id: number;
  code: string;
  status: string;
  timeliness: string | null;
  rolledProgress: number;
  dueOn: string | null;
  completedAt: string | null;
}

export interface TaskGateway {
  issueFromSource(trx: Queryable, actor: Actor, input: IssueFromSourceInput): Promise<{ id: number; code: string }>;
  bySource(sourceKind: 'breakthrough', sourceIds: number[]): Promise<Map<number, TaskProgress>>;
  /** Whether "6 rõ" is on (rõ thẩm quyền required); read in `q` when given (inside a transaction). */
  sixClears(q?: Queryable): Promise<boolean>;
}
