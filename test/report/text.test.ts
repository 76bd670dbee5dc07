import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/domain/model.js';
import { formatEvent, renderMarkdown, renderVerdictTable } from '../../src/report/index.js';
import { T0, allMet, journalFixture } from '../fixtures/journal.js';

const ESC = '\x1b[';

describe('renderVerdictTable', () => {
  it('aligns columns and marks each verdict', () => {
    const lines = renderVerdictTable(journalFixture(), { color: false }).split('\n');
    expect(lines[0]).toMatch(/^ {2}RESULT {2}OBJECTIVE +MEASURED {2}TARGET$/);
    const rows = lines.filter((l) => /^ {2}(✔ PASS|✘ FAIL) /.test(l));
    expect(rows).toHaveLength(3);
    const column = lines[0]!.indexOf('MEASURED');
    expect(rows.map((r) => r.slice(column).split(/\s{2,}/)[0])).toEqual(['1.42s', '98.5%', '412ms']);
    expect(rows[2]).toMatch(/✘ FAIL {2}reads p99 latency <= 300ms +412ms +<= 300ms$/);
    expect(lines).toContain('          p99 412ms over 28 successful samples (target 300ms)');
  });

  it('ends with a one-line status summary', () => {
    const failed = renderVerdictTable(journalFixture(), { color: false }).split('\n').at(-1);
    expect(failed).toBe('✘ FAILED checkout-failover: 1 of 3 objectives missed · status completed · run r-20231114-abc123 · 42.50s');
    const passed = renderVerdictTable(allMet(journalFixture()), { color: false }).split('\n').at(-1);
    expect(passed).toBe('✔ PASSED checkout-failover: 3 of 3 objectives met · status completed · run r-20231114-abc123 · 42.50s');
  });

  it('a completed run that declared no objectives says nothing was judged, never PASSED', () => {
    const j = journalFixture({ verdicts: [], deviated: false });
    const last = renderVerdictTable(j, { color: false }).split('\n').at(-1);
    expect(last).toBe('? NOT JUDGED checkout-failover: no objectives declared: nothing was judged · status completed · run r-20231114-abc123 · 42.50s');
    expect(renderMarkdown(j)).toMatch(/failed[\s\S]*no objectives declared: nothing was judged/);
    expect(renderMarkdown(j)).not.toMatch(/passed/);
  });

  it('uses ANSI colour only when asked', () => {
    expect(renderVerdictTable(journalFixture(), { color: false })).not.toContain(ESC);
    const coloured = renderVerdictTable(journalFixture(), { color: true });
    expect(coloured).toContain(`${ESC}31m✘ FAIL`);
    expect(coloured).toContain(`${ESC}32m✔ PASS`);
  });

  it('reports aborted runs, leftovers and the absence of objectives', () => {
    const text = renderVerdictTable(journalFixture({ verdicts: [], deviated: false, status: 'aborted', reason: 'writes failed for 5s', unclean: true, leftovers: ['proxy on :7001'] }), { color: false });
    expect(text).toContain('no objectives');
    expect(text).toContain('! left behind: proxy on :7001');
    expect(text.split('\n').at(-1)).toMatch(/^✘ FAILED checkout-failover: run aborted: writes failed for 5s; the run was not cleaned up · status aborted/);
  });
});

describe('formatEvent', () => {
  const cases: [JournalEvent, string][] = [
    [{ t: T0 + 1234, type: 'inject', fault: 'kill-primary', kind: 'kill', target: 'primary', ok: true, undo: { pid: 1234 } }, '+1.234s inject kill primary (pid 1234)'],
    [{ t: T0 + 1234, type: 'inject', fault: 'f', kind: 'loss', target: 'api', ok: false, error: 'iptables: permission denied' }, '+1.234s inject loss api FAILED: iptables: permission denied'],
    [{ t: T0 + 5000, type: 'revert', fault: 'f', kind: 'pause', target: 'api', ok: true, note: 'target vanished' }, '+5.000s revert pause api (target vanished)'],
    [{ t: T0, type: 'phase', phase: 'steady-state' }, '+0.000s phase steady-state'],
    [{ t: T0 + 10, type: 'log', level: 'warn', message: 'slow\nprobe' }, '+0.010s warn slow probe'],
    [{ t: T0 + 7, type: 'abort', reason: 'writes failed for 5s' }, '+0.007s abort: writes failed for 5s'],
    [{ t: T0 + 7, type: 'interrupt', signal: 'SIGINT' }, '+0.007s interrupted by SIGINT'],
    [{ t: T0 + 2500, type: 'service', service: 'db', event: 'exited', code: 137, signal: null }, '+2.500s service db exited (code 137)'],
    [{ t: T0 - 50, type: 'targets', targets: [{ driver: 'process', group: 'db', id: 'p', name: 'primary', meta: {} }] }, '-0.050s targets db/primary'],
  ];
  it.each(cases)('%j', (event, line) => {
    expect(formatEvent(event, T0)).toBe(line);
  });
});
