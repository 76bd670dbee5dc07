// Chaos against faultline itself, Docker driver: for every held Docker fault kind, `faultline run`
// is killed with SIGKILL at a seeded random instant around injection, hold and revert. Half the
// trials then run `faultline rollback --run <id>`; the other half run nothing and require the
// fault's holder container to have removed everything within its TTL + 5 s (a holder the kill left
// never started, with no fault behind it, must then be removed by the next command, `plan`).
// Aimed trials stop the runner between creating a holder and starting it (the test seam
// FAULTLINE_TEST_SEAM_HOLDER_CREATED), check that no fault is in place, SIGKILL it there, and run
// the next command of each kind in turn (plan, run, rollback, halt), which must remove that holder.
// For the kinds the run's engine holder ends (pause, stop, cpu, switch outage), aimed trials also
// SIGKILL the runner once that holder runs and before anything is registered with it, between a
// fault's acknowledgement and its application, and between its application and the ledger's
// record of its undo (seams HOLDER_STARTED, HOLD_ACKED, FAULT_APPLIED), then half run `rollback`
// and half leave it to the holder.
// Either way nothing may remain: no holder or helper container, no paused or stopped target, no
// CPU limit, no member off its network or back with another address, no FL- chain or jump, no
// faultline qdisc.
//
// Trials run in parallel lanes; each lane owns a network and two containers, reused from trial to
// trial because every trial ends by checking they are clean.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTag } from '../../src/drivers/docker/rules.js';
import { FAULT_APPLIED_SEAM, HOLDER_CREATED_SEAM, HOLDER_STARTED_SEAM, HOLD_ACKED_SEAM } from '../../src/drivers/docker/test-seam.js';
import { Lab, ensureDocker, faultlineChainsEverywhere, sleep } from '../docker/lab.js';
import { dockerLeftovers, type Watched } from '../docker/leftovers.js';
import { runCli, startCli, waitForOutput } from '../support/cli.js';

// In `npm test`: 12 seeded trials per kind (120) and 2 aimed per kind (20, each certain to land
// between a holder's create and start, so a regression there fails all 20, not by luck). The
// docker-safety bench runs the large series (30 per kind); these variables raise the counts here.
const TRIALS = Number(process.env.FAULTLINE_DOCKER_CHAOS_TRIALS ?? 12);
const LANES = Number(process.env.FAULTLINE_DOCKER_CHAOS_LANES ?? 4);
/** Aimed trials per kind: each kills the runner between a holder's create and start. */
const AIMED = Number(process.env.FAULTLINE_DOCKER_CHAOS_AIMED ?? 2);
/** Aimed trials per engine-held kind and run-holder instant (started, acked, applied). */
const AIMED_RUN_HOLDER = Number(process.env.FAULTLINE_DOCKER_CHAOS_AIMED_RUN_HOLDER ?? 2);
const ENGINE_HELD = ['pause', 'stop', 'cpu', 'switch-outage'];
const NEXT = ['plan', 'run', 'rollback', 'halt'] as const;
const HOLD_MS = 500;
const NEVER_STARTED = /^holder container .* \(created\)/;
const TTL_MS = HOLD_MS + 2000;
type Phase = 'inject' | 'hold' | 'revert' | 'created' | 'started' | 'acked' | 'applied';
/** The seam each aimed phase stops the runner at, and whether the fault is in place there. */
const SEAMS: Partial<Record<Phase, { variable: string; faultInPlace: boolean }>> = {
  created: { variable: HOLDER_CREATED_SEAM, faultInPlace: false },
  started: { variable: HOLDER_STARTED_SEAM, faultInPlace: false },
  acked: { variable: HOLD_ACKED_SEAM, faultInPlace: false },
  applied: { variable: FAULT_APPLIED_SEAM, faultInPlace: true },
};
/**
 * Where a kill lands, drawn per trial: a phase, then an offset from that phase's marker in the
 * runner's output ("phase inject" for injection, the fault's inject line for hold and revert).
 */
function killPlan(rng: () => number): { phase: Phase; offsetMs: number } {
  const phase = (['inject', 'hold', 'revert'] as const)[Math.floor(rng() * 3)]!;
  // Injection with its holder takes a few hundred ms; the revert starts HOLD_MS after the inject line.
  const offsetMs = phase === 'inject' ? rng() * 400 : phase === 'hold' ? rng() * HOLD_MS : HOLD_MS - 30 + rng() * 300;
  return { phase, offsetMs: Math.floor(offsetMs) };
}

const FAULTS: Record<string, (lane: Lane) => string> = {
  pause: () => 'pause: { target: a }',
  stop: () => 'stop: { target: a, timeout: 1s }',
  partition: () => 'partition: { from: a, to: b }',
  latency: () => 'latency: { target: a, delay: 50ms, peers: [b] }',
  loss: () => 'loss: { target: a, percent: 50% }',
  bandwidth: () => 'bandwidth: { target: a, rate: 100kbit }',
  dns: () => 'dns: { target: a }',
  cpu: () => 'cpu: { target: a, cpus: 0.5 }',
  timeout: () => 'timeout: { target: a }',
  'switch-outage': (l) => `switch-outage: { network: ${l.network} }`,
};

interface Lane {
  n: number;
  network: string;
  a: { id: string; name: string; ip: string };
  b: { id: string; name: string; ip: string };
}

interface Trial {
  kind: string;
  n: number;
  withRollback: boolean;
  phase: Phase;
  offsetMs: number;
  /** Aimed trials: the command run after the kill, which must remove the never-started holder. */
  next?: (typeof NEXT)[number];
}

const lab = new Lab('dchaos');
const runIds: string[] = [];
const inert: string[] = [];
const phases = { inject: 0, hold: 0, revert: 0, created: 0, started: 0, acked: 0, applied: 0, ended: 0 };
let nextLane = LANES + 1;

beforeAll(ensureDocker, 300_000);
afterAll(async () => {
  await lab.cleanup();
  // Holders of trials that failed would still be here: remove them too, after reporting.
  const stray = await dockerLeftovers(lab.docker, runIds, { containers: [], attachments: [] });
  for (const id of runIds) {
    for (const c of await lab.docker.listContainers({ all: true, filters: { label: [`faultline.run-id=${id}`] } })) await lab.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
  const tags = new Set(runIds.map((r) => `FL-${runTag(r)}-`));
  const chains = (await faultlineChainsEverywhere()).filter((c) => [...tags].some((t) => c.includes(t)));
  expect([...stray, ...chains]).toEqual([]);
  expect(await lab.leftovers()).toEqual([]);
}, 120_000);

async function makeLane(n: number): Promise<Lane> {
  // Fixed addresses, so a switch outage can be checked to give each member its own back; another
  // suite (or a network still being removed) may hold a subnet, so a few are tried.
  let network: string | undefined;
  let prefix = '';
  for (const second of [219, 218, 217, 216, 215]) {
    prefix = `10.${second}.${n}`;
    try {
      network = await lab.network(`lane${n}-`, `${prefix}.0/24`);
      break;
    } catch (e) {
      if (!/overlaps/.test(String(e))) throw e;
    }
  }
  if (!network) throw new Error(`no free subnet for lane ${n}`);
  const a = await lab.echoServer({ name: `a${n}`, networks: [{ name: network, ip: `${prefix}.10`, aliases: ['a'] }] });
  const b = await lab.echoServer({ name: `b${n}`, networks: [{ name: network, ip: `${prefix}.11`, aliases: ['b'] }] });
  return { n, network, a: { id: a.Id, name: a.Name.slice(1), ip: `${prefix}.10` }, b: { id: b.Id, name: b.Name.slice(1), ip: `${prefix}.11` } };
}

function watched(l: Lane): Watched {
  return {
    containers: [l.a, l.b],
    attachments: [
      { container: l.a.id, name: l.a.name, network: l.network, ip: l.a.ip },
      { container: l.b.id, name: l.b.name, network: l.network, ip: l.b.ip },
    ],
  };
}

function experiment(t: Trial, l: Lane): string {
  return `apiVersion: faultline/v1
kind: Experiment
metadata: { name: dchaos-${t.kind}-${t.n} }
spec:
  driver: docker
  targets:
    a: { selector: { names: [${l.a.name}] } }
    b: { selector: { names: [${l.b.name}] } }
  faults:
    - ${FAULTS[t.kind]!(l)}
      for: ${HOLD_MS}ms
  observe: { steadyState: 50ms, recoveryWindow: 100ms }
`;
}

async function runTrial(t: Trial, l: Lane): Promise<string[]> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'faultline-dchaos-'));
  const file = path.join(stateDir, 'chaos.yaml');
  writeFileSync(file, experiment(t, l));
  const env = { FAULTLINE_STATE_DIR: stateDir };
  const seam = path.join(stateDir, 'seam');
  const aimedAt = SEAMS[t.phase];
  const runEnv = aimedAt ? { ...env, [aimedAt.variable]: seam } : env;
  const problems: string[] = [];
  const t0 = Date.now();
  let cli = startCli(['run', file, '--out', path.join(stateDir, 'out')], { env: runEnv });
  for (let attempt = 1; ; attempt++) {
    try {
      await waitForOutput(cli.output, /phase inject/, 120_000);
      break;
    } catch (e) {
      cli.child.kill('SIGKILL');
      const r = await cli.done;
      // dist/ is shared with teammates who rebuild it: a CLI that could not even load touched nothing.
      if (attempt < 3 && /SyntaxError|ERR_MODULE_NOT_FOUND/.test(r.stderr) && !existsSync(path.join(stateDir, 'runs'))) {
        await sleep(2000);
        cli = startCli(['run', file, '--out', path.join(stateDir, 'out')], { env: runEnv });
        continue;
      }
      return [`${t.kind} #${t.n}: the run never reached injection: ${(e as Error).message}`];
    }
  }
  if (aimedAt) {
    let exited = false;
    void cli.done.then(() => (exited = true));
    const deadline = Date.now() + 120_000;
    while (!existsSync(seam) && !exited && Date.now() < deadline) await sleep(20);
    if (!existsSync(seam)) {
      cli.child.kill('SIGKILL');
      return [`${t.kind} aimed #${t.n}: the runner never stopped at ${aimedAt.variable}: ${(await cli.done).stderr.slice(-500)}`];
    }
    // (A failed check must not leave the runner waiting at the seam: it is killed just below
    // whatever happens here.)
    try {
      const detail = readFileSync(seam, 'utf8');
      const inPlace = await dockerLeftovers(lab.docker, [], watched(l));
      if (t.phase === 'created' || t.phase === 'started') {
        // The holder exists and runs nothing yet (created), or holds nothing yet (started).
        const state = (await lab.docker.getContainer(detail).inspect()).State.Status;
        const expected = t.phase === 'created' ? 'created' : 'running';
        if (state !== expected) problems.push(`the seam's holder is ${state}, not ${expected}`);
      }
      if (!aimedAt.faultInPlace) for (const x of inPlace) problems.push(`fault in place before its holder was armed: ${x}`);
      else if (!inPlace.length) problems.push('at the FAULT_APPLIED seam the fault is not in place');
    } catch (e) {
      problems.push(`checking the state at the seam: ${(e as Error).message}`);
    }
  } else if (t.phase !== 'inject') await waitForOutput(cli.output, /\binject \S+ /, 30_000).catch(() => undefined);
  await sleep(t.offsetMs);
  cli.child.kill('SIGKILL');
  const killedAt = Date.now();
  const ended = await cli.done;
  phases[ended.signal === 'SIGKILL' ? t.phase : 'ended']++;
  const [ledger] = readdirSync(path.join(stateDir, 'runs'));
  const runId = ledger!.replace(/\.ledger$/, '');
  runIds.push(runId);

  const checked = [runId];
  if (t.next) {
    const next = await nextCommand(t.next, file, stateDir);
    problems.push(...next.problems);
    checked.push(...next.runIds);
  } else if (t.withRollback) {
    const r = await runCli(['rollback', '--run', runId], { env });
    if (r.code !== 0) problems.push(`rollback exited ${r.code}: ${r.stdout}${r.stderr}`);
    const again = await runCli(['rollback', '--run', runId], { env });
    if (again.code !== 0 || !/nothing to roll back/.test(again.stdout)) problems.push(`second rollback was not a no-op: ${again.stdout}${again.stderr}`);
    // The rollback itself must have ended every fault; only a never-started holder may still appear.
    for (const x of await dockerLeftovers(lab.docker, [runId], watched(l))) if (!NEVER_STARTED.test(x)) problems.push(`after rollback: ${x}`);
  }
  if (!t.next) problems.push(...(await settle(t, l, runId, file, env, killedAt)));
  problems.push(...(await dockerLeftovers(lab.docker, checked, watched(l))));
  const how = t.next ? `then ${t.next}` : t.withRollback ? 'rollback' : 'no rollback';
  if (process.env.FAULTLINE_CHAOS_VERBOSE) console.log(`${t.kind} #${t.n} ${how}, kill in ${t.phase}+${t.offsetMs}: ${Date.now() - t0}ms (clean ${Date.now() - killedAt}ms after the kill)`);
  return problems.map((x) => `${t.kind} #${t.n} (${how}, kill in ${t.phase} +${t.offsetMs}ms, run ${runId}): ${x}`);
}

/**
 * Waits, after a seeded kill, for the run's faults to be gone: by the rollback already done, or by
 * the holders at expiry (typically within TTL + 5 s; the deadline is far beyond, for an overloaded
 * 2-core machine where a holder container and its node take many seconds to start; the loop ends once clean).
 *
 * A runner killed between creating a holder and starting it leaves a container that never ran and
 * no fault behind it (the fault is applied only once its holder runs). The next command that talks
 * to the engine, whatever it is, removes it: such holders are counted apart, and `plan` must remove
 * them. A create the runner sent just before it died may complete in the engine after the kill
 * (even after a rollback), so "clean" counts only once the holder's own expiry has passed too.
 */
async function settle(t: Trial, l: Lane, runId: string, file: string, env: Record<string, string>, killedAt: number): Promise<string[]> {
  const problems: string[] = [];
  const deadline = killedAt + TTL_MS + 60_000;
  for (;;) {
    const left = await dockerLeftovers(lab.docker, [runId], watched(l));
    if ((left.length === 0 && Date.now() >= killedAt + TTL_MS) || Date.now() >= deadline) return problems;
    if (left.length && left.every((x) => NEVER_STARTED.test(x))) {
      inert.push(...left.map((x) => `${t.kind} #${t.n}: ${x}`));
      const r = await runCli(['plan', file], { env });
      if (r.code !== 0) problems.push(`plan after a never-started holder exited ${r.code}: ${r.stdout}${r.stderr}`);
      continue;
    }
    await sleep(200);
  }
}

/**
 * The command after an aimed kill. `run` is somebody else's run (another state directory: this one
 * still holds the killed run, so a run here would refuse to start before touching the engine).
 */
async function nextCommand(next: (typeof NEXT)[number], file: string, stateDir: string): Promise<{ problems: string[]; runIds: string[] }> {
  const env = { FAULTLINE_STATE_DIR: stateDir };
  const problems: string[] = [];
  const started: string[] = [];
  if (next === 'run') {
    const other = path.join(stateDir, 'other');
    const r = await runCli(['run', file, '--out', path.join(stateDir, 'out2')], { env: { FAULTLINE_STATE_DIR: other } });
    // The trial experiments declare no objectives: a clean run that judged nothing exits 1.
    if (r.code !== 1 || !(r.stdout + r.stderr).includes('nothing was judged')) problems.push(`the next run exited ${r.code}: ${r.stderr.slice(-1000)}`);
    for (const f of existsSync(path.join(other, 'runs')) ? readdirSync(path.join(other, 'runs')) : []) started.push(f.replace(/\.ledger$/, ''));
    runIds.push(...started);
  } else {
    const r = await runCli(next === 'plan' ? ['plan', file] : [next], { env });
    if (r.code !== 0) problems.push(`${next} exited ${r.code}: ${r.stdout}${r.stderr}`);
    if (next === 'halt' && (await runCli(['halt', '--release'], { env })).code !== 0) problems.push('halt --release failed');
  }
  return { problems, runIds: started };
}

describe('SIGKILL of the runner at a random instant leaves nothing behind (Docker driver)', () => {
  it(`${TRIALS} trials per Docker fault kind, half with rollback, half left to the holders`, async () => {
    const rng = seedrandom('faultline-docker-chaos');
    const kinds = Object.keys(FAULTS);
    // Interleaved, so parallel lanes run different kinds at once.
    const trials: Trial[] = [];
    for (let n = 0; n < TRIALS; n++) for (const kind of kinds) trials.push({ kind, n, withRollback: n % 2 === 0, ...killPlan(rng) });
    // The next command rotates over every aimed trial, so plan, run, rollback and halt each clean up after several kinds.
    let aimed = 0;
    for (let n = 0; n < AIMED; n++) for (const kind of kinds) trials.push({ kind, n, withRollback: false, phase: 'created', offsetMs: 0, next: NEXT[aimed++ % NEXT.length]! });
    const runHolderPhases = ['started', 'acked', 'applied'] as const;
    for (let n = 0; n < AIMED_RUN_HOLDER; n++) for (const kind of ENGINE_HELD) for (const phase of runHolderPhases) trials.push({ kind, n, withRollback: n % 2 === 0, phase, offsetMs: 0 });
    const lanes = await Promise.all(Array.from({ length: LANES }, (_, i) => makeLane(i + 1)));
    const free = [...lanes];
    const limit = pLimit(LANES);
    const results = await Promise.all(
      trials.map((t) =>
        limit(async () => {
          let lane = free.pop()!;
          try {
            const problems = await runTrial(t, lane);
            if (problems.length) {
              // A dirty lane would blame the next trial: start the next one on fresh containers.
              await Promise.all([lane.a.id, lane.b.id].map((id) => lab.docker.getContainer(id).remove({ force: true }).catch(() => undefined)));
              await lab.docker.getNetwork(lane.network).remove().catch(() => undefined);
              lane = await makeLane(nextLane++ % 250);
            }
            return problems;
          } finally {
            free.push(lane);
          }
        }),
      ),
    );
    const leftovers = results.flat();
    console.log(
      `docker chaos: ${trials.length} trials (${kinds.length} fault kinds x ${TRIALS} at seeded instants + ${AIMED} aimed between a holder's create and start; ${ENGINE_HELD.length} engine-held kinds x ${AIMED_RUN_HOLDER} x 3 aimed at the run holder's instants), leftovers found: ${leftovers.length}; never-started holders at seeded instants (no fault behind them, removed by the next plan): ${inert.length}`,
    );
    for (const x of inert) console.log(`  never started: ${x}`);
    console.log(
      `  kills landed during injection ${phases.inject}, hold ${phases.hold}, revert ${phases.revert}, between a holder's create and start (aimed) ${phases.created}; ` +
        `run holder started, nothing registered ${phases.started}; hold acknowledged, fault not applied ${phases.acked}; fault applied, undo not in the ledger ${phases.applied}; after the run had ended ${phases.ended}`,
    );
    for (const l of leftovers) console.log(`  leftover: ${l}`);
    expect(leftovers).toEqual([]);
    expect(phases.created).toBe(AIMED * kinds.length);
    for (const p of ['started', 'acked', 'applied'] as const) expect(phases[p]).toBe(AIMED_RUN_HOLDER * ENGINE_HELD.length);
  }, 3_600_000);
});
