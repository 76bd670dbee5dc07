// The published JSON Schema for schedule files, generated from the zod schema the loader uses,
// exactly as src/spec/json-schema.ts does for experiments.
import { Schedule } from '../domain/schedule.js';
import { publishedJsonSchema, schemaText } from '../spec/json-schema.js';

export const SCHEDULE_SCHEMA_ID = 'https://faultline.dev/schema/schedule.schema.json';

export function scheduleJsonSchema(): Record<string, unknown> {
  return publishedJsonSchema(Schedule, {
    id: SCHEDULE_SCHEMA_ID,
    title: 'faultline schedule',
    description: 'A faultline schedule (apiVersion faultline/v1, kind Schedule): which experiments run, in which windows of which time zone, how often, and what a missed objective does.',
  });
}

/** The schema as committed in schema/schedule.schema.json. */
export function scheduleJsonSchemaText(): string {
  return schemaText(scheduleJsonSchema());
}
