import type { Actor } from '../auth/actor.js';
import { BUS_RESYNCED, type Bus } from '../bus/bus.js';

/** Published after a change that can refuse a key that worked (a revocation). */
const API_KEYS_CHANGED = 'apiKey.changed';

/**
 * The machine behind each API key, kept SESSION_CACHE_SECONDS like a signed-in session: an
 * Open311 client posts request after request and each would otherwise cost a query. Revoking a
 * key empties it on this instance at once (`changed()`) and on the others through the bus; unit
 * changes empty it too, since a key on a deactivated or moved unit lapses or changes scope. Keys
 * that are refused are never kept: each try of an unknown or revoked key asks the database.
 * Requests that miss together share one look-up: a client posting on 64 connections would
 * otherwise send 64 look-ups (and 64 updates of the key's last use) each time its entry lapses.
 */
export function createApiKeyCache(deps: { bus: Bus; ttlSeconds: number; lookUp: (key: string, ip: string) => Promise<Actor | null> }) {
  const { bus, ttlSeconds, lookUp } = deps;
  const entries = new Map<string, { actor: Actor; until: number }>();
  const inFlight = new Map<string, Promise<Actor | null>>();
  // A look-up that began before a change may not store what it read once the change is known.
  let generation = 0;
  const clear = () => {
    entries.clear();
    // A request arriving after a change does not join a look-up that began before it.
    inFlight.clear();
    generation++;
  };
  bus.subscribe((e) => {
    if (e.type === API_KEYS_CHANGED || e.type === 'orgUnit.changed' || e.type === BUS_RESYNCED) clear();
  });
  return {
    /** The actor behind `key` (a full `dh_…` key), or null for a malformed, unknown or revoked one. */
    async fromApiKey(key: string, ip: string): Promise<Actor | null> {
      const hit = entries.get(key);
      if (hit && hit.until > Date.now()) return { ...hit.actor, ip };
      if (hit) entries.delete(key);
      let shared = inFlight.get(key);
      if (!shared) {
        const seen = generation;
        const started: Promise<Actor | null> = lookUp(key, ip).then(
          (actor) => {
            if (inFlight.get(key) === started) inFlight.delete(key);
            if (actor && ttlSeconds > 0 && seen === generation) {
              if (entries.size >= 10_000) entries.clear();
              entries.set(key, { actor, until: Date.now() + ttlSeconds * 1000 });
            }
            return actor;
          },
          (err) => {
            if (inFlight.get(key) === started) inFlight.delete(key);
            throw err;
          },
        );
        shared = started;
        inFlight.set(key, shared);
      }
      const actor = await shared;
      return actor && { ...actor, ip };
    },
    /** After a change to API keys has been committed. */
    changed() {
      clear();
      bus.publish({ type: API_KEYS_CHANGED, orgUnitId: null, orgUnitPath: null, payload: {}, internal: true });
    },
  };
}

export type ApiKeyCache = ReturnType<typeof createApiKeyCache>;
