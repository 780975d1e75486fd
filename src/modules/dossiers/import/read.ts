import { Readable } from 'node:stream';
import { AppError, badRequest } from '../../../platform/errors/errors.js';
import { isXlsx, zipUnpackedSize } from '../../../platform/files/text-files.js';
import { type CsvDelimiter, type CsvRow, createCsvParser } from './csv.js';
import { type TextEncodingName, createTextDecoding } from '../../../platform/files/text-encoding.js';
import type { RowProblem } from './fields.js';
import { type ColumnMapping, type MappingProblem, checkMapping, describeMapping, recognisedFields, suggestMapping } from './mapping.js';
import { type DossierLookups, type RowOutcome, createDossierValidator } from './validate.js';
import { readXlsxRows } from './xlsx.js';

// A dossier file from the first byte to the last row: the format (CSV or .xlsx, by its first
// bytes), the text encoding, the header and its mapping, then every data row as a record or the
// reasons it is not one. Nothing here writes anywhere: the import reads the file twice, a dry run
// that reports every bad row and then the import itself.

export type DossierFileInput = Uint8Array | AsyncIterable<Uint8Array>;
export type FileFormat = 'csv' | 'xlsx';

/** The most data rows a file may have; the duplicate check's memory is sized by it. */
export const MAX_ROWS = 1_000_000;

/** A million-row .xlsx of 18 columns unpacks to about 600 MB of XML; far more means a zip bomb. */
export const XLSX_MAX_UNPACKED_BYTES = 1536 * 1024 * 1024;

/** How many first non-blank rows may hold the header, under a title or a note. */
const HEADER_SEARCH_ROWS = 10;

export interface ReadProgress {
  rowsRead: number;
  bytesRead: number;
  /** The file's size when known (an upload's Content-Length, a file's size). */
  totalBytes: number | null;
}

export interface ReadTotals {
  format: FileFormat | null;
  /** CSV only. */
  encoding: TextEncodingName | null;
  delimiter: CsvDelimiter | null;
  headerLine: number | null;
  /** Data rows read; blank rows are not counted. */
  rows: number;
  records: number;
  /** Rows with at least one error. */
  invalid: number;
  /** Rows that repeat an earlier row exactly, left out with a warning. */
  repeats: number;
  errors: number;
  warnings: number;
  blankRows: number;
  bytesRead: number;
  /** True only once the last row has been read: a reading stopped halfway counts for nothing. */
  complete: boolean;
}

export interface ReadOptions {
  /** Detected from the first bytes when not given. */
  format?: FileFormat;
  /** Suggested from the header when not given; then every required field must be recognised. */
  mapping?: ColumnMapping;
  lookups: DossierLookups;
  now?: Date;
  totalBytes?: number;
  maxRows?: number;
  /** Called after each batch of rows: every 64 KiB of a CSV, every thousand rows of a workbook. */
  onProgress?: (progress: ReadProgress) => void;
}

/** One pass over the file: iterate it (or its batches) once. */
export interface DossierFileReading extends AsyncIterable<RowOutcome> {
  readonly totals: ReadTotals;
  /**
   * The same outcomes a batch at a time (a few hundred rows), for the import's bulk writes; cheaper
   * than row by row, which costs a promise a row.
   */
  batches(): AsyncGenerator<RowOutcome[]>;
  /** The header row's cells and the mapping in use, once the header has been read. */
  readonly header: string[] | null;
  readonly mapping: ColumnMapping | null;
}

/**
 * Reads a dossier file row by row. File-level problems (not a spreadsheet, a wrong encoding, no
 * header, a mapping without a required field, too many rows) are thrown as AppErrors, possibly
 * after some rows when they are found further in the file; row-level problems are yielded.
 */
export function readDossierFile(input: DossierFileInput, options: ReadOptions): DossierFileReading {
  const totals: ReadTotals = {
    format: null, encoding: null, delimiter: null, headerLine: null,
    rows: 0, records: 0, invalid: 0, repeats: 0, errors: 0, warnings: 0, blankRows: 0,
    bytesRead: 0, complete: false,
  };
  const maxRows = options.maxRows ?? MAX_ROWS;
  const totalBytes = options.totalBytes ?? (input instanceof Uint8Array ? input.length : null);
  let header: string[] | null = null;
  let mapping: ColumnMapping | null = null;

  async function* batches(): AsyncGenerator<RowOutcome[]> {
    const source = fileRows(input, options.format, totals);
    let check: ((row: CsvRow) => RowOutcome) | null = null;
    const early: CsvRow[] = [];

    const start = (rows: CsvRow[]) => {
      const found = findHeader(rows, options.mapping);
      header = found.header;
      mapping = found.mapping;
      totals.headerLine = mapping.headerLine;
      // A dossier row takes 100 bytes or more; the duplicate check is sized for the rows that fit.
      const expectedRows = totalBytes === null ? undefined : Math.min(maxRows, Math.ceil(totalBytes / 100));
      const validator = createDossierValidator({ mapping, lookups: options.lookups, now: options.now, expectedRows });
      const width = header.length;
      const csv = totals.format === 'csv';
      return (row: CsvRow): RowOutcome => {
        const shape = csv ? rowShapeProblem(row, width) : null;
        return shape ? { line: row.line, problems: [shape] } : validator.check(row.line, row.cells);
      };
    };

    const dataRows = (rows: CsvRow[], validate: (row: CsvRow) => RowOutcome): RowOutcome[] => {
      const headerLine = totals.headerLine!;
      const out: RowOutcome[] = [];
      for (const row of rows) {
        if (row.line <= headerLine) continue;
        if (isBlank(row.cells)) {
          totals.blankRows++;
          continue;
        }
        if (++totals.rows > maxRows) {
          throw badRequest('IMPORT_TOO_LARGE', `Tệp có hơn ${maxRows.toLocaleString('vi-VN')} dòng dữ liệu; hãy chia thành nhiều tệp.`);
        }
        const outcome = validate(row);
        tally(totals, outcome);
        out.push(outcome);
      }
      return out;
    };

    for await (const batch of source) {
      if (check === null) {
        // Wait for the header: its given line, or the first rows to search it among.
        early.push(...batch);
        const given = options.mapping?.headerLine;
        const ready = given !== undefined ? early.some((r) => r.line >= given) : early.filter((r) => !isBlank(r.cells)).length >= HEADER_SEARCH_ROWS;
        if (!ready) continue;
        check = start(early);
        yield dataRows(early, check);
      } else {
        yield dataRows(batch, check);
      }
      options.onProgress?.({ rowsRead: totals.rows, bytesRead: totals.bytesRead, totalBytes });
    }
    if (check === null) {
      check = start(early);
      yield dataRows(early, check);
    }
    if (totals.rows === 0) throw badRequest('IMPORT_EMPTY', 'Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.');
    totals.complete = true;
    options.onProgress?.({ rowsRead: totals.rows, bytesRead: totals.bytesRead, totalBytes });
  }

  return {
    totals,
    get header() {
      return header;
    },
    get mapping() {
      return mapping;
    },
    batches,
    [Symbol.asyncIterator]: () => flatten(batches()),
  };
}

function tally(totals: ReadTotals, outcome: RowOutcome) {
  if ('record' in outcome) {
    totals.records++;
    return;
  }
  let errors = 0;
  for (const p of outcome.problems) if (p.severity === 'error') errors++;
  totals.errors += errors;
  totals.warnings += outcome.problems.length - errors;
  if (errors > 0) totals.invalid++;
  else totals.repeats++;
}

/**
 * Row by row over the batches, written out: an async generator yielding each row costs about twice
 * as much (several promises a row, measured at 0.3–0.5 s a million rows).
 */
function flatten<T>(batches: AsyncGenerator<T[]>): AsyncIterator<T> {
  let batch: T[] = [];
  let next = 0;
  const iterator: AsyncIterator<T> = {
    async next() {
      while (next === batch.length) {
        const result = await batches.next();
        if (result.done) return { value: undefined, done: true };
        batch = result.value;
        next = 0;
      }
      return { value: batch[next++], done: false };
    },
    async return() {
      await batches.return(undefined);
      return { value: undefined, done: true };
    },
  };
  return iterator;
}

export interface FileInspection {
  format: FileFormat;
  encoding: TextEncodingName | null;
  delimiter: CsvDelimiter | null;
  headerLine: number;
  header: string[];
  /** The mapping suggested from the header's names, for the import screen to show and correct. */
  mapping: ColumnMapping;
  fields: ReturnType<typeof describeMapping>;
  /** What the suggested mapping still lacks (required fields not recognised). */
  problems: MappingProblem[];
  /** The first data rows, as the file has them. */
  sample: { line: number; cells: string[] }[];
}

/** The first rows of a file, read to suggest a mapping; the rest of the file is not read. */
export async function inspectDossierFile(input: DossierFileInput, options: { format?: FileFormat; sampleRows?: number } = {}): Promise<FileInspection> {
  const sampleRows = options.sampleRows ?? 5;
  const totals = { format: null, encoding: null, delimiter: null, bytesRead: 0 } as Pick<ReadTotals, 'format' | 'encoding' | 'delimiter' | 'bytesRead'>;
  const rows: CsvRow[] = [];
  for await (const batch of fileRows(input, options.format, totals)) {
    for (const row of batch) if (!isBlank(row.cells)) rows.push(row);
    if (rows.length >= HEADER_SEARCH_ROWS + sampleRows) break;
  }
  const { header, mapping } = findHeader(rows, undefined, false);
  return {
    format: totals.format!,
    encoding: totals.encoding,
    delimiter: totals.delimiter,
    headerLine: mapping.headerLine,
    header,
    mapping,
    fields: describeMapping(mapping, header),
    problems: checkMapping(mapping, header),
    sample: rows.filter((r) => r.line > mapping.headerLine).slice(0, sampleRows).map(({ line, cells }) => ({ line, cells })),
  };
}

/**
 * The header row and the mapping: the given mapping at its line, or else the first of the first
 * rows that names two fields or more (a title above the table is passed over) with the mapping its
 * names suggest. Throws when the mapping does not fit the header (`strict`).
 */
function findHeader(rows: CsvRow[], given: ColumnMapping | undefined, strict = true): { header: string[]; mapping: ColumnMapping } {
  const nonBlank = rows.filter((r) => !isBlank(r.cells));
  if (nonBlank.length === 0) throw badRequest('IMPORT_EMPTY', 'Tệp trống: không có dòng tiêu đề và dữ liệu.');
  let row: CsvRow | undefined;
  if (given) {
    row = rows.find((r) => r.line === given.headerLine);
    if (!row || isBlank(row.cells)) {
      throw badRequest('IMPORT_BAD_HEADER', `Dòng ${given.headerLine} của tệp không phải dòng tiêu đề (dòng trống hoặc không có). Hãy chọn lại dòng tiêu đề.`);
    }
  } else {
    row = nonBlank.slice(0, HEADER_SEARCH_ROWS).find((r) => recognisedFields(r.cells.map((c) => c.trim())) >= 2) ?? nonBlank[0];
  }
  const header = row.cells.map((c) => c.trim());
  const mapping = given ?? suggestMapping(header, row.line);
  if (strict) {
    const problems = checkMapping(mapping, header);
    if (problems.length > 0) {
      throw badRequest('IMPORT_MAPPING', `Chưa ghép được cột của tệp với các trường hồ sơ: ${problems.map((p) => p.message).join(' ')}`, problems);
    }
  }
  return { header, mapping };
}

/** A CSV row whose cells do not line up with the header's columns. */
function rowShapeProblem(row: CsvRow, width: number): RowProblem | null {
  if (row.problem) return { line: row.line, field: null, code: row.problem.code, message: row.problem.message, severity: 'error' };
  const n = row.cells.length;
  if (n === width) return null;
  if (n > width && row.cells.slice(width).every((c) => c.trim() === '')) return null;
  return {
    line: row.line,
    field: null,
    code: 'ROW_COLUMNS',
    severity: 'error',
    message:
      n > width
        ? `dòng có ${n} ô nhưng tiêu đề có ${width} cột: có thể một giá trị chứa dấu phân cách mà không nằm trong ngoặc kép`
        : `dòng chỉ có ${n} ô nhưng tiêu đề có ${width} cột`,
  };
}

function isBlank(cells: readonly string[]): boolean {
  for (const c of cells) if (c !== '' && c.trim() !== '') return false;
  return true;
}

/** The file as batches of rows, whatever its format; fills in what it learns about the file. */
async function* fileRows(
  input: DossierFileInput,
  format: FileFormat | undefined,
  about: Pick<ReadTotals, 'format' | 'encoding' | 'delimiter' | 'bytesRead'>,
): AsyncGenerator<CsvRow[]> {
  const chunks = byteChunks(input, about)[Symbol.asyncIterator]();
  const first = await chunks.next();
  const head = first.done ? new Uint8Array(0) : first.value;
  async function* all() {
    if (head.length) yield head;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  const zipped = isXlsx(Buffer.from(head.buffer, head.byteOffset, head.length));
  about.format = format ?? (zipped ? 'xlsx' : 'csv');

  if (about.format === 'xlsx') {
    if (!zipped) throw badRequest('FILE_TYPE', 'Tệp gửi lên không phải tệp Excel .xlsx. Hãy chọn tệp .xlsx hoặc .csv (UTF-8).');
    if (input instanceof Uint8Array) checkUnpackedSize(input);
    const stream = Readable.from(all(), { objectMode: false });
    try {
      yield* readXlsxRows(stream);
    } finally {
      stream.destroy();
      await chunks.return?.(undefined);
    }
    return;
  }

  const decoding = createTextDecoding();
  const parser = createCsvParser();
  try {
    for await (const chunk of all()) {
      const rows = parser.push(decoding.push(chunk));
      about.encoding = decoding.encoding;
      about.delimiter = parser.delimiter;
      yield rows;
    }
    const rows = parser.push(decoding.end());
    rows.push(...parser.end());
    about.encoding = decoding.encoding;
    about.delimiter = parser.delimiter;
    yield rows;
  } finally {
    await chunks.return?.(undefined);
  }
}

/**
 * The input as chunks of at most 64 KiB, counted as they are read. Small chunks keep each batch of
 * rows short-lived: a batch that outlives a young-generation collection costs a full one later.
 */
async function* byteChunks(input: DossierFileInput, about: { bytesRead: number }): AsyncGenerator<Uint8Array> {
  const CHUNK = 1 << 16;
  const pieces = input instanceof Uint8Array ? [input] : input;
  for await (const piece of pieces) {
    for (let at = 0; at < piece.length; at += CHUNK) {
      const chunk = piece.subarray(at, at + CHUNK);
      about.bytesRead += chunk.length;
      yield chunk;
    }
  }
}

function checkUnpackedSize(data: Uint8Array) {
  const size = zipUnpackedSize(Buffer.from(data.buffer, data.byteOffset, data.length));
  if (size === null) throw badRequest('FILE_TYPE', 'Tệp .xlsx bị hỏng hoặc không đọc được. Hãy lưu lại tệp bằng Excel rồi thử lại.');
  if (size > XLSX_MAX_UNPACKED_BYTES) {
    throw new AppError(413, 'FILE_TOO_LARGE', `Tệp Excel khi giải nén lớn hơn ${XLSX_MAX_UNPACKED_BYTES / 1024 / 1024} MB; hãy chia nhỏ tệp hoặc xuất ra CSV.`);
  }
}
