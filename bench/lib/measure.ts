// What the HTTP scenarios share: signing in, rotating pre-encoded requests, the server's CPU over
// a measurement window, one closed-loop load against the server under test, and the measurement
// itself (wait for a quiet machine, measure, take it again while other processes disturbed it).

import { type RawLoadResult, runRawLoad, waitForQuiet } from './load.js';
import { DISTURBED, type Figure, type Measurement, figure, otherCores } from './report.js';
import type { BenchContext, BenchOptions } from './scenario.js';
import type { ServerProcess, ServerSample } from './server-process.js';

export type Load = RawLoadResult;
export type MeasuredLoad = Measurement & { load: Load };
/** Runs one load; calls `onWindow` at the start and at the end of the measured window. */
export type LoadRun = (onWindow: () => void) => Promise<Load>;

/** Signs in through the API; the session cookie (`dh_session=…`) to send with every request. */
export async function signIn(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('dh_session='));
  if (!session) throw new Error('sign-in gave no dh_session cookie');
  return session.split(';')[0];
}

/** Cycles through a fixed list of pre-encoded requests. */
export function rotation(list: Buffer[]): () => Buffer {
  let i = 0;
  return () => list[i++ % list.length];
}

/** The server process's share of a window between two of its samples. */
export function windowOf(a: ServerSample, b: ServerSample, requests: number): Measurement['server'] {
  const wall = b.at - a.at;
  const active = b.eluActive - a.eluActive;
  const idle = b.eluIdle - a.eluIdle;
  return {
    cores: (b.cpuMicros - a.cpuMicros) / 1000 / wall,
    eventLoopBusy: active / (active + idle),
    queriesPerRequest: requests ? (b.queries - a.queries) / requests : 0,
    poolWaitingAtEnd: b.pool.waiting,
  };
}

/** A closed-loop load of `requests` on `connections` keep-alive sockets against the server under test. */
export function rawHttp(server: ServerProcess, options: BenchOptions, database: string) {
  return (requests: () => Buffer, connections: number, opts: { expectStatus?: number; warmup?: number; duration?: number } = {}): LoadRun =>
    (onWindow) =>
      runRawLoad({
        host: '127.0.0.1',
        port: server.port,
        request: requests,
        connections,
        warmupSeconds: opts.warmup ?? options.warmup,
        durationSeconds: opts.duration ?? options.duration,
        expectStatus: opts.expectStatus ?? 200,
        // A slow answer is a slow figure, not a failure; and no request is left running in the
        // server when the measurement ends (it would disturb the next one).
        timeoutMs: 300_000,
        postgresDatabase: database,
        onWindow,
      });
}

/**
 * `measure(name, request, run)`: waits for a quiet machine, runs the load and samples the server
 * around its window; measures again while other processes took CPU (up to `retries` times),
 * keeping the least disturbed attempt; appends it to `measurements`.
 */
export function createMeasurer(ctx: BenchContext, server: ServerProcess, measurements: Measurement[]) {
  const o = ctx.options;

  async function measureOnce(name: string, request: string, run: LoadRun, withServer: boolean): Promise<MeasuredLoad> {
    if (o.quietWait > 0) {
      const q = await waitForQuiet(o.quietWait);
      if (!q.quiet) ctx.log(`  the machine is busy (${q.busyCores?.toFixed(2)} cores used by others after ${Math.round(q.waitedSeconds)} s): measuring anyway`);
      else if (q.waitedSeconds > 1.5) ctx.log(`  waited ${Math.round(q.waitedSeconds)} s for the machine to be idle`);
    }
    const samples: Promise<ServerSample | Error>[] = [];
    const load = await run(() => {
      samples.push(server.sample().then((x) => x, (e: Error) => e));
    });
    let srv: Measurement['server'] = null;
    if (withServer) {
      const [a, b] = await Promise.all(samples);
      if (a instanceof Error) throw a;
      if (b instanceof Error) throw b;
      srv = windowOf(a, b, load.requests);
    }
    const m: MeasuredLoad = { name, request, load, server: srv, attempts: 1 };
    const l = load.latencyMs;
    ctx.log(
      `  ${Math.round(load.requestsPerSecond)} req/s, p50 ${l.p50.toFixed(2)} ms, p95 ${load.p95.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, ${load.errors} errors; ` +
        `CPU cores: machine ${load.cpu.machineCores?.toFixed(2)} = server ${srv ? srv.cores.toFixed(2) : '—'} + PostgreSQL ${load.cpu.postgresCores?.toFixed(2)} + load gen ${load.cpu.clientCores.toFixed(2)} + other ${otherCores(m)?.toFixed(2) ?? '—'}` +
        (srv ? `; ${srv.queriesPerRequest.toFixed(2)} SQL/req` : ''),
    );
    if (load.errorSamples.length) ctx.log(`  failures: ${load.errorSamples.join(' | ')}`);
    return m;
  }

  const other = (m: MeasuredLoad) =>
    otherCores(m) ?? (m.load.cpu.machineCores === null || m.load.cpu.postgresCores === null ? 0 : Math.max(0, m.load.cpu.machineCores - m.load.cpu.postgresCores - m.load.cpu.clientCores));

  return async function measure(name: string, request: string, run: LoadRun, withServer = true): Promise<MeasuredLoad> {
    ctx.log(`measuring ${name}: ${request} …`);
    let best = await measureOnce(name, request, run, withServer);
    let errors = best.load.errors + best.load.warmupErrors;
    for (let attempt = 2; attempt <= o.retries + 1 && other(best) > DISTURBED; attempt++) {
      ctx.log(`  disturbed by other processes: measuring ${name} again (attempt ${attempt})`);
      const m = await measureOnce(name, request, run, withServer);
      errors += m.load.errors + m.load.warmupErrors;
      if (other(m) < other(best)) best = m;
      best.attempts = attempt;
    }
    best.failedRequests = errors;
    measurements.push(best);
    return best;
  };
}

/**
 * The latency and throughput figures of a scenario's reads, each beside the empty route measured
 * in the same run (`empty`, described by `emptyOf`): `ms(name, m, 'p95', target, note)` and
 * `rps(name, m)`, named `<scenario>.<name>.<key>`.
 */
export function readFigures(scenario: string, empty: Load, emptyOf: string) {
  const ms = (name: string, m: MeasuredLoad, key: 'p50' | 'p95' | 'p99', target: Figure['target'] = null, note?: string) =>
    figure({
      name: `${scenario}.${name}.${key}`,
      value: key === 'p95' ? m.load.p95 : m.load.latencyMs[key],
      unit: 'ms',
      ceiling: key === 'p95' ? empty.p95 : empty.latencyMs[key],
      ceilingOf: `${emptyOf}, ${key}`,
      target,
      note,
    });
  const rps = (name: string, m: MeasuredLoad) =>
    figure({ name: `${scenario}.${name}.rps`, value: m.load.requestsPerSecond, unit: 'req/s', ceiling: empty.requestsPerSecond, ceilingOf: emptyOf, target: null });
  return { ms, rps };
}
