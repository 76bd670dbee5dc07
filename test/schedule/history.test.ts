import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHistory, renderHistory } from '../../src/cli/history-command.js';
import type { Journal } from '../../src/domain/model.js';

function journal(name: string, startedAt: number, over: Partial<Journal> = {}): Journal {
  return {
    schemaVersion: 1, runId: `r-${startedAt}`, faultlineVersion: 'test', experiment: { name, spec: null }, seed: '1', driver: 'process', startedAt, endedAt: startedAt + 5000,
    status: 'completed', deviated: false, unclean: false, targets: [], faults: [], events: [], samples: [], leftovers: [],
    verdicts: [
      { objective: 'writes recovers within 5s', kind: 'recovery', probe: 'writes', status: 'met', met: true, measured: 420, bound: 5000, unit: 'ms', detail: '', figures: {} },
      { objective: 'writes available at least 99%', kind: 'availability', probe: 'writes', status: over.deviated ? 'missed' : 'met', met: !over.deviated, measured: 97, bound: 99, unit: '%', detail: '', figures: {} },
    ],
    ...over,
  };
}

describe('faultline history', () => {
  it('lists runs newest first with status, recovery time and verdicts, skipping what is not a journal', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'faultline-history-'));
    const put = (dir: string, text: string) => {
      mkdirSync(path.join(out, dir), { recursive: true });
      writeFileSync(path.join(out, dir, 'journal.json'), text);
    };
    put('a', JSON.stringify(journal('kill-primary', Date.UTC(2026, 5, 15, 8))));
    put('b', JSON.stringify(journal('partition', Date.UTC(2026, 5, 15, 9), { deviated: true })));
    put('c', '{ torn');
    mkdirSync(path.join(out, 'not-a-run'));
    const warnings: string[] = [];
    const entries = await readHistory(out, (m) => warnings.push(m));
    expect(entries.map((e) => [e.experiment, e.recoveryMs, e.deviated])).toEqual([
      ['partition', 420, true],
      ['kill-primary', 420, false],
    ]);
    expect(warnings).toEqual([expect.stringMatching(/skipped .*c\/journal\.json/)]);
    expect(renderHistory(entries).split('\n')).toEqual([
      'time                  experiment    status             recovery  verdicts',
      '2026-06-15 09:00:00Z  partition     completed, missed  420ms     1/2 met (missed: writes available at least 99%)',
      '2026-06-15 08:00:00Z  kill-primary  completed          420ms     2/2 met',
    ]);
    expect(await readHistory(path.join(out, 'missing'), () => {})).toEqual([]);
    expect(renderHistory([])).toBe('no runs recorded');
  });
});
