import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/domain/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0], ['abc', '', 3], ['', 'abc', 3], ['kill', 'kill', 0], ['kil', 'kill', 1], ['latncy', 'latency', 1], ['kitten', 'sitting', 3], ['nmae', 'name', 1], ['ab', 'ba', 1], ['abcd', 'acbd', 1],
  ])('%j -> %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const kinds = ['kill', 'pause', 'restart', 'latency', 'partition', 'pod-delete', 'pod-kill'];

  it('suggests the nearest candidate for a plausible typo', () => {
    expect(closest('latncy', kinds)).toBe('latency');
    expect(closest('kil', kinds)).toBe('kill');
    expect(closest('parition', kinds)).toBe('partition');
    expect(closest('nmae', ['name', 'description', 'labels'])).toBe('name');
  });

  it('ignores case', () => {
    expect(closest('KILL', kinds)).toBe('kill');
  });

  it('says nothing when no candidate is close', () => {
    expect(closest('frobnicate', kinds)).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });

  it('prefers the first of equally close candidates', () => {
    expect(closest('pod-kil', kinds)).toBe('pod-kill');
    expect(closest('ab', ['ax', 'ay'])).toBe('ax');
  });
});
