// Running a command in a pod's container through pods/exec (a WebSocket), for `where` probes and
// exec probes with a target. The exit code comes from the Status on the last channel.
import { Writable } from 'node:stream';
import { Exec, type V1Status } from '@kubernetes/client-node';
import type { CommandResult } from '../../domain/command.js';
import type { RunContext } from '../../domain/context.js';
import { explainApiError } from './api-errors.js';
import type { ClusterApi } from './cluster-api.js';
import type { PodFacts } from './pod-target.js';


const MAX_OUTPUT = 64 * 1024;

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (size < MAX_OUTPUT) chunks.push(chunk);
      size += chunk.length;
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const n = Number(cause?.message);
  return Number.isInteger(n) ? n : -1;
}

/** Runs `command` in the pod (its default container unless one is named); rejects on timeout or when exec is refused. */
export async function execInPod(api: ClusterApi, pod: PodFacts, container: string | undefined, command: string[], timeoutMs: number, ctx: RunContext): Promise<CommandResult & { code: number }> {
  const out = collector();
  const err = collector();
  const name = container ?? pod.defaultContainer ?? pod.containers[0];
  let finish: (status: V1Status) => void = () => {};
  const finished = new Promise<V1Status>((r) => (finish = r));
  let ws: { close(): void } | undefined;
  try {
    ws = await new Exec(api.kubeConfig).exec(pod.namespace, pod.pod, name ?? '', command, out.stream, err.stream, null, false, (s) => finish(s));
  } catch (e) {
    throw explainApiError(upgradeError(e), { verb: 'create', resource: 'pods/exec', group: '', namespace: pod.namespace, name: pod.pod }, api.identity);
  }
  const timer = new AbortController();
  const timeout = ctx.clock.sleep(timeoutMs, timer.signal).then(
    () => undefined,
    () => undefined,
  );
  try {
    const status = await Promise.race([finished, timeout]);
    if (!status) throw new Error(`${command.join(' ')} in pod ${pod.namespace}/${pod.pod} did not finish within ${timeoutMs}ms`);
    return { code: exitCodeOf(status), stdout: out.text(), stderr: err.text() };
  } finally {
    timer.abort();
    ws?.close();
  }
}

/** The ws library reports a refused upgrade as "Unexpected server response: 403"; keep the code. */
function upgradeError(e: unknown): unknown {
  const m = /Unexpected server response: (\d{3})/.exec((e as Error)?.message ?? '');
  return m ? Object.assign(new Error((e as Error).message), { code: Number(m[1]) }) : e;
}
