import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD } from '../../demo/load.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createKysely } from '../../src/db/kysely.js';
import { migrate } from '../../src/db/migrate.js';
import { type Database, dumpPglite, openDatabase } from '../../src/db/pool.js';
import type { DeliveredEvent } from '../../src/platform/bus/bus.js';
import { type Session, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { REQUIRE_ALL_TIERS, createTestDatabase, testBackends } from '../helpers/db.js';

// Faults tier: a killed server process, a database that goes away and comes back.

const ROOT = path.resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `src/main.ts` in its own process, as an operator starts it; resolves once it listens. */
async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; baseUrl: string; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', LOAD_DEMO: 'true', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes('is running at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return { child, baseUrl: `http://127.0.0.1:${port}`, output: () => output };
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exited;
}

/** Signs in over HTTP as a browser does; returns what a write needs. */
async function httpSignIn(baseUrl: string, username: string, password: string) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = /dh_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1];
  const me = (await res.json()) as { csrfToken: string; user: { scope: { id: number; code: string }[] } };
  const headers = { cookie: `dh_session=${cookie}`, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' };
  return { headers, rootId: me.user.scope.find((s) => s.code === 'HD')!.id };
}

/** Every unit code under `parentId`, page by page. */
async function codesUnder(baseUrl: string, headers: Record<string, string>, parentId: number): Promise<Set<string>> {
  const codes = new Set<string>();
  for (let page = 1; ; page++) {
    const res = await fetch(`${baseUrl}/api/v1/org-units?parentId=${parentId}&pageSize=500&page=${page}`, { headers });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { items: { code: string }[] };
    for (const u of body.items) codes.add(u.code);
    if (body.items.length < 500) return codes;
  }
}

/**
 * Writers that create units as fast as the server acknowledges them, until the server dies.
 * Returns the codes acknowledged with 201: each one is a promise the database made.
 */
function writeUntilKilled(baseUrl: string, headers: Record<string, string>, parentId: number, writers: number) {
  const acknowledged: string[] = [];
  let stopped = false;
  let seq = 0;
  const loops = Array.from({ length: writers }, async () => {
    while (!stopped) {
      const code = `KILL-${++seq}`;
      try {
        const res = await fetch(`${baseUrl}/api/v1/org-units`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ code, name: `Đơn vị ghi trước khi dừng ${seq}`, kind: 'agency', parentId }),
        });
        if (res.status === 201) acknowledged.push(code);
        else await res.text();
      } catch {
        return; // the connection died with the server
      }
    }
  });
  return {
    acknowledged,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

for (const kind of await testBackends()) {
  describe(`a server killed with SIGKILL in the middle of writes, on ${kind}`, () => {
    let dataDir: string;
    let env: Record<string, string>;
    let drop = async () => {};
    let server: Awaited<ReturnType<typeof startServer>> | undefined;

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-faults-'));
      if (kind === 'postgres') {
        const testDb = await createTestDatabase('postgres');
        // The server opens its own pool; this one only creates and later drops the database.
        await testDb.database.close();
        drop = testDb.drop;
        env = { DATABASE_URL: testDb.url!, DATA_DIR: dataDir };
      } else {
        // Start from the migrated embedded database instead of running initdb (6–10 s) again.
        const template = await createTestDatabase('pglite');
        const onDisk = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite'), pgliteLoadFrom: await dumpPglite(template.database) });
        await onDisk.close();
        await template.drop();
        env = { DATA_DIR: dataDir };
      }
    });
    after(async () => {
      if (server) await kill(server.child, 'SIGKILL');
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('given acknowledged creates, when the process is killed and restarted, then every acknowledged unit is there', async (t) => {
      server = await startServer(env);
      const first = await httpSignIn(server.baseUrl, 'admin', DEMO_PASSWORD);
      const writes = writeUntilKilled(server.baseUrl, first.headers, first.rootId, 4);
      // Kill in the middle of the writes, once at least 10 were acknowledged (at least 1.5 s in, at most 20 s: a busy machine is slower).
      const started = Date.now();
      await sleep(1500);
      while (writes.acknowledged.length < 10 && Date.now() - started < 20_000) await sleep(100);
      await kill(server.child, 'SIGKILL');
      await writes.stop();
      assert.ok(writes.acknowledged.length >= 10, `only ${writes.acknowledged.length} writes were acknowledged before the kill:\n${server.output()}`);

      server = await startServer(env);
      assert.doesNotMatch(server.output(), /Loaded the demo locality/, 'the restarted server found its data');
      const again = await httpSignIn(server.baseUrl, 'admin', DEMO_PASSWORD);
      assert.equal(again.rootId, first.rootId);
      const present = await codesUnder(server.baseUrl, again.headers, again.rootId);
      const lost = writes.acknowledged.filter((code) => !present.has(code));
      t.diagnostic(`${writes.acknowledged.length} writes acknowledged before SIGKILL, ${present.size} units found after restart`);
      assert.deepEqual(lost, [], `${lost.length} of ${writes.acknowledged.length} acknowledged writes were lost`);

      // The restarted server takes writes again.
      const res = await fetch(`${server.baseUrl}/api/v1/org-units`, {
        method: 'POST',
        headers: again.headers,
        body: JSON.stringify({ code: 'AFTER-RESTART', name: 'Sau khi khởi động lại', kind: 'agency', parentId: again.rootId }),
      });
      assert.equal(res.status, 201, await res.text());
      await kill(server.child, 'SIGTERM');
      assert.equal(server.child.exitCode, 0, `a SIGTERM closes cleanly:\n${server.output()}`);
    });
  });
}

/** A PostgreSQL cluster of the test's own, which it may stop and start. */
function privateCluster() {
  const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((b) => fs.existsSync(`${b}/initdb`));
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync('/tmp/dh-pg-');
  const data = path.join(dir, 'data');
  let port = 0;
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', `${bin}/${tool}`, ...args]] : [`${bin}/${tool}`, args];
    return execFileSync(cmd, argv, { stdio: 'pipe', timeout: 60_000 }).toString();
  };
  return {
    available: bin !== undefined,
    get url() {
      return `postgres://postgres@127.0.0.1:${port}/postgres`;
    },
    async init() {
      if (asRoot) {
        const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
        const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
        fs.chownSync(dir, uid, gid);
      }
      port = await freePort();
      run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
    },
    start() {
      run('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', path.join(dir, 'log'), '-w', 'start']);
    },
    stop() {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
    cleanup() {
      try {
        if (fs.existsSync(path.join(data, 'postmaster.pid'))) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('PostgreSQL stopped while the server runs, then started again', () => {
  const cluster = privateCluster();
  const skip = !cluster.available && !REQUIRE_ALL_TIERS ? 'no PostgreSQL server binaries (initdb) on this machine' : false;
  let database: Database | undefined;
  let app: FastifyInstance | undefined;
  let admin: Session;
  let provinceId: number;

  before(async () => {
    if (skip) return;
    await cluster.init();
    cluster.start();
    database = await openDatabase({ databaseUrl: cluster.url, poolSize: 5 });
    await migrate(database.pool);
    const db = createKysely(database.pool);
    const province = await makeUnit(db, { name: 'Tỉnh Hải Dương', code: 'HD' });
    provinceId = province.id;
    await makeUser(db, { unit: province, role: 'administrator', username: 'admin' });
    // No caches: every request must reach the database, so its absence shows.
    app = await buildApp({ config: loadConfig({ LOAD_DEMO: 'false', DATABASE_URL: cluster.url, SESSION_CACHE_SECONDS: '0', ORG_UNIT_CACHE_SECONDS: '0' }), database });
    await app.ready();
    admin = await signIn(app, 'admin');
  });
  after(async () => {
    await app?.close().catch(() => {});
    await database?.close().catch(() => {});
    cluster.cleanup();
  });

  test('given a signed-in administrator, when the database stops and starts, then requests answer 503 and then succeed again without a restart', { skip }, async () => {
    assert.equal((await admin.get('/api/v1/org-units')).statusCode, 200);
    assert.equal((await app!.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);

    cluster.stop();

    for (const res of [
      await admin.get('/api/v1/org-units'),
      await admin.post('/api/v1/org-units', { code: 'HD-DOWN', name: 'Khi mất kết nối', kind: 'district', parentId: provinceId }),
      await app!.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'whatever-it-is' } }),
    ]) {
      assert.equal(res.statusCode, 503, `${res.statusCode} ${res.body}`);
      assert.equal(res.json().code, 'DATABASE_UNAVAILABLE');
      assert.match(res.json().message, /Cơ sở dữ liệu tạm thời không truy cập được/);
    }
    const ready = await app!.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().code, 'DATABASE_UNAVAILABLE');
    assert.equal((await app!.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'the process itself is alive');

    cluster.start();
    const startedAt = Date.now();
    let res = await admin.get('/api/v1/org-units');
    while (res.statusCode !== 200 && Date.now() - startedAt < 10_000) {
      await sleep(200);
      res = await admin.get('/api/v1/org-units');
    }
    assert.equal(res.statusCode, 200, `still ${res.statusCode} ${res.body} after 10 s`);
    assert.ok(Date.now() - startedAt < 5000, `recovery took ${Date.now() - startedAt} ms`);
    assert.equal((await app!.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    const created = await admin.post('/api/v1/org-units', { code: 'HD-UP', name: 'Sau khi có lại kết nối', kind: 'district', parentId: provinceId });
    assert.equal(created.statusCode, 201, created.body);

    // The live bus listens again by itself: an event published now reaches a subscriber.
    const received: DeliveredEvent[] = [];
    const unsubscribe = app!.services.bus.subscribe((e) => received.push(e));
    try {
      const deadline = Date.now() + 5000;
      while (!received.some((e) => e.type === 'test.after-restart') && Date.now() < deadline) {
        app!.services.bus.publish({ type: 'test.after-restart', orgUnitId: null, orgUnitPath: null, payload: {} });
        await sleep(200);
      }
    } finally {
      unsubscribe();
    }
    assert.ok(received.some((e) => e.type === 'test.after-restart'), 'the bus delivers again after the database restarted');
  });
});
