// Pure reduction of a link's active impairments into what each direction of a connection must do,
// and what happens to a newly accepted connection. Kept free of sockets so it can be reasoned about alone.
import { InvalidInputError } from '../domain/errors.js';
import type { Direction, LinkImpairment } from './types.js';

export interface Shaping {
  delayMs: number;
  jitterMs: number;
  /** 0 = unlimited. */
  bytesPerSecond: number;
  /** Nothing is forwarded; data is held until the stall lifts. */
  stalled: boolean;
}

export const UNSHAPED: Readonly<Shaping> = Object.freeze({ delayMs: 0, jitterMs: 0, bytesPerSecond: 0, stalled: false });

export function isShaped(s: Shaping): boolean {
  return s.stalled || s.delayMs > 0 || s.jitterMs > 0 || s.bytesPerSecond > 0;
}

function covers(direction: Direction, side: 'up' | 'down'): boolean {
  return direction === 'both' || direction === side;
}

/** Latencies on the same direction add up; the tightest bandwidth wins. */
export function shapingFor(impairments: Iterable<LinkImpairment>, side: 'up' | 'down'): Shaping {
  let delayMs = 0;
  let jitterMs = 0;
  let bytesPerSecond = 0;
  let stalled = false;
  for (const imp of impairments) {
    switch (imp.kind) {
      case 'latency':
        if (covers(imp.direction, side)) {
          delayMs += imp.delayMs;
          jitterMs += imp.jitterMs;
        }
        break;
      case 'bandwidth':
        if (covers(imp.direction, side) && (bytesPerSecond === 0 || imp.bytesPerSecond < bytesPerSecond)) {
          bytesPerSecond = imp.bytesPerSecond;
        }
        break;
      case 'timeout':
        stalled = true;
        break;
      case 'partition':
        if (covers(imp.direction, side)) stalled = true;
        break;
      case 'loss':
        break;
    }
  }
  if (delayMs === 0 && jitterMs === 0 && bytesPerSecond === 0 && !stalled) return UNSHAPED;
  return { delayMs, jitterMs, bytesPerSecond, stalled };
}

export type Admission = 'connect' | 'hold' | 'blackhole' | 'reset';

/**
 * What a newly accepted connection gets. A timeout black-holes without consuming randomness; each
 * loss impairment draws once, so a seeded run decides the same connections the same way.
 */
export function admit(impairments: Iterable<LinkImpairment>, rng: () => number): Admission {
  const all = [...impairments];
  if (all.some((i) => i.kind === 'timeout')) return 'blackhole';
  for (const imp of all) {
    if (imp.kind === 'loss' && rng() * 100 < imp.percent) return imp.mode === 'drop' ? 'blackhole' : 'reset';
  }
  return all.some((i) => i.kind === 'partition') ? 'hold' : 'connect';
}

/** Held connections may go upstream once nothing that holds them is left. */
export function mayConnect(impairments: Iterable<LinkImpairment>): boolean {
  for (const imp of impairments) if (imp.kind === 'partition' || imp.kind === 'timeout') return false;
  return true;
}

const DIRECTIONS: readonly string[] = ['up', 'down', 'both'];

function finite(name: string, value: unknown, min: number, max = Number.POSITIVE_INFINITY): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `between ${min} and ${max}`;
    throw new InvalidInputError(`${name} must be a number ${range}, got ${String(value)}`);
  }
}

function direction(value: unknown): void {
  if (typeof value !== 'string' || !DIRECTIONS.includes(value)) {
    throw new InvalidInputError(`direction must be one of up, down, both; got ${String(value)}`);
  }
}

export function validateImpairment(imp: LinkImpairment): void {
  switch (imp.kind) {
    case 'latency':
      finite('latency delayMs', imp.delayMs, 0);
      finite('latency jitterMs', imp.jitterMs, 0);
      direction(imp.direction);
      return;
    case 'bandwidth':
      finite('bandwidth bytesPerSecond', imp.bytesPerSecond, 1);
      direction(imp.direction);
      return;
    case 'loss':
      finite('loss percent', imp.percent, 0, 100);
      if (imp.mode !== 'drop' && imp.mode !== 'reset') {
        throw new InvalidInputError(`loss mode must be drop or reset, got ${String(imp.mode)}`);
      }
      return;
    case 'timeout':
      return;
    case 'partition':
      direction(imp.direction);
      return;
    default:
      throw new InvalidInputError(`unknown link impairment kind ${String((imp as { kind: unknown }).kind)}`);
  }
}
