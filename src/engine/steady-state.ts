// Steady state: before any fault, every steady-state probe must have passed every sample taken in
// the steady-state window (at least one). Afterwards, "recovered" means each has a run of N passes.
import type { Sample } from '../domain/model.js';

export function steadyStateProblem(probes: readonly string[], samplesOf: (p: string) => readonly Sample[], since: number): string | undefined {
  for (const p of probes) {
    const window = samplesOf(p).filter((s) => s.t >= since);
    if (window.length === 0) return `probe "${p}" took no sample in the steady-state window`;
    const bad = window.find((s) => !s.ok);
    if (bad) return `probe "${p}" failed before any fault was injected: ${bad.error ?? 'failed'}`;
  }
  return undefined;
}
