/** Starts `bench/server.ts` in a child process and talks to it over IPC. */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { FromServer, ToServer } from '../server.js';

export interface ServerSample {
  cpuMicros: number;
  eluActive: number;
  eluIdle: number;
  at: number;
  queries: number;
  pool: { total: number; idle: number; waiting: number };
}

export interface ServerProcess {
  port: number;
  pid: number;
  /** CPU time and event-loop use of the server so far (difference two to get a window's). */
  sample(): Promise<ServerSample>;
  stop(): Promise<void>;
}

const SERVER = path.resolve(import.meta.dirname, '../server.ts');

export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child: ChildProcess = fork(SERVER, [], {
    // The young generation `npm start` gives the server (package.json); BENCH_SERVER_NODE_ARGS adds
    // flags, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    execArgv: ['--max-semi-space-size=64', '--import', 'tsx', ...(process.env.BENCH_SERVER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const waiting = new Map<number, (s: ServerSample) => void>();
  let exited: Error | null = null;

  const starting = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bench server did not start within 60 s')), 60_000);
    child.on('message', (m: FromServer) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m.port);
      } else if (m.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`the bench server failed: ${m.message}`));
      } else if (m.type === 'mark') {
        waiting.get(m.id)?.({ cpuMicros: m.cpuMicros, eluActive: m.elu.active, eluIdle: m.elu.idle, at: m.at, queries: m.queries, pool: m.pool });
        waiting.delete(m.id);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      exited = new Error(`the bench server exited (${signal ?? code})`);
      reject(exited);
    });
  });
  let port: number;
  try {
    port = await starting;
  } catch (err) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw err;
  }

  // A send on a closed channel is reported here rather than thrown; sample() rejects instead.
  child.on('error', () => {});
  child.on('exit', () => {
    for (const settle of failing.values()) settle(exited ?? new Error('the bench server exited'));
    failing.clear();
    waiting.clear();
  });
  const failing = new Map<number, (e: Error) => void>();
  return {
    port,
    pid: child.pid!,
    sample() {
      if (exited || !child.connected) return Promise.reject(exited ?? new Error('the bench server is gone'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, (s) => {
          failing.delete(id);
          resolve(s);
        });
        failing.set(id, reject);
        child.send({ type: 'mark', id } satisfies ToServer, (err) => {
          if (err) {
            waiting.delete(id);
            failing.delete(id);
            reject(err);
          }
        });
      });
    },
    async stop() {
      if (exited || child.exitCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' } satisfies ToServer, () => {});
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
