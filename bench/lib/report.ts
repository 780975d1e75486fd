/** The results of a run: `bench/results/latest.json` and the same as tables in `latest.md`. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './load.js';

/** What a figure must reach: its ratio to the ceiling, or its own value, compared with `value`. */
export interface Target {
  of: 'ratio' | 'value';
  op: '>=' | '<=' | '<' | '>';
  value: number;
}

/** One number an issue asks for, beside its ceiling measured in the same run. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The same quantity for the ceiling (the empty route), measured in the same run; null when none applies. */
  ceiling: number | null;
  /** What the ceiling is. */
  ceilingOf: string | null;
  /** value / ceiling. */
  ratio: number | null;
  /** Null: informational, no target. */
  target: Target | null;
  /** Null when there is no target. */
  met: boolean | null;
  note?: string;
}

/** One load measurement (a route under fixed concurrency), with where the CPU went. */
export interface Measurement {
  name: string;
  request: string;
  load: LoadResult;
  /** Cores the server process used, and its event loop's busy share, during the window. */
  server: { cores: number; eventLoopBusy: number; queriesPerRequest: number; poolWaitingAtEnd: number } | null;
  /** Measurements taken (more than one when other processes disturbed the first). */
  attempts?: number;
  /** Failed requests over every attempt, warm-up included. */
  failedRequests?: number;
}

export interface ScenarioReport {
  name: string;
  description: string;
  /** What was measured and why, in prose, for the md. */
  method: string[];
  database: string;
  dataset: string;
  figures: Figure[];
  measurements: Measurement[];
  /** Failed requests during measurement, over all measurements. */
  errors: number;
  findings?: string[];
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
}

export interface Report {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  options: Record<string, unknown>;
  scenarios: ScenarioReport[];
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function figure(
  f: Omit<Figure, 'ratio' | 'met' | 'ceiling' | 'ceilingOf'> & { ceiling?: number | null; ceilingOf?: string | null },
): Figure {
  const ceiling = f.ceiling ?? null;
  const ratio = ceiling ? f.value / ceiling : null;
  let met: boolean | null = null;
  if (f.target) {
    const x = f.target.of === 'ratio' ? ratio : f.value;
    met = x !== null && Number.isFinite(x) && compare(x, f.target.op, f.target.value);
  }
  return { ...f, ceiling, ceilingOf: f.ceilingOf ?? null, ratio, met };
}

function compare(x: number, op: Target['op'], y: number): boolean {
  switch (op) {
    case '>=':
      return x >= y;
    case '<=':
      return x <= y;
    case '<':
      return x < y;
    case '>':
      return x > y;
  }
}

export function targetText(t: Target | null, unit: string): string {
  if (!t) return '—';
  return t.of === 'ratio' ? `ratio ${t.op} ${t.value}` : `${t.op} ${t.value} ${unit}`;
}

const num = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (x: number) => num(x, x < 10 ? 2 : 1);
const digitsFor = (unit: string) => (unit === 'ms' ? 2 : 0);

/** Cores used by other processes than the server, PostgreSQL and the load generator. */
export function otherCores(x: Measurement): number | null {
  const c = x.load.cpu;
  if (c.machineCores === null || c.postgresCores === null || !x.server) return null;
  return Math.max(0, c.machineCores - x.server.cores - c.postgresCores - c.clientCores);
}

/** Above this many cores used by other processes, a measurement is flagged as disturbed. */
export const DISTURBED = 0.2;

export function toMarkdown(r: Report): string {
  const m = r.machine;
  const out: string[] = [];
  out.push('# Benchmark results', '');
  out.push('Written by `npm run bench` (see `bench/README.md`); do not edit by hand.', '');
  out.push(`- Run: ${r.startedAt} → ${r.finishedAt}`);
  out.push(`- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB memory, ${m.os}`);
  out.push(`- Node: ${m.node}`);
  out.push(`- Options: ${Object.entries(r.options).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  for (const s of r.scenarios) {
    out.push('', `## ${s.name}`, '', s.description, '');
    out.push(`- Database: ${s.database}`);
    out.push(`- Data: ${s.dataset}`);
    out.push(`- Failed requests while measuring: ${s.errors}`);
    out.push('', '### Figures', '');
    out.push('| figure | value | ceiling (same run) | ratio | target | met |');
    out.push('| --- | ---: | ---: | ---: | --- | --- |');
    for (const f of s.figures) {
      const d = digitsFor(f.unit);
      out.push(
        `| ${f.name} | ${num(f.value, d)} ${f.unit} | ${f.ceiling === null ? '—' : `${num(f.ceiling, d)} ${f.unit}`} | ${num(f.ratio, 3)} | ${targetText(f.target, f.unit)} | ${f.met === null ? 'informational' : f.met ? 'yes' : '**no**'} |`,
      );
    }
    const notes = s.figures.filter((f) => f.note);
    if (notes.length) {
      out.push('');
      for (const f of notes) out.push(`- ${f.name}: ${f.note}`);
    }
    out.push('', '### Measurements', '');
    out.push(
      '| measurement | request | conns | req/s | p50 ms | p90 ms | p99 ms | max ms | bytes/resp | SQL/req | errors | CPU cores: machine = server (its loop busy) + PostgreSQL + load gen + other |',
    );
    out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const x of s.measurements) {
      const l = x.load;
      const other = otherCores(x);
      const cpu = `${num(l.cpu.machineCores, 2)} = ${x.server ? `${num(x.server.cores, 2)} (${num(x.server.eventLoopBusy * 100)}%)` : '—'} + ${num(l.cpu.postgresCores, 2)} + ${num(l.cpu.clientCores, 2)} + ${other !== null && other > DISTURBED ? `**${num(other, 2)}**` : num(other, 2)}`;
      out.push(
        `| ${x.name} | \`${x.request}\` | ${l.connections} | ${num(l.requestsPerSecond)} | ${ms(l.latencyMs.p50)} | ${ms(l.latencyMs.p90)} | ${ms(l.latencyMs.p99)} | ${ms(l.latencyMs.max)} | ${num(l.meanBytes)} | ${x.server ? num(x.server.queriesPerRequest, 2) : '—'} | ${x.failedRequests ?? l.errors} | ${cpu}${(x.attempts ?? 1) > 1 ? ` (best of ${x.attempts})` : ''} |`,
      );
    }
    const disturbed = s.measurements.filter((x) => (otherCores(x) ?? 0) > DISTURBED);
    if (disturbed.length) {
      out.push(
        '',
        `**Disturbed:** other processes on the machine used more than ${DISTURBED} core during ${disturbed.map((x) => x.name).join(', ')} (bold above); those figures are lower than the machine can do. Run again on a quiet machine.`,
      );
    }
    out.push('', '### Method', '');
    for (const p of s.method) out.push(`- ${p}`);
    if (s.findings?.length) {
      out.push('', '### Findings', '');
      for (const p of s.findings) out.push(`- ${p}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Writes both files atomically (a reader never sees half a file). */
export function writeReport(r: Report, dir: string): { json: string; md: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'latest.json');
  const md = path.join(dir, 'latest.md');
  const write = (file: string, text: string) => {
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
  };
  const tidy = (_k: string, v: unknown) =>
    typeof v !== 'number' ? v : !Number.isFinite(v) ? null : Number.isInteger(v) ? v : Math.round(v * 1000) / 1000;
  write(json, `${JSON.stringify(r, tidy, 2)}\n`);
  write(md, toMarkdown(r));
  return { json, md };
}
