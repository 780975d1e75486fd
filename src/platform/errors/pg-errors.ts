import { AppError, conflict, databaseUnavailable } from './errors.js';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** Turns what PostgreSQL or the driver raised into the AppError a user should see, or undefined. */
export function fromDatabaseError(err: unknown): AppError | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { code?: string; message?: string; constraint?: string };
  if (e.code && CONNECTION_CODES.has(e.code)) return databaseUnavailable();
  // Class 08 (connection exception), 57P01-57P03 (server shutting down or starting).
  if (e.code && (/^08/.test(e.code) || /^57P0[123]$/.test(e.code))) return databaseUnavailable();
  if (
    e.message &&
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(
      e.message,
    )
  ) {
    return databaseUnavailable();
  }
  if (e.code === '23505') return conflict('DUPLICATE', 'Bản ghi đã tồn tại (trùng mã hoặc tên đăng nhập).');
  if (e.code === '23503') return conflict('REFERENCED', 'Bản ghi đang được dữ liệu khác tham chiếu hoặc tham chiếu tới dữ liệu không tồn tại.');
  if (e.code === '23514' || e.code === '22P02' || e.code === '22003' || e.code === '22007' || e.code === '22008') {
    return new AppError(400, 'INVALID_VALUE', 'Giá trị không hợp lệ.');
  }
  if (e.code === '40001' || e.code === '40P01') {
    return conflict('CONCURRENT_UPDATE', 'Dữ liệu vừa được người khác thay đổi. Vui lòng tải lại và thử lại.');
  }
  return undefined;
}
