// The JSON of each service request that GET requests.json has had PostgreSQL write, kept in memory
// by report and version: of the 1,000 newest reports of a category, few change between two
// answers, and writing them all again (~13 ms of PostgreSQL's CPU for ~650 KB) was most of what an
// answer cost. An answer then reads only the ids and versions of its reports and has PostgreSQL
// write the ones not held (service.ts).

import type { OrgUnitDirectory } from '../../../platform/orgunits/directory.js';
import type { CategoryCache } from '../category-cache.js';

/**
 * What an entry holds besides its JSON: its key, record, Buffer and slot in the map. Measured on
 * Node 20 with 100,000 entries of 650 bytes: 343 bytes of V8 heap each.
 */
export const ENTRY_OVERHEAD_BYTES = 350;
/**
 * Media URL prefixes (base URLs) kept apart at once: a server is reached under a name or two. One
 * more empties the cache, so that names a client makes up cannot grow it.
 */
export const MAX_MEDIA_URL_PREFIXES = 4;
/**
 * Whole answers kept besides the requests, the most recently used: an answer whose reports have
 * not changed goes out as the same bytes, neither joined again nor allocated. A fresh ~650 KB
 * buffer per answer, and collecting it, was most of what was left: the server's CPU per answer
 * went from 3.5 to 1.1 ms with them (feedback bench).
 */
export const MAX_ANSWERS = 16;

interface Entry {
  version: string;
  json: Buffer;
}

/** The cache as one answer sees it: its media URLs' prefix (the base URL) and the names it began with. */
export interface Open311JsonLookup {
  /** The JSON of this report at this version, when held. */
  get(id: number, version: string): Buffer | undefined;
  /**
   * The bytes of JSON PostgreSQL wrote for this report at this version (base64), kept unless the
   * names changed since the look-up began.
   */
  keep(id: number, version: string, base64: string): Buffer;
  /** The whole answer listing these reports at these versions (listOpen311Versions' text), when held; `count` requests. */
  answer(listing: string, count: number): Buffer | undefined;
  /** Keeps the whole answer listing these reports at these versions. */
  keepAnswer(listing: string, json: Buffer): void;
}

/**
 * At most `maxBytes` (OPEN311_JSON_CACHE_BYTES, JSON and bookkeeping), the least recently used
 * entry going first; 0 turns the cache off. The JSON also holds names that are not the report's:
 * its category's name and code, its unit's name. The entries are therefore kept with the
 * directory's and the categories' snapshots and dropped when either is read again: after a change
 * made here (at once), one made elsewhere (`orgUnit.changed`, `feedbackCategory.changed`), the
 * bus's resync, and at the latest after ORG_UNIT_CACHE_SECONDS should a notification be lost (a
 * TTL of 0 leaves nothing to keep between answers). The merged report's code never changes.
 */
export function createOpen311JsonCache(deps: { maxBytes: number; directory: OrgUnitDirectory; categories: CategoryCache }) {
  const { maxBytes, directory, categories } = deps;
  // By report id and media URL prefix (keyOf), the least recently used first: a Map keeps the
  // order of insertion, and a hit moves its entry to the end. Number keys: string keys made the
  // look-ups of an answer cost ~0.6 ms instead of ~0.2.
  const entries = new Map<number, Entry>();
  // By media URL prefix and listing, the least recently used first.
  const answers = new Map<string, Buffer>();
  const answerSize = (key: string, json: Buffer) => key.length + json.length + ENTRY_OVERHEAD_BYTES;
  const prefixes = new Map<string, number>();
  const keyOf = (id: number, prefix: number) => id * MAX_MEDIA_URL_PREFIXES + prefix;
  let bytes = 0;
  // Since start: requests found at their version, and requests PostgreSQL wrote.
  let hits = 0;
  let written = 0;
  /** The snapshots the entries were written with. */
  let names: readonly unknown[] = [];
  // An answer that began with older names does not keep what PostgreSQL wrote with them.
  let generation = 0;

  const sizeOf = (e: Entry) => e.json.length + ENTRY_OVERHEAD_BYTES;
  function clear() {
    entries.clear();
    answers.clear();
    prefixes.clear();
    bytes = 0;
    generation++;
  }
  function remove(key: number, entry: Entry) {
    entries.delete(key);
    bytes -= sizeOf(entry);
  }
  function removeAnswer(key: string, json: Buffer) {
    answers.delete(key);
    bytes -= answerSize(key, json);
  }
  /** Within the bound again: the least recently used requests go first, then whole answers. */
  function evict() {
    for (const [k, e] of entries) {
      if (bytes <= maxBytes) return;
      remove(k, e);
    }
    for (const [k, json] of answers) {
      if (bytes <= maxBytes) return;
      removeAnswer(k, json);
    }
  }

  return {
    /**
     * A look-up for one answer whose media URLs start with `mediaUrlPrefix` (the only word that
     * differs between answers: the base URL the client used); null when the cache is off.
     */
    async begin(mediaUrlPrefix: string): Promise<Open311JsonLookup | null> {
      if (maxBytes === 0) return null;
      const current = await Promise.all([directory.snapshot(), categories.snapshot()]);
      if (current.some((snapshot, i) => snapshot !== names[i])) {
        clear();
        names = current;
      }
      let prefix = prefixes.get(mediaUrlPrefix);
      if (prefix === undefined) {
        if (prefixes.size === MAX_MEDIA_URL_PREFIXES) clear();
        prefix = prefixes.size;
        prefixes.set(mediaUrlPrefix, prefix);
      }
      const seen = generation;
      return {
        get(id, version) {
          // Emptied since: what is there now was written with other names, or another prefix has its number.
          if (seen !== generation) return undefined;
          const key = keyOf(id, prefix);
          const hit = entries.get(key);
          if (hit?.version !== version) return undefined;
          hits++;
          entries.delete(key);
          entries.set(key, hit);
          return hit.json;
        },
        keep(id, version, base64) {
          written++;
          // Bytes of its own: a small Buffer.from is a slice of a shared 8 KB slab, which one
          // entry left in the cache would keep whole.
          const json = Buffer.allocUnsafeSlow(Buffer.byteLength(base64, 'base64'));
          const entry = { version, json: json.subarray(0, json.write(base64, 'base64')) };
          if (seen !== generation || sizeOf(entry) > maxBytes) return entry.json;
          const key = keyOf(id, prefix);
          const old = entries.get(key);
          if (old) remove(key, old);
          entries.set(key, entry);
          bytes += sizeOf(entry);
          evict();
          return entry.json;
        },
        answer(listing, count) {
          if (seen !== generation) return undefined;
          const key = `${prefix} ${listing}`;
          const hit = answers.get(key);
          if (!hit) return undefined;
          hits += count;
          answers.delete(key);
          answers.set(key, hit);
          return hit;
        },
        keepAnswer(listing, json) {
          const key = `${prefix} ${listing}`;
          if (seen !== generation || answerSize(key, json) > maxBytes / 2) return;
          const old = answers.get(key);
          if (old) removeAnswer(key, old);
          answers.set(key, json);
          bytes += answerSize(key, json);
          if (answers.size > MAX_ANSWERS) {
            const [oldest, oldJson] = answers.entries().next().value as [string, Buffer];
            removeAnswer(oldest, oldJson);
          }
          evict();
        },
      };
    },
    /** What is held now, and how many requests were found (alone or in a whole answer) or written since start (tests, diagnostics). */
    stats(): { entries: number; answers: number; bytes: number; hits: number; written: number } {
      return { entries: entries.size, answers: answers.size, bytes, hits, written };
    },
  };
}

export type Open311JsonCache = ReturnType<typeof createOpen311JsonCache>;
