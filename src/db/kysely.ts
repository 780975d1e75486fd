import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Tables } from './schema.js';

// `date` columns stay 'YYYY-MM-DD' strings: business dates have no time zone to shift.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Db = Kysely<Tables>;
/** What a repository function runs on: the database, or a transaction in progress. */
export type Queryable = Kysely<Tables> | Transaction<Tables>;

export function createKysely(pool: pg.Pool): Db {
  return new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Runs `work` in one transaction. On PGlite the transaction holds the only connection, so
 * `work` must not wait on anything but its own queries.
 */
export function inTransaction<T>(db: Db, work: (trx: Transaction<Tables>) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
