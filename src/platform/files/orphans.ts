// Files nobody refers to. A photo is stored before the transaction that records it (re-encoding
// and writing cannot happen while PGlite's one connection is held); when that transaction fails
// the bytes stay on disk. The sweep removes them once they are old enough that no request can
// still be about to record them.

import { sql } from 'kysely';
import type { Queryable } from '../../db/kysely.js';
import type { FileStore } from './store.js';

/**
 * Every column that holds a file-store key; a test checks this list against the migrated schema.
 * (`feedback_reports.public_photo_key` is a trigger-kept copy of a `feedback_photos` key, not a reference of its own.)
 */
export const FILE_KEY_COLUMNS = [
  { table: 'dossier_imports', column: 'file_key' },
  { table: 'feedback_photos', column: 'file_key' },
  { table: 'project_photos', column: 'file_key' },
  { table: 'task_report_files', column: 'file_key' },
] as const;

/** How long a stored file may wait for the row that refers to it (a request in flight). */
export const ORPHAN_GRACE_MS = 60 * 60_000;

const BATCH = 500;

/** Names this database: its name and when its first migration ran (microseconds), stable across restarts and restores. */
async function databaseIdentity(db: Queryable): Promise<string> {
  const { rows } = await sql<{ id: string }>`SELECT current_database() || ' ' || min(applied_at)::text AS id FROM schema_migrations`.execute(db);
  return rows[0].id;
}

/** Of `keys`, those some row refers to. */
async function referencedKeys(db: Queryable, keys: string[]): Promise<Set<string>> {
  const selects = FILE_KEY_COLUMNS.map(
    ({ table, column }) => sql<{ key: string }>`SELECT ${sql.ref(column)} AS key FROM ${sql.table(table)} WHERE ${sql.ref(column)} IN (${sql.join(keys)})`,
  );
  const { rows } = await sql<{ key: string }>`${sql.join(selects, sql` UNION `)}`.execute(db);
  return new Set(rows.map((r) => r.key));
}

/**
 * Deletes every file stored before `cutoff` that no row refers to; returns how many went. The same
 * bytes may belong to several records (content addressing), so references are what counts, never
 * the request that failed. A put racing with the sweep keeps its file (see `deleteStoredBefore`).
 */
export async function removeOrphanFiles(deps: { db: Queryable; files: FileStore }, cutoff: Date): Promise<number> {
  const identity = await databaseIdentity(deps.db);
  const owner = await deps.files.owner(identity);
  if (owner !== identity) {
    throw new Error(`the file store belongs to the database "${owner}", not to "${identity}": unreferenced files are not removed (give each database its own DATA_DIR)`);
  }
  let removed = 0;
  let batch: string[] = [];
  const flush = async () => {
    const used = await referencedKeys(deps.db, batch);
    for (const key of batch) if (!used.has(key) && (await deps.files.deleteStoredBefore(key, cutoff))) removed++;
    batch = [];
  };
  for await (const key of deps.files.storedBefore(cutoff)) {
    batch.push(key);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length) await flush();
  return removed;
}
