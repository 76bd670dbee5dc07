// The probe contract: a probe returns a sample; "unhealthy" is a sample with ok=false, never an exception.
import type { RunContext } from '../domain/context.js';
import type { Sample } from '../domain/model.js';

export interface Probe {
  name: string;
  /** Sampling interval, ms. */
  every: number;
  /** A sample that takes longer fails, ms. */
  timeout: number;
  sample(ctx: RunContext): Promise<Sample>;
  close?(): Promise<void>;
}
