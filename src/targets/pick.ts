// Choosing victims among candidates: all, a count, or a percentage, with a seeded shuffle so that
// the same seed and the same candidates always give the same victims.
import type { PickSpec } from '../domain/experiment.js';

/** How many victims a pick takes from `n` candidates (a percentage rounds up, and takes at least one). */
export function pickCount(pick: PickSpec, n: number): number {
  if (n === 0) return 0;
  if (pick === 'all') return n;
  if ('count' in pick) return Math.min(pick.count, n);
  return Math.min(n, Math.max(1, Math.ceil((n * pick.percent) / 100)));
}

/** A seeded partial Fisher-Yates shuffle; the result keeps the candidates' original order. */
export function pickVictims<T>(candidates: readonly T[], pick: PickSpec, rng: () => number): T[] {
  const k = pickCount(pick, candidates.length);
  if (k === candidates.length) return [...candidates];
  const idx = candidates.map((_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (idx.length - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx
    .slice(0, k)
    .sort((a, b) => a - b)
    .map((i) => candidates[i]!);
}
