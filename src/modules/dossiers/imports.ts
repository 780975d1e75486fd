// File imports of dossiers: upload (the header, a suggested mapping, sample rows), the dry run
// and the import, each run in the background of the instance that started it, with its progress
// in memory (polled) and, on PostgreSQL, in its dossier_imports row every second (a heartbeat:
// a run whose heartbeat stopped was interrupted, and left nothing behind).

import { sql } from 'kysely';
import { type Db, type Queryable, inTransaction } from '../../db/kysely.js';
import type { Database } from '../../db/pool.js';
import { type Actor, type Role, hasRootScope, isInScope, requireRole, scopePaths } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { CalendarService } from '../../platform/calendar/service.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors/errors.js';
import type { FileStore } from '../../platform/files/store.js';
import { type ListResult, pageOf, sortOf } from '../../platform/http/list.js';
import { containsPattern } from '../../platform/text/fold.js';
import { type DossierField, FIELD_LABELS } from './import/fields.js';
import { type ColumnMapping, checkMapping, describeMapping } from './import/mapping.js';
import { type DossierFileInput, inspectDossierFile } from './import/read.js';
import type { Import, ImportListQuery, ImportProblem, ImportProblemQuery, ImportState, RunImportBody } from './ingest-schemas.js';
import { type ImportMode, type RunReport, emptyReport, importCancelled, runDossierImport } from './import-run.js';

/** Who imports dossier files (the one-stop systems' exports): a unit's administrators and operators. */
export const IMPORT_ROLES: readonly Role[] = ['administrator', 'operator'];
/** A million rows of a one-stop export is about 200 MB of CSV. */
export const DOSSIER_IMPORT_MAX_BYTES = 300 * 1024 * 1024;
/** A run whose heartbeat is older than this was interrupted (its process stopped). */
const STALE_MS = 60_000;
const HEARTBEAT_MS = 1000;
const RUNNING: readonly ImportState[] = ['checking', 'importing'];

interface ImportRow {
  id: number;
  source_id: number;
  source_code: string;
  source_name: string;
  org_unit_id: number | null;
  unit_path: string | null;
  file_name: string;
  file_key: string | null;
  format: string;
  encoding: string | null;
  header: string[];
  mapping: ColumnMapping;
  state: ImportState;
  run: ImportMode | null;
  skip_invalid: boolean;
  bytes_total: string;
  bytes_read: string;
  rows_read: number;
  rows_ok: number;
  rows_warned: number;
  rows_bad: number;
  rows_created: number;
  rows_updated: number;
  rows_unchanged: number;
  problems_total: number;
  problems_kept: number;
  error_code: string | null;
  error: string | null;
  username: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  heartbeat_at: Date | null;
  stale: boolean;
}

const SELECT = sql`
  SELECT i.*, s.code AS source_code, s.name AS source_name, o.path AS unit_path, u.username,
    (SELECT count(*)::int FROM dossier_import_problems p WHERE p.import_id = i.id) AS problems_kept,
    coalesce(i.heartbeat_at < now() - ${`${STALE_MS} milliseconds`}::interval, true) AS stale
  FROM dossier_imports i
  JOIN dossier_sources s ON s.id = i.source_id
  LEFT JOIN org_units o ON o.id = i.org_unit_id
  LEFT JOIN users u ON u.id = i.created_by`;

const SORTS = { createdAt: 'i.created_at', fileName: 'i.file_name', state: 'i.state', finishedAt: 'i.finished_at' } as const;
const PROBLEM_SORTS = { line: 'line', field: 'field', code: 'code', severity: 'severity' } as const;

interface Job {
  run: ImportMode;
  controller: AbortController;
  report: RunReport;
  /** The row as the run started, so that polling needs no query (on PGlite the run holds the only connection). */
  row: ImportRow;
  cancelledBy: Actor | null;
}

export interface UploadedFile {
  fileName: string;
  data: Buffer;
}

export interface DossierImportsDeps {
  db: Db;
  database: Pick<Database, 'kind' | 'pool'>;
  files: FileStore;
  calendar: CalendarService;
  /** A file expected to bring at least this many new rows, more than stored, loads in bulk (bulk-load.ts); 0: never. */
  bulkMinRows?: number;
  /** Errors a run meets that are not the file's fault (the database went away). */
  onUnexpectedError?: (error: unknown) => void;
}

export function createDossierImports(deps: DossierImportsDeps) {
  const { db, database, files } = deps;
  const jobs = new Map<number, Job>();

  const canSee = (actor: Actor, row: Pick<ImportRow, 'unit_path'>) =>
    row.unit_path === null ? hasRootScope(actor, IMPORT_ROLES) : isInScope(actor, row.unit_path, IMPORT_ROLES);

  async function findRow(q: Queryable, id: number): Promise<ImportRow | undefined> {
    return (await sql<ImportRow>`${SELECT} WHERE i.id = ${id}`.execute(q)).rows[0];
  }

  async function visibleRow(actor: Actor, id: number): Promise<ImportRow> {
    requireRole(actor, IMPORT_ROLES);
    const row = await findRow(db, id);
    if (!row || !canSee(actor, row)) throw notFound('lần nhập tệp hồ sơ');
    return row;
  }

  /** A run that stopped without saying so: its process ended (PGlite: not this one's job; PostgreSQL: no heartbeat). */
  const interrupted = (row: ImportRow) => RUNNING.includes(row.state) && !jobs.has(row.id) && (database.kind === 'pglite' || row.stale);

  function view(row: ImportRow): Import {
    const job = jobs.get(row.id);
    const r = job?.report;
    const lost = interrupted(row);
    return {
      id: row.id,
      sourceId: row.source_id,
      sourceCode: row.source_code,
      sourceName: row.source_name,
      orgUnitId: row.org_unit_id,
      fileName: row.file_name,
      format: row.format,
      encoding: r?.encoding ?? row.encoding,
      header: row.header,
      mapping: row.mapping,
      fields: describeMapping(row.mapping, row.header),
      state: lost ? 'failed' : job ? (job.run === 'check' ? 'checking' : 'importing') : row.state,
      run: job?.run ?? row.run,
      skipInvalid: row.skip_invalid,
      phase: r ? r.phase : null,
      bytesTotal: Number(row.bytes_total),
      bytesRead: r ? r.bytesRead : Number(row.bytes_read),
      rowsRead: r?.rowsRead ?? row.rows_read,
      rowsOk: r?.rowsOk ?? row.rows_ok,
      rowsWarned: r?.rowsWarned ?? row.rows_warned,
      rowsBad: r?.rowsBad ?? row.rows_bad,
      rowsCreated: r?.created ?? row.rows_created,
      rowsUpdated: r?.updated ?? row.rows_updated,
      rowsUnchanged: r?.unchanged ?? row.rows_unchanged,
      problemsTotal: r?.problemsTotal ?? row.problems_total,
      problemsKept: r ? 0 : row.problems_kept,
      errorCode: lost ? 'IMPORT_INTERRUPTED' : row.error_code,
      error: lost ? 'Lần chạy bị gián đoạn (máy chủ dừng giữa chừng); không hồ sơ nào của lần nhập này được ghi. Hãy chạy lại.' : row.error,
      createdBy: row.username,
      createdAt: row.created_at.toISOString(),
      startedAt: row.started_at?.toISOString() ?? null,
      finishedAt: row.finished_at?.toISOString() ?? null,
    };
  }

  /** The row's final state and counts, and the problems kept, written together. */
  async function finish(q: Queryable, id: number, state: ImportState, report: RunReport, error: { code: string; message: string } | null) {
    await saveProblems(q, id, report);
    await sql`
      UPDATE dossier_imports SET state = ${state}, encoding = coalesce(${report.encoding}, encoding),
        bytes_read = ${report.bytesRead}, rows_read = ${report.rowsRead}, rows_ok = ${report.rowsOk}, rows_warned = ${report.rowsWarned},
        rows_bad = ${report.rowsBad}, rows_created = ${report.created}, rows_updated = ${report.updated}, rows_unchanged = ${report.unchanged},
        problems_total = ${report.problemsTotal}, error_code = ${error?.code ?? null}, error = ${error?.message ?? null},
        finished_at = now(), heartbeat_at = NULL
      WHERE id = ${id}`.execute(q);
  }

  async function saveProblems(q: Queryable, id: number, report: RunReport) {
    await sql`DELETE FROM dossier_import_problems WHERE import_id = ${id}`.execute(q);
    const BATCH = 10_000;
    for (let at = 0; at < report.problems.length; at += BATCH) {
      const batch = report.problems.slice(at, at + BATCH);
      await sql`
        INSERT INTO dossier_import_problems (import_id, seq, line, field, code, message, severity, other_line)
        SELECT ${id}::int, u.* FROM unnest(${batch.map((_, k) => at + k + 1)}::int[], ${batch.map((p) => p.line)}::int[],
          ${batch.map((p) => p.field)}::text[], ${batch.map((p) => p.code)}::text[], ${batch.map((p) => p.message)}::text[],
          ${batch.map((p) => p.severity)}::text[], ${batch.map((p) => p.otherLine)}::int[])
          AS u(seq, line, field, code, message, severity, other_line)`.execute(q);
    }
  }

  /**
   * Runs the dry run or the import of a row whose state the caller has just set to running;
   * settles the row whatever happens. Resolves when the run is over.
   */
  async function execute(
    row: ImportRow,
    mode: ImportMode,
    input: DossierFileInput,
    by: { actor: Actor; scoped: boolean },
    onProgress?: (report: RunReport) => void,
  ): Promise<{ view: Import; report: RunReport }> {
    const { actor } = by;
    const job: Job = { run: mode, controller: new AbortController(), report: emptyReport(Number(row.bytes_total) || null), row, cancelledBy: null };
    jobs.set(row.id, job);
    let beating: Promise<unknown> | null = null;
    const heartbeat =
      database.kind === 'postgres'
        ? setInterval(() => {
            if (beating) return;
            const r = job.report;
            beating = sql`
              UPDATE dossier_imports SET bytes_read = ${r.bytesRead}, rows_read = ${r.rowsRead}, rows_ok = ${r.rowsOk}, rows_bad = ${r.rowsBad},
                rows_warned = ${r.rowsWarned}, problems_total = ${r.problemsTotal}, heartbeat_at = now()
              WHERE id = ${row.id} AND state IN ('checking', 'importing')`
              .execute(db)
              .catch(() => {})
              .finally(() => {
                beating = null;
              });
          }, HEARTBEAT_MS)
        : null;
    try {
      const mayWriteUnit = by.scoped ? (path: string) => isInScope(actor, path, IMPORT_ROLES) : undefined;
      try {
        await runDossierImport(
          {
            database,
            calendar: await deps.calendar.calendar(),
            sourceId: row.source_id,
            importId: row.id,
            mode,
            input,
            format: row.format as 'csv' | 'xlsx',
            mapping: row.mapping,
            skipInvalid: row.skip_invalid,
            mayWriteUnit,
            bulkMinRows: deps.bulkMinRows,
            signal: job.controller.signal,
            onProgress,
            beforeCommit: async (q, report) => {
              await finish(q, row.id, 'imported', report, null);
              await recordAudit(q, actor, {
                module: 'dossiers',
                action: 'import',
                entityType: 'dossier_import',
                entityId: row.id,
                orgUnitId: row.org_unit_id,
                after: { fileName: row.file_name, sourceCode: row.source_code, created: report.created, updated: report.updated, unchanged: report.unchanged, skipped: report.rowsBad, bulkLoad: report.bulkLoad },
              });
            },
          },
          job.report,
        );
        if (mode === 'check') await finish(db, row.id, 'checked', job.report, null);
      } catch (error) {
        const cancelled = job.controller.signal.aborted;
        // An import that did not commit wrote nothing (a dry run's counts are what it would do).
        if (mode === 'import') Object.assign(job.report, { created: 0, updated: 0, unchanged: 0 });
        const known = error instanceof AppError ? error : cancelled ? importCancelled() : null;
        if (!known) deps.onUnexpectedError?.(error);
        await finish(db, row.id, cancelled ? 'cancelled' : 'failed', job.report, {
          code: known?.code ?? 'IMPORT_FAILED',
          message: known?.message ?? `Lần chạy dừng vì lỗi: ${error instanceof Error ? error.message : String(error)}. Không hồ sơ nào của lần nhập này được ghi.`,
        });
        if (cancelled) {
          await recordAudit(db, job.cancelledBy, { module: 'dossiers', action: 'import.cancel', entityType: 'dossier_import', entityId: row.id, orgUnitId: row.org_unit_id });
        }
      }
    } finally {
      if (heartbeat) clearInterval(heartbeat);
      await beating;
      jobs.delete(row.id);
    }
    return { view: view((await findRow(db, row.id))!), report: job.report };
  }

  /** Marks the row running (unless a live run holds it) with the run's settings; the row as it now is. */
  async function claim(id: number, mode: ImportMode, mapping: ColumnMapping, skipInvalid: boolean): Promise<ImportRow> {
    const claimed = await inTransaction(db, async (trx) => {
      const { rows } = await sql<{ id: number }>`
        UPDATE dossier_imports SET state = ${mode === 'check' ? 'checking' : 'importing'}, run = ${mode}, mapping = ${JSON.stringify(mapping)}::jsonb,
          skip_invalid = ${skipInvalid}, started_at = now(), finished_at = NULL, heartbeat_at = now(), bytes_read = 0, rows_read = 0, rows_ok = 0,
          rows_warned = 0, rows_bad = 0, rows_created = 0, rows_updated = 0, rows_unchanged = 0, problems_total = 0, error_code = NULL, error = NULL
        WHERE id = ${id} AND (state NOT IN ('checking', 'importing') OR ${database.kind === 'pglite'} OR heartbeat_at IS NULL
          OR heartbeat_at < now() - ${`${STALE_MS} milliseconds`}::interval)
        RETURNING id`.execute(trx);
      if (rows.length === 0) return null;
      await sql`DELETE FROM dossier_import_problems WHERE import_id = ${id}`.execute(trx);
      return findRow(trx, id);
    });
    if (!claimed) throw conflict('IMPORT_RUNNING', 'Tệp này đang được kiểm tra hoặc nhập; hãy chờ lần chạy đó xong.');
    return claimed;
  }

  return {
    async upload(actor: Actor, input: { sourceId: number; file: UploadedFile }): Promise<{ import: Import; sample: { line: number; cells: string[] }[]; mappingProblems: { field: string | null; code: string; message: string }[] }> {
      requireRole(actor, IMPORT_ROLES);
      const source = (await sql<{ id: number; active: boolean }>`SELECT id, active FROM dossier_sources WHERE id = ${input.sourceId}`.execute(db)).rows[0];
      if (!source) throw notFound('nguồn hồ sơ');
      if (!source.active) throw conflict('SOURCE_INACTIVE', 'Nguồn hồ sơ này đã ngừng hoạt động; không nhập thêm hồ sơ cho nguồn này.');
      const inspection = await inspectDossierFile(input.file.data);
      const stored = await files.put(input.file.data);
      const unit = unitOfUpload(actor);
      const id = await inTransaction(db, async (trx) => {
        const { rows } = await sql<{ id: number }>`
          INSERT INTO dossier_imports (source_id, org_unit_id, file_name, file_key, format, encoding, header, mapping, bytes_total, created_by)
          VALUES (${source.id}, ${unit}, ${input.file.fileName.slice(0, 255) || 'tep-ho-so'}, ${stored.key}, ${inspection.format}, ${inspection.encoding},
            ${JSON.stringify(inspection.header)}::jsonb, ${JSON.stringify(inspection.mapping)}::jsonb, ${input.file.data.length}, ${actor.userId})
          RETURNING id`.execute(trx);
        await recordAudit(trx, actor, {
          module: 'dossiers',
          action: 'import.upload',
          entityType: 'dossier_import',
          entityId: rows[0].id,
          orgUnitId: unit,
          after: { fileName: input.file.fileName, sourceId: source.id, bytes: input.file.data.length, format: inspection.format },
        });
        return rows[0].id;
      });
      return {
        import: view((await findRow(db, id))!),
        sample: inspection.sample,
        mappingProblems: inspection.problems.map((p) => ({ field: p.field, code: p.code, message: p.message })),
      };
    },

    async list(actor: Actor, query: ImportListQuery): Promise<ListResult<Import>> {
      requireRole(actor, IMPORT_ROLES);
      const page = pageOf(query);
      const sort = sortOf(query.sort, SORTS, { column: 'i.created_at', direction: 'desc' });
      const scopes = scopePaths(actor, IMPORT_ROLES);
      const where = sql.join(
        [
          sql`(${sql.join([sql`false`, ...scopes.map((p) => sql`o.path LIKE ${`${p}%`}`)], sql` OR `)}
            OR (i.org_unit_id IS NULL AND ${hasRootScope(actor, IMPORT_ROLES)}))`,
          ...(query.sourceId ? [sql`i.source_id = ${query.sourceId}`] : []),
          ...(query.state ? [sql`i.state = ${query.state}`] : []),
          ...(query.q ? [sql`vn_fold(i.file_name) LIKE ${containsPattern(query.q)}`] : []),
        ],
        sql` AND `,
      );
      const { rows } = await sql<ImportRow & { total: string }>`
        SELECT x.*, count(*) OVER () AS total FROM (${SELECT} WHERE ${where}) x
        ORDER BY ${sql.raw(`${sort.column.replace('i.', 'x.')} ${sort.direction} NULLS LAST`)}, x.id DESC LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
      return { items: rows.map(view), total: Number(rows[0]?.total ?? 0) };
    },

    async get(actor: Actor, id: number): Promise<Import> {
      // A run in progress answers from memory: on PGlite it holds the only connection.
      const job = jobs.get(id);
      if (job) {
        requireRole(actor, IMPORT_ROLES);
        if (!canSee(actor, job.row)) throw notFound('lần nhập tệp hồ sơ');
        return view(job.row);
      }
      return view(await visibleRow(actor, id));
    },

    async problems(actor: Actor, id: number, query: ImportProblemQuery): Promise<ListResult<ImportProblem>> {
      await visibleRow(actor, id);
      const page = pageOf(query);
      const sort = sortOf(query.sort, PROBLEM_SORTS, { column: 'line', direction: 'asc' });
      const where = sql.join(
        [
          sql`import_id = ${id}`,
          ...(query.severity ? [sql`severity = ${query.severity}`] : []),
          ...(query.code ? [sql`code = ${query.code}`] : []),
          ...(query.q ? [sql`vn_fold(message) LIKE ${containsPattern(query.q)}`] : []),
        ],
        sql` AND `,
      );
      const { rows } = await sql<{ line: number | null; field: string | null; code: string; message: string; severity: string; other_line: number | null; total: string }>`
        SELECT line, field, code, message, severity, other_line, count(*) OVER () AS total FROM dossier_import_problems WHERE ${where}
        ORDER BY ${sql.raw(`${sort.column} ${sort.direction} NULLS FIRST`)}, seq LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
      return {
        items: rows.map((r) => ({
          line: r.line,
          field: r.field,
          fieldLabel: r.field && r.field in FIELD_LABELS ? FIELD_LABELS[r.field as DossierField] : null,
          code: r.code,
          message: r.message,
          severity: r.severity,
          otherLine: r.other_line,
        })),
        total: Number(rows[0]?.total ?? 0),
      };
    },

    /** Starts the dry run ('check') or the import in the background; answers at once with the running import. */
    async start(actor: Actor, id: number, mode: ImportMode, body: RunImportBody): Promise<Import> {
      const row = await visibleRow(actor, id);
      if (!row.file_key) throw conflict('IMPORT_FILE_MISSING', 'Lần nhập này được chạy từ dòng lệnh; tệp của nó không được lưu để chạy lại.');
      const mapping = body.mapping ?? row.mapping;
      const problems = checkMapping(mapping, row.header);
      if (problems.length > 0) {
        throw badRequest('IMPORT_MAPPING', `Cách ghép cột chưa dùng được: ${problems.map((p) => p.message).join(' ')}`, problems);
      }
      const stream = await files.stream(row.file_key);
      if (!stream) throw conflict('IMPORT_FILE_MISSING', 'Không còn tệp đã tải lên của lần nhập này; hãy tải tệp lên lại.');
      let claimed: ImportRow;
      try {
        claimed = await claim(id, mode, mapping, mode === 'import' && (body.skipInvalid ?? false));
      } catch (error) {
        stream.destroy();
        throw error;
      }
      const done = execute(claimed, mode, stream, { actor, scoped: true });
      done.catch((error) => deps.onUnexpectedError?.(error));
      return view(claimed);
    },

    /** Asks the run to stop; it rolls back and ends "cancelled". */
    async cancel(actor: Actor, id: number): Promise<Import> {
      const job = jobs.get(id);
      if (job) {
        requireRole(actor, IMPORT_ROLES);
        if (!canSee(actor, job.row)) throw notFound('lần nhập tệp hồ sơ');
        job.cancelledBy = actor;
        job.controller.abort();
        return view(job.row);
      }
      const row = await visibleRow(actor, id);
      if (!RUNNING.includes(row.state) || interrupted(row)) throw conflict('IMPORT_NOT_RUNNING', 'Lần nhập này không chạy nên không có gì để hủy.');
      throw conflict('IMPORT_RUNNING_ELSEWHERE', 'Lần chạy này đang diễn ra trên một máy chủ khác; hãy hủy từ máy chủ đó hoặc chờ nó xong.');
    },

    /**
     * The command line's import: a file read from disk under a source, run here and now (no
     * background) for the whole locality, recorded like any other import (without a stored file;
     * the audit names the operating-system user).
     */
    async runFile(input: {
      sourceCode: string;
      fileName: string;
      bytes: number;
      stream: DossierFileInput;
      format: 'csv' | 'xlsx';
      header: string[];
      mapping: ColumnMapping;
      encoding: string | null;
      mode: ImportMode;
      skipInvalid: boolean;
      actor: Actor;
      onProgress?: (report: RunReport) => void;
    }): Promise<{ import: Import; report: RunReport }> {
      const source = (await sql<{ id: number; active: boolean }>`SELECT id, active FROM dossier_sources WHERE lower(code) = lower(${input.sourceCode})`.execute(db)).rows[0];
      if (!source) throw notFound(`nguồn hồ sơ mã "${input.sourceCode}"`);
      if (!source.active) throw conflict('SOURCE_INACTIVE', 'Nguồn hồ sơ này đã ngừng hoạt động.');
      const { rows } = await sql<{ id: number }>`
        INSERT INTO dossier_imports (source_id, file_name, format, encoding, header, mapping, bytes_total)
        VALUES (${source.id}, ${input.fileName.slice(0, 255)}, ${input.format}, ${input.encoding}, ${JSON.stringify(input.header)}::jsonb,
          ${JSON.stringify(input.mapping)}::jsonb, ${input.bytes})
        RETURNING id`.execute(db);
      const claimed = await claim(rows[0].id, input.mode, input.mapping, input.skipInvalid);
      const done = await execute(claimed, input.mode, input.stream, { actor: input.actor, scoped: false }, input.onProgress);
      return { import: done.view, report: done.report };
    },

    /** Runs in progress on this instance (for a graceful shutdown). */
    running: () => [...jobs.keys()],
    /** Cancels every run of this instance and waits until they have rolled back. */
    async stopAll(): Promise<void> {
      for (const job of jobs.values()) job.controller.abort();
      while (jobs.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    },
  };
}

/** The unit an upload is recorded under: the widest of the uploader's import grants. */
function unitOfUpload(actor: Actor): number | null {
  const widest = scopePaths(actor, IMPORT_ROLES)[0];
  const grant = actor.grants.find((g) => g.path === widest && IMPORT_ROLES.includes(g.role));
  return grant?.orgUnitId ?? null;
}

export type DossierImports = ReturnType<typeof createDossierImports>;
