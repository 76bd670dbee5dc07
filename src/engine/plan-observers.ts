// What `plan` says about the observers: each one's address and the detections that read it, and a
// warning for an alert no loaded rule can raise (Prometheus tells which alerting rules it has). An
// observer that cannot be asked is a warning too: the plan may be made before it is started (a
// Prometheus that is a service of the run itself).
import { type AlertSource } from '../domain/alerts.js';
import type { RunContext } from '../domain/context.js';
import type { Experiment, ObserverSpec } from '../domain/experiment.js';
import type { PlannedObserver } from '../domain/plan.js';
import { createAlertSource } from '../observers/create-alert-source.js';
import { describeDetection } from '../slo/index.js';

export async function planObservers(experiment: Experiment, ctx: RunContext, source: (spec: ObserverSpec) => AlertSource = (s) => createAlertSource(s, ctx.clock)): Promise<PlannedObserver[]> {
  const { spec } = experiment;
  const detections = spec.objectives.flatMap((o) => ('detection' in o ? [o.detection] : []));
  return Promise.all(
    Object.entries(spec.observers).map(async ([name, observer]) => {
      const client = source(observer);
      const mine = detections.filter((d) => d.observer === name);
      const warnings: string[] = [];
      const wanted = [...new Set(mine.map((d) => d.alert ?? d.matchers?.alertname).filter((a): a is string => a !== undefined))];
      if (client.ruleNames && wanted.length) {
        try {
          const loaded = await client.ruleNames(ctx.signal);
          for (const alert of wanted.filter((a) => !loaded.includes(a))) {
            warnings.push(`no rule named ${alert} is loaded (${loaded.length ? `it has: ${loaded.join(', ')}` : 'it has no alerting rules'})`);
          }
        } catch (e) {
          warnings.push(`could not read its alerting rules: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      return { name, kind: client.kind, url: client.url, detections: mine.map(describeDetection), warnings };
    }),
  );
}
