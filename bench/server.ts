/**
 * The application as `main.ts` serves it, in its own process, for the load generator in the
 * parent (`bench/run.ts`) to drive over real TCP. Started with
 *
 *   node --import tsx bench/server.ts      (env: DATABASE_URL, DATABASE_POOL_SIZE)
 *
 * by `bench/lib/server-process.ts`; it answers on 127.0.0.1 on a free port, reported to the
 * parent over the IPC channel. Beside the real routes it has, on the same instance and so
 * behind the same global hooks (helmet headers, metrics, the auth pre-handler):
 *
 * - `GET /bench/empty` → `{}`: the ceiling, a route that does nothing (not under /api/, so
 *   the auth hook skips it, as it skips every non-API path).
 * - `GET /api/bench/auth-only` → `{}`: resolves the session cookie to an actor and stops
 *   there; it shows what authentication alone costs (diagnostic).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/pool.js';
import { actorOf } from '../src/platform/auth/hook.js';

export type ToServer = { type: 'mark'; id: number } | { type: 'stop' };
export type FromServer =
  | { type: 'ready'; port: number }
  | {
      type: 'mark';
      id: number;
      cpuMicros: number;
      elu: { idle: number; active: number };
      at: number;
      /** Statements sent to PostgreSQL so far, by every client of the process. */
      queries: number;
      pool: { total: number; idle: number; waiting: number };
    }
  | { type: 'error'; message: string };

const send = (m: FromServer) => process.send?.(m);

// Counts the statements the application sends (queries per request is a figure worth seeing).
let queries = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  queries++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

async function main() {
  if (!process.send) throw new Error('bench/server.ts is started by bench/run.ts (it needs an IPC channel)');
  const config = loadConfig({ ...process.env, LOAD_DEMO: 'false', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' });
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize });
  const app = await buildApp({ config, database, logger: false });

  // Routes may be added until the instance is ready: buildApp() registers and returns, it does
  // not call ready() or listen().
  app.get('/bench/empty', { schema: { hide: true } }, async () => ({}));
  app.get('/api/bench/auth-only', { schema: { hide: true } }, async (req) => {
    actorOf(req);
    return {};
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('no address');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close().catch(() => {});
    await database.close().catch(() => {});
    process.exit(0);
  };
  process.on('message', (m: ToServer) => {
    if (m.type === 'stop') void stop();
    else if (m.type === 'mark') {
      const cpu = process.cpuUsage();
      const elu = performance.eventLoopUtilization();
      const pool = database.pool;
      send({
        type: 'mark',
        id: m.id,
        cpuMicros: cpu.user + cpu.system,
        elu: { idle: elu.idle, active: elu.active },
        at: performance.now(),
        queries,
        pool: { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount },
      });
    }
  });
  // The parent gone (killed, crashed): do not linger holding database connections.
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());

  send({ type: 'ready', port: address.port });
}

main().catch((err) => {
  send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  console.error(err);
  process.exit(1);
});
