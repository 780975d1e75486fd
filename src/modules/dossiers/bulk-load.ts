// A file import bigger than the dossiers table loads like a first load (PostgreSQL's manual,
// "Populating a Database"): inside the import's one transaction, the table is locked, its
// secondary indexes are dropped and the insert trigger disabled, the rows are COPY'd, and the
// indexes are built again from their own definitions, with a parallel sort. Building an index over
// a million rows costs a third of maintaining it row by row (measured on 1,000,000 dossiers:
// 14.4 s for COPY with the indexes, 3.2 s without them and 2.9 s to build them again).
//
// The price is the lock: readers and writers of dossiers wait until the import commits. So it is
// off unless configured (DOSSIER_IMPORT_BULK_MIN_ROWS), and then taken only when the file is
// expected to hold more rows than the table (rebuilding then costs less than maintaining), only on
// PostgreSQL (PGlite inserts by batches, one connection anyway), and only if the lock comes within
// LOCK_WAIT; otherwise the import goes the usual way. While Node reads, checks and derives the rows
// on one thread (~12–14 s of CPU a million rows), that is what an import waits for: a bulk load then
// halves PostgreSQL's CPU but does not shorten the import (measured: 15.0 vs 15.4 s). A failed
// or cancelled import rolls back with its transaction: the indexes and the trigger are as before.
// The indexes that back a constraint (the primary key) stay: the identity key is appended to,
// which costs little.

import { sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';

/** How long an import waits for the table's lock before it goes the usual way. */
const LOCK_WAIT = '2s';
/** The memory the rebuild's sorts may use (when the server's maintenance_work_mem is lower). */
const BUILD_MEMORY_BYTES = 256 * 1024 * 1024;
/** The row-level trigger whose transition table a bulk load does without (its rollups are summed by the importer). */
const INSERT_TRIGGER = 'dossier_scorecard_insert';

export interface BulkLoad {
  /** The indexes built again and the trigger enabled: before anything else reads the table in the transaction. */
  finish(): Promise<void>;
}

/**
 * Prepares dossiers for a bulk load of about `expectedRows` new rows when that pays (see above);
 * null when the import should write the usual way.
 */
export async function startBulkLoad(q: Queryable, expectedRows: number, minRows: number): Promise<BulkLoad | null> {
  if (minRows <= 0 || expectedRows < minRows) return null;
  const { rows: counted } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM dossiers LIMIT ${expectedRows}) s`.execute(q);
  if (counted[0].n >= expectedRows) return null;

  await sql`SAVEPOINT dossier_bulk_load`.execute(q);
  try {
    const { rows: was } = await sql<{ wait: string }>`SELECT current_setting('lock_timeout') AS wait`.execute(q);
    await sql`SELECT set_config('lock_timeout', ${LOCK_WAIT}, true)`.execute(q);
    await sql`LOCK TABLE dossiers IN ACCESS EXCLUSIVE MODE`.execute(q);
    await sql`SELECT set_config('lock_timeout', ${was[0].wait}, true)`.execute(q);
  } catch (error) {
    if ((error as { code?: string }).code !== '55P03') throw error;
    // Someone is reading or writing dossiers: not worth making everyone wait.
    await sql`ROLLBACK TO SAVEPOINT dossier_bulk_load`.execute(q);
    await sql`RELEASE SAVEPOINT dossier_bulk_load`.execute(q);
    return null;
  }
  await sql`RELEASE SAVEPOINT dossier_bulk_load`.execute(q);

  const { rows: indexes } = await sql<{ name: string; definition: string }>`
    SELECT quote_ident(c.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = 'dossiers'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
    ORDER BY c.relname`.execute(q);
  if (indexes.length > 0) await sql.raw(`DROP INDEX ${indexes.map((x) => x.name).join(', ')}`).execute(q);
  await sql.raw(`ALTER TABLE dossiers DISABLE TRIGGER ${INSERT_TRIGGER}`).execute(q);

  return {
    async finish() {
      await sql`
        SELECT set_config('maintenance_work_mem', greatest(pg_size_bytes(current_setting('maintenance_work_mem')), ${BUILD_MEMORY_BYTES}) / 1024 || 'kB', true)`.execute(q);
      for (const x of indexes) await sql.raw(x.definition).execute(q);
      await sql.raw(`ALTER TABLE dossiers ENABLE TRIGGER ${INSERT_TRIGGER}`).execute(q);
    },
  };
}
