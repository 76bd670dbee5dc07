import { describe, expect, it } from 'vitest';
import { humanDetection } from '../../src/domain/logbook.js';
import type { JournalEvent } from '../../src/domain/model.js';
import { renderHtml, renderVerdictTable, formatEvent } from '../../src/report/index.js';
import { T0, journalFixture } from '../fixtures/journal.js';

function withLogbook() {
  const base = journalFixture();
  const events: JournalEvent[] = [
    ...base.events,
    { t: T0 + 12_000, type: 'note', text: 'checkout <b>errors</b> on the dashboard' },
    { t: T0 + 13_500, type: 'detected', by: 'alice', via: 'dashboard', text: 'p99 panel' },
    { t: T0 + 20_000, type: 'detected', by: 'bob', via: 'alert' },
  ];
  return { ...base, events: events.sort((a, b) => a.t - b.t) };
}

describe('the logbook in the reports', () => {
  it('derives the human time to detect from the first Detected mark after the first fault', () => {
    const j = withLogbook();
    const firstInject = j.events.find((e) => e.type === 'inject' && e.ok)!;
    const d = humanDetection(j)!;
    expect(d.mark.by).toBe('alice');
    expect(d.afterMs).toBe(T0 + 13_500 - firstInject.t);
    expect(humanDetection(journalFixture())).toBeUndefined();
  });

  it('report.html lists every entry with absolute and relative time, escaped, and marks them on each probe timeline', () => {
    const html = renderHtml(withLogbook());
    expect(html).toContain('<h2>Logbook</h2>');
    expect(html).toContain('checkout &lt;b&gt;errors&lt;/b&gt; on the dashboard');
    expect(html).not.toContain('<b>errors</b>');
    expect(html).toContain(new Date(T0 + 12_000).toISOString());
    expect(html).toContain('+12.000s');
    expect(html).toMatch(/human time to detect: [^<]+alice noticed through a dashboard/);
    // Two probes, three entries: every timeline carries every mark.
    expect(html.match(/<g class="logbook-mark note">/g)).toHaveLength(2);
    expect(html.match(/<g class="logbook-mark detected">/g)).toHaveLength(4);
  });

  it('the verdict table and the event log say who noticed and how', () => {
    const j = withLogbook();
    expect(renderVerdictTable(j, { color: false })).toMatch(/human time to detect: .* \(alice noticed through a dashboard, .* after the first fault\)/);
    const mark = j.events.find((e) => e.type === 'detected')!;
    expect(formatEvent(mark, T0)).toBe('+13.500s detected by alice through a dashboard: p99 panel');
    expect(renderHtml(journalFixture())).not.toContain('<h2>Logbook</h2>');
  });
});
