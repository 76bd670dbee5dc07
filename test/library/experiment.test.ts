// The library as a test author uses it: experiment(file or object).run() against real local
// services (process driver), the matchers, a typed located error for bad input, and a run stopped
// through its AbortSignal and through `await using`, each reverting everything.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, experiment, toMeetObjectives, toRecoverWithin } from '../../src/index.js';
import '../../src/vitest.js';
import { freePort } from '../support/free-port.js';
import { processLeftovers } from '../support/leftovers.js';

const echo = path.resolve('test/fixtures/echo-server.js');

/** One echo service killed once and restarted by the process driver; judged by a recovery objective. */
function killExperiment(port: number, hold?: string) {
  return {
    apiVersion: 'faultline/v1',
    kind: 'Experiment',
    metadata: { name: 'library-kill' },
    spec: {
      driver: 'process',
      services: { web: { command: ['node', echo, String(port)], restart: 'always', restartDelay: '100ms', ready: { tcp: `127.0.0.1:${port}` } } },
      targets: { web: { selector: { names: ['web'] } } },
      probes: { up: { http: { url: `http://127.0.0.1:${port}/` }, every: '50ms', timeout: '500ms' } },
      steadyState: ['up'],
      faults: [hold ? { pause: { target: 'web' }, at: '200ms', for: hold } : { kill: { target: 'web', signal: 'SIGKILL' }, at: '200ms' }],
      objectives: [{ recovery: { probe: 'up', within: '5s' } }],
      observe: { steadyState: '200ms', recoveryWindow: '3s' },
    },
  };
}

describe('experiment(...) from code', () => {
  it('runs an inline experiment like `faultline run` and answers with typed verdicts and matchers', async () => {
    const port = await freePort();
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-lib-'));
    const result = await experiment(killExperiment(port), { stateDir: path.join(out, 'state') }).run({ out });
    expect(result.status).toBe('completed');
    expect(result.passed).toBe(true);
    expect(result.exitCode).toBe(0);
    const recovery = result.verdict('recovery');
    expect(recovery.status).toBe('met');
    expect(recovery.measured).toBeGreaterThan(0);
    expect(result).toMeetObjectives();
    expect(result).toRecoverWithin('5s');
    expect(result.runDir.startsWith(out)).toBe(true);
    expect(result.log.some((l) => l.includes('running library-kill'))).toBe(true);
    expect(await processLeftovers(result.journal.runId, [port])).toEqual([]);
  });

  it('runs a file, and the matchers fail with the verdict table when the bound is missed', async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-lib-'));
    const file = path.join(dir, 'kill.json');
    writeFileSync(file, JSON.stringify(killExperiment(port)));
    const result = await experiment(file).run({ out: dir, stateDir: path.join(dir, 'state') });
    expect(result.journal.experiment.file).toBe(file);
    const tooFast = toRecoverWithin(result, 0);
    expect(tooFast.pass).toBe(false);
    expect(tooFast.message()).toMatch(/expected every recovery within 0\.00ms, but: up recovers within 5s: \d/);
    expect(tooFast.message()).toContain('PASS'); // the verdict table, as the CLI prints it
    expect(() => result.verdict('nothing-like-it')).toThrow(/no objective "nothing-like-it"; the run's objectives: "up recovers within 5s"/);
    expect(toMeetObjectives(result).pass).toBe(true);
  });

  it('throws the located InvalidInputError of the CLI for bad input, and touches nothing', async () => {
    const bad = killExperiment(1);
    (bad.spec.faults[0] as Record<string, unknown>).kill = { target: 'nowhere' };
    const err = await experiment(bad).run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toMatch(/<inline experiment>:\d+:\d+.*nowhere/s);
    const missing = await experiment('/nonexistent/experiment.yaml').run().catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InvalidInputError);
    expect((missing as Error).message).toContain('/nonexistent/experiment.yaml');
  });

  it('stops on its AbortSignal: the held fault is reverted and the run ends interrupted', async () => {
    const port = await freePort();
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-lib-'));
    const stop = new AbortController();
    const run = experiment(killExperiment(port, '30s')).run({ out, stateDir: path.join(out, 'state'), signal: stop.signal, listen: (e) => e.type === 'inject' && e.ok && stop.abort() });
    const result = await run;
    expect(result.status).toBe('interrupted');
    expect(result.exitCode).toBe(130);
    expect(result.journal.faults[0]?.revertedAt).not.toBeNull();
    expect(await processLeftovers(result.journal.runId, [port])).toEqual([]);
  });

  it('`await using` stops a started run when its scope ends and waits for every revert', async () => {
    const port = await freePort();
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-lib-'));
    let injected!: () => void;
    const inFault = new Promise<void>((resolve) => (injected = resolve));
    let result: Promise<import('../../src/index.js').ExperimentResult>;
    {
      await using run = experiment(killExperiment(port, '30s')).start({ out, stateDir: path.join(out, 'state'), listen: (e) => e.type === 'inject' && e.ok && injected() });
      result = run.result;
      await inFault;
    }
    const ended = await result;
    expect(ended.status).toBe('interrupted');
    expect(ended.journal.faults[0]?.revertedAt).not.toBeNull();
    expect(await processLeftovers(ended.journal.runId, [port])).toEqual([]);
  });
});
