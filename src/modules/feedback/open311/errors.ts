// Open311 answers errors as a list of `{ code, description }` whose code is the HTTP status
// (400 bad parameter, 403 API key, 404 unknown service, request, token or jurisdiction). Here they
// are AppErrors like every other error, carrying the list in `details.problems`.

import { AppError } from '../../../platform/errors/errors.js';

/** One entry of an Open311 error document. */
export interface Open311Error {
  code: number;
  description: string;
}

export type Open311Status = 400 | 403 | 404;

/** One thing wrong with a request: a stable English code for programs, a bilingual description for people. */
export interface Open311Problem {
  status: Open311Status;
  code: string;
  /** The parameter at fault, when there is one. */
  parameter?: string;
  /** Vietnamese first, then English, so that both kinds of client can show it. */
  description: string;
}

export const problem = (status: Open311Status, code: string, vi: string, en: string, parameter?: string): Open311Problem => ({
  status,
  code,
  description: `${vi} / ${en}`,
  ...(parameter ? { parameter } : {}),
});

/**
 * The AppError for one or more problems. Its status is theirs when they agree, else 400; its code
 * the single problem's code, or OPEN311_INVALID_PARAMETERS for several.
 */
export function open311Failure(problems: readonly Open311Problem[]): AppError {
  if (problems.length === 0) throw new TypeError('open311Failure needs at least one problem');
  const status = problems.every((p) => p.status === problems[0].status) ? problems[0].status : 400;
  const code = problems.length === 1 ? problems[0].code : 'OPEN311_INVALID_PARAMETERS';
  return new AppError(status, code, problems.map((p) => p.description).join('; '), { problems });
}

/** A value from the request, shortened, for quoting back in a description. */
export function quoted(value: string): string {
  const chars = Array.from(value);
  return JSON.stringify(chars.length > 80 ? `${chars.slice(0, 80).join('')}…` : value);
}

export const missingApiKey = () =>
  open311Failure([
    problem(403, 'OPEN311_API_KEY_MISSING', 'Thiếu api_key.', 'api_key is required to submit a request.', 'api_key'),
  ]);

export const invalidApiKey = () =>
  open311Failure([
    problem(403, 'OPEN311_API_KEY_INVALID', 'api_key không hợp lệ hoặc đã bị thu hồi.', 'Invalid or revoked api_key.', 'api_key'),
  ]);

export const unknownService = (serviceCode: string) =>
  open311Failure([
    problem(
      404,
      'OPEN311_SERVICE_NOT_FOUND',
      `Không có loại phản ánh với service_code ${quoted(serviceCode)}.`,
      `No service with service_code ${quoted(serviceCode)}.`,
      'service_code',
    ),
  ]);

export const unknownRequest = (serviceRequestId: string) =>
  open311Failure([
    problem(
      404,
      'OPEN311_REQUEST_NOT_FOUND',
      `Không tìm thấy phản ánh ${quoted(serviceRequestId)}.`,
      `No service request ${quoted(serviceRequestId)}.`,
      'service_request_id',
    ),
  ]);

export const unknownToken = (token: string) =>
  open311Failure([
    problem(404, 'OPEN311_TOKEN_NOT_FOUND', `Không tìm thấy token ${quoted(token)}.`, `No token ${quoted(token)}.`, 'token'),
  ]);

export const unknownJurisdiction = (jurisdictionId: string) =>
  open311Failure([
    problem(
      404,
      'OPEN311_JURISDICTION_NOT_FOUND',
      `Không có đơn vị hành chính với jurisdiction_id ${quoted(jurisdictionId)}.`,
      `No jurisdiction ${quoted(jurisdictionId)}.`,
      'jurisdiction_id',
    ),
  ]);

/** An unknown resource or format extension, e.g. `services.html`. */
export const unknownResource = (path: string) =>
  open311Failure([
    problem(
      404,
      'OPEN311_RESOURCE_NOT_FOUND',
      `Không có tài nguyên ${quoted(path)}; hãy dùng đuôi .xml hoặc .json.`,
      `No resource ${quoted(path)}; use the .xml or .json extension.`,
    ),
  ]);

/**
 * The status and the Open311 error list for anything thrown while answering an Open311 request.
 * An AppError from elsewhere (a media fetch, a rate limit) becomes one entry; anything else a
 * generic 500 that reveals nothing of the cause.
 */
export function open311ErrorsOf(err: unknown): { status: number; errors: Open311Error[] } {
  if (err instanceof AppError) {
    const problems = (err.details as { problems?: Open311Problem[] } | undefined)?.problems;
    if (Array.isArray(problems)) {
      return { status: err.status, errors: problems.map((p) => ({ code: p.status, description: p.description })) };
    }
    return { status: err.status, errors: [{ code: err.status, description: err.message }] };
  }
  return {
    status: 500,
    errors: [{ code: 500, description: 'Đã xảy ra lỗi không mong muốn. Vui lòng thử lại sau. / Unexpected server error; please retry later.' }],
  };
}
