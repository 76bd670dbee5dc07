// Shaping a container's traffic with root qdiscs (tbf for bandwidth, netem for latency) on its
// interfaces and on the host side of its veths, and removing exactly those qdiscs again.
import type { CommandResult } from '../../domain/command.js';
import { EnvironmentError } from '../../domain/errors.js';
import { failureText, runHostCommand } from '../host-command.js';
import type { NetnsAccess, NsRef } from './netns.js';
import type { NsUndo } from './network-undo.js';
import { alreadyGone, delArgs, parseLinks } from './qdisc.js';

/**
 * Adds a root qdisc on the container's interfaces ("from") and/or the host side of its veths
 * ("to"). The devices are found first and recorded in the undo, so `around` (the holders) knows
 * them before anything is changed.
 */
export async function shape(
  ref: NsRef,
  undo: NsUndo,
  access: NetnsAccess,
  direction: 'to' | 'from' | 'both',
  argsFor: (dev: string) => string[][],
  around: (apply: () => Promise<void>) => Promise<void> = (apply) => apply(),
): Promise<void> {
  const links = parseLinks((await must(access, ref, ['ip', '-o', 'link', 'show'])).stdout).filter((l) => l.name !== 'lo');
  if (direction !== 'to') undo.devs.push(...links.map((l) => l.name));
  if (direction !== 'from') {
    if (access.mode !== 'nsenter') throw new EnvironmentError(`shaping traffic towards ${ref.name} needs its host-side veth, which only nsenter mode (root on the Docker host) can reach; use direction "from"`);
    const host = parseLinks((await runHostCommand(['ip', '-o', 'link', 'show'])).stdout);
    for (const l of links) {
      const peer = host.find((h) => h.index === l.peerIndex);
      if (peer) undo.hostDevs.push(peer.name);
    }
  }
  const apply = async () => {
    try {
      for (const dev of undo.devs) for (const args of argsFor(dev)) await must(access, ref, args);
      for (const dev of undo.hostDevs) {
        for (const args of argsFor(dev)) {
          const r = await runHostCommand(args);
          if (r.code !== 0) throw new Error(`${args.join(' ')} failed: ${failureText(r)}`);
        }
      }
    } catch (err) {
      await unshape(ref, undo, access).catch(() => undefined);
      throw err;
    }
  };
  await around(apply);
}

export async function unshape(ref: NsRef, undo: NsUndo, access: NetnsAccess): Promise<void> {
  for (const dev of undo.devs) {
    const r = await access.run(ref, delArgs(dev));
    if (!alreadyGone(r)) throw new Error(`removing the qdisc on ${dev} in ${ref.name} failed: ${failureText(r)}`);
  }
  for (const dev of undo.hostDevs) {
    const r = await runHostCommand(delArgs(dev));
    if (!alreadyGone(r)) throw new Error(`removing the qdisc on host device ${dev} failed: ${failureText(r)}`);
  }
}

async function must(access: NetnsAccess, ref: NsRef, argv: string[]): Promise<CommandResult> {
  const r = await access.run(ref, argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} in ${ref.name}'s network namespace failed (exit ${r.code}): ${failureText(r)}`);
  return r;
}
