import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/pool.js';

/** The OpenAPI document the app serves at /api/docs/json (built without touching a database). */
export async function openApiDocument(): Promise<unknown> {
  const database = await openDatabase({ pgliteDir: 'memory://' });
  const app = await buildApp({ config: loadConfig({ LOAD_DEMO: 'false' }), database });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    await database.close();
  }
}
