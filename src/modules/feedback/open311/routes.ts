// The Open311 GeoReport v2 endpoints under /open311/v2, in their own plugin scope: errors answer
// in the specification's form (a JSON array or XML <errors>, status 400/403/404) instead of the
// platform's `{ code, message }`, and POST bodies may be application/x-www-form-urlencoded.
// The format is the path's extension; anything but .xml or .json is a 404.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/errors/errors.js';
import { fromDatabaseError } from '../../../platform/errors/pg-errors.js';
import { type Open311Error, open311ErrorsOf, open311Failure, problem, quoted, unknownResource } from './errors.js';
import { formatCreatedRequests, formatDiscovery, formatErrors, formatServiceDefinition, formatServices, formatTokens, type Open311Body, type Open311Format } from './format.js';
import { parseJurisdictionId, parseRequestsQuery, parseResourcePath, splitFormat } from './params.js';
import { createOpen311Service, type Open311Deps } from './service.js';

export const OPEN311_PREFIX = '/open311/v2';
/** A form-encoded POST: a 4,000-character description and a few attributes fit many times over. */
export const OPEN311_FORM_LIMIT = 256 * 1024;
/** Per client address, like the public feedback pages; POST needs an API key instead. */
export const OPEN311_READ_LIMIT = { max: 300, timeWindow: '1 minute' };
/** When this API last changed (discovery's changeset). */
export const OPEN311_CHANGESET = new Date('2026-11-26T00:00:00+07:00');

const GENERIC: Record<number, string> = {
  400: 'Yêu cầu không hợp lệ. / Bad request.',
  404: 'Không tìm thấy. / Not found.',
  405: 'Phương thức không được hỗ trợ. / Method not allowed.',
  413: 'Nội dung gửi lên quá lớn. / Request body too large.',
  415: 'Kiểu nội dung không được hỗ trợ; hãy gửi application/x-www-form-urlencoded. / Unsupported content type; send application/x-www-form-urlencoded.',
  429: 'Quá nhiều yêu cầu. Vui lòng thử lại sau. / Too many requests; please retry later.',
};

/** The format an answer (or error) is written in: the path's extension, JSON when it has none we know. */
function formatOfUrl(url: string): Open311Format {
  return /\.xml$/i.test(url.split('?')[0]) ? 'xml' : 'json';
}

const send = (reply: FastifyReply, status: number, out: Open311Body) => reply.status(status).type(out.contentType).send(out.body);

/** Scheme, host and port the client used: the base of absolute URLs in answers. */
const baseUrlOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

function errorsOf(err: unknown, req: FastifyRequest): { status: number; errors: Open311Error[] } {
  if (err instanceof AppError) return open311ErrorsOf(err);
  const fromDb = fromDatabaseError(err);
  if (fromDb) {
    if (fromDb.status >= 500) req.log.warn({ err }, 'database unavailable');
    return open311ErrorsOf(fromDb);
  }
  const fe = err as FastifyError;
  const status = fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 413 : fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 415 : fe.statusCode;
  if (status && status >= 400 && status < 500) {
    return { status, errors: [{ code: status, description: GENERIC[status] ?? GENERIC[400] }] };
  }
  req.log.error({ err }, 'unexpected error in Open311');
  return open311ErrorsOf(err);
}

export function open311Routes(app: FastifyInstance, deps: Open311Deps) {
  const open311 = createOpen311Service(deps);
  const read = { public: true, rateLimit: OPEN311_READ_LIMIT };
  const schema = { hide: true };

  app.register(
    async (scope) => {
      scope.setErrorHandler((err, req, reply) => {
        const { status, errors } = errorsOf(err, req);
        return send(reply, status, formatErrors(formatOfUrl(req.url), errors));
      });
      scope.setNotFoundHandler((req, reply) => {
        const path = req.url.split('?')[0];
        const file = path.slice(path.lastIndexOf('/') + 1) || path;
        const failure = /\.(xml|json)$/i.test(file)
          ? open311Failure([
              problem(404, 'OPEN311_RESOURCE_NOT_FOUND', `Không có ${req.method} ${quoted(path)}.`, `No ${req.method} ${quoted(path)} in GeoReport v2.`),
            ])
          : unknownResource(file);
        const { status, errors } = open311ErrorsOf(failure);
        return send(reply, status, formatErrors(formatOfUrl(req.url), errors));
      });
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: OPEN311_FORM_LIMIT }, (_req, body, done) => {
        done(null, new URLSearchParams(body as string));
      });

      scope.get<{ Params: { file: string } }>('/:file', { config: read, schema }, async (req, reply) => {
        const { name, format } = splitFormat(req.params.file);
        const query = req.query as Record<string, unknown>;
        const base = baseUrlOf(req);
        switch (name) {
          case 'discovery':
            return send(
              reply,
              200,
              formatDiscovery(format, {
                changeset: OPEN311_CHANGESET,
                contact: 'Quản trị viên hệ thống Điều Hành của địa phương / the locality’s Điều Hành administrators',
                key_service: `API keys are issued by an administrator in ${base}/admin/api-keys (Quản trị › Khóa API)`,
                endpoints: [{ url: `${base}${OPEN311_PREFIX}`, changeset: OPEN311_CHANGESET, type: 'production', formats: ['text/xml', 'application/json'] }],
              }),
            );
          case 'services':
            return send(reply, 200, formatServices(format, await open311.services(parseJurisdictionId(query))));
          case 'requests':
            return send(reply, 200, (await open311.requestsAnswer(format, parseRequestsQuery(query, new Date()), base)).answer);
          default:
            throw unknownResource(req.params.file);
        }
      });

      scope.post<{ Params: { file: string } }>('/:file', { config: { public: true }, schema }, async (req, reply) => {
        const { name, format } = splitFormat(req.params.file);
        if (name !== 'requests') throw unknownResource(req.params.file);
        // Fields may come in the form body, the query string or both (some clients put api_key there).
        const input = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
        const body = req.body;
        if (body instanceof URLSearchParams) for (const [key, value] of body) input.append(key, value);
        else if (body && typeof body === 'object') {
          for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
            for (const item of Array.isArray(value) ? value : [value]) {
              if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') input.append(key, String(item));
            }
          }
        }
        const created = await open311.submit(input, req.ip, baseUrlOf(req));
        return send(reply, 201, formatCreatedRequests(format, [created]));
      });

      scope.get<{ Params: { file: string } }>('/services/:file', { config: read, schema }, async (req, reply) => {
        const { id, format } = parseResourcePath(req.params.file, 'service');
        const jurisdictionId = parseJurisdictionId(req.query as Record<string, unknown>);
        return send(reply, 200, formatServiceDefinition(format, await open311.definition(id, jurisdictionId)));
      });

      scope.get<{ Params: { file: string } }>('/requests/:file', { config: read, schema }, async (req, reply) => {
        const { id, format } = parseResourcePath(req.params.file, 'request');
        const jurisdictionId = parseJurisdictionId(req.query as Record<string, unknown>);
        return send(reply, 200, await open311.request(id, jurisdictionId, format, baseUrlOf(req)));
      });

      scope.get<{ Params: { file: string } }>('/tokens/:file', { config: read, schema }, async (req, reply) => {
        const { id, format } = parseResourcePath(req.params.file, 'token');
        return send(reply, 200, formatTokens(format, [await open311.token(id)]));
      });
    },
    { prefix: OPEN311_PREFIX },
  );
}
