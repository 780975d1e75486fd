import path from 'node:path';

/** The whole configuration, read once from the environment at start. */
export interface Config {
  port: number;
  host: string;
  /** Folder of the embedded database and uploaded files. */
  dataDir: string;
  /** PostgreSQL URL; undefined means the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  /** Largest pool of connections to PostgreSQL (PGlite always uses 1). */
  databasePoolSize: number;
  /** A session ends after this many minutes without a request. */
  sessionIdleMinutes: number;
  /** A session ends this many hours after sign-in, whatever happens. */
  sessionAbsoluteHours: number;
  /** Failed sign-ins in a row before an account is locked. */
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Map tiles; empty means maps draw without tiles (offline). */
  tileUrl: string;
  /** Load the demo locality into an empty database. */
  loadDemo: boolean;
  /** Send the session cookie only over HTTPS. */
  secureCookies: boolean;
  /** Largest JSON body, bytes. */
  bodyLimit: number;
  /** How long the signed-in user behind a session is kept in memory between checks (0: every request). */
  sessionCacheSeconds: number;
  /** Longest time the in-memory org-unit tree is kept without a change notice (0: every request). */
  orgUnitCacheSeconds: number;
  /** How often an open live-event stream re-checks its session and grants (and sends a keep-alive). */
  liveRecheckSeconds: number;
  /** Proxies whose X-Forwarded-For is believed (false: the socket's address is the client's). */
  trustProxy: boolean | string[];
  /**
   * Hosts an Open311 `media_url` may be fetched from: exact names or `*.suffix` for subdomains.
   * Empty (the default): every media_url is refused.
   */
  open311MediaHosts: string[];
  /**
   * Most bytes the JSON of Open311 service requests may take in memory between answers: each
   * request's (with ~350 bytes of bookkeeping; 64 MiB holds ~65,000 of ~650 bytes) and up to 16
   * whole answers. 0 turns it off: PostgreSQL then writes every JSON answer whole.
   */
  open311JsonCacheBytes: number;
  /** A dossier file expected to bring at least this many new rows, more than the table holds, loads in bulk (0, the default: never). */
  dossierImportBulkMinRows: number;
  logLevel: string;
  /** TEST_CLOCK=1: "now" can be set through /api/v1/test/clock (tests only; refused in production). */
  testClock: boolean;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}"`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function oneOf(env: Env, name: string, fallback: string, allowed: string[]): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw;
}

function databaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL must be a URL like postgres://user:password@host:5432/dbname');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  }
  return raw;
}

function tileUrl(env: Env): string {
  const raw = env.TILE_URL ?? '';
  if (raw !== '' && !/^https?:\/\/.+\{z\}.+\{x\}.+\{y\}/.test(raw)) {
    throw new ConfigError('TILE_URL must be an http(s) URL with {z}, {x} and {y}, e.g. https://tile.example.vn/{z}/{x}/{y}.png');
  }
  return raw;
}

function trustProxy(env: Env): boolean | string[] {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || /^(0|false|no|off)$/i.test(raw)) return false;
  const list = raw.split(',').map((s) => s.trim());
  if (!list.every((a) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a))) {
    throw new ConfigError(`TRUST_PROXY must be a comma-separated list of proxy addresses or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8), got "${raw}"`);
  }
  return list;
}

const HOST_NAME = /^(?:\*\.)?(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

function mediaHosts(env: Env): string[] {
  const raw = (env.OPEN311_MEDIA_HOSTS ?? '').trim();
  if (raw === '') return [];
  const list = raw
    .split(',')
    .map((s) => s.trim().toLowerCase().replace(/\.$/, ''))
    .filter((s) => s !== '');
  const wrong = list.find((h) => !HOST_NAME.test(h) && !/^\d{1,3}(?:\.\d{1,3}){3}$/.test(h));
  if (wrong !== undefined) {
    throw new ConfigError(
      `OPEN311_MEDIA_HOSTS must be a comma-separated list of host names or *.suffix entries (e.g. anh.example.vn,*.cdn.example.vn), got "${wrong}"`,
    );
  }
  return [...new Set(list)];
}

function testClock(env: Env): boolean {
  const on = bool(env, 'TEST_CLOCK', false);
  if (on && env.NODE_ENV === 'production') throw new ConfigError('TEST_CLOCK must not be set when NODE_ENV=production');
  return on;
}

export function loadConfig(env: Env = process.env): Config {
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl: databaseUrl(env),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 500),
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 60, 1, 60 * 24 * 30),
    sessionAbsoluteHours: int(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 90),
    loginMaxFailures: int(env, 'LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockMinutes: int(env, 'LOGIN_LOCK_MINUTES', 15, 1, 60 * 24),
    tileUrl: tileUrl(env),
    loadDemo: bool(env, 'LOAD_DEMO', true),
    secureCookies: bool(env, 'SECURE_COOKIES', false),
    bodyLimit: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    sessionCacheSeconds: int(env, 'SESSION_CACHE_SECONDS', 5, 0, 300),
    orgUnitCacheSeconds: int(env, 'ORG_UNIT_CACHE_SECONDS', 60, 0, 3600),
    liveRecheckSeconds: int(env, 'LIVE_RECHECK_SECONDS', 25, 1, 3600),
    trustProxy: trustProxy(env),
    open311MediaHosts: mediaHosts(env),
    open311JsonCacheBytes: int(env, 'OPEN311_JSON_CACHE_BYTES', 64 * 1024 * 1024, 0, 16 * 1024 * 1024 * 1024),
    dossierImportBulkMinRows: int(env, 'DOSSIER_IMPORT_BULK_MIN_ROWS', 0, 0, 100_000_000),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    testClock: testClock(env),
  };
}
