import type { FastifyInstance } from 'fastify';

export interface RouteRef {
  method: string;
  url: string;
}

/**
 * Every route the app has, read from Fastify's own route tree (`printRoutes`), so a test can
 * insist that each one is covered: a route added later without a test fails that test.
 * HEAD routes Fastify adds beside each GET are left out.
 */
export function routesOf(app: FastifyInstance): RouteRef[] {
  const out: RouteRef[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    // "│   ├── /:id/revoke (POST)": the indent gives the depth, a child's text continues its parent's path.
    const m = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = [...m[1]].length / 4;
    const url = (depth === 0 ? '' : stack[depth - 1]) + m[2];
    stack.length = depth;
    stack[depth] = url;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (method && method !== 'HEAD') out.push({ method, url });
    }
  }
  return out;
}

export const routeKey = (r: RouteRef) => `${r.method} ${r.url}`;

/** The /api/v1 routes, as "METHOD /url" keys. */
export function apiRouteKeys(app: FastifyInstance): string[] {
  return routesOf(app)
    .filter((r) => r.url.startsWith('/api/v1/'))
    .map(routeKey)
    .sort();
}
