import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/pool.js';
import type { BusEvent } from '../../src/platform/bus/bus.js';
import { type Session, type TestApp, buildTestApp, makeUnit, makeUser, signIn } from '../helpers/app.js';
import { testBackends } from '../helpers/db.js';

interface Received {
  type: string;
  data: { type: string; orgUnitId: number | null; payload: { n?: number; id?: number; probe?: string }; at: string } & Record<string, unknown>;
}

/**
 * A browser's EventSource, reduced to what the tests need: the events so far, and a wait. Its own
 * socket without keep-alive, so closing the app never waits for an idle pooled connection.
 */
async function openStream(baseUrl: string, cookie?: string) {
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.get(`${baseUrl}/api/v1/events`, { agent: false, headers: cookie ? { cookie: `dh_session=${cookie}` } : {} }, resolve);
    req.on('error', reject);
  });
  const events: Received[] = [];
  let body = '';
  let buffer = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    if (res.statusCode !== 200) {
      body += chunk;
      return;
    }
    buffer += chunk;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const type = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (type && data) events.push({ type, data: JSON.parse(data) });
      end = buffer.indexOf('\n\n');
    }
  });
  res.on('error', () => {});
  if (res.statusCode !== 200) await new Promise((r) => res.on('end', r));
  return {
    status: res.statusCode,
    contentType: res.headers['content-type'],
    body,
    events,
    async waitFor(predicate: (e: Received[]) => boolean, timeoutMs = 5000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`timed out; received: ${JSON.stringify(events.map((e) => e.type))}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => res.destroy(),
  };
}

type Stream = Awaited<ReturnType<typeof openStream>>;

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

/**
 * Publishes a unit-less probe until `stream` receives it: on PostgreSQL the listening connection
 * of each instance is opened in the background, and events published before it are not queued.
 */
async function untilLive(publisher: FastifyInstance, stream: Stream) {
  const probe = `probe-${Math.random()}`;
  const deadline = Date.now() + 10_000;
  while (!stream.events.some((e) => e.data.payload?.probe === probe)) {
    if (Date.now() > deadline) throw new Error('the bus never delivered a probe');
    publisher.services.bus.publish({ type: 'test.probe', orgUnitId: null, orgUnitPath: null, payload: { probe } });
    await new Promise((r) => setTimeout(r, 150));
  }
}

for (const kind of await testBackends()) {
  describe(`live events (SSE) on ${kind}`, () => {
    let t: TestApp;
    let baseUrl: string;
    let officer: Session;
    let admin: Session;
    let province: Awaited<ReturnType<typeof makeUnit>>;
    let namSach: Awaited<ReturnType<typeof makeUnit>>;
    let tuKy: Awaited<ReturnType<typeof makeUnit>>;
    let anBinh: Awaited<ReturnType<typeof makeUnit>>;
    const streams: Stream[] = [];
    const open = async (url: string, cookie?: string) => {
      const s = await openStream(url, cookie);
      streams.push(s);
      return s;
    };

    before(async () => {
      t = await buildTestApp(kind);
      province = await makeUnit(t.db, { name: 'Tỉnh Hải Dương', code: 'HD' });
      namSach = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Nam Sách', code: 'HD-NS' });
      tuKy = await makeUnit(t.db, { parent: province, kind: 'district', name: 'Huyện Tứ Kỳ', code: 'HD-TK' });
      anBinh = await makeUnit(t.db, { parent: namSach, name: 'Xã An Bình', code: 'HD-NS-ANBINH' });
      await makeUser(t.db, { unit: namSach, role: 'officer', username: 'namsach.canbo' });
      await makeUser(t.db, { unit: province, role: 'administrator', username: 'admin' });
      officer = await signIn(t.app, 'namsach.canbo');
      admin = await signIn(t.app, 'admin');
      baseUrl = await listen(t.app);
    });
    after(async () => {
      for (const s of streams) s.close();
      await t.close();
    });

    test('given no session or an unknown one, when the stream is opened, then it answers 401', async () => {
      const none = await open(baseUrl);
      assert.equal(none.status, 401);
      assert.equal(JSON.parse(none.body).code, 'UNAUTHENTICATED');
      const forged = await open(baseUrl, 'not-a-session');
      assert.equal(forged.status, 401);
    });

    test('given a district officer on the stream, when events are published, then only those in the district and those for everyone arrive', async () => {
      const stream = await open(baseUrl, officer.cookie);
      assert.equal(stream.status, 200);
      assert.match(stream.contentType ?? '', /^text\/event-stream/);
      await untilLive(t.app, stream);
      const bus = t.app.services.bus;
      const publish = (type: string, unit: { id: number; path: string } | null, n: number) =>
        bus.publish({ type, orgUnitId: unit?.id ?? null, orgUnitPath: unit?.path ?? null, payload: { n } } satisfies BusEvent);
      publish('test.outside', tuKy, 1);
      publish('test.above', province, 2);
      publish('test.inside', anBinh, 3);
      publish('test.district', namSach, 4);
      publish('test.everyone', null, 5);
      await stream.waitFor((e) => ['test.inside', 'test.district', 'test.everyone'].every((type) => e.some((x) => x.type === type)));
      publish('test.marker', null, 6);
      await stream.waitFor((e) => e.some((x) => x.type === 'test.marker'));

      const received = stream.events.filter((e) => e.type !== 'test.probe');
      assert.deepEqual(received.map((e) => e.type).sort(), ['test.district', 'test.everyone', 'test.inside', 'test.marker']);
      const inside = received.find((e) => e.type === 'test.inside')!;
      assert.deepEqual({ orgUnitId: inside.data.orgUnitId, payload: inside.data.payload }, { orgUnitId: anBinh.id, payload: { n: 3 } });
      assert.equal(inside.data.orgUnitPath, undefined, 'the unit path stays on the server');
      assert.ok(!Number.isNaN(Date.parse(inside.data.at)));
    });

    test('given units changed through the API, when the officer listens, then only changes in the district arrive', async () => {
      const stream = await open(baseUrl, officer.cookie);
      await untilLive(t.app, stream);
      const outside = await admin.post('/api/v1/org-units', { code: 'HD-TK-X', name: 'Xã Ngoài', kind: 'commune', parentId: tuKy.id });
      assert.equal(outside.statusCode, 201, outside.body);
      const inside = await admin.post('/api/v1/org-units', { code: 'HD-NS-X', name: 'Xã Trong', kind: 'commune', parentId: namSach.id });
      assert.equal(inside.statusCode, 201, inside.body);
      await stream.waitFor((e) => e.some((x) => x.type === 'orgUnit.changed' && x.data.payload.id === inside.json().id));
      t.app.services.bus.publish({ type: 'test.marker', orgUnitId: null, orgUnitPath: null, payload: {} });
      await stream.waitFor((e) => e.some((x) => x.type === 'test.marker'));
      const changes = stream.events.filter((e) => e.type === 'orgUnit.changed');
      assert.deepEqual(changes.map((e) => e.data.payload), [{ id: inside.json().id, action: 'create' }]);
    });

    test('given an open stream, when its session ends, then the stream is closed within LIVE_RECHECK_SECONDS', async () => {
      const quick = await buildTestApp(kind, { LIVE_RECHECK_SECONDS: '1' });
      try {
        const unit = await makeUnit(quick.db, { code: 'HD-Q' });
        await makeUser(quick.db, { unit, role: 'officer', username: 'quick.canbo' });
        const session = await signIn(quick.app, 'quick.canbo');
        const url = await listen(quick.app);
        const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
          http.get(`${url}/api/v1/events`, { agent: false, headers: { cookie: `dh_session=${session.cookie}` } }, resolve).on('error', reject);
        });
        assert.equal(res.statusCode, 200);
        res.resume();
        const ended = new Promise((resolve) => res.on('end', () => resolve('ended')));
        assert.equal((await session.post('/api/v1/auth/logout')).statusCode, 204);
        const outcome = await Promise.race([ended, new Promise((r) => setTimeout(() => r('still open'), 4000))]);
        assert.equal(outcome, 'ended', 'the stream of a signed-out session must close');
      } finally {
        await quick.close();
      }
    });

    if (kind === 'postgres') {
      describe('across two app instances on one database', () => {
        let second: FastifyInstance;
        let secondDb: Database;
        let secondUrl: string;

        before(async () => {
          const url = t.testDb.url!;
          secondDb = await openDatabase({ databaseUrl: url, poolSize: 4 });
          second = await buildApp({ config: loadConfig({ LOAD_DEMO: 'false', DATABASE_URL: url }), database: secondDb });
          secondUrl = await listen(second);
        });
        after(async () => {
          for (const s of streams) s.close();
          await second.close();
          await secondDb.close();
        });

        test('given a subscriber on instance B, when instance A publishes, then B delivers it, by scope, and A delivers it once', async () => {
          const onB = await open(secondUrl, officer.cookie);
          assert.equal(onB.status, 200, 'a session made on A is valid on B');
          const onA = await open(baseUrl, officer.cookie);
          await untilLive(t.app, onB);
          await untilLive(t.app, onA);

          t.app.services.bus.publish({ type: 'test.outside', orgUnitId: tuKy.id, orgUnitPath: tuKy.path, payload: { n: 1 } });
          t.app.services.bus.publish({ type: 'test.cross', orgUnitId: anBinh.id, orgUnitPath: anBinh.path, payload: { n: 2 } });
          await onB.waitFor((e) => e.some((x) => x.type === 'test.cross'));
          await onA.waitFor((e) => e.some((x) => x.type === 'test.cross'));
          t.app.services.bus.publish({ type: 'test.marker', orgUnitId: null, orgUnitPath: null, payload: {} });
          await onB.waitFor((e) => e.some((x) => x.type === 'test.marker'));
          await onA.waitFor((e) => e.some((x) => x.type === 'test.marker'));

          for (const stream of [onA, onB]) {
            assert.deepEqual(stream.events.filter((e) => e.type.startsWith('test.') && e.type !== 'test.probe').map((e) => e.type), ['test.cross', 'test.marker']);
          }

          // And the other way: a change made through B reaches a subscriber on A.
          const res = await second.inject({
            method: 'POST',
            url: '/api/v1/org-units',
            payload: { code: 'HD-NS-B', name: 'Xã Từ B', kind: 'commune', parentId: namSach.id },
            headers: { cookie: `dh_session=${admin.cookie}`, 'x-csrf-token': admin.csrf },
          });
          assert.equal(res.statusCode, 201, res.body);
          await onA.waitFor((e) => e.some((x) => x.type === 'orgUnit.changed' && x.data.payload.id === res.json().id));
        });

        test('given an open stream, when the instance loses its listening connection, then it listens again and tells the browser to reload', async () => {
          const stream = await open(secondUrl, officer.cookie);
          await untilLive(second, stream);
          // The server drops B's LISTEN connection (a restart, a network cut, an administrator).
          const { rows } = await sql<{ n: number }>`
            SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`.execute(t.db);
          assert.ok(rows[0].n >= 1, 'a listening connection was dropped');
          await stream.waitFor((e) => e.some((x) => x.type === 'resync'), 10_000);
          // And it listens again: an event published after that arrives.
          await untilLive(second, stream);
        });
      });
    }
  });
}
