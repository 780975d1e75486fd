import { DOSSIER_FIELDS, type DossierField, FIELD_LABELS, REQUIRED_FIELDS } from './fields.js';
import { foldLabel } from './values.js';

// Which column of the file holds which dossier field. The reader suggests a mapping from the
// header's names; the import screen shows it, the user corrects it, and the same object comes back
// for the dry run and the import.

export interface ColumnMapping {
  /** The header's line in the file (1 for the first); data rows are the lines after it. */
  headerLine: number;
  /** The column (0 for the first, counted in the header row) each field is read from. */
  columns: Partial<Record<DossierField, number>>;
}

export interface MappingProblem {
  field: DossierField | null;
  code: string;
  message: string;
}

/**
 * The names the one-stop systems and people give each column, beside the field's own label and
 * its English key. Matched after folding, so "NGÀY TIẾP NHẬN", "Ngày tiếp nhận (dd/mm/yyyy)" and
 * "ngay tiep nhan" are one name.
 */
const SYNONYMS: Record<DossierField, string[]> = {
  code: ['Mã hồ sơ', 'Số hồ sơ', 'Mã số hồ sơ', 'Mã HS', 'Số biên nhận', 'Mã biên nhận'],
  procedureCode: ['Mã thủ tục', 'Mã thủ tục hành chính', 'Mã TTHC', 'Mã TT', 'Mã thủ tục HC'],
  receivingUnitCode: ['Đơn vị tiếp nhận', 'Mã đơn vị tiếp nhận', 'Mã đơn vị', 'Cơ quan tiếp nhận', 'Mã cơ quan', 'Mã cơ quan tiếp nhận', 'Nơi tiếp nhận'],
  handler: ['Cán bộ xử lý', 'Người xử lý', 'Cán bộ thụ lý', 'Cán bộ giải quyết', 'Chuyên viên xử lý', 'Người thụ lý'],
  channel: ['Kênh nộp', 'Hình thức nộp', 'Kênh tiếp nhận', 'Hình thức tiếp nhận', 'Kênh nộp hồ sơ', 'Hình thức nộp hồ sơ'],
  receivedAt: ['Ngày tiếp nhận', 'Thời gian tiếp nhận', 'Ngày nhận', 'Ngày nộp', 'Ngày nhận hồ sơ', 'Thời điểm tiếp nhận'],
  promisedReturnDate: ['Ngày hẹn trả', 'Hẹn trả', 'Ngày hẹn trả kết quả', 'Hạn xử lý', 'Hạn giải quyết', 'Ngày hẹn'],
  status: ['Trạng thái', 'Tình trạng', 'Trạng thái hồ sơ', 'Tình trạng hồ sơ'],
  statusAt: ['Thời điểm trạng thái', 'Ngày trạng thái', 'Ngày cập nhật trạng thái', 'Thời gian cập nhật trạng thái', 'Ngày cập nhật'],
  finishedAt: ['Ngày có kết quả', 'Ngày xử lý xong', 'Ngày hoàn thành', 'Ngày giải quyết xong', 'Ngày kết thúc xử lý', 'Ngày kết thúc'],
  returnedAt: ['Ngày trả kết quả', 'Ngày trả', 'Thời gian trả kết quả', 'Ngày trả KQ'],
  supplementRequestedAt: ['Ngày yêu cầu bổ sung', 'Yêu cầu bổ sung', 'Ngày YCBS'],
  supplementAnsweredAt: ['Ngày công dân bổ sung', 'Ngày bổ sung', 'Ngày nộp bổ sung', 'Ngày nhận bổ sung'],
  fee: ['Phí, lệ phí', 'Phí lệ phí', 'Lệ phí', 'Phí', 'Số tiền', 'Tiền phí'],
  paidOnline: ['Thanh toán trực tuyến', 'Thanh toán online', 'Đã thanh toán trực tuyến', 'TT trực tuyến'],
  synced: ['Đồng bộ', 'Đã đồng bộ', 'Đồng bộ DVC quốc gia', 'Đồng bộ Cổng DVCQG', 'Đồng bộ cổng quốc gia', 'Đã đồng bộ Cổng DVC quốc gia'],
  reusedData: ['Tái sử dụng dữ liệu', 'Tái sử dụng', 'Sử dụng lại dữ liệu số hóa', 'Tái sử dụng dữ liệu đã số hóa'],
  digitised: ['Đã số hóa', 'Số hóa', 'Hồ sơ số hóa', 'Số hóa hồ sơ'],
  electronicResult: ['Kết quả điện tử', 'Có kết quả điện tử', 'Trả kết quả điện tử', 'KQ điện tử'],
  rating: ['Đánh giá', 'Mức độ hài lòng', 'Hài lòng', 'Đánh giá hài lòng'],
  complaint: ['Khiếu nại, phản ánh', 'Khiếu nại', 'Phản ánh kiến nghị', 'Phản ánh, kiến nghị', 'Có khiếu nại'],
};

const FIELD_BY_NAME = new Map<string, DossierField>();
for (const field of DOSSIER_FIELDS) {
  for (const name of [FIELD_LABELS[field], field, ...SYNONYMS[field]]) FIELD_BY_NAME.set(headerKey(name), field);
}
/** Names of two words or more, longest first: they may also be found inside a longer header. */
const PHRASES = [...FIELD_BY_NAME.keys()].filter((k) => k.includes(' ')).sort((a, b) => b.length - a.length);

/** A header cell as it is compared: folded, without a note in brackets or a trailing "(*)". */
function headerKey(header: string): string {
  return foldLabel(header.replace(/\([^)]*\)|\[[^\]]*\]|\*/g, ' '));
}

/** The field a header names, exactly or (second choice) as a phrase inside it. */
function fieldOf(header: string, exact: boolean): DossierField | undefined {
  const key = headerKey(header);
  if (exact) return FIELD_BY_NAME.get(key);
  // "Tên đơn vị tiếp nhận" holds names, not the codes the field needs.
  if (key.startsWith('ten ')) return undefined;
  const phrase = PHRASES.find((p) => ` ${key} `.includes(` ${p} `));
  return phrase === undefined ? undefined : FIELD_BY_NAME.get(phrase);
}

/**
 * The mapping the header suggests: each field to the first column that names it exactly, then the
 * fields still free to a column whose name contains one of theirs ("Ngày tiếp nhận hồ sơ").
 */
export function suggestMapping(header: readonly string[], headerLine = 1): ColumnMapping {
  const columns: Partial<Record<DossierField, number>> = {};
  const used = new Set<number>();
  for (const exact of [true, false]) {
    header.forEach((name, column) => {
      if (used.has(column)) return;
      const field = fieldOf(name, exact);
      if (field !== undefined && columns[field] === undefined) {
        columns[field] = column;
        used.add(column);
      }
    });
  }
  return { headerLine, columns };
}

/** How many fields a row's cells name: a header names several, a data row none. */
export function recognisedFields(cells: readonly string[]): number {
  return Object.keys(suggestMapping(cells).columns).length;
}

/**
 * What is wrong with a mapping for this header: a required field without a column, a column that
 * does not exist, one column for two fields, a field that is not a dossier field.
 */
export function checkMapping(mapping: ColumnMapping, header: readonly string[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (!Number.isSafeInteger(mapping.headerLine) || mapping.headerLine < 1) {
    problems.push({ field: null, code: 'MAPPING_HEADER_LINE', message: `Dòng tiêu đề "${mapping.headerLine}" không hợp lệ: phải là số dòng từ 1.` });
  }
  const byColumn = new Map<number, DossierField>();
  for (const [key, column] of Object.entries(mapping.columns)) {
    if (!(DOSSIER_FIELDS as readonly string[]).includes(key)) {
      problems.push({ field: null, code: 'MAPPING_UNKNOWN_FIELD', message: `"${key}" không phải là trường của hồ sơ.` });
      continue;
    }
    const field = key as DossierField;
    if (column === undefined) continue;
    if (!Number.isSafeInteger(column) || column < 0 || column >= header.length) {
      problems.push({ field, code: 'MAPPING_NO_SUCH_COLUMN', message: `${FIELD_LABELS[field]}: tệp không có cột thứ ${Number(column) + 1} (dòng tiêu đề có ${header.length} cột).` });
      continue;
    }
    const other = byColumn.get(column);
    if (other !== undefined) {
      problems.push({
        field,
        code: 'MAPPING_SHARED_COLUMN',
        message: `Cột "${header[column]}" được chọn cho cả ${FIELD_LABELS[other]} và ${FIELD_LABELS[field]}; mỗi cột chỉ dùng cho một trường.`,
      });
    }
    byColumn.set(column, field);
  }
  const missing = REQUIRED_FIELDS.filter((field) => mapping.columns[field] === undefined);
  if (missing.length > 0) {
    problems.push(
      ...missing.map((field) => ({
        field,
        code: 'MAPPING_REQUIRED',
        message: `Chưa chọn cột cho trường bắt buộc "${FIELD_LABELS[field]}".`,
      })),
    );
  }
  return problems;
}

/** The mapping as the import screen lists it: every field, its column's name, whether it must be mapped. */
export function describeMapping(mapping: ColumnMapping, header: readonly string[]) {
  return DOSSIER_FIELDS.map((field) => {
    const column = mapping.columns[field];
    return {
      field,
      label: FIELD_LABELS[field],
      required: REQUIRED_FIELDS.includes(field),
      column: column ?? null,
      header: column === undefined ? null : (header[column] ?? null),
    };
  });
}
