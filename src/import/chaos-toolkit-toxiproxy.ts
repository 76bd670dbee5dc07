// chaostoolkit-toxiproxy (module chaostoxi) as faultline links. A Toxiproxy proxy forwards a listen
// address to an upstream faultline does not start: that is a link to an external service. Its
// toxics become the link faults faultline has (latency, bandwidth, timeout), held from their place
// in the method until the method's `delete_toxic` of them or, as in Chaos Toolkit where the rollbacks
// remove them, until the method is over. Argument names are chaostoxi's documented ones.
import type { Args } from './chaos-toolkit-providers.js';
import { nameFrom } from './values.js';

export const TOXIPROXY_MODULE = 'chaostoxi.';

interface Proxy {
  service: string;
  link: string;
}

export type ToxiproxyStep =
  | { proxy: Proxy; service: Record<string, unknown>; link: Record<string, unknown>; text: string; notes: string[] }
  | { fault: Record<string, unknown>; proxy: string; toxic: string; text: string; notes: string[] }
  | { ends: { proxy: string; toxic: string }; text: string }
  | { unmapped: string };

/** What chaostoxi activities created so far in one experiment. */
export class ToxiproxyState {
  readonly proxies = new Map<string, Proxy>();
}

const address = (host: unknown, port: unknown): string | undefined => (typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port)) ? `${typeof host === 'string' && host !== '' ? host : '0.0.0.0'}:${String(port)}` : undefined);

/** Chaos Toolkit's "downstream" (the default: the upstream's replies) and "upstream" as a link fault's direction. */
function direction(args: Args): string | { unmapped: string } {
  const d = args.direction ?? 'downstream';
  if (d === 'downstream') return 'from';
  if (d === 'upstream') return 'to';
  return { unmapped: `direction ${JSON.stringify(d)}: Toxiproxy knows "downstream" and "upstream"` };
}

export function toxiproxyStep(func: string, args: Args, state: ToxiproxyState): ToxiproxyStep {
  if (func === 'proxy.actions.create_proxy') {
    const name = typeof args.proxy_name === 'string' ? args.proxy_name : undefined;
    if (!name) return { unmapped: 'create_proxy needs a proxy_name' };
    const upstream = address(args.upstream_host, args.upstream_port);
    if (!upstream || typeof args.upstream_host !== 'string') return { unmapped: 'create_proxy needs upstream_host and upstream_port' };
    const listen = address(args.listen_host, args.listen_port);
    if (!listen || Number(args.listen_port) === 0) return { unmapped: 'create_proxy without a listen_port: Toxiproxy then picks a free port that clients look up through its API; faultline\'s link listens on a fixed address that clients are pointed at' };
    if (args.enabled === false) return { unmapped: 'create_proxy with enabled: false: a faultline link forwards from the start of the run' };
    const proxy = { service: nameFrom(`${name}-upstream`, 'upstream'), link: nameFrom(name, 'proxy') };
    // A second proxy of the same name (or one that makes the same names) would replace the first's
    // service and link in the draft without a word.
    const clash = [...state.proxies].find(([n, p]) => n === name || p.link === proxy.link || p.service === proxy.service);
    if (clash) return { unmapped: `proxy "${name}" ${clash[0] === name ? 'is created twice' : `makes the same link or service names as proxy "${clash[0]}"`}: rename one (Toxiproxy refuses a second proxy of one name)` };
    state.proxies.set(name, proxy);
    const notes = args.listen_host === undefined ? ['no listen_host: Toxiproxy listens on every interface (0.0.0.0), and so does the link'] : [];
    return {
      proxy,
      service: { external: true },
      link: { to: proxy.service, listen, upstream },
      text: `external service ${proxy.service} (${upstream}) behind link ${proxy.link} listening on ${listen}`,
      notes,
    };
  }
  const forProxy = typeof args.for_proxy === 'string' ? args.for_proxy : undefined;
  if (func === 'toxic.actions.delete_toxic') {
    if (!forProxy || typeof args.toxic_name !== 'string') return { unmapped: 'delete_toxic needs for_proxy and toxic_name' };
    return { ends: { proxy: forProxy, toxic: args.toxic_name }, text: `the end of toxic "${args.toxic_name}" on ${forProxy}` };
  }
  const kind = { 'toxic.actions.create_latency_toxic': 'latency', 'toxic.actions.create_bandwith_degradation_toxic': 'bandwidth', 'toxic.actions.create_timeout_toxic': 'timeout' }[func];
  if (!kind) return { unmapped: `faultline has no fault for ${func.split('.').pop()} (it maps create_proxy and the latency, bandwidth and timeout toxics)` };
  if (!forProxy) return { unmapped: `${func.split('.').pop()} needs for_proxy` };
  const proxy = state.proxies.get(forProxy);
  if (!proxy) return { unmapped: `proxy "${forProxy}" is not created by an earlier create_proxy of this experiment, so its upstream is unknown` };
  const toxic = typeof args.toxic_name === 'string' ? args.toxic_name : kind;
  if (args.toxicity !== undefined && Number(args.toxicity) !== 1) return { unmapped: `toxicity ${String(args.toxicity)}: faultline's link faults act on every connection` };
  const notes: string[] = [];
  let params: Record<string, unknown>;
  if (kind === 'latency') {
    const dir = direction(args);
    if (typeof dir !== 'string') return dir;
    if (typeof args.latency !== 'number') return { unmapped: 'create_latency_toxic needs latency (milliseconds)' };
    params = { delay: `${args.latency}ms`, ...(typeof args.jitter === 'number' && args.jitter > 0 ? { jitter: `${args.jitter}ms` } : {}), direction: dir };
  } else if (kind === 'bandwidth') {
    if (typeof args.rate !== 'number') return { unmapped: 'create_bandwith_degradation_toxic needs rate (KB/s)' };
    if (args.direction !== undefined && args.direction !== 'downstream') notes.push('faultline limits both directions of the link, Toxiproxy only the one named');
    params = { rate: `${args.rate}KB/s` };
  } else {
    if (args.direction !== undefined && args.direction !== 'downstream') notes.push('faultline stalls both directions of the link, Toxiproxy only the one named');
    if (typeof args.timeout === 'number' && args.timeout > 0) notes.push(`Toxiproxy closes each connection after ${args.timeout} ms; faultline keeps them open and stalled, so clients see their own timeouts`);
    params = {};
  }
  return {
    fault: { [kind]: { target: proxy.service, ...params } },
    proxy: forProxy,
    toxic,
    text: `${kind} fault on link ${proxy.link}`,
    notes,
  };
}
