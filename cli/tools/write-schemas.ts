/** `npm run schema`: writes levels/schema/*.schema.json from the zod schemas. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_FILES, jsonSchemaText } from '../../levels/schema/json-schema.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../levels/schema');
for (const name of Object.keys(SCHEMA_FILES) as (keyof typeof SCHEMA_FILES)[]) {
  writeFileSync(path.join(dir, name), jsonSchemaText(name));
  console.log(`wrote levels/schema/${name}`);
}
