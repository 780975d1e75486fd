// One run over a dossier file: the dry run (check) reads every row and reports every problem;
// the import does the same inside ONE transaction and writes the valid rows as it reads them
// (staging.ts). Nothing of an import that fails, is cancelled or is killed halfway stays behind.

import { sql } from 'kysely';
import type pg from 'pg';
import { createKysely } from '../../db/kysely.js';
import type { Queryable } from '../../db/kysely.js';
import type { DatabaseKind } from '../../db/pool.js';
import type { WorkingCalendar } from '../../platform/calendar/calendar.js';
import { businessDateOf } from '../../platform/calendar/businessTime.js';
import { AppError } from '../../platform/errors/errors.js';
import { type DossierInput, type ItemProblem, checkInput, dossierRow, factsOf } from './dossier-row.js';
import type { DossierField, DossierRecord } from './import/fields.js';
import type { ColumnMapping } from './import/mapping.js';
import { type DossierFileInput, type FileFormat, readDossierFile } from './import/read.js';
import type { DossierEvent, } from './rules/statuses.js';
import { ENDING_STATUSES, STATUS_LABELS } from './rules/statuses.js';
import { startBulkLoad } from './bulk-load.js';
import { type RowSink, kyselyOn, mergeStagedWithStored, openSink, storedHashes, updateFromStage } from './staging.js';
import { type CodeLookups, lockSource, resolveCodes, rulesProblem } from './writer.js';

export type ImportMode = 'check' | 'import';

export interface ImportProblem {
  line: number | null;
  field: string | null;
  code: string;
  message: string;
  severity: 'error' | 'warning';
  otherLine: number | null;
}

/** What a run has found so far; filled in as it goes, so a run that fails still tells what it saw. */
export interface RunReport {
  phase: 'reading' | 'indexing' | 'merging' | 'writing' | 'done';
  format: FileFormat | null;
  encoding: string | null;
  header: string[] | null;
  mapping: ColumnMapping | null;
  bytesRead: number;
  bytesTotal: number | null;
  rowsRead: number;
  /** Valid rows (for an import: written, or found unchanged). */
  rowsOk: number;
  rowsBad: number;
  /** Rows that repeat an earlier one exactly: left out with a warning. */
  rowsWarned: number;
  created: number;
  updated: number;
  unchanged: number;
  problems: ImportProblem[];
  problemsTotal: number;
  /** The import loads in bulk: the table locked, its indexes built again after the rows (bulk-load.ts). */
  bulkLoad: boolean;
}

/** Problems kept per run (all are counted): as many as a list export holds. */
export const MAX_KEPT_PROBLEMS = 100_000;

/** About the size of a one-stop export's row: how many rows a file of a given size is expected to hold. */
const ROW_BYTES = 150;

export function emptyReport(bytesTotal: number | null): RunReport {
  return {
    phase: 'reading', format: null, encoding: null, header: null, mapping: null,
    bytesRead: 0, bytesTotal, rowsRead: 0, rowsOk: 0, rowsBad: 0, rowsWarned: 0,
    created: 0, updated: 0, unchanged: 0, problems: [], problemsTotal: 0, bulkLoad: false,
  };
}

export interface RunOptions {
  database: { kind: DatabaseKind; pool: pg.Pool };
  calendar: WorkingCalendar;
  sourceId: number;
  /** The dossier_imports row, recorded on the dossiers the import changes. */
  importId: number | null;
  mode: ImportMode;
  input: DossierFileInput;
  format?: FileFormat;
  /** Suggested from the header when not given. */
  mapping?: ColumnMapping;
  /** Import the valid rows and leave the bad ones out; otherwise one bad row stops the import. */
  skipInvalid: boolean;
  /** Whether rows of the unit at this path may be imported (the importer's scope); all when absent. */
  mayWriteUnit?: (unitPath: string) => boolean;
  signal?: AbortSignal;
  onProgress?: (report: RunReport) => void;
  now?: Date;
  /**
   * An import expected to bring at least this many new rows, more than the table holds, loads in
   * bulk on PostgreSQL (bulk-load.ts); 0: never.
   */
  bulkMinRows?: number;
  /** Runs in the import's transaction once its rows are written: record the outcome, the audit entry. */
  beforeCommit?: (q: Queryable, report: RunReport) => Promise<void>;
}

export const importCancelled = () => new AppError(409, 'IMPORT_CANCELLED', 'Lần nhập đã bị hủy; không hồ sơ nào của lần nhập này được ghi.');

const hasErrors = (report: RunReport) =>
  new AppError(
    422,
    'IMPORT_HAS_ERRORS',
    `Tệp có ${report.rowsBad.toLocaleString('vi-VN')} dòng lỗi nên không hồ sơ nào được ghi. Hãy sửa các dòng lỗi (xem danh sách lỗi), hoặc chọn "bỏ qua các dòng lỗi" để chỉ nhập các dòng hợp lệ.`,
  );

/** Runs the dry run or the import; `report` holds what was found even when this throws. */
export async function runDossierImport(opts: RunOptions, report: RunReport): Promise<void> {
  if (opts.mode === 'check') {
    const db = createKysely(opts.database.pool);
    const [lookups, stored] = await Promise.all([loadCodes(db), storedHashes(db, opts.sourceId)]);
    await readRows(opts, report, lookups, stored, null);
    report.phase = 'done';
    return;
  }
  const client = await opts.database.pool.connect();
  const q = kyselyOn(client);
  let sink: RowSink | null = null;
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await lockSource(q, opts.sourceId);
    const lookups = await loadCodes(q);
    const stored = await storedHashes(q, opts.sourceId);
    const bulk =
      opts.database.kind === 'postgres' && report.bytesTotal !== null
        ? await startBulkLoad(q, Math.max(0, Math.round(report.bytesTotal / ROW_BYTES) - stored.size), opts.bulkMinRows ?? 0)
        : null;
    report.bulkLoad = bulk !== null;
    sink = await openSink(client, q, opts.database.kind, {
      sourceId: opts.sourceId,
      importId: opts.importId,
      onlineCapable: (id) => lookups.onlineProcedures.has(id),
    });
    await readRows(opts, report, lookups, stored, sink);
    const { inserted, staged } = await sink.finish();
    sink = null;
    if (report.rowsBad > 0 && !opts.skipInvalid) throw hasErrors(report);
    if (bulk) {
      report.phase = 'indexing';
      opts.onProgress?.(report);
      await bulk.finish();
    }
    report.created = inserted;
    report.updated = 0;

    if (staged > 0) {
      report.phase = 'merging';
      opts.onProgress?.(report);
      const merged = await mergeStagedWithStored(q, {
        calendar: opts.calendar,
        sourceId: opts.sourceId,
        processingDaysOf: (id) => lookups.procedureDays.get(id) ?? null,
        mayWriteUnit: opts.mayWriteUnit,
        onProblem: (line, problem) => {
          report.rowsBad++;
          report.rowsOk--;
          addProblem(report, { line, ...problem, severity: 'error', otherLine: null });
        },
      });
      if (merged.refused > 0 && !opts.skipInvalid) throw hasErrors(report);
      if (opts.signal?.aborted) throw importCancelled();
      report.phase = 'writing';
      opts.onProgress?.(report);
      report.updated = await updateFromStage(q, opts.sourceId, opts.importId);
      report.unchanged += staged - merged.refused - report.updated;
    }
    if (opts.signal?.aborted) throw importCancelled();
    report.phase = 'done';
    await opts.beforeCommit?.(q, report);
    await client.query('COMMIT');
  } catch (error) {
    await sink?.abort().catch(() => {});
    await client.query('ROLLBACK').catch((e: Error) => {
      broken = e;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

interface FileLookups extends CodeLookups {
  procedureDays: Map<number, number | null>;
  /** The procedures offered online, fully or partly (the scorecard's "online-capable"). */
  onlineProcedures: Set<number>;
}

/** Every procedure and unit by code: a file names any of them, row after row. */
async function loadCodes(q: Queryable): Promise<FileLookups> {
  const [{ rows: procedures }, { rows: units }] = await Promise.all([
    sql<{ id: number; code: string; processing_days: number | null; online: string }>`SELECT id, code, processing_days, online FROM dossier_procedures`.execute(q),
    sql<{ id: number; code: string; path: string }>`SELECT id, code, path FROM org_units`.execute(q),
  ]);
  return {
    procedures: new Map(procedures.map((p) => [p.code.toLowerCase(), { id: p.id, processingDays: p.processing_days }])),
    procedureDays: new Map(procedures.map((p) => [p.id, p.processing_days])),
    onlineProcedures: new Set(procedures.filter((p) => p.online !== 'none').map((p) => p.id)),
    units: new Map(units.map((u) => [u.code.toLowerCase(), { id: u.id, path: u.path }])),
  };
}

/**
 * Reads every row. A valid one is, against what the source sent before: new (written through the
 * sink, or counted as to be created by a dry run), the same (counted unchanged), or changed
 * (staged for the merge; a dry run counts it as to be updated). With `sink` null nothing is written.
 */
async function readRows(opts: RunOptions, report: RunReport, lookups: FileLookups, stored: Map<string, string>, sink: RowSink | null): Promise<void> {
  const now = opts.now ?? new Date();
  const reading = readDossierFile(opts.input, {
    format: opts.format,
    mapping: opts.mapping,
    lookups: {
      procedures: (code) => lookups.procedures.has(code.toLowerCase()),
      units: (code) => lookups.units.has(code.toLowerCase()),
    },
    now,
    totalBytes: report.bytesTotal ?? undefined,
    onProgress: (p) => {
      report.bytesRead = p.bytesRead;
      report.rowsRead = p.rowsRead;
      opts.onProgress?.(report);
    },
  });
  // A batch at a time: iterating row by row costs a promise a row (read.ts).
  for await (const batch of reading.batches()) {
    for (const outcome of batch) {
      if (opts.signal?.aborted) throw importCancelled();
      if (report.header === null && reading.header) {
        report.header = reading.header;
        report.mapping = reading.mapping;
        report.format = reading.totals.format;
        report.encoding = reading.totals.encoding;
      }
      if ('problems' in outcome) {
        if (outcome.problems.some((p) => p.severity === 'error')) report.rowsBad++;
        else report.rowsWarned++;
        for (const p of outcome.problems) addProblem(report, { line: p.line, field: p.field, code: p.code, message: p.message, severity: p.severity, otherLine: p.otherLine ?? null });
        continue;
      }
      const row = rowOfRecord(outcome.record, lookups, opts, now);
      if (Array.isArray(row)) {
        report.rowsBad++;
        for (const p of row) addProblem(report, { line: outcome.line, ...p, severity: 'error', otherLine: null });
        continue;
      }
      report.rowsOk++;
      // Once a row is bad, an import that does not skip bad rows will write nothing: only read on.
      const writing = sink !== null && (report.rowsBad === 0 || opts.skipInvalid);
      const was = stored.get(row.code);
      let wait: Promise<void> | undefined;
      if (was === undefined) {
        report.created++;
        if (writing) wait = sink.insert(row);
      } else if (was === row.dataHash) {
        report.unchanged++;
      } else {
        report.updated++;
        if (writing) wait = sink.change(outcome.line, row);
      }
      if (wait) await wait;
    }
  }
  report.rowsRead = reading.totals.rows;
  report.bytesRead = reading.totals.bytesRead;
  report.format = reading.totals.format;
  report.encoding = reading.totals.encoding;
}

export function addProblem(report: RunReport, problem: ImportProblem) {
  report.problemsTotal++;
  if (report.problems.length < MAX_KEPT_PROBLEMS) report.problems.push(problem);
}

/** A valid file row as a dossier row, or what the writer's rules find wrong with it. */
function rowOfRecord(record: DossierRecord, lookups: FileLookups, opts: RunOptions, now: Date) {
  const input = inputOfRecord(record);
  if (Array.isArray(input)) return input;
  const problems: ItemProblem[] = checkInput(input.input, now).map((p) => ({ ...p, field: fileField(p.field, input.eventFields) }));
  const resolved = resolveCodes(input.input, lookups, opts.mayWriteUnit);
  if (Array.isArray(resolved)) problems.push(...resolved);
  if (problems.length > 0 || Array.isArray(resolved)) return problems;
  try {
    return dossierRow(opts.calendar, record.code, factsOf(input.input, resolved.procedure.id, resolved.unit.id), resolved.procedure.processingDays);
  } catch (error) {
    return [rulesProblem(error)];
  }
}

/**
 * A file row states one status with its time, and maybe when the result was ready and returned:
 * those are its events. An ending status needs its time (the status time, or the result's dates);
 * another status without one is taken as of receipt. A date written without a time on the day of
 * receipt means that day, not midnight before the receipt.
 */
export function inputOfRecord(record: DossierRecord): { input: DossierInput; eventFields: DossierField[] } | ItemProblem[] {
  const { status, receivedAt } = record;
  const statusTime = statusTimeOf(record);
  if (statusTime === null && ENDING_STATUSES.has(status)) {
    return [
      {
        field: 'statusAt',
        code: 'STATUS_TIME_MISSING',
        message: `trạng thái "${STATUS_LABELS[status]}" kết thúc hồ sơ nên cần thời điểm: điền thời điểm trạng thái (hoặc ngày có kết quả, ngày trả kết quả)`,
      },
    ];
  }
  const events: DossierEvent[] = [{ status, at: sameDay(statusTime ? statusTime[0] : receivedAt, receivedAt) }];
  const eventFields: DossierField[] = [statusTime ? statusTime[1] : 'receivedAt'];
  if (record.finishedAt && (status === 'processed' || status === 'returned')) {
    events.push({ status: 'processed', at: sameDay(record.finishedAt, receivedAt) });
    eventFields.push('finishedAt');
  }
  if (record.returnedAt && status === 'returned') {
    events.push({ status: 'returned', at: sameDay(record.returnedAt, receivedAt) });
    eventFields.push('returnedAt');
  }
  return {
    input: {
      code: record.code,
      procedureCode: record.procedureCode,
      receivingUnitCode: record.receivingUnitCode,
      channel: record.channel,
      receivedAt,
      promisedReturnDate: record.promisedReturnDate,
      handler: record.handler,
      events,
      supplements: record.supplementRequestedAt
        ? [{ askedAt: sameDay(record.supplementRequestedAt, receivedAt), answeredAt: record.supplementAnsweredAt }]
        : [],
      fee: record.fee,
      paidOnline: record.paidOnline,
      synced: record.synced,
      digitised: record.digitised,
      electronicResult: record.electronicResult,
      reusedData: record.reusedData,
      rating: record.rating,
      complaint: record.complaint,
    },
    eventFields,
  };
}

/** A date written without a time on the day of receipt is that day, not the midnight before the receipt. */
function sameDay(at: Date, receivedAt: Date): Date {
  return at.getTime() < receivedAt.getTime() && businessDateOf(at) === businessDateOf(receivedAt) ? receivedAt : at;
}

/** The status's own time and the column it comes from; null for an ending status without one. */
function statusTimeOf(record: DossierRecord): [Date, DossierField] | null {
  if (record.statusAt) return [record.statusAt, 'statusAt'];
  if (!ENDING_STATUSES.has(record.status)) return null;
  const dates: [Date | null, DossierField][] = [
    [record.finishedAt, 'finishedAt'],
    [record.returnedAt, 'returnedAt'],
  ];
  if (record.status === 'returned') dates.reverse();
  const found = dates.find(([at]) => at !== null);
  return found ? [found[0]!, found[1]] : null;
}

/** The file's column for a problem the writer reports in the push API's terms. */
function fileField(field: string | null, eventFields: DossierField[]): string | null {
  const event = field ? /^events\[(\d+)\]/.exec(field) : null;
  if (event) return eventFields[Number(event[1])] ?? 'status';
  if (field?.startsWith('supplements[')) return field.endsWith('answeredAt') ? 'supplementAnsweredAt' : 'supplementRequestedAt';
  return field;
}
