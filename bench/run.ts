/**
 * `npm run bench` runs every scenario; `npm run bench -- NAME [NAME…]` only those. Options:
 *
 *   --duration=SECONDS     measured per figure (default 10)
 *   --warmup=SECONDS       load before measuring, not counted (default 2)
 *   --connections=N        concurrent connections (default 64)
 *   --transport=raw|http   the load generator's client (default raw; see bench/lib/load.ts)
 *   --pool-size=N          DATABASE_POOL_SIZE of the server under test (default 16)
 *   --quiet-wait=SECONDS   before each measurement, wait up to this long for an idle machine (default 30)
 *   --retries=N            measure again, up to N times, when other processes took CPU (default 2)
 *   --out=DIR              where latest.json and latest.md go (default bench/results)
 *
 * BENCH_POSTGRES_URL names the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres).
 * Exit status: 0 when every request succeeded (targets met or not: `met` says), 1 on any failed
 * request or error, 2 on bad arguments.
 */
import path from 'node:path';
import { BENCH_POSTGRES_URL } from './lib/postgres.js';
import { type Report, type ScenarioReport, machine, targetText, writeReport } from './lib/report.js';
import type { BenchContext, BenchOptions, Scenario } from './lib/scenario.js';
import { dossiers } from './scenarios/dossiers.js';
import { dossiersImport } from './scenarios/dossiers-import.js';
import { feedback } from './scenarios/feedback.js';
import { orgunitsSubtree } from './scenarios/orgunits-subtree.js';
import { tasks } from './scenarios/tasks.js';

export const SCENARIOS: Scenario[] = [orgunitsSubtree, feedback, dossiers, dossiersImport, tasks];

class UsageError extends Error {}

let interrupted = false;

function parseArgs(argv: string[]): { names: string[]; options: BenchOptions; out: string } {
  const options: BenchOptions = {
    duration: 10,
    warmup: 2,
    connections: 64,
    transport: 'raw',
    poolSize: 16,
    retries: 2,
    quietWait: 30,
    postgresUrl: BENCH_POSTGRES_URL,
  };
  let out = path.resolve(import.meta.dirname, 'results');
  const names: string[] = [];
  const positive = (name: string, raw: string, integer: boolean) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`--${name} must be a positive ${integer ? 'whole ' : ''}number, got "${raw}"`);
    return n;
  };
  for (const arg of argv) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
    if (!m) {
      names.push(arg);
      continue;
    }
    const [, key, value = ''] = m;
    if (key === 'duration') options.duration = positive(key, value, false);
    else if (key === 'warmup') options.warmup = Number(value) === 0 ? 0 : positive(key, value, false);
    else if (key === 'connections') options.connections = positive(key, value, true);
    else if (key === 'pool-size') options.poolSize = positive(key, value, true);
    else if (key === 'retries') options.retries = value === '0' ? 0 : positive(key, value, true);
    else if (key === 'quiet-wait') options.quietWait = value === '0' ? 0 : positive(key, value, false);
    else if (key === 'transport') {
      if (value !== 'raw' && value !== 'http') throw new UsageError('--transport must be raw or http');
      options.transport = value;
    } else if (key === 'out') out = path.resolve(value);
    else throw new UsageError(`unknown option --${key}`);
  }
  for (const n of names) {
    if (!SCENARIOS.some((s) => s.name === n)) throw new UsageError(`no scenario "${n}"; there are: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  }
  return { names, options, out };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`bench: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const selected = args.names.length ? SCENARIOS.filter((s) => args.names.includes(s.name)) : SCENARIOS;
  const log = (m: string) => console.log(`[bench] ${m}`);

  const cleanups: (() => Promise<void> | void)[] = [];
  let cleaning: Promise<void> | null = null;
  /** Runs the registered clean-ups, last first; a second caller waits for the same run. */
  const cleanUp = (): Promise<void> =>
    (cleaning ??= (async () => {
      while (cleanups.length) {
        const fn = cleanups.pop()!;
        try {
          await fn();
        } catch (err) {
          console.error(`[bench] clean-up failed: ${(err as Error).message}`);
        }
      }
    })().finally(() => {
      cleaning = null;
    }));
  // A crash outside the scenario's own error handling: clean up all the same.
  process.on('uncaughtException', (err) => {
    console.error('[bench] crashed:', err);
    void cleanUp().finally(() => process.exit(1));
  });
  process.on('unhandledRejection', (err) => {
    console.error('[bench] crashed:', err);
    void cleanUp().finally(() => process.exit(1));
  });
  // Interrupted: still stop the server and drop the database, then exit 130.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`[bench] ${signal}: cleaning up…`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  const startedAt = new Date().toISOString();
  const reports: ScenarioReport[] = [];
  try {
    for (const s of selected) {
      log(`scenario ${s.name}`);
      const ctx: BenchContext = { options: args.options, log, defer: (fn) => cleanups.push(fn) };
      try {
        reports.push(await s.run(ctx));
      } finally {
        await cleanUp();
      }
    }
  } catch (err) {
    if (interrupted) return 130;
    console.error(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
    return 1;
  }

  const report: Report = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    options: { ...args.options, postgresUrl: redact(args.options.postgresUrl) },
    scenarios: reports,
  };
  const files = writeReport(report, args.out);

  console.log('');
  for (const r of reports) {
    for (const f of r.figures) {
      const d = f.unit === 'ms' ? 2 : 0;
      const verdict = f.met === null ? '' : f.met ? '  met' : '  NOT MET';
      console.log(
        `${f.name.padEnd(40)} ${f.value.toFixed(d).padStart(10)} ${f.unit.padEnd(6)} ceiling ${f.ceiling === null ? '—' : f.ceiling.toFixed(d)}  ratio ${f.ratio === null ? '—' : f.ratio.toFixed(3)}  target ${targetText(f.target, f.unit)}${verdict}`,
      );
    }
  }
  console.log(`\nwrote ${path.relative(process.cwd(), files.json)} and ${path.relative(process.cwd(), files.md)}`);
  const errors = reports.reduce((n, r) => n + r.errors, 0);
  if (errors > 0) {
    console.error(`[bench] ${errors} request(s) failed: see the Measurements table`);
    return 1;
  }
  return 0;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
