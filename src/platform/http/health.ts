import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import client from 'prom-client';

/** /healthz (the process answers), /readyz (the database answers too) and Prometheus /metrics. */
export function healthRoutes(app: FastifyInstance, deps: { pool: pg.Pool }) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'dieuhanh_' });
  const requests = new client.Counter({
    name: 'dieuhanh_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: 'dieuhanh_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const pool = new client.Gauge({
    name: 'dieuhanh_db_pool_clients',
    help: 'Database pool clients by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, deps.pool.totalCount);
      this.set({ state: 'idle' }, deps.pool.idleCount);
      this.set({ state: 'waiting' }, deps.pool.waitingCount);
    },
  });
  void pool;

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ method: req.method, route, status: reply.statusCode });
    duration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await Promise.race([
        deps.pool.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ]);
      return { status: 'ready', database: 'ok' };
    } catch {
      return reply.status(503).send({ status: 'not-ready', database: 'unavailable', code: 'DATABASE_UNAVAILABLE', message: 'Cơ sở dữ liệu không truy cập được.' });
    }
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
