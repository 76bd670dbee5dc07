import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/index.js';
import { allMet, journalFixture } from '../fixtures/journal.js';
import { xmlProblem } from './wellformed.js';

const svgs = (html: string) => [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
const count = (text: string, needle: RegExp) => [...text.matchAll(needle)].length;

describe('renderHtml', () => {
  it('is a self-contained page without scripts or external assets', () => {
    const html = renderHtml(journalFixture());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|\ssrc=|href=|url\(/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('has a header with the overall result and one badge per verdict', () => {
    const html = renderHtml(journalFixture());
    expect(html).toContain('<header class="failed">');
    expect(renderHtml(allMet(journalFixture()))).toContain('<header class="passed">');
    expect(count(html, /<span class="badge met">/g)).toBe(2);
    expect(count(html, /<span class="badge missed">/g)).toBe(1);
  });

  it('draws one well-formed SVG timeline per probe, with one fault span per fault', () => {
    const j = journalFixture();
    const timelines = svgs(renderHtml(j));
    expect(timelines).toHaveLength(2);
    for (const svg of timelines) {
      expect(xmlProblem(svg)).toBeNull();
      expect(count(svg, /class="fault-span[^"]*"/g)).toBe(j.faults.length);
      expect(svg).toContain('kill-primary · kill');
      expect(svg).toContain('slow-replica · latency');
    }
    const writes = timelines.find((s) => s.includes('aria-label="writes'))!;
    expect(count(writes, /class="sample ok"/g)).toBe(71);
    expect(count(writes, /class="sample fail"/g)).toBe(3);
    // The outage breaks the latency line in two.
    expect(count(writes, /<polyline class="latency"/g)).toBe(2);
    const reads = timelines.find((s) => s.includes('aria-label="reads'))!;
    expect(count(reads, /class="bound"/g)).toBe(1);
  });

  it('shades a fault that was never reverted to the end and skips one that never ran', () => {
    const j = journalFixture();
    j.faults = [{ ...j.faults[1]!, revertedAt: null }, { name: 'never', kind: 'pause', injectedAt: null, revertedAt: null, instant: false }];
    const [svg] = svgs(renderHtml(j));
    expect(count(svg!, /class="fault-span open"/g)).toBe(1);
    expect(count(svg!, /class="fault-span/g)).toBe(1);
  });

  it('shows a card per verdict with measured and target', () => {
    const html = renderHtml(journalFixture());
    expect(count(html, /<article class="card /g)).toBe(3);
    expect(html).toContain('<article class="card missed"><h3>✘ reads p99 latency &lt;= 300ms</h3><div class="big">412ms <small>target &lt;= 300ms</small></div>');
    expect(html).toContain('<div class="big">1.42s <small>target &lt;= 10s</small></div>');
    expect(html).toContain('<dt>outageMs</dt><dd>1.50s</dd>');
  });

  it('lists targets and faults', () => {
    const html = renderHtml(journalFixture());
    expect(html).toContain('<td>db</td><td>primary</td><td><code>primary</code></td><td>pid=4242</td>');
    expect(html).toContain('<td>slow-replica</td><td>latency</td><td>replica</td><td class="num">+15.0s</td><td class="num">+25.0s</td>');
  });

  it('escapes all text from the journal', () => {
    const evil = `<img onerror="x">&'`;
    const j = journalFixture({ experiment: { name: evil, description: evil, spec: {} }, seed: evil, unclean: true, leftovers: [evil] });
    j.faults[0] = { ...j.faults[0]!, name: evil };
    j.verdicts[0] = { ...j.verdicts[0]!, objective: evil, detail: evil, probe: evil };
    j.samples = j.samples.map((s) => (s.probe === 'writes' ? { ...s, probe: evil } : s));
    const html = renderHtml(j);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img onerror=&quot;x&quot;&gt;&amp;&#39;');
    for (const svg of svgs(html)) expect(xmlProblem(svg)).toBeNull();
  });

  it('copes with a run that recorded nothing', () => {
    const html = renderHtml(journalFixture({ samples: [], verdicts: [], faults: [], targets: [], events: [] }));
    expect(html).toContain('No probe samples were recorded.');
    expect(html).toContain('No objectives.');
  });
});
