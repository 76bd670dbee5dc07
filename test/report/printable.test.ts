import { describe, expect, it } from 'vitest';
import { printable } from '../../src/domain/printable.js';
import type { Journal } from '../../src/domain/model.js';
import type { Plan } from '../../src/domain/plan.js';
import { formatEvent, renderHtml, renderJUnit, renderMarkdown, renderVerdictTable } from '../../src/report/index.js';
import { renderPlan } from '../../src/report/plan-text.js';
import { T0, journalFixture } from '../fixtures/journal.js';
import { xmlProblem } from './wellformed.js';

// What a probe or a service can print: colour, a cursor move, a window title, a hyperlink, a
// carriage return that overwrites the line, a bell, NUL, DEL and a C1 CSI.
const HOSTILE = '\x1b[31mreplica\x1b[0m down\r\x1b[2Kok \x07\x1b]0;owned\x07\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ nul\x00 del\x7f c1\x9b31m!';
// Every control character but tab and newline: none may reach a person's screen or a CI log.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

function hostileJournal(): Journal {
  const j = journalFixture();
  return {
    ...j,
    status: 'aborted',
    reason: `abort condition: ${HOSTILE}`,
    experiment: { ...j.experiment, description: HOSTILE },
    targets: [{ ...j.targets[0]!, name: `primary${HOSTILE}`, meta: { note: HOSTILE } }],
    events: [...j.events, { t: T0 + 30_000, type: 'log', level: 'warn', message: HOSTILE }, { t: T0 + 31_000, type: 'revert', fault: 'slow-replica', kind: 'latency', target: 'replica', ok: false, error: HOSTILE }],
    samples: j.samples.map((s) => (s.ok ? s : { ...s, error: HOSTILE })),
    verdicts: j.verdicts.map((v) => ({ ...v, status: 'missed' as const, met: false, detail: `${v.detail} ${HOSTILE}` })),
    leftovers: [HOSTILE],
    unclean: true,
  };
}

describe('printable', () => {
  it('removes terminal escape sequences and shows other control characters as visible codes', () => {
    expect(printable('\x1b[1;31mred\x1b[0m')).toBe('red');
    expect(printable('a\x1b]0;title\x07b')).toBe('ab');
    expect(printable('bell\x07 nul\x00 del\x7f c1\x85')).toBe('bell\\u0007 nul\\u0000 del\\u007f c1\\u0085');
    expect(printable('50%\rdone')).toBe('50%\\u000ddone');
  });

  it('keeps tabs, newlines and ordinary Unicode; CRLF becomes a newline', () => {
    expect(printable('a\tb\nc\r\nd ✔ 🔥 ≥ é')).toBe('a\tb\nc\nd ✔ 🔥 ≥ é');
  });

  it('leaves the readable part of a hostile string', () => {
    expect(printable(HOSTILE)).toBe('replica down\\u000dok \\u0007link nul\\u0000 del\\u007f c1!');
  });
});

describe('no human-facing output carries a control character from user data', () => {
  const j = hostileJournal();

  it('terminal verdict table (without colour) and event lines', () => {
    const table = renderVerdictTable(j, { color: false });
    expect(table).not.toMatch(CONTROL);
    expect(table).toContain('replica down\\u000dok \\u0007link');
    for (const e of j.events) expect(formatEvent(e, j.startedAt)).not.toMatch(CONTROL);
  });

  it('Markdown', () => {
    const md = renderMarkdown(j);
    expect(md).not.toMatch(CONTROL);
    expect(md).toContain('replica down\\\\u000dok');
  });

  it('JUnit, still well-formed', () => {
    const xml = renderJUnit(j);
    expect(xml).not.toMatch(CONTROL);
    expect(xmlProblem(xml)).toBeNull();
    expect(xml).toContain('replica down\\u000dok \\u0007link');
  });

  it('HTML', () => {
    const html = renderHtml(j);
    expect(html).not.toMatch(CONTROL);
    expect(html).toContain('replica down\\u000dok \\u0007link');
  });

  it('the plan', () => {
    const plan: Plan = {
      experiment: 'x', driver: 'docker', seed: 's', seedGiven: true, steadyState: [], steadyStateMs: 0,
      groups: [{ name: 'db', candidates: 1, victims: [{ driver: 'docker', group: 'db', id: 'abc', name: `web${HOSTILE}`, meta: {} }] }],
      faults: [{ name: 'p', kind: 'pause', at: 0, for: 1000, instant: false, actions: [`pause web${HOSTILE}`], expiry: HOSTILE }],
    };
    const text = renderPlan(plan);
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain('webreplica down\\u000dok');
  });
});

describe('the terminal (stderr) as a last check', () => {
  it('lets our own colour codes through and nothing else', async () => {
    const { terminalSafe } = await import('../../src/cli/terminal.js');
    const { painter } = await import('../../src/report/index.js');
    const paint = painter(true);
    const ours = `${paint('red', '✘ FAIL')} ${paint('bold', 'x')} ${paint('dim', 'y')} ${paint('green', 'ok')} ${paint('yellow', '!')}`;
    expect(terminalSafe(ours)).toBe(ours);
    expect(terminalSafe(`${paint('red', 'error:')} ${HOSTILE}`)).toBe(`${paint('red', 'error:')} \x1b[31mreplica\x1b[0m down\\u000dok \\u0007link nul\\u0000 del\\u007f c1!`);
    expect(terminalSafe('warning: \x1b[2J\x1b[Hcleared\r\x07')).toBe('warning: cleared\\u000d\\u0007');
  });
});
