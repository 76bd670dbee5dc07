// The human-readable plan of a scenario: every step in the order the game day takes them, and for
// a pick, which files this seed chooses among which.
import { printable } from '../domain/printable.js';
import type { ScenarioPlan } from '../domain/scenario.js';
import { formatDuration } from '../domain/units.js';

export function renderScenarioPlan(plan: ScenarioPlan, experimentPlans: ReadonlyMap<string, string> = new Map()): string {
  const out: string[] = [`scenario ${plan.scenario} (${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}, seed ${plan.seed}${plan.seedGiven ? '' : ' — fresh; pass --seed to reproduce the picks'})`];
  for (const s of plan.steps) {
    if (s.kind === 'gate') out.push(`${s.label}. gate (manual): wait for the facilitator${s.prompt ? `; prompt: ${s.prompt}` : ''}`);
    else if (s.kind === 'wait') out.push(`${s.label}. wait until ${s.probe} (probe of ${s.of}) has recovered, at most ${formatDuration(s.atMost)}; else the scenario ends aborted`);
    else {
      out.push(`${s.label}. experiment ${s.name} (${s.file}, ${s.driver} driver, ${s.faults} fault${s.faults === 1 ? '' : 's'})`);
      if (s.picked) out.push(`   picked from ${s.picked.from} among: ${s.picked.among.join(', ')}`);
      const detail = experimentPlans.get(s.label);
      if (detail) out.push(...detail.split('\n').map((l) => `   ${l}`));
    }
  }
  return out.map((line) => printable(line).replace(/\n/g, ' ')).join('\n');
}
