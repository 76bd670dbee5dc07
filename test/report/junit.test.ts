import { describe, expect, it } from 'vitest';
import { renderJUnit } from '../../src/report/index.js';
import { allMet, journalFixture } from '../fixtures/journal.js';
import { xmlProblem } from './wellformed.js';

const testcases = (xml: string) => [...xml.matchAll(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g)].map((m) => m[0]);

describe('renderJUnit', () => {
  it('is well-formed XML with one testcase per verdict', () => {
    const xml = renderJUnit(journalFixture());
    expect(xmlProblem(xml)).toBeNull();
    const cases = testcases(xml);
    expect(cases).toHaveLength(3);
    expect(xml).toContain('<testsuite name="checkout-failover" tests="3" failures="1"');
    for (const c of cases) expect(c).toContain('classname="faultline.checkout-failover"');
  });

  it('has a failure element only for the missed objective, with measured vs target', () => {
    const cases = testcases(renderJUnit(journalFixture()));
    const failing = cases.filter((c) => c.includes('<failure'));
    expect(failing).toHaveLength(1);
    expect(failing[0]).toContain('name="reads p99 latency &lt;= 300ms"');
    expect(failing[0]).toContain('message="measured 412ms, target &lt;= 300ms: ');
    expect(cases[0]).toMatch(/name="writes recovers within 10s"[^>]*time="1.420"\/>/);
    expect(renderJUnit(allMet(journalFixture()))).not.toContain('<failure');
  });

  it('adds a failing "run" testcase when the run did not complete', () => {
    for (const status of ['aborted', 'interrupted', 'failed'] as const) {
      const xml = renderJUnit(journalFixture({ status, reason: 'writes failed for 5s' }));
      const run = testcases(xml).find((c) => c.includes('name="run"'));
      expect(run, status).toContain(`<failure message="run ${status}: writes failed for 5s" type="run-${status}"`);
      expect(xml).toContain('tests="4" failures="2"');
    }
  });

  it('adds a failing "run" testcase when the run left something behind', () => {
    const xml = renderJUnit(allMet(journalFixture({ unclean: true, leftovers: ['container fl-proxy-r1'] })));
    expect(xmlProblem(xml)).toBeNull();
    const run = testcases(xml).find((c) => c.includes('name="run"'));
    expect(run).toContain('unclean: container fl-proxy-r1');
    expect(xml).toContain('tests="4" failures="1"');
  });

  it('escapes every piece of text it takes from the journal', () => {
    const evil = `x<&>"'\u0001y`;
    const j = journalFixture({ experiment: { name: evil, spec: {} }, runId: evil, status: 'aborted', reason: evil });
    j.verdicts[2] = { ...j.verdicts[2]!, objective: evil, detail: `${evil}\nsecond line` };
    const xml = renderJUnit(j);
    expect(xmlProblem(xml)).toBeNull();
    expect(xml).toContain('x&lt;&amp;&gt;&quot;&#39;\\u0001y');
    expect(xml).toContain(`classname="faultline.x&lt;&amp;&gt;&quot;&#39;\\u0001y"`);
    expect(xml).toContain('&#10;second line'); // a line break in an attribute survives parsing
  });
});

describe('a failure carries its cause, as the Markdown and HTML do', () => {
  // 42 writes answered 503 while the replica was paused, 3 timed out; availability was missed.
  function breached() {
    const j = journalFixture();
    let i = 0;
    const samples = j.samples.map((s) => {
      if (s.probe !== 'writes') return s;
      i++;
      if (i > 10 && i <= 52) return { ...s, ok: false, error: 'HTTP 503: replica did not acknowledge within 300ms' };
      if (i > 52 && i <= 55) return { ...s, ok: false, error: 'timeout after 500ms' };
      return { ...s, ok: true, error: undefined };
    });
    const verdicts = j.verdicts.map((v) => (v.kind === 'availability' ? { ...v, status: 'missed' as const, met: false, measured: 40.5, detail: '40.5% available, 29 of 74 samples passed (target >= 95%)' } : v));
    return { ...j, samples, verdicts };
  }

  it('the failure message names the measured value, the bound and the most frequent reason', () => {
    const xml = renderJUnit(breached());
    expect(xmlProblem(xml)).toBeNull();
    const availability = testcases(xml).find((c) => c.includes('name="writes available &gt;= 95%"'))!;
    const message = /<failure message="([^"]*)"/.exec(availability)![1]!;
    expect(message).toContain('measured 40.5%, target &gt;= 95%');
    expect(message).toContain('42× HTTP 503: replica did not acknowledge within 300ms');
  });

  it('the failure body lists the reasons, most frequent first, and the faults with their targets', () => {
    const availability = testcases(renderJUnit(breached())).find((c) => c.includes('name="writes available &gt;= 95%"'))!;
    const body = />([^<]*)<\/failure>/.exec(availability)![1]!;
    expect(body).toMatch(/why writes failed:\n {2}42× HTTP 503: replica did not acknowledge within 300ms\n {2}3× timeout after 500ms/);
    expect(body).toContain('faults: kill-primary (kill) on primary; slow-replica (latency) on replica');
  });

  it('an objective that could not be judged carries its cause too', () => {
    const j = breached();
    const unknown = { ...j, verdicts: j.verdicts.map((v) => (v.kind === 'availability' ? { ...v, status: 'unknown' as const, measured: null, detail: 'no samples in the window' } : v)) };
    const c = testcases(renderJUnit(unknown)).find((x) => x.includes('name="writes available &gt;= 95%"'))!;
    expect(c).toContain('<error message="no samples in the window');
    expect(c).toContain('42× HTTP 503');
  });
});
