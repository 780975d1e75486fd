#!/usr/bin/env node
// Runs every test tier this machine can run, in one node:test run so one summary closes it:
// unit tests beside the code, integration tests on PGlite and (when reachable) PostgreSQL,
// end-to-end tests in Chromium (when installed). REQUIRE_ALL_TIERS=1 (set by .ci/run) turns
// a tier that cannot run into a failure instead of a skip.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);

function find(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') find(p, out);
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(path.relative(root, p));
  }
  return out;
}

let files = [...find(path.join(root, 'src')), ...find(path.join(root, 'test'))].sort();
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));

const e2e = files.filter((f) => f.startsWith('test/e2e/'));
if (e2e.length) {
  // The browser tier drives the built web app.
  const built = spawnSync(process.execPath, [path.join(root, 'scripts/ensure-web.mjs')], { stdio: 'inherit', cwd: root });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const run = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=180000', ...files], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, NODE_ENV: 'test' },
});
// A kill of this script (CI's timeout, a process manager) stops the run too: the runner then
// ends its test files, their servers and browsers, instead of being left running alone.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => run.kill(signal));
run.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
