// The published JSON Schemas for experiment, schedule and scenario files, generated from the zod schemas the
// loader uses, so that editors (yaml-language-server, VS Code) validate and complete exactly what
// the loader accepts. They describe the input form: durations and percentages as a user writes them.
// `npm run schema` writes them under schema/; a test fails when the committed files drift.
import { z } from 'zod';
import { Experiment } from '../domain/experiment.js';
import { Scenario } from '../domain/scenario.js';
import { Schedule } from '../domain/schedule.js';

export const EXPERIMENT_SCHEMA_ID = 'https://faultline.dev/schema/experiment.schema.json';
export const SCHEDULE_SCHEMA_ID = 'https://faultline.dev/schema/schedule.schema.json';
export const SCENARIO_SCHEMA_ID = 'https://faultline.dev/schema/scenario.schema.json';

/** A zod schema as a published JSON Schema document (input form), with its id, title and description. */
function publishedJsonSchema(schema: z.ZodType, meta: { id: string; title: string; description: string }): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: meta.id, title: meta.title, description: meta.description, ...rest };
}

/** Two-space indented, with a final newline: the form committed under schema/. */
function schemaText(doc: Record<string, unknown>): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function experimentJsonSchema(): Record<string, unknown> {
  return publishedJsonSchema(Experiment, {
    id: EXPERIMENT_SCHEMA_ID,
    title: 'faultline experiment',
    description: 'A faultline chaos experiment (apiVersion faultline/v1, kind Experiment): targets, probes, faults and the objectives they are judged by.',
  });
}

export function scheduleJsonSchema(): Record<string, unknown> {
  return publishedJsonSchema(Schedule, {
    id: SCHEDULE_SCHEMA_ID,
    title: 'faultline schedule',
    description: 'A faultline schedule (apiVersion faultline/v1, kind Schedule): which experiments run, in which windows of which time zone, how often, and what a missed objective does.',
  });
}

export function scenarioJsonSchema(): Record<string, unknown> {
  return publishedJsonSchema(Scenario, {
    id: SCENARIO_SCHEMA_ID,
    title: 'faultline scenario',
    description: 'A faultline game-day scenario (apiVersion faultline/v1, kind Scenario): experiments in order, manual gates, waits until a probe has recovered, and seeded picks among a folder of experiments.',
  });
}

/** Every published schema: its path in the package and its text as committed. */
export function publishedSchemas(): { path: string; text: string }[] {
  return [
    { path: 'schema/experiment.schema.json', text: schemaText(experimentJsonSchema()) },
    { path: 'schema/schedule.schema.json', text: schemaText(scheduleJsonSchema()) },
    { path: 'schema/scenario.schema.json', text: schemaText(scenarioJsonSchema()) },
  ];
}
