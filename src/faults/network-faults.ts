import { networkFault } from './network-fault.js';

export const latency = networkFault('latency', ({ params, groups }) => ({
  kind: 'latency',
  delayMs: params.delay,
  jitterMs: params.jitter,
  direction: params.direction,
  ...(params.peers ? { peers: params.peers.flatMap((g) => groups.get(g) ?? []) } : {}),
}));

export const bandwidth = networkFault('bandwidth', ({ params }) => ({ kind: 'bandwidth', bytesPerSecond: params.rate, direction: params.direction }));

export const loss = networkFault('loss', ({ params }) => ({ kind: 'loss', percent: params.percent, mode: params.mode }));

export const timeout = networkFault('timeout', () => ({ kind: 'timeout' }));

export const dns = networkFault('dns', () => ({ kind: 'dns' }));
