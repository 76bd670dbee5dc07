// The final read-back: after the recovery window, every acknowledged and every unknown write is
// read once more. A read that fails is retried (the store may still be coming back) until the
// read-back's time budget is spent; a key never read by then is recorded `found: "error"`, which
// the durability checker turns into "unknown", never into "pass".
import { setMaxListeners } from 'node:events';
import type { Clock } from '../domain/context.js';
import type { FinalRead } from '../domain/history.js';
import { classify, type OperationClient, type OperationVars } from './clients/client.js';

const MAX_ERROR = 300;
const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 1000;
/** Ends an attempt's timer once the attempt is over; shared, since building an abort reason per read is costly. */
const ATTEMPT_OVER = new Error('attempt over');

export interface FinalReadRequest {
  workload: string;
  client: OperationClient;
  /** Sequence numbers of the writes to read back. */
  seqs: readonly number[];
  naming: (seq: number) => OperationVars;
  clock: Clock;
  /** One read's time limit, ms. */
  timeout: number;
  /** The whole read-back's budget, retries included, ms. */
  within: number;
  concurrency: number;
  /** Ends the read-back early (interrupt): keys not read yet are recorded as errors. */
  signal: AbortSignal;
  record: (read: FinalRead) => void;
  redact?: (text: string) => string;
}

export interface FinalReadCounts {
  present: number;
  absent: number;
  error: number;
}

export async function finalRead(req: FinalReadRequest): Promise<FinalReadCounts> {
  const { clock } = req;
  // Every read in flight listens on it: a signal of our own, so raising its listener limit is ours to do.
  const local = new AbortController();
  const { signal } = local;
  setMaxListeners(req.concurrency * 2 + 10, signal);
  const stop = () => local.abort(req.signal.reason);
  if (req.signal.aborted) stop();
  req.signal.addEventListener('abort', stop, { once: true });
  const counts: FinalReadCounts = { present: 0, absent: 0, error: 0 };
  const deadline = clock.now() + req.within;
  const redact = req.redact ?? ((t: string) => t);
  let next = 0;

  const readOne = async (seq: number): Promise<FinalRead> => {
    const vars = req.naming(seq);
    let lastError: string | undefined;
    for (let attempt = 0; !signal.aborted; attempt++) {
      const left = deadline - clock.now();
      if (left <= 0) break;
      try {
        const value = await withTimeout((attemptSignal) => req.client.run(vars, attemptSignal), clock, Math.min(req.timeout, left), signal);
        const at = clock.now();
        if (value === vars.value) return { workload: req.workload, key: vars.key, seq, found: 'present', at };
        return { workload: req.workload, key: vars.key, seq, found: 'absent', ...(value !== null ? { value } : {}), at };
      } catch (e) {
        lastError = classify(e).error;
      }
      const pause = Math.min(FIRST_RETRY_MS * 2 ** attempt, MAX_RETRY_MS, deadline - clock.now());
      if (pause > 0) await clock.sleep(pause, signal).catch(() => {});
    }
    const why = signal.aborted
      ? `not read: the read-back was interrupted${lastError ? ` (last error: ${lastError})` : ''}`
      : lastError
        ? `still failing when the read-back's ${req.within}ms were spent: ${lastError}`
        : `not read: the read-back's ${req.within}ms were spent before this key's turn`;
    return { workload: req.workload, key: vars.key, seq, found: 'error', error: redact(why).slice(0, MAX_ERROR), at: clock.now() };
  };

  const worker = async () => {
    while (next < req.seqs.length) {
      const seq = req.seqs[next++]!;
      const read = await readOne(seq);
      counts[read.found] += 1;
      req.record(read);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(req.concurrency, req.seqs.length) }, worker));
  } finally {
    req.signal.removeEventListener('abort', stop);
  }
  return counts;
}

/** One attempt, abandoned (and its request aborted) after `ms` or when `stop` aborts. */
async function withTimeout<T>(run: (signal: AbortSignal) => Promise<T>, clock: Clock, ms: number, stop: AbortSignal): Promise<T> {
  // One controller per attempt: it cancels the request, and the timer with it once the attempt is over.
  const attempt = new AbortController();
  const onStop = () => attempt.abort(new Error('stopped'));
  stop.addEventListener('abort', onStop, { once: true });
  const work = run(attempt.signal);
  work.catch(() => {});
  const expired = clock.sleep(ms, attempt.signal).then(() => {
    const error = new Error(`no answer within ${ms}ms`);
    attempt.abort(error);
    throw error;
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    stop.removeEventListener('abort', onStop);
    attempt.abort(ATTEMPT_OVER);
  }
}
