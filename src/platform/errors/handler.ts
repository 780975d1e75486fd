import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type FieldProblem } from './errors.js';
import { fromDatabaseError } from './pg-errors.js';

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** One Vietnamese sentence for one schema violation. */
function describe(issue: AjvIssue, context: string): FieldProblem {
  const where = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const p = issue.params ?? {};
  const field = String(p.missingProperty ?? p.additionalProperty ?? (where || context));
  const messages: Record<string, () => string> = {
    required: () => `thiếu trường bắt buộc "${p.missingProperty}"`,
    additionalProperties: () => `trường "${p.additionalProperty}" không được chấp nhận`,
    type: () => `"${field}" phải có kiểu ${p.type}`,
    minLength: () => `"${field}" phải có ít nhất ${p.limit} ký tự`,
    maxLength: () => `"${field}" không được dài quá ${p.limit} ký tự`,
    minimum: () => `"${field}" phải lớn hơn hoặc bằng ${p.limit}`,
    maximum: () => `"${field}" phải nhỏ hơn hoặc bằng ${p.limit}`,
    pattern: () => `"${field}" không đúng định dạng`,
    format: () => `"${field}" không đúng định dạng ${p.format}`,
    enum: () => `"${field}" phải là một trong: ${(p.allowedValues as unknown[] | undefined)?.join(', ')}`,
    const: () => `"${field}" không hợp lệ`,
  };
  const message = messages[issue.keyword ?? '']?.() ?? `"${field}" không hợp lệ`;
  return { field, message };
}

/** Maps every error to `{ code, message, details? }` with the right status; never leaks internals. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({ code: err.code, message: err.message, details: err.details });
    }
    const fe = err as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
    if (fe.validation) {
      // A field that may be a value or null fails each branch of the union: say it once.
      const all = fe.validation.map((v) => describe(v, fe.validationContext ?? 'body'));
      const details = all.filter((d, i) => all.findIndex((e) => e.field === d.field) === i);
      return reply.status(400).send({
        code: 'VALIDATION_FAILED',
        message: `Dữ liệu không hợp lệ: ${details.map((d) => d.message).join('; ')}`,
        details,
      });
    }
    const fromDb = fromDatabaseError(err);
    if (fromDb) {
      if (fromDb.status >= 500) request.log.warn({ err }, 'database unavailable');
      return reply.status(fromDb.status).send({ code: fromDb.code, message: fromDb.message });
    }
    switch (fe.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.status(400).send({ code: 'INVALID_JSON', message: 'Nội dung gửi lên không phải JSON hợp lệ.' });
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
      case 'FST_REQ_FILE_TOO_LARGE':
        return reply.status(413).send({ code: 'PAYLOAD_TOO_LARGE', message: 'Nội dung gửi lên quá lớn.' });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).send({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Kiểu nội dung không được hỗ trợ.' });
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.status(400).send({ code: 'INVALID_CONTENT_LENGTH', message: 'Độ dài nội dung không khớp.' });
    }
    if (fe.statusCode === 429) {
      return reply.status(429).send({ code: 'TOO_MANY_REQUESTS', message: 'Quá nhiều yêu cầu. Vui lòng thử lại sau.' });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ code: fe.code ?? 'BAD_REQUEST', message: 'Yêu cầu không hợp lệ.' });
    }
    request.log.error({ err }, 'unexpected error');
    return reply.status(500).send({ code: 'INTERNAL', message: 'Đã xảy ra lỗi không mong muốn. Vui lòng thử lại hoặc báo quản trị viên.' });
  });

}
