// The published JSON Schema for experiment files, generated from the zod schema so that editors
// (yaml-language-server, VS Code) validate and complete exactly what the loader accepts.
// It describes the input form: durations and percentages as the strings a user writes.
import { z } from 'zod';
import { Experiment } from '../domain/experiment.js';

export const EXPERIMENT_SCHEMA_ID = 'https://faultline.dev/schema/experiment.schema.json';

export function experimentJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(Experiment, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: EXPERIMENT_SCHEMA_ID,
    title: 'faultline experiment',
    description: 'A faultline chaos experiment (apiVersion faultline/v1, kind Experiment): targets, probes, faults and the objectives they are judged by.',
    ...rest,
  };
}

/** The schema as committed in schema/experiment.schema.json: two-space indented, with a final newline. */
export function experimentJsonSchemaText(): string {
  return `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`;
}
