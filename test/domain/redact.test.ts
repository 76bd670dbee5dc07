import { describe, expect, it } from 'vitest';
import { createRedactor, MASK, redactValue } from '../../src/domain/redact.js';

describe('redaction', () => {
  const r = createRedactor(['hunter2-long-secret', 'abc']);
  it('masks known secret values (but not values too short to be safe to replace everywhere)', () => {
    expect(r('pw=hunter2-long-secret;')).toBe(`pw=${MASK};`);
    expect(r('abc')).toBe('abc');
  });
  it('masks credential shapes it was not told about', () => {
    expect(r('http://user:pa55word@host:1/x')).toBe(`http://user:${MASK}@host:1/x`);
    expect(r('GET /x?a=1&token=zzz123&b=2')).toBe(`GET /x?a=1&token=${MASK}&b=2`);
    expect(r('Authorization: Bearer abcdefghijklmnop')).toBe(`Authorization: Bearer ${MASK}`);
    expect(r('key ghp_abcdefghijklmnopqrstuvwxyz0123')).toBe(`key ${MASK}`);
    expect(r('jwt eyJhbGciOi.eyJzdWIiOiIx.SflKxwRJSMeKKF2QT4')).toBe(`jwt ${MASK}`);
  });
  it('masks values under secret-like keys, at any depth, and leaves the rest alone', () => {
    const v = redactValue({ headers: { Authorization: 'x', Accept: 'json' }, env: [{ API_TOKEN: 'short' }], n: 3 }, r);
    expect(v).toEqual({ headers: { Authorization: MASK, Accept: 'json' }, env: [{ API_TOKEN: MASK }], n: 3 });
  });
});
