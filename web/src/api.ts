// The one way the UI talks to the server: JSON over fetch, cookie session, CSRF header on writes.

const API_BASE = '/api/v1';

export interface ApiErrorDetail {
  field?: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetail[];
  /** `details` as the server sent it when it is not a list of field problems (e.g. `{ missing: [...] }`). */
  readonly data: Record<string, unknown> | null;

  constructor(status: number, code: string, message: string, details: ApiErrorDetail[] = [], data: Record<string, unknown> | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.data = data;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** Kept from the last /auth/login or /auth/me response. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request (other than the auth calls) answers 401: the session has ended. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue>;

/** `?a=1&b=x` from the non-empty values, or '' when there are none. */
export function buildQuery(params: QueryParams = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The URL of a list as an .xlsx download: the same query with `format=xlsx`, every page. */
export function xlsxUrl(path: string, params: QueryParams = {}): string {
  const { page: _page, pageSize: _pageSize, ...rest } = params;
  return `${API_BASE}${path}${buildQuery({ ...rest, format: 'xlsx' })}`;
}

/** Downloads a list as .xlsx through a plain GET link, so the browser streams the file. */
export function downloadXlsx(path: string, params: QueryParams = {}): void {
  downloadUrl(xlsxUrl(path, params));
}

/** Downloads what a GET route of its own generates (e.g. `/tasks/export.xlsx`) with this query. */
export function downloadFile(path: string, params: QueryParams = {}): void {
  downloadUrl(`${API_BASE}${path}${buildQuery(params)}`);
}

function downloadUrl(href: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.rel = 'noopener';
  link.download = '';
  document.body.appendChild(link);
  link.click();
  link.remove();
}

interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
  retried?: boolean;
  /** The answer is a file (a generated letter), not JSON. */
  file?: boolean;
}

/** A file the server generated: its bytes and the name it gives it (Content-Disposition). */
export interface DownloadedFile {
  blob: Blob;
  fileName: string | null;
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}${buildQuery(options.query)}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK_ERROR', '');
  }

  if (response.status === 204) return undefined as T;
  if (response.ok && options.file) {
    const fileName = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? null;
    return { blob: await response.blob(), fileName } satisfies DownloadedFile as T;
  }
  const payload = await readJson(response);
  if (response.ok) return payload as T;

  const error = toApiError(response.status, payload);
  if (error.status === 401 && !path.startsWith('/auth/')) onUnauthenticated?.();
  // The token is per session: if another tab signed in again, fetch the current one and retry once.
  if (error.code === 'CSRF_TOKEN_INVALID' && !options.retried && (await refreshCsrfToken())) {
    return request<T>(method, path, { ...options, retried: true });
  }
  throw error;
}

async function refreshCsrfToken(): Promise<boolean> {
  try {
    const session = await request<{ csrfToken: string }>('GET', '/auth/me');
    csrfToken = session.csrfToken;
    return true;
  } catch {
    return false;
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toApiError(status: number, payload: unknown): ApiError {
  const body = (payload ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
  const code = typeof body.code === 'string' ? body.code : `HTTP_${status}`;
  const message = typeof body.message === 'string' ? body.message : '';
  const details = Array.isArray(body.details)
    ? body.details.map((d) => ({
        field: typeof d?.field === 'string' ? d.field : undefined,
        message: typeof d?.message === 'string' ? d.message : String(d),
      }))
    : [];
  const data = body.details && typeof body.details === 'object' && !Array.isArray(body.details) ? (body.details as Record<string, unknown>) : null;
  return new ApiError(status, code, message, details, data);
}

export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, query?: QueryParams) =>
    request<T>('POST', path, { body, query }),
  /** A POST whose answer is a file to save. */
  postForFile: (path: string, body?: unknown) => request<DownloadedFile>('POST', path, { body, file: true }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
