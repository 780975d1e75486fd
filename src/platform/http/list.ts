import type { FastifyReply } from 'fastify';
import { type Static, Type } from 'typebox';
import { badRequest } from '../errors/errors.js';
import { type XlsxColumn, sendXlsx, toXlsx } from './xlsx.js';

/** The query every list accepts: paging, sorting, text search and export. */
export const ListQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 20 })),
  sort: Type.Optional(Type.String({ maxLength: 64, pattern: '^-?[a-zA-Z]+$' })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx')])),
};
const ListQuerySchema = Type.Object(ListQuery);
export type ListParams = Static<typeof ListQuerySchema>;

export interface Page {
  limit: number;
  offset: number;
  page: number;
  pageSize: number;
}

/** Largest export: a list bigger than this is refused rather than truncated. */
export const EXPORT_MAX_ROWS = 100_000;

export function pageOf(params: ListParams): Page {
  if (params.format === 'xlsx') return { limit: EXPORT_MAX_ROWS + 1, offset: 0, page: 1, pageSize: EXPORT_MAX_ROWS };
  const page = params.page ?? 1;
  const pageSize = params.pageSize ?? 20;
  return { limit: pageSize, offset: (page - 1) * pageSize, page, pageSize };
}

/** Resolves `sort=name` / `sort=-name` against the columns a list allows. */
export function sortOf<C extends string>(
  sort: string | undefined,
  allowed: Record<string, C>,
  fallback: { column: C; direction: 'asc' | 'desc' },
): { column: C; direction: 'asc' | 'desc' } {
  if (!sort) return fallback;
  const direction = sort.startsWith('-') ? 'desc' : 'asc';
  const column = allowed[sort.replace(/^-/, '')];
  if (!column) {
    throw badRequest('INVALID_SORT', `Không sắp xếp được theo "${sort}". Chọn một trong: ${Object.keys(allowed).join(', ')}.`);
  }
  return { column, direction };
}

export interface ListResult<T> {
  items: T[];
  total: number;
}

/** Sends a list as JSON, or as an .xlsx file when `format=xlsx`. */
export async function sendList<T>(
  reply: FastifyReply,
  params: ListParams,
  result: ListResult<T>,
  xlsx: { fileName: string; sheet: string; columns: XlsxColumn<T>[] },
) {
  const page = pageOf(params);
  if (params.format === 'xlsx') {
    if (result.items.length > EXPORT_MAX_ROWS) {
      throw badRequest('EXPORT_TOO_LARGE', `Danh sách có hơn ${EXPORT_MAX_ROWS.toLocaleString('vi-VN')} dòng. Hãy lọc bớt trước khi xuất.`);
    }
    return sendXlsx(reply, xlsx.fileName, await toXlsx(xlsx.sheet, xlsx.columns, result.items));
  }
  return { items: result.items, total: result.total, page: page.page, pageSize: page.pageSize };
}

export const listResponse = <T extends import('typebox').TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });
