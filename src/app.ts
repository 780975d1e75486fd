import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createKysely } from './db/kysely.js';
import { createBreakthroughOverview } from './modules/breakthrough/overview.js';
import { breakthroughRoutes } from './modules/breakthrough/routes.js';
import { createBreakthroughService } from './modules/breakthrough/service.js';
import { dashboardRoutes } from './modules/dashboard/routes.js';
import { createDashboard } from './modules/dashboard/service.js';
import { createDossierImports } from './modules/dossiers/imports.js';
import { createApologyLetters } from './modules/dossiers/letter-service.js';
import { createDossierLists } from './modules/dossiers/lists.js';
import { createProcedureService } from './modules/dossiers/procedures.js';
import { recomputeDossiers } from './modules/dossiers/writer.js';
import { createDossierPush } from './modules/dossiers/push.js';
import { dossierRoutes } from './modules/dossiers/routes.js';
import { createDossierScorecard } from './modules/dossiers/scorecard.js';
import { createSourceService } from './modules/dossiers/sources.js';
import { createCategoryCache } from './modules/feedback/category-cache.js';
import { createFeedbackIntake } from './modules/feedback/intake.js';
import { createNotificationService } from './modules/feedback/notifications.js';
import { createOpen311JsonCache } from './modules/feedback/open311/json-cache.js';
import { recomputeFeedbackDeadlines } from './modules/feedback/recompute.js';
import { open311Routes } from './modules/feedback/open311/routes.js';
import { publicFeedbackRoutes } from './modules/feedback/public-routes.js';
import { feedbackRoutes } from './modules/feedback/routes.js';
import { createFeedbackService } from './modules/feedback/service.js';
import { createFeedbackStatistics } from './modules/feedback/stats.js';
import { createFeedbackSweep } from './modules/feedback/sweep.js';
import { createProjectEntries } from './modules/projects/entries.js';
import { createProjectPhotos } from './modules/projects/photos.js';
import { projectRoutes } from './modules/projects/routes.js';
import { createProjectService } from './modules/projects/service.js';
import { taskRoutes } from './modules/tasks/routes.js';
import { createTaskService } from './modules/tasks/service.js';
import { createTaskSweep } from './modules/tasks/sweep.js';
import type { Database } from './db/pool.js';
import { createApiKeyCache } from './platform/apikeys/cache.js';
import { apiKeyRoutes } from './platform/apikeys/routes.js';
import { createApiKeyService } from './platform/apikeys/service.js';
import { auditRoutes, createAuditReader } from './platform/audit/routes.js';
import { registerAuthHook } from './platform/auth/hook.js';
import { authRoutes } from './platform/auth/routes.js';
import { createAuthService } from './platform/auth/service.js';
import { createSessionCache } from './platform/auth/session-cache.js';
import { type Bus, createLocalBus, createPostgresBus } from './platform/bus/bus.js';
import { busRoutes } from './platform/bus/routes.js';
import { calendarRoutes } from './platform/calendar/routes.js';
import { createCalendarService } from './platform/calendar/service.js';
import { createClock, testClockRoutes } from './platform/clock/clock.js';
import { registerErrorHandler } from './platform/errors/handler.js';
import { type FileStore, createDiskStore } from './platform/files/store.js';
import { healthRoutes } from './platform/http/health.js';
import { mapConfigRoutes } from './platform/http/map-config.js';
import { rateLimitStore } from './platform/http/rate-limit.js';
import { createOrgUnitDirectory } from './platform/orgunits/directory.js';
import { IMPORT_MAX_BYTES, createOrgUnitImporter } from './platform/orgunits/import.js';
import { orgUnitRoutes } from './platform/orgunits/routes.js';
import { createOrgUnitService } from './platform/orgunits/service.js';
import { userRoutes } from './platform/users/routes.js';
import { createUserService } from './platform/users/service.js';

export const WEB_DIST = path.resolve(import.meta.dirname, '../web/dist');

export interface AppDeps {
  config: Config;
  database: Database;
  /** Defaults to LISTEN/NOTIFY on PostgreSQL, in-process on PGlite. */
  bus?: Bus;
  /** Uploaded files; defaults to `dataDir/files` on disk. */
  files?: FileStore;
  logger?: boolean | object;
}

/**
 * Validation: bodies are checked strictly (no type coercion, unknown fields refused); query
 * strings and path parameters arrive as text, so numbers and booleans there are coerced.
 */
function validatorCompiler() {
  const common = { allErrors: false, removeAdditional: false as const, useDefaults: true, allowUnionTypes: true, strict: false };
  const body = addFormats.default(new Ajv.default({ ...common, coerceTypes: false }));
  const text = addFormats.default(new Ajv.default({ ...common, coerceTypes: 'array' as const }));
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) =>
    (httpPart === 'body' ? body : text).compile(schema) as ReturnType<typeof body.compile>;
}

/** The whole application: what `main.ts` serves and what tests drive with `inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: config.bodyLimit,
    // Behind a reverse proxy, the addresses of the proxies whose X-Forwarded-For is believed.
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler());
  registerErrorHandler(app);

  const db = createKysely(database.pool);
  const bus =
    deps.bus ??
    (database.kind === 'postgres' && config.databaseUrl
      ? createPostgresBus(database.pool, config.databaseUrl, (m) => app.log.warn(m))
      : createLocalBus());
  app.addHook('onClose', async () => {
    await bus.close();
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design writes its styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...(config.tileUrl ? [new URL(config.tileUrl.replace(/[{}]/g, '')).origin] : [])],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 10 } });
  await app.register(rateLimit, { global: false, store: rateLimitStore(db) });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Điều Hành API', version: '0.1.0', description: 'Trung tâm điều hành thông minh — API v1' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'dh_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const sessions = createSessionCache({ bus, ttlSeconds: config.sessionCacheSeconds });
  const auth = createAuthService({ db, config, sessions });
  const directory = createOrgUnitDirectory({ db, bus, ttlSeconds: config.orgUnitCacheSeconds });
  const orgUnits = createOrgUnitService({ db, bus, directory });
  const importer = createOrgUnitImporter({ db, bus, directory });
  const users = createUserService({ db, orgUnits, sessions });
  const apiKeyActors = createApiKeyCache({ bus, ttlSeconds: config.sessionCacheSeconds, lookUp: auth.fromApiKey });
  const apiKeys = createApiKeyService({ db, orgUnits, cache: apiKeyActors });
  const calendar = createCalendarService({ db, bus });
  const readAudit = createAuditReader({ db, orgUnits });
  const files = deps.files ?? createDiskStore(path.join(config.dataDir, 'files'));
  const categories = createCategoryCache({ db, bus, ttlSeconds: config.orgUnitCacheSeconds });
  const feedback = createFeedbackService({ db, bus, calendar, directory, files, categories });
  const feedbackIntake = createFeedbackIntake({ db, pool: database.pool, bus, directory, categories, files, feedback });
  const feedbackSweep = createFeedbackSweep({ db, bus, files });
  const notifications = createNotificationService({ db });
  const feedbackStatistics = createFeedbackStatistics({ db, directory, feedback });
  const clock = createClock({ settable: config.testClock });
  const dossierScorecard = createDossierScorecard({ db, directory, calendar, now: clock.now });
  const dossierLists = createDossierLists({ db, directory, calendar, now: clock.now });
  const apologyLetters = createApologyLetters({ db, directory, calendar });
  const dossierProcedures = createProcedureService({ db, calendar });
  const dossierSources = createSourceService({ db });
  const dossierImports = createDossierImports({
    db,
    database,
    files,
    calendar,
    bulkMinRows: config.dossierImportBulkMinRows,
    onUnexpectedError: (err) => app.log.error({ err }, 'dossier import failed') });
  const dossierPush = createDossierPush({ db, calendar });
  // A day off (or worked) recorded or removed moves the due dates counted across it.
  calendar.onChange(async (trx, change) => ({
    dossiers: await recomputeDossiers(trx, change.calendar, { dayChanged: change.date }),
    feedback: await recomputeFeedbackDeadlines(trx, change, clock.now()),
  }));
  const tasks = createTaskService({ db, bus, calendar, directory, clock });
  const taskSweep = createTaskSweep({ db, calendar, clock });
  const breakthrough = createBreakthroughService({ db, directory, tasks, calendar, now: clock.now });
  const breakthroughOverview = createBreakthroughOverview({ directory, breakthrough });
  const projects = createProjectService({ db, bus, directory, tasks, now: clock.now });
  const projectEntries = createProjectEntries({ projects, tasks, now: clock.now });
  const projectPhotos = createProjectPhotos({ projects, files, now: clock.now });
  const dashboard = createDashboard({
    directory,
    dossiers: dossierScorecard,
    tasks,
    feedback: feedbackStatistics,
    projects,
    breakthrough: breakthroughOverview,
    now: clock.now,
  });
  // A run still going when the app closes is cancelled (it rolls back) before the pool goes.
  app.addHook('onClose', () => dossierImports.stopAll());

  registerAuthHook(app, auth);
  healthRoutes(app, { pool: database.pool });
  authRoutes(app, { auth, users, config });
  orgUnitRoutes(app, { orgUnits, importer });
  userRoutes(app, { users });
  apiKeyRoutes(app, { apiKeys });
  auditRoutes(app, { readAudit });
  calendarRoutes(app, { calendar });
  busRoutes(app, { bus, auth, recheckSeconds: config.liveRecheckSeconds });
  mapConfigRoutes(app, { tileUrl: config.tileUrl, directory });
  feedbackRoutes(app, { feedback, notifications, statistics: feedbackStatistics });
  publicFeedbackRoutes(app, { intake: feedbackIntake, directory });
  const open311JsonCache = createOpen311JsonCache({ maxBytes: config.open311JsonCacheBytes, directory, categories });
  open311Routes(app, { db, directory, intake: feedbackIntake, auth: apiKeyActors, mediaHosts: config.open311MediaHosts, jsonCache: open311JsonCache });
  dossierRoutes(app, {
    scorecard: dossierScorecard,
    lists: dossierLists,
    letters: apologyLetters,
    procedures: dossierProcedures,
    sources: dossierSources,
    imports: dossierImports,
    push: dossierPush,
  });
  taskRoutes(app, { tasks, files });
  breakthroughRoutes(app, { breakthrough, overview: breakthroughOverview, directory });
  projectRoutes(app, { projects, entries: projectEntries, photos: projectPhotos });
  dashboardRoutes(app, { dashboard });
  testClockRoutes(app, { clock });

  // The web app, when built: files by name, any other non-API path gets index.html (client routes).
  const hasWeb = fs.existsSync(path.join(WEB_DIST, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    const pathname = req.url.split('?')[0];
    if (hasWeb && req.method === 'GET' && !/^\/(api|open311)\//.test(pathname) && !path.extname(pathname)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.status(404).send({ code: 'NOT_FOUND', message: `Không có địa chỉ ${req.method} ${pathname}.` });
  });

  app.decorate('services', { auth, orgUnits, users, apiKeys, calendar, bus, db, files, feedback, feedbackIntake, feedbackSweep, notifications, open311JsonCache, dossierImports, clock, tasks, taskSweep });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: {
      auth: ReturnType<typeof createAuthService>;
      orgUnits: ReturnType<typeof createOrgUnitService>;
      users: ReturnType<typeof createUserService>;
      apiKeys: ReturnType<typeof createApiKeyService>;
      calendar: ReturnType<typeof createCalendarService>;
      bus: Bus;
      db: ReturnType<typeof createKysely>;
      files: FileStore;
      feedback: ReturnType<typeof createFeedbackService>;
      feedbackIntake: ReturnType<typeof createFeedbackIntake>;
      feedbackSweep: ReturnType<typeof createFeedbackSweep>;
      notifications: ReturnType<typeof createNotificationService>;
      open311JsonCache: ReturnType<typeof createOpen311JsonCache>;
      dossierImports: ReturnType<typeof createDossierImports>;
      clock: ReturnType<typeof createClock>;
      tasks: ReturnType<typeof createTaskService>;
      taskSweep: ReturnType<typeof createTaskSweep>;
    };
  }
}
