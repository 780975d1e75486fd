// Directed tasks by "5 rõ": drafting, issuing, splitting down the unit tree, progress reports
// with the weighted roll-up, acceptance, extensions, comments, watchers and settings. Each change
// is one transaction: the task, its history (task_events), the audit log, the parent chain's
// roll-up and the notifications; the live bus after the commit.

import { type Db, type Queryable, inTransaction } from '../../db/kysely.js';
import { type Actor, ADMIN_ROLES, STAFF_ROLES, hasRootScope, requireRole } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Bus } from '../../platform/bus/bus.js';
import { businessDateOf } from '../../platform/calendar/businessTime.js';
import { type WorkingCalendar, createCalendar } from '../../platform/calendar/calendar.js';
import type { CalendarService } from '../../platform/calendar/service.js';
import type { Clock } from '../../platform/clock/clock.js';
import { AppError, forbidden, notFound } from '../../platform/errors/errors.js';
import type { OrgUnitDirectory } from '../../platform/orgunits/directory.js';
import { canReport, canSplit, directs, isIssuerOf, notIssuer, notReporter, type TaskPlaces } from './access.js';
import { toComment, toExtension, toTask } from './present.js';
import { checkedDate, createTaskQueries, placesOf, type UnitMap } from './queries.js';
import * as repo from './repo.js';
import { requireClear } from './rules/clarity.js';
import { formatDateVi, issueDueOn, requireNotBefore, requireWithinParent, workingDueOn } from './rules/deadline.js';
import { type TaskAction, type TaskStatus, transition } from './rules/lifecycle.js';
import { checkReport } from './rules/progress.js';
import { rolledProgressOf } from './rules/rollup.js';
import type { CreateSubtask, CreateTask, ReportBody, Settings, Task, TaskComment, TaskExtension, UpdateTask } from './schemas.js';

export interface TaskDeps {
  db: Db;
  bus: Bus;
  calendar: CalendarService;
  directory: OrgUnitDirectory;
  clock: Clock;
}

/** What `issueFromSource` takes: a breakthrough task or a project obstacle becoming a task. */
export interface SourceTaskInput {
  kind: 'breakthrough' | 'obstacle';
  sourceKind: 'breakthrough' | 'project';
  sourceId: number;
  sourceRef?: string | null;
  issuerUnitId: number;
  leadUnitId: number;
  supportUnitIds?: number[];
  assigneeUserId: number | null;
  title: string;
  description?: string | null;
  expectedResult: string | null;
  authority?: string | null;
  dueOn: string | null;
}

/** After an issued task, these fields stay as issued (the deadline moves only by extension). */
const LOCKED_AFTER_ISSUE = ['expectedResult', 'authority', 'leadUnitId', 'dueOn', 'sourceKind', 'sourceRef', 'sourceId'] as const;

const versionConflict = () =>
  new AppError(409, 'TASK_VERSION_CONFLICT', 'Nhiệm vụ vừa được người khác thay đổi. Hãy tải lại trang để xem trạng thái mới rồi thực hiện lại.');

const placementError = (code: string, message: string) => new AppError(422, code, message);

const blankToNull = (text: string | null | undefined) => (text === undefined ? undefined : text === null || text.trim() === '' ? null : text.trim());

type TextInput = { title?: string | null; description?: string | null; expectedResult?: string | null; authority?: string | null };
/** The free-text points of a new task, blank ones stored as null. */
const clearTexts = (input: TextInput) => ({
  title: blankToNull(input.title) ?? null,
  description: blankToNull(input.description) ?? null,
  expected_result: blankToNull(input.expectedResult) ?? null,
  authority: blankToNull(input.authority) ?? null,
});

/** What a change reads before its transaction: the instant, the units, the working-day calendar. */
interface Ctx {
  at: Date;
  units: UnitMap;
  cal: WorkingCalendar;
}

interface Placement {
  issuerUnitId: number;
  leadUnitId: number | null;
  supportUnitIds: number[];
  assigneeUserId: number | null;
}

export function createTaskService(deps: TaskDeps) {
  const { db, bus, calendar, directory, clock } = deps;
  const queries = createTaskQueries({ db, directory, clock });

  /** Units exist, the lead and support units lie in the issuer's subtree, the assignee in the lead unit's. */
  async function checkPlacement(q: Queryable, units: UnitMap, p: Placement): Promise<void> {
    const issuer = units.get(p.issuerUnitId);
    if (!issuer) throw placementError('UNKNOWN_UNIT', `Không có đơn vị #${p.issuerUnitId}.`);
    const lead = p.leadUnitId === null ? null : units.get(p.leadUnitId);
    if (p.leadUnitId !== null && !lead) throw placementError('UNKNOWN_UNIT', `Không có đơn vị #${p.leadUnitId}.`);
    if (lead && (!lead.path.startsWith(issuer.path) || !lead.active)) {
      throw placementError('LEAD_UNIT_OUTSIDE_ISSUER', `Đơn vị chủ trì "${lead.name}" phải là ${issuer.name} hoặc một đơn vị trực thuộc, đang hoạt động.`);
    }
    for (const id of p.supportUnitIds) {
      const support = units.get(id);
      if (!support?.path.startsWith(issuer.path)) {
        throw placementError('SUPPORT_UNIT_OUTSIDE_ISSUER', `Đơn vị phối hợp #${id} phải là ${issuer.name} hoặc một đơn vị trực thuộc.`);
      }
    }
    if (p.assigneeUserId !== null) {
      const user = await repo.findUser(q, p.assigneeUserId);
      const home = user ? units.get(user.org_unit_id) : undefined;
      const within = lead ?? issuer;
      if (!user?.active || !home?.path.startsWith(within.path)) {
        throw placementError('ASSIGNEE_OUTSIDE_LEAD_UNIT', `Người được giao phải là cán bộ đang làm việc tại ${within.name} hoặc một đơn vị trực thuộc.`);
      }
    }
  }

  /**
   * The task for a change: locked, the actor allowed (else 403, or 404 when they cannot even see
   * it, unless `refuseUnseen`: a report outside one's scope is refused, 403), the version current (else 409).
   */
  async function forChange(
    trx: Queryable,
    ctx: Ctx,
    actor: Actor,
    id: number,
    allowed: (row: repo.TaskRow, places: TaskPlaces) => boolean,
    refusal: () => AppError,
    opts: { version?: number; refuseUnseen?: boolean } = {},
  ) {
    const row = await repo.findTask(trx, id, true);
    if (!row) throw notFound('nhiệm vụ');
    const places = placesOf(ctx.units, row);
    if (!allowed(row, places)) {
      if (opts.refuseUnseen) throw refusal();
      await queries.visibleTask(trx, actor, id, false, ctx.units);
      throw refusal();
    }
    if (opts.version !== undefined && row.version !== opts.version) throw versionConflict();
    return { row, places };
  }

  async function audit(trx: Queryable, actor: Actor | null, action: string, row: repo.TaskRow, before?: unknown, after?: unknown) {
    await recordAudit(trx, actor, { module: 'tasks', action, entityType: 'task', entityId: row.id, orgUnitId: row.lead_unit_id ?? row.issuer_unit_id, before, after });
  }

  /** Recomputes the rolled progress of each ancestor, from the nearest up, stopping where nothing changes. */
  async function rollUp(trx: Queryable, parentId: number | null, at: Date) {
    let id = parentId;
    while (id !== null) {
      const parent = await repo.findTask(trx, id, true);
      if (!parent) return;
      const children = await repo.childrenOf(trx, id);
      const rolled = rolledProgressOf(
        parent.status === 'completed' ? 100 : parent.progress,
        children.map((c) => ({ taskId: c.id, code: c.code, weight: c.weight, status: c.status, rolledProgress: c.rolled_progress })),
      );
      if (parent.status === 'completed' || rolled === parent.rolled_progress) return;
      await repo.updateTask(trx, id, { rolled_progress: rolled }, at);
      await repo.insertEvent(trx, { taskId: id, at, actorUserId: null, type: 'rolled_up', data: { from: parent.rolled_progress, to: rolled } });
      await audit(trx, null, 'roll-up', parent, { rolledProgress: parent.rolled_progress }, { rolledProgress: rolled });
      id = parent.parent_id;
    }
  }

  async function notify(trx: Queryable, row: repo.TaskRow, kind: string, message: string, people: { assignee?: boolean; leadLeaders?: boolean; issuerLeaders?: boolean; watchers?: boolean; users?: number[] }, actor: Actor | null, at: Date) {
    const ids = new Set<number>(people.users ?? []);
    if (people.assignee && row.assignee_user_id !== null) ids.add(row.assignee_user_id);
    if (people.leadLeaders && row.lead_unit_id !== null) for (const id of await repo.usersWithRoleOn(trx, row.lead_unit_id, 'leader')) ids.add(id);
    if (people.issuerLeaders) for (const id of await repo.usersWithRoleOn(trx, row.issuer_unit_id, 'leader')) ids.add(id);
    if (people.watchers) for (const id of await repo.watcherIds(trx, row.id)) ids.add(id);
    if (actor?.userId != null) ids.delete(actor.userId);
    await repo.insertNotifications(trx, { userIds: [...ids], unitId: row.lead_unit_id ?? row.issuer_unit_id, kind, taskId: row.id, message, at });
  }

  const label = (row: Pick<repo.TaskRow, 'code' | 'title'>) => `${row.code}${row.title ? ` "${row.title}"` : ''}`;

  /** Tells the live screens of the issuer and the lead unit, after the commit. */
  async function publish(row: repo.TaskRow, action: string) {
    const snapshot = await directory.snapshot();
    const units = new Set([row.issuer_unit_id, ...(row.lead_unit_id === null ? [] : [row.lead_unit_id])]);
    for (const unitId of units) {
      bus.publish({ type: 'task.changed', orgUnitId: unitId, orgUnitPath: snapshot.byId.get(unitId)?.path ?? null, payload: { id: row.id, code: row.code, action, status: row.status } });
    }
  }

  async function present(q: Queryable, id: number): Promise<Task> {
    const row = await repo.findTask(q, id);
    if (!row) throw notFound('nhiệm vụ');
    return toTask(row, await directory.snapshot(), await queries.sixClears(q), clock.now());
  }

  /** What a change reads before its transaction begins (on PGlite a transaction holds the only connection). */
  async function context(): Promise<Ctx> {
    const [snapshot, cal] = await Promise.all([directory.snapshot(), calendar.calendar()]);
    return { at: clock.now(), units: snapshot.byId, cal };
  }

  /** Runs one change and answers with the task as it now is. */
  async function change(action: string, work: (trx: Queryable, ctx: Ctx) => Promise<number>): Promise<Task> {
    const ctx = await context();
    const { id, task } = await inTransaction(db, async (trx) => {
      const id = await work(trx, ctx);
      return { id, task: await repo.findTask(trx, id) };
    });
    if (task) await publish(task, action);
    return present(db, id);
  }

  /** Issues `row` (already checked for permission and version) in `trx`. */
  async function issueIn(trx: Queryable, actor: Actor, row: repo.TaskRow, moveToWorkingDay: boolean, ctx: Ctx): Promise<void> {
    const { at } = ctx;
    transition(row.status as TaskStatus, 'issue');
    const settings = await repo.readSettings(trx);
    requireClear(
      { title: row.title, assigneeUserId: row.assignee_user_id, leadUnitId: row.lead_unit_id, dueOn: row.due_on, expectedResult: row.expected_result, authority: row.authority },
      settings.six_clears,
    );
    await checkPlacement(trx, ctx.units, { issuerUnitId: row.issuer_unit_id, leadUnitId: row.lead_unit_id, supportUnitIds: row.support_unit_ids, assigneeUserId: row.assignee_user_id });
    const dueOn = issueDueOn(ctx.cal, row.due_on as string, businessDateOf(at), moveToWorkingDay);
    if (row.parent_id !== null) {
      const parent = await repo.findTask(trx, row.parent_id);
      if (parent?.status !== 'in_progress') {
        throw new AppError(409, 'PARENT_NOT_IN_PROGRESS', 'Nhiệm vụ cha không còn đang thực hiện: không ban hành được nhiệm vụ con.');
      }
      requireWithinParent(dueOn, parent.due_on);
    }
    await repo.updateTask(trx, row.id, { status: 'in_progress', issued_at: at, issued_by: actor.userId, due_on: dueOn, original_due_on: dueOn, rolled_progress: rolledProgressOf(row.progress, []) }, at);
    await repo.insertEvent(trx, { taskId: row.id, at, actorUserId: actor.userId, type: 'issued', data: { dueOn, movedFrom: dueOn === row.due_on ? null : row.due_on } });
    await audit(trx, actor, 'issue', row, { status: row.status, dueOn: row.due_on }, { status: 'in_progress', dueOn });
    const issued = { ...row, due_on: dueOn };
    await notify(trx, issued, 'task_issued', `Nhiệm vụ ${label(row)} đã được giao, hạn hoàn thành ${formatDateVi(dueOn)}.`, { assignee: true, leadLeaders: true, watchers: true }, actor, at);
    await rollUp(trx, row.parent_id, at);
  }

  async function createDraft(trx: Queryable, actor: Actor, v: repo.NewTask, event: Record<string, unknown>) {
    const id = await repo.insertTask(trx, v, Number(businessDateOf(v.at).slice(0, 4)));
    const row = (await repo.findTask(trx, id)) as repo.TaskRow;
    await repo.insertEvent(trx, { taskId: id, at: v.at, actorUserId: actor.userId, type: 'created', data: event });
    await audit(trx, actor, 'create', row, undefined, { ...v, code: row.code });
    return row;
  }

  /** A lifecycle action of the issuer taking `{ version }`. */
  function issuerAction(actor: Actor, id: number, version: number, action: TaskAction, work: (trx: Queryable, row: repo.TaskRow, at: Date) => Promise<void>) {
    return change(action, async (trx, ctx) => {
      const { row } = await forChange(trx, ctx, actor, id, (_, p) => isIssuerOf(actor, p), notIssuer, { version });
      transition(row.status as TaskStatus, action);
      await work(trx, row, ctx.at);
      return id;
    });
  }

  /**
   * Cancels a task and, with it, its sub-tasks at every depth that are still open: they were
   * split from it and serve nothing once it is withdrawn. Completed ones stay completed.
   */
  async function cancelIn(trx: Queryable, actor: Actor, row: repo.TaskRow, reason: string, at: Date) {
    const below = await repo.openDescendants(trx, row.id);
    for (const task of [row, ...below]) {
      const withParent = task.id === row.id ? {} : { withParent: row.code };
      await repo.updateTask(trx, task.id, { status: 'cancelled', cancelled_at: at }, at);
      await closePendingExtension(trx, actor, task.id, 'Nhiệm vụ đã bị hủy.', at);
      await repo.insertEvent(trx, { taskId: task.id, at, actorUserId: actor.userId, type: 'cancelled', data: { reason, ...withParent } });
      await audit(trx, actor, 'cancel', task, { status: task.status }, { status: 'cancelled', reason, ...withParent });
      if (task.status !== 'draft') {
        const why = task.id === row.id ? reason : `nhiệm vụ cha ${row.code} bị hủy (${reason})`;
        await notify(trx, task, 'task_cancelled', `Nhiệm vụ ${label(task)} đã bị hủy: ${why}`, { assignee: true, leadLeaders: true, watchers: true }, actor, at);
      }
    }
    if (below.length > 0) await repo.insertEvent(trx, { taskId: row.id, at, actorUserId: actor.userId, type: 'subtasks_cancelled', data: { codes: below.map((t) => t.code) } });
    await rollUp(trx, row.parent_id, at);
  }

  /** A pending extension ends with the task: refused, with the reason why. */
  async function closePendingExtension(trx: Queryable, actor: Actor, taskId: number, note: string, at: Date) {
    const pending = await repo.pendingExtension(trx, taskId);
    if (pending) await repo.decideExtension(trx, pending.id, { status: 'refused', decidedBy: actor.userId, note, at });
  }

  return {
    ...queries,
    db,

    async create(actor: Actor, input: CreateTask): Promise<Task> {
      const issuer = (await directory.snapshot()).byId.get(input.issuerUnitId);
      if (!issuer) throw placementError('UNKNOWN_UNIT', `Không có đơn vị #${input.issuerUnitId}.`);
      if (!directs(actor, issuer.path)) throw notIssuer();
      if (input.dueOn) checkedDate(input.dueOn, 'dueOn');
      return change('create', async (trx, ctx) => {
        const { at } = ctx;
        const placement = { issuerUnitId: input.issuerUnitId, leadUnitId: input.leadUnitId ?? null, supportUnitIds: input.supportUnitIds ?? [], assigneeUserId: input.assigneeUserId ?? null };
        await checkPlacement(trx, ctx.units, placement);
        const row = await createDraft(
          trx,
          actor,
          {
            kind: 'task',
            ...clearTexts(input),
            issuer_unit_id: placement.issuerUnitId,
            lead_unit_id: placement.leadUnitId,
            support_unit_ids: placement.supportUnitIds,
            assignee_user_id: placement.assigneeUserId,
            due_on: input.dueOn ?? null,
            parent_id: null,
            weight: 1,
            source_kind: input.sourceKind ?? null,
            source_ref: blankToNull(input.sourceRef) ?? null,
            source_id: input.sourceId ?? null,
            created_by: actor.userId,
            at,
          },
          {},
        );
        return row.id;
      });
    },

    async update(actor: Actor, id: number, input: UpdateTask): Promise<Task> {
      return change('update', async (trx, ctx) => {
        const { at } = ctx;
        const { row } = await forChange(trx, ctx, actor, id, (_, p) => isIssuerOf(actor, p), notIssuer, { version: input.version });
        const status = row.status as TaskStatus;
        transition(status, 'edit');
        if (status !== 'draft') {
          const locked = LOCKED_AFTER_ISSUE.filter((k) => input[k] !== undefined);
          if (locked.length) {
            throw new AppError(422, 'FIELD_LOCKED_AFTER_ISSUE', `Nhiệm vụ đã ban hành chỉ sửa được tên, mô tả, đơn vị phối hợp và người được giao (không sửa: ${locked.join(', ')}). Hạn chỉ đổi qua gia hạn.`, { fields: locked });
          }
        }
        if (input.dueOn) checkedDate(input.dueOn, 'dueOn');
        const next = {
          title: blankToNull(input.title),
          description: blankToNull(input.description),
          expected_result: blankToNull(input.expectedResult),
          authority: blankToNull(input.authority),
          lead_unit_id: input.leadUnitId,
          support_unit_ids: input.supportUnitIds,
          assignee_user_id: input.assigneeUserId,
          due_on: input.dueOn,
          source_kind: input.sourceKind,
          source_ref: blankToNull(input.sourceRef),
          source_id: input.sourceId,
        };
        const merged = { ...row, ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) } as repo.TaskRow;
        if (status !== 'draft' && (merged.title === null || merged.assignee_user_id === null)) {
          throw new AppError(422, 'TASK_NOT_CLEAR', 'Nhiệm vụ đã ban hành phải giữ rõ việc và rõ người.', { missing: [merged.title === null ? 'viec' : 'nguoi'] });
        }
        await checkPlacement(trx, ctx.units, { issuerUnitId: merged.issuer_unit_id, leadUnitId: merged.lead_unit_id, supportUnitIds: merged.support_unit_ids, assigneeUserId: merged.assignee_user_id });
        if (merged.parent_id !== null && input.dueOn) requireWithinParent(input.dueOn, (await repo.findTask(trx, merged.parent_id))?.due_on ?? null);
        await repo.updateTask(trx, id, next, at);
        const changed = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
        const before = Object.fromEntries(Object.keys(changed).map((k) => [k, row[k as keyof repo.TaskRow]]));
        await repo.insertEvent(trx, { taskId: id, at, actorUserId: actor.userId, type: 'updated', data: { fields: Object.keys(changed) } });
        await audit(trx, actor, 'update', row, before, changed);
        if (status !== 'draft' && input.assigneeUserId !== undefined && input.assigneeUserId !== row.assignee_user_id) {
          await notify(trx, merged, 'task_assigned', `Bạn được giao nhiệm vụ ${label(merged)}.`, { assignee: true }, actor, at);
        }
        return id;
      });
    },

    issue(actor: Actor, id: number, input: { version: number; moveToWorkingDay?: boolean }): Promise<Task> {
      return change('issue', async (trx, ctx) => {
        const { row } = await forChange(trx, ctx, actor, id, (_, p) => isIssuerOf(actor, p), notIssuer, { version: input.version });
        await issueIn(trx, actor, row, input.moveToWorkingDay === true, ctx);
        return id;
      });
    },

    createSubtask(actor: Actor, parentId: number, input: CreateSubtask): Promise<Task> {
      return change('split', async (trx, ctx) => {
        const { at } = ctx;
        const { row: parent } = await forChange(
          trx,
          ctx,
          actor,
          parentId,
          (_, p) => canSplit(actor, p),
          () => new AppError(403, 'FORBIDDEN', 'Chỉ lãnh đạo hoặc điều hành viên của đơn vị chủ trì nhiệm vụ mới được giao nhiệm vụ con.'),
        );
        transition(parent.status as TaskStatus, 'split');
        if (input.dueOn) checkedDate(input.dueOn, 'dueOn');
        requireWithinParent(input.dueOn ?? null, parent.due_on);
        const placement = { issuerUnitId: parent.lead_unit_id as number, leadUnitId: input.leadUnitId ?? null, supportUnitIds: input.supportUnitIds ?? [], assigneeUserId: input.assigneeUserId ?? null };
        await checkPlacement(trx, ctx.units, placement);
        const child = await createDraft(
          trx,
          actor,
          {
            kind: parent.kind,
            ...clearTexts(input),
            issuer_unit_id: placement.issuerUnitId,
            lead_unit_id: placement.leadUnitId,
            support_unit_ids: placement.supportUnitIds,
            assignee_user_id: placement.assigneeUserId,
            due_on: input.dueOn ?? null,
            parent_id: parent.id,
            weight: input.weight ?? 1,
            source_kind: null,
            source_ref: null,
            source_id: null,
            created_by: actor.userId,
            at,
          },
          { parentId: parent.id, parentCode: parent.code },
        );
        await repo.updateTask(trx, parent.id, {}, at);
        await repo.insertEvent(trx, { taskId: parent.id, at, actorUserId: actor.userId, type: 'split', data: { childId: child.id, childCode: child.code, weight: input.weight ?? 1 } });
        await audit(trx, actor, 'split', parent, undefined, { childId: child.id, childCode: child.code, weight: input.weight ?? 1 });
        return child.id;
      });
    },

    /** A progress report; `files` were checked and stored beforehand (files.ts) and are recorded in the report's transaction. */
    report(actor: Actor, id: number, input: ReportBody, files: repo.ReportFileRow[] = []): Promise<Task> {
      return change(input.submit ? 'submit' : 'report', async (trx, ctx) => {
        const { at } = ctx;
        const { row } = await forChange(trx, ctx, actor, id, (r, p) => canReport(actor, r, p), notReporter, { refuseUnseen: true });
        let status = transition(row.status as TaskStatus, 'report');
        if (input.submit) status = transition(status, 'submit');
        checkReport({ percent: input.percent, reason: input.reason, submit: input.submit }, row.progress);
        const reportedOn = checkedDate(input.reportedOn, 'reportedOn');
        if (reportedOn > businessDateOf(at)) throw new AppError(422, 'REPORTED_ON_IN_FUTURE', `Ngày báo cáo ${formatDateVi(reportedOn)} chưa đến.`);
        const reason = blankToNull(input.reason) ?? null;
        const reportId = await repo.insertReport(trx, { taskId: id, percent: input.percent, text: input.text.trim() || input.text, reportedOn, reason, reportedBy: actor.userId, at });
        await repo.insertReportFiles(trx, reportId, files, at);
        const children = await repo.childrenOf(trx, id);
        const rolled = rolledProgressOf(
          input.percent,
          children.map((c) => ({ taskId: c.id, code: c.code, weight: c.weight, status: c.status, rolledProgress: c.rolled_progress })),
        );
        await repo.updateTask(trx, id, { progress: input.percent, rolled_progress: rolled, status }, at);
        await repo.insertEvent(trx, { taskId: id, at, actorUserId: actor.userId, type: 'reported', data: { reportId, percent: input.percent, reportedOn, reason, files: files.length } });
        await audit(trx, actor, 'report', row, { progress: row.progress, status: row.status }, { progress: input.percent, status, reportId });
        if (input.submit) {
          await repo.insertEvent(trx, { taskId: id, at, actorUserId: actor.userId, type: 'submitted', data: { reportId } });
          await notify(trx, row, 'task_submitted', `Nhiệm vụ ${label(row)} đã hoàn thành 100%, chờ nghiệm thu.`, { issuerLeaders: true, watchers: true }, actor, at);
        } else {
          await notify(trx, row, 'task_reported', `Nhiệm vụ ${label(row)}: báo cáo tiến độ ${input.percent}%.`, { watchers: true }, actor, at);
        }
        await rollUp(trx, row.parent_id, at);
        return id;
      });
    },

    accept(actor: Actor, id: number, input: { version: number }): Promise<Task> {
      return issuerAction(actor, id, input.version, 'accept', async (trx, row, at) => {
        await repo.updateTask(trx, id, { status: 'completed', completed_at: at, accepted_by: actor.userId, rolled_progress: 100 }, at);
        await closePendingExtension(trx, actor, id, 'Nhiệm vụ đã được nghiệm thu.', at);
        await repo.insertEvent(trx, { taskId: id, at, actorUserId: actor.userId, type: 'accepted', data: {} });
        await audit(trx, actor, 'accept', row, { status: row.status }, { status: 'completed', completedAt: at.toISOString() });
        await notify(trx, row, 'task_accepted', `Nhiệm vụ ${label(row)} đã được nghiệm thu, hoàn thành.`, { assignee: true, leadLeaders: true, watchers: true }, actor, at);
        await rollUp(trx, row.parent_id, at);
      });
    },

    returnResult(actor: Actor, id: number, input: { version: number; reason: string }): Promise<Task> {
      return issuerAction(actor, id, input.version, 'return', async (trx, row, at) => {
        await repo.updateTask(trx, id, { status: 'in_progress' }, at);
        await repo.insertEvent(trx, { taskId: id, at, actorUserId: actor.userId, type: 'returned', data: { reason: input.reason } });
        await audit(trx, actor, 'return', row, { status: row.status }, { status: 'in_progress', reason: input.reason });
        await notify(trx, row, 'task_returned', `Kết quả nhiệm vụ ${label(row)} bị trả lại: ${input.reason}`, { assignee: true, leadLeaders: true, watchers: true }, actor, at);
      });
    },

    /** Cancels a task with its open sub-tasks (cancelIn). */
    cancel(actor: Actor, id: number, input: { version: number; reason: string }): Promise<Task> {
      return issuerAction(actor, id, input.version, 'cancel', (trx, row, at) => cancelIn(trx, actor, row, input.reason, at));
    },

    /**
     * Cancels, in the caller's transaction, the task another module's record became (its source
     * withdrawn), with its open sub-tasks; a completed or cancelled one is left as it is. The caller
     * decides who may do this. The status the task had.
     */
    async cancelFromSource(trx: Queryable, actor: Actor, taskId: number, reason: string): Promise<TaskStatus | null> {
      const row = await repo.findTask(trx, taskId, true);
      if (!row) return null;
      const status = row.status as TaskStatus;
      if (status !== 'completed' && status !== 'cancelled') await cancelIn(trx, actor, row, reason, clock.now());
      return status;
    },

    async requestExtension(actor: Actor, id: number, input: { dueOn: string; reason: string }): Promise<TaskExtension> {
      const ctx = await context();
      const { at } = ctx;
      const { extension, row } = await inTransaction(db, async (trx) => {
        const { row } = await forChange(trx, ctx, actor, id, (r, p) => canReport(actor, r, p), notReporter, { refuseUnseen: true });
        transition(row.status as TaskStatus, 'requestExtension');
        if (await repo.pendingExtension(trx, id)) throw new AppError(409, 'EXTENSION_PENDING', 'Nhiệm vụ đang có một đề nghị gia hạn chờ quyết định.');
        const dueOn = checkedDate(input.dueOn, 'dueOn');
        if (row.due_on === null || dueOn <= row.due_on) {
          throw new AppError(422, 'EXTENSION_NOT_LATER', `Hạn mới phải sau hạn hiện tại${row.due_on ? ` (${formatDateVi(row.due_on)})` : ''}.`);
        }
        requireNotBefore(dueOn, businessDateOf(at));
        workingDueOn(ctx.cal, dueOn, false);
        if (row.parent_id !== null) requireWithinParent(dueOn, (await repo.findTask(trx, row.parent_id))?.due_on ?? null);
        const extension = await repo.insertExtension(trx, { taskId: id, requestedDueOn: dueOn, previousDueOn: row.due_on, reason: input.reason, requestedBy: actor.userId, at });
        await repo.updateTask(trx, id, {}, at);
        await repo.insertEvent(trx, { taskId: id, at, actorUserId: actor.userId, type: 'extension_requested', data: { extensionId: extension.id, dueOn, reason: input.reason } });
        await audit(trx, actor, 'request-extension', row, undefined, { extensionId: extension.id, dueOn, reason: input.reason });
        await notify(trx, row, 'task_extension_requested', `Nhiệm vụ ${label(row)}: đề nghị gia hạn đến ${formatDateVi(dueOn)}.`, { issuerLeaders: true, watchers: true }, actor, at);
        return { extension, row };
      });
      await publish(row, 'extension_requested');
      return toExtension(extension);
    },

    decideExtension(actor: Actor, id: number, extensionId: number, input: { approve: boolean; note?: string | null }): Promise<Task> {
      return change('decide_extension', async (trx, ctx) => {
        const { at } = ctx;
        const { row } = await forChange(trx, ctx, actor, id, (_, p) => isIssuerOf(actor, p), notIssuer);
        const extension = await repo.findExtension(trx, id, extensionId);
        if (!extension) throw notFound('đề nghị gia hạn');
        if (extension.status !== 'pending') throw new AppError(409, 'EXTENSION_DECIDED', 'Đề nghị gia hạn này đã được quyết định.');
        transition(row.status as TaskStatus, 'decideExtension');
        const note = blankToNull(input.note) ?? null;
        const status = input.approve ? 'approved' : 'refused';
        await repo.decideExtension(trx, extensionId, { status, decidedBy: actor.userId, note, at });
        if (input.approve) {
          await repo.updateTask(trx, id, { due_on: extension.requested_due_on }, at, { changedAt: at, before: row.due_on as string });
        } else {
          await repo.updateTask(trx, id, {}, at);
        }
        await repo.insertEvent(trx, { taskId: id, at, actorUserId: actor.userId, type: input.approve ? 'extension_approved' : 'extension_refused', data: { extensionId, dueOn: extension.requested_due_on, previousDueOn: row.due_on, note } });
        await audit(trx, actor, input.approve ? 'approve-extension' : 'refuse-extension', row, { dueOn: row.due_on }, { dueOn: input.approve ? extension.requested_due_on : row.due_on, extensionId, note });
        const message = input.approve
          ? `Nhiệm vụ ${label(row)} được gia hạn đến ${formatDateVi(extension.requested_due_on)}.`
          : `Đề nghị gia hạn nhiệm vụ ${label(row)} không được chấp thuận${note ? `: ${note}` : '.'}`;
        await notify(trx, row, 'task_extension_decided', message, { assignee: true, watchers: true, users: extension.requested_by === null ? [] : [extension.requested_by] }, actor, at);
        return id;
      });
    },

    async comment(actor: Actor, id: number, input: { text: string }): Promise<TaskComment> {
      const { at, units } = await context();
      const { comment, row } = await inTransaction(db, async (trx) => {
        const { row } = await queries.visibleTask(trx, actor, id, true, units);
        transition(row.status as TaskStatus, 'comment');
        const text = input.text.trim();
        if (!text) throw new AppError(422, 'EMPTY_COMMENT', 'Hãy nhập nội dung bình luận.');
        const comment = await repo.insertComment(trx, { taskId: id, authorUserId: actor.userId, text, at });
        await repo.insertEvent(trx, { taskId: id, at, actorUserId: actor.userId, type: 'commented', data: { commentId: comment.id } });
        await audit(trx, actor, 'comment', row, undefined, { commentId: comment.id, text });
        await notify(trx, row, 'task_commented', `Bình luận mới ở nhiệm vụ ${label(row)}.`, { watchers: true, assignee: true }, actor, at);
        return { comment, row };
      });
      await publish(row, 'commented');
      return toComment(comment);
    },

    async watch(actor: Actor, id: number, on: boolean): Promise<void> {
      if (actor.userId === null) throw forbidden('Chỉ người dùng đã đăng nhập mới theo dõi được nhiệm vụ.');
      const userId = actor.userId;
      const { at, units } = await context();
      await inTransaction(db, async (trx) => {
        const { row } = await queries.visibleTask(trx, actor, id, false, units);
        const changed = on ? await repo.addWatcher(trx, id, userId, at) : await repo.removeWatcher(trx, id, userId);
        if (changed) await audit(trx, actor, on ? 'watch' : 'unwatch', row, undefined, { userId });
      });
    },

    async settings(actor: Actor): Promise<Settings> {
      requireRole(actor, STAFF_ROLES);
      const s = await repo.readSettings(db);
      return { sixClears: s.six_clears, reminderDaysBefore: s.reminder_days_before };
    },

    async updateSettings(actor: Actor, input: Settings): Promise<Settings> {
      if (!hasRootScope(actor, ADMIN_ROLES)) throw forbidden('Chỉ quản trị viên cấp tỉnh/thành phố mới sửa cấu hình giao nhiệm vụ.');
      await inTransaction(db, async (trx) => {
        const before = await repo.readSettings(trx);
        await repo.writeSettings(trx, { six_clears: input.sixClears, reminder_days_before: input.reminderDaysBefore, updatedBy: actor.userId });
        await recordAudit(trx, actor, { module: 'tasks', action: 'update-settings', entityType: 'taskSettings', before, after: input });
      });
      return input;
    },

    /**
     * Creates and issues a task in the caller's transaction (a breakthrough task approved, a
     * project obstacle): the clears are checked, a deadline on a day off moves to the next
     * working day. The caller decides who may do this; the units and assignee are checked here.
     */
    async issueFromSource(trx: Queryable, actor: Actor, input: SourceTaskInput): Promise<{ id: number; code: string }> {
      const placement = { issuerUnitId: input.issuerUnitId, leadUnitId: input.leadUnitId, supportUnitIds: input.supportUnitIds ?? [], assigneeUserId: input.assigneeUserId };
      // Read through the caller's transaction: the directory or the calendar loading on another
      // connection would wait forever for it on PGlite.
      const assignee = input.assigneeUserId === null ? undefined : await repo.findUser(trx, input.assigneeUserId);
      const unitIds = [input.issuerUnitId, input.leadUnitId, ...placement.supportUnitIds, ...(assignee ? [assignee.org_unit_id] : [])];
      const ctx: Ctx = { at: clock.now(), units: await repo.unitsByIds(trx, unitIds), cal: createCalendar(await repo.calendarExceptions(trx)) };
      const { at } = ctx;
      await checkPlacement(trx, ctx.units, placement);
      if (input.dueOn) checkedDate(input.dueOn, 'dueOn');
      const row = await createDraft(
        trx,
        actor,
        {
          kind: input.kind,
          ...clearTexts(input),
          issuer_unit_id: input.issuerUnitId,
          lead_unit_id: input.leadUnitId,
          support_unit_ids: placement.supportUnitIds,
          assignee_user_id: input.assigneeUserId,
          due_on: input.dueOn,
          parent_id: null,
          weight: 1,
          source_kind: input.sourceKind,
          source_ref: blankToNull(input.sourceRef) ?? null,
          source_id: input.sourceId,
          created_by: actor.userId,
          at,
        },
        { sourceKind: input.sourceKind, sourceId: input.sourceId },
      );
      await issueIn(trx, actor, row, true, ctx);
      return { id: row.id, code: row.code };
    },
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
