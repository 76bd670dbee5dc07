// A schedule workspace on disk with KV experiments, and a terminal that keeps what it is told.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Terminal } from '../../src/cli/terminal.js';
import { experimentYaml, kvPorts, kvServices } from '../support/kv.js';

export function captureTerminal(): Terminal & { lines: string[]; text: () => string } {
  const lines: string[] = [];
  return {
    lines,
    text: () => lines.join('\n'),
    tty: false,
    color: false,
    out: (t) => lines.push(t),
    err: (t) => lines.push(t),
    status: () => {},
  };
}

/** kill one random node of the KV service (ports base..base+3); recovery within 5s. */
export function killAnyNode(name: string, base: number): string {
  return experimentYaml(
    name,
    `${kvServices(kvPorts(base))}
  targets:
    any-node: { selector: { names: [primary, replica] }, pick: { count: 1 } }
  probes:
    writes: { http: { url: "http://127.0.0.1:${base}/put?k=x&v=1", expect: { status: 200 } }, every: 100ms, timeout: 500ms }
  steadyState: [writes]
  observe: { steadyState: 500ms, recoveryWindow: 5s }
  faults:
    - kill: { target: any-node }
      at: 300ms
  objectives:
    - recovery: { probe: writes, within: 5s }`,
  ).replace('  seed: 1\n', '');
}

/** Pauses the primary for a long time: a run that is still in progress when the halt lock appears. */
export function longPause(name: string, base: number): string {
  return experimentYaml(
    name,
    `${kvServices(kvPorts(base))}
  targets:
    primary: { selector: { names: [primary] } }
  probes:
    writes: { http: { url: "http://127.0.0.1:${base}/put?k=x&v=1", expect: { status: 200 } }, every: 100ms, timeout: 500ms }
  steadyState: [writes]
  observe: { steadyState: 500ms }
  faults:
    - pause: { target: primary }
      at: 200ms
      for: 60s`,
  );
}

export function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-schedule-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}
