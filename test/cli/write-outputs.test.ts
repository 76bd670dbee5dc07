// --markdown is meant for CI summaries such as $GITHUB_STEP_SUMMARY, one file every step appends
// to: a run adds its summary after what is there and never erases it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeOutputs } from '../../src/cli/write-outputs.js';
import { renderMarkdown } from '../../src/report/index.js';
import { journalFixture } from '../fixtures/journal.js';

const dirs: string[] = [];
function scratch(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'fl-outputs-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('--markdown', () => {
  it('creates the file when it does not exist, ending with a newline', async () => {
    const dir = scratch();
    const file = path.join(dir, 'summary.md');
    await writeOutputs(journalFixture(), { runDir: path.join(dir, 'run'), markdown: file });
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(renderMarkdown(journalFixture()).replace(/\n?$/, '\n'));
  });

  it('appends to an existing summary (another step wrote it), on a line of its own', async () => {
    const dir = scratch();
    const file = path.join(dir, 'step-summary.md');
    writeFileSync(file, '## Build\nall green');
    await writeOutputs(journalFixture(), { runDir: path.join(dir, 'run'), markdown: file });
    await writeOutputs(journalFixture({ runId: 'r-second' }), { runDir: path.join(dir, 'run2'), markdown: file });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('## Build\nall green\n\n')).toBe(true);
    const first = renderMarkdown(journalFixture()).trimEnd();
    const second = renderMarkdown(journalFixture({ runId: 'r-second' })).trimEnd();
    expect(first).not.toBe(second);
    expect(text.indexOf(first)).toBeGreaterThan(0);
    expect(text.indexOf(second)).toBeGreaterThan(text.indexOf(first));
    expect(text.endsWith('\n')).toBe(true);
  });
});
