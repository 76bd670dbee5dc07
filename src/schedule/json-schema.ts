// The published JSON Schema for schedule files, generated from the zod schema the loader uses,
// exactly as src/spec/json-schema.ts does for experiments.
import { z } from 'zod';
import { Schedule } from '../domain/schedule.js';

export const SCHEDULE_SCHEMA_ID = 'https://faultline.dev/schema/schedule.schema.json';

export function scheduleJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(Schedule, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCHEDULE_SCHEMA_ID,
    title: 'faultline schedule',
    description: 'A faultline schedule (apiVersion faultline/v1, kind Schedule): which experiments run, in which windows of which time zone, how often, and what a missed objective does.',
    ...rest,
  };
}

/** The schema as committed in schema/schedule.schema.json: two-space indented, with a final newline. */
export function scheduleJsonSchemaText(): string {
  return `${JSON.stringify(scheduleJsonSchema(), null, 2)}\n`;
}
