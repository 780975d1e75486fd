// The bulk half of the writer, for a file's rows, inside the import's one transaction:
// - a dossier the source has not sent before goes straight into `dossiers`, while the file is
//   still being read (one binary COPY on PostgreSQL, so reading and writing overlap; INSERT … FROM
//   unnest batches on PGlite, which cannot COPY FROM STDIN);
// - one stored with the same data (data_hash) is counted unchanged and not written;
// - one stored with other data goes to a temporary staging table, is merged with what is stored
//   (the same merge as writeDossiers) and written by one UPDATE.
// So a file is a few big statements however many rows it has. The new rows' scorecard rollups are
// summed while they are read and added once at the end (import/rollups.ts), the insert trigger
// told to leave them (migration 011); the UPDATE of changed rows goes through the trigger. The
// source's writer lock (taken by the caller) keeps anyone else from writing its dossiers meanwhile.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import type { Queryable } from '../../db/kysely.js';
import type { DatabaseKind } from '../../db/pool.js';
import type { Tables } from '../../db/schema.js';
import type { WorkingCalendar } from '../../platform/calendar/calendar.js';
import { copyFileIn, copyIn } from './copy-in.js';
import { BINARY_HEADER, BINARY_TRAILER, BinaryRows } from './import/copy-binary.js';
import { RollupSums } from './import/rollups.js';
import { type DossierRow, type ItemProblem, ROW_COLUMNS, copyEscape, dossierRow, factsFromDb, mergeFacts } from './dossier-row.js';
import { INSERT_COLUMNS, outOfScopeProblem, rulesProblem } from './writer.js';

/** Kysely over one checked-out client, so that statements run inside the transaction it holds. */
export function kyselyOn(client: pg.PoolClient): Kysely<Tables> {
  const connection = { query: client.query.bind(client), release() {} };
  const pool = { connect: async () => connection, end: async () => {} };
  return new Kysely<Tables>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
}

const names = ROW_COLUMNS.map(([name]) => name);
const STAGE_DDL = `(line integer, code text, ${ROW_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`;
const BATCH = 5000;
const COPY_CHUNK = 256 * 1024;

/** The code → data_hash of every dossier of the source, to tell new, unchanged and changed rows apart. */
export async function storedHashes(q: Queryable, sourceId: number): Promise<Map<string, string>> {
  const { rows } = await sql<{ code: string; data_hash: string }>`SELECT code, data_hash FROM dossiers WHERE source_id = ${sourceId}`.execute(q);
  const map = new Map<string, string>();
  for (const r of rows) map.set(r.code, r.data_hash);
  return map;
}

/** Where a file's valid rows go. `insert` and `change` return a promise only when they had to wait. */
export interface RowSink {
  /** A dossier the source has not sent before. */
  insert(row: DossierRow): Promise<void> | undefined;
  /** A dossier stored with other data: staged for the merge. */
  change(line: number, row: DossierRow): Promise<void> | undefined;
  /** Every row given: how many were inserted, how many staged. */
  finish(): Promise<{ inserted: number; staged: number }>;
  /** Stops a COPY in progress (the transaction then fails) and drops what was kept aside. */
  abort(): Promise<void>;
}

export interface SinkTarget {
  sourceId: number;
  importId: number | null;
  /** Whether the procedure is offered online (fully or partly): the rollups count it. */
  onlineCapable(procedureId: number): boolean;
}

/**
 * Opens the sink in the caller's transaction. Until `finish`, the inserts into dossiers leave the
 * rollups to the sink (dieuhanh.dossier_rollups, migration 011), which adds them in `finish`.
 */
export async function openSink(client: pg.PoolClient, q: Queryable, kind: DatabaseKind, target: SinkTarget): Promise<RowSink> {
  await sql.raw(`CREATE TEMP TABLE dossier_stage ${STAGE_DDL} ON COMMIT DROP`).execute(q);
  await sql`SELECT set_config('dieuhanh.dossier_rollups', 'writer', true)`.execute(q);
  const rollups = new RollupSums();
  const sink = kind === 'postgres' ? await copySink(client, target) : batchSink(q, target);
  return {
    insert(row) {
      rollups.add(row, target.onlineCapable(row.procedureId));
      return sink.insert(row);
    },
    change: sink.change,
    async finish() {
      const done = await sink.finish();
      if (done.inserted !== rollups.size) throw new Error(`inserted ${done.inserted} dossiers but summed ${rollups.size} into the rollups`);
      await sql`SELECT set_config('dieuhanh.dossier_rollups', '', true)`.execute(q);
      await rollups.apply(client);
      return done;
    },
    abort: sink.abort,
  };
}

/** PostgreSQL: new rows COPY'd into dossiers as they come; changed rows spilled to a file, COPY'd into the stage after. */
async function copySink(client: pg.PoolClient, target: SinkTarget): Promise<RowSink> {
  const copy = await copyIn(client, `COPY dossiers (${INSERT_COLUMNS}) FROM STDIN WITH (FORMAT binary)`);
  const rows = new BinaryRows(COPY_CHUNK + (COPY_CHUNK >> 2));
  rows.append(BINARY_HEADER);
  let spill: { file: string; out: fs.WriteStream } | null = null;
  let staged = 0;
  const send = () => copy.write(rows.take());
  const removeSpill = () => {
    if (!spill) return;
    spill.out.destroy();
    fs.rmSync(spill.file, { force: true });
    spill = null;
  };
  return {
    insert(row) {
      rows.add(target.sourceId, target.importId, row);
      return rows.length >= COPY_CHUNK ? send() : undefined;
    },
    change(line, row) {
      if (!spill) {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dh-dossier-stage-')), 'stage.tsv');
        spill = { file, out: fs.createWriteStream(file) };
      }
      staged++;
      const ok = spill.out.write(`${line}\t${copyEscape(row.code)}\t${row.copyText}\t${row.dataHash}\n`);
      return ok ? undefined : new Promise<void>((resolve) => spill!.out.once('drain', () => resolve()));
    },
    async finish() {
      rows.append(BINARY_TRAILER);
      await send();
      const inserted = await copy.end();
      if (spill) {
        const { file, out } = spill;
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
        try {
          await copyFileIn(client, `COPY dossier_stage (line, code, ${names.join(', ')}) FROM STDIN`, file);
        } finally {
          removeSpill();
        }
      }
      return { inserted, staged };
    },
    async abort() {
      removeSpill();
      await copy.abort('import stopped');
    },
  };
}

/** PGlite: INSERT … FROM unnest batches, into dossiers for new rows, into the stage for changed ones. */
function batchSink(q: Queryable, target: SinkTarget): RowSink {
  let fresh: DossierRow[] = [];
  let changed: { line: number; row: DossierRow }[] = [];
  let inserted = 0;
  let staged = 0;
  const insertBatch = async () => {
    const rows = fresh;
    fresh = [];
    await sql`
      INSERT INTO dossiers (${sql.raw(INSERT_COLUMNS)})
      SELECT ${target.sourceId}::int, u.code, ${target.importId}::int, ${casts}
      FROM unnest(${rows.map((r) => r.code)}::text[], ${columnArrays(rows)}) AS u(code, ${sql.raw(names.join(', '))})`.execute(q);
    inserted += rows.length;
  };
  const stageBatch = async () => {
    const rows = changed;
    changed = [];
    await sql`
      INSERT INTO dossier_stage (line, code, ${sql.raw(names.join(', '))})
      SELECT u.line, u.code, ${casts}
      FROM unnest(${rows.map((r) => r.line)}::int[], ${rows.map((r) => r.row.code)}::text[], ${columnArrays(rows.map((r) => r.row))})
        AS u(line, code, ${sql.raw(names.join(', '))})`.execute(q);
    staged += rows.length;
  };
  return {
    insert(row) {
      fresh.push(row);
      return fresh.length >= BATCH ? insertBatch() : undefined;
    },
    change(line, row) {
      changed.push({ line, row });
      return changed.length >= BATCH ? stageBatch() : undefined;
    },
    async finish() {
      if (fresh.length > 0) await insertBatch();
      if (changed.length > 0) await stageBatch();
      return { inserted, staged };
    },
    async abort() {},
  };
}

const casts = sql.raw(ROW_COLUMNS.map(([name, type]) => `u.${name}::${type}`).join(', '));

/** The rows' column values as one text[] parameter per column (the hash last), for unnest. */
function columnArrays(rows: readonly DossierRow[]) {
  const columns: (string | null)[][] = ROW_COLUMNS.map(() => []);
  const last = ROW_COLUMNS.length - 1;
  for (const row of rows) {
    for (let k = 0; k < last; k++) columns[k].push(row.texts[k]);
    columns[last].push(row.dataHash);
  }
  return sql.join(columns.map((c) => sql`${c}::text[]`));
}

export interface MergeContext {
  calendar: WorkingCalendar;
  sourceId: number;
  processingDaysOf(procedureId: number): number | null;
  mayWriteUnit?: (unitPath: string) => boolean;
  /** A staged row left out because of what the stored dossier says. */
  onProblem(line: number, problem: ItemProblem): void;
}

const MERGE_BATCH = 2000;

/**
 * The staged rows merged with the stored dossiers they change: a row that then comes out as
 * stored is dropped from the stage (unchanged), one the rules or the scope refuse is dropped with
 * a problem, the others take the merged values. Returns how many were dropped, and why.
 */
export async function mergeStagedWithStored(q: Queryable, ctx: MergeContext): Promise<{ unchanged: number; refused: number }> {
  await sql`CREATE INDEX ON dossier_stage (code)`.execute(q);
  await sql`ANALYZE dossier_stage`.execute(q);
  const incomingColumns = sql.raw(names.map((n) => `s.${n} AS in_${n}`).join(', '));
  let unchanged = 0;
  let refused = 0;
  let after = '';
  for (;;) {
    const { rows } = await sql<Record<string, unknown> & { line: number; code: string; data_hash: string; unit_path: string }>`
      SELECT s.line, s.code, o.path AS unit_path, d.*, ${incomingColumns}
      FROM dossier_stage s
      JOIN dossiers d ON d.source_id = ${ctx.sourceId} AND d.code = s.code
      JOIN org_units o ON o.id = d.unit_id
      WHERE s.code > ${after}
      ORDER BY s.code LIMIT ${MERGE_BATCH}`.execute(q);
    if (rows.length === 0) break;
    after = rows[rows.length - 1].code;

    const drop: string[] = [];
    const merged: DossierRow[] = [];
    for (const r of rows) {
      if (ctx.mayWriteUnit && !ctx.mayWriteUnit(r.unit_path)) {
        ctx.onProblem(r.line, outOfScopeProblem(r.code));
        drop.push(r.code);
        refused++;
        continue;
      }
      const incoming = factsFromDb(Object.fromEntries(names.map((n) => [n, r[`in_${n}`]])));
      try {
        const row = dossierRow(ctx.calendar, r.code, mergeFacts(factsFromDb(r), incoming), ctx.processingDaysOf(incoming.procedureId));
        if (row.dataHash === r.data_hash) {
          drop.push(r.code);
          unchanged++;
        } else {
          merged.push(row);
        }
      } catch (error) {
        ctx.onProblem(r.line, rulesProblem(error));
        drop.push(r.code);
        refused++;
      }
    }
    if (drop.length > 0) await sql`DELETE FROM dossier_stage WHERE code = ANY(${drop}::text[])`.execute(q);
    if (merged.length > 0) {
      const set = sql.raw(ROW_COLUMNS.map(([name, type]) => `${name} = u.${name}::${type}`).join(', '));
      await sql`
        UPDATE dossier_stage s SET ${set}
        FROM unnest(${merged.map((r) => r.code)}::text[], ${columnArrays(merged)}) AS u(code, ${sql.raw(names.join(', '))})
        WHERE s.code = u.code`.execute(q);
    }
  }
  return { unchanged, refused };
}

/** The merged rows of the stage into their dossiers, in one statement: how many changed. */
export async function updateFromStage(q: Queryable, sourceId: number, importId: number | null): Promise<number> {
  const result = await sql`
    UPDATE dossiers d SET ${sql.raw(names.map((n) => `${n} = s.${n}`).join(', '))}, import_id = ${importId}::int, updated_at = now()
    FROM dossier_stage s
    WHERE d.source_id = ${sourceId} AND d.code = s.code AND d.data_hash IS DISTINCT FROM s.data_hash`.execute(q);
  return Number(result.numAffectedRows ?? 0);
}
