import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
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
}

export const fileKey = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const KEY = /^[0-9a-f]{64}$/;

/** Keys reach the store from URLs: anything but 64 hex digits (`../`, a slash, a dot) never becomes a path. */
function checkedKey(key: string): string {
  if (typeof key !== 'string' || !KEY.test(key)) throw badRequest('INVALID_FILE_KEY', 'Mã tệp không hợp lệ.');
  return key;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

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

  return {
    async put(data) {
      const key = fileKey(data);
      const file = pathOf(key);
      if (await isStored(file)) return { key, size: data.length, created: false };
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
  };
}
