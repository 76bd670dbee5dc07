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
