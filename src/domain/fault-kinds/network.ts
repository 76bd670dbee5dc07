// Latency, bandwidth, loss, timeout and dns: impairments of one target's traffic. Drivers describe
// them by their mechanism (netem, the fault proxy, an ephemeral helper); this is the fallback.
import { z } from 'zod';
import { Duration, Percent, Rate } from '../schema-helpers.js';
import { Direction, d, defineFaultKind, group, target, targetVictims } from './define.js';

export const latency = defineFaultKind({
  params: z.strictObject({
    target,
    delay: Duration,
    jitter: Duration.default(0).meta(d('Uniform random variation, plus or minus. Default 0ms.')),
    direction: Direction.default('from').meta(d('Traffic it applies to: "from" the target (its replies, like netem on its interface), "to" it, or "both". Default from.')),
    peers: z.array(group).optional().meta(d('Docker: only traffic to these targets. Default: all traffic.')),
  }),
  example: { target: 'a', delay: '40ms' },
  instant: false,
  victims: targetVictims,
  describe: (t, p) => `add ${p.delay}ms ±${p.jitter}ms latency to traffic ${p.direction} ${t.name}; revert: remove it`,
});

export const bandwidth = defineFaultKind({
  params: z.strictObject({ target, rate: Rate, direction: Direction.default('from') }),
  example: { target: 'a', rate: '1mbit' },
  instant: false,
  victims: targetVictims,
  describe: (t, p) => `limit traffic ${p.direction} ${t.name} to ${p.rate} bytes/s; revert: remove the limit`,
});

export const loss = defineFaultKind({
  params: z.strictObject({
    target,
    percent: Percent,
    mode: z.enum(['drop', 'reset']).default('drop').meta(d('Process driver: a lost connection is black-holed ("drop") or reset. Default drop.')),
  }),
  example: { target: 'a', percent: '10%' },
  instant: false,
  victims: targetVictims,
  describe: (t, p) => `lose ${p.percent}% of ${t.name}'s traffic (${p.mode}); revert: remove it`,
});

export const timeout = defineFaultKind({
  params: z.strictObject({ target }),
  example: { target: 'a' },
  instant: false,
  victims: targetVictims,
  describe: (t) => `black-hole ${t.name}'s traffic so its clients time out; revert: remove it`,
});

export const dns = defineFaultKind({
  params: z.strictObject({ target }),
  example: { target: 'a' },
  instant: false,
  victims: targetVictims,
  describe: (t) => `make DNS lookups from ${t.name} fail; revert: remove it`,
});
