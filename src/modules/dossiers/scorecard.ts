// The Decision 766 scorecard of a unit with its subtree for a period, the ranking of sibling units
// and the trend by month. Counts come from SQL (scorecard-repo.ts: the monthly rollups for whole
// months, the dossiers themselves for other ranges), procedures' counts from the reference
// (rules/scorecardCounts.ts over the catalogue), and the scoring from rules/scorecard766.ts. Every
// count of dossiers carries the query of GET /api/v1/dossiers that lists the dossiers behind it.
//
// Decisions:
// - Citizens' feedback on procedures (5.1) has no source in the province's data yet: "no data".
// - The procedure catalogue is its active procedures; a procedure counts for a subtree when a unit
//   kind of the subtree handles it (any unit, active or not, so that past periods keep their units).
// - Ranking the children of a unit needs the caller's scope on that unit: the siblings of one's own
//   unit are other units' figures.

import type { Db } from '../../db/kysely.js';
import { type Actor, STAFF_ROLES, reportUnit, requireRole } from '../../platform/auth/actor.js';
import { businessDateOf } from '../../platform/calendar/businessTime.js';
import type { WorkingCalendar } from '../../platform/calendar/calendar.js';
import { daysInMonth } from '../../platform/calendar/isoDate.js';
import type { CalendarService } from '../../platform/calendar/service.js';
import { badRequest, notFound } from '../../platform/errors/errors.js';
import { type OrgUnitDirectory, type Snapshot, type UnitEntry, subtreeOf } from '../../platform/orgunits/directory.js';
import type {
  CountValue,
  DrillDown,
  PeriodOut,
  PeriodQuery,
  Ranking,
  RankingQuery,
  Scorecard,
  ScorecardQuery,
  Trend,
  TrendMonth,
  TrendQuery,
  UnitRef,
} from './report-schemas.js';
import { type Period, type PeriodSpec, reportingPeriod } from './rules/period.js';
import { type CountName, type Scorecard as Scored, type ScorecardCounts, MEASURES, rankSiblings, scorecard766 } from './rules/scorecard766.js';
import { PROCEDURE_COUNTS, type ProcedureCountName, type ProcedureFacts, procedureSets, scorecardCounts } from './rules/scorecardCounts.js';
import { TIMELINESS_LABELS } from './rules/timeliness.js';
import {
  type CountsRow,
  type DossierCounts,
  type MonthWindow,
  type UnderWay,
  addCounts,
  countsMovedBefore,
  directCounts,
  proceduresOfKinds,
  rollupCounts,
  zeroCounts,
} from './scorecard-repo.js';

export const COUNT_LABELS: Record<CountName, string> = {
  proceduresEffective: 'Thủ tục có hiệu lực trong kỳ',
  proceduresPublishedOnTime: 'Thủ tục được công bố, công khai đúng hạn',
  dossiersReceived: 'Hồ sơ tiếp nhận trong kỳ',
  dossiersSynced: 'Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia',
  dossiersHandled: 'Hồ sơ phải giải quyết trong kỳ (kỳ trước chuyển sang và tiếp nhận mới)',
  dossiersHandledOnTime: 'Hồ sơ giải quyết đúng hạn hoặc đang giải quyết trong hạn',
  dossiersHandledWithComplaint: 'Hồ sơ có phản ánh, kiến nghị',
  proceduresInForce: 'Thủ tục đang có hiệu lực',
  proceduresFullyOnline: 'Thủ tục cung cấp dịch vụ công trực tuyến toàn trình',
  dossiersReceivedOnlineCapable: 'Hồ sơ tiếp nhận của thủ tục có dịch vụ công trực tuyến',
  dossiersReceivedOnline: 'Hồ sơ nộp trực tuyến',
  dossiersWithFee: 'Hồ sơ có nghĩa vụ tài chính',
  dossiersPaidOnline: 'Hồ sơ thanh toán trực tuyến',
  feedbackDue: 'Phản ánh, kiến nghị về thủ tục hành chính đến hạn xử lý',
  feedbackHandledOnTime: 'Phản ánh, kiến nghị về thủ tục hành chính được xử lý đúng hạn',
  resultsIssued: 'Hồ sơ có kết quả trong kỳ',
  resultsElectronic: 'Hồ sơ được cấp kết quả điện tử',
  dossiersDigitised: 'Hồ sơ được số hóa',
  dossiersReusingData: 'Hồ sơ sử dụng lại dữ liệu số hóa',
};

/** A period as asked, resolved: the rules' Period, its description, and its whole months if it is made of them. */
export interface ResolvedPeriod {
  period: Period;
  out: PeriodOut;
  months: { firstMonth: string; lastMonth: string } | null;
  /** Set while the period is under way: the dossiers are judged now, not at its end. */
  now: Date | null;
}

const ROMAN = ['I', 'II', 'III', 'IV'];
const dmy = (date: string) => date.split('-').reverse().join('/');
const pad2 = (n: number) => String(n).padStart(2, '0');

/** The period of a query, by default the current month of Vietnam's calendar at `now`. */
export function resolvePeriod(query: PeriodQuery, now: Date): ResolvedPeriod {
  const today = businessDateOf(now);
  const year = query.year ?? Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const kind = query.period ?? 'month';
  let spec: PeriodSpec;
  let label: string;
  let index: number | null = null;
  if (kind === 'range') {
    if (!query.from || !query.to) throw badRequest('INVALID_PERIOD', 'Kỳ tùy chọn cần ngày bắt đầu (from) và ngày kết thúc (to), dạng YYYY-MM-DD.');
    spec = { kind, from: query.from, to: query.to };
    label = `Từ ${dmy(query.from)} đến ${dmy(query.to)}`;
  } else if (kind === 'year') {
    spec = { kind, year };
    label = `Năm ${year}`;
  } else if (kind === 'month') {
    index = query.index ?? month;
    spec = { kind, year, month: index };
    label = `Tháng ${pad2(index)}/${year}`;
  } else if (kind === 'quarter') {
    index = query.index ?? Math.ceil(month / 3);
    spec = { kind, year, quarter: index };
    label = `Quý ${ROMAN[index - 1] ?? index}/${year}`;
  } else {
    index = query.index ?? (month <= 6 ? 1 : 2);
    spec = { kind, year, half: index };
    label = `6 tháng ${index === 1 ? 'đầu' : 'cuối'} năm ${year}`;
  }
  let period: Period;
  try {
    period = reportingPeriod(spec);
  } catch (err) {
    if (err instanceof RangeError) {
      throw badRequest('INVALID_PERIOD', 'Kỳ báo cáo không hợp lệ: tháng 1–12, quý 1–4, nửa năm 1–2, ngày dạng YYYY-MM-DD và ngày kết thúc không trước ngày bắt đầu.');
    }
    throw err;
  }
  const [ty, tm] = period.to.split('-').map(Number);
  const wholeMonths = period.from.endsWith('-01') && Number(period.to.slice(8)) === daysInMonth(ty, tm);
  const underWay = now < period.end;
  return {
    period,
    months: wholeMonths ? { firstMonth: period.from, lastMonth: `${period.to.slice(0, 7)}-01` } : null,
    now: underWay ? now : null,
    out: {
      kind,
      year: kind === 'range' ? null : year,
      index,
      from: period.from,
      to: period.to,
      start: period.start.toISOString(),
      end: period.end.toISOString(),
      asOf: (underWay ? now : period.end).toISOString(),
      label,
    },
  };
}

/** A period of whole months from `start` to before `after`, ending with `lastMonth`, judged at `now`. */
function underWay(start: Date, now: Date, after: Date, lastMonth: string): UnderWay {
  const today = businessDateOf(now);
  const month = reportingPeriod({ kind: 'month', year: Number(today.slice(0, 4)), month: Number(today.slice(5, 7)) });
  return { start, asOf: new Date(now.getTime() + 1), after, currentMonth: month.from, lastMonth, nextMonthStart: new Date(month.end.getTime() + 1) };
}

const unitRef = (u: UnitEntry): UnitRef => ({ id: u.id, code: u.code, name: u.name, kind: u.kind });

const kindsOf = (snapshot: Snapshot, unit: UnitEntry) => new Set(subtreeOf(snapshot, unit.path).map((u) => u.kind));

const toFacts = (p: Awaited<ReturnType<typeof proceduresOfKinds>>[number]): ProcedureFacts => ({
  code: p.code,
  unitKinds: p.unit_kinds,
  processingWorkingDays: p.processing_days,
  online: p.online,
  effectiveOn: p.effective_on,
  announcedOn: p.announced_on,
  publishedOn: p.published_on,
});

/** Only the count of true facts, or null (no data) when a dossier counted has it unknown. */
const known = (count: number, unknown: number) => (unknown > 0 ? null : count);

/**
 * The scorecard's counts: procedures from the reference over the catalogue (with no dossiers),
 * dossiers from SQL. Feedback on procedures has no source: null.
 */
export function countsOf(calendar: WorkingCalendar, period: Period, procedures: ProcedureFacts[], unitKinds: ReadonlySet<string>, c: DossierCounts): ScorecardCounts {
  const ofProcedures = scorecardCounts({ calendar, period, dossiers: [], procedures, unitKinds, feedback: null });
  return {
    ...ofProcedures,
    dossiersReceived: c.received,
    dossiersSynced: known(c.synced, c.syncedUnknown),
    dossiersHandled: c.handled,
    dossiersHandledOnTime: c.completedOnTime + c.inProcessWithin,
    dossiersHandledWithComplaint: c.handledComplaint,
    dossiersReceivedOnlineCapable: c.onlineCapable,
    dossiersReceivedOnline: c.onlineCapableOnline,
    dossiersWithFee: c.withFee,
    dossiersPaidOnline: c.paidOnline,
    feedbackDue: null,
    feedbackHandledOnTime: null,
    resultsIssued: c.results,
    resultsElectronic: known(c.resultsElectronic, c.resultsElectronicUnknown),
    dossiersDigitised: known(c.digitised, c.digitisedUnknown),
    dossiersReusingData: known(c.reusedData, c.reusedDataUnknown),
  };
}

/** The list filters behind each count of dossiers (GET /api/v1/dossiers), and behind its unknown facts. */
export function drillDowns(unitId: number, period: Period, now: Date | null = null): Partial<Record<CountName, { list: DrillDown; unknownList?: DrillDown }>> {
  // While the period is under way every list is as of now, as its count is (a dossier stamped a
  // little ahead of our clock by its source is not counted yet).
  const base = { unitId: String(unitId), from: period.from, to: period.to, ...(now ? { asOf: now.toISOString() } : {}) };
  const received = { ...base, basis: 'received' };
  const handled = { ...base, basis: 'handled' };
  const resulted = { ...base, basis: 'resulted' };
  return {
    dossiersReceived: { list: received },
    dossiersSynced: { list: { ...received, synced: 'true' }, unknownList: { ...received, synced: 'unknown' } },
    dossiersHandled: { list: handled },
    dossiersHandledOnTime: { list: { ...handled, asOf: (now ?? period.end).toISOString(), timeliness: 'completed_on_time,in_process_within' } },
    dossiersHandledWithComplaint: { list: { ...handled, complaint: 'true' } },
    dossiersReceivedOnlineCapable: { list: { ...received, onlineCapable: 'true' } },
    dossiersReceivedOnline: { list: { ...received, onlineCapable: 'true', channel: 'online' } },
    dossiersWithFee: { list: { ...received, fee: 'true' } },
    dossiersPaidOnline: { list: { ...received, fee: 'true', paidOnline: 'true' } },
    resultsIssued: { list: resulted },
    resultsElectronic: { list: { ...resulted, electronicResult: 'true' }, unknownList: { ...resulted, electronicResult: 'unknown' } },
    dossiersDigitised: { list: { ...received, digitised: 'true' }, unknownList: { ...received, digitised: 'unknown' } },
    dossiersReusingData: { list: { ...received, reusedData: 'true' }, unknownList: { ...received, reusedData: 'unknown' } },
  };
}

const isProcedureCount = (name: string): name is ProcedureCountName => (PROCEDURE_COUNTS as readonly string[]).includes(name);

/** The procedure catalogue's query (GET /api/v1/dossiers/procedures) that lists the procedures behind a count. */
export function procedureDrillDown(unitId: number, period: Period, count: ProcedureCountName): DrillDown {
  return { scorecardCount: count, unitId: String(unitId), period: 'range', from: period.from, to: period.to };
}

const UNKNOWN_OF: Partial<Record<CountName, keyof DossierCounts>> = {
  dossiersSynced: 'syncedUnknown',
  resultsElectronic: 'resultsElectronicUnknown',
  dossiersDigitised: 'digitisedUnknown',
  dossiersReusingData: 'reusedDataUnknown',
};

/** The scored card as the API shows it: each measure's counts with their values and lists. */
export function presentScorecard(
  unit: UnitEntry,
  resolved: ResolvedPeriod,
  method: 'rollup' | 'direct',
  counts: ScorecardCounts,
  dossiers: DossierCounts,
  card: Scored,
): Scorecard {
  const lists = drillDowns(unit.id, resolved.period, resolved.now);
  const countValue = (name: CountName): CountValue => {
    const unknownKey = UNKNOWN_OF[name];
    const unknown = unknownKey ? dossiers[unknownKey] : null;
    return {
      name,
      label: COUNT_LABELS[name],
      value: counts[name],
      unknown,
      // No number (no data): nothing to list but the dossiers whose fact is unknown.
      list: counts[name] === null ? null : (lists[name]?.list ?? null),
      unknownList: unknown ? (lists[name]?.unknownList ?? null) : null,
      procedures: isProcedureCount(name) ? procedureDrillDown(unit.id, resolved.period, name) : null,
    };
  };
  const handled = { unitId: String(unit.id), from: resolved.period.from, to: resolved.period.to, basis: 'handled', asOf: resolved.out.asOf };
  const timeliness = (['completedOnTime', 'completedLate', 'inProcessWithin', 'inProcessOverdue'] as const).map((key): CountValue => {
    const name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as keyof typeof TIMELINESS_LABELS;
    return { name, label: TIMELINESS_LABELS[name], value: dossiers[key], unknown: null, list: { ...handled, timeliness: name }, unknownList: null, procedures: null };
  });
  return {
    unit: unitRef(unit),
    period: resolved.out,
    method,
    groups: card.groups.map((g) => ({
      ...g,
      measures: g.measures.map((m) => {
        const definition = MEASURES.find((d) => d.id === m.id);
        const read = Object.keys(m.counts) as CountName[];
        return {
          id: m.id,
          label: m.label,
          status: m.status,
          numerator: read.length === 2 ? read[0] : null,
          denominator: definition?.denominator ?? read[read.length - 1],
          counts: read.map(countValue),
          rate: m.rate,
          threshold: m.threshold,
          points: m.points,
          score: m.score,
        };
      }),
    })),
    earned: card.earned,
    available: card.available,
    outOf100: card.outOf100,
    complete: card.complete,
    unmeasured: card.unmeasured,
    timeliness,
  };
}

const groupScores = (card: Scored) => card.groups.map((g) => ({ id: g.id, score: g.score, available: g.available }));

export interface ScorecardDeps {
  db: Db;
  directory: OrgUnitDirectory;
  calendar: CalendarService;
  now?: () => Date;
}

export function createDossierScorecard(deps: ScorecardDeps) {
  const { db, directory, calendar } = deps;
  const now = deps.now ?? (() => new Date());

  /** The unit asked, or the caller's first unit; 404 when unknown, 403 outside the caller's scope. */
  async function unitOf(actor: Actor, unitId: number | undefined): Promise<{ snapshot: Snapshot; unit: UnitEntry }> {
    const snapshot = await directory.snapshot();
    return { snapshot, unit: reportUnit(actor, snapshot, unitId) };
  }

  /**
   * The dossiers' counts of each root's subtree (the roots are one unit, or siblings): from the
   * rollups' rows of the roots for whole months, else from the dossiers of their subtrees.
   */
  async function countsBySubtree(resolved: ResolvedPeriod, snapshot: Snapshot, roots: UnitEntry[]): Promise<{ counts: Map<number, DossierCounts>; method: 'rollup' | 'direct' }> {
    const counts = new Map(roots.map((r) => [r.id, zeroCounts()]));
    const { start } = resolved.period;
    const after = new Date(resolved.period.end.getTime() + 1);
    const addToRoots = (rows: readonly CountsRow[]) => {
      for (const row of rows) {
        const rootId = snapshot.byId.get(row.unitId)?.pathIds.find((id) => counts.has(id));
        if (rootId !== undefined) addCounts(counts.get(rootId) ?? zeroCounts(), row);
      }
    };
    const subtreeIds = () => roots.flatMap((r) => subtreeOf(snapshot, r.path).map((u) => u.id));
    if (resolved.months) {
      for (const row of await rollupCounts(db, [{ key: 'period', ...resolved.months }], [...counts.keys()])) addCounts(counts.get(row.unitId) ?? zeroCounts(), row);
      // The rollups judge at the end of the period's last month: while it is under way, move what changes between now and then.
      if (resolved.now) addToRoots(await countsMovedBefore(db, underWay(start, resolved.now, after, resolved.months.lastMonth), [...counts.keys()], subtreeIds()));
      return { counts, method: 'rollup' };
    }
    const all = roots.length === 1 && roots[0].parentId === null && snapshot.byPath.every((u) => u.path.startsWith(roots[0].path));
    addToRoots(await directCounts(db, start, resolved.now ? new Date(resolved.now.getTime() + 1) : after, all ? null : subtreeIds()));
    return { counts, method: 'direct' };
  }

  async function catalogue(kinds: ReadonlySet<string>): Promise<ProcedureFacts[]> {
    return (await proceduresOfKinds(db, [...kinds])).map(toFacts);
  }

  return {
    resolvePeriod: (query: PeriodQuery) => resolvePeriod(query, now()),

    /** The ids of the procedures behind a procedure count of a unit's scorecard (measures 1.1 and 3.1). */
    async procedureIds(actor: Actor, query: PeriodQuery & { unitId?: number; count: ProcedureCountName }): Promise<number[]> {
      const { snapshot, unit } = await unitOf(actor, query.unitId);
      const resolved = resolvePeriod(query, now());
      const unitKinds = kindsOf(snapshot, unit);
      const rows = await proceduresOfKinds(db, [...unitKinds]);
      const sets = procedureSets({ calendar: await calendar.calendar(), period: resolved.period, unitKinds, procedures: rows.map((r) => ({ ...toFacts(r), id: r.id })) });
      return sets[query.count].map((p) => p.id);
    },

    async scorecard(actor: Actor, query: ScorecardQuery): Promise<Scorecard> {
      const { snapshot, unit } = await unitOf(actor, query.unitId);
      const resolved = resolvePeriod(query, now());
      const kinds = kindsOf(snapshot, unit);
      const { counts: bySubtree, method } = await countsBySubtree(resolved, snapshot, [unit]);
      const dossiers = bySubtree.get(unit.id) ?? zeroCounts();
      const procedures = await catalogue(kinds);
      const cal = await calendar.calendar();
      const counts = countsOf(cal, resolved.period, procedures, kinds, dossiers);
      return presentScorecard(unit, resolved, method, counts, dossiers, scorecard766(counts));
    },

    /** The children of `parentId`, or the siblings of `unitId` (by default of the caller's unit's children), ranked. */
    async ranking(actor: Actor, query: RankingQuery): Promise<Ranking> {
      requireRole(actor, STAFF_ROLES);
      const snapshot = await directory.snapshot();
      let parentId = query.parentId;
      if (parentId === undefined && query.unitId !== undefined) {
        const unit = snapshot.byId.get(query.unitId);
        if (!unit) throw notFound('đơn vị');
        if (unit.parentId === null) throw badRequest('NO_PARENT', 'Đơn vị cấp cao nhất không có đơn vị cùng cấp để xếp hạng; hãy chọn đơn vị cha (parentId).');
        parentId = unit.parentId;
      }
      const { unit: parent } = await unitOf(actor, parentId);
      const resolved = resolvePeriod(query, now());
      const children = snapshot.byPath.filter((u) => u.parentId === parent.id);
      const { counts: byChild, method } = await countsBySubtree(resolved, snapshot, children);
      const procedures = await catalogue(kindsOf(snapshot, parent));
      const cal = await calendar.calendar();
      const scored = children.map((child) => {
        const kinds = kindsOf(snapshot, child);
        const counts = countsOf(cal, resolved.period, procedures, kinds, byChild.get(child.id) ?? zeroCounts());
        return { unit: child, scorecard: scorecard766(counts) };
      });
      return {
        parent: unitRef(parent),
        period: resolved.out,
        method,
        items: rankSiblings(scored).map(({ unit, scorecard, rank }) => ({
          rank,
          unit: unitRef(unit),
          outOf100: scorecard.outOf100,
          earned: scorecard.earned,
          available: scorecard.available,
          complete: scorecard.complete,
          groups: groupScores(scorecard),
        })),
      };
    },

    /** The total and each group's points for every month of a year, up to the current month. */
    async trend(actor: Actor, query: TrendQuery): Promise<Trend> {
      const { snapshot, unit } = await unitOf(actor, query.unitId);
      const at = now();
      const today = businessDateOf(at);
      const year = query.year ?? Number(today.slice(0, 4));
      const lastMonth = year < Number(today.slice(0, 4)) ? 12 : year > Number(today.slice(0, 4)) ? 0 : Number(today.slice(5, 7));
      const windows: MonthWindow[] = Array.from({ length: lastMonth }, (_, i) => {
        const first = `${year}-${pad2(i + 1)}-01`;
        return { key: first.slice(0, 7), firstMonth: first, lastMonth: first };
      });
      const byMonth = new Map(windows.map((w) => [w.key, zeroCounts()]));
      for (const row of await rollupCounts(db, windows, [unit.id])) addCounts(byMonth.get(row.key) ?? zeroCounts(), row);
      const current = windows.at(-1);
      if (current && current.key === today.slice(0, 7)) {
        // The month under way, as of now (as its scorecard is).
        const period = reportingPeriod({ kind: 'month', year, month: Number(current.key.slice(5)) });
        const during = underWay(period.start, at, new Date(period.end.getTime() + 1), `${current.key}-01`);
        const moved = await countsMovedBefore(db, during, [unit.id], subtreeOf(snapshot, unit.path).map((u) => u.id));
        for (const row of moved) addCounts(byMonth.get(current.key) ?? zeroCounts(), row);
      }
      const kinds = kindsOf(snapshot, unit);
      const procedures = await catalogue(kinds);
      const cal = await calendar.calendar();
      const months = windows.map((w): TrendMonth => {
        const period = reportingPeriod({ kind: 'month', year, month: Number(w.key.slice(5)) });
        const card = scorecard766(countsOf(cal, period, procedures, kinds, byMonth.get(w.key) ?? zeroCounts()));
        return { month: w.key, outOf100: card.outOf100, earned: card.earned, available: card.available, complete: card.complete, groups: groupScores(card) };
      });
      return { unit: unitRef(unit), year, months };
    },
  };
}

export type DossierScorecard = ReturnType<typeof createDossierScorecard>;
