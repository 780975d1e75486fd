import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import { createDiskStore, type FileStore } from './store.js';

let dir: string;
let store: FileStore;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dieuhanh-files-'));
  store = createDiskStore(dir);
});
after(() => rm(dir, { recursive: true, force: true }));

/** Every file under the store, relative to it. */
async function filesIn(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('content-addressed disk store', () => {
  test('the key is the SHA-256 of the bytes, stored under ab/cd/<key>', async () => {
    const data = Buffer.from('ảnh hiện trường số 1');
    const stored = await store.put(data);
    assert.deepEqual(stored, { key: sha256(data), size: data.length, created: true });
    assert.ok((await filesIn(dir)).includes(path.join(stored.key.slice(0, 2), stored.key.slice(2, 4), stored.key)));
    assert.deepEqual(await store.get(stored.key), data);
    assert.equal(await store.has(stored.key), true);
  });

  test('the same bytes put twice get the same key and are stored once', async () => {
    const data = Buffer.from('cùng một nội dung');
    const first = await store.put(data);
    const second = await store.put(Buffer.from(data));
    assert.equal(second.key, first.key);
    assert.equal(second.created, false);
    assert.equal((await filesIn(dir)).filter((f) => f.endsWith(first.key)).length, 1);
  });

  test('concurrent puts, of the same and of different bytes, leave only final files and no temporary one', async () => {
    const same = Buffer.from('tải lên đồng thời');
    const puts = Array.from({ length: 20 }, (_, i) => store.put(i % 2 ? same : Buffer.from(`tệp ${i}`)));
    const keys = new Set((await Promise.all(puts)).map((s) => s.key));
    assert.equal(keys.size, 11);
    const files = await filesIn(dir);
    assert.deepEqual(files.filter((f) => !/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(f)), []);
    for (const key of keys) assert.equal(await store.has(key), true);
  });

  test('a write that fails removes its temporary file and leaves nothing under the final name', async () => {
    const data = Buffer.from('không ghi được');
    const key = sha256(data);
    // A folder squatting the final name makes the rename fail.
    const blocker = path.join(dir, key.slice(0, 2), key.slice(2, 4), key);
    await mkdir(blocker, { recursive: true });
    await writeFile(path.join(blocker, 'x'), 'x');
    await assert.rejects(store.put(data));
    assert.deepEqual((await readdir(path.dirname(blocker))).filter((f) => f.endsWith('.tmp')), []);
    assert.equal(await store.has(key), false);
    await rm(blocker, { recursive: true });
  });

  test('stream gives the content; a missing key gives null from get and stream, false from has and delete', async () => {
    const data = Buffer.from('đọc theo luồng');
    const { key } = await store.put(data);
    const readable = await store.stream(key);
    assert.ok(readable);
    assert.equal(await text(readable), 'đọc theo luồng');
    const missing = sha256(Buffer.from('chưa từng lưu'));
    assert.equal(await store.get(missing), null);
    assert.equal(await store.stream(missing), null);
    assert.equal(await store.has(missing), false);
    assert.equal(await store.delete(missing), false);
  });

  test('delete removes the file', async () => {
    const { key } = await store.put(Buffer.from('sẽ xóa'));
    assert.equal(await store.delete(key), true);
    assert.equal(await store.has(key), false);
    assert.equal(await store.get(key), null);
  });

  test('a key that is not 64 lower-case hex digits (../, a slash, upper case, short) is refused before any path is made', async () => {
    const stored = await store.put(Buffer.from('bí mật'));
    const bad = [
      '../../../etc/passwd',
      `../${stored.key.slice(3)}`,
      `${stored.key.slice(0, 2)}/${stored.key.slice(2, 4)}/${stored.key}`,
      stored.key.toUpperCase(),
      stored.key.slice(1),
      `${stored.key}\0`,
      '',
    ];
    for (const key of bad) {
      for (const call of [store.get, store.stream, store.has, store.delete]) {
        await assert.rejects(call(key), { status: 400, code: 'INVALID_FILE_KEY' }, key);
      }
    }
    assert.equal(await store.has(stored.key), true);
  });
});

describe('finding and deleting files stored before a time (the sweep of unreferenced files)', () => {
  const HOUR = 3_600_000;
  let sweepDir: string;
  let files: FileStore;
  before(async () => {
    sweepDir = await mkdtemp(path.join(tmpdir(), 'dieuhanh-files-sweep-'));
    files = createDiskStore(sweepDir);
  });
  after(() => rm(sweepDir, { recursive: true, force: true }));

  const pathOf = (key: string) => path.join(sweepDir, key.slice(0, 2), key.slice(2, 4), key);
  /** Stores the bytes as if it happened `hoursAgo` hours ago. */
  async function storedAgo(data: string, hoursAgo: number): Promise<string> {
    const { key } = await files.put(Buffer.from(data));
    const then = new Date(Date.now() - hoursAgo * HOUR);
    await utimes(pathOf(key), then, then);
    return key;
  }
  const listed = async (cutoff: Date) => {
    const keys = [];
    for await (const key of files.storedBefore(cutoff)) keys.push(key);
    return keys.sort();
  };

  test('given files stored 3 hours and a minute ago, only the old one is stored before an hour ago', async () => {
    const old = await storedAgo('cũ', 3);
    const young = await storedAgo('mới', 1 / 60);
    const keys = await listed(new Date(Date.now() - HOUR));
    assert.ok(keys.includes(old));
    assert.equal(keys.includes(young), false);
  });

  test('deleteStoredBefore deletes an old file and keeps a young one', async () => {
    const old = await storedAgo('xóa được', 2);
    const young = await storedAgo('còn mới', 0);
    const cutoff = new Date(Date.now() - HOUR);
    assert.equal(await files.deleteStoredBefore(old, cutoff), true);
    assert.equal(await files.has(old), false);
    assert.equal(await files.deleteStoredBefore(young, cutoff), false);
    assert.equal(await files.has(young), true);
    assert.equal(await files.deleteStoredBefore(old, cutoff), false, 'already gone');
  });

  test('putting the same bytes again makes an old file young: a request about to refer to it keeps it', async () => {
    const key = await storedAgo('ảnh gửi lại', 5);
    const again = await files.put(Buffer.from('ảnh gửi lại'));
    assert.equal(again.created, false);
    const cutoff = new Date(Date.now() - HOUR);
    assert.equal((await listed(cutoff)).includes(key), false);
    assert.equal(await files.deleteStoredBefore(key, cutoff), false);
    assert.equal(await files.has(key), true);
  });

  test('leftovers of a crash older than the cutoff are tidied: a temporary write goes, a file being deleted comes back if its name is free', async () => {
    const keep = await storedAgo('đang xóa thì mất điện', 3);
    const file = pathOf(keep);
    const aside = `${file}.0b8f3c52-3b0f-4d55-9a51-2f6f2d0c7e11.deleting`;
    await rename(file, aside);
    const crashedWrite = `${pathOf(await storedAgo('ghi dở', 3))}.5e2a7d8c-1f34-4b6a-8c0d-9e7f6a5b4c3d.tmp`;
    await writeFile(crashedWrite, 'một nửa');
    const duplicate = await storedAgo('bản trùng', 3);
    const extra = `${pathOf(duplicate)}.7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f.deleting`;
    await writeFile(extra, 'bản trùng');

    // Just written, so younger than a cutoff in the past: left alone.
    await listed(new Date(Date.now() - HOUR));
    assert.equal(await files.has(keep), false);
    assert.ok((await filesIn(sweepDir)).some((f) => f.endsWith('.tmp')));

    // Older than a cutoff in the future.
    await listed(new Date(Date.now() + HOUR));
    assert.equal(await files.has(keep), true, 'a file whose delete was interrupted is given back');
    assert.equal(await files.has(duplicate), true);
    assert.deepEqual((await filesIn(sweepDir)).filter((f) => !/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(f)), [], 'no leftover remains');
  });

  test('the first database to claim the store owns it; a later claim gets the owner back', async () => {
    assert.equal(await files.owner('dieuhanh 2026-01-01 00:00:00.123456+00'), 'dieuhanh 2026-01-01 00:00:00.123456+00');
    assert.equal(await files.owner('khac 2026-02-02 00:00:00+00'), 'dieuhanh 2026-01-01 00:00:00.123456+00');
    assert.deepEqual(await listed(new Date(Date.now() + HOUR)).then((keys) => keys.every((k) => /^[0-9a-f]{64}$/.test(k))), true, 'the record is not a stored file');
  });

  test('a key that is not 64 hex digits is refused by deleteStoredBefore', async () => {
    await assert.rejects(files.deleteStoredBefore('../../etc/passwd', new Date()), { status: 400, code: 'INVALID_FILE_KEY' });
  });
});
