import { BUS_RESYNCED, type Bus } from '../bus/bus.js';
import type { Actor } from './actor.js';

/** Published after any change that can end a session or change a grant. */
const SESSIONS_CHANGED = 'auth.sessionsChanged';

/**
 * Who is behind each session, kept a few seconds: a page opens several requests at once and each
 * would otherwise cost two queries. Emptied on this instance at once by `changed()`, and on the
 * others through the bus; unit changes empty it too, since grants on a deactivated unit lapse.
 */
export function createSessionCache(deps: { bus: Bus; ttlSeconds: number }) {
  const { bus, ttlSeconds } = deps;
  const entries = new Map<string, { actor: Actor; until: number }>();
  bus.subscribe((e) => {
    if (e.type === SESSIONS_CHANGED || e.type === 'orgUnit.changed' || e.type === BUS_RESYNCED) entries.clear();
  });
  return {
    get(sessionId: string): Actor | undefined {
      const hit = entries.get(sessionId);
      if (hit && hit.until > Date.now()) return hit.actor;
      entries.delete(sessionId);
      return undefined;
    },
    set(sessionId: string, actor: Actor) {
      if (ttlSeconds === 0) return;
      if (entries.size >= 100_000) entries.clear();
      entries.set(sessionId, { actor, until: Date.now() + ttlSeconds * 1000 });
    },
    /** After a change to sessions, users or grants has been committed. */
    changed() {
      entries.clear();
      bus.publish({ type: SESSIONS_CHANGED, orgUnitId: null, orgUnitPath: null, payload: {}, internal: true });
    },
  };
}

export type SessionCache = ReturnType<typeof createSessionCache>;
