import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { listResponse, pageOf } from '../../platform/http/list.js';
import type { OrgUnitDirectory } from '../../platform/orgunits/directory.js';
import type { FeedbackIntake } from './intake.js';
import { readUpload } from './photos.js';
import {
  CodeParams,
  KeyParams,
  PublicCategory,
  PublicDuplicate,
  PublicDuplicateQuery,
  PublicListItem,
  PublicListQuery,
  PublicReport,
  PublicUnit,
  RatingBody,
  ReopenBody,
  Submitted,
} from './schemas.js';

/**
 * Per client address: a citizen submits a handful a day; a flood is refused with 429. The writes'
 * limits are shared (counted in the database, across every instance); the reads' stay per instance.
 */
export const PUBLIC_LIMITS = {
  submit: { max: 10, timeWindow: '10 minutes', shared: true },
  reporter: { max: 20, timeWindow: '10 minutes', shared: true },
  read: { max: 300, timeWindow: '1 minute' },
};

export function publicFeedbackRoutes(app: FastifyInstance, deps: { intake: FeedbackIntake; directory: OrgUnitDirectory }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { intake, directory } = deps;
  const tags = ['Phản ánh — công khai (public feedback)'];
  const base = '/api/v1/public/feedback';
  const read = { public: true, rateLimit: PUBLIC_LIMITS.read };

  r.get(`${base}/categories`, { config: read, schema: { tags, response: { 200: Type.Object({ items: Type.Array(PublicCategory) }) } } }, async () => ({
    items: await intake.categories(),
  }));

  r.post(
    base,
    { config: { public: true, rateLimit: PUBLIC_LIMITS.submit }, schema: { tags, consumes: ['multipart/form-data'], response: { 201: Submitted } } },
    async (req, reply) => {
      const upload = await readUpload(req);
      const created = await intake.submit(upload.fields, upload.files, req.ip);
      return reply.status(201).send(created);
    },
  );

  r.get(base, { config: read, schema: { tags, querystring: PublicListQuery, response: { 200: listResponse(PublicListItem) } } }, async (req) => {
    const page = pageOf({ page: req.query.page, pageSize: req.query.pageSize });
    const result = await intake.list(req.query);
    return { ...result, page: page.page, pageSize: page.pageSize };
  });

  // The public list's unit picker: every active unit, in tree order (a parent before its children).
  r.get(`${base}/units`, { config: read, schema: { tags, response: { 200: Type.Object({ items: Type.Array(PublicUnit) }) } } }, async () => ({
    items: (await directory.snapshot()).byPath.filter((u) => u.active).map(({ id, code, name, kind, parentId, level }) => ({ id, code, name, kind, parentId, level })),
  }));

  r.get(`${base}/duplicates`, { config: read, schema: { tags, querystring: PublicDuplicateQuery, response: { 200: Type.Object({ items: Type.Array(PublicDuplicate) }) } } }, async (req) => ({
    items: await intake.duplicates(req.query),
  }));

  r.get(`${base}/photos/:key`, { config: read, schema: { tags, params: KeyParams } }, async (req, reply) => {
    const photo = await intake.photo(req.params.key);
    return reply.type(photo.mime).header('cache-control', 'public, max-age=86400, immutable').send(photo.stream);
  });

  r.get(`${base}/:code`, { config: read, schema: { tags, params: CodeParams, response: { 200: PublicReport } } }, async (req) => intake.view(req.params.code));

  r.post(`${base}/:code/rating`, { config: { public: true, rateLimit: PUBLIC_LIMITS.reporter }, schema: { tags, params: CodeParams, body: RatingBody, response: { 200: PublicReport } } }, async (req) =>
    intake.rate(req.params.code, req.body),
  );
  r.post(`${base}/:code/reopen`, { config: { public: true, rateLimit: PUBLIC_LIMITS.reporter }, schema: { tags, params: CodeParams, body: ReopenBody, response: { 200: PublicReport } } }, async (req) =>
    intake.reopen(req.params.code, req.body),
  );
}
