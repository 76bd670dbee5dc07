// `faultline gameday --console`: one console for the whole game day, driven over HTTP as its page
// drives it: Advance passes a manual gate (even with no terminal at all), the logbook records into
// the step under way (its journal and the game day's logbook.jsonl; at a gate, the logbook only),
// and Halt stops the game day
// with the held fault reverted. Built CLI, real processes, a private state directory (Halt sets a
// halt lock there).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli, waitForOutput } from '../support/cli.js';
import { freePort } from '../support/free-port.js';
import { processLeftovers } from '../support/leftovers.js';
import { echoExperiment, scenarioFolder, scenarioRun, scenarioYaml } from './scenario-files.js';

/** The facilitator link the CLI printed: the console's base URL and its token. */
function facilitator(output: string): { base: string; token: string } {
  const m = /console for the facilitator[^\n]*: (http:\/\/[^\s#]+)#token=(\S+)/.exec(output);
  if (!m) throw new Error(`no facilitator link in:\n${output}`);
  return { base: m[1]!.replace(/\/$/, ''), token: m[2]! };
}

async function post(base: string, what: string, body: object, token?: string): Promise<{ status: number; text: string }> {
  const r = await fetch(`${base}/api/${what}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return { status: r.status, text: await r.text() };
}

describe('faultline gameday --console (spawned CLI, real processes)', () => {
  it('advances a gate from the console with no terminal, records notes into the step under way, and halts the game day', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const dir = scenarioFolder({
      'experiments/first.yaml': echoExperiment('first', { port: pa }),
      'experiments/held.yaml': echoExperiment('held', { port: pb, fault: 'pause' }),
      'scenario.yaml': scenarioYaml('console-day', `    - experiment: experiments/first.yaml
    - gate: manual
      prompt: "Who was paged?"
    - experiment: experiments/held.yaml
    - experiment: experiments/first.yaml`),
    });
    const out = path.join(dir, 'runs');
    const stateDir = mkdtempSync(path.join(tmpdir(), 'faultline-gameday-state-'));
    // No stdin: only the console can pass the gate.
    const cli = startCli(['gameday', path.join(dir, 'scenario.yaml'), '--out', out, '--console', '--state-dir', stateDir]);
    await waitForOutput(cli.output, /console for the facilitator/, 30_000);
    const { base, token } = facilitator(cli.output());
    await waitForOutput(cli.output, /== gate 2: Who was paged\?/, 60_000);

    // At the gate no experiment runs: a note goes to the game day's logbook, filed under the gate.
    const atGate = await post(base, 'note', { text: 'nobody was paged' }, token);
    expect(atGate.status, atGate.text).toBe(201);
    // Controls need the token.
    expect((await post(base, 'advance', {})).status).toBe(401);
    const advanced = await post(base, 'advance', {}, token);
    expect(advanced.status, advanced.text).toBe(200);

    // The held pause of step 3: a note and a Detected mark go into its journal, then Halt.
    await waitForOutput(cli.output, /running held/, 60_000);
    await waitForOutput(cli.output, /\binject \S+ /, 60_000);
    const note = await post(base, 'note', { text: 'the pager went off' }, token);
    expect(note.status, note.text).toBe(201);
    expect((await post(base, 'detected', { by: 'Ana', via: 'alert' }, token)).status).toBe(201);
    expect((await post(base, 'halt', { confirm: true }, token)).status).toBe(202);

    const r = await cli.done;
    expect(r.code, r.stderr).toBe(130);
    const run = scenarioRun(out);
    expect(run.scenario.status).toBe('interrupted');
    const gate = run.scenario.steps.find((s) => s.label === '2');
    expect(gate).toMatchObject({ kind: 'gate', outcome: 'advanced', by: 'console' });
    // The fourth step never started.
    expect(run.scenario.steps.find((s) => s.label === '4')).toMatchObject({ outcome: 'not-started' });
    const held = run.step('3');
    expect(held.status).toBe('interrupted');
    expect(held.faults.every((f) => f.injectedAt === null || f.revertedAt !== null)).toBe(true);
    expect(held.events).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'note', text: 'the pager went off' }), expect.objectContaining({ type: 'detected', by: 'Ana', via: 'alert' })]));
    const logbook = path.join(run.dir, 'logbook.jsonl');
    expect(existsSync(logbook)).toBe(true);
    expect(readFileSync(logbook, 'utf8')).toContain('the pager went off');
    expect(readFileSync(logbook, 'utf8')).not.toContain(token);
    const lines = readFileSync(logbook, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; text?: string; step?: string });
    expect(lines).toEqual([
      expect.objectContaining({ type: 'note', text: 'nobody was paged', step: '2' }),
      expect.objectContaining({ type: 'note', text: 'the pager went off', step: '3' }),
      expect.objectContaining({ type: 'detected', step: '3' }),
    ]);
    // In no run's journal, and in the game day's report under its gate.
    expect(held.events.some((e) => e.type === 'note' && e.text === 'nobody was paged')).toBe(false);
    const report = readFileSync(path.join(run.dir, 'report.html'), 'utf8');
    expect(report.slice(report.indexOf('id="step-2"'), report.indexOf('id="step-3"'))).toContain('✎ nobody was paged');
    expect(await processLeftovers(held.runId, [pa, pb])).toEqual([]);
  });
});
