// The fast reader must agree with the `yaml` package on everything it accepts, and accept the
// forms experiment files are usually written in (or the 300 ms validate budget is lost).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parsePlainYaml } from '../../src/spec/plain-yaml.js';
import { processExperiment } from './helpers.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

function reference(text: string): unknown {
  return parse(text, { merge: true, uniqueKeys: true });
}

/** Either no answer, or yaml's answer. */
function expectAgreement(text: string): unknown {
  const fast = parsePlainYaml(text);
  if (fast !== undefined) expect(fast, text).toEqual(reference(text));
  return fast;
}

const ACCEPTED = [
  'a: 1',
  'a: -5\nb: 010\nc: 1.50\nd: -0.5\ne: 12345678901234567890',
  'a: ~\nb: null\nc: NULL\nd:\ne: true\nf: False\ng: yes\nh: off',
  'a: 10s\nb: 99.9%\nc: 1_000\nd: 2024-01-01\ne: 1.2.3\nf: -5s\ng: --role=primary',
  'a: "x: y # z"\nb: \'it\'\'s\'\nc: "tab\\tnew\\nline \\u00e9 \\"q\\" \\\\ \\/"\nd: plain with spaces   # comment\ne: a#b',
  'url: http://127.0.0.1:7001/put?k=x&v=1\naddr: 127.0.0.1:7001\ncolon: a:b\ncommas: a,b]c',
  'm: { a: 1, b: [x, y, "z"], c: { d: http://h:1/p?q=1 }, e: {}, f: [] }',
  'j: {"a":1, "b": "c", \'d\': [1, 2.5, null, true]}',
  'list:\n  - a\n  - b: 1\n    c: 2\n  -\n    d: 3\n  - - x\n    - y\n  -',
  'same:\n- a\n- b\nnext: 1',
  'abort:\n  - { probe: writes, failingFor: 20s }\n  - [a, b]\n  - {}',
  'nested:\n  deeper:\n    deepest: v\n  back: w\ntop: t',
  '# leading comment\n\na: 1   # trailing\n\n# between\nb:   # nothing here\n  c: 2\n',
  'scalar-on-next-line:\n  hello world',
  'status.phase: Running\nk8s-ready: x\ndocker-health: y\n"quoted key": 1\n\'single\': 2',
  '  indented: 1\n  doc: 2',
  'd: >\n  The primary acknowledges a write.\n  Cutting it off\n\n  must not stop writes: # really\n\n\n  — see.\nnext: 1',
  'd: >-\n  one\n  two\n\n',
  'd: |\n  line one\n  # not a comment\n\n  line three\ne: |-\n    x\n    y\n',
  'list:\n  - name: x\n    text: |\n      a\n      b\n  - name: y',
  'a:\n  b: > # folded\n    text\n  c: 1',
];

const REJECTED = [
  '', '# only a comment', '- a\n- b', 'just a scalar', '---\na: 1', 'a: 1\n---\nb: 2', '%YAML 1.2\n---\na: 1',
  'a: &x 1\nb: *x', 'a: !!str 1', 'a: [1,\n  2]', 'a: "multi\n  line"', 'a: plain\n  continued',
  'a: 1\na: 2', 'm: { a: 1, a: 2 }', 'a:\tb', 'a: 1\r\nb: 2', '<<: { a: 1 }', '? complex\n: key', 'my key: 1', '1: one', 'true: t', '__proto__: x',
  'a: b: c', 'a: 0x1F', 'a: 0o17', 'a: 1e3', 'a: +5', 'a: .5', 'a: 1.', 'a: .inf', 'a: .nan', 'a: "\\x41"', 'a: "\\e"',
  'a: [x, ]', 'a: { b }', 'a: { b: }', 'a: [k: v]', 'a: {b: 1} trailing', 'a: "x" trailing', 'a: @at', 'a: `tick`', 'a: - x', 'a: {b: c #x}',
  'a: x\u00a0', '\u00a0a: 1', 'a: b\u000cc',
  '{a: 1}: x', '[a]: x', '- {a: 1}: x', 'a: |+\n  x\n', 'a: |2\n  x', 'a: |\n\n  x', 'a: >\n  x\n    more\n  y', 'a: |\n  x \n', 'a: |\nb: 1', '- |\n  x', 'a: |\n  x\n     \n  y',
  'a:\n    b: 1\n  c: 2', 'a:\n  - x\n - y', 'x:\n  - a\n    b\n  - c', 'key  : v',
];

const EITHER = [
  'a: |\n  text', 'a: >\n  text', 'a: |-\n  text', "a: 'x' # c", 'a: "x"#c', '- key: v\n  - x', 'a:\n- b\n- c\nd:\n  - e', 'a: {b: c}\n  d: e', '- a: 1\n   b: 2', 'a: x:y', '-a: 1', 'a: -', 'a: :x', 'a: ?x',
  'a: -1.5', 'a: 1.0', 'a: { b: -1 }', 'a: [ -x ]', 'a: [a b]', "a: { b: 'x''y' }", "a: [ \"a\", 'b' ]", 'a: [ , ]', 'a: {b: [c, {d: e}]}', 'a: [b]c',
  'k: v\n\n\n  # indented comment\nnext: 1', "a: 'b'c", '"a" : 1', 'a: "\\u00"', 'a: "é\\u00e9"', 'a:   \n  b: 1', 'a: b\n b2: c', 'a: [x]#c', 'a: x # c # d',
];

describe('parsePlainYaml', () => {
  it.each(EITHER)('agrees with yaml on %j, or declines', (text) => {
    expectAgreement(text);
  });

  it.each(ACCEPTED)('reads %j exactly as yaml does', (text) => {
    expect(expectAgreement(text)).not.toBeUndefined();
  });

  it.each(REJECTED)('leaves %j to the full parser', (text) => {
    expect(parsePlainYaml(text)).toBeUndefined();
  });

  it('reads the example experiment and the test experiments', () => {
    expect(expectAgreement(readFileSync(join(fixtures, 'kill-primary.yaml'), 'utf8'))).toBeDefined();
    expect(expectAgreement(processExperiment('    - kill: { target: db }\n      at: 1s\n    - pause: { target: db }\n      for: 10s'))).toBeDefined();
  });

  it('agrees with yaml on generated documents in every style yaml writes', () => {
    const random = seeded(42);
    const scalars: unknown[] = [
      'yes', 'no', '1.0', '-5', '10s', 'a: b', '#x', 'x #y', "it's", 'say "hi"', 'http://a:1/p?q', '', ' lead', 'trail ', 'null', '~', '0x1F', '1e3', '@x', '- x', '[x]',
      'first line\nsecond line\n', 'para one\n\npara two', 'ends with newline\n', 'two\n\n\nblank lines\n\n', ' indented\nfirst', 'x\n  more indented\ny\n', 'trailing space \nnext',
      '{y}', 'a,b', 'ü', 'tab\tin', 'line\nbreak', '&a', '*b', '!t', '%p', '|', '>', '?', ':', '-', 'true', 'False', '007', '-0', '1_0', '.5',
      0, 1, -1, 2.5, -0.25, 1e21, 12345678901234567890, true, false, null,
    ];
    const keys = ['a', 'name', 'k8s-ready', 'status.phase', 'with space', '1', 'true', 'x:y', '#k', '-k', 'é'];
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.45) return scalars[Math.floor(random() * scalars.length)];
      if (r < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [keys[Math.floor(random() * keys.length)]!, value(depth + 1)]));
    };
    let accepted = 0;
    for (let n = 0; n < 400; n++) {
      const doc = { root: value(0), other: value(1) };
      const text = stringify(doc, { indent: 2 + Math.floor(random() * 3), indentSeq: random() < 0.5, collectionStyle: (['any', 'block', 'flow'] as const)[n % 3], lineWidth: 0 });
      if (expectAgreement(text) !== undefined) accepted++;
    }
    expect(accepted).toBeGreaterThan(100);
  });
});

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
