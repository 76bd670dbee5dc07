// The spawned CLI on files that are not experiments or would crash a naive parser: exit 2, a
// located message saying what the file is, no stack trace and nothing raw echoed.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { REPO, writeTemp } from '../support/kv.js';

const shipped = readFileSync(path.join(REPO, 'experiments/kv-latency.yaml'), 'utf8');
const STACK = /\n\s+at \S+.*:\d+|internal error|RangeError/;
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/;

async function validate(file: string) {
  const r = await runCli(['validate', file]);
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr).not.toMatch(RAW);
  return r;
}

describe('validate on unreadable input (spawned CLI)', () => {
  it('50,000 nested "[": exit 2 at the place the depth limit is crossed', async () => {
    const r = await validate(writeTemp('deep.yaml', `a: 1\nb: ${'['.repeat(50_000)}\n`));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/deep\.yaml:2:67: nested more than 64 levels deep here/);
  });

  it('a gzip of an experiment', async () => {
    const file = writeTemp('exp.yaml', '');
    writeFileSync(file, gzipSync(shipped));
    const r = await validate(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exp\.yaml: this is a gzip-compressed file, not YAML or JSON text/);
  });

  it('UTF-16 with a byte-order mark, as some Windows editors save it', async () => {
    const file = writeTemp('u16.yaml', '');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(shipped, 'utf16le')]));
    const r = await validate(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/this file is UTF-16 \(LE, with a byte-order mark\); save it as UTF-8/);
  });

  it('an experiment without objectives is valid, with a warning', async () => {
    const r = await validate(writeTemp('none.yaml', shipped.replace(/\n {2}objectives:\n( {4}.*\n)+/, '\n')));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok {2}.*none\.yaml/);
    expect(r.stderr).toMatch(/none\.yaml: warning: spec\.objectives: no objectives declared: nothing was judged; a run will never pass/);
  });
});
