// An accepted socket re-wrapped so that it reads into caller-supplied buffers (the `onread` option).
// `net.Server` offers no `onread` for the sockets it accepts (Node 20), so the listener is created
// with `pauseOnConnect` (the accepted socket never reads) and its handle is moved into a new Socket
// built with `onread`, the same way the server built the first one. The `handle` option and the
// `_handle` field are Node internals; `test/proxy` proves what depends on them (data, half-close,
// backpressure, resets) on the Node version in use.
import net from 'node:net';
import type { OnReadOpts, Socket } from 'node:net';

interface WithHandle {
  _handle: unknown;
}

export function adoptSocket(accepted: Socket, onread: OnReadOpts): Socket {
  const handle = (accepted as unknown as WithHandle)._handle;
  // Already gone (reset before we saw it): nothing to read, the caller sees it close.
  if (!handle) return accepted;
  const socket = new net.Socket({ handle, allowHalfOpen: true, onread } as net.SocketConstructorOpts);
  // Detached first, so that destroying the old wrapper does not close the handle; destroying it
  // settles the server's count of open connections, which `server.close()` waits for.
  (accepted as unknown as WithHandle)._handle = null;
  accepted.destroy();
  return socket;
}
