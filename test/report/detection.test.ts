import { describe, expect, it } from 'vitest';
import type { Journal, ObjectiveVerdict } from '../../src/domain/model.js';
import { renderHtml, renderJUnit, renderMarkdown, renderVerdictTable } from '../../src/report/index.js';
import { detectionLine } from '../../src/report/detection-markers.js';
import { T0, journalFixture } from '../fixtures/journal.js';

const noticed: ObjectiveVerdict = {
  objective: 'InstanceDown fires within 2m', kind: 'detection', observer: 'alerts', status: 'met', met: true, measured: 3_200, bound: 120_000, unit: 'ms',
  detail: "detected in 3.2s (the alert's own start: 2s after the injection) (target 2m)", figures: { ttdMs: 3_200, alertStartMs: 2_000, resolvedMs: null },
};
const missed: ObjectiveVerdict = {
  objective: 'WritesFailing fires within 1m', kind: 'detection', observer: 'alerts', status: 'missed', met: false, measured: null, bound: 60_000, unit: 'ms',
  detail: 'not detected within 1m: WritesFailing never fired; alerts that fired during the run: InstanceDown{job=kv}', figures: { ttdMs: null },
};

function journal(): Journal {
  const j = journalFixture();
  return { ...j, verdicts: [j.verdicts[0]!, noticed, missed] };
}

describe('detection in the reports', () => {
  it('puts broken, noticed and recovered side by side, and says what was not noticed', () => {
    // Kill at +10s; noticed 3.2s later; recovered 1.42s after the last fault (slow-replica, reverted at +25s).
    expect(detectionLine(journal())).toBe(
      'broken +10.0s (kill-primary (kill)) → noticed +13.2s (InstanceDown fires within 2m; 3.20s after) → recovered +26.4s (writes recovers within 10s; 16.42s after) → not noticed: WritesFailing fires within 1m',
    );
    expect(detectionLine(journalFixture())).toBeNull();
  });

  it('says "not judged", not "not noticed", for a detection that could not be judged', () => {
    const noLogbook: ObjectiveVerdict = { ...missed, objective: 'a person notices within 2m', status: 'unknown', detail: 'not judged: the run had no logbook to mark Detected in' };
    expect(detectionLine({ ...journal(), verdicts: [noLogbook] })).toBe('broken +10.0s (kill-primary (kill)) → not judged: a person notices within 2m');
    // JUnit names who was to notice: no observer, no probe.
    const { observer: _none, ...human } = noLogbook;
    expect(renderJUnit({ ...journal(), verdicts: [human] })).toContain('by: a person (Detected marks in the console&#39;s logbook)');
  });

  it('shows it in the text table, Markdown, JUnit and the HTML timeline', () => {
    const j = journal();
    const text = renderVerdictTable(j, { color: false });
    expect(text).toMatch(/✔ PASS\s+InstanceDown fires within 2m\s+3\.20s\s+<= 2m/);
    expect(text).toContain('not detected within 1m: WritesFailing never fired; alerts that fired during the run: InstanceDown{job=kv}');
    expect(text).toContain('broken +10.0s (kill-primary (kill)) → noticed +13.2s');
    expect(renderMarkdown(j)).toContain('**Detection:** broken +10.0s');
    const junit = renderJUnit(j);
    expect(junit).toContain('<testcase name="InstanceDown fires within 2m" classname="faultline.checkout-failover" time="3.200">');
    expect(junit).toMatch(/<system-out>detected in 3\.2s[^<]*broken \+10\.0s/);
    expect(junit).toMatch(/<failure message="measured —, target &lt;= 1m: not detected within 1m[^"]*" type="objective-detection">[^<]*observer: alerts/);
    const html = renderHtml(j);
    expect(html).toContain('<p class="detection"><b>Broken → noticed → recovered:</b> broken +10.0s');
    for (const kind of ['broken', 'noticed', 'recovered']) expect(html).toContain(`<g class="marker ${kind}">`);
    expect(html.indexOf('<g class="marker noticed">')).toBeGreaterThan(0);
  });

  it('draws the markers on a timeline of their own when there are no probes', () => {
    const html = renderHtml({ ...journal(), samples: [], verdicts: [noticed] });
    expect(html).toContain('<figcaption>detection <span>no probe samples</span></figcaption>');
    expect(html).toContain('<g class="marker noticed"><title>noticed +13.20s: InstanceDown fires within 2m</title>');
  });
});
void T0;
