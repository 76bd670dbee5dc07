// What a reader must not miss: verdicts judged on a run cut short, and notices about what the
// verdicts mean (a partition nothing noticed), in every rendering, not only the events list.
import { describe, expect, it } from 'vitest';
import type { Journal } from '../../src/domain/model.js';
import { renderHtml, renderJUnit, renderMarkdown, renderVerdictTable } from '../../src/report/index.js';
import { cutShort } from '../../src/slo/index.js';
import { allMet, journalFixture } from '../fixtures/journal.js';

const NOTICE = 'partition "cut" had no visible effect: every sample of writes passed while it held and after';

function interrupted(): Journal {
  const j = allMet(journalFixture());
  return { ...j, status: 'interrupted', reason: 'interrupted by SIGINT', deviated: true, verdicts: cutShort(j.verdicts, 'interrupted', 'interrupted by SIGINT', true) };
}

describe('verdicts of a run cut short', () => {
  it('are listed as partial everywhere, never as met and never as "No objectives"', () => {
    const j = interrupted();
    expect(j.verdicts.length).toBeGreaterThan(0);
    const md = renderMarkdown(j);
    expect(md).not.toMatch(/No objectives|✅ met/);
    expect(md.match(/◐ partial/g)).toHaveLength(j.verdicts.length);
    expect(md).toMatch(/\*\*Partial:\*\* .*so far met, on the data until the run was interrupted/);
    const text = renderVerdictTable(j, { color: false });
    expect(text.match(/~ PARTIAL/g)).toHaveLength(j.verdicts.length);
    expect(text).toMatch(/✘ FAILED .*objectives judged on partial data/);
    const junit = renderJUnit(j);
    expect(junit.match(/<error message="partial: measured/g)).toHaveLength(j.verdicts.length);
    expect(renderHtml(j).match(/class="card partial"/g)).toHaveLength(j.verdicts.length);
  });
});

describe('notices', () => {
  it('are shown beside the verdicts in the terminal, the Markdown and the HTML', () => {
    const j = { ...allMet(journalFixture()), notices: [NOTICE] };
    expect(renderVerdictTable(j, { color: false })).toContain(`! ${NOTICE}`);
    expect(renderMarkdown(j)).toContain(`> [!WARNING]\n> ${NOTICE}`);
    expect(renderHtml(j)).toMatch(/<section class="warning notice"><b>⚠ Notice.<\/b> partition &quot;cut&quot; had no visible effect/);
  });
});
