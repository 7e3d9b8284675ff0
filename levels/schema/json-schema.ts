/**
 * JSON Schema for level and solution files, generated from the zod schemas (one definition, never
 * written twice). The generated files are committed so a `$schema` line gives autocomplete and
 * checking in any editor; `npm run schema` regenerates them and a test fails when they are stale.
 */
import { z } from 'zod';
import { LevelSchema } from './level.js';
import { SolutionSchema } from './solution.js';

export const SCHEMA_FILES = {
  'level.schema.json': LevelSchema,
  'solution.schema.json': SolutionSchema,
} as const;

/** The JSON Schema document for one of the file formats, as pretty-printed text. */
export function jsonSchemaText(name: keyof typeof SCHEMA_FILES): string {
  const schema = z.toJSONSchema(SCHEMA_FILES[name], { io: 'input', unrepresentable: 'any' });
  return (
    JSON.stringify(
      {
        ...schema,
        $id: `https://hyperkata.dev/schema/${name}`,
        title: name === 'level.schema.json' ? 'Hyperkata level' : 'Hyperkata solution',
      },
      null,
      2,
    ) + '\n'
  );
}
