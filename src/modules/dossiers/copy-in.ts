import { once } from 'node:events';
import fs from 'node:fs';
import type pg from 'pg';

// COPY … FROM STDIN through `pg` itself, without pg-copy-streams: `pg` runs any object with a
// `submit(connection)` method as a query and hands it the protocol's CopyInResponse, after which
// the connection's sendCopyFromChunk / endCopyFrom / sendCopyFail send the data. PostgreSQL only:
// PGlite's `pg` adapter aborts on COPY FROM STDIN (the importer uses INSERT … FROM unnest there).

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

/** The query object `pg` drives: the protocol's replies arrive as these handler calls. */
class CopyInQuery {
  connection: CopyConnection | null = null;
  error: Error | null = null;
  rowCount = 0;
  readonly ready: Promise<void>;
  readonly finished: Promise<number>;
  private readyOk!: () => void;
  private readyFailed!: (e: Error) => void;
  private finishedOk!: (n: number) => void;
  private finishedFailed!: (e: Error) => void;

  constructor(readonly text: string) {
    this.ready = new Promise((ok, fail) => {
      this.readyOk = ok;
      this.readyFailed = fail;
    });
    this.finished = new Promise((ok, fail) => {
      this.finishedOk = ok;
      this.finishedFailed = fail;
    });
    // Whoever awaits them sees the error; unawaited, they must not crash the process.
    this.ready.catch(() => {});
    this.finished.catch(() => {});
  }

  submit(connection: CopyConnection) {
    this.connection = connection;
    connection.query(this.text);
  }

  handleCopyInResponse() {
    this.readyOk();
  }

  handleCommandComplete(message: { text: string }) {
    this.rowCount = Number(/^COPY (\d+)/.exec(message.text)?.[1] ?? 0);
  }

  // `pg` lets go of a query on its error (no ReadyForQuery reaches it after one): it ends here.
  handleError(error: Error) {
    this.error ??= error;
    this.readyFailed(error);
    this.finishedFailed(error);
  }

  handleReadyForQuery() {
    if (this.error) this.finishedFailed(this.error);
    else this.finishedOk(this.rowCount);
  }
}

export interface CopyIn {
  /** Sends data in the COPY's format (text as UTF-8); waits while the socket is full. */
  write(data: string | Buffer): Promise<void>;
  /** Ends the data; the number of rows copied. */
  end(): Promise<number>;
  /** Abandons the COPY: the statement fails (and with it the transaction). */
  abort(reason: string): Promise<void>;
}

/** Starts `COPY table (…) FROM STDIN` on a client of a PostgreSQL pool. */
export async function copyIn(client: pg.PoolClient, text: string): Promise<CopyIn> {
  const query = new CopyInQuery(text);
  client.query(query as unknown as pg.QueryConfig);
  await query.ready;
  const connection = query.connection!;
  const failed = () => {
    if (query.error) throw query.error;
  };
  return {
    async write(data) {
      failed();
      connection.sendCopyFromChunk(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
    },
    async end() {
      failed();
      connection.endCopyFrom();
      return query.finished;
    },
    async abort(reason) {
      if (!query.error) connection.sendCopyFail(reason);
      await query.finished.catch(() => {});
    },
  };
}

/** COPYs a file as it is (in the statement's format) through `copyIn`; the number of rows copied. */
export async function copyFileIn(client: pg.PoolClient, text: string, file: string): Promise<number> {
  const copy = await copyIn(client, text);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) await copy.write(chunk as Buffer);
  return copy.end();
}
