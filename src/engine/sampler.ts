// Every probe samples on its own fixed cadence for the whole run. Samples may overlap in flight
// (bounded), so a slow or hanging target does not thin out the samples that measure it: an outage
// is observed as often as health is.
import type { RunContext } from '../domain/context.js';
import type { Sample } from '../domain/model.js';
import type { Probe } from '../probes/probe.js';

export class Sampler {
  private readonly stopper = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly probes: readonly Probe[],
    private readonly ctx: RunContext,
    private readonly onSample: (s: Sample) => void,
  ) {}

  start(): void {
    // Probes get a signal that never fires: an interrupt must not turn in-flight samples into
    // failures. Each sample is bounded by its probe's own timeout instead.
    const ctx: RunContext = { ...this.ctx, signal: new AbortController().signal };
    for (const p of this.probes) this.loops.push(this.loop(p, ctx));
  }

  private async loop(probe: Probe, ctx: RunContext): Promise<void> {
    const maxInflight = Math.ceil(probe.timeout / probe.every) + 1;
    const mine = new Set<Promise<void>>();
    let next = ctx.clock.now();
    while (!this.stopper.signal.aborted) {
      if (mine.size >= maxInflight) await Promise.race(mine);
      // A sample in flight when sampling stops still started before it: it is kept.
      const p = probe.sample(ctx).then(this.onSample);
      const tracked = p.finally(() => {
        mine.delete(tracked);
        this.inflight.delete(tracked);
      });
      mine.add(tracked);
      this.inflight.add(tracked);
      next += probe.every;
      const wait = next - ctx.clock.now();
      // Behind schedule (a stalled event loop): skip missed slots rather than firing a burst.
      if (wait < 0) next = ctx.clock.now();
      try {
        await ctx.clock.sleep(Math.max(0, wait), this.stopper.signal);
      } catch {
        break;
      }
    }
  }

  /** Stops sampling; samples already in flight complete and are kept. */
  async stop(): Promise<void> {
    if (this.stopper.signal.aborted) return;
    this.stopper.abort();
    await Promise.allSettled(this.loops);
    await Promise.allSettled([...this.inflight]);
    await Promise.allSettled(this.probes.map((p) => p.close?.()));
  }
}
