import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openApiDocument } from './helpers/openapi.js';

test('the committed OpenAPI document (docs/openapi.json) matches the routes; run `npm run openapi` after changing one', async () => {
  const committed = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../docs/openapi.json'), 'utf8'));
  assert.deepEqual(JSON.parse(JSON.stringify(await openApiDocument())), committed);
});
