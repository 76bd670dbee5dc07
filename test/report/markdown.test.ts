import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/index.js';
import { allMet, journalFixture } from '../fixtures/journal.js';

const rows = (md: string, header: string) => {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  const body = lines.slice(start + 2);
  return body.slice(0, body.findIndex((l) => !l.startsWith('|')));
};

describe('renderMarkdown', () => {
  it('titles a failed run with ❌ and a passed one with ✅', () => {
    expect(renderMarkdown(journalFixture()).split('\n')[0]).toBe('### ❌ faultline: checkout-failover failed');
    expect(renderMarkdown(allMet(journalFixture())).split('\n')[0]).toBe('### ✅ faultline: checkout-failover passed');
  });

  it('states status, run id, seed, duration and targets', () => {
    const md = renderMarkdown(journalFixture());
    expect(md).toContain('**Status:** completed (1 of 3 objectives missed)');
    expect(md).toContain('`r-20231114-abc123`');
    expect(md).toContain('`seed-42`');
    expect(md).toContain('**Duration:** 42.50s');
    expect(md).toContain('**Targets:** db/primary, replica/replica');
  });

  it('has one verdict row per verdict with target, measured and result', () => {
    const verdicts = rows(renderMarkdown(journalFixture()), '| Objective');
    expect(verdicts).toEqual([
      '| writes recovers within 10s | <= 10s | 1.42s | ✅ met |',
      '| writes available >= 95% | >= 95% | 98.5% | ✅ met |',
      '| reads p99 latency <= 300ms | <= 300ms | 412ms | ❌ missed |',
    ]);
  });

  it('lists faults with target and offsets from the start', () => {
    expect(rows(renderMarkdown(journalFixture()), '| Fault')).toEqual([
      '| kill-primary | kill | primary | +10.0s | instant |',
      '| slow-replica | latency | replica | +15.0s | +25.0s |',
    ]);
  });

  it('warns about leftovers only when the run was unclean', () => {
    expect(renderMarkdown(journalFixture())).not.toContain('WARNING');
    const md = renderMarkdown(journalFixture({ status: 'interrupted', unclean: true, leftovers: ['tc qdisc on eth0 of fl-r1'] }));
    expect(md).toContain('> [!WARNING]');
    expect(md).toContain('> - tc qdisc on eth0 of fl-r1');
    expect(md).toContain('run interrupted');
  });

  it('keeps hostile text inside its cell and out of HTML', () => {
    const j = journalFixture();
    j.verdicts[0] = { ...j.verdicts[0]!, objective: 'a | b\n<script>x</script>' };
    const [row] = rows(renderMarkdown(j), '| Objective');
    expect(row).toBe('| a \\| b &lt;script>x&lt;/script> | <= 10s | 1.42s | ✅ met |');
  });

  it('stays short', () => {
    expect(renderMarkdown(journalFixture({ unclean: true, leftovers: ['one', 'two'] })).split('\n').length).toBeLessThanOrEqual(40);
  });
});
