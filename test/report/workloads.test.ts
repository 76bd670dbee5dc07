// Every report shows the workloads: a per-phase table, durability with lost keys, RPO beside RTO,
// and verdicts that could not be judged shown as such, never as a pass.
import { describe, expect, it } from 'vitest';
import { renderHtml, renderJUnit, renderMarkdown, renderVerdictTable } from '../../src/report/index.js';
import { journalFixture, workloadJournalFixture } from '../fixtures/journal.js';
import { xmlProblem } from './wellformed.js';

const svgs = (html: string) => [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
const count = (text: string, needle: RegExp) => [...text.matchAll(needle)].length;

describe('terminal text', () => {
  const text = renderVerdictTable(workloadJournalFixture(), { color: false });
  const lines = text.split('\n');

  it('marks a verdict that could not be judged as UNKNOWN with its reason, and the run as failed', () => {
    expect(lines.find((l) => l.includes('payments p99'))).toMatch(/^ {2}\? UNKNOWN {2}payments p99 latency <= 1s +— +<= 1s$/);
    expect(text).toContain('could not be judged: no history was recorded for workload "payments"');
    expect(lines.at(-1)).toBe('✘ FAILED checkout-failover: 2 of 6 objectives missed; 1 of 6 objectives could not be judged · status completed · run r-20231114-abc123 · 42.50s');
    expect(renderVerdictTable(workloadJournalFixture(), { color: true })).toContain('\x1b[33m? UNKNOWN');
  });

  it('prints a per-phase table for each workload, durability, the lost window and lost keys', () => {
    const start = lines.findIndex((l) => l.includes('workload orders (history.jsonl)'));
    expect(lines.slice(start + 1, start + 6)).toEqual([
      '    Phase     Operations  Throughput  Error rate  p50      p99  max',
      '    baseline  90          10/s        0%          5ms      5ms  5ms',
      '    fault     151         9/s         10.59%      300.0ms  1s   1s',
      '    recovery  169         9.7/s       0%          5ms      5ms  5ms',
      '    run       410         9.5/s       3.9%        5.0ms    1s   1s',
    ]);
    expect(text).toContain('    durability: acknowledged 394 · lost 19 · unknown 16 · recovered 8 · never read 1');
    expect(text).toContain('    lost window +400ms..+2.40s from the first injection, RPO 2s');
    expect(text).toContain('    lost e.g. orders-91 (acknowledged +400ms), orders-92 (acknowledged +500ms)');
    expect(text).toContain('    1 acknowledged write could not be read back: connect ECONNREFUSED 127.0.0.1:7001');
  });

  it('puts RPO and RTO side by side', () => {
    expect(text).toContain('  RPO orders 2s (not all writes read back) · RTO writes recovers within 10s: 1.42s');
    // Without a workload reading its writes back there is no RPO, and RTO is already in the verdicts.
    expect(renderVerdictTable(journalFixture(), { color: false })).not.toContain('RTO');
    expect(renderHtml(journalFixture())).not.toContain('<section class="rpo-rto">');
  });
});

describe('Markdown', () => {
  const md = renderMarkdown(workloadJournalFixture());

  it('shows unknown verdicts as unknown, with the reason', () => {
    expect(md).toContain('| payments p99 latency <= 1s | <= 1s | — | ❔ unknown |');
    expect(md).toContain('**Not judged:** payments p99 latency <= 1s: could not be judged: no history was recorded for workload "payments"');
    expect(md).toContain('| orders loses at most 0 acknowledged writes | <= 0 lost | 19 lost | ❌ missed |');
    expect(md.split('\n')[0]).toBe('### ❌ faultline: checkout-failover failed');
  });

  it('has a per-phase table, durability, lost keys and RPO beside RTO', () => {
    expect(md).toContain('#### Workload orders');
    expect(md).toContain('| Phase | Operations | Throughput | Error rate | p50 | p99 | max |');
    expect(md).toContain('| fault | 151 | 9/s | 10.59% | 300.0ms | 1s | 1s |');
    expect(md).toContain('**Durability:** acknowledged 394 · lost 19 · unknown 16 · recovered 8 · never read 1');
    expect(md).toContain('**Lost:** lost window +400ms..+2.40s from the first injection, RPO 2s; e.g. `orders-91` (+400ms)');
    expect(md).toContain('**Recovery:** RPO orders 2s (not all writes read back) · RTO writes recovers within 10s: 1.42s');
  });
});

describe('JUnit', () => {
  const xml = renderJUnit(workloadJournalFixture());

  it('is well-formed, with one testcase per objective; unknown is an error, missed a failure', () => {
    expect(xmlProblem(xml)).toBeNull();
    expect(xml).toContain('<testsuite name="checkout-failover" tests="6" failures="2" errors="1" skipped="0"');
    const unknown = xml.slice(xml.indexOf('<testcase name="payments'));
    expect(unknown).toMatch(/^<testcase name="payments p99 latency &lt;= 1s"[^>]*>\s*<error message="could not be judged: no history was recorded for workload &quot;payments&quot;" type="objective-latency-unknown">/);
    expect(xml).not.toContain('<skipped');
  });

  it('gives the lost writes of a missed durability objective with their acknowledgement times', () => {
    const durability = xml.slice(xml.indexOf('<testcase name="orders loses'), xml.indexOf('</testcase>', xml.indexOf('<testcase name="orders loses')));
    expect(durability).toContain('type="objective-durability"');
    expect(durability).toContain('workload: orders');
    expect(durability).toContain('acknowledged=394 lost=19 unknown=16 recovered=8 neverRead=1 lostWindowStartMs=400 lostWindowEndMs=2400 rpoMs=2000');
    expect(durability).toContain('lost e.g.: orders-91 (+400ms), orders-92 (+500ms)');
  });
});

describe('HTML', () => {
  const j = workloadJournalFixture();
  const html = renderHtml(j);

  it('shows unknown cards and badges apart from met and missed', () => {
    expect(count(html, /<article class="card unknown">/g)).toBe(1);
    expect(count(html, /<span class="badge unknown">/g)).toBe(1);
    expect(html).toContain('<header class="failed">');
    expect(html).toContain('target &lt;= 1s · not judged');
  });

  it('draws a well-formed workload timeline: throughput bars per second, latency lines, phase bounds, lost writes marked', () => {
    const timeline = svgs(html).find((s) => s.includes('aria-label="orders: throughput'))!;
    expect(xmlProblem(timeline)).toBeNull();
    const buckets = j.workloads![0]!.timeline.buckets;
    expect(count(timeline, /class="ops ok"/g)).toBe(buckets.filter((b) => b.ok).length);
    expect(count(timeline, /class="ops fail"/g)).toBe(buckets.filter((b) => b.errors).length);
    expect(count(timeline, /class="lost-mark"/g)).toBe(buckets.filter((b) => b.lost).length);
    expect(buckets.filter((b) => b.lost).reduce((n, b) => n + b.lost, 0)).toBe(19);
    expect(count(timeline, /class="lost-window"/g)).toBe(1);
    expect(count(timeline, /class="phase-bound"/g)).toBe(2);
    expect(count(timeline, /<polyline class="latency-max"/g)).toBe(1);
    expect(count(timeline, /<polyline class="latency-mean"/g)).toBe(1);
  });

  it('has the per-phase table, durability with lost keys, and RPO beside RTO', () => {
    expect(html).toContain('<tr><td>fault</td><td class="num">151</td><td class="num">9/s</td><td class="num">10.59%</td><td class="num">300.0ms</td><td class="num">1s</td><td class="num">1s</td></tr>');
    expect(html).toContain('<p><b>Durability</b>: acknowledged 394 · lost 19 · unknown 16 · recovered 8 · never read 1</p>');
    expect(html).toContain('<summary>Lost writes (19 of 19 shown)</summary>');
    expect(html).toContain('<tr><td><code>orders-91</code></td><td class="num">+400ms</td></tr>');
    const rpoRto = html.slice(html.indexOf('<section class="rpo-rto">'));
    expect(rpoRto).toMatch(/^<section class="rpo-rto"><div><b>RPO<\/b>[^]*<div class="big">2s<\/div><p>orders · not all acknowledged writes were read back<\/p><\/div><div><b>RTO<\/b>[^]*<div class="big">1.42s<\/div><p>writes recovers within 10s<\/p>/);
  });

  it('merges buckets of a long run so the drawing stays light', () => {
    const long = workloadJournalFixture();
    const w = long.workloads![0]!;
    const buckets = Array.from({ length: 3600 }, (_, i) => ({ t: w.bounds.baselineStart + i * 1000, ok: 10, errors: i % 2, lost: i === 1800 ? 3 : 0, meanMs: 5, maxMs: i === 100 ? 900 : 6 }));
    long.workloads = [{ ...w, timeline: { bucketMs: 1000, buckets } }];
    long.endedAt = w.bounds.baselineStart + 3_600_000;
    const svg = svgs(renderHtml(long)).find((s) => s.includes('aria-label="orders: throughput'))!;
    expect(xmlProblem(svg)).toBeNull();
    expect(svg).toContain('aria-label="orders: throughput and latency per 6s');
    expect(count(svg, /class="ops ok"/g)).toBe(600);
    expect(count(svg, /class="lost-mark"/g)).toBe(1);
    expect(svg).toContain('>900ms</text>');
  });

  it('leaves the workload section out of a run without workloads', () => {
    expect(renderHtml(journalFixture())).not.toContain('<h2>Workloads</h2>');
  });
});
