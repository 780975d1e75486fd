import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('configuration', () => {
  test('given an empty environment, when loaded, then the documented defaults apply', () => {
    const config = loadConfig({});
    assert.deepEqual(config, {
      port: 3000,
      host: '0.0.0.0',
      dataDir: path.resolve('./data'),
      databaseUrl: undefined,
      databasePoolSize: 10,
      sessionIdleMinutes: 60,
      sessionAbsoluteHours: 12,
      loginMaxFailures: 5,
      loginLockMinutes: 15,
      tileUrl: '',
      loadDemo: true,
      secureCookies: false,
      bodyLimit: 1024 * 1024,
      sessionCacheSeconds: 5,
      orgUnitCacheSeconds: 60,
      liveRecheckSeconds: 25,
      trustProxy: false,
      open311MediaHosts: [],
      open311JsonCacheBytes: 64 * 1024 * 1024,
      dossierImportBulkMinRows: 0,
      logLevel: 'info',
      testClock: false,
    });
  });

  test('DOSSIER_IMPORT_BULK_MIN_ROWS: a whole number of rows, 0 (never) by default', () => {
    assert.equal(loadConfig({ DOSSIER_IMPORT_BULK_MIN_ROWS: '100000' }).dossierImportBulkMinRows, 100_000);
    for (const bad of ['-1', 'abc', '1.5']) assert.throws(() => loadConfig({ DOSSIER_IMPORT_BULK_MIN_ROWS: bad }), ConfigError, bad);
  });

  test('TEST_CLOCK turns the settable clock on, and is refused in production', () => {
    assert.equal(loadConfig({ TEST_CLOCK: '1' }).testClock, true);
    assert.equal(loadConfig({ TEST_CLOCK: '1', NODE_ENV: 'test' }).testClock, true);
    assert.throws(() => loadConfig({ TEST_CLOCK: '1', NODE_ENV: 'production' }), ConfigError);
    assert.equal(loadConfig({ NODE_ENV: 'production' }).testClock, false);
  });

  test('given valid values, when loaded, then they are read with their types', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://dh:secret@db.example.vn:5433/dieuhanh',
      SESSION_IDLE_MINUTES: '30',
      LOAD_DEMO: 'no',
      SECURE_COOKIES: 'TRUE',
      TILE_URL: 'https://tile.example.vn/{z}/{x}/{y}.png',
      DATA_DIR: '/srv/dieuhanh',
      LOG_LEVEL: 'warn',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.databaseUrl, 'postgresql://dh:secret@db.example.vn:5433/dieuhanh');
    assert.equal(config.sessionIdleMinutes, 30);
    assert.equal(config.loadDemo, false);
    assert.equal(config.secureCookies, true);
    assert.equal(config.tileUrl, 'https://tile.example.vn/{z}/{x}/{y}.png');
    assert.equal(config.dataDir, '/srv/dieuhanh');
    assert.equal(config.logLevel, 'warn');
  });

  const wrong: [string, string][] = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'not a url'],
    ['SESSION_IDLE_MINUTES', '0'],
    ['DATABASE_POOL_SIZE', '0'],
    ['LOAD_DEMO', 'maybe'],
    ['SECURE_COOKIES', 'có'],
    ['TILE_URL', 'https://tile.example.vn/{x}/{y}.png'],
    ['TILE_URL', 'ftp://tile.example.vn/{z}/{x}/{y}.png'],
    ['LOG_LEVEL', 'verbose'],
    ['TRUST_PROXY', 'everyone'],
    ['LIVE_RECHECK_SECONDS', '0'],
    ['SESSION_CACHE_SECONDS', '-1'],
    ['ORG_UNIT_CACHE_SECONDS', 'x'],
    ['OPEN311_MEDIA_HOSTS', 'http://anh.example.vn'],
    ['OPEN311_MEDIA_HOSTS', 'anh.example.vn/path'],
    ['OPEN311_MEDIA_HOSTS', 'anh example.vn'],
    ['OPEN311_MEDIA_HOSTS', '*'],
    ['OPEN311_JSON_CACHE_BYTES', '64MB'],
    ['OPEN311_JSON_CACHE_BYTES', '-1'],
  ];
  for (const [name, value] of wrong) {
    test(`given ${name}=${value}, when loaded, then a ConfigError names ${name}`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (err: unknown) => err instanceof ConfigError && err.message.includes(name),
      );
    });
  }

  test('given TRUST_PROXY, when loaded, then only the listed proxies are believed (none by default)', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy, ['127.0.0.1', '10.0.0.0/8']);
  });

  test('given OPEN311_MEDIA_HOSTS, when loaded, then the hosts are listed in lower case (none by default: media_url refused)', () => {
    assert.deepEqual(loadConfig({}).open311MediaHosts, []);
    assert.deepEqual(loadConfig({ OPEN311_MEDIA_HOSTS: ' ' }).open311MediaHosts, []);
    assert.deepEqual(loadConfig({ OPEN311_MEDIA_HOSTS: 'Anh.Example.vn, *.cdn.example.vn,,anh.example.vn, 203.0.113.7' }).open311MediaHosts, [
      'anh.example.vn',
      '*.cdn.example.vn',
      '203.0.113.7',
    ]);
  });

  test('given PORT=abc, when the server is started, then it exits non-zero and names PORT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'abc', DATABASE_URL: '', DATA_DIR: '/nonexistent/never-created' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.notEqual(code, 0, output);
    assert.notEqual(code, null, output);
    assert.match(output, /PORT/);
    assert.match(output, /abc/);
    assert.doesNotMatch(output, /Database:/, 'it stopped before opening a database');
  });
});
