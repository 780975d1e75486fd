// New dossier rows in COPY's binary format (PostgreSQL's "COPY … FROM STDIN WITH (FORMAT binary)"):
// the server then reads integers and instants as they are instead of parsing their text, which
// took about 1.5 s of its time in a million-row import (measured: the same rows COPY'd as text and
// as binary into a table without indexes, 4.2 s and 2.9 s). The columns are INSERT_COLUMNS'
// (writer.ts): source_id, code, import_id, then ROW_COLUMNS (dossier-row.ts) with the hash last.

import type { DossierRow } from '../dossier-row.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** The signature, no flags, no header extension. */
export const BINARY_HEADER = Buffer.concat([SIGNATURE, Buffer.alloc(8)]);
/** A tuple with -1 fields: the end of the data. */
export const BINARY_TRAILER = Buffer.from([0xff, 0xff]);

const FIELDS = 28;
const INT2_OID = 21;
const TIMESTAMPTZ_OID = 1184;
/** PostgreSQL's epoch (2000-01-01 UTC) in Unix milliseconds, and in Unix days. */
const PG_EPOCH_MS = 946_684_800_000;
const PG_EPOCH_DAYS = 10_957;
const TWO_32 = 4_294_967_296;

/**
 * Appends rows to a buffer that grows as needed; `take` hands over what was written. Free text is
 * at most 3 bytes a UTF-16 unit in UTF-8, which bounds what a row can need.
 */
export class BinaryRows {
  private buf: Buffer;
  private at = 0;

  constructor(size = 1 << 18) {
    this.buf = Buffer.allocUnsafe(size);
  }

  get length(): number {
    return this.at;
  }

  /** The bytes written so far; the writer starts again on a new buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.at = 0;
    return out;
  }

  /** Bytes as they are (the header, the trailer). */
  append(bytes: Buffer): void {
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.at);
    this.at += bytes.length;
  }

  add(sourceId: number, importId: number | null, row: DossierRow): void {
    const textBytes = (row.code.length + (row.handler?.length ?? 0) + (row.rating?.length ?? 0) + row.dataHash.length) * 3;
    const arrays = (row.eventStatuses.length + row.eventTimes.length + row.supplementAsked.length + row.supplementAnswered.length) * 12 + 4 * 32;
    this.ensure(2 + FIELDS * 4 + 8 * 8 + textBytes + arrays + 64);
    this.buf[this.at] = 0;
    this.buf[this.at + 1] = FIELDS;
    this.at += 2;
    this.int4(sourceId);
    this.text(row.code);
    if (importId === null) this.nil();
    else this.int4(importId);
    this.int4(row.procedureId);
    this.int4(row.unitId);
    this.int2(row.channel);
    this.instant(row.receivedAt);
    if (row.promisedOn === null) this.nil();
    else this.date(row.promisedOn);
    if (row.handler === null) this.nil();
    else this.text(row.handler);
    this.int2Array(row.eventStatuses);
    this.instantArray(row.eventTimes);
    this.instantArray(row.supplementAsked);
    this.instantArray(row.supplementAnswered);
    if (row.fee === null) this.nil();
    else this.int8(row.fee);
    this.bool(row.paidOnline);
    this.bool(row.synced);
    this.bool(row.digitised);
    this.bool(row.electronicResult);
    this.bool(row.reusedData);
    if (row.rating === null) this.nil();
    else this.text(row.rating);
    this.bool(row.complaint);
    this.int2(row.status);
    this.instant(row.statusAt);
    if (row.endedAt === null) this.nil();
    else this.instant(row.endedAt);
    if (row.endedStatus === null) this.nil();
    else this.int2(row.endedStatus);
    if (row.dueOn === null) this.nil();
    else this.date(row.dueOn);
    if (row.overdueFrom === null) this.nil();
    else this.instant(row.overdueFrom);
    this.text(row.dataHash);
  }

  private ensure(bytes: number) {
    if (this.at + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  // Byte by byte: Buffer's writeInt32BE checks its arguments on every call, a third of the time here.
  private i32(n: number, at: number) {
    const b = this.buf;
    b[at] = n >>> 24;
    b[at + 1] = n >>> 16;
    b[at + 2] = n >>> 8;
    b[at + 3] = n;
  }

  private nil() {
    this.i32(-1, this.at);
    this.at += 4;
  }

  private int2(n: number) {
    this.i32(2, this.at);
    this.buf[this.at + 4] = n >>> 8;
    this.buf[this.at + 5] = n;
    this.at += 6;
  }

  private int4(n: number) {
    this.i32(4, this.at);
    this.i32(n, this.at + 4);
    this.at += 8;
  }

  /** A whole number within ±2^53, as int8. */
  private int8(n: number) {
    this.i32(8, this.at);
    this.raw8(n);
  }

  private raw8(n: number) {
    const high = Math.floor(n / TWO_32);
    this.i32(high, this.at + 4);
    this.i32(n - high * TWO_32, this.at + 8);
    this.at += 12;
  }

  private bool(b: boolean | null) {
    if (b === null) return this.nil();
    this.i32(1, this.at);
    this.buf[this.at + 4] = b ? 1 : 0;
    this.at += 5;
  }

  private text(s: string) {
    const n = this.buf.write(s, this.at + 4, 'utf8');
    this.i32(n, this.at);
    this.at += 4 + n;
  }

  /** Microseconds since PostgreSQL's epoch. */
  private instant(d: Date) {
    this.int8((d.getTime() - PG_EPOCH_MS) * 1000);
  }

  /** 'YYYY-MM-DD' as days since PostgreSQL's epoch. */
  private date(ymd: string) {
    const days = Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10))) / 86_400_000 - PG_EPOCH_DAYS;
    this.int4(days);
  }

  /** A one-dimensional array's header (no dimension when empty); the caller writes the elements. */
  private arrayHeader(length: number, hasNull: boolean, elementOid: number, elementBytes: number) {
    const size = length === 0 ? 12 : 20 + length * (4 + elementBytes);
    this.i32(size, this.at);
    this.i32(length === 0 ? 0 : 1, this.at + 4);
    this.i32(hasNull ? 1 : 0, this.at + 8);
    this.i32(elementOid, this.at + 12);
    this.at += 16;
    if (length > 0) {
      this.i32(length, this.at);
      this.i32(1, this.at + 4);
      this.at += 8;
    }
  }

  private int2Array(values: readonly number[]) {
    this.arrayHeader(values.length, false, INT2_OID, 2);
    for (const v of values) this.int2(v);
  }

  private instantArray(values: readonly (Date | null)[]) {
    let nulls = 0;
    for (const v of values) if (v === null) nulls++;
    // The size counts 12 bytes an element; a NULL element takes 4: write the size from what was written.
    const start = this.at;
    this.arrayHeader(values.length, nulls > 0, TIMESTAMPTZ_OID, 8);
    for (const v of values) {
      if (v === null) this.nil();
      else this.instant(v);
    }
    this.i32(this.at - start - 4, start);
  }
}
