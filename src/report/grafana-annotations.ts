// A run as Grafana annotations: one per fault (a region from its injection to its revert; a point
// for an instant fault such as a kill) and one region for the whole run with its verdicts. Tags
// are `key:value` so a dashboard's annotation query can filter on one experiment, kind or run.
import type { Journal } from '../domain/model.js';
import { STATUS_LABEL, boundText, faultTargets, measuredText, outcome, statusOf } from './format.js';

/** The body of Grafana's `POST /api/annotations` (an organization annotation: no dashboard). */
export interface GrafanaAnnotation {
  /** Epoch milliseconds. */
  time: number;
  /** Epoch milliseconds, after `time`; absent for a point annotation. */
  timeEnd?: number;
  tags: string[];
  text: string;
}

export function grafanaAnnotations(j: Journal): GrafanaAnnotation[] {
  const runTags = ['faultline', `experiment:${j.experiment.name}`, `run:${j.runId}`];
  const targets = faultTargets(j);
  const out: GrafanaAnnotation[] = [];
  for (const f of j.faults) {
    if (f.injectedAt === null) continue;
    const on = targets.get(f.name) ?? [];
    // A held fault never reverted (an unclean run) is shown up to the end of the run, and says so.
    const end = f.instant ? null : (f.revertedAt ?? j.endedAt);
    const held = f.instant ? '' : f.revertedAt === null ? ', NOT reverted' : ', reverted';
    out.push({
      time: Math.floor(f.injectedAt),
      ...(end !== null && Math.floor(end) > Math.floor(f.injectedAt) ? { timeEnd: Math.floor(end) } : {}),
      tags: [...runTags, `fault:${f.name}`, `kind:${f.kind}`],
      text: `faultline: ${f.kind} "${f.name}" on ${on.length ? on.join(', ') : 'no target'}${held} (experiment ${j.experiment.name}, run ${j.runId})`,
    });
  }
  const o = outcome(j);
  const verdicts = j.verdicts.map((v) => `${STATUS_LABEL[statusOf(v)].word} ${v.objective}: ${measuredText(v)} (${boundText(v)})`);
  out.push({
    time: Math.floor(j.startedAt),
    ...(Math.floor(j.endedAt) > Math.floor(j.startedAt) ? { timeEnd: Math.floor(j.endedAt) } : {}),
    tags: [...runTags, `outcome:${o.passed ? 'passed' : 'failed'}`],
    text: [`faultline run of ${j.experiment.name}: ${o.passed ? 'passed' : `failed (${o.problems.join('; ')})`}`, ...verdicts].join('\n'),
  });
  return out;
}
