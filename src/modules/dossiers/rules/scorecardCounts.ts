// The Decision 766 counts of one unit's subtree for one period, computed from dossiers and
// procedures in memory: the reference the module's SQL aggregates must agree with, and what the
// hand-computed tests check. The definitions of each count are in scorecard766.ts (COUNT_NAMES).
//
// Decisions:
// - Procedures: a procedure counts once for the subtree when any unit kind in the subtree handles
//   it, however many units do (the province's share of procedures, not an average of units).
// - "Published on time": announced and published on the national portal no later than the
//   procedure's effective date, less the lead times of PublicationRule (0 working days by default,
//   the locality's editable setting; RULES.md does not give them).
// - A dossier field that the source may lack (synchronised, digitised, electronic result, reuse of
//   digitised data) is null when unknown; a count over dossiers where any of them is null is null
//   (no data), never a guess.
// - A fee-bearing dossier is one whose payment record has a fee above 0: exemptions make the
//   dossier, not the procedure, the unit of measure.

import type { WorkingCalendar } from '../../../platform/calendar/calendar.js';
import type { SupplementRequest } from './deadline.js';
import { type Period, inPeriod } from './period.js';
import type { ScorecardCounts } from './scorecard766.js';
import { type DossierChannel, type DossierEvent, RESULT_STATUSES } from './statuses.js';
import { countsAsOnTime, timelinessAsOf } from './timeliness.js';

export type ProcedureFacts = {
  /** National procedure code (mã thủ tục). */
  code: string;
  /** The org-unit kinds that handle it. */
  unitKinds: readonly string[];
  /** Legal processing time in working days; null when the catalogue gives none. */
  processingWorkingDays: number | null;
  online: 'full' | 'partial' | 'none';
  /** 'YYYY-MM-DD' dates: in force from; announcement decision (công bố); published on the national portal. */
  effectiveOn: string | null;
  announcedOn: string | null;
  publishedOn: string | null;
};

export type DossierFacts = {
  code: string;
  procedureCode: string;
  channel: DossierChannel;
  receivedAt: Date;
  promisedReturnDate: string | null;
  events: readonly DossierEvent[];
  supplements: readonly SupplementRequest[];
  /** null: nothing to pay. */
  payment: { fee: number; paidOnline: boolean } | null;
  syncedToNationalPortal: boolean | null;
  digitised: boolean | null;
  electronicResult: boolean | null;
  reusedDigitisedData: boolean | null;
  complaint: boolean;
};

/** Working days before the effective date by which a procedure must be announced and published. */
export type PublicationRule = { announceLeadWorkingDays: number; publishLeadWorkingDays: number };
export const DEFAULT_PUBLICATION_RULE: PublicationRule = { announceLeadWorkingDays: 0, publishLeadWorkingDays: 0 };

export function publishedOnTime(calendar: WorkingCalendar, procedure: ProcedureFacts, rule: PublicationRule = DEFAULT_PUBLICATION_RULE): boolean {
  const { effectiveOn, announcedOn, publishedOn } = procedure;
  if (!effectiveOn || !announcedOn || !publishedOn) return false;
  const latest = (lead: number) => (lead === 0 ? effectiveOn : calendar.addWorkingDays(effectiveOn, -lead));
  return announcedOn <= latest(rule.announceLeadWorkingDays) && publishedOn <= latest(rule.publishLeadWorkingDays);
}

export type CountsInput = {
  calendar: WorkingCalendar;
  period: Period;
  /** The dossiers received by units of the subtree. */
  dossiers: readonly DossierFacts[];
  /** The procedure catalogue. */
  procedures: readonly ProcedureFacts[];
  /** The org-unit kinds present in the subtree. */
  unitKinds: ReadonlySet<string>;
  /** Citizens' feedback on procedures, from its own source; null: no data. */
  feedback: { due: number; handledOnTime: number } | null;
  publicationRule?: PublicationRule;
};

/** The counts of procedures (measures 1.1 and 3.1): a procedure catalogue's share of the subtree. */
export const PROCEDURE_COUNTS = ['proceduresEffective', 'proceduresPublishedOnTime', 'proceduresInForce', 'proceduresFullyOnline'] as const;
export type ProcedureCountName = (typeof PROCEDURE_COUNTS)[number];

/** The procedures each procedure count counts: what its number is the length of, and what its drill-down lists. */
export function procedureSets<P extends ProcedureFacts>(
  input: Pick<CountsInput, 'calendar' | 'period' | 'unitKinds' | 'publicationRule'> & { procedures: readonly P[] },
): Record<ProcedureCountName, P[]> {
  const { calendar, period, unitKinds } = input;
  const handledHere = input.procedures.filter((p) => p.unitKinds.some((kind) => unitKinds.has(kind)));
  const effective = handledHere.filter((p) => p.effectiveOn !== null && p.effectiveOn >= period.from && p.effectiveOn <= period.to);
  const inForce = handledHere.filter((p) => p.effectiveOn === null || p.effectiveOn <= period.to);
  return {
    proceduresEffective: effective,
    proceduresPublishedOnTime: effective.filter((p) => publishedOnTime(calendar, p, input.publicationRule)),
    proceduresInForce: inForce,
    proceduresFullyOnline: inForce.filter((p) => p.online === 'full'),
  };
}

export function scorecardCounts(input: CountsInput): ScorecardCounts {
  const { calendar, period } = input;
  const byCode = new Map(input.procedures.map((p) => [p.code, p]));
  const procedureOf = (dossier: DossierFacts) => {
    const procedure = byCode.get(dossier.procedureCode);
    if (!procedure) throw new RangeError(`Dossier ${dossier.code}: unknown procedure ${dossier.procedureCode}`);
    return procedure;
  };

  const sets = procedureSets(input);

  const received = input.dossiers.filter((d) => inPeriod(period, d.receivedAt));
  const onlineCapable = received.filter((d) => procedureOf(d).online !== 'none');
  const withFee = received.filter((d) => d.payment !== null && d.payment.fee > 0);

  // Every dossier received by the end, judged as of the last instant of the period.
  const judged = input.dossiers
    .filter((d) => d.receivedAt.getTime() <= period.end.getTime())
    .map((d) => ({
      dossier: d,
      asOfEnd: timelinessAsOf(calendar, { ...d, processingWorkingDays: procedureOf(d).processingWorkingDays }, period.end),
    }));
  const handled = judged.filter(({ asOfEnd }) => !asOfEnd.endedAt || asOfEnd.endedAt.getTime() >= period.start.getTime());
  const results = judged.filter(
    ({ asOfEnd }) => asOfEnd.endedAt && asOfEnd.endedWith && RESULT_STATUSES.has(asOfEnd.endedWith) && inPeriod(period, asOfEnd.endedAt),
  );

  return {
    proceduresEffective: sets.proceduresEffective.length,
    proceduresPublishedOnTime: sets.proceduresPublishedOnTime.length,
    dossiersReceived: received.length,
    dossiersSynced: countTrue(received.map((d) => d.syncedToNationalPortal)),
    dossiersHandled: handled.length,
    dossiersHandledOnTime: handled.filter(({ asOfEnd }) => countsAsOnTime(asOfEnd.timeliness)).length,
    dossiersHandledWithComplaint: handled.filter(({ dossier }) => dossier.complaint).length,
    proceduresInForce: sets.proceduresInForce.length,
    proceduresFullyOnline: sets.proceduresFullyOnline.length,
    dossiersReceivedOnlineCapable: onlineCapable.length,
    dossiersReceivedOnline: onlineCapable.filter((d) => d.channel === 'online').length,
    dossiersWithFee: withFee.length,
    dossiersPaidOnline: withFee.filter((d) => d.payment?.paidOnline).length,
    feedbackDue: input.feedback?.due ?? null,
    feedbackHandledOnTime: input.feedback?.handledOnTime ?? null,
    resultsIssued: results.length,
    resultsElectronic: countTrue(results.map(({ dossier }) => dossier.electronicResult)),
    dossiersDigitised: countTrue(received.map((d) => d.digitised)),
    dossiersReusingData: countTrue(received.map((d) => d.reusedDigitisedData)),
  };
}

/** How many are true; null when any is unknown. */
function countTrue(values: readonly (boolean | null)[]): number | null {
  return values.includes(null) ? null : values.filter(Boolean).length;
}
