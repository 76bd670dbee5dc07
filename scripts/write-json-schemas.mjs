// Writes the published JSON Schemas (schema/*.schema.json) from the built zod schemas.
// Run through `npm run schema`, which builds first; test/spec/json-schema.test.ts fails when the
// committed files differ from what this writes.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { publishedSchemas } = await import('../dist/spec/json-schema.js');
for (const { path, text } of publishedSchemas()) {
  writeFileSync(join(root, path), text);
  console.log(`wrote ${path}`);
}
