// Progress reports: a whole percentage 0–100; lower than the last report only with a reason;
// sending the result for acceptance only at 100%.

import { AppError } from '../../../platform/errors/errors.js';

export interface ReportFacts {
  percent: number;
  reason?: string | null;
  submit?: boolean;
}

export function checkReport(report: ReportFacts, lastPercent: number): void {
  if (!Number.isInteger(report.percent) || report.percent < 0 || report.percent > 100) {
    throw new AppError(422, 'PERCENT_OUT_OF_RANGE', `Tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100 (nhận được ${report.percent}).`, { percent: report.percent });
  }
  if (report.percent < lastPercent && !report.reason?.trim()) {
    throw new AppError(
      422,
      'PROGRESS_DECREASE_NEEDS_REASON',
      `Tỷ lệ ${report.percent}% thấp hơn lần báo cáo trước (${lastPercent}%): hãy nêu lý do giảm.`,
      { percent: report.percent, lastPercent },
    );
  }
  if (report.submit && report.percent !== 100) {
    throw new AppError(422, 'SUBMIT_NEEDS_FULL_PROGRESS', 'Chỉ gửi kết quả để nghiệm thu khi đã hoàn thành 100%.', { percent: report.percent });
  }
}
