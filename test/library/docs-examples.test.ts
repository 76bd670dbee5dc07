// docs/library.md shows code that must compile against the package as published: each block is a
// file under docs/examples/library/ (type-checked with the project, through the package's own
// exports: `import ... from 'faultline'`), and this keeps the page and the files the same.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = 'docs/examples/library';

describe('docs/library.md', () => {
  const page = readFileSync('docs/library.md', 'utf8');
  const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it('shows every example file, verbatim', () => {
    for (const f of files) expect(blocks, `${f} is not on the page as it is`).toContain(readFileSync(`${dir}/${f}`, 'utf8').replace(/\n*$/, '\n'));
  });

  it('shows no TypeScript that is not an example file (and so type-checked)', () => {
    const texts = files.map((f) => readFileSync(`${dir}/${f}`, 'utf8').replace(/\n*$/, '\n'));
    for (const b of blocks) expect(texts, `a block on the page is no file: ${b.slice(0, 80)}`).toContain(b);
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });
});
