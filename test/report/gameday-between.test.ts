// Notes and Detected marks made at a game day's gates and waits, where no run has a journal: read
// back from the game day's logbook.jsonl (only those no step journal holds) and shown under their
// step in the scenario report and on the post-mortem's timeline.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStepJournals } from '../../src/cli/write-scenario.js';
import type { ScenarioJournal } from '../../src/domain/scenario-journal.js';
import { renderPostmortem } from '../../src/report/postmortem.js';
import { renderScenarioHtml } from '../../src/report/scenario-html.js';
import { T0, journalFixture } from '../fixtures/journal.js';

const dir = mkdtempSync(path.join(tmpdir(), 'faultline-between-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inRun = { t: T0 + 10_800, type: 'detected', by: 'Ana', via: 'alert', step: '1' };
const atGate = { t: T0 + 45_000, type: 'note', text: 'nobody saw the replica lag', step: '2' };
const markAtGate = { t: T0 + 46_000, type: 'detected', by: 'Bo', via: 'dashboard', text: 'lag graph, afterwards', step: '2' };
const scenario: ScenarioJournal = {
  schemaVersion: 1, kind: 'Scenario', runId: 'g-1', faultlineVersion: '0.1.0', scenario: { name: 'payments-gameday', file: '/x/scenario.yaml' }, seed: '42',
  startedAt: T0 - 1000, endedAt: T0 + 60_000, status: 'completed', exitCode: 0,
  steps: [
    { label: '1', kind: 'experiment', experiment: 'checkout-failover', file: 'a.yaml', outcome: 'ran', startedAt: T0, endedAt: T0 + 42_500, journal: 'steps/a/journal.json', status: 'completed', exitCode: 0 },
    { label: '2', kind: 'gate', prompt: 'Who was paged?', outcome: 'advanced', by: 'console', startedAt: T0 + 43_000, endedAt: T0 + 60_000 },
  ],
};

describe('a game day\'s logbook between experiments', () => {
  it('is read back from logbook.jsonl without the entries a step journal already holds, and shown under its step', async () => {
    const j = journalFixture({});
    j.events.push({ t: inRun.t, type: 'detected', by: 'Ana', via: 'alert' });
    mkdirSync(path.join(dir, 'steps/a'), { recursive: true });
    writeFileSync(path.join(dir, 'steps/a/journal.json'), JSON.stringify(j));
    // The last line was cut short by a crash: skipped, not fatal.
    writeFileSync(path.join(dir, 'logbook.jsonl'), [inRun, atGate, markAtGate].map((e) => JSON.stringify(e)).join('\n') + '\n{"t": 1, "ty');
    const report = await readStepJournals(dir, scenario);
    expect(report.between).toEqual([atGate, markAtGate]);

    const html = renderScenarioHtml(report);
    const gate = html.slice(html.indexOf('id="step-2"'));
    expect(gate).toContain('<li class="logbook note"><span class="num">22:14:05Z</span> ✎ nobody saw the replica lag</li>');
    expect(gate).toContain('⚑ detected by Bo through a dashboard: lag graph, afterwards');
    expect(html.slice(0, html.indexOf('id="step-2"'))).not.toContain('nobody saw the replica lag');

    const md = renderPostmortem({ scenario, runs: [{ label: '1', journal: report.journals['1']! }], writtenAt: T0 + 3_600_000, between: report.between! });
    expect(md).toContain('| 22:14:05.000 | 2 gate | note: nobody saw the replica lag |');
    expect(md).toContain('| 22:14:06.000 | 2 gate | detected by Bo through a dashboard: lag graph, afterwards |');
  });

  it('a game day without a logbook has nothing between', async () => {
    const empty = mkdtempSync(path.join(dir, 'none-'));
    expect((await readStepJournals(empty, { ...scenario, steps: [] })).between).toBeUndefined();
  });
});
