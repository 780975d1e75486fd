import ExcelJS from 'exceljs';
import type { FastifyRequest } from 'fastify';
import Papa from 'papaparse';
import { type Db, inTransaction } from '../../db/kysely.js';
import { type Actor, isInScope, requireRole, ADMIN_ROLES } from '../auth/actor.js';
import { recordAudit } from '../audit/audit.js';
import { badRequest } from '../errors/errors.js';
import { decodeTextFile } from '../files/text-encoding.js';
import { checkWorkbookSize, isXlsx } from '../files/text-files.js';
import type { Bus } from '../bus/bus.js';
import type { OrgUnitDirectory } from './directory.js';
import * as repo from './repo.js';
import { ORG_UNIT_KINDS, type ImportResult } from './schemas.js';

const COLUMNS = ['code', 'name', 'kind', 'parentCode', 'lat', 'lng'] as const;
const MAX_ROWS = 50_000;
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

interface Row {
  line: number;
  code: string;
  name: string;
  kind: string;
  parentCode: string;
  lat: number | null;
  lng: number | null;
}

type RawRow = Record<(typeof COLUMNS)[number], string> & {
  /** The row's line in the file (1 is the header), as the user sees it in Excel or an editor. */
  line: number;
};

const pick = (line: number, value: (column: string) => string): RawRow =>
  ({ line, ...Object.fromEntries(COLUMNS.map((c) => [c, value(c)])) }) as RawRow;

async function readRows(file: { name: string; data: Buffer }): Promise<RawRow[]> {
  if (isXlsx(file.data)) {
    checkWorkbookSize(file.data);
    const book = new ExcelJS.Workbook();
    try {
      await book.xlsx.load(file.data as unknown as ArrayBuffer);
    } catch {
      throw badRequest('FILE_TYPE', 'Tệp .xlsx bị hỏng hoặc không phải bảng tính Excel. Hãy mở và lưu lại bằng Excel, hoặc xuất ra CSV (UTF-8).');
    }
    const sheet = book.worksheets[0];
    if (!sheet) throw badRequest('FILE_TYPE', 'Tệp gửi lên không phải bảng tính Excel (không có trang tính nào).');
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map((v) => String(v ?? '').trim());
    checkHeader(header);
    const rows: RawRow[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const values = (row.values as unknown[]).slice(1);
      rows.push(
        pick(n, (name) => {
          const v = values[header.indexOf(name)];
          if (v == null) return '';
          if (typeof v === 'object' && 'text' in (v as object)) return String((v as { text: unknown }).text).trim();
          return String(v).trim();
        }),
      );
    });
    return rows.filter((r) => COLUMNS.some((c) => r[c] !== ''));
  }
  const { text } = decodeTextFile(file.data);
  const [header = [], ...records] = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false }).data;
  const columns = header.map((h) => h.trim());
  checkHeader(columns);
  // Each row's line as the user sees it in an editor: blank lines are skipped but counted, and a
  // quoted field may span lines.
  const rows: RawRow[] = [];
  let line = 1 + (header.join('').match(/\n/g)?.length ?? 0);
  for (const record of records) {
    line += 1;
    const row = pick(line, (c) => String(record[columns.indexOf(c)] ?? '').trim());
    if (COLUMNS.some((c) => row[c] !== '')) rows.push(row);
    line += record.join('').match(/\n/g)?.length ?? 0;
  }
  return rows;
}

function checkHeader(header: string[]) {
  const missing = COLUMNS.filter((c) => c !== 'lat' && c !== 'lng' && !header.includes(c));
  if (missing.length > 0) {
    throw badRequest('IMPORT_BAD_HEADER', `Thiếu cột ${missing.join(', ')}. Dòng đầu của tệp phải có các cột: ${COLUMNS.join(', ')}.`);
  }
}

function coordinate(raw: string, limit: number, label: string, errors: string[]): number | null {
  if (raw === '') return null;
  const n = Number(raw.replace(',', '.'));
  if (!Number.isFinite(n) || Math.abs(n) > limit) {
    errors.push(`${label} "${raw}" không hợp lệ (phải là số từ -${limit} đến ${limit})`);
    return null;
  }
  return n;
}

/** Checks one row on its own; the checks that need other rows or the database come later. */
function checkRow(raw: RawRow, line: number): { row: Row; errors: string[] } {
  const errors: string[] = [];
  if (!raw.code) errors.push('thiếu mã đơn vị (code)');
  else if (!/^[A-Za-z0-9_.-]{1,50}$/.test(raw.code)) errors.push(`mã "${raw.code}" chỉ được gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới (tối đa 50 ký tự)`);
  if (!raw.name) errors.push('thiếu tên đơn vị (name)');
  else if (raw.name.length > 200) errors.push('tên đơn vị dài quá 200 ký tự');
  if (!(ORG_UNIT_KINDS as readonly string[]).includes(raw.kind)) errors.push(`loại "${raw.kind}" không hợp lệ (chọn: ${ORG_UNIT_KINDS.join(', ')})`);
  const lat = coordinate(raw.lat, 90, 'vĩ độ', errors);
  const lng = coordinate(raw.lng, 180, 'kinh độ', errors);
  if ((lat === null) !== (lng === null) && !errors.some((e) => e.includes('độ'))) errors.push('cần cả vĩ độ và kinh độ, hoặc bỏ trống cả hai');
  return { row: { line, code: raw.code, name: raw.name, kind: raw.kind, parentCode: raw.parentCode, lat, lng }, errors };
}

export function createOrgUnitImporter(deps: { db: Db; bus: Bus; directory: OrgUnitDirectory }) {
  const { db, bus, directory } = deps;

  return {
    async readUpload(req: FastifyRequest): Promise<{ name: string; data: Buffer }> {
      if (!req.isMultipart()) throw badRequest('FILE_REQUIRED', 'Hãy gửi tệp .csv hoặc .xlsx trong trường "file" (multipart/form-data).');
      const part = await req.file({ limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } });
      if (!part) throw badRequest('FILE_REQUIRED', 'Hãy chọn tệp .csv hoặc .xlsx để nhập.');
      const data = await part.toBuffer();
      return { name: part.filename, data };
    },

    /** Validates every row; writes nothing unless every row is right and `dryRun` is false. */
    async run(actor: Actor, file: { name: string; data: Buffer }, dryRun: boolean): Promise<ImportResult> {
      requireRole(actor, ADMIN_ROLES);
      const raws = await readRows(file);
      if (raws.length === 0) throw badRequest('IMPORT_EMPTY', 'Tệp không có dòng dữ liệu nào.');
      if (raws.length > MAX_ROWS) throw badRequest('IMPORT_TOO_LARGE', `Tệp có hơn ${MAX_ROWS.toLocaleString('vi-VN')} dòng; hãy chia nhỏ.`);

      const errors: { row: number; message: string }[] = [];
      const rows: Row[] = [];
      const seen = new Map<string, number>();
      for (const raw of raws) {
        const { row, errors: problems } = checkRow(raw, raw.line);
        const key = row.code.toLowerCase();
        if (row.code && seen.has(key)) problems.push(`mã "${row.code}" trùng với dòng ${seen.get(key)}`);
        else if (row.code) seen.set(key, row.line);
        if (problems.length) errors.push({ row: row.line, message: problems.join('; ') });
        else rows.push(row);
      }

      const codes = [...new Set(rows.flatMap((r) => [r.code, r.parentCode]).filter(Boolean))];
      const existing = new Map((await repo.findByCodes(db, codes)).map((u) => [u.code.toLowerCase(), u]));
      const inFile = new Map(rows.map((r) => [r.code.toLowerCase(), r]));

      // Order rows parents first; a parent is either already in the database or earlier in this order.
      const ordered: Row[] = [];
      const state = new Map<string, 'visiting' | 'done' | 'bad'>();
      const visit = (row: Row): boolean => {
        const key = row.code.toLowerCase();
        const s = state.get(key);
        if (s === 'done') return true;
        if (s === 'bad') return false;
        if (s === 'visiting') {
          errors.push({ row: row.line, message: `mã "${row.code}" nằm trong một vòng lặp cấp trên – cấp dưới` });
          state.set(key, 'bad');
          return false;
        }
        state.set(key, 'visiting');
        const parentKey = row.parentCode.toLowerCase();
        let ok = true;
        if (!row.parentCode) {
          const current = existing.get(key);
          if (!current || current.parent_id !== null) {
            errors.push({ row: row.line, message: 'thiếu mã đơn vị cấp trên (parentCode)' });
            ok = false;
          }
        } else if (parentKey === key) {
          errors.push({ row: row.line, message: 'đơn vị không thể là cấp trên của chính nó' });
          ok = false;
        } else if (inFile.has(parentKey)) {
          ok = visit(inFile.get(parentKey)!);
          if (!ok) errors.push({ row: row.line, message: `đơn vị cấp trên "${row.parentCode}" có lỗi` });
        } else {
          const parent = existing.get(parentKey);
          if (!parent) {
            errors.push({ row: row.line, message: `không tìm thấy đơn vị cấp trên "${row.parentCode}"` });
            ok = false;
          } else if (!isInScope(actor, parent.path, ADMIN_ROLES)) {
            errors.push({ row: row.line, message: `đơn vị cấp trên "${row.parentCode}" nằm ngoài phạm vi quản trị của bạn` });
            ok = false;
          }
        }
        const current = existing.get(key);
        if (ok && current && !isInScope(actor, current.path, ADMIN_ROLES)) {
          errors.push({ row: row.line, message: `đơn vị "${row.code}" đã có và nằm ngoài phạm vi quản trị của bạn` });
          ok = false;
        }
        state.set(key, ok ? 'done' : 'bad');
        if (ok) ordered.push(row);
        return ok;
      };
      for (const row of rows) visit(row);

      errors.sort((a, b) => a.row - b.row);
      // A row that says what the database already holds is left alone: importing the same file
      // twice writes nothing and audits nothing the second time.
      const unchanged = (row: Row) => {
        const current = existing.get(row.code.toLowerCase());
        if (!current) return false;
        const parentId = row.parentCode ? existing.get(row.parentCode.toLowerCase())?.id : null;
        return current.name === row.name && current.kind === row.kind && current.parent_id === parentId && current.lat === row.lat && current.lng === row.lng;
      };
      const toWrite = ordered.filter((r) => !unchanged(r));
      const created = toWrite.filter((r) => !existing.has(r.code.toLowerCase())).length;
      const updated = toWrite.length - created;
      const result = { dryRun, total: raws.length, created, updated, errors };
      if (errors.length > 0 || dryRun || toWrite.length === 0) return result;

      await inTransaction(db, async (trx) => {
        const byCode = new Map(existing);
        for (const row of toWrite) {
          const key = row.code.toLowerCase();
          const parent = row.parentCode ? byCode.get(row.parentCode.toLowerCase())! : null;
          const current = byCode.get(key);
          if (!current) {
            const unit = await repo.insert(trx, { code: row.code, name: row.name, kind: row.kind, parent, lat: row.lat, lng: row.lng, boundary: null });
            byCode.set(key, unit);
            await recordAudit(trx, actor, {
              module: 'orgunits', action: 'import-create', entityType: 'orgUnit', entityId: unit.id, orgUnitId: unit.id,
              after: { code: row.code, name: row.name, kind: row.kind, parentCode: row.parentCode, lat: row.lat, lng: row.lng },
            });
            continue;
          }
          if (parent && current.parent_id !== parent.id) {
            if (parent.path.startsWith(current.path)) throw badRequest('IMPORT_CYCLE', `Dòng ${row.line}: không thể chuyển "${row.code}" vào đơn vị cấp dưới của nó.`);
            await repo.move(trx, current, parent);
          }
          const unit = await repo.update(trx, current.id, { name: row.name, kind: row.kind, lat: row.lat, lng: row.lng });
          byCode.set(key, unit);
          await recordAudit(trx, actor, {
            module: 'orgunits', action: 'import-update', entityType: 'orgUnit', entityId: unit.id, orgUnitId: unit.id,
            before: { name: current.name, kind: current.kind, parentId: current.parent_id, lat: current.lat, lng: current.lng },
            after: { name: row.name, kind: row.kind, parentId: unit.parent_id, lat: row.lat, lng: row.lng },
          });
        }
      });
      directory.invalidate();
      bus.publish({ type: 'orgUnit.changed', orgUnitId: null, orgUnitPath: null, payload: { action: 'import', created: result.created, updated: result.updated } });
      return result;
    },
  };
}

export type OrgUnitImporter = ReturnType<typeof createOrgUnitImporter>;
