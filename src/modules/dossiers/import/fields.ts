// The fields of a dossier (hồ sơ thủ tục hành chính) as the provinces' one-stop systems export it
// in a file. The statuses and channels are the national portal's, from ../rules/statuses.ts.

import type { DossierChannel, DossierStatus } from '../rules/statuses.js';

export const DOSSIER_FIELDS = [
  'code',
  'procedureCode',
  'receivingUnitCode',
  'handler',
  'channel',
  'receivedAt',
  'promisedReturnDate',
  'status',
  'statusAt',
  'finishedAt',
  'returnedAt',
  'supplementRequestedAt',
  'supplementAnsweredAt',
  'fee',
  'paidOnline',
  'synced',
  'digitised',
  'reusedData',
  'electronicResult',
  'rating',
  'complaint',
] as const;
export type DossierField = (typeof DOSSIER_FIELDS)[number];

/** The columns a file must have for a dossier to make sense (mapping them is required). */
export const REQUIRED_FIELDS: readonly DossierField[] = [
  'code',
  'procedureCode',
  'receivingUnitCode',
  'channel',
  'receivedAt',
  'status',
];

/** The Vietnamese name of each field, as the mapping screen and the error messages show it. */
export const FIELD_LABELS: Record<DossierField, string> = {
  code: 'Mã hồ sơ',
  procedureCode: 'Mã thủ tục',
  receivingUnitCode: 'Đơn vị tiếp nhận',
  handler: 'Cán bộ xử lý',
  channel: 'Kênh nộp',
  receivedAt: 'Ngày tiếp nhận',
  promisedReturnDate: 'Ngày hẹn trả',
  status: 'Trạng thái',
  statusAt: 'Thời điểm trạng thái',
  finishedAt: 'Ngày có kết quả',
  returnedAt: 'Ngày trả kết quả',
  supplementRequestedAt: 'Ngày yêu cầu bổ sung',
  supplementAnsweredAt: 'Ngày công dân bổ sung',
  fee: 'Phí, lệ phí',
  paidOnline: 'Thanh toán trực tuyến',
  synced: 'Đồng bộ Cổng DVC quốc gia',
  digitised: 'Đã số hóa',
  reusedData: 'Tái sử dụng dữ liệu số hóa',
  electronicResult: 'Kết quả điện tử',
  rating: 'Đánh giá',
  complaint: 'Khiếu nại, phản ánh',
};

/** The citizen's rating of the result (mức độ hài lòng). */
export const RATINGS = ['very_satisfied', 'satisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export const RATING_LABELS: Record<Rating, string> = {
  very_satisfied: 'Rất hài lòng',
  satisfied: 'Hài lòng',
  dissatisfied: 'Không hài lòng',
};

/**
 * One dossier as a file row states it. Instants are absolute (the file's wall-clock times are read
 * as Asia/Ho_Chi_Minh). A column the file does not have, or an empty cell, gives null.
 */
export interface DossierRecord {
  code: string;
  procedureCode: string;
  receivingUnitCode: string;
  /** The officer handling it, as the source names them (at most 200 characters). */
  handler: string | null;
  channel: DossierChannel;
  receivedAt: Date;
  /** 'YYYY-MM-DD': a date, as the deadline rules count it; a time given with it is dropped. */
  promisedReturnDate: string | null;
  status: DossierStatus;
  statusAt: Date | null;
  finishedAt: Date | null;
  returnedAt: Date | null;
  supplementRequestedAt: Date | null;
  supplementAnsweredAt: Date | null;
  /** In đồng; 0 for a free procedure or an exemption. */
  fee: number | null;
  paidOnline: boolean | null;
  /** Synchronised to the national public-service portal (measure 1.2). */
  synced: boolean | null;
  digitised: boolean | null;
  /** Digitised data reused instead of asking the citizen again (measure 6.3). */
  reusedData: boolean | null;
  electronicResult: boolean | null;
  rating: Rating | null;
  complaint: boolean | null;
}

/** What is wrong with one row: an error keeps the row out; a warning only informs. */
export interface RowProblem {
  /** The row's line in the file as the user sees it in an editor or in Excel. */
  line: number;
  /** The field concerned; null when the problem is the row's shape. */
  field: DossierField | null;
  code: string;
  message: string;
  severity: 'error' | 'warning';
  /** The earlier line a duplicate repeats or contradicts. */
  otherLine?: number;
}
