// Switch outage: every container on a network loses it, then gets it back with the same IPv4
// address and aliases, as if the switch they hang off had been power-cycled.
import type Dockerode from 'dockerode';
import { InvalidInputError } from '../../domain/errors.js';
import type { JsonValue } from '../../domain/model.js';
import type { RevertResult } from '../driver.js';
import { engineMessage, isNotFound } from './errors.js';
import { HELPER_LABEL } from './labels.js';

export interface Attachment {
  id: string;
  name: string;
  ip: string;
  aliases: string[];
}

export interface SwitchUndo {
  mechanism: 'switch-outage';
  network: string;
  networkId: string;
  members: Attachment[];
  /** Holder containers that reconnect the members at expiry if faultline cannot. */
  holders?: string[];
}

async function inspectNetwork(docker: Dockerode, network: string): Promise<Dockerode.NetworkInspectInfo> {
  try {
    return (await docker.getNetwork(network).inspect()) as Dockerode.NetworkInspectInfo;
  } catch (err) {
    if (isNotFound(err)) throw new InvalidInputError(`Docker network "${network}" does not exist`);
    throw err;
  }
}

/** Running containers on the network with what reconnecting needs, faultline's helpers and itself excluded. */
export async function attachments(docker: Dockerode, network: string, selfId: string | undefined): Promise<{ net: Dockerode.NetworkInspectInfo; members: Attachment[] }> {
  const net = await inspectNetwork(docker, network);
  const ids = Object.keys(net.Containers ?? {}).filter((id) => id !== selfId);
  const infos = await Promise.all(ids.map((id) => docker.getContainer(id).inspect().catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)))));
  const members: Attachment[] = [];
  for (const c of infos) {
    if (!c || c.Config.Labels?.[HELPER_LABEL] !== undefined) continue;
    const s = c.NetworkSettings.Networks[net.Name];
    if (!s) continue;
    // Docker adds the short id as an alias on every connect; handing it back would be harmless but noisy.
    const aliases = ((s.Aliases ?? []) as string[]).filter((a) => a !== c.Id.slice(0, 12));
    members.push({ id: c.Id, name: c.Name.replace(/^\//, ''), ip: s.IPAddress, aliases });
  }
  members.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { net, members };
}

/**
 * `hold`, when given, starts what reconnects every member at expiry, before the first is cut; a
 * failed outage takes it down again once the members are back.
 */
export async function disconnectAll(
  docker: Dockerode,
  network: string,
  selfId: string | undefined,
  hold?: (planned: SwitchUndo) => Promise<string | undefined>,
  unhold?: (holder: string) => Promise<void>,
): Promise<SwitchUndo> {
  const { net, members } = await attachments(docker, network, selfId);
  const undo: SwitchUndo = { mechanism: 'switch-outage', network: net.Name, networkId: net.Id, members: [] };
  const holder = await hold?.({ ...undo, members });
  if (holder) undo.holders = [holder];
  const n = docker.getNetwork(net.Id);
  const results = await Promise.allSettled(
    members.map(async (m) => {
      await n.disconnect({ Container: m.id, Force: true });
      undo.members.push(m);
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // Put back the ones already cut before reporting, so a half-done outage never outlives the error.
    await reconnectAll(docker, undo).catch(() => undefined);
    if (holder) await (unhold ? unhold(holder) : docker.getContainer(holder).remove({ force: true })).catch(() => undefined);
    throw new Error(`switch outage of ${net.Name}: ${engineMessage(failed.reason)}`);
  }
  return undo;
}

const FIXED_IP_UNSUPPORTED = /user specified IP address is supported only/i;
const ALREADY_CONNECTED = /already exists in network|is already connected/i;

export async function reconnectAll(docker: Dockerode, undo: SwitchUndo): Promise<RevertResult> {
  const n = docker.getNetwork(undo.networkId);
  const notes: string[] = [];
  let gone = 0;
  await Promise.all(
    undo.members.map(async (m) => {
      const connect = (withIp: boolean) =>
        n.connect({ Container: m.id, EndpointConfig: { Aliases: m.aliases, ...(withIp && m.ip ? { IPAMConfig: { IPv4Address: m.ip } } : {}) } });
      try {
        await connect(true);
      } catch (err) {
        const msg = engineMessage(err);
        if (ALREADY_CONNECTED.test(msg)) return;
        if (isNotFound(err) && /container/i.test(msg)) {
          gone++;
          notes.push(`${m.name} no longer exists`);
          return;
        }
        if (isNotFound(err)) throw new Error(`network ${undo.network} no longer exists; ${undo.members.length} containers stay disconnected`);
        if (!FIXED_IP_UNSUPPORTED.test(msg)) throw new Error(`cannot reconnect ${m.name} to ${undo.network}: ${msg}`);
        // Networks without a configured subnet refuse a fixed address: reconnect and report any change.
        await connect(false);
        const now = (await docker.getContainer(m.id).inspect()).NetworkSettings.Networks[undo.network]?.IPAddress;
        if (now !== m.ip) notes.push(`${m.name} came back as ${now} instead of ${m.ip} (network ${undo.network} has no configured subnet, so Docker cannot pin addresses)`);
      }
    }),
  );
  const result: RevertResult = {};
  if (undo.members.length > 0 && gone === undo.members.length) result.vanished = true;
  if (notes.length) result.note = notes.join('; ');
  return result;
}

export function isSwitchUndo(u: JsonValue): u is SwitchUndo & JsonValue {
  return typeof u === 'object' && u !== null && !Array.isArray(u) && u.mechanism === 'switch-outage';
}
