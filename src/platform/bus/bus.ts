import { EventEmitter } from 'node:events';
import { type RawBuilder, sql } from 'kysely';
import pg from 'pg';

/** One event on the live bus. `orgUnitPath` decides who may receive it. */
export interface BusEvent {
  type: string;
  orgUnitId: number | null;
  /** Materialised path of the unit the event concerns; null = everyone signed in may see it. */
  orgUnitPath: string | null;
  payload: unknown;
  /** For the app instances only (cache invalidation): never sent to browsers. */
  internal?: boolean;
}

export interface DeliveredEvent extends BusEvent {
  at: string;
}

export interface Bus {
  publish(event: BusEvent): void;
  /**
   * `publish` as part of a write, saving it a round trip: an SQL expression that, on each row it
   * is evaluated for, publishes `events[index - 1]` once the statement holding it commits
   * (pg_notify waits for the commit). Null on the in-process bus: the caller publishes once the
   * write is done.
   */
  publishSql(events: readonly BusEvent[], index: RawBuilder<unknown>): RawBuilder<unknown> | null;
  subscribe(listener: (event: DeliveredEvent) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = 'dieuhanh_events';

/**
 * Delivered locally each time an instance starts (again) to listen: notifications sent while it
 * was not listening are lost, so whatever caches what they announce must forget it.
 */
export const BUS_RESYNCED = 'bus.resynced';
/** NOTIFY payloads are limited to 8000 bytes; larger events carry a note instead of the payload. */
const MAX_NOTIFY_BYTES = 7900;

function notifyText(event: BusEvent): string {
  const text = JSON.stringify(event);
  return Buffer.byteLength(text) > MAX_NOTIFY_BYTES ? JSON.stringify({ ...event, payload: { truncated: true } }) : text;
}

/** In one process: the embedded database, or tests. */
export function createLocalBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(event) {
      emitter.emit('event', { ...event, at: new Date().toISOString() });
    },
    publishSql: () => null,
    subscribe(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/**
 * Across app instances through PostgreSQL LISTEN/NOTIFY: every instance, this one included,
 * receives each published event once from its listening connection, which reconnects by itself
 * after the server restarts.
 */
export function createPostgresBus(pool: pg.Pool, databaseUrl: string, log: (msg: string) => void = () => {}): Bus {
  const local = createLocalBus();
  let listener: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  async function listen() {
    if (closed) return;
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('error', () => reconnect(client));
    client.on('end', () => reconnect(client));
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        const event = JSON.parse(msg.payload) as BusEvent;
        local.publish(event);
      } catch {
        log('bus: ignored a malformed notification');
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      listener = client;
      local.publish({ type: BUS_RESYNCED, orgUnitId: null, orgUnitPath: null, payload: {}, internal: true });
    } catch {
      reconnect(client);
    }
  }

  function reconnect(client: pg.Client) {
    if (closed || retry) return;
    if (listener === client) listener = null;
    client.end().catch(() => {});
    retry = setTimeout(() => {
      retry = null;
      void listen();
    }, 1000);
  }

  const ready = listen();

  return {
    publish(event) {
      pool.query('SELECT pg_notify($1, $2)', [CHANNEL, notifyText(event)]).catch(() => log('bus: could not publish (database unavailable)'));
    },
    publishSql: (events, index) => sql`pg_notify(${CHANNEL}, (${events.map(notifyText)}::text[])[${index}])`,
    subscribe: local.subscribe,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await ready;
      await listener?.end().catch(() => {});
      await local.close();
    },
  };
}
