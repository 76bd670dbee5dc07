// pod-delete, pod-kill and container-kill: instant actions on one pod. Nothing to revert; a pod
// gone before the fault reached it is recorded as vanished (its undo says so).
import { z } from 'zod';
import type { FaultKind } from '../../../domain/fault-kinds/catalog.js';
import type { RunContext } from '../../../domain/context.js';
import type { Target } from '../../../domain/model.js';
import type { RevertResult } from '../../driver.js';
import { NOTHING_TO_REVERT } from '../../fault-handler.js';
import { POD, POD_CONTAINERS, type KubernetesFaultHandler } from './handler.js';

const Undo = z.object({ vanished: z.literal(true) }).nullable();
type Undo = z.output<typeof Undo>;

function recorded(t: Target, r: RevertResult, ctx: RunContext): Undo {
  if (!r.vanished) return null;
  ctx.log.warn(r.note ?? `pod ${t.name} vanished before the fault reached it`);
  return { vanished: true };
}

function podFault<K extends FaultKind>(touches: readonly string[], act: KubernetesFaultHandler<K, Undo>['inject']): KubernetesFaultHandler<K, Undo> {
  return {
    touches,
    undo: Undo,
    example: () => ({ vanished: true }),
    inject: act,
    revert: async (_t, undo) => (undo?.vanished ? { vanished: true } : NOTHING_TO_REVERT),
  };
}

export const podDelete = podFault<'pod-delete'>([POD], async (t, { params }, ctx, d) => recorded(t, await d.pods.delete(t, params.gracePeriod, ctx), ctx));

export const podKill = podFault<'pod-kill'>([POD], async (t, _args, ctx, d) => recorded(t, await d.pods.delete(t, 0, ctx), ctx));

export const containerKill = podFault<'container-kill'>([POD_CONTAINERS], async (t, { params }, ctx, d) => recorded(t, await d.pods.killContainer(t, params.container, params.signal, ctx), ctx));
