// Holder containers for a network fault: started before the fault is applied, so that something
// outside faultline removes it at expiry if faultline dies.
import type Dockerode from 'dockerode';
import type { RunContext } from '../../domain/context.js';
import type { JsonValue, Target } from '../../domain/model.js';
import type { Hold } from '../driver.js';
import { removeHolder, type Holders } from './holder.js';
import type { NetUndo } from './network-undo.js';

/**
 * Starts the holders of a network fault (one in each namespace it touches, one on the host for
 * host-side qdiscs), then applies it; a failed apply takes them down again. Their ids go into
 * the undo record, so a revert removes exactly them before undoing the fault.
 */
export async function holdNetworkFault(docker: Dockerode, holders: Holders | undefined, target: Target, out: JsonValue, ctx: RunContext, hold: Hold | undefined, apply: () => Promise<void>): Promise<void> {
  const u = out as unknown as NetUndo;
  if (holders && hold) {
    const kind = hold.kind;
    const common = { kind, targetId: target.id, targetName: target.name, undo: JSON.parse(JSON.stringify(out)) as JsonValue };
    const ids: string[] = [];
    try {
      for (const ns of u.namespaces) {
        if (ns.chains.length || ns.devs.length) ids.push((await holders.netns(common, { container: ns.container }, ns.chains, ns.devs, ctx, hold))!);
        if (ns.hostDevs.length) ids.push((await holders.netns(common, 'host', [], ns.hostDevs, ctx, hold))!);
      }
    } catch (err) {
      await Promise.all(ids.map((id) => removeHolder(docker, id).catch(() => undefined)));
      throw err;
    }
    u.holders = ids;
  }
  try {
    await apply();
  } catch (err) {
    await Promise.all((u.holders ?? []).map((id) => removeHolder(docker, id).catch((e: unknown) => ctx.log.warn(`removing a holder after a failed inject: ${String(e)}`))));
    delete u.holders;
    throw err;
  }
}
