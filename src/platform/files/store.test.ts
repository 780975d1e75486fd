import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
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
