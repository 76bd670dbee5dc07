import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/domain/model.js';
import { failureReasons } from '../../src/report/format.js';
import { renderHtml, renderMarkdown } from '../../src/report/index.js';
import { T0, journalFixture } from '../fixtures/journal.js';

const s = (i: number, ok: boolean, error?: string): Sample => ({ probe: 'writes', t: T0 + i * 100, ok, ms: 1, ...(error ? { error } : {}) });

describe('why samples failed', () => {
  const samples = [s(0, true), s(1, false, 'HTTP 503: no ack'), s(2, false, 'HTTP 503: no ack'), s(3, false, 'ECONNREFUSED 127.0.0.1:1'), s(4, true)];
  it('counts reasons, most frequent first', () => {
    expect(failureReasons(samples)).toEqual([
      ['HTTP 503: no ack', 2],
      ['ECONNREFUSED 127.0.0.1:1', 1],
    ]);
    expect(failureReasons([s(0, true)])).toEqual([]);
  });
  it('appears in the Markdown summary and the HTML report', () => {
    const j = journalFixture({ samples });
    expect(renderMarkdown(j)).toMatch(/\*\*Why writes failed:\*\* 2× `HTTP 503: no ack` · 1× `ECONNREFUSED 127\.0\.0\.1:1`/);
    expect(renderHtml(j)).toMatch(/<ul class="reasons"><li><b>2×<\/b> HTTP 503: no ack<\/li>/);
  });
});
