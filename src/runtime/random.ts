// Seeded random streams. Each purpose (victims of a target group, jitter, loss) draws from its own
// stream derived from the run seed, so adding a fault never changes which victims another picks.
import { randomBytes } from 'node:crypto';
import seedrandom from 'seedrandom';

export function freshSeed(): string {
  return randomBytes(6).toString('hex');
}

export function randomStream(seed: string, purpose: string): () => number {
  return seedrandom(`${seed}/${purpose}`);
}

export function newRunId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
