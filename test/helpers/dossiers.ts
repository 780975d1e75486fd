import { sql } from 'kysely';
import type { Db } from '../../src/db/kysely.js';
import type { WorkingCalendar } from '../../src/platform/calendar/calendar.js';
import { type DossierInput, dossierRow, factsOf } from '../../src/modules/dossiers/dossier-row.js';
import type { DossierFacts, ProcedureFacts } from '../../src/modules/dossiers/rules/scorecardCounts.js';
import { upsertRows } from '../../src/modules/dossiers/writer.js';

/** Factory: a source of dossiers (a one-stop system). */
export async function makeSource(db: Db, code = `SRC-${process.pid}`): Promise<number> {
  const { rows } = await sql<{ id: number }>`INSERT INTO dossier_sources (code, name) VALUES (${code}, ${`Hệ thống một cửa ${code}`}) RETURNING id`.execute(db);
  return rows[0].id;
}

/** Factory: the procedures of the catalogue, as the rules describe them; their ids by code. */
export async function makeProcedures(db: Db, procedures: readonly ProcedureFacts[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const p of procedures) {
    const level = p.unitKinds.includes('commune') ? 'commune' : p.unitKinds.includes('district') ? 'district' : 'province';
    const { rows } = await sql<{ id: number }>`
      INSERT INTO dossier_procedures (code, name, level, unit_kinds, processing_days, online, effective_on, announced_on, published_on)
      VALUES (${p.code}, ${`Thủ tục ${p.code}`}, ${level}, ${[...p.unitKinds]}::text[], ${p.processingWorkingDays}, ${p.online},
        ${p.effectiveOn}::date, ${p.announcedOn}::date, ${p.publishedOn}::date)
      RETURNING id`.execute(db);
    ids.set(p.code, rows[0].id);
  }
  return ids;
}

/** The rules' dossier as a source would send it. */
export function inputOf(d: DossierFacts, unitCode: string, handler: string | null = null): DossierInput {
  return {
    code: d.code,
    procedureCode: d.procedureCode,
    receivingUnitCode: unitCode,
    channel: d.channel,
    receivedAt: d.receivedAt,
    promisedReturnDate: d.promisedReturnDate,
    handler,
    events: [...d.events],
    supplements: [...d.supplements],
    fee: d.payment?.fee ?? null,
    paidOnline: d.payment?.paidOnline ?? null,
    synced: d.syncedToNationalPortal,
    digitised: d.digitised,
    electronicResult: d.electronicResult,
    reusedData: d.reusedDigitisedData,
    rating: null,
    complaint: d.complaint,
  };
}

/**
 * Stores dossiers with their derived columns as the ingest writer computes them, through its own
 * upsert statement (one INSERT … ON CONFLICT DO UPDATE for all of them). Unlike `writeDossiers`
 * it does not refuse a dossier whose "processed" is stamped before its receipt: the hand-computed
 * set keeps one (D06) to check the rules' ordering.
 */
export async function storeDossiers(
  db: Db,
  calendar: WorkingCalendar,
  sourceId: number,
  procedures: { ids: Map<string, number>; facts: readonly ProcedureFacts[] },
  dossiers: readonly { facts: DossierFacts; unitId: number; handler?: string }[],
): Promise<void> {
  const rows = dossiers.map(({ facts, unitId, handler }) => {
    const procedureId = procedures.ids.get(facts.procedureCode);
    if (procedureId === undefined) throw new Error(`unknown procedure ${facts.procedureCode}`);
    const days = procedures.facts.find((p) => p.code === facts.procedureCode)?.processingWorkingDays ?? null;
    return dossierRow(calendar, facts.code, factsOf(inputOf(facts, '', handler ?? null), procedureId, unitId), days);
  });
  await upsertRows(db, sourceId, rows, null);
}

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;

/**
 * `count` dossiers of the given procedures received between `from` and `to`, in every shape the
 * rules distinguish: open or ended (with or without a result), on time or late, with 0–2
 * supplement requests (answered or not), a promised date or not, fees paid online or not, facts
 * known or unknown, complaints.
 */
export function randomDossiers(random: () => number, count: number, procedures: readonly ProcedureFacts[], from: Date, to: Date, prefix = 'R'): DossierFacts[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const maybe = (p: number) => random() < p;
  const tri = (pTrue: number, pUnknown: number) => (maybe(pUnknown) ? null : maybe(pTrue));
  const out: DossierFacts[] = [];
  for (let i = 0; i < count; i++) {
    const procedure = pick(procedures);
    const receivedAt = new Date(from.getTime() + Math.floor(random() * (to.getTime() - from.getTime())));
    const day = (d: Date, days: number) => new Date(d.getTime() + days * 24 * HOUR);
    const promised = maybe(0.4) ? new Date(day(receivedAt, 2 + Math.floor(random() * 10)).getTime() + 7 * HOUR).toISOString().slice(0, 10) : null;
    const events: DossierFacts['events'][number][] = [{ status: 'accepted', at: receivedAt }];
    if (maybe(0.7)) events.push({ status: 'in_process', at: new Date(receivedAt.getTime() + HOUR) });
    const supplements: DossierFacts['supplements'][number][] = [];
    const asks = maybe(0.7) ? 0 : maybe(0.75) ? 1 : 2;
    let cursor = receivedAt.getTime() + 2 * HOUR;
    for (let s = 0; s < asks; s++) {
      const askedAt = new Date(cursor + Math.floor(random() * 6 * 24 * HOUR));
      const answeredAt = maybe(0.8) ? new Date(askedAt.getTime() + Math.floor(random() * 8 * 24 * HOUR)) : null;
      supplements.push({ askedAt, answeredAt });
      events.push({ status: 'supplement_requested', at: askedAt });
      cursor = (answeredAt ?? askedAt).getTime() + HOUR;
    }
    if (maybe(0.8)) {
      const endedAt = new Date(cursor + Math.floor(random() * 14 * 24 * HOUR));
      const ending = pick(['processed', 'processed', 'processed', 'returned', 'withdrawn', 'not_accepted', 'stopped'] as const);
      events.push({ status: ending, at: endedAt });
      if (ending === 'processed' && maybe(0.5)) events.push({ status: 'returned', at: new Date(endedAt.getTime() + 20 * HOUR) });
    }
    const fee = maybe(0.5) ? pick([0, 50_000, 100_000, 150_000]) : null;
    out.push({
      code: `${prefix}${String(i).padStart(5, '0')}`,
      procedureCode: procedure.code,
      channel: pick(['in_person', 'online', 'online', 'post'] as const),
      receivedAt,
      promisedReturnDate: procedure.processingWorkingDays === null && promised === null ? receivedAt.toISOString().slice(0, 10) : promised,
      events: maybe(0.2) ? [...events].reverse() : events,
      supplements,
      payment: fee === null ? null : { fee, paidOnline: maybe(0.5) },
      syncedToNationalPortal: tri(0.7, 0.02),
      digitised: tri(0.6, 0.02),
      electronicResult: tri(0.5, 0.03),
      reusedDigitisedData: tri(0.3, 0.02),
      complaint: maybe(0.1),
    });
  }
  return out;
}
