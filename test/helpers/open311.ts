import { createOpen311Service } from '../../src/modules/feedback/open311/service.js';
import { createOrgUnitDirectory } from '../../src/platform/orgunits/directory.js';
import type { TestApp } from './app.js';

/**
 * Open311 over the test app's database without the JSON cache, the org-unit tree read on every
 * call: PostgreSQL writes each JSON answer whole, and `requests` gives the rows the TypeScript
 * writer writes.
 */
export function open311WithoutCache(t: TestApp) {
  return createOpen311Service({
    db: t.db,
    directory: createOrgUnitDirectory({ db: t.db, bus: t.app.services.bus, ttlSeconds: 0 }),
    intake: t.app.services.feedbackIntake,
    auth: { fromApiKey: async () => null },
    mediaHosts: [],
  });
}
