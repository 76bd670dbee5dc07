// The post-mortem draft from a hand-made journal: every section, absolute times, the logbook, and
// the evidence beside the headings left for the team.
import { describe, expect, it } from 'vitest';
import type { Journal, JournalEvent } from '../../src/domain/model.js';
import type { ScenarioJournal } from '../../src/domain/scenario-journal.js';
import { renderPostmortem } from '../../src/report/postmortem.js';
import { T0, journalFixture } from '../fixtures/journal.js';

/** Logbook entries as the live console writes them: events beside the engine's, read by shape. */
function withLogbook(j: Journal): Journal {
  const notes = [
    { t: T0 + 10_800, type: 'detected', by: 'Ana', via: 'alert' },
    { t: T0 + 12_000, type: 'note', text: 'pager fired | on-call acked *late*' },
  ] as unknown as JournalEvent[];
  return { ...j, events: [...j.events, ...notes] };
}

describe('the post-mortem draft', () => {
  const j = withLogbook(journalFixture({ notices: ['a partition nobody noticed'] }));
  const md = renderPostmortem({ runs: [{ label: '', journal: j }], writtenAt: T0 + 3_600_000 });
  const section = (heading: string) => {
    const start = md.indexOf(`## ${heading}\n`);
    expect(start, `missing section ${heading}`).toBeGreaterThanOrEqual(0);
    const next = md.indexOf('\n## ', start + 3);
    return md.slice(start, next < 0 ? undefined : next);
  };

  it('has the sections a team writes, in order', () => {
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual(['# Post-mortem (draft): checkout-failover', '## Summary', '## Timeline', '## Verdicts', '## What went well', '## What did not go well', '## Action items']);
  });

  it('summarises with absolute times, faults, detection and recovery', () => {
    const s = section('Summary');
    expect(s).toContain('- **When:** 2023-11-14 22:13:20.000 UTC to 2023-11-14 22:14:02.500 UTC (42.50s)');
    expect(s).toContain('- **Outcome:** completed, failed: 1 of 3 objectives missed');
    expect(s).toContain('- **Objectives:** 2 of 3 met');
    expect(s).toContain('- **Faults:** kill-primary (kill) on primary; slow-replica (latency) on replica');
    expect(s).toContain('people: detected by Ana through an alert (800ms after the first fault)');
    expect(s).toContain('probes: writes failed first 0.00ms after the first fault');
    expect(s).toContain('- **Recovery:** writes: 1.42s (bound 10s)');
  });

  it('lays out the timeline in absolute UTC times: faults, probe failures and recoveries, notes and detections', () => {
    const rows = section('Timeline').split('\n').filter((l) => /^\| \d\d:/.test(l));
    expect(rows).toEqual([
      '| 22:13:20.000 | — | run started: checkout-failover (process driver, run r-20231114-abc123) |',
      '| 22:13:30.000 | — | fault kill-primary (kill) injected on primary |',
      '| 22:13:30.000 | — | probe writes failed (first failure after the fault: connect ECONNREFUSED 127.0.0.1:7001) |',
      '| 22:13:30.800 | — | detected by Ana through an alert |',
      '| 22:13:31.500 | — | probe writes passing again (3 in a row) |',
      // A pipe typed into a note cannot break the table, nor asterisks turn into emphasis.
      '| 22:13:32.000 | — | note: pager fired \\| on-call acked \\*late\\* |',
      '| 22:13:35.000 | — | fault slow-replica (latency) injected on replica |',
      '| 22:13:45.000 | — | fault slow-replica (latency) reverted on replica |',
      '| 22:14:02.500 | — | run ended: completed |',
    ]);
  });

  it('lists verdicts with measured values and explains the ones not met', () => {
    const v = section('Verdicts');
    expect(v).toContain('| writes recovers within 10s | <= 10s | 1.42s | ✅ met |');
    expect(v).toContain('| reads p99 latency <= 300ms | <= 300ms | 412ms | ❌ missed |');
    expect(v).toContain('- **reads p99 latency <= 300ms:** p99 412ms over 28 successful samples (target 300ms)');
  });

  it('leaves went well / did not for the team, with the evidence next to each', () => {
    const well = section('What went well');
    expect(well).toContain('_For the team to write. Evidence from the journals:_');
    expect(well).toContain('- objective met: writes recovers within 10s, measured 1.42s (bound <= 10s)');
    expect(well).toContain('- every fault was reverted (1 revert), nothing was left behind');
    const not = section('What did not go well');
    expect(not).toContain('- objective missed: reads p99 latency <= 300ms, measured 412ms (bound <= 300ms)');
    expect(not).toContain('- notice: a partition nobody noticed');
    const actions = section('Action items');
    expect(actions).toContain('| # | Action | Owner | Due | Ticket |');
    expect(actions).toContain('| 1 | Find out why "reads p99 latency <= 300ms" was missed (412ms against <= 300ms) | | | |');
  });

  it('for a game day: every step on the timeline, stopped steps as evidence', () => {
    const scenario: ScenarioJournal = {
      schemaVersion: 1, kind: 'Scenario', runId: 'g-1', faultlineVersion: '0.1.0', scenario: { name: 'payments-gameday', file: '/x/scenario.yaml' }, seed: '42',
      startedAt: T0 - 1000, endedAt: T0 + 60_000, status: 'interrupted', reason: 'halted: game over', exitCode: 130,
      steps: [
        { label: '1', kind: 'experiment', experiment: 'checkout-failover', file: 'a.yaml', outcome: 'ran', startedAt: T0, endedAt: T0 + 42_500, journal: 'steps/a/journal.json', status: 'completed', exitCode: 1 },
        { label: '2', kind: 'gate', prompt: 'Who was paged?', outcome: 'stopped', startedAt: T0 + 43_000, endedAt: T0 + 60_000 },
        { label: '3', kind: 'experiment', experiment: 'next', file: 'b.yaml', outcome: 'not-started' },
      ],
    };
    const g = renderPostmortem({ scenario, runs: [{ label: '1', journal: j }], writtenAt: T0 + 3_600_000 });
    expect(g).toContain('# Post-mortem (draft): payments-gameday');
    expect(g).toContain('- **Outcome:** interrupted (halted: game over), exit code 130');
    expect(g).toContain('| 22:13:30.000 | 1 checkout-failover | fault kill-primary (kill) injected on primary |');
    expect(g).toContain('| 22:14:03.000 | 2 gate | gate opened: "Who was paged?" |');
    expect(g).toContain('| 22:14:20.000 | 2 gate | game day stopped at this gate |');
    expect(g).toContain('| Step | Objective | Bound | Measured | Result |');
    expect(g).toContain('probes: writes (step 1) failed first 0.00ms after the first fault');
    expect(g).toContain('- **Recovery:** writes (step 1): 1.42s (bound 10s)');
    expect(g).toContain('- the game day ended interrupted: halted: game over');
    expect(g).toContain('- step 3 (experiment) did not run');
  });
});
