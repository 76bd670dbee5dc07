// `docker exec` with its output collected and its exit code read: where probes, exec probes and the
// helper container all need "run this, tell me what it said".
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import type Dockerode from 'dockerode';
import type { CommandResult } from '../../domain/command.js';

export async function execIn(docker: Dockerode, containerId: string, cmd: readonly string[], timeoutMs: number): Promise<CommandResult & { code: number }> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  err.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  docker.modem.demuxStream(stream, out, err);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', reject);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`exec ${cmd.join(' ')} took longer than ${timeoutMs}ms`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    stream.destroy();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  // demuxStream writes into the PassThroughs; their last chunks are delivered after the source ends.
  out.end();
  err.end();
  await Promise.all([finished(out), finished(err)]);
  const info = await exec.inspect();
  return { code: info.ExitCode ?? -1, stdout, stderr };
}
