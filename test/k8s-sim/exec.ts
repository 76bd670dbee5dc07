// pods/exec over a WebSocket, enough of it for client-node's Exec: the upgrade handshake, the
// v4.channel.k8s.io framing (one byte of stream number, then data: 1 stdout, 2 stderr, 3 status)
// and the Status that carries the exit code. What a command prints and returns comes from a
// handler the test installs; the default answers like a shell that has no such command.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string | undefined;
  command: string[];
}

export interface ExecResult {
  stdout?: string;
  stderr?: string;
  exitCode: number;
}

export type ExecHandler = (req: ExecRequest) => ExecResult | Promise<ExecResult>;

export const defaultExecHandler: ExecHandler = (req) => ({ stderr: `sh: ${req.command[0]}: not found\n`, exitCode: 127 });

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (len >= 126 && len < 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else if (len >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

const channel = (n: number, data: string | Buffer) => frame(0x2, Buffer.concat([Buffer.from([n]), Buffer.isBuffer(data) ? data : Buffer.from(data)]));

/** Completes the upgrade, or answers with a plain HTTP error (as the API server does before upgrading). */
export function acceptExec(req: IncomingMessage, socket: Duplex, streams: { stdout: boolean; stderr: boolean }, run: () => Promise<ExecResult>): void {
  const key = req.headers['sec-websocket-key'];
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  const protocol = offered.includes('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : undefined;
  if (!key || !protocol) {
    socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n');
    return;
  }
  const accept = createHash('sha1').update(`${key}${GUID}`).digest('base64');
  socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, `Sec-WebSocket-Protocol: ${protocol}`, '', ''].join('\r\n'));
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  void run().then(
    (r) => {
      // Only the streams the client asked for, as the kubelet does.
      if (r.stdout && streams.stdout) socket.write(channel(1, r.stdout));
      if (r.stderr && streams.stderr) socket.write(channel(2, r.stderr));
      const status =
        r.exitCode === 0
          ? { metadata: {}, status: 'Success' }
          : {
              metadata: {},
              status: 'Failure',
              message: `command terminated with non-zero exit code: error executing command, exit code ${r.exitCode}`,
              reason: 'NonZeroExitCode',
              details: { causes: [{ reason: 'ExitCode', message: String(r.exitCode) }] },
            };
      socket.write(channel(3, JSON.stringify(status)));
      socket.write(frame(0x8, Buffer.from([0x03, 0xe8])));
      socket.end();
    },
    () => socket.destroy(),
  );
}

/** An HTTP error written on the raw socket of an upgrade request. */
export function rejectUpgrade(socket: Duplex, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${code} Error\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}
