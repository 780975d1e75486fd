import type { FastifyInstance } from 'fastify';
import { type Actor, ROLES, isInScope } from '../auth/actor.js';
import { actorOf } from '../auth/hook.js';
import type { Bus, DeliveredEvent } from './bus.js';

/** Whether the actor may see an event: unit-less events go to everyone signed in. */
export function mayReceive(actor: Actor, event: DeliveredEvent): boolean {
  return event.orgUnitPath === null || isInScope(actor, event.orgUnitPath, ROLES);
}

/** GET /api/v1/events: the live bus as Server-Sent Events, filtered by the caller's scope. */
export function busRoutes(app: FastifyInstance, deps: { bus: Bus }) {
  const open = new Set<() => void>();
  // Open streams never end by themselves: close them when the server closes.
  app.addHook('onClose', async () => {
    for (const stop of open) stop();
  });
  app.get('/api/v1/events', { schema: { tags: ['Sự kiện trực tiếp (live events)'], hide: false } }, (req, reply) => {
    const actor = actorOf(req);
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
      if (!mayReceive(actor, event)) return;
      const { orgUnitPath: _path, ...visible } = event;
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(visible)}\n\n`);
    });
    // A comment every 25 s keeps proxies from closing an idle stream.
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
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
