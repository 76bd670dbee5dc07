import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCHEDULE_SCHEMA_ID, scheduleJsonSchema, scheduleJsonSchemaText } from '../../src/schedule/json-schema.js';

const committed = fileURLToPath(new URL('../../schema/schedule.schema.json', import.meta.url));

describe('the published schedule JSON Schema', () => {
  it('is the one generated from the zod schema (regenerate with UPDATE_SCHEMA=1)', () => {
    const generated = scheduleJsonSchemaText();
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(committed, generated);
    expect(readFileSync(committed, 'utf8'), 'schema/schedule.schema.json is stale: run UPDATE_SCHEMA=1 npx vitest run test/schedule/json-schema.test.ts').toBe(generated);
  });

  it('describes the input form', () => {
    const schema = scheduleJsonSchema() as { $id: string; required: string[]; properties: { spec: { required: string[] } } };
    expect(schema.$id).toBe(SCHEDULE_SCHEMA_ID);
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(schema.properties.spec.required).toEqual(['experiments', 'cadence']);
    expect(scheduleJsonSchemaText()).toContain('meanTimeBetween');
  });
});
