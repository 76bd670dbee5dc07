// The published JSON Schema for experiment files, generated from the zod schema so that editors
// (yaml-language-server, VS Code) validate and complete exactly what the loader accepts.
// It describes the input form: durations and percentages as the strings a user writes.
import { z } from 'zod';
import { Experiment } from '../domain/experiment.js';

export const EXPERIMENT_SCHEMA_ID = 'https://faultline.dev/schema/experiment.schema.json';

/** A zod schema as a published JSON Schema document (input form), with its id, title and description. */
export function publishedJsonSchema(schema: z.ZodType, meta: { id: string; title: string; description: string }): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: meta.id, title: meta.title, description: meta.description, ...rest };
}

/** Two-space indented, with a final newline: the form committed under schema/. */
export function schemaText(doc: Record<string, unknown>): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function experimentJsonSchema(): Record<string, unknown> {
  return publishedJsonSchema(Experiment, {
    id: EXPERIMENT_SCHEMA_ID,
    title: 'faultline experiment',
    description: 'A faultline chaos experiment (apiVersion faultline/v1, kind Experiment): targets, probes, faults and the objectives they are judged by.',
  });
}

/** The schema as committed in schema/experiment.schema.json. */
export function experimentJsonSchemaText(): string {
  return schemaText(experimentJsonSchema());
}
