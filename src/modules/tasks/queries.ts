// The read side of tasks: the list (scope, filters, timeliness as of a date, sort, pages), a
// task's detail with what the signed-in user may do, the units' scorecard, and the tasks behind
// other modules' rows.
//
// Scope: a staff member sees the tasks whose issuer or lead unit is in their grants' subtrees,
// the tasks assigned to them and the ones they watch. A unit filter outside that scope lists
// nothing, like any other filter; a task outside it is "not found".

import { type RawBuilder, sql } from 'kysely';
import type { Db, Queryable } from '../../db/kysely.js';
import { type Actor, STAFF_ROLES, isInScope, requireRole, scopePaths } from '../../platform/auth/actor.js';
import { businessDateOf, endOfBusinessDay, startOfBusinessDay } from '../../platform/calendar/businessTime.js';
import { parseIsoDate } from '../../platform/calendar/isoDate.js';
import type { Clock } from '../../platform/clock/clock.js';
import { badRequest, forbidden, notFound } from '../../platform/errors/errors.js';
import { EXPORT_MAX_ROWS, sortOf } from '../../platform/http/list.js';
import { type OrgUnitDirectory, type Snapshot, subtreeOf } from '../../platform/orgunits/directory.js';
import { containsPattern } from '../../platform/text/fold.js';
import { canReport, canSplit, isIssuerOf, seesByScope, type TaskPlaces } from './access.js';
import { toComment, toEvent, toExtension, toReport, toTask } from './present.js';
import * as repo from './repo.js';
import { canDo, TASK_STATUSES, type TaskStatus } from './rules/lifecycle.js';
import { rollup } from './rules/rollup.js';
import { TIMELINESS, type Timeliness } from './rules/timeliness.js';
import type { Scorecard, ScorecardQuery, ScorecardRow, Task, TaskDetail, TaskListQuery } from './schemas.js';

const SORTS = {
  dueOn: 't.due_on',
  code: 't.code',
  updatedAt: 't.updated_at',
  createdAt: 't.created_at',
  issuedAt: 't.issued_at',
  rolledProgress: 't.rolled_progress',
  progress: 't.progress',
  status: 't.status',
  title: 't.title',
} as const;

/** Units by id, as the directory's snapshot (or a transaction's own read) gives them. */
export type UnitMap = Map<number, { id: number; code: string; name: string; path: string; active: boolean }>;

export function placesOf(units: UnitMap, r: Pick<repo.TaskRow, 'issuer_unit_id' | 'lead_unit_id'>): TaskPlaces {
  // A unit missing from the directory (never, barring a race with its deletion) matches no grant.
  const pathOf = (id: number) => units.get(id)?.path ?? '/-/';
  return { issuerPath: pathOf(r.issuer_unit_id), leadPath: r.lead_unit_id === null ? null : pathOf(r.lead_unit_id) };
}

/** Ids of the units in the actor's scope; null when that is every unit. */
function scopeUnitIds(snapshot: Snapshot, actor: Actor): number[] | null {
  const ids = scopePaths(actor, STAFF_ROLES).flatMap((p) => subtreeOf(snapshot, p).map((u) => u.id));
  return ids.length === snapshot.byPath.length ? null : ids;
}

const watchedBy = (userId: number) => sql`EXISTS (SELECT 1 FROM task_watchers w WHERE w.task_id = t.id AND w.user_id = ${userId})`;

/**
 * Tasks the actor sees: issuer or lead unit in scope, assigned to them, or watched (their watched
 * ids are read first, so each branch of the OR is an index scan and the planner can OR bitmaps).
 */
function visibility(actor: Actor, scopeIds: number[] | null, watched: number[]): RawBuilder<unknown> {
  if (scopeIds === null) return sql`true`;
  const parts: RawBuilder<unknown>[] = [];
  if (scopeIds.length) parts.push(sql`t.lead_unit_id = ANY(${scopeIds}::int[])`, sql`t.issuer_unit_id = ANY(${scopeIds}::int[])`);
  if (actor.userId !== null) parts.push(sql`t.assignee_user_id = ${actor.userId}`);
  if (watched.length) parts.push(sql`t.id = ANY(${watched.map(String)}::bigint[])`);
  return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`false`;
}

function commaValues<T extends string>(raw: string | undefined, allowed: readonly T[], what: string): T[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  const values = raw.split(',').filter(Boolean);
  const wrong = values.find((v) => !allowed.includes(v as T));
  if (wrong !== undefined) throw badRequest('INVALID_FILTER', `Giá trị ${what} "${wrong}" không hợp lệ. Chọn trong: ${allowed.join(', ')}.`);
  return values as T[];
}

export function checkedDate(date: string, field: string): string {
  try {
    parseIsoDate(date);
    return date;
  } catch {
    throw badRequest('INVALID_DATE', `Ngày ${field} "${date}" không tồn tại (định dạng YYYY-MM-DD).`);
  }
}

const minDate = (a: Date, b: Date) => (a.getTime() < b.getTime() ? a : b);

export function createTaskQueries(deps: { db: Db; directory: OrgUnitDirectory; clock: Clock }) {
  const { db, directory, clock } = deps;

  async function sixClears(q: Queryable = db) {
    return (await repo.readSettings(q)).six_clears;
  }

  async function list(actor: Actor, query: TaskListQuery, forExport = false): Promise<{ items: Task[]; total: number; page: number; pageSize: number }> {
    requireRole(actor, STAFF_ROLES);
    const snapshot = await directory.snapshot();
    const now = clock.now();
    const at = query.asOf ? minDate(endOfBusinessDay(checkedDate(query.asOf, 'asOf')), now) : now;
    const scopeIds = scopeUnitIds(snapshot, actor);
    const conditions: RawBuilder<unknown>[] = [];
    let leadUnitIds: number[] | null = null;
    if (query.unitId !== undefined) {
      const unit = snapshot.byId.get(query.unitId);
      leadUnitIds = unit ? subtreeOf(snapshot, unit.path).map((u) => u.id) : [];
      conditions.push(sql`t.lead_unit_id = ANY(${leadUnitIds}::int[])`);
    }
    const inScope = (column: RawBuilder<unknown>) => (scopeIds === null ? sql`${column} IS NOT NULL` : sql`${column} = ANY(${scopeIds}::int[])`);
    if (query.role === 'lead') conditions.push(inScope(sql`t.lead_unit_id`));
    if (query.role === 'issued') conditions.push(inScope(sql`t.issuer_unit_id`));
    if (query.role === 'assigned') conditions.push(actor.userId === null ? sql`false` : sql`t.assignee_user_id = ${actor.userId}`);
    if (query.role === 'watching') conditions.push(actor.userId === null ? sql`false` : watchedBy(actor.userId));
    const statuses = commaValues(query.status, TASK_STATUSES, 'trạng thái');
    // One status as an equality: the index on (status, due_on, id) then gives the page in order.
    if (statuses) conditions.push(statuses.length === 1 ? sql`t.status = ${statuses[0]}` : sql`t.status = ANY(${statuses}::text[])`);
    const timeliness = commaValues(query.timeliness, TIMELINESS, 'tình trạng hạn');
    if (timeliness) conditions.push(sql`${repo.timelinessSql(at)} = ANY(${timeliness}::text[])`);
    if (query.kind) conditions.push(sql`t.kind = ${query.kind}`);
    if (query.sourceKind) conditions.push(sql`t.source_kind = ${query.sourceKind}`);
    if (query.assigneeId !== undefined) conditions.push(sql`t.assignee_user_id = ${query.assigneeId}`);
    if (query.dueFrom) conditions.push(sql`t.due_on >= ${checkedDate(query.dueFrom, 'dueFrom')}::date`);
    if (query.dueTo) conditions.push(sql`t.due_on <= ${checkedDate(query.dueTo, 'dueTo')}::date`);
    if (query.q?.trim()) conditions.push(sql`t.search LIKE ${containsPattern(query.q)}`);
    if (query.parentId === 'root') conditions.push(sql`t.parent_id IS NULL`);
    else if (query.parentId !== undefined) conditions.push(sql`t.parent_id = ${Number(query.parentId)}`);

    const sort = sortOf(query.sort, SORTS, { column: 't.due_on', direction: 'asc' });
    const page = forExport ? 1 : (query.page ?? 1);
    const pageSize = forExport ? EXPORT_MAX_ROWS + 1 : (query.pageSize ?? 20);
    // Every task visible and filtered only by unit and status: the total from the kept counts.
    const countedBy =
      scopeIds === null && conditions.length === Number(leadUnitIds !== null) + Number(statuses !== undefined)
        ? { leadUnitIds, statuses: statuses ?? null }
        : undefined;
    const watched = scopeIds !== null && actor.userId !== null ? await repo.watchedTaskIds(db, actor.userId) : [];
    const { rows, total } = await repo.listTasks(db, {
      visible: visibility(actor, scopeIds, watched),
      conditions,
      orderBy: sort.column,
      direction: sort.direction,
      limit: pageSize,
      offset: (page - 1) * pageSize,
      countedBy,
    });
    const six = await sixClears();
    return { items: rows.map((r) => toTask(r, snapshot, six, at)), total, page, pageSize };
  }

  /**
   * The task if the actor may see it (grants, assignee, watcher); else 404. Inside a transaction,
   * pass the units read before it began (on PGlite a transaction holds the only connection).
   */
  async function visibleTask(q: Queryable, actor: Actor, id: number, forUpdate = false, units?: UnitMap) {
    const row = await repo.findTask(q, id, forUpdate);
    if (!row) throw notFound('nhiệm vụ');
    const snapshot = units ? null : await directory.snapshot();
    const places = placesOf(units ?? (snapshot as Snapshot).byId, row);
    if (!seesByScope(actor, row, places) && !(actor.userId !== null && (await repo.isWatching(q, id, actor.userId)))) throw notFound('nhiệm vụ');
    return { row, places };
  }

  async function get(actor: Actor, id: number): Promise<TaskDetail> {
    const snapshot = await directory.snapshot();
    const { row, places } = await visibleTask(db, actor, id, false, snapshot.byId);
    const now = clock.now();
    const six = await sixClears();
    const [children, reports, extensions, comments, events, watchers] = await Promise.all([
      repo.childrenOf(db, id),
      repo.listReports(db, id),
      repo.listExtensions(db, id),
      repo.listComments(db, id),
      repo.listEvents(db, id),
      repo.listWatchers(db, id),
    ]);
    const status = row.status as TaskStatus;
    const issuer = isIssuerOf(actor, places);
    const reporter = canReport(actor, row, places);
    const pending = extensions.some((x) => x.status === 'pending');
    const roll = rollup(children.map((c) => ({ taskId: c.id, code: c.code, weight: c.weight, status: c.status, rolledProgress: c.rolled_progress })));
    return {
      ...toTask(row, snapshot, six, now),
      children: children.map((c) => toTask(c, snapshot, six, now)),
      rollup: { weightTotal: roll.weightTotal, parts: roll.parts },
      reports: reports.map(toReport),
      extensions: extensions.map(toExtension),
      comments: comments.map(toComment),
      events: events.map(toEvent),
      watchers: watchers.map((w) => ({ id: w.id, fullName: w.full_name })),
      watching: watchers.some((w) => w.id === actor.userId),
      can: {
        edit: issuer && canDo(status, 'edit'),
        issue: issuer && canDo(status, 'issue'),
        split: canSplit(actor, places) && canDo(status, 'split'),
        report: reporter && canDo(status, 'report'),
        accept: issuer && canDo(status, 'accept'),
        return: issuer && canDo(status, 'return'),
        requestExtension: reporter && canDo(status, 'requestExtension') && !pending,
        decideExtension: issuer && pending && canDo(status, 'decideExtension'),
        cancel: issuer && canDo(status, 'cancel'),
        comment: true,
      },
    };
  }

  async function scorecard(actor: Actor, query: ScorecardQuery): Promise<Scorecard> {
    requireRole(actor, STAFF_ROLES);
    const snapshot = await directory.snapshot();
    const now = clock.now();
    const today = businessDateOf(now);
    let unit = query.unitId === undefined ? undefined : snapshot.byId.get(query.unitId);
    if (query.unitId === undefined) {
      const top = scopePaths(actor, STAFF_ROLES)[0];
      unit = snapshot.byPath.find((u) => u.path === top);
    }
    if (!unit) throw notFound('đơn vị');
    if (!isInScope(actor, unit.path, STAFF_ROLES)) throw forbidden('Đơn vị này nằm ngoài phạm vi được phân quyền của bạn.');
    const from = checkedDate(query.from ?? `${today.slice(0, 4)}-01-01`, 'from');
    const to = checkedDate(query.to ?? today, 'to');
    if (from > to) throw badRequest('INVALID_PERIOD', 'Ngày bắt đầu phải trước hoặc bằng ngày kết thúc kỳ.');
    const end = endOfBusinessDay(to);
    const at = minDate(end, now);
    const subtree = subtreeOf(snapshot, unit.path);
    const counts = await repo.scorecardCounts(db, {
      unitIds: subtree.length === snapshot.byPath.length ? null : subtree.map((u) => u.id),
      start: startOfBusinessDay(from),
      end,
      at,
    });

    const depth = unit.pathIds.length;
    const children = subtree.filter((u) => u.parentId === unit.id).sort((a, b) => a.code.localeCompare(b.code));
    const blank = (): Omit<ScorecardRow, 'unit' | 'onTimeRate' | 'rank'> => ({ total: 0, completedOnTime: 0, completedLate: 0, inProgressWithin: 0, inProgressOverdue: 0 });
    const byChild = new Map(children.map((c) => [c.id, blank()]));
    const total = blank();
    const FIELD: Record<Timeliness, keyof ReturnType<typeof blank>> = {
      completed_on_time: 'completedOnTime',
      completed_late: 'completedLate',
      in_progress_within: 'inProgressWithin',
      in_progress_overdue: 'inProgressOverdue',
    };
    for (const c of counts) {
      if (c.timeliness === null) continue;
      const lead = snapshot.byId.get(c.lead_unit_id);
      const targets = [total];
      const child = lead ? byChild.get(lead.pathIds[depth]) : undefined;
      if (child) targets.push(child);
      for (const t of targets) {
        t.total += c.n;
        t[FIELD[c.timeliness as Timeliness]] += c.n;
      }
    }
    const rate = (r: ReturnType<typeof blank>) => {
      // Of the tasks whose outcome is known (completed, or past their deadline), the share done on time.
      const judged = r.total - r.inProgressWithin;
      return judged === 0 ? null : Math.round((r.completedOnTime / judged) * 1000) / 10;
    };
    const rows: ScorecardRow[] = children.map((c) => {
      const r = byChild.get(c.id) ?? blank();
      return { unit: { id: c.id, code: c.code, name: c.name }, ...r, onTimeRate: rate(r), rank: null };
    });
    for (const row of rows) {
      if (row.onTimeRate === null) continue;
      const rate = row.onTimeRate;
      row.rank = 1 + rows.filter((o) => o.onTimeRate !== null && o.onTimeRate > rate).length;
    }
    return {
      unit: { id: unit.id, code: unit.code, name: unit.name },
      from,
      to,
      asOf: at.toISOString(),
      rows,
      total: { unit: { id: unit.id, code: unit.code, name: unit.name }, ...total, onTimeRate: rate(total), rank: null },
    };
  }

  /** The task behind each source row (the newest one not cancelled), as of now. */
  async function bySource(sourceKind: 'breakthrough' | 'project', sourceIds: number[]): Promise<Map<number, Task>> {
    const [rows, snapshot, six] = await Promise.all([repo.bySource(db, sourceKind, sourceIds), directory.snapshot(), sixClears()]);
    const now = clock.now();
    const out = new Map<number, Task>();
    for (const r of rows) if (r.source_id !== null) out.set(r.source_id, toTask(r, snapshot, six, now));
    return out;
  }

  return { list, get, visibleTask, scorecard, bySource, sixClears };
}

export type TaskQueries = ReturnType<typeof createTaskQueries>;
