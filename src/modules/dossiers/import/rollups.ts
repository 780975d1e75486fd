// The scorecard rollups (migration 008) of the dossiers a file import inserts, summed in memory
// while the file is read and added in one upsert at the end: the insert trigger would aggregate
// the same million rows again after the COPY, on the database's one busy core (about 4.5 s of a
// million-row import, measured). Each row counts as dossier_scorecard_rows_sql counts it; the sums
// are kept per receiving unit and added to the unit and every unit above it (org_units.path) by
// the same SQL that the trigger uses (dossier_scorecard_upsert_sql), in the import's transaction.

import type pg from 'pg';
import type { DossierRow } from '../dossier-row.js';

/** dossier_scorecard_monthly's counts, in its column order. */
export const ROLLUP_COUNTS = [
  'dossiers', 'online_capable', 'online_capable_online', 'with_fee', 'paid_online',
  'synced', 'synced_unknown', 'digitised', 'digitised_unknown', 'reused_data', 'reused_data_unknown',
  'complaint', 'ended_late', 'results', 'results_electronic', 'results_electronic_unknown',
] as const;

const INFINITY = 'infinity';
const DAY_MS = 86_400_000;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;
/** Months as numbers while summing (year × 12 + month − 1, below 2^17 up to year 9999), 'infinity' as the largest. */
const MONTH_BITS = 2 ** 17;
const NEVER = MONTH_BITS - 1;
const monthOfDay = new Map<number, number>();

/** dossier_month(at): the month the instant falls in, in Vietnam (UTC+7), as year × 12 + month − 1. */
export function vietnamMonthNumber(at: Date): number {
  const day = Math.floor((at.getTime() + VIETNAM_OFFSET_MS) / DAY_MS);
  let month = monthOfDay.get(day);
  if (month === undefined) {
    const d = new Date(day * DAY_MS);
    month = d.getUTCFullYear() * 12 + d.getUTCMonth();
    if (monthOfDay.size >= 100_000) monthOfDay.clear();
    monthOfDay.set(day, month);
  }
  return month;
}

/** The month as PostgreSQL reads a date: 'YYYY-MM-01', or 'infinity'. */
export function monthText(month: number): string {
  if (month === NEVER) return INFINITY;
  const m = (month % 12) + 1;
  return `${String(Math.floor(month / 12)).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-01`;
}

/** A row's rollup key months, as dossier_scorecard_rows_sql computes them (NEVER for 'infinity'). */
export function rollupMonths(row: Pick<DossierRow, 'receivedAt' | 'endedAt' | 'overdueFrom'>): { received: number; ended: number; overdue: number } {
  const received = vietnamMonthNumber(row.receivedAt);
  const ended = row.endedAt === null ? NEVER : vietnamMonthNumber(row.endedAt);
  let overdue = NEVER;
  if (row.overdueFrom !== null) {
    const month = vietnamMonthNumber(row.overdueFrom);
    // Overdue only from a month before the one it ended in, and never before the month of receipt.
    if (month < ended) overdue = Math.max(month, received);
  }
  return { received, ended, overdue };
}

export class RollupSums {
  /** Per receiving unit, per key of its three months (received, ended, overdue: 17 bits each, 51 in all). */
  private readonly sums = new Map<number, Map<number, Int32Array>>();
  private added = 0;

  /** The row's counts, added to its receiving unit's key; `onlineCapable`: its procedure is offered online. */
  add(row: DossierRow, onlineCapable: boolean): void {
    const { received, ended, overdue } = rollupMonths(row);
    const key = (received * MONTH_BITS + ended) * MONTH_BITS + overdue;
    let ofUnit = this.sums.get(row.unitId);
    if (ofUnit === undefined) {
      ofUnit = new Map();
      this.sums.set(row.unitId, ofUnit);
    }
    let c = ofUnit.get(key);
    if (c === undefined) {
      c = new Int32Array(ROLLUP_COUNTS.length);
      ofUnit.set(key, c);
    }
    const result = row.endedStatus === 9 || row.endedStatus === 10;
    const withFee = row.fee !== null && row.fee > 0;
    c[0]++;
    if (onlineCapable) {
      c[1]++;
      if (row.channel === 2) c[2]++;
    }
    if (withFee) {
      c[3]++;
      if (row.paidOnline === true) c[4]++;
    }
    if (row.synced === null) c[6]++;
    else if (row.synced) c[5]++;
    if (row.digitised === null) c[8]++;
    else if (row.digitised) c[7]++;
    if (row.reusedData === null) c[10]++;
    else if (row.reusedData) c[9]++;
    if (row.complaint) c[11]++;
    if (row.overdueFrom !== null && row.endedAt !== null && row.overdueFrom.getTime() <= row.endedAt.getTime()) c[12]++;
    if (result) {
      c[13]++;
      if (row.electronicResult === null) c[15]++;
      else if (row.electronicResult) c[14]++;
    }
    this.added++;
  }

  /** How many rows were added. */
  get size(): number {
    return this.added;
  }

  /**
   * Adds the sums to dossier_scorecard_monthly for every unit of each receiving unit's path (as it
   * is now, as the trigger reads it), through dossier_scorecard_upsert_sql, on `client`'s transaction.
   */
  async apply(client: pg.PoolClient): Promise<void> {
    if (this.sums.size === 0) return;
    const units: number[] = [];
    const months: [string[], string[], string[]] = [[], [], []];
    const counts: number[][] = ROLLUP_COUNTS.map(() => []);
    for (const [unit, ofUnit] of this.sums) {
      for (const [key, c] of ofUnit) {
        const overdue = key % MONTH_BITS;
        const ended = Math.floor(key / MONTH_BITS) % MONTH_BITS;
        units.push(unit);
        months[0].push(monthText(Math.floor(key / MONTH_BITS / MONTH_BITS)));
        months[1].push(monthText(ended));
        months[2].push(monthText(overdue));
        for (let k = 0; k < c.length; k++) counts[k].push(c[k]);
      }
    }
    const source = `
      SELECT a.subtree_id, s.received_month, s.ended_month, s.overdue_month, ${ROLLUP_COUNTS.map((n) => `s.${n}`).join(', ')}
      FROM unnest($1::int[], $2::date[], $3::date[], $4::date[], ${ROLLUP_COUNTS.map((_, k) => `$${k + 5}::int[]`).join(', ')})
        AS s (unit_id, received_month, ended_month, overdue_month, ${ROLLUP_COUNTS.join(', ')})
      JOIN org_units o ON o.id = s.unit_id
      CROSS JOIN LATERAL unnest(string_to_array(btrim(o.path, '/'), '/')::int[]) AS a (subtree_id)`;
    const { rows } = await client.query<{ text: string }>('SELECT dossier_scorecard_upsert_sql($1) AS text', [source]);
    await client.query(rows[0].text, [units, ...months, ...counts]);
  }
}
