// Files that are not YAML/JSON text, or that are absurdly large or deep: each is refused with what
// the file looks like and how to fix it, located where possible, and nothing raw is echoed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/domain/errors.js';
import { MAX_DEPTH, MAX_FILE_BYTES } from '../../src/spec/input-limits.js';
import { loadFile } from '../../src/spec/load-file.js';
import { parseExperiment } from '../../src/spec/load-experiment.js';

const dir = mkdtempSync(path.join(tmpdir(), 'faultline-unreadable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shipped = readFileSync(new URL('../../experiments/kv-latency.yaml', import.meta.url), 'utf8');

function fileWith(name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

async function rejection(file: string): Promise<InvalidInputError> {
  const err = await loadFile(file, 0).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidInputError);
  const message = (err as InvalidInputError).message;
  // Nothing of the file's bytes is echoed: no control characters, no replacement characters.
  expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/);
  return err as InvalidInputError;
}

function utf16(text: string, endian: 'le' | 'be', bom: boolean): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const body = endian === 'le' ? le : Buffer.from(le).swap16();
  return Buffer.concat([bom ? Buffer.from(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]) : Buffer.alloc(0), body]);
}

describe('binary and non-UTF-8 files', () => {
  it('a gzip of an experiment is named as such, with how to fix it', async () => {
    const e = await rejection(fileWith('exp.yaml.gz', gzipSync(shipped)));
    expect(e.message).toMatch(/exp\.yaml\.gz: this is a gzip-compressed file, not YAML or JSON text: decompress it first/);
  });

  it.each([
    ['le', true, 'UTF-16 \\(LE, with a byte-order mark\\)'],
    ['be', true, 'UTF-16 \\(BE, with a byte-order mark\\)'],
    ['le', false, 'UTF-16 \\(LE, without a byte-order mark\\)'],
    ['be', false, 'UTF-16 \\(BE, without a byte-order mark\\)'],
  ] as const)('UTF-16 %s (bom: %s) is named, and the fix is to save it as UTF-8', async (endian, bom, name) => {
    const e = await rejection(fileWith(`u16-${endian}-${bom}.yaml`, utf16(shipped, endian, bom)));
    expect(e.message).toMatch(new RegExp(`this file (is|looks like) ${name}.*save it as UTF-8`));
  });

  it('UTF-32 with a byte-order mark is not mistaken for UTF-16', async () => {
    const e = await rejection(fileWith('u32.yaml', Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x61, 0, 0, 0])));
    expect(e.message).toMatch(/UTF-32 \(LE, with a byte-order mark\)/);
  });

  it('UTF-8 with a byte-order mark is accepted', async () => {
    const loaded = await loadFile(fileWith('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(shipped)])), 0);
    expect(loaded.kind).toBe('Experiment');
  });

  it('Latin-1 text is located at its first invalid byte', async () => {
    const latin = Buffer.from(shipped.replace(/^  description:.*$/m, '  description: "café"'), 'latin1');
    const line = shipped.split('\n').findIndex((l) => l.startsWith('  description:')) + 1;
    const e = await rejection(fileWith('latin.yaml', latin));
    expect(e.diagnostics[0]).toMatchObject({ line, path: '' });
    expect(e.message).toMatch(new RegExp(`latin\\.yaml:${line}:\\d+: this file is not valid UTF-8 \\(byte 0xE9 here; it may be Latin-1 or Windows-1252\\); save it as UTF-8`));
  });

  it('a U+FFFD written in the file is text, not an encoding error', async () => {
    const loaded = await loadFile(fileWith('fffd.yaml', shipped.replace(/^  description:.*$/m, '  description: "\uFFFD"')), 0);
    expect(loaded.kind).toBe('Experiment');
  });

  it('other binary files: NUL bytes are located, never printed', async () => {
    const e = await rejection(fileWith('nul.yaml', Buffer.concat([Buffer.from('apiVersion: faultline/v1\nkind: '), Buffer.from([0, 1, 2, 0x1b, 0x5b]), Buffer.from('\n')])));
    expect(e.message).toMatch(/nul\.yaml:2:7: this is a binary file, not YAML or JSON text/);
  });

  it('control characters quoted from the file are escaped in messages', async () => {
    const e = await rejection(fileWith('esc.yaml', `${shipped}"\\e[2Jwipe": 1\n`));
    expect(e.message).toContain('unknown key "\\u{1b}[2Jwipe"');
  });
});

describe('size and nesting limits', () => {
  it('a file over the size limit is refused without being parsed', async () => {
    const e = await rejection(fileWith('big.yaml', `${shipped}\n#${'x'.repeat(MAX_FILE_BYTES)}\n`));
    expect(e.message).toMatch(/big\.yaml: the file is 1 MiB; a faultline file is at most 1 MiB/);
  });

  it.each([
    ['50,000 nested "[" on one line', '['.repeat(50_000), 1, MAX_DEPTH + 1],
    ['1,000 nested "[" after two lines', `a: 1\nb:\n  c: ${'['.repeat(1000)}`, 3, 6 + MAX_DEPTH - 2],
    ['deep JSON objects', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, 1, 5 * MAX_DEPTH + 1],
  ])('%s: exit-2 error located where the limit is crossed', async (_, text, line, column) => {
    const e = await rejection(fileWith(text.startsWith('{') ? 'deep.json' : 'deep.yaml', text));
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0]).toMatchObject({ line, column });
    expect(e.message).toMatch(new RegExp(`nested more than ${MAX_DEPTH} levels deep here`));
  });

  it('deep block nesting (indentation) is caught too', () => {
    const text = Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    expect(() => parseExperiment(text, 'block.yaml')).toThrow(new RegExp(`block\\.yaml:${MAX_DEPTH + 1}:${MAX_DEPTH + 1}: nested more than`));
  });

  it('the shipped files are far below the limit', async () => {
    expect((await loadFile(fileWith('ok.yaml', shipped), 0)).kind).toBe('Experiment');
  });
});
