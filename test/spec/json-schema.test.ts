import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_SCHEMA_ID, experimentJsonSchema, experimentJsonSchemaText } from '../../src/spec/json-schema.js';

const committed = join(dirname(fileURLToPath(import.meta.url)), '../../schema/experiment.schema.json');

describe('the published JSON Schema', () => {
  it('is the one generated from the zod schema (regenerate with UPDATE_SCHEMA=1)', () => {
    const generated = experimentJsonSchemaText();
    // The committed file is what editors and the package export use; it must never drift.
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(committed, generated);
    expect(readFileSync(committed, 'utf8'), 'schema/experiment.schema.json is stale: run UPDATE_SCHEMA=1 npx vitest run test/spec/json-schema.test.ts').toBe(generated);
  });

  it('describes the input form: durations are strings with units, defaults are optional', () => {
    const schema = experimentJsonSchema() as { $id: string; title: string; required: string[]; properties: { spec: { required: string[]; properties: Record<string, { description?: string }> } } };
    expect(schema.$id).toBe(EXPERIMENT_SCHEMA_ID);
    expect(schema.title).toBe('faultline experiment');
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(schema.properties.spec.required).toEqual(['driver', 'faults']);
    const text = experimentJsonSchemaText();
    expect(text).toContain('"pattern": "^(\\\\d+(\\\\.\\\\d+)?(ms|s|m|h|d))+$"');
    expect(schema.properties.spec.properties.services?.description).toMatch(/Process driver/);
  });
});
