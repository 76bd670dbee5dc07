// Finding and stopping processes a run started, after the run itself is gone (SIGKILL, power
// loss): every service is spawned with the run id in its environment, so it can be recognised
// without trusting a pid that may have been recycled.
import { readdirSync, readFileSync } from 'node:fs';
import { processAlive } from '../../runtime/processes.js';

export const RUN_ID_ENV = 'FAULTLINE_RUN_ID';
export const SERVICE_ENV = 'FAULTLINE_SERVICE';
/** The pid of the faultline process that started the service: an orphan is one whose runner is gone. */
export const RUNNER_ENV = 'FAULTLINE_RUNNER_PID';

interface Tagged {
  pid: number;
  runId: string;
  service: string;
  runnerPid: number | undefined;
}

/** Every live process carrying a faultline run id (optionally only `runId`'s). */
export function taggedProcesses(runId?: string): Tagged[] {
  const found: Tagged[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue;
    }
    const vars = environ.split('\0');
    const id = vars.find((v) => v.startsWith(`${RUN_ID_ENV}=`))?.slice(RUN_ID_ENV.length + 1);
    if (!id || (runId !== undefined && id !== runId)) continue;
    const service = vars.find((v) => v.startsWith(`${SERVICE_ENV}=`))?.slice(SERVICE_ENV.length + 1) ?? '?';
    const runner = vars.find((v) => v.startsWith(`${RUNNER_ENV}=`))?.slice(RUNNER_ENV.length + 1);
    found.push({ pid: Number(entry), runId: id, service, runnerPid: runner ? Number(runner) : undefined });
  }
  return found;
}

function signalGroupOrPid(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // gone already
    }
  }
}

/**
 * Resume and stop every process of the run (paused ones first get SIGCONT, so SIGTERM can reach
 * them); SIGKILL whatever is still there after `graceMs`. Returns a line per process removed.
 */
export async function sweepRunProcesses(runId: string, graceMs = 2000, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<string[]> {
  const procs = taggedProcesses(runId);
  for (const p of procs) {
    signalGroupOrPid(p.pid, 'SIGCONT');
    signalGroupOrPid(p.pid, 'SIGTERM');
  }
  const deadline = Date.now() + graceMs;
  while (procs.some((p) => processAlive(p.pid)) && Date.now() < deadline) await sleep(50);
  for (const p of procs) if (processAlive(p.pid)) signalGroupOrPid(p.pid, 'SIGKILL');
  return procs.map((p) => `stopped process ${p.pid} (service ${p.service} of run ${p.runId})`);
}

/**
 * Stops the processes of every run whose runner is gone. A run whose runner is alive is never
 * touched here, whoever's state directory it belongs to.
 */
export async function sweepOrphanedRuns(): Promise<string[]> {
  const runs = new Set(
    taggedProcesses()
      .filter((p) => p.runnerPid === undefined || !processAlive(p.runnerPid))
      .map((p) => p.runId),
  );
  const out: string[] = [];
  for (const runId of runs) out.push(...(await sweepRunProcesses(runId)));
  return out;
}
