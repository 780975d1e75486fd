// "Now" for the modules that judge deadlines by it (tasks, the dossier scorecard and lists). In production it is the
// system clock. With TEST_CLOCK=1 (refused when NODE_ENV=production, see config.ts) an
// administrator can set it through PUT /api/v1/test/clock, so an end-to-end test can let a
// deadline pass; without the flag the route does not exist.

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ADMIN_ROLES, requireRole } from '../auth/actor.js';
import { actorOf } from '../auth/hook.js';

export interface Clock {
  now(): Date;
  /** True when the clock can be set (TEST_CLOCK=1). */
  readonly settable: boolean;
  /** Fixes "now" at `at`; null goes back to the system clock. Throws unless settable. */
  set(at: Date | null): void;
}

export function createClock(opts: { settable: boolean }): Clock {
  let fixed: Date | null = null;
  return {
    now: () => (fixed ? new Date(fixed) : new Date()),
    settable: opts.settable,
    set(at) {
      if (!opts.settable) throw new Error('The clock can be set only with TEST_CLOCK=1');
      fixed = at ? new Date(at) : null;
    },
  };
}

const ClockBody = Type.Object({ now: Type.String({ format: 'date-time' }) }, { additionalProperties: false });
const ClockAnswer = Type.Object({ now: Type.String({ format: 'date-time' }), fixed: Type.Boolean() });

/** PUT / DELETE /api/v1/test/clock, only on a settable clock. */
export function testClockRoutes(app: FastifyInstance, deps: { clock: Clock }) {
  const { clock } = deps;
  if (!clock.settable) return;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['Đồng hồ thử nghiệm (test clock)'];
  r.put('/api/v1/test/clock', { schema: { tags, body: ClockBody, response: { 200: ClockAnswer } } }, async (req) => {
    requireRole(actorOf(req), ADMIN_ROLES);
    clock.set(new Date(req.body.now));
    return { now: clock.now().toISOString(), fixed: true };
  });
  r.delete('/api/v1/test/clock', { schema: { tags, response: { 200: ClockAnswer } } }, async (req) => {
    requireRole(actorOf(req), ADMIN_ROLES);
    clock.set(null);
    return { now: clock.now().toISOString(), fixed: false };
  });
}
