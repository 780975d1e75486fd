/**
 * The one family of errors the application throws on purpose. Each carries the HTTP status, a
 * stable English `code` for programs and a Vietnamese `message` for people.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);

export const validationFailed = (problems: FieldProblem[]) =>
  new AppError(400, 'VALIDATION_FAILED', `Dữ liệu không hợp lệ: ${problems.map((p) => p.message).join('; ')}`, problems);

export const unauthenticated = (message = 'Bạn chưa đăng nhập hoặc phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.') =>
  new AppError(401, 'UNAUTHENTICATED', message);

export const forbidden = (message = 'Bạn không có quyền thực hiện thao tác này.') => new AppError(403, 'FORBIDDEN', message);

export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `Không tìm thấy ${what}.`);

export const conflict = (code: string, message: string) => new AppError(409, code, message);

export const tooManyRequests = (message: string, code = 'TOO_MANY_REQUESTS') => new AppError(429, code, message);

export const databaseUnavailable = () =>
  new AppError(503, 'DATABASE_UNAVAILABLE', 'Cơ sở dữ liệu tạm thời không truy cập được. Vui lòng thử lại sau ít phút.');
