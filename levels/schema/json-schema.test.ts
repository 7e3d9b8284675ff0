import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_FILES, jsonSchemaText } from './json-schema.js';

const dir = path.dirname(fileURLToPath(import.meta.url));

describe('generated JSON Schema', () => {
  it.each(Object.keys(SCHEMA_FILES))(
    '%s is committed and up to date (run npm run schema)',
    (name) => {
      const committed = readFileSync(path.join(dir, name), 'utf8');
      expect(committed).toBe(jsonSchemaText(name as keyof typeof SCHEMA_FILES));
    },
  );

  it('describes the fields an editor should complete', () => {
    const level = JSON.parse(jsonSchemaText('level.schema.json')) as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(level.properties)).toEqual(
      expect.arrayContaining([
        'id',
        'title',
        'briefing',
        'hints',
        'scenario',
        'objectives',
        'stars',
      ]),
    );
    expect(level.required).toContain('scenario');
  });
});
