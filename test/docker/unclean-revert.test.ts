// A revert that fails because the engine is briefly unreachable: faultline talks to the engine
// through a forwarding socket this test owns and cuts. The run must end unclean (exit code 4) with
// leftovers that say what may be left, the holder must stay as the safety net, and `faultline
// rollback` must finish the job once the engine answers again.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, waitForOutput } from '../support/cli.js';
import { DEFAULT_SOCKET } from '../../src/drivers/docker/connect.js';
import { Lab, ensureDocker, sleep } from './lab.js';

const lab = new Lab('uncl');
beforeAll(ensureDocker, 300_000);
afterEach(() => lab.cleanup());
afterAll(async () => {
  await lab.cleanup();
  expect(await lab.leftovers()).toEqual([]);
});

/** A unix socket forwarding to the engine's, which the test can cut and restore. */
class EngineLink {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();

  constructor(readonly path: string) {}

  async open(): Promise<void> {
    rmSync(this.path, { force: true });
    this.server = net.createServer((client) => {
      const engine = net.connect(DEFAULT_SOCKET);
      for (const s of [client, engine]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          engine.destroy();
        });
      }
      client.pipe(engine).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.path, resolve));
  }

  /** The engine stops answering: no socket to connect to, and every open connection drops. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
    rmSync(this.path, { force: true });
  }
}

function experiment(name: string, container: string, forMs: number): string {
  return `apiVersion: faultline/v1
kind: Experiment
metadata: { name: ${name} }
spec:
  driver: docker
  targets:
    victim: { selector: { names: [${container}] } }
  faults:
    - pause: { target: victim }
      for: ${forMs}ms
  observe: { steadyState: 50ms, recoveryWindow: 100ms }
`;
}

const holdersOf = async (runId: string) => lab.docker.listContainers({ all: true, filters: { label: [`faultline.run-id=${runId}`, 'faultline.holder'] } });

describe('a revert that fails because the engine is unreachable', { timeout: 90_000 }, () => {
  it('ends unclean (exit 4) with leftovers; the holder stays; rollback finishes the job', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-unclean-'));
    const link = new EngineLink(path.join(dir, 'engine.sock'));
    await link.open();
    try {
      const c = await lab.container({ name: 'victim' });
      const file = path.join(dir, 'pause.yaml');
      // Held long enough that the holder cannot be what heals it during this test.
      writeFileSync(file, experiment('unclean-pause', c.Name.slice(1), 60_000));
      const env = { FAULTLINE_STATE_DIR: path.join(dir, 'state') };
      const run = startCli(['run', file, '--docker-host', `unix://${link.path}`, '--out', path.join(dir, 'out')], { env });
      await waitForOutput(run.output, /inject pause/);
      await link.cut();
      // The interrupt makes the run revert now; the engine is not there to answer.
      run.child.kill('SIGINT');
      const r = await run.done;
      expect(r.code).toBe(4);
      const journalPath = /journal: (\S+)/.exec(r.stderr)![1]!;
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { status: string; unclean: boolean; leftovers: string[] };
      expect(journal.unclean).toBe(true);
      expect(journal.status).toBe('interrupted');
      expect(journal.leftovers.join('\n')).toMatch(/pause "pause-\d+" on .*victim may still be in place \(cannot unpause .*\); its undo record is \{"action":"unpause"/);

      const runId = readdirSync(path.join(dir, 'state', 'runs'))[0]!.replace(/\.ledger$/, '');
      expect((await lab.docker.getContainer(c.Id).inspect()).State.Paused).toBe(true);
      expect(await holdersOf(runId)).toHaveLength(1);

      // The engine is back: rollback, through the same address the run recorded.
      await link.open();
      const rb = await runCli(['rollback', '--run', runId], { env });
      expect(rb.code).toBe(0);
      expect(rb.stdout).toMatch(/1 fault\(s\) restored/);
      expect((await lab.docker.getContainer(c.Id).inspect()).State.Paused).toBe(false);
      expect(await holdersOf(runId)).toEqual([]);
      expect((await runCli(['rollback', '--run', runId], { env })).stdout).toMatch(/nothing to roll back/);
    } finally {
      await link.cut();
    }
  });

  it('when the scheduled revert fails, the run ends unclean and nothing is left after rollback', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-unclean-'));
    const link = new EngineLink(path.join(dir, 'engine.sock'));
    await link.open();
    try {
      const c = await lab.container({ name: 'victim2' });
      const file = path.join(dir, 'pause.yaml');
      // Long enough that the link is cut before the scheduled revert, however slowly this test runs.
      writeFileSync(file, experiment('unclean-scheduled', c.Name.slice(1), 8000));
      const env = { FAULTLINE_STATE_DIR: path.join(dir, 'state') };
      const run = startCli(['run', file, '--docker-host', `unix://${link.path}`, '--out', path.join(dir, 'out')], { env });
      await waitForOutput(run.output, /inject pause/);
      await link.cut();
      const r = await run.done;
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/revert pause .*victim2/);
      await link.open();
      const runId = readdirSync(path.join(dir, 'state', 'runs'))[0]!.replace(/\.ledger$/, '');
      const rb = await runCli(['rollback', '--run', runId], { env });
      expect(rb.code).toBe(0);
      const info = await lab.docker.getContainer(c.Id).inspect();
      expect(info.State.Paused).toBe(false);
      expect(info.State.Running).toBe(true);
      await sleep(0);
      expect(await holdersOf(runId)).toEqual([]);
    } finally {
      await link.cut();
    }
  });
});
