// The human-readable plan: what `faultline plan` prints and `run` shows before the first fault.
import type { Plan } from '../domain/plan.js';
import { printable } from '../domain/printable.js';
import { formatDuration } from '../domain/units.js';

export function renderPlan(plan: Plan): string {
  const out: string[] = [];
  out.push(`experiment ${plan.experiment} (driver ${plan.driver}, seed ${plan.seed}${plan.seedGiven ? '' : ' — fresh; pass --seed to reproduce'})`);
  out.push('targets (frozen for the run):');
  for (const g of plan.groups) {
    out.push(`  ${g.name}: ${g.victims.map((v) => (v.meta.external ? `${v.name} (external)` : v.name)).join(', ')} (${g.victims.length} of ${g.candidates} candidate${g.candidates === 1 ? '' : 's'})`);
  }
  if (plan.steadyState.length) out.push(`steady state: ${plan.steadyState.join(', ')} must pass for ${formatDuration(plan.steadyStateMs)} before any fault`);
  const observers = plan.observers ?? [];
  if (observers.length) out.push('observers:');
  for (const o of observers) {
    out.push(`  ${o.name} (${o.kind} ${o.url})${o.detections.length ? `: ${o.detections.join('; ')}` : ': read by no detection objective'}`);
    for (const w of o.warnings) out.push(`    warning: ${w}`);
  }
  out.push('faults:');
  for (const f of plan.faults) {
    const when = f.instant ? `at +${formatDuration(f.at)}` : `from +${formatDuration(f.at)} for ${formatDuration(f.for ?? 0)}`;
    const expiry = f.instant ? 'instant, nothing left to expire' : `reverted at +${formatDuration(f.at + (f.for ?? 0))}, and on any interrupt or error`;
    out.push(`  ${f.name} (${f.kind}) ${when}; ${expiry}`);
    for (const a of f.actions) out.push(`    - ${a}`);
    if (!f.instant) out.push(`    if faultline dies first: ${f.expiry}`);
  }
  // Target names, actions and expiry texts come from the engine, the cluster or the file.
  return out.map((line) => printable(line).replace(/\n/g, ' ')).join('\n');
}
