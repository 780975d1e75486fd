/**
 * The load generator of the benchmarks: closed-loop, a fixed number of connections, each sending
 * its next request as soon as the previous answer has been read in full. It warms up, then
 * measures for a fixed time: completed requests, failures, bytes, a latency histogram (p50, p90,
 * p95, p99, p99.9), and where the CPU went (machine, PostgreSQL backends of the database under
 * test and their parallel workers, this process).
 *
 * - `runRawLoad`: HTTP/1.1 on node:net keep-alive sockets, each writing a whole pre-encoded
 *   request (method, head, per-request headers, body; see `encodeRequest`), with a minimal
 *   response parser (status line, Content-Length or chunked bodies). It costs the client several
 *   times less CPU than node:http, which matters when client, server and PostgreSQL share two cores.
 * - `runLoad`: plain `GET <path>` requests, on those raw sockets (`transport: 'raw'`, default)
 *   or through node:http with a keep-alive Agent (`transport: 'http'`, for comparison).
 * - `runPgLoad`: the same closed loop around a function that talks to PostgreSQL directly (the
 *   ceiling of a write: the rows inserted straight through `pg`).
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';

/** Latencies in milliseconds, in log-spaced buckets 1% wide (from 1 µs to about an hour). */
export class Histogram {
  private static readonly GROWTH = Math.log(1.01);
  private readonly counts = new Float64Array(2200);
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = 0;

  record(ms: number): void {
    const us = Math.max(ms * 1000, 1);
    const i = Math.min(Math.floor(Math.log(us) / Histogram.GROWTH), this.counts.length - 1);
    this.counts[i]++;
    this.count++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  /** The latency below which `p` percent of the recorded requests fall (bucket midpoint, ±0.5%). */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) {
        const mid = Math.exp((i + 0.5) * Histogram.GROWTH) / 1000;
        return Math.min(Math.max(mid, this.min), this.max);
      }
    }
    return this.max;
  }

  get mean(): number {
    return this.count ? this.sum / this.count : Number.NaN;
  }
}

export interface CpuSplit {
  /** Cores busy on the whole machine during the window (from /proc/stat), e.g. 1.93 of 2. */
  machineCores: number | null;
  /** Cores the PostgreSQL backends of the database under test used (null without /proc). */
  postgresCores: number | null;
  /** Cores this process (the load generator) used. */
  clientCores: number;
}

export interface LoadResult {
  transport: 'raw' | 'http';
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  errors: number;
  warmupErrors: number;
  /** A few of the failures, as text. */
  errorSamples: string[];
  meanBytes: number;
  latencyMs: { min: number; mean: number; p50: number; p90: number; p99: number; p999: number; max: number };
  cpu: CpuSplit;
}

export interface RawRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** Sent with Content-Length; form bodies are `application/x-www-form-urlencoded`. */
  body?: string;
  contentType?: string;
}

/** The bytes of one HTTP/1.1 keep-alive request. */
export function encodeRequest(host: string, port: number, r: RawRequest): Buffer {
  const body = r.body === undefined ? null : Buffer.from(r.body, 'utf8');
  let head = `${r.method} ${r.path} HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: application/json\r\nConnection: keep-alive\r\n`;
  if (body) head += `Content-Type: ${r.contentType ?? 'application/x-www-form-urlencoded'}\r\nContent-Length: ${body.length}\r\n`;
  for (const [k, v] of Object.entries(r.headers ?? {})) head += `${k}: ${v}\r\n`;
  const h = Buffer.from(`${head}\r\n`, 'latin1');
  return body ? Buffer.concat([h, body]) : h;
}

export interface RawLoadOptions {
  host: string;
  port: number;
  /** The whole request, encoded (see encodeRequest); called once per request. */
  request: () => Buffer;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  expectStatus?: number;
  timeoutMs?: number;
  postgresDatabase?: string;
  onWindow?: (phase: 'start' | 'end') => void;
}

/** LoadResult plus the 95th percentile (the read targets are p95). */
export type RawLoadResult = LoadResult & { p95: number };

/** One unit of work of the closed loop: resolves with an HTTP-like status (200 = success). */
type Send = () => Promise<{ status: number; bytes: number }>;

/**
 * The closed loop of every generator here: `connections` loops each awaiting `send()`, a warm-up,
 * then a measured window. `open` replaces a worker's transport after a failure.
 */
async function closedLoop(
  o: { connections: number; warmupSeconds: number; durationSeconds: number; expectStatus?: number; postgresDatabase?: string; onWindow?: (p: 'start' | 'end') => void },
  transport: 'raw' | 'http',
  open: () => Promise<{ send: Send; close(): void }>,
): Promise<RawLoadResult> {
  const expect = o.expectStatus ?? 200;
  const histogram = new Histogram();
  let measuring = false;
  let stopped = false;
  let requests = 0;
  let bytes = 0;
  let errors = 0;
  let warmupErrors = 0;
  const errorSamples: string[] = [];
  const fail = (message: string) => {
    if (measuring) errors++;
    else warmupErrors++;
    if (errorSamples.length < 5) errorSamples.push(message);
  };
  const conns = await Promise.all(Array.from({ length: o.connections }, () => open()));
  let fatal: Error | null = null;
  let wake = () => {};
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function worker(i: number) {
    let conn = conns[i];
    while (!stopped) {
      const started = performance.now();
      try {
        const answer = await conn.send();
        const ended = performance.now();
        if (stopped || !measuring) {
          if (answer.status !== expect && !stopped) fail(`HTTP ${answer.status} (warm-up)`);
          continue;
        }
        if (answer.status !== expect) {
          fail(`HTTP ${answer.status}`);
          continue;
        }
        requests++;
        bytes += answer.bytes;
        histogram.record(ended - started);
      } catch (err) {
        if (stopped) break;
        fail((err as Error).message);
        conn.close();
        try {
          conn = conns[i] = await open();
        } catch (e) {
          // The server is gone: stop everything now rather than spin on failures.
          fatal ??= new Error(`cannot reconnect to the server: ${(e as Error).message}`);
          stopped = true;
          wake();
          return;
        }
      }
    }
  }
  const workers = conns.map((_, i) =>
    worker(i).catch((e: Error) => {
      fatal ??= e;
      stopped = true;
      wake();
    }),
  );
  await wait(o.warmupSeconds * 1000);
  if (fatal) {
    await Promise.all(workers);
    for (const c of conns) c.close();
    throw fatal;
  }
  const cpu0 = process.cpuUsage();
  const machine0 = machineCpu(o.postgresDatabase);
  const t0 = performance.now();
  measuring = true;
  o.onWindow?.('start');
  if (!fatal) await wait(o.durationSeconds * 1000);
  stopped = true;
  measuring = false;
  const t1 = performance.now();
  o.onWindow?.('end');
  const cpu1 = process.cpuUsage(cpu0);
  const machine1 = machineCpu(o.postgresDatabase);
  await Promise.all(workers);
  for (const c of conns) c.close();
  if (fatal) throw fatal;

  const seconds = (t1 - t0) / 1000;
  const window = machine0 && machine1 && machine1.total > machine0.total ? machine1.total - machine0.total : 0;
  const pgJiffies = window ? postgresJiffiesBetween(machine0!, machine1!) : 0;
  const cpu: CpuSplit = {
    machineCores: window ? ((machine1!.busy - machine0!.busy) / window) * machine1!.cores : null,
    postgresCores: window ? (pgJiffies / window) * machine1!.cores : null,
    clientCores: (cpu1.user + cpu1.system) / 1000 / (t1 - t0),
  };
  return {
    transport,
    connections: o.connections,
    seconds,
    requests,
    requestsPerSecond: requests / seconds,
    errors,
    warmupErrors,
    errorSamples,
    meanBytes: requests ? bytes / requests : 0,
    latencyMs: {
      min: histogram.count ? histogram.min : Number.NaN,
      mean: histogram.mean,
      p50: histogram.percentile(50),
      p90: histogram.percentile(90),
      p99: histogram.percentile(99),
      p999: histogram.percentile(99.9),
      max: histogram.count ? histogram.max : Number.NaN,
    },
    cpu,
    p95: histogram.percentile(95),
  };
}

/** HTTP load with pre-encoded requests on raw keep-alive sockets. */
export function runRawLoad(o: RawLoadOptions): Promise<RawLoadResult> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const open = () =>
    new Promise<{ send: Send; close(): void }>((resolve, reject) => {
      const socket = net.connect({ host: o.host, port: o.port, noDelay: true });
      socket.once('connect', () => {
        socket.off('error', reject);
        const c = new RawConnection(socket, timeoutMs);
        resolve({ send: () => c.send(o.request()), close: () => c.close() });
      });
      socket.once('error', reject);
    });
  return closedLoop(o, 'raw', open);
}

/**
 * The same closed loop around `work()` (e.g. an INSERT through a pg.Pool): `connections`
 * concurrent callers, each calling again as soon as its previous call settled. A throw is a failure.
 */
export function runPgLoad(o: Omit<RawLoadOptions, 'host' | 'port' | 'request' | 'timeoutMs'> & { work: () => Promise<unknown> }): Promise<RawLoadResult> {
  const open = async () => ({
    send: async () => {
      await o.work();
      return { status: 200, bytes: 0 };
    },
    close() {},
  });
  return closedLoop(o, 'raw', open);
}


/** Options of `runLoad`: plain GETs. */
export interface LoadOptions {
  host: string;
  port: number;
  /** The path of each request; called once per request (rotate through several, or return one). */
  path: () => string;
  headers?: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Only this status counts as a success. */
  expectStatus?: number;
  /** A request unanswered after this long fails (and its connection is replaced). */
  timeoutMs?: number;
  transport?: 'raw' | 'http';
  /** Count only the PostgreSQL backends connected to this database (default: every postgres process). */
  postgresDatabase?: string;
  /** Called as measuring starts and ends (after the warm-up), e.g. to sample the server's CPU. */
  onWindow?: (phase: 'start' | 'end') => void;
}

/**
 * `GET <path()>` with `headers`: through `runRawLoad` (each distinct path encoded once) or, with
 * `transport: 'http'`, node:http. The result is a `LoadResult` (no p95 field).
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  let result: RawLoadResult;
  if ((o.transport ?? 'raw') === 'raw') {
    const encoded = new Map<string, Buffer>();
    const request = () => {
      const path = o.path();
      let b = encoded.get(path);
      if (!b) {
        b = encodeRequest(o.host, o.port, { method: 'GET', path, headers: o.headers });
        encoded.set(path, b);
      }
      return b;
    };
    result = await runRawLoad({ ...o, request });
  } else {
    result = await closedLoop(o, 'http', httpConnector(o, o.timeoutMs ?? 30_000));
  }
  const { p95: _p95, ...load } = result;
  return load;
}

interface CpuSnapshot {
  busy: number;
  total: number;
  cores: number;
  /** Jiffies used so far by each PostgreSQL process counted, by pid. */
  postgres: Map<string, number>;
  /** The same for every PostgreSQL process, counted or not. */
  all: Map<string, number>;
  /** The postmaster's reaped children's jiffies (cutime + cstime): what ended processes used. */
  reaped: number;
}

/**
 * Busy and total jiffies of all cores, from /proc/stat, and those used so far by PostgreSQL
 * processes (named `postgres`; with `database`, only the backends connected to it, whose title
 * reads "postgres: … user database host", and their parallel workers, "postgres: parallel worker
 * for PID n", which work for it too); null where there is no /proc.
 */
export function machineCpu(database?: string): CpuSnapshot | null {
  try {
    const lines = fs.readFileSync('/proc/stat', 'utf8').split('\n');
    const fields = lines[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const cores = lines.filter((l) => /^cpu\d+ /.test(l)).length;
    const postgres = new Map<string, number>();
    const all = new Map<string, number>();
    const workers: { pid: string; leader: string; jiffies: number }[] = [];
    let reaped = 0;
    for (const p of postgresProcesses()) {
      all.set(p.pid, p.jiffies);
      if (!p.title.startsWith('postgres: ')) reaped += p.reaped;
      const worker = /parallel worker for PID (\d+)/.exec(p.title);
      if (worker) workers.push({ pid: p.pid, leader: worker[1], jiffies: p.jiffies });
      else if (!database || p.title.includes(` ${database} `)) postgres.set(p.pid, p.jiffies);
    }
    for (const w of workers) if (!database || postgres.has(w.leader)) postgres.set(w.pid, w.jiffies);
    return { busy: total - idle, total, cores, postgres, all, reaped };
  } catch {
    return null;
  }
}

/**
 * The jiffies PostgreSQL used between two snapshots: those of the processes counted, and those of
 * the processes that ended meanwhile (a parallel worker lives for one query, often shorter than a
 * window): the postmaster's reaped time grew by all they ever used, less what they had used by the
 * first snapshot. The ended ones are not told apart by database: on a quiet machine they are ours.
 */
export function postgresJiffiesBetween(a: CpuSnapshot, b: CpuSnapshot): number {
  let n = 0;
  for (const [pid, j] of b.postgres) n += Math.max(0, j - (a.postgres.get(pid) ?? 0));
  let ended = b.reaped - a.reaped;
  for (const [pid, j] of a.all) if (!b.all.has(pid)) ended -= j;
  return n + Math.max(0, ended);
}

/**
 * Each process named `postgres`: its pid, the jiffies it used so far (utime + stime), those of its
 * children it has reaped (cutime + cstime) and its title ("postgres: … user database host").
 * Throws where there is no /proc.
 */
function* postgresProcesses(): Generator<{ pid: string; jiffies: number; reaped: number; title: string }> {
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let found: { pid: string; jiffies: number; reaped: number; title: string };
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const rest = stat.slice(close + 2).split(' ');
      const title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      found = { pid, jiffies: Number(rest[11]) + Number(rest[12]), reaped: Number(rest[13]) + Number(rest[14]), title };
    } catch {
      continue; // the process ended meanwhile
    }
    yield found;
  }
}

/**
 * Waits (up to `maxSeconds`) for a second in which the machine is nearly idle: other work on a
 * shared machine (a test run, a browser) takes cores from the server and skews a figure.
 * Returns the cores that were busy in the last second checked.
 */
export async function waitForQuiet(maxSeconds: number, busyBelow = 0.25): Promise<{ quiet: boolean; busyCores: number | null; waitedSeconds: number }> {
  const started = performance.now();
  let busy: number | null = null;
  for (;;) {
    const a = machineCpu();
    await sleep(1000);
    const b = machineCpu();
    if (!a || !b || b.total <= a.total) return { quiet: true, busyCores: null, waitedSeconds: 0 };
    busy = ((b.busy - a.busy) / (b.total - a.total)) * b.cores;
    const waited = (performance.now() - started) / 1000;
    if (busy < busyBelow) return { quiet: true, busyCores: busy, waitedSeconds: waited };
    if (waited >= maxSeconds) return { quiet: false, busyCores: busy, waitedSeconds: waited };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- a minimal HTTP/1.1 response reader (status line; Content-Length or chunked body) -------

const CRLFCRLF = Buffer.from('\r\n\r\n');
type State = 'idle' | 'head' | 'body' | 'chunkSize' | 'chunkData' | 'chunkEnd' | 'trailer';

class RawConnection {
  private state: State = 'idle';
  private head: Buffer | null = null;
  private line = '';
  private remaining = 0;
  private status = 0;
  private bytes = 0;
  private closeAfter = false;
  private dead: Error | null = null;
  private pending: { resolve: (a: { status: number; bytes: number }) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;

  constructor(
    private readonly socket: net.Socket,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      try {
        this.parse(chunk);
      } catch (err) {
        this.abort(err as Error);
      }
    });
    socket.on('error', (err) => this.abort(err));
    socket.on('close', () => this.abort(new Error('connection closed by the server')));
  }

  send(request: Buffer): Promise<{ status: number; bytes: number }> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.abort(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      this.pending = { resolve, reject, timer };
      this.state = 'head';
      this.bytes = 0;
      this.socket.write(request);
    });
  }

  close(): void {
    this.dead ??= new Error('closed');
    this.socket.destroy();
  }

  private abort(err: Error) {
    this.dead ??= err;
    this.socket.destroy();
    const p = this.pending;
    this.pending = null;
    if (p) {
      clearTimeout(p.timer);
      p.reject(err);
    }
  }

  private finish() {
    const p = this.pending;
    this.pending = null;
    this.state = 'idle';
    if (this.closeAfter) this.abort(new Error('server asked to close the connection'));
    if (p) {
      clearTimeout(p.timer);
      p.resolve({ status: this.status, bytes: this.bytes });
    }
  }

  private parse(input: Buffer) {
    let chunk = input;
    let off = 0;
    while (off < chunk.length) {
      switch (this.state) {
        case 'idle':
          throw new Error('data from the server with no request outstanding');
        case 'head': {
          const head = this.head ? Buffer.concat([this.head, chunk.subarray(off)]) : chunk.subarray(off);
          const end = head.indexOf(CRLFCRLF);
          if (end < 0) {
            if (head.length > 65_536) throw new Error('response head larger than 64 KiB');
            this.head = Buffer.from(head);
            return;
          }
          this.head = null;
          this.readHead(head.toString('latin1', 0, end));
          this.bytes += end + 4;
          chunk = head;
          off = end + 4;
          if ((this.state as State) === 'body' && this.remaining === 0) this.finish();
          break;
        }
        case 'body':
        case 'chunkData': {
          const n = Math.min(this.remaining, chunk.length - off);
          this.remaining -= n;
          this.bytes += n;
          off += n;
          if (this.remaining === 0) {
            if (this.state === 'body') this.finish();
            else {
              this.state = 'chunkEnd';
              this.remaining = 2;
            }
          }
          break;
        }
        case 'chunkEnd': {
          const n = Math.min(this.remaining, chunk.length - off);
          this.remaining -= n;
          off += n;
          if (this.remaining === 0) this.state = 'chunkSize';
          break;
        }
        case 'chunkSize':
        case 'trailer': {
          const nl = chunk.indexOf(10, off);
          if (nl < 0) {
            this.line += chunk.toString('latin1', off);
            if (this.line.length > 8192) throw new Error('chunk line too long');
            return;
          }
          const line = (this.line + chunk.toString('latin1', off, nl)).replace(/\r$/, '');
          this.line = '';
          off = nl + 1;
          if (this.state === 'trailer') {
            if (line === '') this.finish();
          } else {
            const size = Number.parseInt(line.split(';')[0], 16);
            if (!Number.isFinite(size)) throw new Error(`bad chunk size "${line}"`);
            if (size === 0) this.state = 'trailer';
            else {
              this.state = 'chunkData';
              this.remaining = size;
            }
          }
          break;
        }
      }
    }
  }

  private readHead(text: string) {
    const lines = text.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
    if (!m) throw new Error(`bad status line "${lines[0].slice(0, 80)}"`);
    this.status = Number(m[1]);
    let length: number | null = null;
    let chunked = false;
    this.closeAfter = false;
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      const name = lines[i].slice(0, colon).toLowerCase();
      if (name === 'content-length') length = Number(lines[i].slice(colon + 1).trim());
      else if (name === 'transfer-encoding') chunked = /chunked/i.test(lines[i]);
      else if (name === 'connection') this.closeAfter = /close/i.test(lines[i]);
    }
    if (chunked) this.state = 'chunkSize';
    else if (length !== null) {
      this.state = 'body';
      this.remaining = length;
    } else if (this.status === 204 || this.status === 304 || this.status < 200) {
      this.state = 'body';
      this.remaining = 0;
    } else {
      throw new Error('response without Content-Length or chunked encoding');
    }
  }
}

// ---- node:http transport (GET only) ---------------------------------------------------------

/** One shared node:http keep-alive Agent (maxSockets = connections) for every worker. */
function httpConnector(o: LoadOptions, timeoutMs: number): () => Promise<{ send: Send; close(): void }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const headers = { accept: 'application/json', ...(o.headers ?? {}) };
  const connection = {
    send: () =>
      new Promise<{ status: number; bytes: number }>((resolve, reject) => {
        const req = http.request({ host: o.host, port: o.port, path: o.path(), agent, headers, timeout: timeoutMs }, (res) => {
          let bytes = 0;
          res.on('data', (c: Buffer) => {
            bytes += c.length;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
          res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', reject);
        req.end();
      }),
    close: () => agent.destroy(),
  };
  return async () => connection;
}
