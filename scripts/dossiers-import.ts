// Imports a file of dossiers from the command line, through the same service as the import screen:
//
//   npm run dossiers:import -- --source=CODE --file=PATH [--mapping=auto|mapping.json] [--dry-run] [--skip-invalid]
//
// It opens the database the server would (DATABASE_URL, or the embedded one in DATA_DIR: stop the
// server first, the embedded database has one user), prints the progress and the report, and
// exits 0 when the file was checked or imported without a bad row, 1 otherwise (2: bad arguments).
// Ctrl-C cancels: the import rolls back and nothing of it stays.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/pool.js';
import type { RunReport } from '../src/modules/dossiers/import-run.js';
import type { ColumnMapping } from '../src/modules/dossiers/import/mapping.js';
import { inspectDossierFile } from '../src/modules/dossiers/import/read.js';
import type { Actor } from '../src/platform/auth/actor.js';
import { AppError } from '../src/platform/errors/errors.js';

class UsageError extends Error {}

const USAGE = 'usage: npm run dossiers:import -- --source=CODE --file=PATH [--mapping=auto|mapping.json] [--dry-run] [--skip-invalid]';

function parseArgs(argv: string[]) {
  const args = { source: '', file: '', mapping: 'auto', dryRun: false, skipInvalid: false };
  for (const arg of argv) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unexpected argument "${arg}"`);
    const [, key, value] = m;
    if (key === 'source' && value) args.source = value;
    else if (key === 'file' && value) args.file = value;
    else if (key === 'mapping' && value) args.mapping = value;
    else if (key === 'dry-run' && value === undefined) args.dryRun = true;
    else if (key === 'skip-invalid' && value === undefined) args.skipInvalid = true;
    else throw new UsageError(`unknown or incomplete option "${arg}"`);
  }
  if (!args.source || !args.file) throw new UsageError('--source and --file are required');
  if (args.dryRun && args.skipInvalid) throw new UsageError('--skip-invalid applies to an import, not to --dry-run');
  return args;
}

const n = (x: number) => x.toLocaleString('vi-VN');

function progressLine(r: RunReport): string {
  const share = r.bytesTotal ? ` (${Math.floor((r.bytesRead / r.bytesTotal) * 100)}%)` : '';
  const phase = r.phase === 'reading' ? 'đọc' : r.phase === 'merging' ? 'đối chiếu với hồ sơ đã có' : r.phase === 'writing' ? 'ghi' : 'xong';
  return `[${phase}] ${n(r.rowsRead)} dòng${share}: ${n(r.rowsOk)} hợp lệ, ${n(r.rowsBad)} lỗi`;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  let config: ReturnType<typeof loadConfig>;
  try {
    args = parseArgs(process.argv.slice(2));
    config = loadConfig({ ...process.env, LOAD_DEMO: 'false' });
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      console.error(`dossiers:import: ${err.message}\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  const file = path.resolve(args.file);
  const bytes = fs.statSync(file).size;
  const inspection = await inspectDossierFile(fs.createReadStream(file, { highWaterMark: 1 << 20 }));
  let mapping: ColumnMapping = inspection.mapping;
  if (args.mapping !== 'auto') mapping = JSON.parse(fs.readFileSync(path.resolve(args.mapping), 'utf8')) as ColumnMapping;
  else if (inspection.problems.length > 0) {
    console.error(`Không tự ghép được cột của tệp: ${inspection.problems.map((p) => p.message).join(' ')}`);
    console.error(`Hãy viết cách ghép vào một tệp JSON ({ "headerLine": ${inspection.headerLine}, "columns": { "code": 0, … } }) và dùng --mapping=tep.json.`);
    return 1;
  }

  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? undefined : `${config.dataDir}/pglite`,
    poolSize: 2,
  });
  await migrate(database.pool);
  const app = await buildApp({ config, database });
  const imports = app.services.dossierImports;
  const actor: Actor = { kind: 'user', userId: null, apiKeyId: null, username: `cli:${os.userInfo().username}`, grants: [], sessionId: null, csrfToken: null, ip: 'cli' };

  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    console.error('\nĐang hủy: lần nhập được hoàn tác…');
    void imports.stopAll();
  });
  console.log(`${args.dryRun ? 'Kiểm tra' : 'Nhập'} ${path.basename(file)} (${n(bytes)} byte, ${inspection.format}${inspection.encoding ? `, ${inspection.encoding}` : ''}) vào nguồn ${args.source} — ${database.kind === 'pglite' ? `PGlite ${database.where}` : `PostgreSQL ${database.where}`}`);
  let last = 0;
  const started = Date.now();
  try {
    const { import: result, report } = await imports.runFile({
      sourceCode: args.source,
      fileName: path.basename(file),
      bytes,
      stream: fs.createReadStream(file, { highWaterMark: 1 << 20 }),
      format: inspection.format,
      header: inspection.header,
      mapping,
      encoding: inspection.encoding,
      mode: args.dryRun ? 'check' : 'import',
      skipInvalid: args.skipInvalid,
      actor,
      onProgress: (r) => {
        if (Date.now() - last < 500) return;
        last = Date.now();
        console.log(progressLine(r));
      },
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(`\nLần nhập số ${result.id}: ${result.state} sau ${seconds.toFixed(1)} giây`);
    console.log(`  dòng đã đọc ${n(result.rowsRead)}, hợp lệ ${n(result.rowsOk)}, lỗi ${n(result.rowsBad)}, lặp lại y hệt ${n(result.rowsWarned)}`);
    if (!args.dryRun) console.log(`  tạo mới ${n(result.rowsCreated)}, cập nhật ${n(result.rowsUpdated)}, không đổi ${n(result.rowsUnchanged)} (${n(Math.round(result.rowsRead / seconds))} dòng/giây)`);
    for (const p of report.problems.slice(0, 20)) console.log(`  dòng ${p.line ?? '—'}${p.field ? ` [${p.field}]` : ''}: ${p.message}`);
    if (report.problemsTotal > 20) console.log(`  … và ${n(report.problemsTotal - 20)} vấn đề khác (GET /api/v1/dossiers/imports/${result.id}/problems)`);
    if (result.error) console.error(`\n${result.error}`);
    const ok = (result.state === 'imported' || result.state === 'checked') && result.rowsBad === 0;
    return interrupted ? 130 : ok ? 0 : 1;
  } catch (err) {
    console.error(err instanceof AppError ? err.message : err);
    return 1;
  } finally {
    await app.close();
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof AppError ? err.message : err);
    process.exit(1);
  },
);
