import type { FastifyInstance } from 'fastify';
import { type Actor, STAFF_ROLES, isInScope } from '../auth/actor.js';
import { actorOf, resolveActor } from '../auth/hook.js';
import type { AuthService } from '../auth/service.js';
import { BUS_RESYNCED, type Bus, type DeliveredEvent } from './bus.js';
import { RESYNC_EVENT } from './stream.js';

/** Whether the actor may see an event: a unit's events go to staff within scope, unit-less ones to everyone signed in. */
export function mayReceive(actor: Actor, event: DeliveredEvent): boolean {
  if (event.internal) return false;
  return event.orgUnitPath === null || isInScope(actor, event.orgUnitPath, STAFF_ROLES);
}


/** GET /api/v1/events: the live bus as Server-Sent Events, filtered by the caller's scope. */
export function busRoutes(app: FastifyInstance, deps: { bus: Bus; auth: AuthService; recheckSeconds: number }) {
  const open = new Set<() => void>();
  // Open streams never end by themselves: close them when the server closes.
  app.addHook('onClose', async () => {
    for (const stop of open) stop();
  });
  app.get('/api/v1/events', { schema: { tags: ['Sự kiện trực tiếp (live events)'], hide: false } }, (req, reply) => {
    let actor = actorOf(req);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    const unsubscribe = deps.bus.subscribe((event) => {
      // This instance listened again after losing its connection: events in between are lost, so
      // the browser reloads what it shows.
      if (event.type === BUS_RESYNCED) {
        res.write(`event: ${RESYNC_EVENT}\ndata: {}\n\n`);
        return;
      }
      if (!mayReceive(actor, event)) return;
      const { orgUnitPath: _path, internal: _internal, ...visible } = event;
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(visible)}\n\n`);
    });
    // Every few seconds (LIVE_RECHECK_SECONDS): end the stream if the session ended (sign-out, expiry, account disabled), take
    // the current grants, and send a comment that keeps proxies from closing an idle stream.
    const keepAlive = setInterval(async () => {
      const current = await resolveActor(deps.auth, req).catch(() => null);
      if (!current) return stop();
      actor = current;
      res.write(': keep-alive\n\n');
    }, deps.recheckSeconds * 1000);
    const stop = () => {
      clearInterval(keepAlive);
      unsubscribe();
      open.delete(stop);
      res.end();
    };
    open.add(stop);
    req.raw.on('close', stop);
  });
}
