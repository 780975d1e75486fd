import { loadDemo, DEMO_PASSWORD, DEMO_USERS } from '../demo/load.js';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createKysely } from './db/kysely.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/pool.js';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Cấu hình sai / configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }

  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? undefined : `${config.dataDir}/pglite`,
    poolSize: config.databasePoolSize,
  });
  console.log(`Database: ${database.kind === 'pglite' ? `embedded PGlite in ${database.where}` : `PostgreSQL at ${database.where}`}`);
  const { applied } = await migrate(database.pool);
  if (applied.length) console.log(`Migrations applied: ${applied.join(', ')}`);

  if (config.loadDemo && (await loadDemo(createKysely(database.pool), database.pool))) {
    console.log('Loaded the demo locality (Hải Dương, 2021 — demo data).');
  }

  const app = await buildApp({ config, database, logger: { level: config.logLevel } });
  const sweep = setInterval(() => app.services.auth.sweepSessions().catch(() => {}), 10 * 60_000);
  sweep.unref();
  // Overdue reports and unrated ones past their window: idempotent, safe on every instance.
  const feedbackSweep = setInterval(() => app.services.feedbackSweep.run().catch((err) => app.log.warn({ err }, 'feedback sweep failed')), 60_000);
  feedbackSweep.unref();
  // Task reminders (due soon, overdue): idempotent, safe on every instance.
  const taskSweep = setInterval(() => app.services.taskSweep.run().catch((err) => app.log.warn({ err }, 'task sweep failed')), 5 * 60_000);
  taskSweep.unref();

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing…`);
    clearInterval(sweep);
    clearInterval(feedbackSweep);
    clearInterval(taskSweep);
    await app.close().catch(() => {});
    await database.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`\nĐiều Hành is running at http://localhost:${port}`);
  console.log(`API documentation: http://localhost:${port}/api/docs`);
  if (config.loadDemo) {
    console.log(`Demo accounts (password ${DEMO_PASSWORD}):`);
    for (const u of DEMO_USERS) console.log(`  ${u.username.padEnd(16)} ${u.role.padEnd(14)} ${u.note}`);
  }
}

main().catch((err) => {
  console.error('Điều Hành could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
