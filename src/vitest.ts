// `import 'faultline/vitest'` (in a test or a setupFiles entry) adds faultline's matchers to
// vitest's expect: `expect(result).toMeetObjectives()`, `expect(result).toRecoverWithin('2s')`.
import { expect } from 'vitest';
import { faultlineMatchers, type FaultlineMatchers } from './library/matchers.js';

expect.extend(faultlineMatchers);

declare module 'vitest' {
  // The type parameter must read exactly as vitest declares it for the interfaces to merge.
  interface Assertion<T = any> extends FaultlineMatchers<T> {}
  interface AsymmetricMatchersContaining extends FaultlineMatchers {}
}

export { faultlineMatchers };
