// The history page from real run directories (plain runs and a game day's steps): trends per
// experiment, every run linked to its report, nothing fetched.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyCommand, readHistory } from '../../src/cli/history-command.js';
import type { Terminal } from '../../src/cli/terminal.js';
import type { Journal } from '../../src/domain/model.js';

function journal(name: string, startedAt: number, recoveryMs: number | null, availability: number): Journal {
  const recoveryMet = recoveryMs !== null && recoveryMs <= 5000;
  return {
    schemaVersion: 1, runId: `r-${name}-${startedAt}`, faultlineVersion: 'test', experiment: { name, spec: null }, seed: '1', driver: 'process', startedAt, endedAt: startedAt + 5000,
    status: 'completed', deviated: !recoveryMet, unclean: false, targets: [], faults: [], events: [], samples: [], leftovers: [],
    verdicts: [
      { objective: 'writes recovers within 5s', kind: 'recovery', probe: 'writes', status: recoveryMet ? 'met' : 'missed', met: recoveryMet, measured: recoveryMs, bound: 5000, unit: 'ms', detail: '', figures: {} },
      { objective: 'writes available at least 90%', kind: 'availability', probe: 'writes', status: 'met', met: true, measured: availability, bound: 90, unit: '%', detail: '', figures: {} },
    ],
  };
}

const quiet: Terminal & { lines: string[] } = { lines: [], tty: false, color: false, out() {}, err(t) { quiet.lines.push(t); }, status() {} };

describe('faultline history --html', () => {
  it('shows each experiment\'s recovery time, availability and verdicts across runs, game-day steps included, linked to their reports', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-history-'));
    const put = (dir: string, j: Journal) => {
      mkdirSync(path.join(out, dir), { recursive: true });
      writeFileSync(path.join(out, dir, 'journal.json'), JSON.stringify(j));
    };
    const h = (hour: number) => Date.UTC(2026, 11, 1, hour);
    put('run-1', journal('kill-primary', h(8), 420, 99));
    put('run-2', journal('kill-primary', h(9), 7300, 91.5));
    put('gd/steps/step-1', journal('kill-primary', h(10), 380, 99.5));
    writeFileSync(path.join(out, 'gd', 'scenario.json'), '{}');
    put('run-3', journal('partition', h(11), null, 97));

    const entries = await readHistory(out, () => {});
    expect(entries.map((e) => [e.experiment, e.recoveryMs, e.availability, e.scenario])).toEqual([
      ['partition', null, 97, undefined],
      ['kill-primary', 380, 99.5, 'gd'],
      ['kill-primary', 7300, 91.5, undefined],
      ['kill-primary', 420, 99, undefined],
    ]);

    expect(await historyCommand({ out, html: true }, quiet)).toBe(0);
    const html = readFileSync(path.join(out, 'history.html'), 'utf8');
    expect(quiet.lines).toEqual([`wrote: ${path.join(out, 'history.html')} (4 runs)`]);
    // Most recently run experiment first; each with its own trends.
    expect(html.indexOf('<h2>partition</h2>')).toBeLessThan(html.indexOf('<h2>kill-primary</h2>'));
    expect(html).toContain('<p>3 runs, 2 passed · latest: ✔ passed · recovery best 380ms, worst 7.30s</p>');
    expect(html).toContain('aria-label="Recovery time: 420ms, 7.30s, 380ms"');
    expect(html).toContain('aria-label="Availability: 99%, 91.5%, 99.5%"');
    expect(html).toContain('aria-label="Recovery time: not measured"');
    // Each run links to its own report, relative to the page; a game day's step says so.
    for (const dir of ['run-1', 'run-2', 'gd/steps/step-1', 'run-3']) expect(html).toContain(`href="${dir}/report.html"`);
    expect(html).toContain('<small>game day gd</small>');
    // Verdicts in words and marks, not colour alone.
    expect(html).toContain('✘ writes recovers within 5s');
    expect(html).not.toMatch(/<script|<link|src="|@import/);
  });

  it('writes an empty page when there are no runs, and where it is asked to', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-history-'));
    const page = path.join(dir, 'trends.html');
    expect(await historyCommand({ out: path.join(dir, 'none'), html: page }, quiet)).toBe(0);
    expect(readFileSync(page, 'utf8')).toContain('<p>No runs recorded.</p>');
  });
});
