// The dossier list (every filter of the scorecard's drill-down, the overdue and "due within N
// working days" lists) and a dossier's detail with its timeline, its deadline and how it was
// counted, and its timeliness now and as of a chosen instant (rules/timeliness.ts).
//
// Scope: a user sees the dossiers received by units in their grants' subtrees (STAFF_ROLES). A
// unit filter outside that scope lists nothing, like any other filter; a dossier outside it is
// "not found".

import type { Db } from '../../db/kysely.js';
import { type Actor, STAFF_ROLES, isInScope, requireRole, scopePaths } from '../../platform/auth/actor.js';
import { businessDateOf, endOfBusinessDay, startOfBusinessDay } from '../../platform/calendar/businessTime.js';
import type { WorkingCalendar } from '../../platform/calendar/calendar.js';
import type { CalendarService } from '../../platform/calendar/service.js';
import { badRequest, notFound } from '../../platform/errors/errors.js';
import { type ListResult, pageOf, sortOf } from '../../platform/http/list.js';
import { type OrgUnitDirectory, type Snapshot, subtreeOf } from '../../platform/orgunits/directory.js';
import { type DossierDetailRow, type DossierFilters, type DossierRow, findDossier, listDossiers } from './lists-repo.js';
import type { DossierDetail, DossierDetailQuery, DossierListItem, DossierListQuery } from './report-schemas.js';
import { pausedWorkingDays } from './rules/deadline.js';
import { DOSSIER_CHANNELS, DOSSIER_STATUSES, type DossierStatus, STATUS_LABELS, orderEvents, statusFromCode } from './rules/statuses.js';
import { type Timeliness, type TimelinessAsOf, timelinessAsOf } from './rules/timeliness.js';

const SORTS = {
  receivedAt: 'd.received_at',
  dueOn: 'd.due_on',
  overdueFrom: 'd.overdue_from',
  endedAt: 'd.ended_at',
  statusAt: 'd.status_at',
  code: 'd.code',
} as const;

/** `YYYY-MM-DD` is the end of that day in Vietnam; anything else an instant. */
export function parseAsOf(value: string | undefined, now: Date): Date {
  if (value === undefined) return now;
  try {
    const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? endOfBusinessDay(value) : new Date(value);
    if (!Number.isNaN(at.getTime())) return at;
  } catch {
    // falls through to the error below
  }
  throw badRequest('INVALID_AS_OF', `Thời điểm "${value}" không hợp lệ: dùng ngày YYYY-MM-DD hoặc thời điểm ISO 8601.`);
}

/**
 * The receiving units a caller may list, within `unitId`'s subtree when given; null: every unit
 * (a caller whose scope is the whole tree, with no unit asked).
 */
export function visibleUnitIds(snapshot: Snapshot, actor: Actor, unitId: number | undefined): number[] | null {
  const scopes = scopePaths(actor, STAFF_ROLES);
  let prefixes = scopes;
  if (unitId !== undefined) {
    const unit = snapshot.byId.get(unitId);
    if (!unit) return [];
    prefixes = scopes.some((s) => unit.path.startsWith(s)) ? [unit.path] : scopes.filter((s) => s.startsWith(unit.path));
  }
  const ids = prefixes.flatMap((p) => subtreeOf(snapshot, p).map((u) => u.id));
  return ids.length === snapshot.byPath.length ? null : ids;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toListItem(r: DossierRow, unitName: string, cal: WorkingCalendar, now: Date): DossierListItem {
  const openNow = r.received_at <= now && (!r.ended_at || r.ended_at > now);
  return {
    id: Number(r.id),
    code: r.code,
    sourceCode: r.source_code,
    procedureId: r.procedure_id,
    procedureCode: r.procedure_code,
    procedureName: r.procedure_name,
    unitId: r.unit_id,
    unitName,
    channel: DOSSIER_CHANNELS[r.channel - 1],
    receivedAt: r.received_at.toISOString(),
    promisedOn: r.promised_on,
    dueOn: r.due_on,
    status: statusFromCode(r.status),
    statusAt: r.status_at.toISOString(),
    endedAt: iso(r.ended_at),
    endedStatus: r.ended_status === null ? null : statusFromCode(r.ended_status),
    overdueFrom: iso(r.overdue_from),
    handler: r.handler,
    timeliness: r.timeliness,
    workingDaysLeft: openNow && r.due_on && !r.waiting_for_citizen ? cal.workingDaysBetween(businessDateOf(now), r.due_on) : null,
    supplementRequests: r.supplement_requests,
    waitingForCitizen: r.waiting_for_citizen,
    fee: r.fee === null ? null : Number(r.fee),
    paidOnline: r.paid_online,
    complaint: r.complaint,
  };
}

/** The classification the derived columns give at `at` (lists-repo.ts's `timelinessAt`). */
function storedTimeliness(r: DossierRow, at: Date): Timeliness {
  if (r.received_at > at) return 'not_received';
  if (r.ended_at && r.ended_at <= at) return r.overdue_from && r.overdue_from <= r.ended_at ? 'completed_late' : 'completed_on_time';
  return r.overdue_from && r.overdue_from <= at ? 'in_process_overdue' : 'in_process_within';
}

/** The rules' judgement of the dossier at `at`, from its own facts. */
function judge(cal: WorkingCalendar, r: DossierDetailRow, at: Date): DossierDetail['now'] {
  let result: TimelinessAsOf;
  try {
    result = timelinessAsOf(
      cal,
      {
        receivedAt: r.received_at,
        promisedReturnDate: r.promised_on,
        processingWorkingDays: r.procedure_processing_days,
        supplements: r.supplement_asked.map((askedAt, i) => ({ askedAt, answeredAt: r.supplement_answered[i] ?? null })),
        events: r.event_statuses.map((code, i) => ({ status: statusFromCode(code), at: r.event_times[i] })),
      },
      at,
    );
  } catch (err) {
    // A dossier whose deadline cannot be counted (the writer refuses them): the stored classification.
    if (!(err instanceof RangeError)) throw err;
    return { at: at.toISOString(), timeliness: storedTimeliness(r, at), lateReasons: [], deadline: null };
  }
  const d = result.deadline;
  return {
    at: at.toISOString(),
    timeliness: result.timeliness,
    lateReasons: result.lateReasons,
    deadline: d && {
      basis: r.promised_on === null ? 'processing_time' : 'promised',
      promisedOn: r.promised_on,
      processingWorkingDays: r.procedure_processing_days,
      baseDueDate: d.baseDueDate,
      pausedWorkingDays: d.pausedWorkingDays,
      supplementRequests: d.supplementRequests,
      dueDate: d.dueDate,
      dueAt: d.dueAt.toISOString(),
    },
  };
}

/** At the same instant: the citizen's answer, then the status it led to; a request after its status event. */
const KIND_ORDER = { supplement_answered: 0, status: 1, supplement_requested: 2 } as const;

function timelineOf(cal: WorkingCalendar, r: DossierDetailRow, until: Date): Pick<DossierDetail, 'timeline' | 'supplements'> {
  const supplements = r.supplement_asked.map((askedAt, i) => {
    const answeredAt = r.supplement_answered[i] ?? null;
    let paused = 0;
    try {
      paused = pausedWorkingDays(cal, [{ askedAt, answeredAt }], until);
    } catch {
      // an answer before its request: shown as it is, pausing nothing
    }
    return { askedAt, answeredAt, paused };
  });
  const entries: (DossierDetail['timeline'][number] & { time: number })[] = [
    ...orderEvents(r.event_statuses.map((code, i) => ({ status: statusFromCode(code), at: r.event_times[i] }))).map((e) => ({
      time: e.at.getTime(),
      at: e.at.toISOString(),
      kind: 'status' as const,
      status: e.status,
      label: STATUS_LABELS[e.status],
      pausedWorkingDays: null,
    })),
    ...supplements.flatMap((s) => [
      { time: s.askedAt.getTime(), at: s.askedAt.toISOString(), kind: 'supplement_requested' as const, status: null, label: 'Yêu cầu bổ sung hồ sơ', pausedWorkingDays: null },
      ...(s.answeredAt
        ? [{ time: s.answeredAt.getTime(), at: s.answeredAt.toISOString(), kind: 'supplement_answered' as const, status: null, label: 'Công dân bổ sung hồ sơ', pausedWorkingDays: s.paused }]
        : []),
    ]),
  ];
  entries.sort((a, b) => a.time - b.time || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  return {
    timeline: entries.map(({ time: _, ...e }) => e),
    supplements: supplements.map((s) => ({ askedAt: s.askedAt.toISOString(), answeredAt: iso(s.answeredAt), pausedWorkingDays: s.paused })),
  };
}

export interface DossierListsDeps {
  db: Db;
  directory: OrgUnitDirectory;
  calendar: CalendarService;
  now?: () => Date;
}

export function createDossierLists(deps: DossierListsDeps) {
  const { db, directory, calendar } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    async list(actor: Actor, query: DossierListQuery): Promise<ListResult<DossierListItem>> {
      requireRole(actor, STAFF_ROLES);
      const snapshot = await directory.snapshot();
      const cal = await calendar.calendar();
      const at = now();
      if (query.from && query.to && query.to < query.from) throw badRequest('INVALID_PERIOD', 'Ngày kết thúc (to) không được trước ngày bắt đầu (from).');
      const asOf = parseAsOf(query.asOf, at);
      let after = query.to ? new Date(endOfBusinessDay(query.to).getTime() + 1) : undefined;
      // As of an instant, a dossier received (or resulted) after it is not known yet.
      if (query.asOf !== undefined && (after === undefined || asOf.getTime() + 1 < after.getTime())) after = new Date(asOf.getTime() + 1);
      const filters: DossierFilters = {
        unitIds: visibleUnitIds(snapshot, actor, query.unitId),
        procedureId: query.procedureId,
        channel: query.channel ? DOSSIER_CHANNELS.indexOf(query.channel) + 1 : undefined,
        statuses: query.status?.split(',').map((s) => DOSSIER_STATUSES.indexOf(s as DossierStatus) + 1),
        start: query.from ? startOfBusinessDay(query.from) : undefined,
        after,
        basis: query.basis ?? 'received',
        asOf,
        timeliness: query.timeliness?.split(',') as DossierFilters['timeliness'],
        dueBy: query.dueWithin === undefined ? undefined : { now: at, date: cal.addWorkingDays(businessDateOf(at), query.dueWithin) },
        onlineCapable: query.onlineCapable,
        fee: query.fee,
        paidOnline: query.paidOnline,
        complaint: query.complaint,
        synced: query.synced,
        digitised: query.digitised,
        electronicResult: query.electronicResult,
        reusedData: query.reusedData,
        q: query.q,
      };
      if (filters.unitIds?.length === 0) return { items: [], total: 0 };
      const page = pageOf(query);
      const sort = sortOf(query.sort, SORTS, { column: 'd.received_at', direction: 'desc' });
      const { rows, total } = await listDossiers(db, filters, { sort: sort.column, direction: sort.direction, limit: page.limit, offset: page.offset });
      return { items: rows.map((r) => toListItem(r, snapshot.byId.get(r.unit_id)?.name ?? '', cal, at)), total };
    },

    async get(actor: Actor, id: number, query: DossierDetailQuery): Promise<DossierDetail> {
      requireRole(actor, STAFF_ROLES);
      const at = now();
      const asOf = query.asOf === undefined ? null : parseAsOf(query.asOf, at);
      const row = await findDossier(db, id, at);
      const snapshot = await directory.snapshot();
      const unit = row ? snapshot.byId.get(row.unit_id) : undefined;
      if (!row || !unit || !isInScope(actor, unit.path, STAFF_ROLES)) throw notFound('hồ sơ');
      const cal = await calendar.calendar();
      return {
        ...toListItem(row, unit.name, cal, at),
        sourceName: row.source_name,
        procedureProcessingDays: row.procedure_processing_days,
        procedureOnline: row.procedure_online,
        synced: row.synced,
        digitised: row.digitised,
        electronicResult: row.electronic_result,
        reusedData: row.reused_data,
        rating: row.rating,
        ...timelineOf(cal, row, row.ended_at && row.ended_at <= at ? row.ended_at : at),
        now: judge(cal, row, at),
        asOf: asOf ? judge(cal, row, asOf) : null,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      };
    },
  };
}

export type DossierLists = ReturnType<typeof createDossierLists>;
