import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.js';
import { type Database, type DatabaseKind, dumpPglite, openDatabase } from '../../src/db/pool.js';

/** The PostgreSQL server the integration tier runs against (each test file gets its own database). */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Set by .ci/run: a tier that cannot run is a failure, not a skip. */
export const REQUIRE_ALL_TIERS = process.env.REQUIRE_ALL_TIERS === '1';

let postgresUp: Promise<boolean> | null = null;

function postgresReachable(): Promise<boolean> {
  postgresUp ??= (async () => {
    if (process.env.TEST_POSTGRES === '0') return false;
    const u = new URL(TEST_POSTGRES_URL);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(Number(u.port || 5432), u.hostname);
      socket.setTimeout(1000);
      const done = (up: boolean) => {
        socket.destroy();
        resolve(up);
      };
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
      socket.once('timeout', () => done(false));
    });
    return open;
  })();
  return postgresUp;
}

/** The database engines this machine can run the integration suite on. */
export async function testBackends(): Promise<DatabaseKind[]> {
  const kinds: DatabaseKind[] = ['pglite'];
  if (await postgresReachable()) kinds.push('postgres');
  else if (REQUIRE_ALL_TIERS) throw new Error(`REQUIRE_ALL_TIERS: PostgreSQL is not reachable at ${TEST_POSTGRES_URL}`);
  return kinds;
}

let pgliteTemplate: Promise<Blob> | null = null;

/** A migrated PGlite database, built once per process and cached on disk by migrations' content. */
function migratedPgliteDump(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const dir = path.resolve(import.meta.dirname, '../../migrations');
    const key = fs
      .readdirSync(dir)
      .sort()
      .map((f) => `${f}:${fs.statSync(path.join(dir, f)).size}:${fs.readFileSync(path.join(dir, f), 'utf8').length}`)
      .join('|');
    const cacheDir = path.resolve(import.meta.dirname, '../../node_modules/.cache/dieuhanh-test');
    const file = path.join(cacheDir, `pglite-${hash(key)}.tar`);
    if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
    const db = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(db.pool);
    const dump = await dumpPglite(db);
    await db.close();
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(`${file}.${process.pid}`, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(`${file}.${process.pid}`, file);
    return dump;
  })();
  return pgliteTemplate;
}

function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

let counter = 0;

export interface TestDatabase {
  database: Database;
  /** For PostgreSQL: the URL of this test's own database. */
  url?: string;
  drop(): Promise<void>;
}

/** A fresh, migrated, empty database of the given kind; `drop()` removes it. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({ pgliteDir: 'memory://', pgliteLoadFrom: await migratedPgliteDump() });
    return { database, drop: () => database.close() };
  }
  const name = `dh_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 });
  await migrate(database.pool);
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close().catch(() => {});
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
