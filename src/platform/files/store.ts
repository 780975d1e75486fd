import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, opendir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { badRequest } from '../errors/errors.js';

export interface StoredFile {
  /** SHA-256 of the content, 64 lower-case hex digits: the same bytes always get the same key. */
  key: string;
  size: number;
  /** False when the same bytes were already stored (nothing was written). */
  created: boolean;
}

/**
 * Where uploaded files live. Content-addressed so that an S3-compatible store can implement the
 * same interface with the key as object name. Keys are shared by every record that holds the
 * same bytes: a caller deletes a key only when no record refers to it any more.
 */
export interface FileStore {
  put(data: Buffer): Promise<StoredFile>;
  get(key: string): Promise<Buffer | null>;
  /** Null when the key is not stored, so a route can answer 404 before sending any header. */
  stream(key: string): Promise<Readable | null>;
  has(key: string): Promise<boolean>;
  /** True when something was deleted. */
  delete(key: string): Promise<boolean>;
  /**
   * Every key last stored before `cutoff` (written, or put again with the same bytes). Leftovers of
   * a write or a delete interrupted before `cutoff` (a crash) are tidied on the way.
   */
  storedBefore(cutoff: Date): AsyncIterable<string>;
  /**
   * Deletes `key` unless it was stored at or after `cutoff`, also while this call runs: a put of the
   * same bytes racing with it keeps its file. True when something was deleted.
   */
  deleteStoredBefore(key: string, cutoff: Date): Promise<boolean>;
  /**
   * The database whose rows refer to these files: `claim` is recorded by the first caller and the
   * recorded one returned ever after. Two databases on one folder would take each other's files for
   * unreferenced, so only the owner sweeps.
   */
  owner(claim: string): Promise<string>;
}

export const fileKey = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const KEY = /^[0-9a-f]{64}$/;
/** A write in progress (`.tmp`) or a file being deleted (`.deleting`): `<key>.<uuid>.<kind>`. */
const LEFTOVER = /^([0-9a-f]{64})\.[0-9a-f-]{36}\.(tmp|deleting)$/;

/** Keys reach the store from URLs: anything but 64 hex digits (`../`, a slash, a dot) never becomes a path. */
function checkedKey(key: string): string {
  if (typeof key !== 'string' || !KEY.test(key)) throw badRequest('INVALID_FILE_KEY', 'Mã tệp không hợp lệ.');
  return key;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';
const ignoreMissing = (error: unknown) => {
  if (!isMissing(error)) throw error;
};

/** Makes a rename or a new entry in `dir` survive a power cut; some platforms (Windows) cannot open a folder. */
async function syncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EISDIR', 'EPERM', 'EINVAL'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/** A store in `dir/ab/cd/<sha256>` (two levels of 256 folders keep each folder small). */
export function createDiskStore(dir: string): FileStore {
  const pathOf = (key: string) => path.join(dir, key.slice(0, 2), key.slice(2, 4), key);

  async function isStored(file: string): Promise<boolean> {
    try {
      return (await stat(file)).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** Marks an existing file as stored now, so a sweep of unreferenced files leaves it alone. */
  async function touch(file: string): Promise<boolean> {
    try {
      const now = new Date();
      await utimes(file, now, now);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** Null when the entry went away meanwhile (another sweep, a delete). */
  async function statOrNull(file: string) {
    try {
      return await stat(file);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async function* entries(folder: string) {
    try {
      for await (const entry of await opendir(folder)) yield entry;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /** A crashed write's temporary file goes; a file whose delete was interrupted comes back unless its name was stored again. */
  async function tidyLeftover(folder: string, name: string, key: string, cutoff: Date) {
    const file = path.join(folder, name);
    // ctime: when it was renamed aside, not when its bytes were written.
    const info = await statOrNull(file);
    if (!info || info.ctime.getTime() >= cutoff.getTime()) return;
    if (name.endsWith('.deleting') && !(await isStored(path.join(folder, key)))) await rename(file, path.join(folder, key)).catch(ignoreMissing);
    else await unlink(file).catch(ignoreMissing);
  }

  return {
    async put(data) {
      const key = fileKey(data);
      const file = pathOf(key);
      // Touched, not only found: the caller is about to refer to it, so it is stored as of now.
      if ((await isStored(file)) && (await touch(file))) return { key, size: data.length, created: false };
      const folder = path.dirname(file);
      const madeFolders = await mkdir(folder, { recursive: true, mode: 0o750 });
      // Written under a temporary name in the same folder, flushed, then renamed: the final name
      // only ever holds the whole content, even after a crash mid-write.
      const temp = `${file}.${randomUUID()}.tmp`;
      try {
        const handle = await open(temp, 'wx', 0o640);
        try {
          await handle.writeFile(data);
          await handle.sync();
        } finally {
          await handle.close();
        }
        // Two uploads of the same bytes may race here: both renames put identical content in place.
        await rename(temp, file);
      } catch (error) {
        await unlink(temp).catch(() => {});
        throw error;
      }
      await syncDir(folder);
      if (madeFolders) {
        await syncDir(path.dirname(folder));
        await syncDir(dir);
      }
      return { key, size: data.length, created: true };
    },

    async get(key) {
      try {
        return await readFile(pathOf(checkedKey(key)));
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async stream(key) {
      try {
        const handle = await open(pathOf(checkedKey(key)), 'r');
        return handle.createReadStream();
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    has: async (key) => isStored(pathOf(checkedKey(key))),

    async delete(key) {
      try {
        await unlink(pathOf(checkedKey(key)));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },

    async *storedBefore(cutoff) {
      const folderName = /^[0-9a-f]{2}$/;
      for await (const first of entries(dir)) {
        if (!first.isDirectory() || !folderName.test(first.name)) continue;
        for await (const second of entries(path.join(dir, first.name))) {
          if (!second.isDirectory() || !folderName.test(second.name)) continue;
          const folder = path.join(dir, first.name, second.name);
          for await (const entry of entries(folder)) {
            const leftover = LEFTOVER.exec(entry.name);
            if (leftover) await tidyLeftover(folder, entry.name, leftover[1], cutoff);
            if (!KEY.test(entry.name)) continue;
            const info = await statOrNull(path.join(folder, entry.name));
            if (info?.isFile() && info.mtime.getTime() < cutoff.getTime()) yield entry.name;
          }
        }
      }
    },

    async owner(claim) {
      const file = path.join(dir, '.owner');
      await mkdir(dir, { recursive: true, mode: 0o750 });
      try {
        await writeFile(file, claim, { flag: 'wx', mode: 0o640 });
        await syncDir(dir);
        return claim;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        return (await readFile(file, 'utf8')).trim();
      }
    },

    async deleteStoredBefore(key, cutoff) {
      const file = pathOf(checkedKey(key));
      const info = await statOrNull(file);
      if (!info?.isFile() || info.mtime.getTime() >= cutoff.getTime()) return false;
      // Renamed aside first: a put that found the file before the rename has touched it by now
      // (it is given back), and a put after the rename finds nothing and writes the bytes anew.
      const aside = `${file}.${randomUUID()}.deleting`;
      try {
        await rename(file, aside);
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
      const after = await statOrNull(aside);
      if (!after) return false;
      if (after.mtime.getTime() >= cutoff.getTime()) {
        await rename(aside, file);
        return false;
      }
      await unlink(aside).catch(ignoreMissing);
      return true;
    },
  };
}
