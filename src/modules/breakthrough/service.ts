// Breakthrough tasks (công việc đột phá): a unit's list for a year, edited by its leaders and
// operators, submitted to the superior Standing Committee (the parent unit), approved there (each
// item issued as a task in the same transaction) or returned with comments; the year-end review.
// One transaction per change, with its audit entry.

import type { Transaction } from 'kysely';
import { type Db, inTransaction } from '../../db/kysely.js';
import type { Tables } from '../../db/schema.js';
import { type Actor, type Role, STAFF_ROLES, isInScope, scopePaths } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { businessDateOf } from '../../platform/calendar/businessTime.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors/errors.js';
import type { OrgUnitDirectory, Snapshot, UnitEntry } from '../../platform/orgunits/directory.js';
import { CLEAR_LABELS, type ClearKey, missingClears } from '../tasks/rules/clarity.js';
import { clarityFacts, targetText, toEvent, toItem, toSummary, unitRef } from './present.js';
import * as repo from './repo.js';
import type { CreateRegistration, ItemFields, Registration, RegistrationListQuery, RegistrationStatus, RegistrationSummary, ReviewBody } from './schemas.js';
import type { TaskGateway, TaskProgress } from './tasks-gateway.js';

/** Who registers a unit's list and who reviews it for the superior unit (lãnh đạo, điều hành viên). */
export const EDIT_ROLES: readonly Role[] = ['leader', 'operator'];
const EDITABLE: readonly RegistrationStatus[] = ['draft', 'returned'];
const UNDER_REVIEW: readonly RegistrationStatus[] = ['submitted', 'resubmitted'];
const LIST = 'danh sách công việc đột phá';
const MODULE = 'breakthrough';

export interface BreakthroughDeps {
  db: Db;
  directory: OrgUnitDirectory;
  tasks: TaskGateway;
  /** The working calendar, read before an approval's transaction: see `approve`. */
  calendar: { calendar(): Promise<unknown> };
  now?: () => Date;
}

type Trx = Transaction<Tables>;

export function createBreakthroughService(deps: BreakthroughDeps) {
  const { db, directory, tasks } = deps;
  const now = deps.now ?? (() => new Date());

  const parentOf = (snapshot: Snapshot, unitId: number): UnitEntry | null => {
    const parentId = snapshot.byId.get(unitId)?.parentId;
    return parentId == null ? null : (snapshot.byId.get(parentId) ?? null);
  };
  const canView = (actor: Actor, r: repo.RegistrationRow) => isInScope(actor, r.unit_path, STAFF_ROLES);
  const isOwner = (actor: Actor, r: repo.RegistrationRow) => isInScope(actor, r.unit_path, EDIT_ROLES);
  const isSuperior = (actor: Actor, snapshot: Snapshot, r: repo.RegistrationRow) => {
    const parent = parentOf(snapshot, r.unit_id);
    return parent !== null && isInScope(actor, parent.path, EDIT_ROLES);
  };

  /** The list as `actor` may see it; 404 when it does not exist or lies outside their scope. */
  async function visible(q: Db | Trx, actor: Actor, id: number, forUpdate = false): Promise<repo.RegistrationRow> {
    const r = await repo.findRegistration(q, id, { forUpdate });
    if (!r || !canView(actor, r)) throw notFound(LIST);
    return r;
  }

  function requireVersion(r: repo.RegistrationRow, version: number) {
    if (r.version !== version) {
      throw new AppError(409, 'BREAKTHROUGH_VERSION_CONFLICT', 'Danh sách vừa được người khác thay đổi. Vui lòng tải lại và thử lại.', { version: r.version });
    }
  }

  function requireEditable(actor: Actor, r: repo.RegistrationRow) {
    if (!isOwner(actor, r)) throw forbidden('Chỉ lãnh đạo hoặc điều hành viên của đơn vị đăng ký mới được sửa danh sách công việc đột phá.');
    if (!EDITABLE.includes(r.status)) {
      throw conflict('BREAKTHROUGH_NOT_EDITABLE', 'Danh sách đã trình cấp trên hoặc đã được phê duyệt nên không sửa được nữa.');
    }
  }

  function requireSuperior(actor: Actor, snapshot: Snapshot, r: repo.RegistrationRow) {
    if (!isSuperior(actor, snapshot, r)) {
      throw forbidden('Chỉ lãnh đạo hoặc điều hành viên của đơn vị cấp trên (Ban Thường vụ cấp trên) mới được duyệt hoặc đánh giá danh sách này.');
    }
  }

  /**
   * A change: lock the list, let `authorize` refuse it (403 / 409 on its state), check the version,
   * apply `work`, bump the version; then the fresh detail.
   */
  async function change(
    actor: Actor,
    id: number,
    version: number,
    authorize: (r: repo.RegistrationRow, snapshot: Snapshot) => void,
    work: (trx: Trx, r: repo.RegistrationRow, snapshot: Snapshot) => Promise<repo.RegistrationChange | undefined>,
  ) {
    const snapshot = await directory.snapshot();
    await inTransaction(db, async (trx) => {
      const r = await visible(trx, actor, id, true);
      authorize(r, snapshot);
      requireVersion(r, version);
      const changed = await work(trx, r, snapshot);
      // The row is locked and its version checked: this cannot miss.
      if (!(await repo.updateRegistration(trx, id, version, changed ?? {}, now()))) throw new Error(`breakthrough registration ${id} changed under its lock`);
    });
    return get(actor, id);
  }

  const clean = (text: string | null | undefined) => (text == null ? text : text.trim() === '' ? null : text.trim());

  /** The item's values after `body`, checked: units and people of the registering unit, a whole target. */
  async function itemValues(q: Trx, snapshot: Snapshot, r: repo.RegistrationRow, body: ItemFields, current?: repo.ItemRow): Promise<repo.ItemValues> {
    const pick = <K extends keyof ItemFields, V>(key: K, old: V): V => (body[key] === undefined ? old : (body[key] as V));
    const v: repo.ItemValues = {
      title: clean(pick('title', current?.title ?? null)) ?? null,
      description: clean(pick('description', current?.description ?? null)) ?? null,
      targetValue: pick('targetValue', current?.target_value == null ? null : Number(current.target_value)),
      targetUnit: clean(pick('targetUnit', current?.target_unit ?? null)) ?? null,
      leadUnitId: pick('leadUnitId', current?.lead_unit_id ?? null),
      assigneeUserId: pick('assigneeUserId', current?.assignee_user_id ?? null),
      dueOn: pick('dueOn', current?.due_on ?? null),
      expectedResult: clean(pick('expectedResult', current?.expected_result ?? null)) ?? null,
      authority: clean(pick('authority', current?.authority ?? null)) ?? null,
    };
    if ((v.targetValue === null) !== (v.targetUnit === null)) {
      throw badRequest('TARGET_INCOMPLETE', 'Chỉ tiêu gồm một con số và đơn vị tính (km, tỷ đồng, hộ, %…): hãy nhập cả hai hoặc để trống cả hai.');
    }
    if (v.targetValue !== null && v.targetValue < 0) throw badRequest('TARGET_NEGATIVE', 'Chỉ tiêu không được là số âm.');
    if (v.targetUnit === '%' && v.targetValue !== null && v.targetValue > 100) throw badRequest('TARGET_PERCENT_OVER_100', 'Chỉ tiêu tính theo % không được vượt quá 100.');
    const unit = snapshot.byId.get(r.unit_id);
    let lead: UnitEntry | undefined;
    if (v.leadUnitId !== null) {
      lead = snapshot.byId.get(v.leadUnitId);
      if (!lead?.active) throw badRequest('UNKNOWN_UNIT', `Không có đơn vị (mã số ${v.leadUnitId}) đang hoạt động để chủ trì.`);
      if (!unit || !lead.path.startsWith(unit.path)) {
        throw badRequest('LEAD_UNIT_OUTSIDE', `Đơn vị chủ trì "${lead.name}" không thuộc ${unit?.name ?? 'đơn vị đăng ký'}: hãy chọn đơn vị trực thuộc.`);
      }
    }
    if (v.assigneeUserId !== null) {
      const [person] = await repo.findPeople(q, [v.assigneeUserId]);
      if (!person?.active) throw badRequest('UNKNOWN_USER', `Không có người dùng (mã số ${v.assigneeUserId}) đang hoạt động.`);
      const within = lead ?? unit;
      if (!within || !person.unit_path.startsWith(within.path)) {
        throw badRequest('ASSIGNEE_OUTSIDE', `${person.full_name} không thuộc ${within?.name ?? 'đơn vị chủ trì'}: người thực hiện phải là cán bộ của đơn vị chủ trì.`);
      }
    }
    if (v.dueOn !== null && v.dueOn < `${r.year}-01-01`) {
      throw badRequest('DUE_BEFORE_YEAR', `Thời hạn phải từ ngày 01/01/${r.year} trở đi (danh sách công việc đột phá năm ${r.year}).`);
    }
    return v;
  }

  async function progressOf(itemIds: number[]): Promise<Map<number, TaskProgress>> {
    return itemIds.length ? tasks.bySource('breakthrough', itemIds) : new Map();
  }

  async function get(actor: Actor, id: number): Promise<Registration> {
    const [snapshot, r] = await Promise.all([directory.snapshot(), visible(db, actor, id)]);
    const [items, events, sixClears] = await Promise.all([repo.listItems(db, [id]), repo.listEvents(db, id), tasks.sixClears()]);
    const progress = await progressOf(items.filter((i) => i.task_id !== null).map((i) => i.id));
    const superior = parentOf(snapshot, r.unit_id);
    const owner = isOwner(actor, r);
    const reviewer = isSuperior(actor, snapshot, r);
    return {
      ...toSummary(r, snapshot.byId),
      superiorUnit: superior ? unitRef(superior) : null,
      items: items.map((i) => toItem(i, snapshot.byId, progress.get(i.id), sixClears)),
      events: events.map(toEvent),
      can: {
        edit: owner && EDITABLE.includes(r.status),
        submit: owner && EDITABLE.includes(r.status) && superior !== null && items.length > 0,
        review: reviewer && UNDER_REVIEW.includes(r.status),
        assess: reviewer && r.status === 'approved',
      },
    };
  }

  const audit = (trx: Trx, actor: Actor, r: repo.RegistrationRow, action: string, entry: { entityType?: string; entityId?: number; before?: unknown; after?: unknown }) =>
    recordAudit(trx, actor, {
      module: MODULE,
      action,
      entityType: entry.entityType ?? 'breakthrough_registration',
      entityId: entry.entityId ?? r.id,
      orgUnitId: r.unit_id,
      before: entry.before,
      after: entry.after,
    });

  return {
    get,

    /** The lists of the actor's scope (or of `unitId`'s subtree); `toReview`: those waiting for the actor's decision. */
    async list(actor: Actor, query: RegistrationListQuery): Promise<{ items: RegistrationSummary[]; total: number }> {
      const snapshot = await directory.snapshot();
      let paths = scopePaths(actor, query.toReview ? EDIT_ROLES : STAFF_ROLES);
      if (query.unitId !== undefined) {
        const unit = snapshot.byId.get(query.unitId);
        if (!unit || !isInScope(actor, unit.path, STAFF_ROLES)) throw notFound('đơn vị');
        paths = [unit.path];
      }
      const rows = await repo.listRegistrations(db, {
        paths,
        strictlyBelow: query.toReview,
        year: query.year,
        statuses: query.toReview ? [...UNDER_REVIEW] : query.status ? [query.status] : undefined,
      });
      const items = rows.filter((r) => !query.toReview || isSuperior(actor, snapshot, r)).map((r) => toSummary(r, snapshot.byId));
      return { items, total: items.length };
    },

    async create(actor: Actor, body: CreateRegistration): Promise<Registration> {
      const snapshot = await directory.snapshot();
      const unit = snapshot.byId.get(body.unitId);
      if (!unit || !isInScope(actor, unit.path, STAFF_ROLES)) throw notFound('đơn vị');
      if (!isInScope(actor, unit.path, EDIT_ROLES)) throw forbidden('Chỉ lãnh đạo hoặc điều hành viên của đơn vị mới được đăng ký công việc đột phá.');
      if (!unit.active) throw badRequest('UNIT_INACTIVE', `Đơn vị "${unit.name}" đã ngừng hoạt động.`);
      const thisYear = Number(businessDateOf(now()).slice(0, 4));
      if (body.year > thisYear + 1) {
        throw badRequest('YEAR_OUT_OF_RANGE', `Chỉ đăng ký được công việc đột phá đến năm ${thisYear + 1}.`);
      }
      const id = await inTransaction(db, async (trx) => {
        const created = await repo.insertRegistration(trx, { unitId: unit.id, year: body.year, createdBy: actor.userId, at: now() });
        if (!created) throw conflict('BREAKTHROUGH_EXISTS', `${unit.name} đã có danh sách công việc đột phá năm ${body.year}: hãy mở danh sách đó để sửa.`);
        await repo.insertEvent(trx, { registrationId: created, type: 'created', round: 0, actorUserId: actor.userId, at: now() });
        await recordAudit(trx, actor, { module: MODULE, action: 'create', entityType: 'breakthrough_registration', entityId: created, orgUnitId: unit.id, after: body });
        return created;
      });
      return get(actor, id);
    },

    addItem(actor: Actor, id: number, body: ItemFields & { version: number }) {
      return change(actor, id, body.version, (r) => requireEditable(actor, r), async (trx, r, snapshot) => {
        if (r.item_count >= 50) throw badRequest('TOO_MANY_ITEMS', 'Một danh sách có tối đa 50 công việc đột phá.');
        const { version: _, ...fields } = body;
        const values = await itemValues(trx, snapshot, r, fields);
        const itemId = await repo.insertItem(trx, r.id, values);
        await audit(trx, actor, r, 'item.create', { entityType: 'breakthrough_item', entityId: itemId, after: values });
        return undefined;
      });
    },

    updateItem(actor: Actor, id: number, itemId: number, body: ItemFields & { version: number }) {
      return change(actor, id, body.version, (r) => requireEditable(actor, r), async (trx, r, snapshot) => {
        const current = (await repo.listItems(trx, [r.id])).find((i) => i.id === itemId);
        if (!current) throw notFound('công việc đột phá trong danh sách này');
        const { version: _, ...fields } = body;
        const values = await itemValues(trx, snapshot, r, fields, current);
        await repo.updateItem(trx, itemId, values);
        await audit(trx, actor, r, 'item.update', { entityType: 'breakthrough_item', entityId: itemId, before: current, after: values });
        return undefined;
      });
    },

    deleteItem(actor: Actor, id: number, itemId: number, version: number) {
      return change(actor, id, version, (r) => requireEditable(actor, r), async (trx, r) => {
        const current = (await repo.listItems(trx, [r.id])).find((i) => i.id === itemId);
        if (!current) throw notFound('công việc đột phá trong danh sách này');
        await repo.deleteItem(trx, r.id, itemId);
        await audit(trx, actor, r, 'item.delete', { entityType: 'breakthrough_item', entityId: itemId, before: current });
        return undefined;
      });
    },

    /** Sends the list to the superior unit: refused, naming each item's missing clears, unless every item is clear. */
    submit(actor: Actor, id: number, version: number) {
      return change(actor, id, version, (r) => requireEditable(actor, r), async (trx, r, snapshot) => {
        const superior = parentOf(snapshot, r.unit_id);
        if (!superior) throw conflict('NO_SUPERIOR_UNIT', 'Đơn vị cấp cao nhất không có cấp trên để trình danh sách.');
        const items = await repo.listItems(trx, [r.id]);
        if (items.length === 0) throw new AppError(422, 'BREAKTHROUGH_EMPTY', 'Danh sách chưa có công việc đột phá nào: hãy thêm ít nhất một công việc trước khi trình.');
        const sixClears = await tasks.sixClears(trx);
        const unclear = items
          .map((i) => ({ itemId: i.id, position: i.position, title: i.title, missing: missingClears(clarityFacts(i), sixClears) }))
          .filter((i) => i.missing.length > 0)
          .map((i) => ({ ...i, labels: i.missing.map((k: ClearKey) => CLEAR_LABELS[k]) }));
        if (unclear.length > 0) {
          const parts = unclear.map((i) => `công việc số ${i.position}${i.title ? ` ("${i.title.slice(0, 60)}")` : ''} chưa ${i.labels.join(', ')}`);
          throw new AppError(422, 'BREAKTHROUGH_NOT_CLEAR', `Chưa thể trình: ${parts.join('; ')}.`, { items: unclear });
        }
        const round = r.round + 1;
        const status: RegistrationStatus = r.status === 'returned' ? 'resubmitted' : 'submitted';
        await repo.insertEvent(trx, { registrationId: r.id, type: status, round, actorUserId: actor.userId, at: now() });
        await audit(trx, actor, r, 'submit', { before: { status: r.status }, after: { status, round, superiorUnitId: superior.id } });
        return { status, round, submittedAt: now(), submittedBy: actor.userId };
      });
    },

    /** Approves the list: every item is issued as a task of the superior unit, all in one transaction. */
    async approve(actor: Actor, id: number, version: number) {
      const authorize = (r: repo.RegistrationRow, snapshot: Snapshot) => {
        requireSuperior(actor, snapshot, r);
        if (!UNDER_REVIEW.includes(r.status)) throw conflict('BREAKTHROUGH_NOT_SUBMITTED', 'Danh sách chưa được trình nên chưa thể phê duyệt.');
      };
      // Issuing reads the calendar; on PGlite the transaction holds the only connection, so it must
      // be in memory before the transaction starts (the unit tree is, through `change`).
      await deps.calendar.calendar();
      return change(actor, id, version, authorize, async (trx, r, snapshot) => {
        const superior = parentOf(snapshot, r.unit_id) as UnitEntry;
        const unit = snapshot.byId.get(r.unit_id);
        const issued: { itemId: number; taskId: number; code: string }[] = [];
        for (const item of await repo.listItems(trx, [r.id])) {
          const target = targetText(item.target_value === null ? null : Number(item.target_value), item.target_unit);
          const task = await tasks.issueFromSource(trx, actor, {
            kind: 'breakthrough',
            sourceKind: 'breakthrough',
            sourceId: item.id,
            sourceRef: `Công việc đột phá năm ${r.year} của ${unit?.name ?? 'đơn vị'}, số ${item.position}`,
            issuerUnitId: superior.id,
            leadUnitId: item.lead_unit_id as number,
            assigneeUserId: item.assignee_user_id,
            title: item.title ?? '',
            description: [item.description, target ? `Chỉ tiêu: ${target}` : null].filter(Boolean).join('\n') || null,
            expectedResult: item.expected_result,
            authority: item.authority,
            dueOn: item.due_on,
          });
          await repo.setItemTask(trx, item.id, task.id);
          issued.push({ itemId: item.id, taskId: task.id, code: task.code });
        }
        await repo.insertEvent(trx, { registrationId: r.id, type: 'approved', round: r.round, actorUserId: actor.userId, at: now() });
        await audit(trx, actor, r, 'approve', { before: { status: r.status }, after: { status: 'approved', tasks: issued } });
        const at = now();
        return { status: 'approved', reviewerUnitId: superior.id, reviewedAt: at, reviewedBy: actor.userId, approvedAt: at };
      });
    },

    /** Returns the list to its unit with the superior's comments; the unit edits and submits again. */
    returnList(actor: Actor, id: number, version: number, comments: string) {
      const authorize = (r: repo.RegistrationRow, snapshot: Snapshot) => {
        requireSuperior(actor, snapshot, r);
        if (!UNDER_REVIEW.includes(r.status)) throw conflict('BREAKTHROUGH_NOT_SUBMITTED', 'Danh sách chưa được trình nên chưa thể trả lại.');
      };
      return change(actor, id, version, authorize, async (trx, r, snapshot) => {
        const text = comments.trim();
        if (!text) throw badRequest('COMMENTS_REQUIRED', 'Hãy ghi ý kiến khi trả lại danh sách để đơn vị biết cần sửa gì.');
        const superior = parentOf(snapshot, r.unit_id) as UnitEntry;
        await repo.insertEvent(trx, { registrationId: r.id, type: 'returned', round: r.round, actorUserId: actor.userId, comments: text, at: now() });
        await audit(trx, actor, r, 'return', { before: { status: r.status }, after: { status: 'returned', comments: text } });
        return { status: 'returned', reviewerUnitId: superior.id, reviewedAt: now(), reviewedBy: actor.userId, returnComments: text };
      });
    },

    /** The year-end review of one item (đánh giá cuối năm), by the superior unit. */
    async review(actor: Actor, id: number, itemId: number, body: ReviewBody): Promise<Registration> {
      const snapshot = await directory.snapshot();
      await inTransaction(db, async (trx) => {
        const r = await visible(trx, actor, id, true);
        requireSuperior(actor, snapshot, r);
        if (r.status !== 'approved') throw conflict('BREAKTHROUGH_NOT_APPROVED', 'Chỉ đánh giá được công việc của danh sách đã phê duyệt.');
        // Two reviewers at once: the second is told, not silently overwritten.
        requireVersion(r, body.version);
        const current = (await repo.listItems(trx, [r.id])).find((i) => i.id === itemId);
        if (!current) throw notFound('công việc đột phá trong danh sách này');
        const after = { result: body.result, achievedValue: body.achievedValue ?? null, note: clean(body.note) ?? null };
        await repo.setItemReview(trx, itemId, { ...after, by: actor.userId, at: now() });
        await repo.updateRegistration(trx, r.id, r.version, {}, now());
        await audit(trx, actor, r, 'item.review', {
          entityType: 'breakthrough_item',
          entityId: itemId,
          before: { result: current.review_result, achievedValue: current.achieved_value, note: current.review_note },
          after,
        });
      });
      return get(actor, id);
    },

    /** Units, items and their tasks for the overview (the province table): read by overview.ts. */
    async rowsFor(unitPath: string, year: number) {
      const registrations = await repo.listRegistrations(db, { paths: [unitPath], year });
      const items = await repo.listItems(
        db,
        registrations.map((r) => r.id),
      );
      const [progress, sixClears] = await Promise.all([progressOf(items.filter((i) => i.task_id !== null).map((i) => i.id)), tasks.sixClears()]);
      return { registrations, items, progress, sixClears };
    },
  };
}

export type BreakthroughService = ReturnType<typeof createBreakthroughService>;
