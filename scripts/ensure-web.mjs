#!/usr/bin/env node
// Builds the web app into web/dist when it is missing or older than its sources, so that
// `npm start` on a fresh clone serves the UI without a separate build step.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'web/dist/index.html');

function newest(dir) {
  let t = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'dist' && entry.name !== 'node_modules') t = Math.max(t, newest(p));
    } else t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

if (!fs.existsSync(path.join(root, 'web'))) process.exit(0);
if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs >= newest(path.join(root, 'web'))) process.exit(0);
console.log('Building the web app (web/dist)…');
const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);
