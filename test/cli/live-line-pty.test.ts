// The live status line as a facilitator sees it: a real `faultline run` in a pseudo-terminal
// (util-linux `script`), a pause held on a real process, the faults in place with their countdown
// and each objective beside its target.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { stripVTControlCharacters } from 'node:util';
import { addressInUse } from '../../src/drivers/process/readiness.js';
import { CLI, experimentYaml, kvPorts, kvServices, writeTemp } from '../support/kv.js';

const p = kvPorts(27440);

const experiment = experimentYaml(
  'live-line',
  `${kvServices(p)}
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    writes: { http: { url: "http://127.0.0.1:${p.primary}/put?k=a&v=1" }, every: 100ms, timeout: 300ms }
  steadyState: [writes]
  faults:
    - pause: { target: primary }
      for: 3s
  objectives:
    - availability: { probe: writes, atLeast: 10% }
    - recovery: { probe: writes, within: 5s }
  observe: { steadyState: 300ms }`,
);

function runInPty(args: string[]): Promise<{ code: number | null; output: string }> {
  const quoted = [CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // A wide terminal, so the status line is not cut; NO_COLOR keeps the text plain.
  const child = spawn('script', ['-qfec', `stty cols 400 rows 50; exec ${quoted}`, '/dev/null'], { env: { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: writeTemp('state', '') + '.d' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('the live line in a pseudo-terminal (spawned run)', () => {
  it('names the held pause with a countdown to its revert and each objective beside its target', async () => {
    const file = writeTemp('live.yaml', experiment);
    const r = await runInPty(['run', file, '--out', writeTemp('runs', '') + '.d']);
    // Each redraw starts with a carriage return and an erase-line: split on those to get the status lines.
    const statuses = r.output.split('\r').map((s) => stripVTControlCharacters(s).trim()).filter((s) => s.startsWith('['));
    const held = statuses.filter((s) => s.startsWith('[inject]') && s.includes('in place: pause-1 on primary, reverts in'));
    expect(held.length, r.output).toBeGreaterThan(0);
    const countdowns = held.map((s) => Number(/reverts in (\d+\.\d)s/.exec(s)![1]));
    expect(Math.max(...countdowns)).toBeLessThanOrEqual(3);
    expect(countdowns.at(-1)!).toBeLessThan(countdowns[0]!);
    expect(held.at(-1)).toMatch(/writes availability (\d+(\.\d+)?%|—) \(≥ 10%\)/);
    expect(held.at(-1)).toContain('writes recovery —/5s');
    expect(r.code, r.output).toBe(0);
    for (const port of [p.primary, p.replica, p.link, p.clientLink]) expect(await addressInUse(`127.0.0.1:${port}`)).toBe(false);
  }, 60_000);
});
