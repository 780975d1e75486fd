import { VIETNAM_OFFSET_MS } from '../../../platform/calendar/businessTime.js';
import { formatIsoDate } from '../../../platform/calendar/isoDate.js';
import { DOSSIER_CHANNELS, DOSSIER_STATUSES, ENDING_STATUSES, STATUS_LABELS } from '../rules/statuses.js';
import { CodeIndex, DataHash } from './duplicates.js';
import { DOSSIER_FIELDS, type DossierField, type DossierRecord, FIELD_LABELS, RATINGS, type RowProblem } from './fields.js';
import type { ColumnMapping } from './mapping.js';
import {
  isCleanCode,
  isDateOnly,
  parseBoolean,
  parseChannel,
  parseFee,
  parseRating,
  parseStatus,
  parseVnDateTime,
  vnDay,
} from './values.js';

// One data row → a dossier record, or every reason it cannot be one. Rows arrive a million at a
// time: the happy path allocates the record and little else, and problems are built only when found.

/** Whether a code exists; the caller loads the procedures and units from the database. */
export type CodeLookup = ReadonlySet<string> | ((code: string) => boolean);

export interface DossierLookups {
  procedures: CodeLookup;
  units: CodeLookup;
}

export type RowOutcome = { line: number; record: DossierRecord } | { line: number; problems: RowProblem[] };

export interface DossierValidator {
  /** Checks one data row; remembers its code, so a later row with the same code is a duplicate. */
  check(line: number, cells: readonly string[]): RowOutcome;
}

const EARLIEST_YEAR = 2000;
/** 1 January 2000, 00:00 in Vietnam. */
const EARLIEST_MS = Date.UTC(EARLIEST_YEAR, 0, 1) - VIETNAM_OFFSET_MS;
const DAY_MS = 86_400_000;
/** Clocks of the source systems drift; an event up to a day ahead of ours is not "in the future". */
const FUTURE_SLACK_MS = DAY_MS;

/** The date fields, in the order of the arrays a row's dates are kept in. */
const DATE_FIELDS = [
  'receivedAt',
  'promisedReturnDate',
  'statusAt',
  'finishedAt',
  'returnedAt',
  'supplementRequestedAt',
  'supplementAnsweredAt',
] as const;
const [RECEIVED, PROMISED, STATUS_AT, FINISHED, RETURNED, SUPPLEMENT_ASKED, SUPPLEMENT_ANSWERED] = [0, 1, 2, 3, 4, 5, 6];

/** Pairs of dates that must come in this order, earlier then later, checked when both are given. */
const ORDER = [
  RECEIVED, PROMISED,
  RECEIVED, STATUS_AT,
  RECEIVED, FINISHED,
  RECEIVED, RETURNED,
  FINISHED, RETURNED,
  RECEIVED, SUPPLEMENT_ASKED,
  SUPPLEMENT_ASKED, SUPPLEMENT_ANSWERED,
];

const DATE_FORMATS = 'dd/mm/yyyy, dd/mm/yyyy hh:mm hoặc yyyy-mm-dd';
const YES_NO = 'không phải có/không (dùng có/không, x, 1/0)';

export function createDossierValidator(options: {
  mapping: ColumnMapping;
  lookups: DossierLookups;
  /** The instant "now" for the future-date check; the validator's creation by default. */
  now?: Date;
  /** About how many rows will come, to size the duplicate check at once rather than grow it. */
  expectedRows?: number;
}): DossierValidator {
  const latest = (options.now ?? new Date()).getTime() + FUTURE_SLACK_MS;
  return new RowValidator(options.mapping, options.lookups, latest, new CodeIndex(2 * (options.expectedRows ?? 512)));
}

/**
 * The checks as methods of one object that keeps the row in hand: a closure per row would cost a
 * million allocations a file.
 */
class RowValidator implements DossierValidator {
  private readonly column: Record<DossierField, number>;
  private readonly dateColumns: number[];
  /** Columns mapped to a field, for the hash of a row with problems. */
  private readonly mapped: number[];
  private readonly procedures: CodeLookup;
  private readonly units: CodeLookup;
  private readonly hash = new DataHash();
  private readonly isoDates = new Map<number, string>();
  // The row in hand.
  private line = 0;
  private cells: readonly string[] = [];
  private problems: RowProblem[] | null = null;
  private readonly times = new Float64Array(DATE_FIELDS.length);
  private readonly texts: string[] = DATE_FIELDS.map(() => '');

  constructor(
    mapping: ColumnMapping,
    lookups: DossierLookups,
    /** Instants after this are in the future. */
    private readonly latest: number,
    private readonly codes: CodeIndex,
  ) {
    this.column = Object.fromEntries(DOSSIER_FIELDS.map((f) => [f, mapping.columns[f] ?? -1])) as Record<DossierField, number>;
    this.dateColumns = DATE_FIELDS.map((f) => this.column[f]);
    this.mapped = Object.values(mapping.columns).filter((c): c is number => c !== undefined);
    this.procedures = lookups.procedures;
    this.units = lookups.units;
  }

  check(line: number, cells: readonly string[]): RowOutcome {
    this.line = line;
    this.cells = cells;
    this.problems = null;
    const column = this.column;

    const code = this.cell(column.code);
    if (code === '') this.problem('code', 'MISSING_VALUE', 'thiếu mã hồ sơ');
    else if (!isCleanCode(code)) this.problem('code', 'INVALID_CODE', `mã hồ sơ "${clip(code)}" không hợp lệ (tối đa 100 ký tự, không có dấu cách)`);

    const procedureCode = this.cell(column.procedureCode);
    if (procedureCode === '') this.problem('procedureCode', 'MISSING_VALUE', 'thiếu mã thủ tục');
    else if (!has(this.procedures, procedureCode)) {
      this.problem('procedureCode', 'UNKNOWN_PROCEDURE', `không có thủ tục mã "${clip(procedureCode)}" trong danh mục thủ tục hành chính`);
    }

    const unitCode = this.cell(column.receivingUnitCode);
    if (unitCode === '') this.problem('receivingUnitCode', 'MISSING_VALUE', 'thiếu mã đơn vị tiếp nhận');
    else if (!has(this.units, unitCode)) {
      this.problem('receivingUnitCode', 'UNKNOWN_UNIT', `không có đơn vị mã "${clip(unitCode)}" (đơn vị tiếp nhận phải là một đơn vị trong hệ thống)`);
    }

    const handler = this.optional(column.handler, 'handler', parseHandler, 'HANDLER_TOO_LONG', 'tên cán bộ xử lý', `dài quá ${MAX_HANDLER} ký tự`);

    const channelText = this.cell(column.channel);
    const channel = channelText === '' ? undefined : parseChannel(channelText);
    if (channelText === '') this.problem('channel', 'MISSING_VALUE', 'thiếu kênh nộp');
    else if (channel === undefined) this.problem('channel', 'INVALID_CHANNEL', `kênh nộp "${clip(channelText)}" không hợp lệ (1 trực tiếp, 2 trực tuyến, 3 qua bưu chính)`);

    const statusText = this.cell(column.status);
    const status = statusText === '' ? undefined : parseStatus(statusText);
    if (statusText === '') this.problem('status', 'MISSING_VALUE', 'thiếu trạng thái');
    else if (status === undefined) {
      this.problem('status', 'INVALID_STATUS', `trạng thái "${clip(statusText)}" không thuộc 10 trạng thái của Cổng Dịch vụ công quốc gia (mã 1–10 hoặc tên, ví dụ "4" hoặc "Đang xử lý")`);
    }

    this.readDates();
    const { times, texts } = this;
    if (texts[RECEIVED] === '') this.problem('receivedAt', 'MISSING_VALUE', 'thiếu ngày tiếp nhận');
    if (texts[SUPPLEMENT_ANSWERED] !== '' && texts[SUPPLEMENT_ASKED] === '' && this.dateColumns[SUPPLEMENT_ASKED] >= 0) {
      this.problem('supplementAnsweredAt', 'DATE_ORDER', 'có ngày công dân bổ sung nhưng không có ngày yêu cầu bổ sung');
    }
    if (status !== undefined && !ENDING_STATUSES.has(status)) {
      const ended = texts[FINISHED] !== '' ? FINISHED : texts[RETURNED] !== '' ? RETURNED : -1;
      if (ended >= 0) {
        this.problem('status', 'STATUS_CONFLICT', `hồ sơ có ${FIELD_LABELS[DATE_FIELDS[ended]].toLowerCase()} nhưng trạng thái là "${STATUS_LABELS[status]}"`);
      }
    }

    const fee = this.optional(column.fee, 'fee', parseFee, 'INVALID_FEE', 'phí, lệ phí', 'không phải số tiền hợp lệ (số đồng, ví dụ 50000 hoặc 50.000)');
    const paidOnline = this.optional(column.paidOnline, 'paidOnline', parseBoolean, 'INVALID_BOOLEAN', 'thanh toán trực tuyến', YES_NO);
    const synced = this.optional(column.synced, 'synced', parseBoolean, 'INVALID_BOOLEAN', 'đồng bộ Cổng DVC quốc gia', YES_NO);
    const digitised = this.optional(column.digitised, 'digitised', parseBoolean, 'INVALID_BOOLEAN', 'đã số hóa', YES_NO);
    const reusedData = this.optional(column.reusedData, 'reusedData', parseBoolean, 'INVALID_BOOLEAN', 'tái sử dụng dữ liệu số hóa', YES_NO);
    const electronicResult = this.optional(column.electronicResult, 'electronicResult', parseBoolean, 'INVALID_BOOLEAN', 'kết quả điện tử', YES_NO);
    const rating = this.optional(column.rating, 'rating', parseRating, 'INVALID_RATING', 'đánh giá', 'không hợp lệ (Rất hài lòng, Hài lòng hoặc Không hài lòng)');
    const complaint = this.optional(column.complaint, 'complaint', parseBoolean, 'INVALID_BOOLEAN', 'khiếu nại, phản ánh', YES_NO);

    if (this.problems !== null) {
      const problems: RowProblem[] = this.problems;
      // Remembered too, so that a corrected copy further down is not taken for a new dossier.
      const repeat = code === '' ? null : this.duplicate(code, this.rawHash());
      if (repeat) problems.push(repeat);
      return { line, problems };
    }

    const record: DossierRecord = {
      code,
      procedureCode,
      receivingUnitCode: unitCode,
      handler,
      channel: channel!,
      receivedAt: new Date(times[RECEIVED]),
      promisedReturnDate: Number.isNaN(times[PROMISED]) ? null : this.isoDate(vnDay(times[PROMISED])),
      status: status!,
      statusAt: date(times[STATUS_AT]),
      finishedAt: date(times[FINISHED]),
      returnedAt: date(times[RETURNED]),
      supplementRequestedAt: date(times[SUPPLEMENT_ASKED]),
      supplementAnsweredAt: date(times[SUPPLEMENT_ANSWERED]),
      fee,
      paidOnline,
      synced,
      digitised,
      reusedData,
      electronicResult,
      rating,
      complaint,
    };
    const repeat = this.duplicate(code, this.recordHash(record));
    return repeat ? { line, problems: [repeat] } : { line, record };
  }

  /** 'YYYY-MM-DD' of a day number; a file's million rows fall on a few hundred days. */
  private isoDate(day: number): string {
    let text = this.isoDates.get(day);
    if (text === undefined) {
      text = formatIsoDate(day);
      this.isoDates.set(day, text);
    }
    return text;
  }

  private cell(column: number): string {
    if (column < 0) return '';
    const text = this.cells[column];
    if (text === undefined || text === '') return '';
    // Most cells need no trimming, and asking costs less than trimming.
    const first = text.charCodeAt(0);
    const last = text.charCodeAt(text.length - 1);
    return first > 32 && first < 127 && last > 32 && last < 127 ? text : text.trim();
  }

  private problem(field: DossierField | null, code: string, message: string) {
    this.problems ??= [];
    this.problems.push({ line: this.line, field, code, message, severity: 'error' });
  }

  /** Every date of the row into `times` (NaN when empty or wrong) and `texts`, then their order. */
  private readDates() {
    const { times, texts } = this;
    for (let k = 0; k < DATE_FIELDS.length; k++) {
      const text = this.cell(this.dateColumns[k]);
      texts[k] = text;
      times[k] = text === '' ? Number.NaN : this.instant(DATE_FIELDS[k], text, k !== PROMISED);
    }
    for (let k = 0; k < ORDER.length; k += 2) {
      const earlier = ORDER[k];
      const later = ORDER[k + 1];
      const a = times[earlier];
      const b = times[later];
      if (Number.isNaN(a) || Number.isNaN(b)) continue;
      // A date without a time compares by day; so does the promised date, which is a day.
      const byDay = later === PROMISED || isDateOnly(texts[earlier]) || isDateOnly(texts[later]);
      if (byDay ? vnDay(b) < vnDay(a) : b < a) {
        const [first, then] = [DATE_FIELDS[earlier], DATE_FIELDS[later]];
        this.problem(then, 'DATE_ORDER', `${FIELD_LABELS[then]} (${texts[later]}) trước ${FIELD_LABELS[first].toLowerCase()} (${texts[earlier]})`);
      }
    }
  }

  /** The instant a cell states; NaN (and a problem) when it is not a date, too old or in the future. */
  private instant(field: DossierField, text: string, past: boolean): number {
    const ms = parseVnDateTime(text);
    if (Number.isNaN(ms)) {
      this.problem(field, 'INVALID_DATE', `${FIELD_LABELS[field]} "${clip(text)}" không phải ngày hợp lệ (viết ${DATE_FORMATS})`);
    } else if (ms < EARLIEST_MS) {
      this.problem(field, 'DATE_OUT_OF_RANGE', `${FIELD_LABELS[field]} "${text}" trước năm ${EARLIEST_YEAR}`);
      return Number.NaN;
    } else if (past && ms > this.latest) {
      this.problem(field, 'DATE_IN_FUTURE', `${FIELD_LABELS[field]} "${text}" ở tương lai`);
      return Number.NaN;
    }
    return ms;
  }

  /** An optional cell's value; null when empty, and when wrong (with a problem). */
  private optional<T>(column: number, field: DossierField, parse: (text: string) => T | undefined, code: string, label: string, rule: string): T | null {
    const text = this.cell(column);
    if (text === '') return null;
    const value = parse(text);
    if (value === undefined || (typeof value === 'number' && Number.isNaN(value))) {
      this.problem(field, code, `${label} "${clip(text)}" ${rule}`);
      return null;
    }
    return value;
  }

  /** The problem when `code` was already seen: a harmless exact repeat, or a conflict. */
  private duplicate(code: string, data: DataHash): RowProblem | null {
    const line = this.line;
    const seen = this.codes.see(code, data.value, line);
    if (seen === null) return null;
    const otherLine = seen.firstLine;
    return seen.sameData
      ? { line, field: 'code', code: 'DUPLICATE_REPEAT', severity: 'warning', otherLine, message: `hồ sơ "${code}" lặp lại y hệt dòng ${otherLine}; dòng này được bỏ qua` }
      : { line, field: 'code', code: 'DUPLICATE_CONFLICT', severity: 'error', otherLine, message: `mã hồ sơ "${code}" đã có ở dòng ${otherLine} với dữ liệu khác; hãy giữ lại một dòng đúng` };
  }

  /** The data of a valid row as read: "05/03/2026" and "2026-03-05" are the same date. */
  private recordHash(r: DossierRecord): DataHash {
    const hash = this.hash.start(1).text(r.procedureCode).text(r.receivingUnitCode);
    hash.number(DOSSIER_CHANNELS.indexOf(r.channel)).number(DOSSIER_STATUSES.indexOf(r.status));
    const { times } = this;
    for (let k = 0; k < times.length; k++) hash.number(Number.isNaN(times[k]) ? -1 : k === PROMISED ? vnDay(times[k]) : times[k]);
    hash.number(r.fee ?? -1).number(flag(r.paidOnline)).number(flag(r.digitised)).number(flag(r.electronicResult));
    hash.number(flag(r.synced)).number(flag(r.reusedData)).text(r.handler ?? '');
    return hash.number(r.rating === null ? -1 : RATINGS.indexOf(r.rating)).number(flag(r.complaint));
  }

  /** The data of a row with problems as written (another seed: never equal to a valid row's). */
  private rawHash(): DataHash {
    const hash = this.hash.start(2);
    for (const c of this.mapped) hash.text(this.cell(c));
    return hash;
  }
}

const flag = (b: boolean | null) => (b === null ? 2 : b ? 1 : 0);
const date = (ms: number) => (Number.isNaN(ms) ? null : new Date(ms));
const clip = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);
/** As the database allows it (migration 007). */
const MAX_HANDLER = 200;
const parseHandler = (text: string) => (text.length <= MAX_HANDLER ? text : undefined);

function has(lookup: CodeLookup, code: string): boolean {
  return typeof lookup === 'function' ? lookup(code) : lookup.has(code);
}
