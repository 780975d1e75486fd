import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type Db, createKysely } from '../../src/db/kysely.js';
import type { DatabaseKind } from '../../src/db/pool.js';
import type { Role } from '../../src/platform/auth/actor.js';
import { hashPassword } from '../../src/platform/auth/passwords.js';
import * as orgUnitRepo from '../../src/platform/orgunits/repo.js';
import { type TestDatabase, createTestDatabase } from './db.js';

export const TEST_PASSWORD = 'Kiem-tra#2026!';
let passwordHash: Promise<string> | null = null;

export interface TestApp {
  kind: DatabaseKind;
  app: FastifyInstance;
  db: Db;
  testDb: TestDatabase;
  close(): Promise<void>;
}

/** The real application on a fresh database of `kind`, as `main.ts` builds it. */
export async function buildTestApp(kind: DatabaseKind, env: Record<string, string> = {}): Promise<TestApp> {
  const testDb = await createTestDatabase(kind);
  // Stored files go to a folder of this app alone: never the developer's ./data, which a sweep could clean.
  const dataDir = env.DATA_DIR ? null : mkdtempSync(path.join(tmpdir(), 'dh-test-'));
  const config = loadConfig({ LOAD_DEMO: 'false', DATABASE_URL: testDb.url, ...(dataDir ? { DATA_DIR: dataDir } : {}), ...env });
  const app = await buildApp({ config, database: testDb.database });
  await app.ready();
  return {
    kind,
    app,
    db: createKysely(testDb.database.pool),
    testDb,
    async close() {
      await app.close();
      await testDb.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let codeSeq = 0;

/** Factory: an org unit under `parent` (or a root). */
export async function makeUnit(
  db: Db,
  opts: { parent?: orgUnitRepo.OrgUnitRow | null; kind?: string; name?: string; code?: string } = {},
): Promise<orgUnitRepo.OrgUnitRow> {
  const n = ++codeSeq;
  return orgUnitRepo.insert(db, {
    code: opts.code ?? `U${n}-${process.pid}`,
    name: opts.name ?? `Đơn vị thử ${n}`,
    kind: opts.kind ?? (opts.parent ? 'commune' : 'province'),
    parent: opts.parent ?? null,
    lat: null,
    lng: null,
    boundary: null,
  });
}

/** Factory: a user with one grant (role on unit), password TEST_PASSWORD. */
export async function makeUser(db: Db, opts: { unit: { id: number }; role: Role; username?: string; fullName?: string }) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const username = opts.username ?? `user${++codeSeq}`;
  const { id } = await db
    .insertInto('users')
    .values({ username, full_name: opts.fullName ?? `Người thử ${username}`, org_unit_id: opts.unit.id, password_hash: await passwordHash })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('user_grants').values({ user_id: id, role: opts.role, org_unit_id: opts.unit.id }).execute();
  return { id, username };
}

/** A signed-in browser: keeps the session cookie and sends the CSRF token on writes. */
export interface Session {
  cookie: string;
  csrf: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export async function signIn(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'dh_session');
  if (!cookie) throw new Error('no session cookie');
  const csrf = res.json().csrfToken as string;
  const request = (opts: InjectOptions) =>
    app.inject({ ...opts, headers: { ...(opts.headers ?? {}), cookie: `dh_session=${cookie.value}`, 'x-csrf-token': csrf } });
  return {
    cookie: cookie.value,
    csrf,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, payload) => request({ method: 'POST', url, payload: payload as InjectOptions['payload'] }),
    patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] }),
    delete: (url) => request({ method: 'DELETE', url }),
  };
}
