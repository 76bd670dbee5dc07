// No input reaches an internal error: the shipped experiment and schedule files, mutated at random
// (lines deleted, duplicated, swapped; values changed; random bytes, brackets and unicode inserted;
// truncated), either validate or are refused as invalid input (exit 2) with a message. Seeded, so a
// failure reproduces; fast-check prints the seed and the shrunk counterexample. FUZZ_RUNS=5000
// FUZZ_SEED=n searches longer locally.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FaultlineError } from '../../src/domain/errors.js';
import { textOf } from '../../src/spec/load-document.js';
import { loadFileText } from '../../src/spec/load-file.js';
import { runCli } from '../support/cli.js';
import { REPO } from '../support/kv.js';
import { writeTemp } from '../support/kv.js';

const SEEDS = [
  'experiments/kv-latency.yaml', 'experiments/docker-kill-by-label.yaml', 'experiments/kubernetes-pod-delete.yaml',
  'examples/kv/partition-replica.yaml', 'examples/redis-same-switch/split-switch-outage.yaml', 'examples/kubernetes/partition-tiers.yaml',
  'examples/schedules/weekday-monkey.yaml', 'test/spec/fixtures/kill-primary.json',
].map((f) => ({ file: path.join(REPO, f), bytes: readFileSync(path.join(REPO, f)) }));

/** Values worth putting where a value was: boundaries, wrong types, YAML syntax, odd unicode. */
const ODD_VALUES = ['0', '-1', '0ms', '48h', '1e999', '0x10', '[]', '{}', 'null', '~', '"', "'", '&a', '*a', '*nope', '<<: *a', '!!binary x', '[[[[', '}}', '- -', '|', '>', '%', '@', '`', 'é', '\u202e', '\u{1F4A5}', '\uFFFD', '\t', '\\x00', 'true', 'yes', '2s2s', '100%', '101%'];

type Mutation =
  | { op: 'delete' | 'duplicate'; at: number }
  | { op: 'swap'; at: number; with: number }
  | { op: 'value'; at: number; value: string }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'truncate'; at: number };

const index = fc.nat({ max: 10_000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const), at: index }),
  fc.record({ op: fc.constant('swap' as const), at: index, with: index }),
  fc.record({ op: fc.constant('value' as const), at: index, value: fc.oneof(fc.constantFrom(...ODD_VALUES), fc.string({ unit: 'grapheme', maxLength: 8 })) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: index,
    bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 6 }), fc.constantFrom('[', ']', '{', '}', '[{', ': ', '\n  ', '#', '"', '\u00e9', '\u0000').map((t) => new TextEncoder().encode(t))),
  }),
  fc.record({ op: fc.constant('truncate' as const), at: index }),
);

function mutate(bytes: Buffer, mutations: Mutation[]): Buffer {
  let out = bytes;
  for (const m of mutations) {
    if (m.op === 'insert') {
      const at = m.at % (out.length + 1);
      out = Buffer.concat([out.subarray(0, at), m.bytes, out.subarray(at)]);
      continue;
    }
    if (m.op === 'truncate') {
      out = out.subarray(0, m.at % (out.length + 1));
      continue;
    }
    const lines = out.toString('latin1').split('\n');
    const i = m.at % lines.length;
    if (m.op === 'delete') lines.splice(i, 1);
    else if (m.op === 'duplicate') lines.splice(i, 0, lines[i]!);
    else if (m.op === 'swap') [lines[i], lines[m.with % lines.length]] = [lines[m.with % lines.length]!, lines[i]!];
    else if (m.op === 'value') lines[i] = lines[i]!.includes(': ') ? `${lines[i]!.slice(0, lines[i]!.indexOf(': '))}: ${Buffer.from(m.value).toString('latin1')}` : `${lines[i]}${Buffer.from(m.value).toString('latin1')}`;
    out = Buffer.from(lines.join('\n'), 'latin1');
  }
  return out;
}

/** What validate does with a file's bytes, in-process: the same code the CLI runs. */
async function validateBytes(bytes: Buffer, file: string): Promise<{ code: 0 | 2; message: string }> {
  try {
    await loadFileText(textOf(bytes, file), file, Date.UTC(2026, 0, 5));
    return { code: 0, message: '' };
  } catch (e) {
    // Anything but a FaultlineError is what the CLI reports as an internal error (exit 70).
    if (!(e instanceof FaultlineError)) throw e;
    expect(e.exitCode).toBe(2);
    return { code: 2, message: e.message };
  }
}

const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const NO_STACK = /\n\s+at \S+.*:\d+/;
const NO_RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('validate on mutated shipped files', () => {
  it('every shipped seed file validates as it is', async () => {
    for (const s of SEEDS) expect(await validateBytes(s.bytes, s.file)).toEqual({ code: 0, message: '' });
  });

  it('never reaches an internal error: exit 0, or exit 2 with a message and no stack trace (in-process)', async () => {
    const seed = fc.constantFrom(...SEEDS);
    await fc.assert(
      fc.asyncProperty(seed, fc.array(mutation, { minLength: 1, maxLength: 4 }), async (s, mutations) => {
        const r = await validateBytes(mutate(s.bytes, mutations), s.file);
        if (r.code === 2) {
          expect(r.message.trim()).not.toBe('');
          expect(r.message).not.toMatch(NO_STACK);
          expect(r.message).not.toMatch(NO_RAW_CONTROL);
        }
      }),
      { seed: Number(process.env.FUZZ_SEED ?? 20261203), numRuns: RUNS },
    );
  }, Math.max(30_000, RUNS * 100));

  it('the spawned CLI agrees on a few mutated files', async () => {
    const samples = fc.sample(fc.tuple(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 3 })), { seed: 7, numRuns: 6 });
    const files = samples.map(([s, mutations], i) => writeTemp(`m${i}${path.extname(s.file)}`, mutate(s.bytes, mutations).toString('latin1')));
    // Schedules name experiments relative to themselves, so a moved schedule is refused; that is fine here.
    const r = await runCli(['validate', ...files]);
    expect([0, 2]).toContain(r.code);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at \S+.*:\d+/);
    expect(r.stderr).not.toMatch(NO_RAW_CONTROL);
  });
});
