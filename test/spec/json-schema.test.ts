import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_SCHEMA_ID, SCHEDULE_SCHEMA_ID, experimentJsonSchema, publishedSchemas, scheduleJsonSchema } from '../../src/spec/json-schema.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

describe('the published JSON Schemas', () => {
  it.each(publishedSchemas().map((s) => [s.path, s.text]))('%s is the one generated from the zod schema', (path, generated) => {
    // The committed files are what editors and the package exports use; they must never drift.
    expect(readFileSync(join(root, path), 'utf8'), `${path} is stale: run npm run schema`).toBe(generated);
  });

  it('describe the experiment input form: durations are strings with units, defaults are optional', () => {
    const schema = experimentJsonSchema() as { $id: string; title: string; required: string[]; properties: { spec: { required: string[]; properties: Record<string, { description?: string }> } } };
    expect(schema.$id).toBe(EXPERIMENT_SCHEMA_ID);
    expect(schema.title).toBe('faultline experiment');
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(schema.properties.spec.required).toEqual(['driver', 'faults']);
    const text = publishedSchemas().find((s) => s.path === 'schema/experiment.schema.json')!.text;
    expect(text).toContain('"pattern": "^(\\\\d+(\\\\.\\\\d+)?(ms|s|m|h|d))+$"');
    expect(schema.properties.spec.properties.services?.description).toMatch(/Process driver/);
  });

  it('describe the schedule input form', () => {
    const schema = scheduleJsonSchema() as { $id: string; title: string; required: string[]; properties: { spec: { required: string[] } } };
    expect(schema.$id).toBe(SCHEDULE_SCHEMA_ID);
    expect(schema.title).toBe('faultline schedule');
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(schema.properties.spec.required).toEqual(['experiments', 'cadence']);
    expect(JSON.stringify(schema)).toContain('meanTimeBetween');
  });
});
