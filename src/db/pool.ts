import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

// bigint (int8) and numeric come back as strings, as real Postgres returns them; counts are
// cast to int in SQL where a number is wanted.

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  kind: DatabaseKind;
  pool: pg.Pool;
  /** Where the embedded database lives, or the server's host/db for PostgreSQL (for logs). */
  where: string;
  /** The embedded engine, when kind is 'pglite'. */
  pglite?: import('@electric-sql/pglite').PGlite;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Folder of the embedded database; `memory://` keeps it in memory. */
  pgliteDir?: string;
  /** An embedded database dumped with `dumpDataDir` to start from (tests). */
  pgliteLoadFrom?: Blob;
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.pgliteDir ?? 'memory://', options.pgliteLoadFrom);
}

function openPostgres(url: string, max: number): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server (Postgres restarted) must not crash the process.
  pool.on('error', () => {});
  // Nor may a checked-out one: its running query already fails (and is answered 503), but pg
  // also emits 'error' on the client, which without a listener is an uncaught exception.
  pool.on('connect', (client) => client.on('error', () => {}));
  const u = new URL(url);
  return { kind: 'postgres', pool, where: `${u.hostname}:${u.port || 5432}${u.pathname}`, close: () => pool.end() };
}

async function openPglite(dir: string, loadFrom?: Blob): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  if (!dir.startsWith('memory://')) fs.mkdirSync(path.resolve(dir), { recursive: true });
  const pglite = await PGlite.create({
    dataDir: dir,
    extensions: { pg_trgm, unaccent },
    loadDataDir: loadFrom,
  });
  // PGlite is one connection: more than one pooled client would interleave protocol streams.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0 } as pg.PoolConfig);
  return {
    kind: 'pglite',
    pool,
    pglite,
    where: dir,
    async close() {
      await pool.end();
      await pglite.close();
    },
  };
}

/** Dump a PGlite database (tests keep a migrated one and start each file from it). */
export async function dumpPglite(db: Database): Promise<Blob> {
  if (!db.pglite) throw new Error('not a PGlite database');
  return (await db.pglite.dumpDataDir('none')) as Blob;
}
