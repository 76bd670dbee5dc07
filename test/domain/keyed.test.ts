import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Fault } from '../../src/domain/experiment.js';
import { BRANCH_MARKER, keyed } from '../../src/domain/schema-helpers.js';

type Internals = { _zod: { run: (...args: unknown[]) => unknown; def: { options: { _zod: { run: (...args: unknown[]) => unknown } }[] } } };

describe('keyed', () => {
  const Shape = keyed('shape', { circle: z.strictObject({ r: z.number() }), square: z.strictObject({ side: z.number() }) }, { name: z.string().optional() });

  it('parses the branch the object names', () => {
    expect(Shape.parse({ square: { side: 2 }, name: 'sq' })).toEqual({ square: { side: 2 }, name: 'sq' });
  });

  it('reports a failing known kind through the branch marker, as the union does', () => {
    const issue = Shape.safeParse({ square: { side: 'x' } }).error?.issues[0] as { code: string; message: string; errors: unknown[][] };
    expect(issue.code).toBe('invalid_union');
    expect(issue.message).toBe(`${BRANCH_MARKER}1`);
    expect(issue.errors[1]).toEqual([expect.objectContaining({ path: ['square', 'side'], code: 'invalid_type' })]);
  });

  it('explains two kinds and unknown kinds', () => {
    expect(Shape.safeParse({ square: { side: 1 }, circle: { r: 1 } }).error?.issues[0]?.message).toBe('a shape has exactly one kind, but this one names "square" and "circle"');
    expect(Shape.safeParse({ cirle: { r: 1 } }).error?.issues[0]?.message).toBe('unknown shape kind "cirle", did you mean "circle"? (known: circle, square)');
  });

  it('goes straight to the named branch instead of trying every kind in order', () => {
    const first = (Fault as unknown as Internals)._zod.def.options[0]!._zod;
    const original = first.run;
    let calls = 0;
    first.run = (...args: unknown[]) => {
      calls++;
      return original(...args);
    };
    try {
      expect(Fault.parse({ scale: { workload: { kind: 'Deployment', name: 'api' }, replicas: 0 }, for: '1s' })).toMatchObject({ scale: { replicas: 0 }, at: 0, for: 1000 });
      expect(calls).toBe(0);
    } finally {
      first.run = original;
    }
  });
});
