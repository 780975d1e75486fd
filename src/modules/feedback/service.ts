// The staff side of citizen feedback: categories, queues, a report's detail, every lifecycle
// action (one transaction each: report, timeline, audit; the bus after commit), suggestions.

import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { type Db, type Queryable, inTransaction } from '../../db/kysely.js';
import { type Actor, type Role, STAFF_ROLES, hasRootScope, isInScope, requireRole, scopePaths } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Bus } from '../../platform/bus/bus.js';
import type { CalendarService } from '../../platform/calendar/service.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors/errors.js';
import type { FileStore } from '../../platform/files/store.js';
import { type ListResult, pageOf, sortOf } from '../../platform/http/list.js';
import type { OrgUnitDirectory } from '../../platform/orgunits/directory.js';
import { businessDateOf, createFeedbackDeadlines, endOfBusinessDay, type FeedbackDeadlines } from './deadline.js';
import { boxAround, distanceMeters } from './geo.js';
import { type FeedbackAction, type FeedbackActor, type FeedbackReport, allowedActions, transition, type TimelineEvent } from './lifecycle.js';
import { type PreparedPhoto, preparePhotos } from './photos.js';
import { jsonDetails, lifecycleOf, toCategory, toListItem, toPhoto, toTimelineEvent } from './present.js';
import type { CategoryCache } from './category-cache.js';
import * as repo from './repo.js';
import { suggestUnit } from './routing.js';
import type { Category, CategoryListQuery, CreateCategory, Duplicate, Report, ReportListItem, ReportListQuery, Routing, UpdateCategory } from './schemas.js';
import { ACTION_LABELS, type FeedbackActionType, type FeedbackState } from './states.js';

/** Who verifies and routes reports of an area (cán bộ tiếp nhận, điều phối). */
export const OPERATOR_ROLES: readonly Role[] = ['administrator', 'leader', 'operator'];
/**
 * Who handles an assigned report for its unit (cán bộ, lãnh đạo đơn vị xử lý), on that unit or a
 * unit above it, which supervises it. Operators and administrators act through the operator's actions.
 */
export const HANDLER_ROLES: readonly Role[] = ['leader', 'officer'];
export const OPEN_STATES: readonly FeedbackState[] = ['received', 'verified', 'assigned', 'in_progress'];
export const DEFAULT_DUPLICATE_RADIUS = 100;
/** Text similar enough (pg_trgm similarity of the folded texts) to suggest a duplicate farther away. */
const SIMILAR_TEXT = 0.45;

export interface FeedbackDeps {
  db: Db;
  bus: Bus;
  calendar: CalendarService;
  directory: OrgUnitDirectory;
  files: FileStore;
  /** The categories the intake keeps in memory: told after each change is committed. */
  categories: Pick<CategoryCache, 'changed'>;
  now?: () => Date;
}

export function reportScope(actor: Actor): repo.ReportScope {
  return { areaPaths: scopePaths(actor, OPERATOR_ROLES), unitPaths: scopePaths(actor, STAFF_ROLES), noArea: hasRootScope(actor, OPERATOR_ROLES) };
}

function canSee(actor: Actor, r: repo.ReportRow): boolean {
  if (r.unit_path && isInScope(actor, r.unit_path, STAFF_ROLES)) return true;
  if (r.area_path) return isInScope(actor, r.area_path, OPERATOR_ROLES);
  return hasRootScope(actor, OPERATOR_ROLES);
}

const isOperatorOf = (actor: Actor, r: repo.ReportRow) =>
  r.area_path ? isInScope(actor, r.area_path, OPERATOR_ROLES) || (!!r.unit_path && isInScope(actor, r.unit_path, OPERATOR_ROLES)) : hasRootScope(actor, OPERATOR_ROLES);
const isUnitOf = (actor: Actor, r: repo.ReportRow) => !!r.unit_path && isInScope(actor, r.unit_path, HANDLER_ROLES);

/**
 * The lifecycle's view of a staff member on one report: the operator for the operator's actions
 * when they are one; otherwise the handling unit when they handle it, else a unit the lifecycle
 * refuses (after its own check of the state).
 */
function lifecycleActor(actor: Actor, r: repo.ReportRow, wants: 'operator' | 'unit'): FeedbackActor {
  const userId = actor.userId ?? undefined;
  if (wants === 'operator' && isOperatorOf(actor, r)) return { role: 'operator', userId };
  return { role: 'unit', unitId: isUnitOf(actor, r) && r.unit_id ? r.unit_id : -1, userId };
}

/**
 * Refuses a unit's action to someone who sees the report but is no officer or leader of its
 * handling unit (or of a unit above it): a province's operator cannot resolve a commune's report.
 * Only when the handling unit itself could act now; otherwise the lifecycle's refusal says more.
 */
function requireHandler(actor: Actor, r: repo.ReportRow, report: FeedbackReport, type: FeedbackActionType, at: Date) {
  if (isUnitOf(actor, r) || !r.unit_id || !allowedActions(report, { role: 'unit', unitId: r.unit_id }, at).includes(type)) return;
  throw new AppError(
    403,
    'HANDLER_ROLE_REQUIRED',
    `Chỉ cán bộ hoặc lãnh đạo của đơn vị được giao xử lý${r.unit_name ? ` (${r.unit_name})` : ''} hoặc của đơn vị cấp trên mới được thực hiện thao tác "${ACTION_LABELS[type]}". ` +
      'Điều hành viên và quản trị viên tiếp nhận, chuyển xử lý và duyệt gia hạn; muốn xử lý thay đơn vị, hãy đề nghị được cấp vai trò cán bộ hoặc lãnh đạo của đơn vị.',
  );
}

/** Categories serve the whole locality: only its administrators (on a root unit) edit them. */
function requireLocalityAdministrator(actor: Actor) {
  if (!hasRootScope(actor, ['administrator'])) throw forbidden('Chỉ quản trị viên cấp tỉnh/thành phố mới sửa danh mục lĩnh vực phản ánh.');
}

const SORTS = { receivedAt: 'received_at', deadline: 'deadline', status: 'status', code: 'code', verifiedAt: 'verified_at', resolvedAt: 'resolved_at' } as const;
const CATEGORY_SORTS = { code: 'lower(code)', name: 'name', group: 'group_name', deadlineDays: 'deadline_days' } as const;

const dayStart = (date: string) => new Date(endOfBusinessDay(date).getTime() + 1 - 86_400_000);
const dayAfter = (date: string) => new Date(endOfBusinessDay(date).getTime() + 1);

type ActionMaker = (report: FeedbackReport, row: repo.ReportRow, actor: FeedbackActor, deadlines: FeedbackDeadlines, at: Date) => FeedbackAction;

interface ActOptions {
  wants: 'operator' | 'unit';
  make: ActionMaker;
  /** Extra work in the same transaction before the change is written (checks on other rows). */
  check?: (trx: Queryable, row: repo.ReportRow) => Promise<void>;
  /** Columns the lifecycle does not own (answer, rejection). */
  extra?: (event: TimelineEvent) => Partial<repo.ReportChanges>;
  photos?: PreparedPhoto[];
  /** A second action applied right after the first in the same transaction (verify + assign). */
  followUp?: { wants: 'operator' | 'unit'; make: ActionMaker };
  urgent?: boolean;
}

export function createFeedbackService(deps: FeedbackDeps) {
  const { db, bus, calendar, directory, files } = deps;
  const now = deps.now ?? (() => new Date());

  async function deadlinesNow(): Promise<FeedbackDeadlines> {
    return createFeedbackDeadlines({ calendar: await calendar.calendar() });
  }

  async function visibleReport(q: Queryable, actor: Actor, id: number, forUpdate = false): Promise<repo.ReportRow> {
    const row = await repo.findReport(q, { id }, forUpdate);
    if (!row || !canSee(actor, row)) throw notFound('phản ánh');
    return row;
  }

  function changesOf(before: repo.ReportRow, after: FeedbackReport, at: Date, deadlines: FeedbackDeadlines): repo.ReportChanges {
    const deadlineMoved = (after.deadline?.getTime() ?? null) !== (before.deadline?.getTime() ?? null);
    return {
      status: after.state,
      unit_id: after.unitId,
      verified_at: after.verifiedAt,
      deadline: after.deadline,
      original_deadline: after.originalDeadline,
      resolved_at: after.resolvedAt,
      // Computed once, at resolution, with the calendar of that moment (statistics read it); kept as computed.
      handling_hours: !after.resolvedAt ? null : before.resolved_at ? before.handling_hours : after.verifiedAt ? deadlines.workingHoursBetween(after.verifiedAt, after.resolvedAt) : null,
      closed_at: after.state === 'closed' ? (before.closed_at ?? at) : null,
      rating: after.rating?.value ?? null,
      rating_comment: after.rating?.comment ?? null,
      rated_at: after.rating?.at ?? null,
      merged_into: after.mergedIntoId,
      overdue_at: deadlineMoved && after.deadline && after.deadline.getTime() > at.getTime() ? null : before.overdue_at,
    };
  }

  /** Where an event about the report goes on the bus: the handling unit, else the area. */
  function busTarget(r: { unit_id: number | null; unit_path: string | null; area_unit_id: number | null; area_path: string | null }) {
    return r.unit_id ? { orgUnitId: r.unit_id, orgUnitPath: r.unit_path } : { orgUnitId: r.area_unit_id, orgUnitPath: r.area_path };
  }

  async function act(actor: Actor, id: number, opts: ActOptions): Promise<Report> {
    requireRole(actor, STAFF_ROLES);
    const deadlines = await deadlinesNow();
    const snapshot = await directory.snapshot();
    const at = now();
    const outcome = await inTransaction(db, async (trx) => {
      const row = await visibleReport(trx, actor, id, true);
      await opts.check?.(trx, row);
      const steps = [{ wants: opts.wants, make: opts.make }, ...(opts.followUp ? [opts.followUp] : [])];
      let report = lifecycleOf(row);
      let current = row;
      const events: TimelineEvent[] = [];
      for (const step of steps) {
        const who = lifecycleActor(actor, current, step.wants);
        const action = step.make(report, current, who, deadlines, at);
        if (step.wants === 'unit') requireHandler(actor, current, report, action.type, at);
        const result = transition(report, action, at);
        events.push(result.event);
        await writeStep(trx, actor, current, result.report, result.event, at, opts, deadlines);
        report = result.report;
        const unit = report.unitId ? snapshot.byId.get(report.unitId) : undefined;
        current = { ...current, ...changesOf(current, report, at, deadlines), unit_path: unit?.path ?? null, pending_extension_id: report.pendingExtension ? -1 : null };
      }
      return { before: row, after: current, events };
    });
    const target = busTarget(outcome.after);
    for (const event of outcome.events) {
      bus.publish({ type: 'feedback.changed', ...target, payload: { id, code: outcome.before.code, action: event.action, status: event.to } });
    }
    if (opts.urgent && !outcome.before.urgent) {
      bus.publish({ type: 'feedback.urgent', ...target, payload: { id, code: outcome.before.code, description: outcome.before.description.slice(0, 200) } });
    }
    // The actor just acted on it legitimately, even if it left their scope (a send-back).
    return get(actor, id, true);
  }

  async function writeStep(trx: Queryable, actor: Actor, row: repo.ReportRow, after: FeedbackReport, event: TimelineEvent, at: Date, opts: ActOptions, deadlines: FeedbackDeadlines) {
    const changes = { ...changesOf(row, after, at, deadlines), ...opts.extra?.(event), ...(opts.urgent ? { urgent: true } : {}) };
    await repo.updateReport(trx, row.id, changes);
    if (event.action === 'request_extension' && after.pendingExtension) {
      await repo.insertExtension(trx, { reportId: row.id, unitId: row.unit_id ?? 0, proposedDeadline: after.pendingExtension.proposedDeadline, reason: after.pendingExtension.reason, requestedAt: at, userId: actor.userId });
    } else if (event.action === 'decide_extension') {
      const d = event.details as { decision: 'approve' | 'refuse'; reason?: string };
      await repo.decideExtension(trx, row.id, { decision: d.decision, reason: d.reason ?? null, at, userId: actor.userId });
    } else if (row.pending_extension_id && !after.pendingExtension) {
      await repo.withdrawPendingExtension(trx, row.id, at);
    }
    if (event.action === 'resolve' && opts.photos?.length) await repo.insertPhotos(trx, row.id, opts.photos);
    const role = event.actor.role;
    await repo.insertEvent(trx, {
      report_id: row.id,
      action: event.action,
      from_status: event.from,
      to_status: event.to,
      at,
      public: event.public,
      actor_role: role,
      user_id: actor.userId,
      unit_id: event.actor.role === 'unit' ? event.actor.unitId : null,
      details: jsonDetails(event.details),
    });
    await recordAudit(trx, actor, {
      module: 'feedback',
      action: event.action,
      entityType: 'feedback_report',
      entityId: row.id,
      orgUnitId: after.unitId ?? row.area_unit_id,
      before: { status: row.status, unitId: row.unit_id, deadline: row.deadline },
      after: { status: after.state, unitId: after.unitId, deadline: after.deadline, ...jsonDetails(event.details) },
    });
  }

  async function get(actor: Actor, id: number, justActed = false): Promise<Report> {
    requireRole(actor, STAFF_ROLES);
    const row = justActed ? await repo.findReport(db, { id }) : await visibleReport(db, actor, id);
    if (!row) throw notFound('phản ánh');
    const [events, photos, deadlines] = await Promise.all([repo.listEvents(db, id, false), repo.listPhotos(db, id), deadlinesNow()]);
    const at = now();
    const report = lifecycleOf(row);
    const actions = new Set<string>();
    for (const wants of ['operator', 'unit'] as const) {
      if ((wants === 'operator' ? isOperatorOf : isUnitOf)(actor, row)) for (const a of allowedActions(report, lifecycleActor(actor, row, wants), at)) actions.add(a);
    }
    return {
      ...toListItem(row, deadlines, at),
      description: row.description,
      reporterName: row.reporter_name,
      reporterPhone: row.reporter_phone,
      reporterEmail: row.reporter_email,
      anonymous: row.anonymous,
      originalDeadline: row.original_deadline?.toISOString() ?? null,
      answer: row.answer,
      rejectionReason: row.rejection_reason,
      rejectionText: row.rejection_text,
      ratingComment: row.rating_comment,
      ratedAt: row.rated_at?.toISOString() ?? null,
      mergedIntoId: row.merged_into,
      attributes: row.attributes,
      pendingExtension:
        row.pending_extension_id && row.pending_proposed_deadline && row.pending_requested_at
          ? { id: row.pending_extension_id, proposedDeadline: row.pending_proposed_deadline.toISOString(), reason: row.pending_reason ?? '', requestedAt: row.pending_requested_at.toISOString() }
          : null,
      photos: photos.map(toPhoto),
      timeline: events.map(toTimelineEvent),
      allowedActions: [...actions].filter((a) => a !== 'rate' && a !== 'reopen'),
    };
  }

  async function assignableUnit(actor: Actor, unitId: number) {
    const unit = (await directory.snapshot()).byId.get(unitId);
    if (!unit?.active) throw badRequest('UNIT_NOT_FOUND', 'Không tìm thấy đơn vị xử lý đã chọn, hoặc đơn vị đã ngừng hoạt động.');
    if (!isInScope(actor, unit.path, STAFF_ROLES)) throw forbidden('Đơn vị này nằm ngoài phạm vi được phân quyền của bạn.');
    return unit;
  }

  async function categoryRow(id: number) {
    const row = await repo.findCategory(db, { id });
    if (!row) throw notFound('lĩnh vực');
    return row;
  }

  async function duplicatesOf(q: Queryable, f: { categoryId: number; lat: number | null; lng: number | null; text: string; radius: number; excludeId?: number; statuses?: readonly string[] }): Promise<Duplicate[]> {
    // A duplicate is an open report of the same category within the radius AND with a similar
    // text (the issue's rule); before any text is typed, nearness alone; without a point, text alone.
    const hasPoint = f.lat !== null && f.lng !== null;
    const box = hasPoint ? boxAround(f.lat as number, f.lng as number, f.radius) : null;
    const rows = await repo.duplicateCandidates(q, { categoryId: f.categoryId, box, text: f.text, excludeId: f.excludeId, statuses: f.statuses ?? OPEN_STATES });
    const similarEnough = (similarity: number) => f.text.trim() === '' || similarity >= SIMILAR_TEXT;
    return rows
      .map((r) => ({ r, meters: hasPoint && r.lat !== null && r.lng !== null ? distanceMeters(f.lat as number, f.lng as number, r.lat, r.lng) : null }))
      .filter(({ r, meters }) => (hasPoint ? meters !== null && meters <= f.radius : true) && similarEnough(r.similarity))
      .sort((a, b) => (a.meters ?? Number.POSITIVE_INFINITY) - (b.meters ?? Number.POSITIVE_INFINITY) || b.r.similarity - a.r.similarity)
      .slice(0, 20)
      .map(({ r, meters }) => ({
        id: r.id,
        code: r.code,
        status: r.status,
        description: r.description.slice(0, 300),
        distanceMeters: meters === null ? null : Math.round(meters),
        similarity: Math.round(r.similarity * 1000) / 1000,
        receivedAt: r.received_at.toISOString(),
      }));
  }

  return {
    deadlinesNow,
    duplicatesOf,
    busTarget,

    // ---- categories ----
    async listCategories(actor: Actor, query: CategoryListQuery): Promise<ListResult<Category>> {
      requireRole(actor, STAFF_ROLES);
      const page = pageOf(query);
      const sort = sortOf(query.sort, CATEGORY_SORTS, { column: 'lower(code)', direction: 'asc' });
      const { rows, total } = await repo.listCategories(db, { active: query.active, q: query.q, sort: `${sort.column} ${sort.direction}`, limit: page.limit, offset: page.offset });
      return { items: rows.map(toCategory), total };
    },
    async getCategory(actor: Actor, id: number): Promise<Category> {
      requireRole(actor, STAFF_ROLES);
      return toCategory(await categoryRow(id));
    },
    async createCategory(actor: Actor, input: CreateCategory): Promise<Category> {
      requireLocalityAdministrator(actor);
      const row = await inTransaction(db, async (trx) => {
        if (await repo.findCategory(trx, { code: input.code })) throw conflict('CATEGORY_CODE_TAKEN', `Mã lĩnh vực "${input.code}" đã được dùng. Hãy chọn mã khác.`);
        const created = await repo.insertCategory(trx, {
          code: input.code,
          name: input.name,
          description: input.description ?? '',
          group_name: input.group ?? '',
          attributes: input.attributes ?? [],
          unit_kind: input.unitKind ?? 'commune',
          deadline_days: input.deadlineDays ?? 3,
          active: input.active ?? true,
        });
        await recordAudit(trx, actor, { module: 'feedback', action: 'category.create', entityType: 'feedback_category', entityId: created.id, after: toCategory(created) });
        return created;
      });
      deps.categories.changed();
      return toCategory(row);
    },
    async updateCategory(actor: Actor, id: number, input: UpdateCategory): Promise<Category> {
      requireLocalityAdministrator(actor);
      const row = await inTransaction(db, async (trx) => {
        const before = await repo.findCategory(trx, { id });
        if (!before) throw notFound('lĩnh vực');
        if (input.code && input.code.toLowerCase() !== before.code.toLowerCase() && (await repo.findCategory(trx, { code: input.code }))) {
          throw conflict('CATEGORY_CODE_TAKEN', `Mã lĩnh vực "${input.code}" đã được dùng. Hãy chọn mã khác.`);
        }
        const updated = await repo.updateCategory(trx, id, {
          code: input.code ?? before.code,
          name: input.name ?? before.name,
          description: input.description ?? before.description,
          group_name: input.group ?? before.group_name,
          attributes: input.attributes ?? before.attributes,
          unit_kind: input.unitKind ?? before.unit_kind,
          deadline_days: input.deadlineDays ?? before.deadline_days,
          active: input.active ?? before.active,
        });
        await recordAudit(trx, actor, { module: 'feedback', action: 'category.update', entityType: 'feedback_category', entityId: id, before: toCategory(before), after: toCategory(updated) });
        return updated;
      });
      deps.categories.changed();
      return toCategory(row);
    },

    // ---- reports ----
    async list(actor: Actor, query: ReportListQuery): Promise<ListResult<ReportListItem>> {
      requireRole(actor, STAFF_ROLES);
      const snapshot = await directory.snapshot();
      const deadlines = await deadlinesNow();
      const at = now();
      const filters: repo.ReportFilters = {
        statuses: query.status?.split(','),
        categoryId: query.categoryId,
        q: query.q,
        urgent: query.urgent,
        from: query.from ? dayStart(query.from) : undefined,
        to: query.to ? dayAfter(query.to) : undefined,
      };
      for (const [key, id] of [['unitPath', query.unitId], ['areaPath', query.areaUnitId]] as const) {
        if (id === undefined) continue;
        const unit = snapshot.byId.get(id);
        // An unknown unit or one outside the scope filters everything out, like any other filter.
        filters[key] = unit ? unit.path : '/none/';
      }
      if (query.deadlineStatus) {
        filters.statuses = (filters.statuses ?? ['verified', 'assigned', 'in_progress']).filter((s) => ['verified', 'assigned', 'in_progress'].includes(s));
        if (query.deadlineStatus === 'overdue') filters.deadlineBefore = new Date(at.getTime() - 1);
        else {
          filters.deadlineAfter = at;
          filters.deadlineBefore = endOfBusinessDay((await calendar.calendar()).addWorkingDays(businessDateOf(at), 1));
        }
        if (filters.statuses.length === 0) filters.statuses = ['none'];
      }
      let where = repo.filterCondition(filters);
      const scope = reportScope(actor);
      if (query.queue === 'unit') {
        where = repo.filterCondition({ ...filters, statuses: filters.statuses ?? ['assigned', 'in_progress'] });
        scope.areaPaths = [];
        scope.noArea = false;
      } else if (query.queue === 'operator') {
        scope.unitPaths = [];
        where = repo.filterCondition({ ...filters, statuses: filters.statuses ?? ['received', 'verified', 'assigned', 'in_progress'] });
      }
      const pendingOnly = query.queue === 'operator' && !query.status ? sql`AND (r.status IN ('received', 'verified') OR x.id IS NOT NULL)` : sql``;
      const full = sql`${where} AND ${repo.scopeCondition(scope)} ${pendingOnly}`;
      const sort = sortOf(query.sort, SORTS, { column: 'received_at', direction: 'desc' });
      const page = pageOf(query);
      const { rows, total } = await repo.listReports(db, full, sort, page);
      return { items: rows.map((r) => toListItem(r, deadlines, at)), total };
    },

    get: (actor: Actor, id: number) => get(actor, id),

    async suggestions(actor: Actor, id: number, radius = DEFAULT_DUPLICATE_RADIUS): Promise<{ routing: Routing; duplicates: Duplicate[] }> {
      requireRole(actor, STAFF_ROLES);
      const row = await visibleReport(db, actor, id);
      const snapshot = await directory.snapshot();
      const category = await categoryRow(row.category_id);
      const area = row.area_unit_id ? (snapshot.byId.get(row.area_unit_id) ?? null) : null;
      const routing = await suggestUnit(db, snapshot, row.lat, row.lng, category.unit_kind, area);
      const duplicates = await duplicatesOf(db, { categoryId: row.category_id, lat: row.lat, lng: row.lng, text: row.description, radius, excludeId: row.id });
      // Only what the caller may open.
      const visible = [];
      for (const d of duplicates) {
        const other = await repo.findReport(db, { id: d.id });
        if (other && canSee(actor, other)) visible.push(d);
      }
      return { routing, duplicates: visible };
    },

    async duplicates(actor: Actor, f: { categoryId: number; lat: number; lng: number; text?: string; radius?: number }): Promise<Duplicate[]> {
      requireRole(actor, STAFF_ROLES);
      const found = await duplicatesOf(db, { categoryId: f.categoryId, lat: f.lat, lng: f.lng, text: f.text ?? '', radius: f.radius ?? DEFAULT_DUPLICATE_RADIUS });
      const visible = [];
      for (const d of found) {
        const other = await repo.findReport(db, { id: d.id });
        if (other && canSee(actor, other)) visible.push(d);
      }
      return visible;
    },

    async photo(actor: Actor, id: number, photoId: number): Promise<{ mime: string; stream: Readable }> {
      requireRole(actor, STAFF_ROLES);
      await visibleReport(db, actor, id);
      const photo = (await repo.listPhotos(db, id)).find((p) => p.id === photoId);
      const stream = photo ? await files.stream(photo.file_key) : null;
      if (!photo || !stream) throw notFound('ảnh');
      return { mime: photo.mime, stream };
    },

    async verifyPhoto(actor: Actor, id: number, photoId: number, verified: boolean) {
      requireRole(actor, STAFF_ROLES);
      return inTransaction(db, async (trx) => {
        const row = await visibleReport(trx, actor, id, true);
        if (!isOperatorOf(actor, row)) throw forbidden('Chỉ cán bộ tiếp nhận mới duyệt ảnh của người phản ánh.');
        const photo = await repo.setPhotoVerified(trx, id, photoId, verified);
        if (!photo) throw notFound('ảnh');
        await recordAudit(trx, actor, { module: 'feedback', action: 'photo.verify', entityType: 'feedback_photo', entityId: photoId, orgUnitId: row.area_unit_id, after: { verified } });
        return toPhoto(photo);
      });
    },

    // ---- lifecycle actions ----
    async verify(actor: Actor, id: number, input: { unitId?: number; urgent?: boolean }) {
      if (input.unitId !== undefined) await assignableUnit(actor, input.unitId);
      return act(actor, id, {
        wants: 'operator',
        make: (_, row, who, d, at) => ({ type: 'verify', actor: who as never, deadline: d.handlingDeadline(at, row.deadline_days) }),
        followUp: input.unitId === undefined ? undefined : { wants: 'operator', make: (_, __, who) => ({ type: 'assign', actor: who as never, unitId: input.unitId as number }) },
        urgent: input.urgent === true,
      });
    },
    reject: (actor: Actor, id: number, input: { reason: 'spam' | 'not_enough_information' | 'out_of_scope'; text: string }) =>
      act(actor, id, {
        wants: 'operator',
        make: (_, __, who) => ({ type: 'reject', actor: who as never, reason: input.reason, text: input.text }),
        extra: (event) => ({ rejection_reason: input.reason, rejection_text: String(event.details.text ?? input.text) }),
      }),
    merge: (actor: Actor, id: number, targetId: number) =>
      act(actor, id, {
        wants: 'operator',
        check: async (trx) => {
          if (targetId === id) return;
          const target = await repo.findReport(trx, { id: targetId });
          if (!target || !canSee(actor, target)) throw notFound('phản ánh gốc');
          if (target.status === 'merged' || target.status === 'rejected') {
            throw conflict('MERGE_TARGET_INVALID', 'Phản ánh gốc đã bị từ chối hoặc đã được gộp; hãy chọn phản ánh gốc khác.');
          }
        },
        make: (_, __, who) => ({ type: 'merge', actor: who as never, targetId }),
      }),
    async assign(actor: Actor, id: number, unitId: number) {
      await assignableUnit(actor, unitId);
      return act(actor, id, { wants: 'operator', make: (_, __, who) => ({ type: 'assign', actor: who as never, unitId }) });
    },
    sendBack: (actor: Actor, id: number, reason: string) =>
      act(actor, id, { wants: 'unit', make: (_, __, who) => ({ type: 'send_back', actor: who as never, reason }) }),
    start: (actor: Actor, id: number) => act(actor, id, { wants: 'unit', make: (_, __, who) => ({ type: 'start', actor: who as never }) }),
    requestExtension: (actor: Actor, id: number, input: { proposedDate: string; reason: string }) =>
      act(actor, id, {
        wants: 'unit',
        make: (_, __, who, d) => ({ type: 'request_extension', actor: who as never, proposedDeadline: d.deadlineOn(input.proposedDate), reason: input.reason }),
      }),
    decideExtension: (actor: Actor, id: number, input: { decision: 'approve' | 'refuse'; reason?: string }) =>
      act(actor, id, { wants: 'operator', make: (_, __, who) => ({ type: 'decide_extension', actor: who as never, decision: input.decision, reason: input.reason }) }),
    async resolve(actor: Actor, id: number, answer: string, photoFiles: Buffer[]) {
      requireRole(actor, STAFF_ROLES);
      // Check what can be checked before any photo is stored.
      const row = await visibleReport(db, actor, id);
      if (!answer.trim()) throw badRequest('ANSWER_REQUIRED', 'Vui lòng nhập nội dung trả lời kết quả xử lý cho người phản ánh.');
      if (answer.length > 4000) throw badRequest('ANSWER_TOO_LONG', 'Nội dung trả lời không được dài quá 4.000 ký tự.');
      const report = lifecycleOf(row);
      requireHandler(actor, row, report, 'resolve', now());
      transition(report, { type: 'resolve', actor: lifecycleActor(actor, row, 'unit') as never, answer }, now());
      const photos = await preparePhotos(photoFiles, files, 'answer');
      return act(actor, id, {
        wants: 'unit',
        make: (_, __, who) => ({ type: 'resolve', actor: who as never, answer, photos: photos.map((p) => p.file_key) }),
        extra: () => ({ answer: answer.trim() }),
        photos,
      });
    },
    close: (actor: Actor, id: number) => act(actor, id, { wants: 'operator', make: (_, __, who) => ({ type: 'close', actor: who as never }) }),
  };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
