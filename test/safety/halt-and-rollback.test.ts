import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli, waitForOutput } from '../support/cli.js';
import { experimentYaml, kvPorts, kvServices, writeTemp } from '../support/kv.js';
import { processLeftovers, processesMentioning } from '../support/leftovers.js';

const p = kvPorts(27380);
const ports = [p.primary, p.replica, p.link, p.clientLink];

const longPause = experimentYaml(
  'long-pause',
  `${kvServices(p)}
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    health: { tcp: { address: 127.0.0.1:${p.primary} }, every: 100ms, timeout: 300ms }
  faults:
    - pause: { target: primary }
      at: 100ms
      for: 60s
  observe: { steadyState: 100ms }`,
);

function sharedState() {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-state-'));
  return { dir, env: { FAULTLINE_STATE_DIR: dir } };
}

describe('halt, the halt lock and rollback (spawned CLI)', () => {
  it('halt stops a live run (it reverts and exits 130), and no run starts until --release', async () => {
    const { env } = sharedState();
    const file = writeTemp('long.yaml', longPause);
    const run = startCli(['run', file, '--out', path.join(path.dirname(file), 'out')], { env });
    await waitForOutput(run.output, /inject pause primary/);
    // The experiment file is corrupted mid-run: halt works from the ledger alone.
    writeFileSync(file, 'this: [is not an experiment');
    const halt = await runCli(['halt', '--reason', 'game day over'], { env });
    expect(halt.code).toBe(0);
    expect(halt.stdout).toMatch(/halt lock set/);
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/revert pause primary/);

    const blocked = await runCli(['run', writeTemp('again.yaml', longPause)], { env });
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toMatch(/faultline is halted.*game day over.*faultline halt --release/s);
    expect((await runCli(['halt', '--release'], { env })).stdout).toMatch(/released/);
    const [runId] = readdirSync(path.join(env.FAULTLINE_STATE_DIR, 'runs')).map((f) => f.replace('.ledger', ''));
    expect(await processLeftovers(runId!, ports)).toEqual([]);
  });

  it('a dead run blocks new runs until rollback; rollback is idempotent', async () => {
    const { env } = sharedState();
    const run = startCli(['run', writeTemp('long.yaml', longPause), '--out', mkdtempSync(path.join(tmpdir(), 'o-'))], { env });
    await waitForOutput(run.output, /inject pause primary/);
    // The watchdog first: killed after the runner, it could already have begun the rollback the
    // runner's death sets off (it polls every 200 ms), and this test is about a run nobody rolled back.
    const [ledger] = readdirSync(path.join(env.FAULTLINE_STATE_DIR, 'runs'));
    const runId = ledger!.replace('.ledger', '');
    const watchdogs = processesMentioning(ledger!);
    expect(watchdogs.length, 'the run has a watchdog to kill').toBeGreaterThan(0);
    for (const pid of watchdogs) process.kill(pid, 'SIGKILL');
    run.child.kill('SIGKILL');
    await run.done;
    // The paused primary is still there: stopped, tagged with the run id.
    expect((await processLeftovers(runId, ports)).join('\n')).toMatch(/service primary still running as pid \d+ \(stopped\)/);

    const blocked = await runCli(['run', writeTemp('again.yaml', longPause)], { env });
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toMatch(new RegExp(`previous run left faults behind.*${runId}.*faultline rollback`, 's'));

    const first = await runCli(['rollback'], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/1 fault\(s\) restored/);
    expect(first.stdout).toMatch(/removed\s+stopped process \d+ \(service primary/);
    expect(await processLeftovers(runId, ports)).toEqual([]);
    const second = await runCli(['rollback'], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/nothing to roll back/);
  });

  it('halt also rolls back runs whose runner and watchdog are both gone', async () => {
    const { env } = sharedState();
    const run = startCli(['run', writeTemp('long.yaml', longPause), '--out', mkdtempSync(path.join(tmpdir(), 'o-'))], { env });
    await waitForOutput(run.output, /inject pause primary/);
    // The watchdog before the runner, as above: nobody may have rolled this run back before halt.
    const [ledger] = readdirSync(path.join(env.FAULTLINE_STATE_DIR, 'runs'));
    const watchdogs = processesMentioning(ledger!);
    expect(watchdogs.length, 'the run has a watchdog to kill').toBeGreaterThan(0);
    for (const pid of watchdogs) process.kill(pid, 'SIGKILL');
    run.child.kill('SIGKILL');
    await run.done;
    const halt = await runCli(['halt'], { env });
    expect(halt.code).toBe(0);
    expect(halt.stdout).toMatch(/1 fault\(s\) restored/);
    expect(await processLeftovers(ledger!.replace('.ledger', ''), ports)).toEqual([]);
    await runCli(['halt', '--release'], { env });
  });
});

describe('the watchdog enforces a fault\'s time to live even when the runner hangs', () => {
  it('resumes a paused service once its TTL has passed while the runner is frozen', async () => {
    const { env } = sharedState();
    // Long enough that the runner is frozen before its own revert, however slowly this test runs.
    const shortPause = longPause.replace('for: 60s', 'for: 6s');
    const run = startCli(['run', writeTemp('short.yaml', shortPause), '--out', mkdtempSync(path.join(tmpdir(), 'o-'))], { env });
    await waitForOutput(run.output, /inject pause primary/);
    const [ledger] = readdirSync(path.join(env.FAULTLINE_STATE_DIR, 'runs'));
    const runId = ledger!.replace('.ledger', '');
    run.child.kill('SIGSTOP');
    try {
      expect((await processLeftovers(runId, ports)).join()).toMatch(/stopped/);
      // TTL = for (6s) + 2s margin; the watchdog polls every 200ms; slack for a loaded machine.
      const deadline = Date.now() + 6000 + 2000 + 15_000;
      while (Date.now() < deadline && /stopped/.test((await processLeftovers(runId, ports)).join())) await new Promise((r) => setTimeout(r, 100));
      expect((await processLeftovers(runId, ports)).join()).not.toMatch(/stopped/);
    } finally {
      run.child.kill('SIGCONT');
    }
    const r = await run.done;
    // Clean and completed; it declares no objectives, so nothing was judged: exit 1, not 0.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no objectives declared: nothing was judged/);
    expect(await processLeftovers(runId, ports)).toEqual([]);
  });
});
