/**
 * The raw closed-loop load generator of `load.ts` for requests that are not a bare GET: each
 * connection writes a whole pre-encoded request (method, head, body) that `request()` returns,
 * e.g. an Open311 `POST requests.json` with a form-encoded body. Same counting as `runLoad`
 * (warm-up not counted, 1%-bucket latency histogram, only `expectStatus` counts as success) and
 * the same CPU split (machine, PostgreSQL backends of the database under test, this process).
 *
 * `load.ts` encodes only `GET <path>`; this file adds what a write needs without changing it.
 * Also here: `runPgLoad`, the same closed loop around a function that talks to PostgreSQL
 * directly (the ceiling of a write: the rows inserted straight through `pg`).
 */
import fs from 'node:fs';
import net from 'node:net';
import { type CpuSplit, Histogram, type LoadResult, machineCpu } from './load.js';

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
 * The closed loop shared by both generators: `workers` loops each awaiting `send()`, a warm-up,
 * then a measured window. `reopen` replaces a worker's transport after a failure.
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
          fatal ??= new Error(`cannot reconnect: ${(e as Error).message}`);
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
  const workers0 = parallelWorkers(o.postgresDatabase);
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
  const workers1 = parallelWorkers(o.postgresDatabase);
  await Promise.all(workers);
  for (const c of conns) c.close();
  if (fatal) throw fatal;

  const seconds = (t1 - t0) / 1000;
  const window = machine0 && machine1 && machine1.total > machine0.total ? machine1.total - machine0.total : 0;
  let pgJiffies = 0;
  if (window) for (const [pid, j] of machine1!.postgres) pgJiffies += Math.max(0, j - (machine0!.postgres.get(pid) ?? 0));
  // Parallel workers of those backends (a Gather in a plan) work for the database under test too.
  if (window) for (const [pid, j] of workers1) pgJiffies += Math.max(0, j - (workers0.get(pid) ?? 0));
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

/**
 * Jiffies used so far by PostgreSQL parallel workers ("postgres: parallel worker for PID n")
 * whose leader is a backend connected to `database`: `machineCpu` counts backends by the
 * database in their title, which a parallel worker's title does not name. A worker lives for
 * one query, so one that ended inside the window is missed: a lower bound.
 */
function parallelWorkers(database?: string): Map<string, number> {
  const found = new Map<string, number>();
  if (!database) return found;
  try {
    const leaders = new Set<string>();
    const workers: { pid: string; leader: string; jiffies: number }[] = [];
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (cmdline.includes(` ${database} `)) leaders.add(pid);
        const m = /parallel worker for PID (\d+)/.exec(cmdline);
        if (m) {
          const rest = stat.slice(close + 2).split(' ');
          workers.push({ pid, leader: m[1], jiffies: Number(rest[11]) + Number(rest[12]) });
        }
      } catch {
        // the process ended meanwhile
      }
    }
    for (const w of workers) if (leaders.has(w.leader)) found.set(w.pid, w.jiffies);
  } catch {
    // no /proc
  }
  return found;
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
