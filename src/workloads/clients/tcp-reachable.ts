// Whether a TCP connection to host:port can be opened: how an HTTP workload knows, before steady
// state, that its service is there, without sending it a request it would have to make sense of.
import net from 'node:net';

export function tcpReachable(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const finish = (error?: Error) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.setTimeout(timeoutMs, () => finish(new Error(`no answer within ${timeoutMs}ms`)));
    socket.once('connect', () => finish());
    socket.once('error', (e) => finish(e));
  });
}
