// Writes docs/openapi.json from the routes' schemas. CI fails when the committed document
// drifts from the code (test/openapi.test.ts): run `npm run openapi` after changing a route.
import fs from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../test/helpers/openapi.js';

const file = path.resolve(import.meta.dirname, '../docs/openapi.json');
fs.writeFileSync(file, `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}`);
