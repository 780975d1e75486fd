/** A fresh database on the local PostgreSQL server for one run, dropped at the end. */
import pg from 'pg';
import { migrate } from '../../src/db/migrate.js';
import type { BenchContext } from './scenario.js';

export const BENCH_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  /** e.g. "PostgreSQL 15.20 (Debian 15.20-0+deb12u1)". */
  server: string;
  /** A small pool for seeding and checks (not the server's). */
  pool: pg.Pool;
  drop(): Promise<void>;
}

let counter = 0;

export async function createBenchDatabase(adminUrl = BENCH_POSTGRES_URL): Promise<BenchDatabase> {
  const name = `dh_bench_${process.pid}${counter++ ? `_${counter}` : ''}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${adminUrl} (set BENCH_POSTGRES_URL): ${(err as Error).message}`);
  }
  let server: string;
  try {
    const v = await admin.query<{ version: string }>('SELECT version()');
    server = v.rows[0].version.replace(/ on .*$/, '');
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  pool.on('error', () => {});
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await pool.end().catch(() => {});
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  };
  try {
    await migrate(pool);
  } catch (err) {
    await drop().catch(() => {});
    throw err;
  }
  return { name, url: url.toString(), server, pool, drop };
}

/** A scenario's own database on `--postgres-url`, dropped when the run ends however it ends; both logged. */
export async function scenarioDatabase(ctx: BenchContext): Promise<BenchDatabase> {
  const db = await createBenchDatabase(ctx.options.postgresUrl);
  ctx.defer(async () => {
    await db.drop();
    ctx.log(`dropped database ${db.name}`);
  });
  ctx.log(`created database ${db.name} on ${db.server}`);
  return db;
}
